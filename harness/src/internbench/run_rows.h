/* run_rows.h: how `internbench run` turns what it measured into result
 * rows (internal to the harness; the rows are listed in run.h). */
#ifndef INTERNBENCH_RUN_ROWS_H
#define INTERNBENCH_RUN_ROWS_H

#include "internbench/run.h"

/* The run in progress: its plan, the set it fills, and what it is on. */
typedef struct run_ctx {
    const run_plan *p;
    results *r;
    const char *case_name;
    const char *table_name;
} run_ctx;

void run_progress(const run_ctx *x, const char *what, int rep, int reps);
/* Records a failed check (fmt takes three strings). */
void run_failure(run_ctx *x, const char *fmt, const char *a, const char *b,
                 const char *c);

/* The case's description in the set's cases; returns it. */
json_t *run_rows_case(run_ctx *x, const engine_case *c);
/* build, hit, hit_shuffled, miss and memory rows of one table. */
void run_rows_table(run_ctx *x, const engine_case *c, const char *table,
                    const engine_table_result *res);
/* The floor of the case and each table's ratio to it; -1 when out of
 * memory. */
int run_rows_floor(run_ctx *x, const engine_case *c, json_t *obj);
void run_rows_rss(run_ctx *x, const engine_case *c, long kib);
void run_rows_policy(run_ctx *x, const engine_case *c);
void run_rows_identity(run_ctx *x);
void run_rows_smallint(run_ctx *x);

#endif
