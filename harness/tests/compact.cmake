# The compact table's own tests (its group match, the limit of its 32-bit
# references, its load and bytes per string, the capacity hint) and the
# arena's chunk policy, which every table's slack depends on.
internbench_add_test(test_compact SOURCES test_compact.c LABELS unit)
internbench_add_test(test_arena SOURCES test_arena.c LABELS unit)
# The deterministic key sets (harness/src/internbench/conformance_keys.h).
foreach(t test_compact test_arena)
  target_include_directories(${t} PRIVATE
    ${PROJECT_SOURCE_DIR}/harness/src/internbench)
endforeach()
