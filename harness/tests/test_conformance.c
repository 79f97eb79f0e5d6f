/* test_conformance.c: the invariants every table keeps, checked through
 * the vtable for every registered table, so a new table gets them for
 * free. Usage: test_conformance ASPECT [KEYS], where ASPECT is identity,
 * growth, stats, faults or bigkey. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "keys.h"

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
    size_t *group = malloc(ks.count * sizeof *group);
    REQUIRE(group);
    size_t groups = keys_set_groups(&ks, group);
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
    group = malloc(ks.count * sizeof *group);
    REQUIRE(group);
    groups = keys_set_groups(&ks, group);
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
    size_t *group = malloc(ks.count * sizeof *group);
    REQUIRE(group);
    size_t groups = keys_set_groups(&ks, group);
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
    keys_set mixed, ks;
    keys_set_init(&mixed);
    keys_set_init(&ks);
    keys_set_mixed(&mixed, 4000, 5);
    keys_rng r = {11};
    for (size_t i = 0; i < 1300; i++) {
        size_t k = i < 1000 ? i : keys_rng_below(&r, 1000);
        keys_set_add(&ks, keys_set_key(&mixed, k), mixed.len[k]);
    }
    keys_set_free(&mixed);
    static char big[300000];
    for (int k = 0; k < 4; k++) {
        memset(big, 'a' + k, sizeof big);
        keys_set_add(&ks, big, sizeof big);
    }
    size_t *group = malloc(ks.count * sizeof *group);
    REQUIRE(group);
    size_t groups = keys_set_groups(&ks, group);
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

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "usage: test_conformance identity|growth|stats|faults|bigkey "
                "[KEYS]\n");
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
    else {
        fprintf(stderr, "test_conformance: unknown aspect '%s'\n", argv[1]);
        return 2;
    }
    return check_exit();
}
