# The regression check: metrics of this build against the committed
# baseline (harness/tests/regress; label regression). Skipped in builds
# other than the test preset's, whose instruction counts the baseline
# holds. `cmake --build --preset test --target baseline` rewrites it.
add_test(NAME regression
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/regress/regress.sh ${PROJECT_BINARY_DIR})
set_tests_properties(regression PROPERTIES LABELS regression TIMEOUT 600
  SKIP_RETURN_CODE 77)
