# The commands tables, cases, gen, extract, classify and compare on the
# command line: getopt_long's errors (exit 2), --help (exit 0), the
# command a case's header records, and defects fixed (label: cases).
# internbench_cli_test (cases.cmake, included before this file) runs
# each through cases/run_cli.cmake.

set(lines ${CASES_FIXTURES}/lines.txt)
set(base ${PROJECT_SOURCE_DIR}/harness/tests/compare/base.json)
foreach(cmd IN ITEMS tables cases gen extract classify compare)
  internbench_cli_test(cli_${cmd}_unknown_option 2
    "internbench ${cmd}: unknown option '--bogus'" ${cmd} --bogus)
  internbench_cli_test(cli_${cmd}_short_help 0 "usage: internbench ${cmd}"
    ${cmd} -h)
endforeach()
foreach(cmd IN ITEMS tables compare)
  internbench_cli_test(cli_${cmd}_help 0 "usage: internbench ${cmd}"
    ${cmd} --help)
endforeach()
internbench_cli_test(cli_cases_missing_value 2
  "internbench cases: a value is missing after '--case'" cases --case)
internbench_cli_test(cli_gen_missing_value 2
  "internbench gen: a value is missing after '--count'" gen --count)
internbench_cli_test(cli_gen_short_missing_value 2
  "internbench gen: a value is missing after '-o'" gen --count 3 -o)
internbench_cli_test(cli_gen_short_output 0 "^$" gen --count 3 -o /dev/null)
internbench_cli_test(cli_extract_missing_value 2
  "internbench extract: a value is missing after '--pattern'"
  extract ${lines} --pattern)
internbench_cli_test(cli_classify_missing_value 2
  "internbench classify: a value is missing after '--lines'"
  classify --lines)
internbench_cli_test(cli_compare_missing_value 2
  "internbench compare: a value is missing after '--threshold'"
  compare ${base} ${base} --threshold)
internbench_cli_test(cli_tables_value_to_flag 2
  "internbench tables: unknown option '--names=x'" tables --names=x)
internbench_cli_test(cli_tables_stray 2
  "internbench tables: unknown argument 'x'" tables x)
internbench_cli_test(cli_classify_two_cases 2
  "unknown argument 'b'" classify a b)
internbench_cli_test(cli_compare_three_files 2 "more than two files"
  compare a b c)
# options and files in any order; the header records them as typed
internbench_cli_test(cli_extract_command_as_typed 0
  "# command: internbench extract [^\n]*lines.txt --name t --pattern '\\[a-z\\]\\+' --max 1e1\n# strings: 10\n"
  extract ${lines} --name t --pattern [a-z]+ --max 1e1)
# defects: a negative --max was taken as no limit (strtoull wraps it)
internbench_cli_test(cli_extract_negative_max 2 "--max: a whole number .*not '-1'"
  extract --pattern [a-z]+ --max -1 ${lines})
# defects: --meta could repeat a key extract writes itself, giving a
# case file the reader refuses
internbench_cli_test(cli_extract_meta_repeats_key 2
  "header key 'unique' given twice"
  extract --pattern [a-z]+ --meta unique=3 ${lines})

