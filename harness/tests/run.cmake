# internbench run: a smoke run on a tiny case with one repetition, its
# JSON checked against the fields the README documents (label
# bench-smoke), and a wrong vector that must make the run exit 1.
find_program(INTERNBENCH_RUN_PYTHON3 python3)
if(INTERNBENCH_RUN_PYTHON3)
  add_test(NAME run_smoke
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run_smoke.sh
            $<TARGET_FILE:internbench> ${PROJECT_SOURCE_DIR}
            ${INTERNBENCH_RUN_PYTHON3})
  set_tests_properties(run_smoke PROPERTIES LABELS bench-smoke TIMEOUT 300)
else()
  message(STATUS "python3 not found: run_smoke not registered")
endif()
