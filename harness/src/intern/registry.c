/* registry.c: every table, by name, in a fixed order. A new table adds
 * its ops here (declared in tables/tables.h) and nothing else changes. */
#include <string.h>

#include "tables/tables.h"

/* a table a line */
/* clang-format off */
static const intern_table_info registry_tables[] = {
    {&intern_chained_ops, true},
    {&intern_open_ops, true},
    {&intern_open_portable_ops, false},
    {&intern_radix_ops, true},
    {&intern_compact_ops, true},
};
/* clang-format on */

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
