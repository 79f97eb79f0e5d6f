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

# Keys that hold NUL bytes: every miss key must keep its bytes past the
# NUL ("x\0yz" with a byte changed is no "x"), and a case without a
# recorded vector is held to the reference computed by sorting.
if(TARGET internbench_bench)
  add_test(NAME bench_smoke_nul_keys
    COMMAND internbench_bench
            --cases=${CMAKE_CURRENT_SOURCE_DIR}/cases/good-nul-miss.case
            --tables=ours --benchmark_min_time=0.01)
  set_tests_properties(bench_smoke_nul_keys PROPERTIES
    LABELS bench-smoke TIMEOUT 120)
endif()
