/* tables.h: the ops of every table in the library (internal). */
#ifndef INTERN_TABLES_H
#define INTERN_TABLES_H

#include "intern/intern.h"

extern const intern_ops intern_chained_ops;
extern const intern_ops intern_open_ops;
extern const intern_ops intern_open_portable_ops;
extern const intern_ops intern_radix_ops;
extern const intern_ops intern_compact_ops;
/* Tests only: caps a compact table's reference space at pages pages. */
void intern_compact_limit_pages(intern_table *t, size_t pages);

#endif
