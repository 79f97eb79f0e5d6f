# Smoke tests of bench/internbench_bench (label bench-smoke): each table
# group and each peer found at configure time on the small json-keys case,
# every workload, a tiny minimum time. A row that fails its check (unique
# count and digest against vectors/cases/json-keys.vec) or errs makes the
# binary exit 1. No LeakSanitizer suppression is needed: the parent
# finalizes its embedded interpreter at exit, and the forked children that
# run GLib and CPython leave with _exit.
if(TARGET internbench_bench)
  foreach(peer IN LISTS INTERNBENCH_BENCH_PEERS)
    add_test(NAME bench_smoke_${peer}
      COMMAND internbench_bench --cases=json-keys --tables=${peer}
              --benchmark_min_time=0.01)
    set_tests_properties(bench_smoke_${peer} PROPERTIES
      LABELS bench-smoke TIMEOUT 120)
  endforeach()
endif()

# The peer suite on any strings: a .case path whose keys hold NUL bytes
# (every miss key keeps its bytes past the NUL, "x\0yz" with a byte
# changed is no "x"; every peer's check reads handles binary-safe; a
# peer that takes C strings gets no row, said on stderr), a --lines file,
# both held to the reference computed by sorting (they have no vector);
# and a malformed file: exit 2, naming it.
if(TARGET internbench_bench)
  add_test(NAME bench_smoke_nul_keys
    COMMAND internbench_bench
            --cases=${CMAKE_CURRENT_SOURCE_DIR}/cases/good-nul-miss.case
            --benchmark_min_time=0.01)
  add_test(NAME bench_smoke_lines
    COMMAND internbench_bench --lines=${PROJECT_SOURCE_DIR}/cases/README.md
            --benchmark_min_time=0.01)
  add_test(NAME bench_bad_input
    COMMAND sh -c "\"$0\" --cases=$1 2>&1 | grep -q \"bad-escape.case:4: unknown escape\" && { \"$0\" --cases=$1 >/dev/null 2>&1; test $? -eq 2; }"
            $<TARGET_FILE:internbench_bench>
            ${CMAKE_CURRENT_SOURCE_DIR}/cases/bad-escape.case)
  set_tests_properties(bench_smoke_nul_keys bench_smoke_lines bench_bad_input
    PROPERTIES LABELS bench-smoke TIMEOUT 300)
endif()
