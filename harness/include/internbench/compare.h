/* compare.h: two 'internbench metrics' files (RESULTS_METRICS_FORMAT,
 * results.h) compared row by row: the regression check CI runs
 * (internbench compare BASELINE CURRENT).
 *
 * Every metric is lower-is-better. A metric is worse when its current
 * value exceeds the baseline's by more than its kind's threshold, in
 * percent of the baseline (any increase over a baseline of 0). A row of
 * the baseline missing from the current file fails too (a table or case
 * dropped from the check); a row only in the current file is new and
 * passes. */
#ifndef INTERN_COMPARE_H
#define INTERN_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a metric measures, each kind with its own default threshold. */
typedef enum compare_kind {
    COMPARE_BYTES,
    COMPARE_ALLOCATIONS,
    COMPARE_PROBES,
    COMPARE_INSTRUCTIONS,
    COMPARE_KINDS
} compare_kind;

const char *compare_kind_name(compare_kind k);

/* The default thresholds, percent of the baseline, by kind. */
void compare_limits_init(double limits[COMPARE_KINDS]);

/* Sets the thresholds from "PCT" (every kind) or "KIND=PCT". false with
 * a message naming arg. */
bool compare_limits_parse(double limits[COMPARE_KINDS], const char *arg,
                          char *msg, size_t cap);

/* One row of a metrics file; the strings belong to the file's JSON. */
typedef struct compare_row {
    const char *cname, *table, *metric;
    compare_kind kind;
    double value;
} compare_row;

struct json_t; /* jansson's */

/* A loaded metrics file. Invariant: rows are unique by (case, table,
 * metric), every kind is known and every value finite and >= 0. */
typedef struct compare_file {
    const char *path;
    struct json_t *root;
    compare_row *rows;
    size_t count;
} compare_file;

/* Loads and checks path. Returns 0, or -1 with "PATH[:LINE:COL]: what
 * is wrong" in msg. f is to be freed with compare_free either way. */
int compare_load(const char *path, compare_file *f, char *msg, size_t cap);
void compare_free(compare_file *f);

/* The context fields whose difference a reader should be told of:
 * instruction counts compare only between builds by the same compiler
 * with the same flags. NULL-terminated. */
extern const char *const compare_context_keys[];

/* A string field of f's context, or NULL. */
const char *compare_context(const compare_file *f, const char *key);

typedef enum compare_verdict {
    COMPARE_SAME,    /* equal */
    COMPARE_WITHIN,  /* worse, within the threshold */
    COMPARE_BETTER,  /* lower */
    COMPARE_WORSE,   /* worse than the threshold: fails */
    COMPARE_MISSING, /* in the baseline only: fails */
    COMPARE_NEW,     /* in the current file only */
} compare_verdict;

/* One row of the comparison. base is NULL for a new row, cur for a
 * missing one; delta is cur - base and pct that in percent of base
 * (INFINITY for an increase over 0), both 0 unless both are there. */
typedef struct compare_change {
    const compare_row *base, *cur;
    double delta, pct;
    compare_verdict verdict;
} compare_change;

/* The baseline's rows in their order, then the new ones in theirs.
 * same counts the rows equal or worse within their threshold. */
typedef struct compare_result {
    compare_change *changes;
    size_t count;
    size_t worse, better, same, missing, added;
} compare_result;

/* Compares cur with base under limits. Returns 0, or -1 out of memory. */
int compare_files(const compare_file *base, const compare_file *cur,
                  const double limits[COMPARE_KINDS], compare_result *out);
void compare_result_free(compare_result *r);

/* Whether the comparison fails: a row worse or missing. */
bool compare_failed(const compare_result *r);

#ifdef __cplusplus
}
#endif

#endif
