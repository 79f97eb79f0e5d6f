/* registry.c: every table, by name, in a fixed order. A new table adds
 * its ops here (declared in tables/tables.h) and nothing else changes. */
#include <string.h>

#include "tables/tables.h"

static const intern_table_info registry_tables[] = {
    {&intern_chained_ops,
     "power-of-two buckets of singly linked records, hash cached in the "
     "record, grows x2 at load 1.0",
     true},
    {&intern_open_ops,
     "open addressing, SwissTable style: 7-bit tags in 16-slot groups "
     "matched with " INTERN_OPEN_MATCH_PATH ", load at most 7/8, grows x2",
     true},
    {&intern_open_portable_ops,
     "the open table with its portable group match (SWAR on 64-bit words), "
     "to compare with the SIMD path",
     false},
    {&intern_radix_ops,
     "adaptive radix trie on the key bytes, no hashing: nodes of 4, 16 "
     "(SSE2 search where available), 48 and 256 children, node4/16 sized "
     "to their children; optimistic path compression (length only, checked "
     "at the leaf); leaves are tagged pointers to the records",
     true},
};

const intern_table_info *intern_registry(size_t *count) {
    *count = sizeof registry_tables / sizeof registry_tables[0];
    return registry_tables;
}

const intern_table_info *intern_registry_find(const char *name) {
    size_t n;
    const intern_table_info *all = intern_registry(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].ops->name, name) == 0)
            return &all[i];
    return NULL;
}
