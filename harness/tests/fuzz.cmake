# Reliability (issue 10): fuzz targets and their corpora, the streaming
# and out-of-memory limits, hash flooding.
#
# Every build replays the fuzz corpora (label unit): the committed seeds
# and every crash the fuzzer ever found, as regression tests. With
# -DINTERNBENCH_FUZZ=ON (clang; the fuzz preset) the libFuzzer targets
# are built too and run for INTERNBENCH_FUZZ_SECONDS each (label fuzz).
set(FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)

foreach(target case_reader table)
  internbench_add_test(fuzz_replay_${target}
    SOURCES fuzz/fuzz_replay.c fuzz/fuzz_${target}.c
    LABELS unit ARGS ${FUZZ_DIR}/corpus/${target} TIMEOUT 120)
endforeach()

if(INTERNBENCH_FUZZ)
  set(INTERNBENCH_FUZZ_SECONDS 30 CACHE STRING
      "Seconds each fuzz target runs under CTest (label fuzz)")
  set(fuzz_work ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
  foreach(target case_reader table)
    add_executable(fuzz_${target} fuzz/fuzz_${target}.c)
    target_include_directories(fuzz_${target} PRIVATE
      ${PROJECT_SOURCE_DIR}/harness/tests ${PROJECT_SOURCE_DIR}/harness/src/intern)
    target_link_libraries(fuzz_${target} PRIVATE internbench_harness)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    # new inputs go to the build tree's corpus, never the source tree's;
    # a crash is written to fuzz/crash-* beside it (add it to the
    # committed corpus once fixed: the replay test then keeps it fixed)
    file(MAKE_DIRECTORY ${fuzz_work}/corpus-${target})
    add_test(NAME fuzz_${target}
      COMMAND fuzz_${target} -max_total_time=${INTERNBENCH_FUZZ_SECONDS}
              -max_len=8192 -timeout=20 -rss_limit_mb=2048
              -print_final_stats=1 -artifact_prefix=${fuzz_work}/
              ${fuzz_work}/corpus-${target} ${FUZZ_DIR}/corpus/${target})
    math(EXPR fuzz_timeout "${INTERNBENCH_FUZZ_SECONDS} * 2 + 60")
    set_tests_properties(fuzz_${target} PROPERTIES LABELS fuzz
      TIMEOUT ${fuzz_timeout})
  endforeach()
endif()

# Cases of any length stream: COUNT strings through a pipe, RSS flat.
# 10^8 (about 5 s); 10^7 in sanitizer builds, where it is ten times
# slower. -DINTERNBENCH_STREAM_COUNT=N overrides.
if(CMAKE_C_FLAGS MATCHES "sanitize=address")
  set(stream_default 10000000)
else()
  set(stream_default 100000000)
endif()
set(INTERNBENCH_STREAM_COUNT ${stream_default} CACHE STRING
    "Strings streamed through the case reader by limits_stream")
add_executable(test_case_stream test_case_stream.c)
target_link_libraries(test_case_stream PRIVATE internbench_harness)
add_test(NAME limits_stream
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/limits_stream.sh
          $<TARGET_FILE:test_case_stream> ${INTERNBENCH_STREAM_COUNT})
set_tests_properties(limits_stream PROPERTIES LABELS cases TIMEOUT 300)

# Out of memory on a huge case: a message and exit 2 (skipped under ASan).
add_test(NAME limits_oom
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/limits_oom.sh
          $<TARGET_FILE:internbench>)
set_tests_properties(limits_oom PROPERTIES LABELS cases TIMEOUT 120
  SKIP_RETURN_CODE 77)

# Hash flooding: probes per hit bounded with xxh3 and siphash13, growing
# with fnv1a (deterministic counts, no timing); and the benchmark, run
# tiny so that it keeps working (run it by hand for the numbers).
internbench_add_test(test_flood SOURCES test_flood.c LABELS unit TIMEOUT 120)
internbench_add_test(flood_measure SOURCES flood_measure.c
  LABELS unit ARGS --min-n 500 --max-n 1000 --reps 1)
