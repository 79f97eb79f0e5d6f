/* catalog.h: the shipped cases of a directory (DIR/NAME.case) and what
 * describes a case: its strings, distinct strings, bytes and longest
 * string, checked against the "unique" its header records. */
#ifndef INTERN_CATALOG_H
#define INTERN_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internbench/case.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The case files of a directory. Invariant: name[0..count) are the file
 * names ending in ".case" (and longer than it), owned, sorted
 * bytewise. */
typedef struct catalog {
    char **name;
    size_t count;
} catalog;

/* Lists dir's case files into c (freed by catalog_free, also after a
 * failure). Returns 0, or -1 with errno set (dir cannot be opened, or
 * out of memory). */
int catalog_read(const char *dir, catalog *c);
void catalog_free(catalog *c);

/* What describes a case. header_unique and kind point into the
 * case_data's header (NULL when absent). unique is valid when
 * unique_counted. */
typedef struct case_summary {
    uint64_t strings, bytes, longest, unique;
    bool unique_counted;
    const char *kind, *header_unique;
} case_summary;

/* Sums d's strings into s, and counts the distinct ones when
 * count_unique (vector_count_unique). Returns 0, or -1 when counting
 * ran out of memory (s holds the rest). */
int case_summarize(const case_data *d, bool count_unique, case_summary *s);

/* Whether the header's "unique" holds: true when the unique count was
 * not taken, or when the header gives one and it is the count; when
 * absent_ok, a header without "unique" holds too. */
bool case_summary_unique_ok(const case_summary *s, bool absent_ok);

/* One shipped case: path loaded into d (freed by the caller with
 * case_data_free, also after a failure), and the file's size in
 * *file_bytes (-1 when stat fails). CASE_OK, or the load's error with
 * err filled. */
case_status catalog_load(const char *path, case_data *d, long long *file_bytes,
                         case_error *err);

#ifdef __cplusplus
}
#endif

#endif
