# The quick measurement tool, run tiny so that it keeps working.
internbench_add_test(quick_measure SOURCES quick_measure.c
  LABELS unit ARGS --n 20000 --reps 1)
# The batch measurements (issue 14), tiny: the smallest case, one rep.
internbench_add_test(batch_measure SOURCES batch_measure.c
  LABELS unit ARGS --max-n 1e3 --reps 1)
# The deterministic key sets (harness/src/internbench/conformance_keys.h).
foreach(t quick_measure batch_measure)
  target_include_directories(${t} PRIVATE
    ${PROJECT_SOURCE_DIR}/harness/src/internbench)
endforeach()
