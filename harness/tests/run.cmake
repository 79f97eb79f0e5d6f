# internbench run: a smoke run on a tiny case with one repetition, its
# JSON checked against the fields the README documents (label
# bench-smoke), and a wrong vector that must make the run exit 1.
if(Python3_Interpreter_FOUND)
  add_test(NAME run_smoke
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run_smoke.sh
            $<TARGET_FILE:internbench> ${PROJECT_SOURCE_DIR}
            ${Python3_EXECUTABLE})
  set_tests_properties(run_smoke PROPERTIES LABELS bench-smoke TIMEOUT 300)
else()
  message(STATUS "python3 not found: run_smoke not registered")
endif()

# The engine's shuffled pass reads the batch pass's key list.
internbench_add_test(test_engine_keys SOURCES test_engine_keys.c LABELS unit)
