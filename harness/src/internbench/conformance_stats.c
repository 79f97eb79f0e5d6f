/* conformance_stats.c: the stats and bigkey aspects (conformance.h):
 * the byte categories against the counting allocator, and keys of
 * 16 MiB and past INTERN_KEY_MAX. */
#include <stdlib.h>
#include <string.h>

#include "conformance_suite.h"

/* The keys of k into t, the stats checked every 9973 keys; *strings and
 * *payload count what went in. False after a failed intern. */
static bool conf_stats_fill(conf_ctx *c, intern_table *t,
                            const intern_counting_alloc *ca, const conf_keys *k,
                            uint64_t *strings, uint64_t *payload) {
    char *seen = conf_calloc(c, k->groups, 1);
    if (!seen)
        return false;
    bool ok = true;
    for (size_t i = 0; i < k->ks.count && ok; i++) {
        const intern_str *out;
        intern_status st =
            c->ops->intern(t, keys_set_key(&k->ks, i), k->ks.len[i], &out);
        ok = st >= 0;
        if (!ok)
            conf_fail(c, "key %zu (len %zu): %s", i, k->ks.len[i],
                      intern_status_text(st));
        if (ok && !seen[k->group[i]]) {
            seen[k->group[i]] = 1;
            ++*strings;
            *payload += k->ks.len[i];
        }
        if (ok && i % 9973 == 0) {
            char what[32];
            snprintf(what, sizeof what, "after key %zu", i);
            conf_check_stats(c, what, t, ca, *strings, *payload);
        }
    }
    free(seen);
    return ok;
}

/* Three keys past the arena's chunk size into t. False after a failed
 * intern. */
static bool conf_stats_large(conf_ctx *c, intern_table *t, uint64_t *strings,
                             uint64_t *payload) {
    enum { LARGE = 3 << 19 };
    char *big = conf_malloc(c, LARGE);
    bool ok = big != NULL;
    for (int k = 0; k < 3 && ok; k++) {
        size_t len = LARGE - (size_t)k * 1000;
        memset(big, 'A' + k, LARGE);
        const intern_str *out;
        intern_status st = c->ops->intern(t, big, len, &out);
        ok = conf_check(c, st == INTERN_NEW, "a key of %zu bytes: %s", len,
                        intern_status_text(st));
        ++*strings;
        *payload += len;
    }
    free(big);
    return ok;
}

/* Stats agree with the counting allocator, after every phase. */
void conf_run_stats(conf_ctx *c) {
    conf_keys k;
    conf_keys_init(&k);
    intern_counting_alloc ca;
    intern_config cfg;
    conf_config(&cfg, &ca);
    cfg.hash = INTERN_HASH_SIPHASH13;
    cfg.capacity_hint = 100;
    intern_table *t = NULL;
    if (conf_keys_mixed(c, &k, 60000, 99))
        t = conf_create(c, &cfg);
    if (t) {
        conf_check_stats(c, "empty", t, &ca, 0, 0);
        uint64_t strings = 0, payload = 0;
        if (conf_stats_fill(c, t, &ca, &k, &strings, &payload) &&
            conf_stats_large(c, t, &strings, &payload)) {
            conf_check_stats(c, "after the large keys", t, &ca, strings,
                             payload);
            intern_stats st;
            c->ops->stats(t, &st);
            conf_note(c,
                      "%" PRIu64 " strings, total %" PRIu64
                      " B = payload %" PRIu64 " + header %" PRIu64
                      " + index %" PRIu64 " + slack %" PRIu64,
                      st.strings, st.total_bytes, st.payload_bytes,
                      st.header_bytes, st.index_bytes, st.slack_bytes);
        }
        conf_destroy(c, t, &ca, "after the stats");
    }
    conf_keys_free(&k);
}

/* The checks of bigkey on t: a 16 MiB key a, its copy b told equal, b
 * changed in its last byte told apart, a prefix of a told apart; keys
 * longer than the interface allows refused. */
static void conf_bigkey_on(conf_ctx *c, intern_table *t,
                           const intern_counting_alloc *ca, const char *a,
                           char *b, size_t big_len) {
    const intern_ops *ops = c->ops;
    const intern_str *ha = NULL, *hb = NULL, *hc = NULL;
    conf_check(c, ops->find(t, a, big_len) == NULL, "found before interned");
    if (!conf_check(c, ops->intern(t, a, big_len, &ha) == INTERN_NEW,
                    "a 16 MiB key not new"))
        return;
    conf_check(c,
               intern_str_len(ha) == big_len &&
                   memcmp(intern_str_bytes(ha), a, big_len) == 0,
               "the 16 MiB handle differs from its key");
    conf_check(c, intern_str_bytes(ha)[big_len] == 0,
               "the 16 MiB handle lacks the NUL after it");
    conf_check(c, ops->intern(t, b, big_len, &hb) == INTERN_FOUND && hb == ha,
               "a copy of the 16 MiB key not found as the same handle");
    b[big_len - 1] ^= 1;
    conf_check(c, ops->find(t, b, big_len) == NULL,
               "a key differing in its last byte found");
    conf_check(c, ops->intern(t, b, big_len, &hc) == INTERN_NEW && hc != ha,
               "a key differing in its last byte not new");
    conf_check(c, ops->intern(t, a, big_len - 1, &hc) == INTERN_NEW && hc != ha,
               "the key less its last byte not new");
    conf_check(c, ops->find(t, a, big_len) == ha, "the first handle lost");
    conf_check_stats(c, "16 MiB keys", t, ca, 3, 3 * (uint64_t)big_len - 1);
    /* too long: refused before a byte is read */
    size_t too_long = (size_t)INTERN_KEY_MAX + 1;
    const intern_str *out = NULL;
    conf_check(c, ops->intern(t, a, too_long, &out) == INTERN_E2BIG && !out,
               "a key over INTERN_KEY_MAX not refused with INTERN_E2BIG");
    conf_check(c, ops->find(t, a, too_long) == NULL,
               "a key over INTERN_KEY_MAX found");
    conf_check_stats(c, "keys too long", t, ca, 3, 3 * (uint64_t)big_len - 1);
}

/* A 16 MiB key, keys differing only in their last byte, and keys longer
 * than the interface allows. */
void conf_run_bigkey(conf_ctx *c) {
    size_t big_len = (size_t)16 << 20;
    char *a = conf_malloc(c, big_len), *b = conf_malloc(c, big_len);
    intern_counting_alloc ca;
    intern_config cfg;
    conf_config(&cfg, &ca);
    intern_table *t = c->nomem ? NULL : conf_create(c, &cfg);
    if (t) {
        for (size_t i = 0; i < big_len; i++)
            a[i] = (char)(i * 131 + (i >> 13));
        memcpy(b, a, big_len);
        conf_bigkey_on(c, t, &ca, a, b, big_len);
        conf_destroy(c, t, &ca, "after the 16 MiB keys");
        if (!c->r->failed)
            conf_note(c, "16 MiB keys interned and told apart");
    }
    free(a);
    free(b);
}
