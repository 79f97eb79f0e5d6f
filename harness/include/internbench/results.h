/* results.h: the one result model. Workloads append rows to a results
 * set; the renderers (render.h: the console grid and Markdown) and the
 * writers below (JSON, CSV) read them, and `report` reads JSON back into
 * the same model and renders it with the same code.
 *
 * A row is one number: (workload, case, table, param, metric, unit) and a
 * value; a timed row adds its spread and repetitions, a row compared
 * across tables its ratio to the best, a pass that returned handles its
 * checksum. "" stands for a dimension that does not apply. The set also
 * holds what describes the run: its context (machine and build), its
 * settings, its tables and cases (JSON objects), and the checks that
 * failed.
 *
 * Every string of a row is interned in the set's own table (an `open`
 * table of the table library), so equal strings are one pointer and the
 * renderers compare dimensions by identity. An allocation failure marks
 * the set (results_ok) instead of failing each call: a caller checks
 * once, when it is done. */
#ifndef INTERNBENCH_RESULTS_H
#define INTERNBENCH_RESULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "internbench/measure.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The JSON formats this model reads and writes. v2 differs from v1 in
 * what checksum means (a fold of the handles, engine.h), the host in the
 * context, and the hit_shuffled workload; v1 files are still read. */
#define RESULTS_RUN_FORMAT     "internbench-run v2"
#define RESULTS_RUN_FORMAT_V1  "internbench-run v1"
#define RESULTS_METRICS_FORMAT "internbench-metrics v1"

typedef struct results_row {
    const char *workload, *case_name, *table, *param, *metric, *unit;
    double value; /* the median for a timed row */
    double min, max;
    int reps;     /* timed passes; 0: not timed */
    double ratio; /* value over the best of its group; NAN: none */
    bool has_checksum;
    uint64_t checksum;
    bool has_count; /* value = total / count, both exact (metrics) */
    uint64_t total, count;
} results_row;

typedef struct results results;

/* An empty set, or NULL when out of memory. */
results *results_new(void);
void results_free(results *r);
/* false once an allocation failed: the set is then incomplete. */
bool results_ok(const results *r);

/* s interned in the set ("" for NULL); NULL when out of memory. */
const char *results_intern(results *r, const char *s);

/* Appends a copy of row with its strings interned; returns the stored
 * row (valid until the next add), or NULL when out of memory. */
results_row *results_add(results *r, const results_row *row);
/* An untimed value. */
results_row *results_value(results *r, const char *workload,
                           const char *case_name, const char *table,
                           const char *param, const char *metric,
                           const char *unit, double value);
/* A timed value: the sample's median, spread and repetitions. */
results_row *results_sample(results *r, const char *workload,
                            const char *case_name, const char *table,
                            const char *param, const char *metric,
                            const char *unit, const measure_sample *s);
/* Sets the checksum of a row returned by the calls above (NULL: none). */
void results_set_checksum(results_row *row, uint64_t checksum);

size_t results_count(const results *r);
const results_row *results_at(const results *r, size_t i);
/* The first row with these dimensions (NULL matches any), or NULL. */
const results_row *results_find(const results *r, const char *workload,
                                const char *case_name, const char *table,
                                const char *param, const char *metric);

/* Sets ratio = value / the smallest value among the rows of workload and
 * metric that share case and param (the best table is 1.00). */
void results_set_ratios(results *r, const char *workload, const char *metric);

/* The describing parts, owned by the set: context and settings are
 * objects, tables and cases arrays of objects. */
json_t *results_context(results *r);
json_t *results_settings(results *r);
json_t *results_tables(results *r);
json_t *results_cases(results *r);
/* The case object named name, or NULL. */
json_t *results_case(const results *r, const char *name);
/* The table object named name, or NULL. */
json_t *results_table(const results *r, const char *name);
/* Sets key of obj, marking the set on failure (v may be NULL: a failed
 * constructor). */
void results_jset(results *r, json_t *obj, const char *key, json_t *v);
void results_jpush(results *r, json_t *array, json_t *v);

/* A failed check: kept in the set (and written as "failures"). */
void results_failure(results *r, const char *message);
size_t results_failure_count(const results *r);
const char *results_failure_at(const results *r, size_t i);

/* Fills the context with the machine (date, host, cpu, logical_cpus,
 * caches) and the build (compiler, build_type, flags, git_commit,
 * internbench_version). results_context_build adds only the build part
 * (for the deterministic metrics file). */
void results_context_machine(results *r);
void results_context_build(results *r);

/* ---- files -----------------------------------------------------------------
 */

/* The run JSON (RESULTS_RUN_FORMAT): format, status, failures, context,
 * settings, tables, cases, results. 0, or -1 with err filled. */
int results_write_json(const results *r, const char *path, char *err,
                       size_t err_size);
/* The metrics JSON (RESULTS_METRICS_FORMAT): format, context, cases,
 * metrics (case, table, metric, unit, value, total, count). */
int results_write_metrics_json(const results *r, const char *path, char *err,
                               size_t err_size);
/* The rows as CSV after the context as "# key: value" lines. */
int results_write_csv(const results *r, const char *path, char *err,
                      size_t err_size);
/* Reads a run JSON (v1 or v2) into an empty set. 0, or -1 with "FILE:
 * what is wrong" in err (bad JSON, another format, a malformed row). */
int results_read_json(results *r, const char *path, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
