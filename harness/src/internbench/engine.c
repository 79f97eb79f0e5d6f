/* engine.c: the passes of one table over one case, checked and timed
 * (engine.h). Only the loop of intern or find calls is timed, never
 * creating, checking or destroying a table. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/engine.h"

const char *engine_pass_name(engine_pass p) {
    static const char *const names[ENGINE_PASS_COUNT] = {
        "build",       "hit",       "hit_shuffled",       "miss",
        "batch_build", "batch_hit", "batch_hit_shuffled", "batch_miss"};
    return p < ENGINE_PASS_COUNT ? names[p] : "?";
}

/* One table on one case while it is measured. Invariant: t, when not
 * NULL, was made by the last build pass and takes every byte through ca;
 * build_sum is the fold of the handles that build returned; out and
 * status, when the batch passes run, hold a result per key. */
typedef struct engine_run {
    const intern_ops *ops;
    const engine_case *c;
    const engine_options *o;
    intern_counting_alloc ca;
    intern_table *t;
    uint64_t build_sum;
    engine_table_result *r;
    const intern_str **out;
    intern_status *status;
} engine_run;

/* What one pass counted. */
typedef struct engine_tally {
    uint64_t sum;    /* the fold of the handles returned */
    uint64_t news;   /* INTERN_NEW results */
    uint64_t found;  /* INTERN_FOUND results, or keys find found */
    uint64_t failed; /* interns that returned an error */
} engine_tally;

static engine_status engine_fail(engine_run *e, engine_status st,
                                 const char *fmt, uint64_t a, uint64_t b) {
    e->r->error.status = st;
    snprintf(e->r->error.message, sizeof e->r->error.message, fmt, a, b);
    return st;
}

/* engine_fail for a pass, which returns ns: -1. */
static double engine_pass_fail(engine_run *e, engine_status st, const char *fmt,
                               uint64_t a, uint64_t b) {
    engine_fail(e, st, fmt, a, b);
    return -1;
}

static vector_str engine_canonical(void *ctx, const void *h, size_t len) {
    (void)ctx;
    (void)len;
    return (vector_str){intern_str_bytes(h), intern_str_len(h)};
}

static intern_table *engine_create(engine_run *e) {
    if (e->t)
        e->ops->destroy(e->t);
    e->t = NULL;
    intern_counting_alloc_init(&e->ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &e->ca.base;
    cfg.seed_fixed = e->o->seed_fixed;
    cfg.seed = e->o->seed;
    e->t = e->ops->create(&cfg);
    return e->t;
}

/* Interns every string in file order into e->t; handles (when not NULL)
 * receives each result. Returns the ns of the loop. */
static double engine_loop_build(engine_run *e, const intern_str **handles,
                                engine_tally *n) {
    const case_data *d = &e->c->d;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s = NULL;
        intern_status st =
            e->ops->intern(e->t, d->bytes + d->offset[i], d->len[i], &s);
        n->news += st == INTERN_NEW;
        n->failed += st < 0;
        n->sum += engine_handle_mix(s);
        if (handles)
            handles[i] = s;
    }
    return measure_now_ns() - t0;
}

/* One hit of a hit pass: counted, and its handle folded. */
static inline void engine_hit_one(engine_run *e, const void *key, size_t len,
                                  engine_tally *n) {
    const intern_str *s = NULL;
    n->found += e->ops->intern(e->t, key, len, &s) == INTERN_FOUND;
    n->sum += engine_handle_mix(s);
}

/* Interns every key of k again, one call each. The shuffled pass reads
 * the same key list as the batch one (addresses and lengths already in
 * shuffled order): going through c->order and the case's offsets instead
 * would add two random reads per key that the batch pass does not pay,
 * and the ratio of the two would measure the harness. */
static double engine_loop_hit(engine_run *e, const struct engine_keys *k,
                              engine_tally *n) {
    size_t count = e->c->d.count;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < count; i++)
        engine_hit_one(e, k->ptr[i], k->len[i], n);
    return measure_now_ns() - t0;
}

/* Interns every string again, in file order. */
static double engine_loop_hit_file(engine_run *e, engine_tally *n) {
    const case_data *d = &e->c->d;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < d->count; i++)
        engine_hit_one(e, d->bytes + d->offset[i], d->len[i], n);
    return measure_now_ns() - t0;
}

static double engine_loop_miss(engine_run *e, engine_tally *n) {
    const case_data *m = &e->c->miss;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < m->count; i++)
        n->found +=
            e->ops->find(e->t, m->bytes + m->offset[i], m->len[i]) != NULL;
    return measure_now_ns() - t0;
}

static void engine_hook(const engine_hooks *h, bool after, engine_pass p,
                        int rep) {
    void (*fn)(void *, engine_pass, int) = after ? h->after : h->before;
    if (fn)
        fn(h->ctx, p, rep);
}

/* intern_many over keys, ENGINE_BATCH at a time; the results are counted
 * after the clock stops, from out and status. */
static double engine_loop_batch(engine_run *e, const struct engine_keys *k,
                                engine_tally *n) {
    size_t count = e->c->d.count, done = 0;
    double t0 = measure_now_ns();
    while (done < count) {
        size_t c = count - done < ENGINE_BATCH ? count - done : ENGINE_BATCH;
        size_t got = intern_many(e->ops, e->t, k->ptr + done, k->len + done, c,
                                 e->out + done, e->status + done);
        done += got;
        if (got < c) {
            n->failed++;
            break;
        }
    }
    double ns = measure_now_ns() - t0;
    for (size_t i = 0; i < done; i++) {
        n->news += e->status[i] == INTERN_NEW;
        n->found += e->status[i] == INTERN_FOUND;
        n->sum += engine_handle_mix(e->out[i]);
    }
    return ns;
}

static double engine_loop_batch_find(engine_run *e, engine_tally *n) {
    const struct engine_keys *k = &e->c->batch[ENGINE_KEYS_MISS];
    size_t count = e->c->miss.count;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < count; i += ENGINE_BATCH)
        n->found += intern_find_many(
            e->ops, e->t, k->ptr + i, k->len + i,
            count - i < ENGINE_BATCH ? count - i : ENGINE_BATCH, e->out + i);
    return measure_now_ns() - t0;
}

static double engine_loop(engine_run *e, engine_pass p, engine_tally *n) {
    const engine_case *c = e->c;
    switch (p) {
    case ENGINE_BUILD:
        return engine_loop_build(e, NULL, n);
    case ENGINE_HIT:
        return engine_loop_hit_file(e, n);
    case ENGINE_HIT_SHUFFLED:
        return engine_loop_hit(e, &c->batch[ENGINE_KEYS_SHUFFLED], n);
    case ENGINE_MISS:
        return engine_loop_miss(e, n);
    case ENGINE_BATCH_MISS:
        return engine_loop_batch_find(e, n);
    default:
        return engine_loop_batch(
            e,
            &c->batch[p == ENGINE_BATCH_HIT_SHUFFLED ? ENGINE_KEYS_SHUFFLED
                                                     : ENGINE_KEYS_FILE],
            n);
    }
}

static bool engine_is_build(engine_pass p) {
    return p == ENGINE_BUILD || p == ENGINE_BATCH_BUILD;
}

/* What a pass of kind p must have counted. */
static engine_status engine_pass_check(engine_run *e, engine_pass p,
                                       const engine_tally *n) {
    const engine_case *c = e->c;
    if (engine_is_build(p) && (n->failed || n->news != c->want.unique))
        return engine_fail(e, ENGINE_ECHECK,
                           "build pass: %" PRIu64 " new, want %" PRIu64,
                           n->news, c->want.unique);
    if ((p == ENGINE_MISS || p == ENGINE_BATCH_MISS) && n->found)
        return engine_fail(e, ENGINE_ECHECK,
                           "miss pass: %" PRIu64 " of %" PRIu64
                           " absent keys found",
                           n->found, (uint64_t)c->miss.count);
    if (!engine_is_build(p) && p != ENGINE_MISS && p != ENGINE_BATCH_MISS &&
        (n->found != c->d.count || n->sum != e->build_sum))
        return engine_fail(e, ENGINE_ECHECK,
                           "hit pass: %" PRIu64 " of %" PRIu64
                           " found, or other handles than the build's",
                           n->found, (uint64_t)c->d.count);
    return ENGINE_OK;
}

/* One pass of kind p (a build into a fresh table), the hooks around its
 * loop; its own counts are checked. Returns the ns of the loop, or -1
 * with e->r->error set. */
static double engine_pass_once(engine_run *e, engine_pass p, int rep) {
    engine_tally n = {0};
    const engine_hooks *h = &e->o->hooks;
    if (engine_is_build(p) && !engine_create(e))
        return engine_pass_fail(e, ENGINE_ENOMEM, "create: out of memory", 0,
                                0);
    engine_hook(h, false, p, rep);
    double ns = engine_loop(e, p, &n);
    engine_hook(h, true, p, rep);
    if (engine_pass_check(e, p, &n) != ENGINE_OK)
        return -1;
    /* the first batch build's handles are held to every check the
     * single calls' build passed */
    if (p == ENGINE_BATCH_BUILD && rep == 0 &&
        engine_check_handles(e->c, (const void *const *)e->out,
                             engine_canonical, NULL, &e->r->error) != ENGINE_OK)
        return -1;
    if (engine_is_build(p))
        e->build_sum = n.sum;
    e->r->checksum[p] = n.sum;
    return ns;
}

/* The build whose handles are checked (rep 0): every handle holds its
 * key, equal keys share one, the set is the expected one, and the stats
 * agree. */
static engine_status engine_checked_build(engine_run *e) {
    const engine_case *c = e->c;
    size_t n = c->d.count;
    const intern_str **handles = malloc((n ? n : 1) * sizeof *handles);
    if (!handles)
        return engine_fail(e, ENGINE_ENOMEM, "out of memory", 0, 0);
    engine_tally t = {0};
    engine_status st = ENGINE_OK;
    if (!engine_create(e)) {
        st = engine_fail(e, ENGINE_ENOMEM, "create: out of memory", 0, 0);
    } else {
        engine_hook(&e->o->hooks, false, ENGINE_BUILD, 0);
        engine_loop_build(e, handles, &t);
        engine_hook(&e->o->hooks, true, ENGINE_BUILD, 0);
    }
    e->build_sum = e->r->checksum[ENGINE_BUILD] = t.sum;
    if (st == ENGINE_OK && t.failed)
        st = engine_fail(e, ENGINE_ECHECK,
                         "build: %" PRIu64 " of %" PRIu64 " interns failed",
                         t.failed, (uint64_t)n);
    if (st == ENGINE_OK)
        st = engine_check_handles(c, (const void *const *)handles,
                                  engine_canonical, NULL, &e->r->error);
    free(handles);
    if (st == ENGINE_OK && t.news != c->want.unique)
        st = engine_fail(e, ENGINE_ECHECK,
                         "new: expected %" PRIu64 ", got %" PRIu64,
                         c->want.unique, t.news);
    e->r->unique = t.news;
    return st;
}

/* Passes of kind p from rep first to o->reps, the timed ones (rep >= 1)
 * into r->time[p]. */
static engine_status engine_timed(engine_run *e, engine_pass p, int first) {
    int reps = e->o->reps;
    uint64_t ops = p == ENGINE_MISS || p == ENGINE_BATCH_MISS ? e->c->miss.count
                                                              : e->c->d.count;
    double *times = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *times);
    if (!times)
        return engine_fail(e, ENGINE_ENOMEM, "out of memory", 0, 0);
    for (int rep = first; rep <= reps; rep++) {
        double ns = engine_pass_once(e, p, rep);
        if (ns < 0) {
            free(times);
            return e->r->error.status;
        }
        if (rep > 0)
            times[rep - 1] = ops ? ns / (double)ops : 0;
    }
    if (reps > 0) {
        measure_sample_set(&e->r->time[p], times, reps);
        e->r->have[p] = true;
    }
    free(times);
    return ENGINE_OK;
}

/* The memory numbers, right after the last build. */
static engine_status engine_after_build(engine_run *e) {
    engine_table_result *r = e->r;
    e->ops->stats(e->t, &r->stats);
    r->alloc_bytes = e->ca.live_bytes;
    r->alloc_peak = e->ca.peak_bytes;
    r->allocations = e->ca.allocations;
    if (r->stats.strings != e->c->want.unique)
        return engine_fail(e, ENGINE_ECHECK,
                           "unique (stats): expected %" PRIu64 ", got %" PRIu64,
                           e->c->want.unique, r->stats.strings);
    if (r->stats.payload_bytes != e->c->want.unique_bytes)
        return engine_fail(e, ENGINE_ECHECK,
                           "unique_bytes (stats): expected %" PRIu64
                           ", got %" PRIu64,
                           e->c->want.unique_bytes, r->stats.payload_bytes);
    if (r->stats.total_bytes != r->alloc_bytes)
        return engine_fail(e, ENGINE_ECHECK,
                           "total_bytes (stats): the allocator holds %" PRIu64
                           ", stats say %" PRIu64,
                           r->alloc_bytes, r->stats.total_bytes);
    return ENGINE_OK;
}

/* The batch passes' result arrays, a slot per key or miss key. */
static engine_status engine_batch_arrays(engine_run *e) {
    const engine_case *c = e->c;
    bool any = false;
    for (int p = ENGINE_BATCH_BUILD; p < ENGINE_PASS_COUNT; p++)
        any |= e->o->pass[p];
    if ((any || e->o->pass[ENGINE_HIT_SHUFFLED]) && !c->batch[0].ptr)
        return engine_fail(e, ENGINE_ECHECK,
                           "the batch and shuffled passes need the case's "
                           "key lists (engine_case_prepare_batch)",
                           0, 0);
    if (!any)
        return ENGINE_OK;
    size_t n = c->d.count > c->miss.count ? c->d.count : c->miss.count;
    e->out = malloc((n ? n : 1) * sizeof *e->out);
    e->status = malloc((n ? n : 1) * sizeof *e->status);
    if (!e->out || !e->status)
        return engine_fail(e, ENGINE_ENOMEM, "out of memory", 0, 0);
    return ENGINE_OK;
}

engine_status engine_measure(const intern_ops *ops, const engine_case *c,
                             const engine_options *o, engine_table_result *r) {
    memset(r, 0, sizeof *r);
    engine_run e = {.ops = ops, .c = c, .o = o, .r = r};
    engine_status st = engine_batch_arrays(&e);
    if (st == ENGINE_OK)
        st = engine_checked_build(&e);
    /* the batch builds before the timed ones, so the table every hit runs
     * on comes from the builds the build row reports */
    if (st == ENGINE_OK && o->pass[ENGINE_BATCH_BUILD])
        st = engine_timed(&e, ENGINE_BATCH_BUILD, 0);
    if (st == ENGINE_OK && o->time_build)
        st = engine_timed(&e, ENGINE_BUILD, 1);
    if (st == ENGINE_OK)
        st = engine_after_build(&e);
    for (int p = ENGINE_HIT; p < ENGINE_PASS_COUNT && st == ENGINE_OK; p++)
        if (o->pass[p] && p != ENGINE_BATCH_BUILD)
            st = engine_timed(&e, (engine_pass)p, 0);
    if (e.t)
        ops->destroy(e.t);
    free(e.out);
    free((void *)e.status);
    if (st == ENGINE_OK && (e.ca.live_bytes || e.ca.live_blocks))
        st = engine_fail(&e, ENGINE_ECHECK,
                         "%" PRIu64 " bytes in %" PRIu64
                         " blocks left after destroy",
                         e.ca.live_bytes, e.ca.live_blocks);
    return st;
}

int engine_repeat(engine_timed_fn fn, void *ctx, int reps, uint64_t ops,
                  measure_sample *out) {
    if (reps < 1)
        reps = 1;
    double *times = malloc((size_t)reps * sizeof *times);
    if (!times)
        return -1;
    int rc = 0;
    for (int rep = 0; rep <= reps && rc == 0; rep++) {
        double ns = fn(ctx, rep);
        if (ns < 0)
            rc = -1;
        else if (rep > 0)
            times[rep - 1] = ops ? ns / (double)ops : 0;
    }
    if (rc == 0)
        measure_sample_set(out, times, reps);
    free(times);
    return rc;
}
