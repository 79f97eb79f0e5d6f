# The vectors: the CPython model against the recorded interpreters, the
# classifier, and every table against vectors/cases/*.vec (label vectors).

internbench_add_test(test_cpython_vectors
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_cpython_vectors.c
  LABELS vectors
  ARGS ${PROJECT_SOURCE_DIR}/vectors/cpython
  TIMEOUT 60)

internbench_add_test(test_cpython
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_cpython.c
  LABELS vectors unit
  TIMEOUT 60)

# The live oracle: one test per interpreter; those absent are SKIPPED.
foreach(which IN ITEMS python3 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13)
  add_test(NAME vectors_live_${which}
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/vectors_live.sh ${which}
            ${PROJECT_SOURCE_DIR})
  set_tests_properties(vectors_live_${which} PROPERTIES
    LABELS "vectors;live" SKIP_RETURN_CODE 77 TIMEOUT 120)
endforeach()

internbench_add_test(test_classify
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_classify.c
  LABELS vectors unit
  ARGS ${PROJECT_SOURCE_DIR}/vectors/classify
  TIMEOUT 120)

# Every registered table reproduces every .vec (shipped and named generated
# cases). gen-ident-1e7 takes about two minutes alone: it runs in its own
# test, labelled slow instead of vectors.
add_test(NAME vectors_verify_all
  COMMAND internbench verify --all --skip gen-ident-1e7
          --cases-dir ${PROJECT_SOURCE_DIR}/cases
          --vectors-dir ${PROJECT_SOURCE_DIR}/vectors/cases)
set_tests_properties(vectors_verify_all PROPERTIES LABELS vectors TIMEOUT 300)
# 10^7 strings through every table: minutes, so only on request
# (-DINTERNBENCH_SLOW_TESTS=ON), never in the default workflows.
if(INTERNBENCH_SLOW_TESTS)
  add_test(NAME vectors_verify_large
    COMMAND internbench verify gen-ident-1e7
            --cases-dir ${PROJECT_SOURCE_DIR}/cases
            --vectors-dir ${PROJECT_SOURCE_DIR}/vectors/cases)
  set_tests_properties(vectors_verify_large PROPERTIES LABELS slow TIMEOUT 900)
endif()

# A test of the test: a .vec with one field changed makes verify exit 1.
add_test(NAME vectors_wrong_vector
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/vectors_wrong.sh
          $<TARGET_FILE:internbench> ${PROJECT_SOURCE_DIR})
set_tests_properties(vectors_wrong_vector PROPERTIES LABELS vectors TIMEOUT 120)

# classify and verify on the command line: help, exit codes, --each.
add_test(NAME vectors_cli
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/vectors_cli.sh
          $<TARGET_FILE:internbench> ${PROJECT_SOURCE_DIR})
set_tests_properties(vectors_cli PROPERTIES LABELS vectors TIMEOUT 120)

# The independent path: Python parses the case files and recomputes the
# vectors (XXH64 in Python); generated cases up to 200000 strings.
if(Python3_Interpreter_FOUND)
  add_test(NAME vectors_check_python
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/vectors/check-vectors.py
            --cases-dir ${PROJECT_SOURCE_DIR}/cases
            --vectors-dir ${PROJECT_SOURCE_DIR}/vectors/cases
            --internbench $<TARGET_FILE:internbench> --max-strings 200000)
  set_tests_properties(vectors_check_python PROPERTIES LABELS vectors TIMEOUT 300)
else()
  message(STATUS "python3 not found: vectors_check_python not registered")
endif()

# verify --lines: any plain text file (here the cases' README), every table
# held to the vector computed from the file by sorting.
add_test(NAME vectors_verify_lines
  COMMAND internbench verify --lines ${PROJECT_SOURCE_DIR}/cases/README.md)
set_tests_properties(vectors_verify_lines PROPERTIES LABELS vectors TIMEOUT 60
  PASS_REGULAR_EXPRESSION "ok case .*table radix"
  FAIL_REGULAR_EXPRESSION "MISMATCH|FAILED")
