# The case files: reader, writer, shipped corpora, generators (label: cases).


internbench_add_test(test_case_reader SOURCES test_case_reader.c
  LABELS cases ARGS ${PROJECT_SOURCE_DIR}/harness/tests/cases TIMEOUT 60)
internbench_add_test(test_case_roundtrip SOURCES test_case_roundtrip.c
  LABELS cases TIMEOUT 60)
internbench_add_test(test_case_shipped SOURCES test_case_shipped.c
  LABELS cases ARGS ${PROJECT_SOURCE_DIR}/cases TIMEOUT 120)
internbench_add_test(test_case_gen SOURCES test_case_gen.c
  LABELS cases ARGS ${PROJECT_SOURCE_DIR}/cases TIMEOUT 120)

# The command line: exit codes and messages. Each test runs internbench
# through run_cli.cmake, which checks the exit code and the output.
set(CASES_FIXTURES ${PROJECT_SOURCE_DIR}/harness/tests/cases)
function(internbench_cli_test name rc regex)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND}
    "-DCMD=$<TARGET_FILE:internbench>;${ARGN}" -DRC=${rc} "-DREGEX=${regex}"
    -P ${CASES_FIXTURES}/run_cli.cmake)
  set_tests_properties(${name} PROPERTIES LABELS cases TIMEOUT 60)
endfunction()

foreach(bad IN ITEMS
    "escape|4|unknown escape"
    "truncated-hex|5|truncated escape"
    "trailing-backslash|3|trailing backslash"
    "utf8|4|invalid UTF-8"
    "overlong|3|invalid UTF-8"
    "surrogate|3|invalid UTF-8"
    "above-max|3|invalid UTF-8"
    "escaped-utf8|3|invalid UTF-8"
    "crlf|3|CR before LF"
    "cr|3|raw CR"
    "nul|4|raw NUL"
    "bom|1|byte-order mark"
    "version|1|unknown case format version"
    "no-version|1|not a case file"
    "hash|4|starts with '#'"
    "strings-count|3|the header says strings"
    "encoding|3|unknown encoding")
  string(REPLACE "|" ";" bad "${bad}")
  list(GET bad 0 kind)
  list(GET bad 1 line)
  list(GET bad 2 what)
  internbench_cli_test(cli_case_bad_${kind} 2 "bad-${kind}\\.case:${line}: .*${what}"
    cases --case ${CASES_FIXTURES}/bad-${kind}.case)
endforeach()

internbench_cli_test(cli_case_lines 0 "strings  6"
  cases --lines ${CASES_FIXTURES}/lines.txt)
internbench_cli_test(cli_case_good 0 "strings  7\nunique   7"
  cases --case ${CASES_FIXTURES}/good-escapes.case)
internbench_cli_test(cli_case_missing 2 "no case 'no-such-case'"
  cases --case no-such-case --cases-dir ${PROJECT_SOURCE_DIR}/cases)
internbench_cli_test(cli_cases_check 0 "python-identifiers +identifier +250000"
  cases --check --cases-dir ${PROJECT_SOURCE_DIR}/cases)
internbench_cli_test(cli_cases_named 0 "unique   16132"
  cases --case python-identifiers --cases-dir ${PROJECT_SOURCE_DIR}/cases)
internbench_cli_test(cli_cases_generated 0 "strings  20000\nunique   20000"
  cases --case gen-fnv-flood)
internbench_cli_test(cli_gen_digest 0 "^d4f53e6bb1888717 strings 1000000 unique 100000"
  gen --name gen-zipf --digest)
internbench_cli_test(cli_gen_header 0 "# generator: internbench gen --count 5 --alphabet utf8"
  gen --count 5 --alphabet utf8 --seed 9)
internbench_cli_test(cli_gen_bad_dup 2 "dup '2'" gen --dup 2)
internbench_cli_test(cli_gen_bad_name 2 "no generated case" gen --name nope)
internbench_cli_test(cli_gen_impossible 2 "cannot make 100 distinct"
  gen --count 100 --length fixed:1)
internbench_cli_test(cli_extract 0 "# strings: 12\n# unique: 11\none\ntwo\n"
  extract --pattern "[a-z]+" --name t ${CASES_FIXTURES}/lines.txt)
internbench_cli_test(cli_extract_group 0 "# strings: 1\n# unique: 1\n\\\\x23 not\n"
  extract --pattern "(?m)^(#? ?[a-z]+) " --group 1 ${CASES_FIXTURES}/lines.txt)
internbench_cli_test(cli_extract_bad_pattern 2 "bad pattern"
  extract --pattern "(" ${CASES_FIXTURES}/lines.txt)
internbench_cli_test(cli_extract_missing_file 2 "no-such-file"
  extract --pattern "x" ${CASES_FIXTURES}/no-such-file)
foreach(cmd IN ITEMS cases gen extract)
  internbench_cli_test(cli_${cmd}_help 0 "usage: internbench ${cmd}" ${cmd} --help)
endforeach()
