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

/* How the open table matches a group: "SSE2" or "portable SWAR". */
#if defined(__SSE2__)
#define INTERN_OPEN_MATCH_PATH "SSE2"
#else
#define INTERN_OPEN_MATCH_PATH "portable SWAR (no SSE2 on this target)"
#endif

#endif
