# The arena's chunk policy, which every table's slack depends on, and what
# it tells tables about its chunks.
internbench_add_test(test_arena SOURCES test_arena.c keys.c LABELS unit)
