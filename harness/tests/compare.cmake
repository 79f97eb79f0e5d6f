# internbench compare and metrics: planted regressions must fail, an
# improvement pass, bad input exit 2, and two metrics runs agree
# (harness/tests/compare/compare_test.sh; label unit).
add_test(NAME compare
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/compare/compare_test.sh
          $<TARGET_FILE:internbench> ${PROJECT_SOURCE_DIR})
set_tests_properties(compare PROPERTIES LABELS unit TIMEOUT 120)
