/* test_conformance.c: the invariants every table keeps, checked through
 * the vtable for every registered table, so a new table gets them for
 * free. Usage: test_conformance ASPECT [KEYS], where ASPECT is identity,
 * growth, stats, faults, bigkey or batch. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "keys.h"
#include "tables/hashed.h"

static intern_table *conf_create(const intern_ops *ops,
                                 intern_counting_alloc *ca,
                                 intern_hash_kind hash, size_t hint) {
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.hash = hash;
    cfg.alloc = &ca->base;
    cfg.capacity_hint = hint;
    intern_table *t = ops->create(&cfg);
    REQUIRE(t != NULL);
    return t;
}

/* The groups of equal keys of ks (keys_set_groups), allocated. */
static size_t *conf_groups(const keys_set *ks, size_t *groups) {
    size_t *group = malloc((ks->count ? ks->count : 1) * sizeof *group);
    REQUIRE(group);
    *groups = keys_set_groups(ks, group);
    return group;
}

/* Adds first keys of a mixed set of about 4 * first (seeded), every
 * stride-th (so that a stride other than 1 reaches past the one-byte keys
 * the set starts with), then repeats copies of them drawn at random. */
static void conf_add_mixed(keys_set *ks, uint64_t seed, size_t first,
                           size_t stride, size_t repeats) {
    keys_set mixed;
    keys_set_init(&mixed);
    keys_set_mixed(&mixed, 4 * first, seed);
    keys_rng r = {seed + 6};
    for (size_t i = 0; i < first + repeats; i++) {
        size_t k =
            (i < first ? i : keys_rng_below(&r, first)) * stride % mixed.count;
        keys_set_add(ks, keys_set_key(&mixed, k), mixed.len[k]);
    }
    keys_set_free(&mixed);
}

/* Adds count keys of 300000 bytes, each one byte repeated (first,
 * first + 1, ...): big enough for arena chunks of their own. */
static void conf_add_big_keys(keys_set *ks, int count, char first) {
    static char big[300000];
    for (int k = 0; k < count; k++) {
        memset(big, first + k, sizeof big);
        keys_set_add(ks, big, sizeof big);
    }
}

/* Checks the stats' byte categories against the allocator and the
 * expected strings and payload. */
static void conf_check_stats(const intern_ops *ops, const intern_table *t,
                             const intern_counting_alloc *ca, uint64_t strings,
                             uint64_t payload) {
    intern_stats st;
    ops->stats(t, &st);
    CHECKF(st.strings == strings, "%s: strings %" PRIu64 " != %" PRIu64,
           ops->name, st.strings, strings);
    CHECKF(st.payload_bytes == payload, "%s: payload %" PRIu64 " != %" PRIu64,
           ops->name, st.payload_bytes, payload);
    CHECKF(st.payload_bytes + st.header_bytes + st.index_bytes +
                   st.slack_bytes ==
               st.total_bytes,
           "%s: categories do not add up to total %" PRIu64, ops->name,
           st.total_bytes);
    CHECKF(st.total_bytes == ca->live_bytes,
           "%s: total %" PRIu64 " != allocator live %" PRIu64, ops->name,
           st.total_bytes, ca->live_bytes);
    CHECKF(st.probe_hit_sum >= st.strings && st.probe_hit_max >= 1 - !strings,
           "%s: probe_hit_sum %" PRIu64 " for %" PRIu64 " strings", ops->name,
           st.probe_hit_sum, st.strings);
}

static int conf_ptr_cmp(const void *a, const void *b) {
    uintptr_t x = (uintptr_t) * (const void *const *)a;
    uintptr_t y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

typedef struct conf_walk {
    const keys_set *ks;
    const size_t *first; /* first key index of each group */
    size_t next;
    size_t groups;
    int bad;
} conf_walk;

static int conf_walk_visit(void *ctx, const intern_str *s) {
    conf_walk *w = ctx;
    if (w->next >= w->groups) {
        w->bad = 1;
        return 1;
    }
    size_t k = w->first[w->next++];
    if (intern_str_len(s) != w->ks->len[k] ||
        memcmp(intern_str_bytes(s), keys_set_key(w->ks, k),
               intern_str_len(s)) != 0)
        w->bad = 1;
    return w->bad;
}

/* Identity exactly when the bytes are equal, over a mixed key set. */
static void conf_identity(const intern_ops *ops, intern_hash_kind hash,
                          const keys_set *ks, const size_t *group,
                          size_t groups) {
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_table *t = conf_create(ops, &ca, hash, 0);
    const intern_str **handle = calloc(groups, sizeof *handle);
    size_t *first = malloc(groups * sizeof *first);
    REQUIRE(handle && first);
    uint64_t payload = 0, bad = 0;
    for (size_t i = 0; i < ks->count && bad < 10; i++) {
        const char *key = keys_set_key(ks, i);
        size_t len = ks->len[i], g = group[i];
        const intern_str *found = ops->find(t, key, len);
        const intern_str *out = NULL;
        intern_status st = ops->intern(t, key, len, &out);
        if (!handle[g]) {
            if (found || st != INTERN_NEW) {
                bad++;
                CHECKF(0, "%s/%s: key %zu (len %zu) new: find %p status %s",
                       ops->name, intern_hash_name(hash), i, len,
                       (const void *)found, intern_status_text(st));
                continue;
            }
            handle[g] = out;
            first[g] = i;
            payload += len;
        } else if (st != INTERN_FOUND || out != handle[g] ||
                   found != handle[g]) {
            bad++;
            CHECKF(0, "%s/%s: key %zu (len %zu) again: status %s, handle %s",
                   ops->name, intern_hash_name(hash), i, len,
                   intern_status_text(st),
                   out == handle[g] ? "same" : "different");
            continue;
        }
        if (intern_str_len(out) != len ||
            memcmp(intern_str_bytes(out), key, len) != 0 ||
            intern_str_bytes(out)[len] != '\0') {
            bad++;
            CHECKF(0, "%s: key %zu: handle bytes differ", ops->name, i);
        }
    }
    CHECKF(bad == 0, "%s/%s: %" PRIu64 " identity failures", ops->name,
           intern_hash_name(hash), bad);
    /* distinct groups, distinct handles */
    const intern_str **sorted = malloc(groups * sizeof *sorted);
    REQUIRE(sorted);
    memcpy(sorted, handle, groups * sizeof *sorted);
    qsort(sorted, groups, sizeof *sorted, conf_ptr_cmp);
    size_t dup = 0;
    for (size_t g = 1; g < groups; g++)
        dup += sorted[g] == sorted[g - 1];
    CHECKF(dup == 0, "%s: %zu distinct keys share a handle", ops->name, dup);
    /* every handle still found, still holding its bytes */
    size_t lost = 0;
    for (size_t g = 0; g < groups; g++) {
        size_t k = first[g];
        if (ops->find(t, keys_set_key(ks, k), ks->len[k]) != handle[g] ||
            memcmp(intern_str_bytes(handle[g]), keys_set_key(ks, k),
                   ks->len[k]) != 0)
            lost++;
    }
    CHECKF(lost == 0, "%s: %zu handles lost or changed", ops->name, lost);
    conf_check_stats(ops, t, &ca, groups, payload);
    if (ops->each) {
        conf_walk w = {ks, first, 0, groups, 0};
        ops->each(t, conf_walk_visit, &w);
        CHECKF(!w.bad && w.next == groups,
               "%s: ordered walk differs from the sorted reference", ops->name);
    }
    ops->destroy(t);
    CHECKF(ca.live_bytes == 0 && ca.live_blocks == 0,
           "%s: %" PRIu64 " bytes in %" PRIu64 " blocks left after destroy",
           ops->name, ca.live_bytes, ca.live_blocks);
    free(sorted);
    free(first);
    free(handle);
}

static void run_identity(size_t n) {
    keys_set ks;
    keys_set_init(&ks);
    keys_set_mixed(&ks, n, 20261122);
    size_t groups;
    size_t *group = conf_groups(&ks, &groups);
    printf("identity: %zu keys, %zu distinct\n", ks.count, groups);
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    for (size_t i = 0; i < count; i++) {
        conf_identity(all[i].ops, INTERN_HASH_XXH3, &ks, group, groups);
        printf("  %s: done\n", all[i].ops->name);
    }
    keys_set_free(&ks);
    free(group);
    /* every hash, on a smaller set */
    keys_set_init(&ks);
    keys_set_mixed(&ks, n / 10, 7);
    group = conf_groups(&ks, &groups);
    for (size_t i = 0; i < count; i++)
        for (int h = 0; h < INTERN_HASH_COUNT; h++)
            conf_identity(all[i].ops, (intern_hash_kind)h, &ks, group, groups);
    keys_set_free(&ks);
    free(group);
}

/* Key i of the growth test: 8 bytes of i, then i % 7 filler bytes. */
static size_t conf_growth_key(uint64_t i, unsigned char *buf) {
    for (int b = 0; b < 8; b++)
        buf[b] = (unsigned char)(i >> (8 * b));
    size_t extra = i % 7;
    memset(buf + 8, 'g', extra);
    return 8 + extra;
}

/* Handles stay unmoved and readable across at least 20 growths. */
static void run_growth(void) {
    enum { GROWTHS = 20, MAX_KEYS = 12 * 1000 * 1000, TRIE_KEYS = 1 << 21 };
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    const intern_str **handle = malloc(MAX_KEYS * sizeof *handle);
    REQUIRE(handle);
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        intern_counting_alloc ca;
        intern_counting_alloc_init(&ca);
        intern_table *t = conf_create(ops, &ca, INTERN_HASH_XXH3, 0);
        intern_stats st;
        ops->stats(t, &st);
        int grows = st.capacity != 0;
        const intern_str *first = NULL;
        unsigned char buf[16];
        size_t n = 0, bad = 0, next_check = 1024;
        uint64_t resizes = 0;
        while (n < MAX_KEYS) {
            size_t len = conf_growth_key(n, buf);
            if (ops->intern(t, buf, len, &handle[n]) != INTERN_NEW)
                bad++;
            if (n == 0)
                first = handle[0];
            n++;
            if (!grows && n == TRIE_KEYS)
                break;
            /* stats() walks the whole table: look at geometric points */
            if (grows && n == next_check) {
                next_check += next_check / 4 + 1;
                ops->stats(t, &st);
                resizes = st.resizes;
                if (resizes >= GROWTHS)
                    break;
            }
        }
        CHECKF(bad == 0, "%s: %zu keys not new", ops->name, bad);
        if (grows)
            CHECKF(resizes >= GROWTHS,
                   "%s: only %" PRIu64 " growths in %zu keys", ops->name,
                   resizes, n);
        CHECK(handle[0] == first);
        size_t moved = 0;
        for (size_t i = 0; i < n; i++) {
            size_t len = conf_growth_key(i, buf);
            if (intern_str_len(handle[i]) != len ||
                memcmp(intern_str_bytes(handle[i]), buf, len) != 0 ||
                ops->find(t, buf, len) != handle[i])
                moved++;
        }
        CHECKF(moved == 0, "%s: %zu of %zu handles moved or unreadable",
               ops->name, moved, n);
        qsort(handle, n, sizeof *handle, conf_ptr_cmp);
        size_t dup = 0;
        for (size_t i = 1; i < n; i++)
            dup += handle[i] == handle[i - 1];
        CHECK(dup == 0);
        printf("growth: %s: %zu keys, %" PRIu64 " growths, handles stable\n",
               ops->name, n, resizes);
        ops->destroy(t);
        CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
    }
    free(handle);
}

/* Stats agree with the counting allocator, after every phase. */
static void run_stats(void) {
    keys_set ks;
    keys_set_init(&ks);
    keys_set_mixed(&ks, 60000, 99);
    size_t groups;
    size_t *group = conf_groups(&ks, &groups);
    char *seen = calloc(groups, 1);
    REQUIRE(seen);
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        intern_counting_alloc ca;
        intern_counting_alloc_init(&ca);
        intern_table *t = conf_create(ops, &ca, INTERN_HASH_SIPHASH13, 100);
        memset(seen, 0, groups);
        conf_check_stats(ops, t, &ca, 0, 0);
        uint64_t strings = 0, payload = 0;
        for (size_t i = 0; i < ks.count; i++) {
            const intern_str *out;
            REQUIRE(ops->intern(t, keys_set_key(&ks, i), ks.len[i], &out) >= 0);
            if (!seen[group[i]]) {
                seen[group[i]] = 1;
                strings++;
                payload += ks.len[i];
            }
            if (i % 9973 == 0)
                conf_check_stats(ops, t, &ca, strings, payload);
        }
        /* large keys past the arena's chunk size */
        static char big[3 << 19];
        for (int k = 0; k < 3; k++) {
            memset(big, 'A' + k, sizeof big);
            const intern_str *out;
            REQUIRE(ops->intern(t, big, sizeof big - (size_t)k * 1000, &out) ==
                    INTERN_NEW);
            strings++;
            payload += sizeof big - (size_t)k * 1000;
        }
        conf_check_stats(ops, t, &ca, strings, payload);
        intern_stats st;
        ops->stats(t, &st);
        printf("stats: %s: %" PRIu64 " strings, total %" PRIu64
               " B = payload %" PRIu64 " + header %" PRIu64 " + index %" PRIu64
               " + slack %" PRIu64 "\n",
               ops->name, st.strings, st.total_bytes, st.payload_bytes,
               st.header_bytes, st.index_bytes, st.slack_bytes);
        ops->destroy(t);
        CHECKF(ca.live_bytes == 0 && ca.live_blocks == 0,
               "%s: leaked %" PRIu64 " bytes", ops->name, ca.live_bytes);
    }
    free(seen);
    free(group);
    keys_set_free(&ks);
}

/* Checks that each of the first n keys of ks is found with the handle
 * recorded for its group (NULL for a key never interned). */
static size_t conf_verify_prefix(const intern_ops *ops, const intern_table *t,
                                 const keys_set *ks, const size_t *group,
                                 const intern_str **handle, size_t n) {
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (ops->find(t, keys_set_key(ks, i), ks->len[i]) != handle[group[i]])
            bad++;
    return bad;
}

/* The failing allocator at every allocation point: INTERN_ENOMEM, the
 * table unchanged and usable, nothing leaked. */
static void run_faults(void) {
    /* 1000 keys of the mixed set, 300 repeats of them, and a few keys big
     * enough for arena chunks of their own: every allocation point of
     * every table is failed in turn, so the set stays small */
    keys_set ks;
    keys_set_init(&ks);
    conf_add_mixed(&ks, 5, 1000, 1, 300);
    conf_add_big_keys(&ks, 4, 'a');
    size_t groups;
    size_t *group = conf_groups(&ks, &groups);
    const intern_str **handle = malloc(groups * sizeof *handle);
    REQUIRE(handle);
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        uint64_t points = 0;
        for (int every_after = 0; every_after <= 1; every_after++) {
            for (uint64_t fail_at = 1;; fail_at++) {
                intern_counting_alloc ca;
                intern_counting_alloc_init(&ca);
                ca.fail_at = fail_at;
                ca.fail_every_after = every_after;
                intern_config cfg;
                intern_config_init(&cfg);
                cfg.alloc = &ca.base;
                cfg.seed_fixed = true;
                cfg.seed = 42;
                errno = 0;
                intern_table *t = ops->create(&cfg);
                if (!t) {
                    CHECKF(errno == ENOMEM && ca.live_bytes == 0,
                           "%s: failed create at %" PRIu64
                           ": errno %d, %" PRIu64 " bytes live",
                           ops->name, fail_at, errno, ca.live_bytes);
                    continue;
                }
                memset(handle, 0, groups * sizeof *handle);
                size_t failed = 0, bad = 0;
                uint64_t strings = 0, payload = 0;
                intern_stats before;
                memset(&before, 0, sizeof before);
                for (size_t i = 0; i < ks.count; i++) {
                    const char *key = keys_set_key(&ks, i);
                    const intern_str *out = NULL;
                    /* what the table holds just before the attempt that
                     * fails (an intern makes at most a few attempts) */
                    if (!failed && ca.attempts + 4 >= fail_at)
                        ops->stats(t, &before);
                    intern_status st = ops->intern(t, key, ks.len[i], &out);
                    if (st == INTERN_ENOMEM) {
                        failed++;
                        /* unchanged: the key absent, everything before it
                         * still held, the counts as they were */
                        if (handle[group[i]] ||
                            ops->find(t, key, ks.len[i]) != NULL)
                            bad++;
                        if (failed == 1 &&
                            conf_verify_prefix(ops, t, &ks, group, handle, i) !=
                                0)
                            bad++;
                        intern_stats s;
                        if (failed == 1) {
                            ops->stats(t, &s);
                            if (s.strings != strings ||
                                s.payload_bytes != payload ||
                                s.total_bytes != ca.live_bytes)
                                bad++;
                            /* as it was, to the byte: no index grown, no
                             * record kept */
                            CHECKF(memcmp(&s, &before, sizeof s) == 0,
                                   "%s: fail_at %" PRIu64
                                   ": the table changed (total %" PRIu64
                                   " -> %" PRIu64 ", index %" PRIu64
                                   " -> %" PRIu64 ")",
                                   ops->name, fail_at, before.total_bytes,
                                   s.total_bytes, before.index_bytes,
                                   s.index_bytes);
                        }
                        if (every_after)
                            continue;
                        /* usable: once memory is back, the key goes in */
                        ca.fail_at = 0;
                        st = ops->intern(t, key, ks.len[i], &out);
                    }
                    if (st == INTERN_NEW) {
                        if (handle[group[i]])
                            bad++;
                        handle[group[i]] = out;
                        strings++;
                        payload += ks.len[i];
                    } else if (st != INTERN_FOUND || out != handle[group[i]]) {
                        bad++;
                    }
                }
                bad += conf_verify_prefix(ops, t, &ks, group, handle, ks.count);
                CHECKF(bad == 0,
                       "%s: fail at %" PRIu64 "%s: %zu inconsistencies",
                       ops->name, fail_at, every_after ? "+" : "", bad);
                conf_check_stats(ops, t, &ca, strings, payload);
                ops->destroy(t);
                CHECKF(ca.live_bytes == 0 && ca.live_blocks == 0,
                       "%s: fail at %" PRIu64 ": %" PRIu64 " bytes leaked",
                       ops->name, fail_at, ca.live_bytes);
                if (ca.attempts < fail_at || (!failed && !every_after))
                    break; /* past the last allocation point */
                points = fail_at > points ? fail_at : points;
            }
        }
        CHECKF(points > 0, "%s: no allocation point was reached", ops->name);
        printf("faults: %s: %" PRIu64 " allocation points, each failed\n",
               ops->name, points);
    }
    free(handle);
    free(group);
    keys_set_free(&ks);
}

/* A 16 MiB key, keys differing only in their last byte, and keys longer
 * than the interface allows. */
static void run_bigkey(void) {
    size_t big_len = (size_t)16 << 20;
    char *a = malloc(big_len), *b = malloc(big_len);
    REQUIRE(a && b);
    for (size_t i = 0; i < big_len; i++)
        a[i] = (char)(i * 131 + (i >> 13));
    memcpy(b, a, big_len);
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        intern_counting_alloc ca;
        intern_counting_alloc_init(&ca);
        intern_table *t = conf_create(ops, &ca, INTERN_HASH_XXH3, 0);
        const intern_str *ha, *hb, *hc;
        b[big_len - 1] = a[big_len - 1];
        CHECK(ops->find(t, a, big_len) == NULL);
        CHECK(ops->intern(t, a, big_len, &ha) == INTERN_NEW);
        CHECK(intern_str_len(ha) == big_len &&
              memcmp(intern_str_bytes(ha), a, big_len) == 0 &&
              intern_str_bytes(ha)[big_len] == 0);
        CHECK(ops->intern(t, b, big_len, &hb) == INTERN_FOUND && hb == ha);
        b[big_len - 1] ^= 1;
        CHECK(ops->find(t, b, big_len) == NULL);
        CHECK(ops->intern(t, b, big_len, &hc) == INTERN_NEW && hc != ha);
        CHECK(ops->intern(t, a, big_len - 1, &hc) == INTERN_NEW && hc != ha);
        CHECK(ops->find(t, a, big_len) == ha);
        conf_check_stats(ops, t, &ca, 3, 3 * (uint64_t)big_len - 1);
        /* too long: refused before a byte is read */
        size_t too_long = (size_t)INTERN_KEY_MAX + 1;
        const intern_str *out = NULL;
        CHECK(ops->intern(t, a, too_long, &out) == INTERN_E2BIG && !out);
        CHECK(ops->find(t, a, too_long) == NULL);
        conf_check_stats(ops, t, &ca, 3, 3 * (uint64_t)big_len - 1);
        ops->destroy(t);
        CHECK(ca.live_bytes == 0);
        printf("bigkey: %s: 16 MiB keys interned and told apart\n", ops->name);
    }
    free(a);
    free(b);
}

/* ---- batch ----------------------------------------------------------- */

/* A batch: keys of a key set by reference, with the repeats a batch path
 * must get right: the same pointer twice in a row, a copy a few keys
 * back (inside any window), 40 back (past a window of 16) and 300 back
 * (past every window). group[i] numbers equal keys alike. */
typedef struct conf_batch {
    const void **ptr;
    size_t *len;
    size_t *group;
    size_t n;
} conf_batch;

static void conf_batch_push(conf_batch *b, const keys_set *ks,
                            const size_t *group, size_t k) {
    b->ptr[b->n] = keys_set_key(ks, k);
    b->len[b->n] = ks->len[k];
    b->group[b->n++] = group[k];
}

static void conf_batch_make(conf_batch *b, const keys_set *ks,
                            const size_t *group) {
    size_t cap = 2 * ks->count + 1;
    b->ptr = malloc(cap * sizeof *b->ptr);
    b->len = malloc(cap * sizeof *b->len);
    b->group = malloc(cap * sizeof *b->group);
    REQUIRE(b->ptr && b->len && b->group);
    b->n = 0;
    for (size_t i = 0; i < ks->count; i++) {
        conf_batch_push(b, ks, group, i);
        if (i % 7 == 3)
            conf_batch_push(b, ks, group, i);
        if (i % 11 == 5 && i >= 3)
            conf_batch_push(b, ks, group, i - 3);
        if (i % 13 == 7 && i >= 40)
            conf_batch_push(b, ks, group, i - 40);
        if (i % 17 == 0 && i >= 300)
            conf_batch_push(b, ks, group, i - 300);
    }
}

static void conf_batch_free(conf_batch *b) {
    free(b->ptr);
    free(b->len);
    free(b->group);
}

/* Two tables alike: a for the batch path, b for the loop of single calls
 * that defines it. */
typedef struct conf_pair {
    intern_counting_alloc ca, cb;
    intern_table *a, *b;
} conf_pair;

static void conf_pair_create(const intern_ops *ops, conf_pair *p) {
    intern_counting_alloc_init(&p->ca);
    intern_counting_alloc_init(&p->cb);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    cfg.seed = 1414;
    cfg.alloc = &p->ca.base;
    p->a = ops->create(&cfg);
    cfg.alloc = &p->cb.base;
    p->b = ops->create(&cfg);
    REQUIRE(p->a && p->b);
}

/* a and b hold the same: equal stats, to the byte and the probe, and
 * what each allocator has live. */
static size_t conf_pair_same(const intern_ops *ops, const conf_pair *p) {
    intern_stats sa, sb;
    ops->stats(p->a, &sa);
    ops->stats(p->b, &sb);
    return (memcmp(&sa, &sb, sizeof sa) != 0) +
           (sa.total_bytes != p->ca.live_bytes);
}

static void conf_pair_destroy(const intern_ops *ops, conf_pair *p) {
    ops->destroy(p->a);
    ops->destroy(p->b);
    CHECKF(p->ca.live_bytes == 0 && p->cb.live_bytes == 0,
           "%s: batch tables leaked", ops->name);
}

/* Keys i of b against the reference: status and handle as the loop of
 * single calls on the twin table gives them, one handle per group. */
static size_t conf_batch_compare(const conf_batch *b, size_t i,
                                 intern_status st, const intern_str *out,
                                 intern_status want_st,
                                 const intern_str *want_out,
                                 const intern_str **ha, const intern_str **hb) {
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

/* find_many over every key of b, each also changed in one byte (mostly
 * absent), and one too long: exactly the loop of finds. */
static size_t conf_batch_finds(const intern_ops *ops, const intern_table *t,
                               const conf_batch *b) {
    size_t n = 2 * b->n + 1, bad = 0, want_found = 0;
    const void **ptr = malloc(n * sizeof *ptr);
    size_t *len = malloc(n * sizeof *len);
    const intern_str **out = malloc(n * sizeof *out);
    char *changed = malloc(b->n * 8 + 1);
    REQUIRE(ptr && len && out && changed);
    for (size_t i = 0; i < b->n; i++) {
        size_t l = b->len[i] < 8 ? b->len[i] : 8;
        memcpy(changed + 8 * i, b->ptr[i], l);
        if (l)
            changed[8 * i + l - 1] ^= 0x20;
        ptr[2 * i] = b->ptr[i];
        len[2 * i] = b->len[i];
        ptr[2 * i + 1] = changed + 8 * i;
        len[2 * i + 1] = l;
    }
    ptr[n - 1] = changed;
    len[n - 1] = (size_t)INTERN_KEY_MAX + 1;
    size_t found =
        intern_find_many(ops, t, (const void *const *)ptr, len, n, out);
    for (size_t i = 0; i < n; i++) {
        const intern_str *want = ops->find(t, ptr[i], len[i]);
        bad += out[i] != want;
        want_found += want != NULL;
    }
    bad += found != want_found;
    free(ptr);
    free(len);
    free(out);
    free(changed);
    return bad;
}
/* The whole of b in batches of varied sizes (1 up to 1000, so batches
 * start and end at every point of a window) on a, and the loop of single
 * calls on b: the same statuses, one handle per group, the same tables
 * after, and find_many as the loop of finds. */
static void conf_batch_equal(const intern_ops *ops, const conf_batch *b,
                             size_t groups, const char *mode) {
    static const size_t sizes[] = {1, 2, 3, 5, 16, 17, 33, 64, 129, 1000};
    conf_pair p;
    conf_pair_create(ops, &p);
    const intern_str **ha = calloc(groups, sizeof *ha);
    const intern_str **hb = calloc(groups, sizeof *hb);
    const intern_str **out = malloc(b->n * sizeof *out);
    intern_status *st = malloc(b->n * sizeof *st);
    REQUIRE(ha && hb && out && st);
    size_t at = 0, k = 0, bad = 0;
    while (at < b->n && bad < 10) {
        size_t c = sizes[k++ % 10];
        c = c < b->n - at ? c : b->n - at;
        /* status is optional: every fourth batch goes without */
        intern_status *sp = k % 4 ? st + at : NULL;
        size_t done = intern_many(ops, p.a, (const void *const *)b->ptr + at,
                                  b->len + at, c, out + at, sp);
        CHECKF(done == c, "%s %s: batch at %zu did %zu of %zu", ops->name, mode,
               at, done, c);
        for (size_t i = at; i < at + c; i++) {
            const intern_str *want = NULL;
            intern_status ws = ops->intern(p.b, b->ptr[i], b->len[i], &want);
            bad += conf_batch_compare(b, i, sp ? st[i] : ws, out[i], ws, want,
                                      ha, hb);
        }
        at += c;
    }
    CHECKF(bad == 0, "%s %s: %zu keys differ from the loop of single calls",
           ops->name, mode, bad);
    CHECKF(conf_pair_same(ops, &p) == 0,
           "%s %s: the batch table differs from the loop's", ops->name, mode);
    /* all present now: a second pass finds every handle again */
    size_t done = intern_many(ops, p.a, (const void *const *)b->ptr, b->len,
                              b->n, out, st);
    size_t moved = done != b->n;
    for (size_t i = 0; i < b->n && !moved; i++)
        moved += st[i] != INTERN_FOUND || out[i] != ha[b->group[i]];
    CHECKF(moved == 0, "%s %s: hits gave other handles", ops->name, mode);
    CHECKF(conf_batch_finds(ops, p.a, b) == 0,
           "%s %s: find_many differs from the loop of finds", ops->name, mode);
    CHECK(intern_many(ops, p.a, NULL, NULL, 0, NULL, NULL) == 0 &&
          intern_find_many(ops, p.a, NULL, NULL, 0, NULL) == 0);
    conf_pair_destroy(ops, &p);
    free(ha);
    free(hb);
    free(out);
    free(st);
}

/* Sentinels for what a batch must leave untouched. */
static const char conf_untouched_bytes[2] = {0, 0};
#define CONF_UNTOUCHED                                                         \
    ((const intern_str *)(const void *)&conf_untouched_bytes[1])
#define CONF_UNTOUCHED_ST ((intern_status)77)

static size_t conf_untouched_from(const intern_str **out, intern_status *st,
                                  size_t from, size_t n) {
    size_t bad = 0;
    for (size_t i = from; i < n; i++)
        bad += out[i] != CONF_UNTOUCHED || (st && st[i] != CONF_UNTOUCHED_ST);
    return bad;
}

static void conf_untouched_fill(const intern_str **out, intern_status *st,
                                size_t n) {
    for (size_t i = 0; i < n; i++) {
        out[i] = CONF_UNTOUCHED;
        st[i] = CONF_UNTOUCHED_ST;
    }
}

/* A key too long in the middle of a batch: the keys before it done, it
 * refused with INTERN_E2BIG (never read: the pointer is to one byte),
 * everything after it untouched; going on from the next key works. */
static void conf_batch_e2big(const intern_ops *ops, const conf_batch *b,
                             size_t at, const char *mode) {
    size_t n = b->n < 200 ? b->n : 200;
    const void **ptr = malloc(n * sizeof *ptr);
    size_t *len = malloc(n * sizeof *len);
    const intern_str **out = malloc(n * sizeof *out);
    intern_status *st = malloc(n * sizeof *st);
    REQUIRE(ptr && len && out && st);
    memcpy(ptr, b->ptr, n * sizeof *ptr);
    memcpy(len, b->len, n * sizeof *len);
    static const char one = 'x';
    ptr[at] = &one;
    len[at] = (size_t)INTERN_KEY_MAX + 1;
    conf_pair p;
    conf_pair_create(ops, &p);
    conf_untouched_fill(out, st, n);
    size_t done =
        intern_many(ops, p.a, (const void *const *)ptr, len, n, out, st);
    const intern_str *h;
    for (size_t i = 0; i < at; i++)
        ops->intern(p.b, ptr[i], len[i], &h);
    CHECKF(done == at && st[at] == INTERN_E2BIG && out[at] == CONF_UNTOUCHED &&
               conf_untouched_from(out, st, at + 1, n) == 0 &&
               conf_pair_same(ops, &p) == 0,
           "%s %s: a key too long at %zu: done %zu, status %d", ops->name, mode,
           at, done, (int)st[at]);
    /* without status: the same count */
    CHECK(intern_many(ops, p.a, (const void *const *)ptr, len, n, out, NULL) ==
          at);
    done = intern_many(ops, p.a, (const void *const *)ptr + at + 1,
                       len + at + 1, n - at - 1, out + at + 1, st + at + 1);
    CHECK(done == n - at - 1);
    conf_pair_destroy(ops, &p);
    free(ptr);
    free(len);
    free(out);
    free(st);
}
/* What a batch of the fault test expects: the loop of single calls on the
 * twin table, stopping where it stops. */
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

/* The failing allocator at every allocation point a batch reaches, once
 * (then the batch goes on from where it stopped) and from there on: the
 * count done, INTERN_ENOMEM for the key that failed, the rest untouched,
 * and the table as the loop of single calls left its twin, to the byte. */
static void conf_batch_faults(const intern_ops *ops, const conf_batch *b,
                              size_t groups, size_t pre, const char *mode) {
    conf_fault_run r;
    r.out = malloc(b->n * sizeof *r.out);
    r.want = malloc(b->n * sizeof *r.want);
    r.st = malloc(b->n * sizeof *r.st);
    r.want_st = malloc(b->n * sizeof *r.want_st);
    r.ha = malloc(groups * sizeof *r.ha);
    r.hb = malloc(groups * sizeof *r.hb);
    REQUIRE(r.out && r.want && r.st && r.want_st && r.ha && r.hb);
    uint64_t points = 0;
    for (int every_after = 0; every_after <= 1; every_after++) {
        for (uint64_t fail_at = 1;; fail_at++) {
            conf_pair p;
            conf_pair_create(ops, &p);
            memset(r.ha, 0, groups * sizeof *r.ha);
            memset(r.hb, 0, groups * sizeof *r.hb);
            size_t bad = 0;
            for (size_t i = 0; i < pre; i++) {
                r.st[i] = ops->intern(p.a, b->ptr[i], b->len[i], &r.out[i]);
                r.want_st[i] =
                    ops->intern(p.b, b->ptr[i], b->len[i], &r.want[i]);
                bad += conf_batch_compare(b, i, r.st[i], r.out[i], r.want_st[i],
                                          r.want[i], r.ha, r.hb);
            }
            p.ca.fail_at = p.ca.attempts + fail_at;
            p.cb.fail_at = p.cb.attempts + fail_at;
            p.ca.fail_every_after = p.cb.fail_every_after = every_after;
            size_t done = conf_fault_batch(ops, &p, b, pre, &r, &bad);
            int failed = p.ca.failures > 0;
            if (failed && !every_after) {
                p.ca.fail_at = p.cb.fail_at = 0;
                done = conf_fault_batch(ops, &p, b, done, &r, &bad);
                bad += done != b->n;
            }
            CHECKF(bad == 0,
                   "%s %s: batch, fail at %" PRIu64 "%s: %zu problems",
                   ops->name, mode, fail_at, every_after ? "+" : "", bad);
            conf_pair_destroy(ops, &p);
            if (!failed)
                break; /* past the batch's last allocation point */
            points = fail_at > points ? fail_at : points;
        }
    }
    CHECKF(points > 0, "%s: no allocation point in the batch", ops->name);
    printf("batch: %s %s: %" PRIu64
           " allocation points in a batch, each failed\n",
           ops->name, mode, points);
    free(r.out);
    free(r.want);
    free(r.st);
    free(r.want_st);
    free(r.ha);
    free(r.hb);
}

/* The modes a batch path runs in: windows from 1 to the largest with the
 * pipeline on at any size (min index 0), and the pipeline off. */
static const struct conf_batch_mode {
    unsigned window;
    size_t min_index;
    const char *name;
} conf_batch_modes[] = {
    {1, 0, "(window 1)"},
    {3, 0, "(window 3)"},
    {16, 0, "(window 16)"},
    {INTERN_BATCH_WINDOW_MAX, 0, "(window 64)"},
    {16, SIZE_MAX, "(no pipeline)"},
};
#define CONF_BATCH_MODES (sizeof conf_batch_modes / sizeof conf_batch_modes[0])

static void conf_batch_mode_set(size_t m) {
    intern_batch_window = conf_batch_modes[m].window;
    intern_batch_min_index = conf_batch_modes[m].min_index;
}

/* The batch aspect: every table's intern_many and find_many (its own, or
 * the generic loop) against the loop of single calls, in every mode, with
 * a key too long at the first, second, a middle and the last places of
 * a batch (so in every part of the pipeline: its start, its steady run,
 * its drain). */
static void run_batch(size_t n) {
    keys_set ks;
    keys_set_init(&ks);
    keys_set_mixed(&ks, n, 1414);
    conf_add_big_keys(&ks, 2, 'b');
    size_t groups;
    size_t *group = conf_groups(&ks, &groups);
    conf_batch b;
    conf_batch_make(&b, &ks, group);
    printf("batch: %zu keys in batches, %zu distinct\n", b.n, groups);
    static const size_t places[] = {0, 1, 7, 100, 170, 198, 199};
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    unsigned saved_window = intern_batch_window;
    size_t saved_min = intern_batch_min_index;
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        for (size_t m = 0; m < CONF_BATCH_MODES; m++) {
            conf_batch_mode_set(m);
            conf_batch_equal(ops, &b, groups, conf_batch_modes[m].name);
            for (size_t k = 0; k < sizeof places / sizeof places[0]; k++)
                conf_batch_e2big(ops, &b, places[k], conf_batch_modes[m].name);
        }
        intern_batch_window = saved_window;
        intern_batch_min_index = saved_min;
        printf("batch: %s: %s\n", ops->name,
               ops->intern_many ? "its batch path" : "the generic loop");
    }
    conf_batch_free(&b);
    free(group);
    keys_set_free(&ks);
}

/* The faults of the batch aspect, on a small set: 400 keys of two mixed
 * sets (the empty key, one-byte keys, NUL bytes, identifiers, ...) with
 * repeats, and two keys big enough for arena chunks of their own, one
 * after each half; the first 50 held before the batch. */
static void run_batch_faults(void) {
    keys_set ks;
    keys_set_init(&ks);
    conf_add_mixed(&ks, 77, 150, 7, 50);
    conf_add_big_keys(&ks, 1, 'p');
    conf_add_mixed(&ks, 78, 150, 13, 50);
    conf_add_big_keys(&ks, 1, 'q');
    size_t groups;
    size_t *group = conf_groups(&ks, &groups);
    conf_batch b;
    conf_batch_make(&b, &ks, group);
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    unsigned saved_window = intern_batch_window;
    size_t saved_min = intern_batch_min_index;
    for (size_t ti = 0; ti < count; ti++) {
        for (size_t m = 0; m < CONF_BATCH_MODES; m++) {
            conf_batch_mode_set(m);
            conf_batch_faults(all[ti].ops, &b, groups, 50,
                              conf_batch_modes[m].name);
        }
    }
    intern_batch_window = saved_window;
    intern_batch_min_index = saved_min;
    conf_batch_free(&b);
    free(group);
    keys_set_free(&ks);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "usage: test_conformance identity|growth|stats|faults|bigkey|"
                "batch [KEYS]\n");
        return 2;
    }
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    REQUIRE(count >= 2);
    for (size_t i = 0; i < count; i++)
        REQUIRE(intern_registry_find(all[i].ops->name) == &all[i]);
    if (strcmp(argv[1], "identity") == 0)
        run_identity(argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000);
    else if (strcmp(argv[1], "growth") == 0)
        run_growth();
    else if (strcmp(argv[1], "stats") == 0)
        run_stats();
    else if (strcmp(argv[1], "faults") == 0)
        run_faults();
    else if (strcmp(argv[1], "bigkey") == 0)
        run_bigkey();
    else if (strcmp(argv[1], "batch") == 0) {
        run_batch(argc > 2 ? strtoul(argv[2], NULL, 10) : 20000);
        run_batch_faults();
    } else {
        fprintf(stderr, "test_conformance: unknown aspect '%s'\n", argv[1]);
        return 2;
    }
    return check_exit();
}
