# The radix trie's own tests: ordered and prefix walks against a sorted
# reference, worst-case shapes, node types, faults, its memory target.
internbench_add_test(test_radix SOURCES test_radix.c LABELS unit)
