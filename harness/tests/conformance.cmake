# The conformance suite (the harness's conformance.h) on every registered
# table, one CTest test per aspect so that they run in parallel.
internbench_add_test(test_conformance_identity
  SOURCES test_conformance.c LABELS unit ARGS identity)
foreach(aspect growth stats faults bigkey batch)
  add_test(NAME test_conformance_${aspect}
           COMMAND test_conformance_identity ${aspect})
  set_tests_properties(test_conformance_${aspect}
                       PROPERTIES LABELS unit TIMEOUT 600)
endforeach()
# The suite must fail broken tables, naming the aspect and the table.
internbench_add_test(test_conformance_broken
  SOURCES test_conformance_broken.c LABELS unit)
