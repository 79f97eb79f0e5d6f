# The installed table library: cmake --install into a temporary prefix,
# the examples built against it out of tree with pkg-config and with
# find_package, and run (label install; skipped in sanitizer builds).
add_test(NAME install_examples
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/install_examples.sh
          ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(install_examples PROPERTIES LABELS install TIMEOUT 300
  SKIP_RETURN_CODE 77)
