# Files the harness writes and reads back: case headers and vectors
# (labels: cases, vectors, unit).
internbench_add_test(test_case_writer_keys SOURCES test_case_writer_keys.c
  LABELS cases unit TIMEOUT 60)
