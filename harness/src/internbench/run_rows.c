/* run_rows.c: the rows of `internbench run`, workload by workload (the
 * list is in run.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internbench/workloads.h"
#include "run_rows.h"

static json_t *run_int(uint64_t v) {
    return json_integer((json_int_t)v);
}

json_t *run_rows_case(run_ctx *x, const engine_case *c) {
    results *r = x->r;
    json_t *o = json_object();
    char hex[24];
    snprintf(hex, sizeof hex, "%016" PRIx64, c->want.digest);
    results_jset(r, o, "name", json_string(c->name));
    results_jset(r, o, "source", json_string(engine_source_name(c->source)));
    results_jset(r, o, "strings", run_int(c->d.count));
    results_jset(r, o, "unique", run_int(c->ref.unique));
    results_jset(r, o, "unique_bytes", run_int(c->ref.unique_bytes));
    results_jset(r, o, "key_bytes", run_int(c->key_bytes));
    results_jset(r, o, "digest", json_string(hex));
    results_jset(r, o, "expected_from",
                 json_string(c->from_vector ? "vector" : "reference"));
    results_jset(r, o, "miss_keys", run_int(c->miss.count));
    results_jset(r, o, "miss_skipped_present",
                 run_int(c->miss_skipped_present));
    results_jset(r, o, "miss_skipped_empty", run_int(c->miss_skipped_empty));
    results_jset(r, o, "miss_skipped",
                 run_int(c->miss_skipped_present + c->miss_skipped_empty));
    results_jpush(r, results_cases(r), o);
    return o;
}

/* A timed pass's row with its checksum. */
static void run_timed(run_ctx *x, const char *workload, const engine_case *c,
                      const char *table, const char *metric,
                      const engine_table_result *res, engine_pass p,
                      bool checksum) {
    results_row *row = results_sample(x->r, workload, c->name, table, "",
                                      metric, "ns", &res->time[p]);
    if (checksum)
        results_set_checksum(row, res->checksum[p]);
}

static void run_rows_memory(run_ctx *x, const engine_case *c, const char *table,
                            const engine_table_result *res) {
    static const char *const parts[] = {"payload", "header", "index", "slack"};
    const intern_stats *s = &res->stats;
    const uint64_t bytes[] = {s->payload_bytes, s->header_bytes, s->index_bytes,
                              s->slack_bytes};
    double u = res->unique ? (double)res->unique : 1;
    results *r = x->r;
    results_value(r, "memory", c->name, table, "", "total_bytes", "B",
                  (double)res->alloc_bytes);
    results_value(r, "memory", c->name, table, "", "bytes_per_unique", "B",
                  (double)res->alloc_bytes / u);
    results_value(r, "memory", c->name, table, "", "overhead_per_unique", "B",
                  (double)(res->alloc_bytes - s->payload_bytes) / u);
    for (size_t k = 0; k < 4; k++) {
        char metric[40];
        snprintf(metric, sizeof metric, "%s_bytes", parts[k]);
        results_value(r, "memory", c->name, table, "", metric, "B",
                      (double)bytes[k]);
        snprintf(metric, sizeof metric, "%s_per_unique", parts[k]);
        results_value(r, "memory", c->name, table, "", metric, "B",
                      (double)bytes[k] / u);
    }
}

/* A build's rows: ns per string, and the same as rates. */
static void run_rows_build(run_ctx *x, const engine_case *c, const char *table,
                           const engine_table_result *res, engine_pass p) {
    const char *w = engine_pass_name(p);
    run_timed(x, w, c, table, "ns_per_string", res, p, true);
    double secs = res->time[p].median * (double)c->d.count / 1e9;
    results_value(x->r, w, c->name, table, "", "mstrings_per_s", "M/s",
                  secs > 0 ? (double)c->d.count / 1e6 / secs : 0);
    results_value(x->r, w, c->name, table, "", "mb_per_s", "MB/s",
                  secs > 0 ? (double)c->key_bytes / 1e6 / secs : 0);
}

void run_rows_table(run_ctx *x, const engine_case *c, const char *table,
                    const engine_table_result *res) {
    const bool *w = x->p->workload;
    /* the engine's passes in the order of the run workloads that show
     * them: build, hit, hit_shuffled, miss, then the batch ones */
    for (int k = ENGINE_BUILD; k <= ENGINE_BATCH_MISS; k++) {
        if (!w[RUN_BUILD + k] || !res->have[k])
            continue;
        if (k == ENGINE_BUILD || k == ENGINE_BATCH_BUILD)
            run_rows_build(x, c, table, res, k);
        else
            run_timed(x, engine_pass_name(k), c, table, "ns_per_op", res, k,
                      k != ENGINE_MISS && k != ENGINE_BATCH_MISS);
    }
    if (w[RUN_MEMORY])
        run_rows_memory(x, c, table, res);
    /* what the floor needs when its own workloads are not shown */
    if (w[RUN_FLOOR] && !w[RUN_HIT] && res->have[ENGINE_HIT])
        run_timed(x, "floor", c, table, "hit_ns_per_op", res, ENGINE_HIT, true);
}

int run_rows_floor(run_ctx *x, const engine_case *c, json_t *obj) {
    run_progress(x, "floor", 0, 0);
    workload_floor_result fl;
    if (workload_floor(&c->d, c->ref.unique, x->p->reps, &fl) != 0)
        return -1;
    results *r = x->r;
    results_set_checksum(results_sample(r, "floor", c->name, "", "",
                                        "hash_ns_per_string", "ns", &fl.hash),
                         fl.hash_checksum);
    results_set_checksum(results_sample(r, "floor", c->name, "", "",
                                        "access_ns_per_string", "ns",
                                        &fl.access),
                         fl.access_checksum);
    results_jset(r, obj, "floor_slots", run_int(fl.slots));
    for (size_t t = 0; t < x->p->ntables; t++) {
        const char *tn = x->p->tables[t]->ops->name;
        const results_row *hit =
            results_find(r, "hit", c->name, tn, "", "ns_per_op");
        if (!hit)
            hit = results_find(r, "floor", c->name, tn, "", "hit_ns_per_op");
        const results_row *build =
            results_find(r, "build", c->name, tn, "", "ns_per_string");
        if (hit)
            results_value(r, "floor", c->name, tn, "", "hit_over_floor", "x",
                          hit->value / fl.access.median);
        if (build)
            results_value(r, "floor", c->name, tn, "", "build_over_floor", "x",
                          build->value / fl.access.median);
        const results_row *batch =
            results_find(r, "batch_hit", c->name, tn, "", "ns_per_op");
        if (batch)
            results_value(r, "floor", c->name, tn, "", "batch_hit_over_floor",
                          "x", batch->value / fl.access.median);
    }
    return 0;
}

void run_rows_rss(run_ctx *x, const engine_case *c, long kib) {
    results_value(x->r, "memory", c->name, "", "", "peak_rss_kib", "KiB",
                  (double)kib);
}

static void run_policy_row(run_ctx *x, const engine_case *c, const char *param,
                           const workload_policy_result *pr,
                           const workload_policy_result *none) {
    results *r = x->r;
    results_value(r, "policy", c->name, "", param, "objects", "objects",
                  (double)pr->objects);
    results_value(r, "policy", c->name, "", param, "bytes", "B",
                  (double)pr->bytes);
    results_value(r, "policy", c->name, "", param, "objects_pct", "%",
                  none->objects
                      ? 100.0 * (double)pr->objects / (double)none->objects
                      : 0);
    results_value(r, "policy", c->name, "", param, "bytes_pct", "%",
                  none->bytes ? 100.0 * (double)pr->bytes / (double)none->bytes
                              : 0);
}

void run_rows_policy(run_ctx *x, const engine_case *c) {
    workload_policy_result none, pr;
    workload_policy_none(&c->ref, &none);
    run_policy_row(x, c, "none", &none, &none);
    size_t nv;
    const cpython_version *vs = cpython_versions(&nv);
    for (size_t i = 0; i < nv; i++) {
        char param[64];
        snprintf(param, sizeof param, "cpython-%s", vs[i].name);
        workload_policy_cpython(&c->ref, &vs[i], &pr);
        run_policy_row(x, c, param, &pr, &none);
    }
    workload_policy_all(&c->ref, &pr);
    run_policy_row(x, c, "intern-all", &pr, &none);
}
