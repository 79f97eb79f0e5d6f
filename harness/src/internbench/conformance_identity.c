/* conformance_identity.c: the identity and growth aspects
 * (conformance.h): one handle per distinct key, and handles that stay
 * where they are through the table's growths. */
#include <stdlib.h>
#include <string.h>

#include "conformance_suite.h"

/* What an identity run holds: the handle of each group of equal keys and
 * the first key of each group. Invariant: handle[g] is NULL until the
 * first key of group g went in, then first[g] is that key's index. */
typedef struct conf_idrun {
    const conf_keys *k;
    const char *hash;
    const intern_str **handle;
    size_t *first;
    uint64_t payload;
} conf_idrun;

/* Key i into t: new (and absent before) the first time its group comes,
 * found with the group's handle after, the handle holding its bytes and a
 * terminating NUL. Returns false on a failed check. */
static bool conf_identity_key(conf_ctx *c, intern_table *t, conf_idrun *x,
                              size_t i) {
    const intern_ops *ops = c->ops;
    const char *key = keys_set_key(&x->k->ks, i);
    size_t len = x->k->ks.len[i], g = x->k->group[i];
    const intern_str *found = ops->find(t, key, len);
    const intern_str *out = NULL;
    intern_status st = ops->intern(t, key, len, &out);
    if (!x->handle[g]) {
        if (found || st != INTERN_NEW) {
            conf_fail(c, "%s: key %zu (len %zu) new: find %p status %s",
                      x->hash, i, len, (const void *)found,
                      intern_status_text(st));
            return false;
        }
        x->handle[g] = out;
        x->first[g] = i;
        x->payload += len;
    } else if (st != INTERN_FOUND || out != x->handle[g] ||
               found != x->handle[g]) {
        conf_fail(c, "%s: key %zu (len %zu) again: status %s, handle %s",
                  x->hash, i, len, intern_status_text(st),
                  out == x->handle[g] ? "same" : "different");
        return false;
    }
    const char *differ =
        intern_str_len(out) != len ? "the handle's length differs"
        : memcmp(intern_str_bytes(out), key, len) != 0
            ? "the handle's bytes differ"
        : intern_str_bytes(out)[len] != '\0' ? "no NUL after the handle's bytes"
                                             : NULL;
    if (differ) {
        conf_fail(c, "%s: key %zu (len %zu): %s", x->hash, i, len, differ);
        return false;
    }
    return true;
}

/* The walk in order checked against the groups, which are numbered in
 * the same order. */
typedef struct conf_walk {
    const conf_idrun *x;
    size_t next;
    int bad;
} conf_walk;

static int conf_walk_visit(void *ctx, const intern_str *s) {
    conf_walk *w = ctx;
    const keys_set *ks = &w->x->k->ks;
    if (w->next >= w->x->k->groups) {
        w->bad = 1;
        return 1;
    }
    size_t k = w->x->first[w->next++];
    if (intern_str_len(s) != ks->len[k] ||
        memcmp(intern_str_bytes(s), keys_set_key(ks, k), intern_str_len(s)) !=
            0)
        w->bad = 1;
    return w->bad;
}

/* After every key went in: distinct groups have distinct handles, every
 * handle is still found and holds its bytes, the stats add up, and the
 * ordered walk (where the table has one) is in order. */
static void conf_identity_after(conf_ctx *c, const intern_table *t,
                                const intern_counting_alloc *ca,
                                const conf_idrun *x) {
    const intern_ops *ops = c->ops;
    const keys_set *ks = &x->k->ks;
    size_t groups = x->k->groups;
    const intern_str **sorted = conf_malloc(c, groups * sizeof *sorted);
    if (!sorted)
        return;
    memcpy(sorted, x->handle, groups * sizeof *sorted);
    qsort(sorted, groups, sizeof *sorted, conf_ptr_cmp);
    size_t dup = conf_ptr_dups(sorted, groups);
    conf_check(c, dup == 0, "%s: %zu distinct keys share a handle", x->hash,
               dup);
    free(sorted);
    size_t lost = 0;
    for (size_t g = 0; g < groups; g++) {
        size_t k = x->first[g];
        if (ops->find(t, keys_set_key(ks, k), ks->len[k]) != x->handle[g] ||
            memcmp(intern_str_bytes(x->handle[g]), keys_set_key(ks, k),
                   ks->len[k]) != 0)
            lost++;
    }
    conf_check(c, lost == 0, "%s: %zu handles lost or changed", x->hash, lost);
    conf_check_stats(c, x->hash, t, ca, groups, x->payload);
    if (ops->each) {
        conf_walk w = {x, 0, 0};
        ops->each(t, conf_walk_visit, &w);
        conf_check(c, !w.bad && w.next == groups,
                   "%s: ordered walk differs from the sorted reference",
                   x->hash);
    }
}

/* Identity exactly when the bytes are equal, over the keys of k, in a
 * table hashing with hash. */
static void conf_identity_on(conf_ctx *c, const conf_keys *k,
                             intern_hash_kind hash) {
    intern_counting_alloc ca;
    intern_config cfg;
    conf_config(&cfg, &ca);
    cfg.hash = hash;
    conf_idrun x = {k, intern_hash_name(hash), NULL, NULL, 0};
    x.handle = conf_calloc(c, k->groups, sizeof *x.handle);
    x.first = conf_malloc(c, k->groups * sizeof *x.first);
    intern_table *t = c->nomem ? NULL : conf_create(c, &cfg);
    if (t) {
        size_t bad = 0;
        for (size_t i = 0; i < k->ks.count && bad < 10; i++)
            bad += !conf_identity_key(c, t, &x, i);
        if (conf_check(c, bad == 0, "%s: %zu identity failures%s", x.hash, bad,
                       bad >= 10 ? " (stopped at 10)" : ""))
            conf_identity_after(c, t, &ca, &x);
        conf_destroy(c, t, &ca, x.hash);
    }
    free(x.first);
    free(x.handle);
}

void conf_run_identity(conf_ctx *c) {
    size_t n = c->o->identity_keys ? c->o->identity_keys : 1000000;
    intern_config defaults;
    intern_config_init(&defaults);
    conf_keys k;
    conf_keys_init(&k);
    if (conf_keys_mixed(c, &k, n, 20261122)) {
        conf_note(c, "%zu keys, %zu distinct", k.ks.count, k.groups);
        conf_identity_on(c, &k, defaults.hash);
    }
    conf_keys_free(&k);
    /* every hash, on a smaller set */
    if (!c->nomem && conf_keys_mixed(c, &k, n / 10, 7))
        for (int h = 0; h < INTERN_HASH_COUNT && !c->nomem; h++)
            conf_identity_on(c, &k, (intern_hash_kind)h);
    conf_keys_free(&k);
}

/* Key i of the growth test: 8 bytes of i, then i % 7 filler bytes. */
static size_t conf_growth_key(uint64_t i, unsigned char *buf) {
    for (int b = 0; b < 8; b++)
        buf[b] = (unsigned char)(i >> (8 * b));
    size_t extra = i % 7;
    memset(buf + 8, 'g', extra);
    return 8 + extra;
}

enum { GROWTHS = 20, GROWTH_MAX_KEYS = 12 * 1000 * 1000, TRIE_KEYS = 1 << 21 };

/* Interns growth keys into t, handle[i] for key i, until the table has
 * grown GROWTHS times (a table reporting a capacity) or holds TRIE_KEYS
 * (a trie, capacity 0), at most GROWTH_MAX_KEYS. Returns the key count;
 * *resizes gets the growths seen and *bad the keys that were not new. */
static size_t conf_growth_fill(conf_ctx *c, intern_table *t,
                               const intern_str **handle, uint64_t *resizes,
                               size_t *bad) {
    intern_stats st;
    c->ops->stats(t, &st);
    bool grows = st.capacity != 0;
    unsigned char buf[16];
    size_t n = 0, next_check = 1024;
    *resizes = 0;
    *bad = 0;
    while (n < GROWTH_MAX_KEYS) {
        size_t len = conf_growth_key(n, buf);
        if (c->ops->intern(t, buf, len, &handle[n]) != INTERN_NEW) {
            handle[n] = NULL;
            ++*bad;
        }
        n++;
        if (!grows && n == TRIE_KEYS)
            break;
        /* stats() walks the whole table: look at geometric points */
        if (grows && n == next_check) {
            next_check += next_check / 4 + 1;
            c->ops->stats(t, &st);
            *resizes = st.resizes;
            if (*resizes >= GROWTHS)
                break;
        }
    }
    if (grows)
        conf_check(c, *resizes >= GROWTHS,
                   "only %" PRIu64 " growths in %zu keys", *resizes, n);
    return n;
}

/* Handles stay unmoved and readable across at least 20 growths. */
void conf_run_growth(conf_ctx *c) {
    const intern_str **handle =
        conf_malloc(c, GROWTH_MAX_KEYS * sizeof *handle);
    intern_counting_alloc ca;
    intern_config cfg;
    conf_config(&cfg, &ca);
    intern_table *t = handle ? conf_create(c, &cfg) : NULL;
    if (!t) {
        free(handle);
        return;
    }
    uint64_t resizes;
    size_t bad;
    size_t n = conf_growth_fill(c, t, handle, &resizes, &bad);
    conf_check(c, bad == 0, "%zu keys not new", bad);
    /* the handle from the smallest table, after every growth */
    unsigned char buf[16];
    const intern_str *first = handle[0];
    size_t len0 = conf_growth_key(0, buf);
    conf_check(c, first && c->ops->find(t, buf, len0) == first,
               "the first key's handle moved");
    size_t moved = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = conf_growth_key(i, buf);
        if (!handle[i] || intern_str_len(handle[i]) != len ||
            memcmp(intern_str_bytes(handle[i]), buf, len) != 0 ||
            c->ops->find(t, buf, len) != handle[i])
            moved++;
    }
    conf_check(c, moved == 0, "%zu of %zu handles moved or unreadable", moved,
               n);
    qsort(handle, n, sizeof *handle, conf_ptr_cmp);
    size_t dup = conf_ptr_dups(handle, n);
    conf_check(c, dup == 0, "%zu distinct keys share a handle", dup);
    if (!c->r->failed)
        conf_note(c, "%zu keys, %" PRIu64 " growths, handles stable", n,
                  resizes);
    conf_destroy(c, t, &ca, "after growth");
    free(handle);
}
