# valgrind memcheck over the conformance suite and the fuzz corpora
# (label memcheck; about a minute). Skipped without valgrind and in
# sanitizer builds.
add_test(NAME memcheck
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/valgrind.sh ${PROJECT_BINARY_DIR})
set_tests_properties(memcheck PROPERTIES LABELS memcheck TIMEOUT 900
  SKIP_RETURN_CODE 77)
