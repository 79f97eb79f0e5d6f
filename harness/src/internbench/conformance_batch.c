/* conformance_batch.c: the batch aspect (conformance.h): intern_many and
 * intern_find_many, the table's own or the generic loop, against the
 * loop of single calls that defines them, in several batch tunings; the
 * faults in the middle of a batch are in conformance_batch_faults.c. */
#include <stdlib.h>
#include <string.h>

#include "conformance_batch.h"

/* The largest window intern.h allows. */
#define CONF_BATCH_WINDOW_MAX 64

const conf_batch_mode conf_batch_modes[] = {
    {{1, 0}, "window 1"},
    {{3, 0}, "window 3"},
    {{16, 0}, "window 16"},
    {{CONF_BATCH_WINDOW_MAX, 0}, "window 64"},
    {{16, SIZE_MAX}, "no pipeline"},
};
const size_t conf_batch_mode_count =
    sizeof conf_batch_modes / sizeof conf_batch_modes[0];

const char conf_untouched_bytes[2] = {0, 0};

static void conf_batch_push(conf_batch *b, const conf_keys *k, size_t i) {
    b->ptr[b->n] = keys_set_key(&k->ks, i);
    b->len[b->n] = k->ks.len[i];
    b->group[b->n++] = k->group[i];
}

bool conf_batch_make(conf_ctx *c, conf_batch *b, const conf_keys *k) {
    size_t cap = 2 * k->ks.count + 1;
    b->ptr = conf_malloc(c, cap * sizeof *b->ptr);
    b->len = conf_malloc(c, cap * sizeof *b->len);
    b->group = conf_malloc(c, cap * sizeof *b->group);
    b->n = 0;
    if (c->nomem)
        return false;
    for (size_t i = 0; i < k->ks.count; i++) {
        conf_batch_push(b, k, i);
        if (i % 7 == 3)
            conf_batch_push(b, k, i);
        if (i % 11 == 5 && i >= 3)
            conf_batch_push(b, k, i - 3);
        if (i % 13 == 7 && i >= 40)
            conf_batch_push(b, k, i - 40);
        if (i % 17 == 0 && i >= 300)
            conf_batch_push(b, k, i - 300);
    }
    return true;
}

void conf_batch_free(conf_batch *b) {
    free(b->ptr);
    free(b->len);
    free(b->group);
}

bool conf_pair_create(conf_ctx *c, conf_pair *p) {
    intern_config cfg;
    conf_config(&cfg, &p->ca);
    intern_counting_alloc_init(&p->cb);
    cfg.seed_fixed = true;
    cfg.seed = 1414;
    p->a = conf_create(c, &cfg);
    cfg.alloc = &p->cb.base;
    p->b = p->a ? conf_create(c, &cfg) : NULL;
    if (p->b)
        return true;
    if (p->a)
        c->ops->destroy(p->a);
    return false;
}

size_t conf_pair_same(const intern_ops *ops, const conf_pair *p) {
    intern_stats sa, sb;
    ops->stats(p->a, &sa);
    ops->stats(p->b, &sb);
    return (memcmp(&sa, &sb, sizeof sa) != 0) +
           (sa.total_bytes != p->ca.live_bytes);
}

void conf_pair_destroy(conf_ctx *c, conf_pair *p, const char *what) {
    char name[128];
    snprintf(name, sizeof name, "%s, the batch table", what);
    conf_destroy(c, p->a, &p->ca, name);
    snprintf(name, sizeof name, "%s, the single calls' table", what);
    conf_destroy(c, p->b, &p->cb, name);
}

size_t conf_batch_compare(const conf_batch *b, size_t i, intern_status st,
                          const intern_str *out, intern_status want_st,
                          const intern_str *want_out, const intern_str **ha,
                          const intern_str **hb) {
    size_t g = b->group[i], bad = st != want_st;
    if (st < 0)
        return bad;
    if (!ha[g]) {
        ha[g] = out;
        hb[g] = want_out;
        bad += st != INTERN_NEW;
    } else {
        bad += out != ha[g] || want_out != hb[g];
    }
    bad += intern_str_len(out) != b->len[i] ||
           memcmp(intern_str_bytes(out), b->ptr[i], b->len[i]) != 0;
    return bad;
}

void conf_untouched_fill(const intern_str **out, intern_status *st, size_t n) {
    for (size_t i = 0; i < n; i++) {
        out[i] = CONF_UNTOUCHED;
        st[i] = CONF_UNTOUCHED_ST;
    }
}

size_t conf_untouched_from(const intern_str **out, const intern_status *st,
                           size_t from, size_t n) {
    size_t bad = 0;
    for (size_t i = from; i < n; i++)
        bad += out[i] != CONF_UNTOUCHED || (st && st[i] != CONF_UNTOUCHED_ST);
    return bad;
}

/* find_many over every key of b, each also changed in one byte (mostly
 * absent), and one too long: exactly the loop of finds. Returns the
 * differences. */
static size_t conf_batch_finds(conf_ctx *c, const intern_table *t,
                               const conf_batch *b) {
    size_t n = 2 * b->n + 1, bad = 0, want_found = 0;
    const void **ptr = conf_malloc(c, n * sizeof *ptr);
    size_t *len = conf_malloc(c, n * sizeof *len);
    const intern_str **out = conf_malloc(c, n * sizeof *out);
    char *changed = conf_malloc(c, b->n * 8 + 1);
    for (size_t i = 0; i < b->n && !c->nomem; i++) {
        size_t l = b->len[i] < 8 ? b->len[i] : 8;
        memcpy(changed + 8 * i, b->ptr[i], l);
        if (l)
            changed[8 * i + l - 1] ^= 0x20;
        ptr[2 * i] = b->ptr[i];
        len[2 * i] = b->len[i];
        ptr[2 * i + 1] = changed + 8 * i;
        len[2 * i + 1] = l;
    }
    if (!c->nomem) {
        ptr[n - 1] = changed;
        len[n - 1] = (size_t)INTERN_KEY_MAX + 1;
        size_t found =
            intern_find_many(c->ops, t, (const void *const *)ptr, len, n, out);
        for (size_t i = 0; i < n; i++) {
            const intern_str *want = c->ops->find(t, ptr[i], len[i]);
            bad += out[i] != want;
            want_found += want != NULL;
        }
        bad += found != want_found;
    }
    free(ptr);
    free(len);
    free(out);
    free(changed);
    return bad;
}

/* Batches of b on p->a, in varied sizes (1 up to 1000, so that batches
 * start and end at every point of a window; every fourth without
 * status), each key also through the single calls on p->b; out and st
 * get the batch's results. Returns the keys that differ. */
static size_t conf_batch_sizes(conf_ctx *c, conf_pair *p, const conf_batch *b,
                               const intern_str **ha, const intern_str **hb,
                               const intern_str **out, intern_status *st,
                               const char *mode) {
    static const size_t sizes[] = {1, 2, 3, 5, 16, 17, 33, 64, 129, 1000};
    size_t at = 0, k = 0, bad = 0;
    while (at < b->n && bad < 10) {
        size_t n = sizes[k++ % 10];
        n = n < b->n - at ? n : b->n - at;
        intern_status *sp = k % 4 ? st + at : NULL;
        size_t done =
            intern_many(c->ops, p->a, (const void *const *)b->ptr + at,
                        b->len + at, n, out + at, sp);
        conf_check(c, done == n, "%s: batch at %zu did %zu of %zu", mode, at,
                   done, n);
        for (size_t i = at; i < at + n; i++) {
            const intern_str *want = NULL;
            intern_status ws =
                c->ops->intern(p->b, b->ptr[i], b->len[i], &want);
            bad += conf_batch_compare(b, i, sp ? st[i] : ws, out[i], ws, want,
                                      ha, hb);
        }
        at += n;
    }
    return bad;
}

/* The whole of b in batches on a twin table and through the loop of
 * single calls on the other: the same statuses, one handle per group,
 * the same tables after; then hits give the same handles, and find_many
 * is the loop of finds. */
static void conf_batch_equal(conf_ctx *c, const conf_batch *b, size_t groups,
                             const char *mode) {
    const intern_ops *ops = c->ops;
    const intern_str **ha = conf_calloc(c, groups, sizeof *ha);
    const intern_str **hb = conf_calloc(c, groups, sizeof *hb);
    const intern_str **out = conf_malloc(c, b->n * sizeof *out);
    intern_status *st = conf_malloc(c, b->n * sizeof *st);
    conf_pair p;
    if (!c->nomem && conf_pair_create(c, &p)) {
        size_t bad = conf_batch_sizes(c, &p, b, ha, hb, out, st, mode);
        conf_check(c, bad == 0,
                   "%s: %zu keys differ from the loop of single "
                   "calls",
                   mode, bad);
        conf_check(c, conf_pair_same(ops, &p) == 0,
                   "%s: the batch table differs from the loop's", mode);
        /* all present now: a second pass finds every handle again */
        size_t done = intern_many(ops, p.a, (const void *const *)b->ptr, b->len,
                                  b->n, out, st);
        size_t moved = done != b->n;
        for (size_t i = 0; i < b->n && !moved; i++)
            moved += st[i] != INTERN_FOUND || out[i] != ha[b->group[i]];
        conf_check(c, moved == 0, "%s: hits gave other handles", mode);
        conf_check(c, conf_batch_finds(c, p.a, b) == 0,
                   "%s: find_many differs from the loop of finds", mode);
        conf_check(c,
                   intern_many(ops, p.a, NULL, NULL, 0, NULL, NULL) == 0 &&
                       intern_find_many(ops, p.a, NULL, NULL, 0, NULL) == 0,
                   "%s: an empty batch did something", mode);
        conf_pair_destroy(c, &p, mode);
    }
    free(ha);
    free(hb);
    free(out);
    free(st);
}

/* The first keys of b (at most 200) with a key too long at place at: the
 * keys before it done, it refused with INTERN_E2BIG (never read: the
 * pointer is to one byte), everything after it untouched; the same count
 * without status; going on from the next key works. */
static void conf_batch_e2big_on(conf_ctx *c, conf_pair *p, const void **ptr,
                                size_t *len, size_t n, size_t at,
                                const char *mode) {
    const intern_ops *ops = c->ops;
    const intern_str **out = conf_malloc(c, n * sizeof *out);
    intern_status *st = conf_malloc(c, n * sizeof *st);
    if (!c->nomem) {
        conf_untouched_fill(out, st, n);
        size_t done =
            intern_many(ops, p->a, (const void *const *)ptr, len, n, out, st);
        const intern_str *h;
        for (size_t i = 0; i < at; i++)
            ops->intern(p->b, ptr[i], len[i], &h);
        conf_check(c,
                   done == at && st[at] == INTERN_E2BIG &&
                       out[at] == CONF_UNTOUCHED &&
                       conf_untouched_from(out, st, at + 1, n) == 0 &&
                       conf_pair_same(ops, p) == 0,
                   "%s: a key too long at %zu: done %zu, status %d", mode, at,
                   done, (int)st[at]);
        done =
            intern_many(ops, p->a, (const void *const *)ptr, len, n, out, NULL);
        conf_check(c, done == at,
                   "%s: a key too long at %zu, no status: "
                   "done %zu",
                   mode, at, done);
        done = intern_many(ops, p->a, (const void *const *)ptr + at + 1,
                           len + at + 1, n - at - 1, out + at + 1, st + at + 1);
        conf_check(c, done == n - at - 1,
                   "%s: after a key too long at %zu: "
                   "done %zu of %zu",
                   mode, at, done, n - at - 1);
    }
    free(out);
    free(st);
}

static void conf_batch_e2big(conf_ctx *c, const conf_batch *b, size_t at,
                             const char *mode) {
    static const char one = 'x';
    size_t n = b->n < 200 ? b->n : 200;
    if (at >= n)
        return; /* a batch aspect of fewer keys than places */
    const void **ptr = conf_malloc(c, n * sizeof *ptr);
    size_t *len = conf_malloc(c, n * sizeof *len);
    conf_pair p;
    if (!c->nomem && conf_pair_create(c, &p)) {
        memcpy(ptr, b->ptr, n * sizeof *ptr);
        memcpy(len, b->len, n * sizeof *len);
        ptr[at] = &one;
        len[at] = (size_t)INTERN_KEY_MAX + 1;
        conf_batch_e2big_on(c, &p, ptr, len, n, at, mode);
        char what[64];
        snprintf(what, sizeof what, "%s, a key too long at %zu", mode, at);
        conf_pair_destroy(c, &p, what);
    }
    free(ptr);
    free(len);
}

/* Every mode, with a key too long at the first, second, a middle and the
 * last places of a batch (so in every part of the pipeline: its start,
 * its steady run, its drain). */
static void conf_batch_modes_on(conf_ctx *c, const conf_batch *b,
                                size_t groups) {
    static const size_t places[] = {0, 1, 7, 100, 170, 198, 199};
    for (size_t m = 0; m < conf_batch_mode_count && !c->nomem; m++) {
        intern_batch_tuning_set(conf_batch_modes[m].tuning);
        conf_batch_equal(c, b, groups, conf_batch_modes[m].name);
        for (size_t k = 0; k < sizeof places / sizeof places[0]; k++)
            conf_batch_e2big(c, b, places[k], conf_batch_modes[m].name);
    }
}

void conf_run_batch(conf_ctx *c) {
    size_t n = c->o->batch_keys ? c->o->batch_keys : 20000;
    intern_batch_tuning saved = intern_batch_tuning_get();
    conf_keys k;
    conf_keys_init(&k);
    keys_set_mixed(&k.ks, n, 1414);
    conf_add_big_keys(&k.ks, 2, 'b');
    conf_batch b = {0};
    if (conf_keys_group(c, &k) && conf_batch_make(c, &b, &k)) {
        conf_note(c, "%zu keys in batches, %zu distinct, %s", b.n, k.groups,
                  c->ops->intern_many ? "its batch path" : "the generic loop");
        conf_batch_modes_on(c, &b, k.groups);
    }
    conf_batch_free(&b);
    conf_keys_free(&k);
    if (!c->nomem)
        conf_batch_faults(c);
    intern_batch_tuning_set(saved);
}
