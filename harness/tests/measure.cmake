# The quick measurement tool, run tiny so that it keeps working.
internbench_add_test(quick_measure SOURCES quick_measure.c keys.c
  LABELS unit ARGS --n 20000 --reps 1)
