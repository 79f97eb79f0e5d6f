# Files the harness writes and reads back: case headers and vectors
# (labels: cases, vectors, unit).
internbench_add_test(test_case_writer_keys SOURCES test_case_writer_keys.c
  LABELS cases unit TIMEOUT 60)
internbench_add_test(test_vector_file SOURCES test_vector_file.c
  LABELS vectors unit TIMEOUT 60)
