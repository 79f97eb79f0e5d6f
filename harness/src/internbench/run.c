/* run.c: executing the plan of `internbench run` (run.h): cases through
 * the engine, rows into the result set. The rows themselves are made in
 * run_rows.c. */
#include "internbench/run.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "run_rows.h"

static const char *const run_names[RUN_WORKLOADS] = {
    "build",       "hit",       "hit_shuffled",       "miss",
    "batch_build", "batch_hit", "batch_hit_shuffled", "batch_miss",
    "memory",      "floor",     "identity",           "policy",
    "smallint"};

/* run_rows_table walks the engine's passes as the first workloads */
_Static_assert(RUN_BUILD == (int)ENGINE_BUILD &&
                   RUN_BATCH_MISS == (int)ENGINE_BATCH_MISS,
               "the run workloads start with the engine's passes");

const size_t run_lengths[] = {1,   4,    8,    16,    32,   64,
                              256, 1024, 4096, 16384, 65536};
const size_t run_length_count = sizeof run_lengths / sizeof run_lengths[0];

const char *run_workload_name(run_workload w) {
    return w < RUN_WORKLOADS ? run_names[w] : "?";
}

int run_workload_from_name(const char *name) {
    for (int w = 0; w < RUN_WORKLOADS; w++)
        if (strcmp(name, run_names[w]) == 0)
            return w;
    return -1;
}

void run_progress(const run_ctx *x, const char *what, int rep, int reps) {
    if (x->p->progress)
        x->p->progress(x->p->ctx, what, rep, reps);
}

void run_failure(run_ctx *x, const char *fmt, const char *a, const char *b,
                 const char *c) {
    char msg[2048];
    snprintf(msg, sizeof msg, fmt, a, b, c);
    results_failure(x->r, msg);
    if (x->p->failure)
        x->p->failure(x->p->ctx, msg);
}

/* The engine's hook before each pass: a progress line. */
static void run_hook(void *ctx, engine_pass pass, int rep) {
    run_ctx *x = ctx;
    char what[512];
    snprintf(what, sizeof what, "%s × %s: %s", x->case_name, x->table_name,
             engine_pass_name(pass));
    run_progress(x, what, rep, x->p->reps);
}

static bool run_any(const run_plan *p, run_workload from, run_workload to) {
    for (int w = from; w <= (int)to; w++)
        if (p->workload[w])
            return true;
    return false;
}

/* Every table on one loaded case. */
static void run_tables(run_ctx *x, const engine_case *c, json_t *verified) {
    const run_plan *p = x->p;
    engine_options o = {.reps = p->reps,
                        .time_build =
                            p->workload[RUN_BUILD] || p->workload[RUN_FLOOR],
                        .hooks = {run_hook, NULL, x}};
    o.pass[ENGINE_HIT] = p->workload[RUN_HIT] || p->workload[RUN_FLOOR];
    o.pass[ENGINE_HIT_SHUFFLED] = p->workload[RUN_HIT_SHUFFLED];
    o.pass[ENGINE_MISS] = p->workload[RUN_MISS];
    for (int k = 0; k < 4; k++)
        o.pass[ENGINE_BATCH_BUILD + k] = p->workload[RUN_BATCH_BUILD + k];
    for (size_t t = 0; t < p->ntables; t++) {
        const intern_ops *ops = p->tables[t]->ops;
        x->table_name = ops->name;
        engine_table_result res;
        engine_status st = engine_measure(ops, c, &o, &res);
        results_jset(x->r, verified, ops->name, json_boolean(st == ENGINE_OK));
        if (st != ENGINE_OK)
            run_failure(x, "case %s, table %s: %s", c->name, ops->name,
                        res.error.message);
        else
            run_rows_table(x, c, ops->name, &res);
    }
    x->table_name = "";
}

static long run_peak_rss_kib(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* One case: loaded, every table measured, the case's own rows. */
static engine_status run_case(run_ctx *x, const engine_case_spec *spec,
                              engine_error *err) {
    engine_case c;
    run_progress(x, spec->name ? spec->name : spec->value, 0, 0);
    engine_status st = engine_case_load(spec, &x->p->dirs, &c, err);
    if (st == ENGINE_OK && (x->p->workload[RUN_HIT_SHUFFLED] ||
                            run_any(x->p, RUN_BATCH_BUILD, RUN_BATCH_MISS)))
        st = engine_case_prepare_batch(&c, err);
    if (st == ENGINE_OK) {
        x->case_name = c.name;
        json_t *obj = run_rows_case(x, &c);
        if (c.vector_note[0])
            run_failure(x, "case %s, vector: %s", c.name, c.vector_note, "");
        json_t *verified = json_object();
        if (run_any(x->p, RUN_BUILD, RUN_FLOOR))
            run_tables(x, &c, verified);
        if (x->p->workload[RUN_FLOOR] && run_rows_floor(x, &c, obj) != 0)
            run_failure(x, "case %s, floor: %s%s", c.name, "out of memory", "");
        if (x->p->workload[RUN_MEMORY])
            run_rows_rss(x, &c, run_peak_rss_kib());
        if (x->p->workload[RUN_POLICY])
            run_rows_policy(x, &c);
        results_jset(x->r, obj, "peak_rss_kib",
                     json_integer(run_peak_rss_kib()));
        results_jset(x->r, obj, "verified", verified);
    }
    engine_case_free(&c);
    return st;
}

static void run_settings(const run_plan *p, results *r) {
    json_t *s = results_settings(r);
    results_jset(r, s, "reps", json_integer(p->reps));
    results_jset(r, s, "warmup", json_integer(1));
    results_jset(r, s, "sweep", p->sweep ? json_string(p->sweep) : json_null());
    results_jset(r, s, "records", json_integer((json_int_t)p->records));
    results_jset(r, s, "keys", json_integer((json_int_t)p->keys));
    json_t *ws = json_array();
    for (int w = 0; w < RUN_WORKLOADS; w++)
        if (p->workload[w])
            results_jpush(r, ws, json_string(run_names[w]));
    results_jset(r, s, "workloads", ws);
    for (size_t t = 0; t < p->ntables; t++) {
        json_t *o = json_object();
        results_jset(r, o, "name", json_string(p->tables[t]->ops->name));
        results_jset(r, o, "settings",
                     json_string(p->tables[t]->ops->settings));
        results_jpush(r, results_tables(r), o);
    }
}

engine_status run_execute(const run_plan *p, results *r, engine_error *err) {
    run_ctx x = {.p = p, .r = r, .case_name = "", .table_name = ""};
    run_settings(p, r);
    engine_status st = ENGINE_OK;
    bool per_case = run_any(p, RUN_BUILD, RUN_FLOOR) || p->workload[RUN_POLICY];
    for (size_t i = 0; per_case && i < p->ncases && st == ENGINE_OK; i++)
        st = run_case(&x, &p->cases[i], err);
    static const char *const compared[][2] = {
        {"build", "ns_per_string"},
        {"hit", "ns_per_op"},
        {"hit_shuffled", "ns_per_op"},
        {"miss", "ns_per_op"},
        {"batch_build", "ns_per_string"},
        {"batch_hit", "ns_per_op"},
        {"batch_hit_shuffled", "ns_per_op"},
        {"batch_miss", "ns_per_op"},
        {"memory", "total_bytes"}};
    for (size_t k = 0; k < sizeof compared / sizeof compared[0]; k++)
        results_set_ratios(r, compared[k][0], compared[k][1]);
    if (st == ENGINE_OK && p->workload[RUN_IDENTITY])
        run_rows_identity(&x);
    if (st == ENGINE_OK && p->workload[RUN_SMALLINT])
        run_rows_smallint(&x);
    if (st == ENGINE_OK && !results_ok(r)) {
        err->status = st = ENGINE_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return st;
}
