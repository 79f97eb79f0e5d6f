/* run_global.c: the workloads of `internbench run` that take no case:
 * identity (compares, break-even, records) and smallint (run.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "internbench/workloads.h"
#include "run_rows.h"

/* identity (c) at one length: one intern (a hit) per table, and the
 * compares that repay it. */
static void run_break_even(run_ctx *x, const char *param, size_t len,
                           double saved) {
    for (size_t t = 0; t < x->p->ntables; t++) {
        const intern_ops *ops = x->p->tables[t]->ops;
        measure_sample is;
        uint64_t sum;
        if (workload_intern_len(ops, len, x->p->reps, &is, &sum) != 0) {
            run_failure(x, "identity intern %s, table %s: %s", param, ops->name,
                        "an intern of a present key failed");
            continue;
        }
        results_set_checksum(results_sample(x->r, "identity", "", ops->name,
                                            param, "intern_ns", "ns", &is),
                             sum);
        double be = saved > 0 ? is.median / saved : INFINITY;
        if (isfinite(be))
            results_value(x->r, "identity", "", ops->name, param,
                          "break_even_compares", "compares", be);
    }
}

/* identity (a) and (c) at every length. */
static void run_compares(run_ctx *x) {
    for (size_t k = 0; k < run_length_count; k++) {
        size_t len = run_lengths[k];
        char param[32];
        snprintf(param, sizeof param, "len=%zu", len);
        run_progress(x, "identity compare", (int)k, (int)run_length_count);
        workload_compare_result cr;
        if (workload_compare(len, x->p->reps, &cr) != 0) {
            run_failure(x, "identity compare %s: %s%s", param,
                        "a compare of equal strings failed", "");
            continue;
        }
        results_set_checksum(results_sample(x->r, "identity", "", "", param,
                                            "memcmp_ns", "ns", &cr.memcmp_ns),
                             cr.checksum);
        results_sample(x->r, "identity", "", "", param, "pointer_ns", "ns",
                       &cr.pointer_ns);
        results_value(x->r, "identity", "", "", param, "compare_speedup", "x",
                      cr.memcmp_ns.median / cr.pointer_ns.median);
        run_break_even(x, param, len,
                       cr.memcmp_ns.median - cr.pointer_ns.median);
    }
}

static void run_records_rows(run_ctx *x, const char *table,
                             const workload_records_result *rr) {
    char p[64];
    snprintf(p, sizeof p, "%" PRIu64 "x%" PRIu64, rr->records, rr->keys);
    results *r = x->r;
    const char *w = "identity", *c = "records";
    results_value(r, w, c, table, p, "private_strings", "strings",
                  (double)rr->private_strings);
    results_value(r, w, c, table, p, "private_bytes", "B",
                  (double)rr->private_bytes);
    results_value(r, w, c, table, p, "interned_strings", "strings",
                  (double)rr->interned_strings);
    results_value(r, w, c, table, p, "interned_bytes", "B",
                  (double)rr->interned_bytes);
    results_set_checksum(results_sample(r, w, c, table, p, "private_lookup_ns",
                                        "ns", &rr->private_ns),
                         rr->checksum);
    results_sample(r, w, c, table, p, "interned_lookup_ns", "ns",
                   &rr->interned_ns);
    results_value(r, w, c, table, p, "lookup_speedup", "x",
                  rr->private_ns.median / rr->interned_ns.median);
}

void run_rows_identity(run_ctx *x) {
    run_compares(x);
    for (size_t t = 0; t < x->p->ntables; t++) {
        const intern_ops *ops = x->p->tables[t]->ops;
        run_progress(x, "identity records", (int)t, (int)x->p->ntables);
        workload_records_result rr;
        if (workload_records(ops, x->p->records, x->p->keys, x->p->reps, &rr) !=
            0)
            run_failure(x, "identity records, table %s: %s%s", ops->name,
                        "a lookup failed or memory ran out", "");
        else
            run_records_rows(x, ops->name, &rr);
    }
}

static void run_smallint_rows(run_ctx *x, const char *stream, const char *cache,
                              const workload_int_result *ir, double base) {
    results *r = x->r;
    results_set_checksum(results_sample(r, "smallint", stream, "", cache,
                                        "ns_per_box", "ns", &ir->ns),
                         ir->checksum);
    results_value(r, "smallint", stream, "", cache, "ns_over_no_cache", "x",
                  ir->ns.median / base);
    results_value(r, "smallint", stream, "", cache, "values", "values",
                  (double)ir->values);
    results_value(r, "smallint", stream, "", cache, "allocations", "allocs",
                  (double)ir->allocations);
    results_value(r, "smallint", stream, "", cache, "bytes", "B",
                  (double)ir->bytes);
    results_value(r, "smallint", stream, "", cache, "hit_rate", "fraction",
                  ir->values ? (double)ir->hits / (double)ir->values : 0);
}

void run_rows_smallint(run_ctx *x) {
    static const struct {
        const char *name;
        long min, max;
    } caches[] = {
        {"none", 0, -1}, {"-5..256", -5, 256}, {"-5..1024", -5, 1024}};
    for (int s = 0; s < WORKLOAD_INTS_COUNT; s++) {
        const char *stream = workload_int_stream_name(s);
        double base = NAN;
        for (size_t k = 0; k < 3; k++) {
            run_progress(x, "smallint", s * 3 + (int)k,
                         3 * WORKLOAD_INTS_COUNT);
            workload_int_result ir;
            if (workload_ints(s, 1000000, caches[k].min, caches[k].max,
                              x->p->reps, &ir) != 0) {
                run_failure(x, "smallint %s, cache %s: %s", stream,
                            caches[k].name, "boxing failed or memory ran out");
                continue;
            }
            if (k == 0)
                base = ir.ns.median;
            run_smallint_rows(x, stream, caches[k].name, &ir, base);
        }
    }
}
