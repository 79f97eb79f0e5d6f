internbench_add_test(test_hash SOURCES test_hash.c LABELS unit)
