/* metrics.c: the deterministic metrics of every table x case
 * (metrics.h); the callgrind run is in metrics_callgrind.c. */
#include "internbench/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "metrics_callgrind.h"

/* One row: value = total / count, both kept exact. */
static void metrics_row(results *r, const char *cname, const char *table,
                        const char *metric, const char *unit, uint64_t total,
                        uint64_t count) {
    results_row row = {.workload = "metrics",
                       .case_name = cname,
                       .table = table,
                       .param = "",
                       .metric = metric,
                       .unit = unit,
                       .value = count ? (double)total / (double)count : 0,
                       .has_count = true,
                       .total = total,
                       .count = count};
    results_add(r, &row);
}

static void metrics_rows(results *r, const engine_case *c, const char *table,
                         const engine_table_result *res, const uint64_t *ir,
                         const bool *have) {
    const intern_stats *st = &res->stats;
    metrics_row(r, c->name, table, "bytes_per_string", "B", res->alloc_bytes,
                c->ref.unique);
    metrics_row(r, c->name, table, "allocations", "allocations",
                res->allocations, 1);
    metrics_row(r, c->name, table, "probes_hit", "visits/op", st->probe_hit_sum,
                st->strings);
    if (st->probe_miss_samples)
        metrics_row(r, c->name, table, "probes_miss", "visits/op",
                    st->probe_miss_sum, st->probe_miss_samples);
    static const engine_pass passes[] = {ENGINE_BUILD, ENGINE_HIT, ENGINE_MISS};
    for (size_t k = 0; ir && k < 3; k++) {
        engine_pass p = passes[k];
        char metric[40];
        snprintf(metric, sizeof metric, "instr_%s", engine_pass_name(p));
        if (have[p])
            metrics_row(r, c->name, table, metric, "Ir/op", ir[p],
                        p == ENGINE_MISS ? c->miss.count : c->d.count);
    }
}

static void metrics_case_object(results *r, const engine_case *c) {
    json_t *o = json_object();
    results_jset(r, o, "name", json_string(c->name));
    results_jset(r, o, "strings", json_integer((json_int_t)c->d.count));
    results_jset(r, o, "unique", json_integer((json_int_t)c->ref.unique));
    results_jset(r, o, "miss_keys", json_integer((json_int_t)c->miss.count));
    results_jpush(r, results_cases(r), o);
}

/* Every table on case ci. */
static void metrics_case(const metrics_plan *p, const metrics_ir *ir, size_t ci,
                         const engine_case *c, results *r) {
    metrics_label_ctx label = {ci, 0};
    engine_options o = {.reps = 0, .seed_fixed = true, .seed = METRICS_SEED};
    o.pass[ENGINE_HIT] = o.pass[ENGINE_MISS] = true;
    if (p->under_callgrind) {
        o.hooks = metrics_callgrind_hooks(&label);
        metrics_callgrind_start();
    }
    for (size_t t = 0; t < p->ntables; t++) {
        const intern_ops *ops = p->tables[t]->ops;
        label.ti = t;
        engine_table_result res;
        if (engine_measure(ops, c, &o, &res) != ENGINE_OK) {
            char msg[1200];
            snprintf(msg, sizeof msg, "case %s, table %s: %s", c->name,
                     ops->name, res.error.message);
            results_failure(r, msg);
            if (p->failure)
                p->failure(p->ctx, msg);
            continue;
        }
        size_t at = (ci * p->ntables + t) * ENGINE_PASS_COUNT;
        metrics_rows(r, c, ops->name, &res, ir ? ir->ir + at : NULL,
                     ir ? ir->have + at : NULL);
    }
    if (p->under_callgrind)
        metrics_callgrind_stop();
}

engine_status metrics_collect(const metrics_plan *p, const metrics_ir *ir,
                              results *r, engine_error *err) {
    results_context_build(r);
    char seed[32];
    snprintf(seed, sizeof seed, "0x%016" PRIx64, METRICS_SEED);
    results_jset(r, results_context(r), "seed", json_string(seed));
    results_jset(r, results_context(r), "instructions",
                 json_string(ir ? "callgrind" : "none"));
    engine_status st = ENGINE_OK;
    for (size_t ci = 0; ci < p->ncases && st == ENGINE_OK; ci++) {
        engine_case c;
        st = engine_case_load(&p->cases[ci], &p->dirs, &c, err);
        if (st == ENGINE_OK) {
            metrics_case_object(r, &c);
            metrics_case(p, ir, ci, &c, r);
        }
        engine_case_free(&c);
    }
    if (st == ENGINE_OK && !results_ok(r)) {
        err->status = st = ENGINE_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return st;
}
