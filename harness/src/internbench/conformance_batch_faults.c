/* conformance_batch_faults.c: the faults half of the batch aspect
 * (conformance.h): the failing allocator at every allocation point a
 * batch reaches, against the loop of single calls on a twin table whose
 * allocator fails alike. */
#include <stdlib.h>
#include <string.h>

#include "conformance_batch.h"

/* What a batch of the fault test expects and gets: out and st from the
 * batch on the pair's table a, want and want_st from the loop of single
 * calls on its twin b, stopping where the loop stops; ha and hb the
 * handles of each group in a and b (NULL until its first key). */
typedef struct conf_fault_run {
    const intern_str **out, **want;
    intern_status *st, *want_st;
    const intern_str **ha, **hb;
} conf_fault_run;

/* Keys from..n of b: in a batch on a, in the loop on b; the checks of a
 * batch stopped part-way (count, the failing status, the rest untouched,
 * the tables alike). Returns the count done and adds to *bad. */
static size_t conf_fault_batch(const intern_ops *ops, conf_pair *p,
                               const conf_batch *b, size_t from,
                               conf_fault_run *r, size_t *bad) {
    size_t n = b->n, want_done = n;
    for (size_t i = from; i < n; i++) {
        r->want_st[i] = ops->intern(p->b, b->ptr[i], b->len[i], &r->want[i]);
        if (r->want_st[i] < 0) {
            want_done = i;
            break;
        }
    }
    conf_untouched_fill(r->out + from, r->st + from, n - from);
    size_t done =
        from + intern_many(ops, p->a, (const void *const *)b->ptr + from,
                           b->len + from, n - from, r->out + from,
                           r->st + from);
    *bad += done != want_done;
    if (done > n) { /* a count past the batch: what follows reads no further */
        ++*bad;
        done = n;
    }
    for (size_t i = from; i < done && i < want_done; i++)
        *bad += conf_batch_compare(b, i, r->st[i], r->out[i], r->want_st[i],
                                   r->want[i], r->ha, r->hb);
    if (done < n)
        *bad += r->st[done] != INTERN_ENOMEM ||
                r->out[done] != CONF_UNTOUCHED ||
                conf_untouched_from(r->out, r->st, done + 1, n) != 0;
    *bad += conf_pair_same(ops, p);
    return done;
}

/* One point: the first pre keys one by one into both tables, then the
 * rest in a batch with the allocators failing at attempt fail_at from
 * there (and every attempt after, with every_after); failed once, the
 * batch goes on from where it stopped. Returns whether the point was
 * reached (the allocator refused an attempt). */
static bool conf_fault_point(conf_ctx *c, const conf_batch *b, size_t groups,
                             size_t pre, conf_fault_run *r, uint64_t fail_at,
                             int every_after, const char *mode) {
    const intern_ops *ops = c->ops;
    conf_pair p;
    if (!conf_pair_create(c, &p))
        return false;
    memset(r->ha, 0, groups * sizeof *r->ha);
    memset(r->hb, 0, groups * sizeof *r->hb);
    size_t bad = 0;
    for (size_t i = 0; i < pre; i++) {
        r->st[i] = ops->intern(p.a, b->ptr[i], b->len[i], &r->out[i]);
        r->want_st[i] = ops->intern(p.b, b->ptr[i], b->len[i], &r->want[i]);
        bad += conf_batch_compare(b, i, r->st[i], r->out[i], r->want_st[i],
                                  r->want[i], r->ha, r->hb);
    }
    p.ca.fail_at = p.ca.attempts + fail_at;
    p.cb.fail_at = p.cb.attempts + fail_at;
    p.ca.fail_every_after = p.cb.fail_every_after = every_after;
    size_t done = conf_fault_batch(ops, &p, b, pre, r, &bad);
    bool failed = p.ca.failures > 0;
    if (failed && !every_after) {
        p.ca.fail_at = p.cb.fail_at = 0;
        done = conf_fault_batch(ops, &p, b, done, r, &bad);
        bad += done != b->n;
    }
    char what[64];
    snprintf(what, sizeof what, "%s: batch, fail at %" PRIu64 "%s", mode,
             fail_at, every_after ? "+" : "");
    conf_check(c, bad == 0, "%s: %zu problems", what, bad);
    conf_pair_destroy(c, &p, what);
    return failed;
}

/* The failing allocator at every allocation point a batch reaches, once
 * (then the batch goes on from where it stopped) and from there on: the
 * count done, INTERN_ENOMEM for the key that failed, the rest untouched,
 * and the table as the loop of single calls left its twin, to the byte. */
static void conf_fault_points(conf_ctx *c, const conf_batch *b, size_t groups,
                              size_t pre, const char *mode) {
    conf_fault_run r;
    r.out = conf_malloc(c, b->n * sizeof *r.out);
    r.want = conf_malloc(c, b->n * sizeof *r.want);
    r.st = conf_malloc(c, b->n * sizeof *r.st);
    r.want_st = conf_malloc(c, b->n * sizeof *r.want_st);
    r.ha = conf_malloc(c, groups * sizeof *r.ha);
    r.hb = conf_malloc(c, groups * sizeof *r.hb);
    uint64_t points = 0;
    for (int every_after = 0; every_after <= 1 && !c->nomem; every_after++)
        for (uint64_t fail_at = 1;; fail_at++) {
            if (!conf_fault_point(c, b, groups, pre, &r, fail_at, every_after,
                                  mode))
                break; /* past the batch's last allocation point */
            points = fail_at > points ? fail_at : points;
        }
    if (!c->nomem) {
        conf_check(c, points > 0, "%s: no allocation point in the batch", mode);
        conf_note(c,
                  "%s: %" PRIu64 " allocation points in a batch, each "
                  "failed",
                  mode, points);
    }
    free(r.out);
    free(r.want);
    free(r.st);
    free(r.want_st);
    free(r.ha);
    free(r.hb);
}

/* On a small set: 400 keys of two mixed sets (the empty key, one-byte
 * keys, NUL bytes, identifiers, ...) with repeats, and two keys big
 * enough for arena chunks of their own, one after each half; the first
 * 50 held before the batch. Every mode. */
void conf_batch_faults(conf_ctx *c) {
    conf_keys k;
    conf_keys_init(&k);
    conf_add_mixed(&k.ks, 77, 150, 7, 50);
    conf_add_big_keys(&k.ks, 1, 'p');
    conf_add_mixed(&k.ks, 78, 150, 13, 50);
    conf_add_big_keys(&k.ks, 1, 'q');
    conf_batch b = {0};
    if (conf_keys_group(c, &k) && conf_batch_make(c, &b, &k))
        for (size_t m = 0; m < conf_batch_mode_count && !c->nomem; m++) {
            intern_batch_tuning_set(conf_batch_modes[m].tuning);
            conf_fault_points(c, &b, k.groups, 50, conf_batch_modes[m].name);
        }
    conf_batch_free(&b);
    conf_keys_free(&k);
}
