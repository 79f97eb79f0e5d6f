/* conformance_faults.c: the faults aspect (conformance.h): the counting
 * allocator fails at every allocation point of a table in turn, once and
 * from then on; each failure gives INTERN_ENOMEM and leaves the table as
 * it was, every intern_stats field, and usable; nothing leaks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_suite.h"

/* One run of the aspect: a table whose allocator fails at attempt
 * fail_at (and every attempt after, with every_after), and every key of
 * k into it. Invariant: handle[g] is the handle of group g once a key of
 * it went in (NULL before); strings and payload count those groups;
 * before is the table's stats just before key snapped went in, taken
 * before each key while the failing attempt is near (an intern makes at
 * most a few attempts) and before key snap_at whatever the count. */
typedef struct conf_fault {
    conf_ctx *c;
    const char *set; /* which key set, for the messages */
    char where[96];  /* "SET, fail at N" (N+ with every_after) */
    const conf_keys *k;
    const intern_str **handle;
    intern_counting_alloc ca;
    intern_table *t;
    uint64_t fail_at;
    int every_after;
    size_t snap_at, snapped;
    intern_stats before;
    size_t failed, bad;
    uint64_t strings, payload;
    /* the first failure came at a key with no stats taken just before
     * it: the run is to be made again with snap_at = resnap_at */
    bool resnap;
    size_t resnap_at;
} conf_fault;

/* How many of the first n keys are not found with their group's handle
 * (NULL for a group not interned). */
static size_t conf_fault_lost(const conf_fault *f, size_t n) {
    const keys_set *ks = &f->k->ks;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += f->c->ops->find(f->t, keys_set_key(ks, i), ks->len[i]) !=
               f->handle[f->k->group[i]];
    return bad;
}

/* Key i just failed with INTERN_ENOMEM: the key absent; at the first
 * failure, everything before it still held, the counts as they were and
 * the stats the same to the byte (no index grown, no record kept). */
static void conf_fault_unchanged(conf_fault *f, size_t i) {
    conf_ctx *c = f->c;
    const keys_set *ks = &f->k->ks;
    if (f->handle[f->k->group[i]] ||
        c->ops->find(f->t, keys_set_key(ks, i), ks->len[i]) != NULL)
        f->bad++;
    if (f->failed != 1)
        return;
    f->bad += conf_fault_lost(f, i) != 0;
    intern_stats s;
    c->ops->stats(f->t, &s);
    if (s.strings != f->strings || s.payload_bytes != f->payload ||
        s.total_bytes != f->ca.live_bytes)
        f->bad++;
    if (f->snapped != i) {
        /* more attempts in one intern than the window foresaw */
        f->resnap = f->snap_at == SIZE_MAX;
        f->resnap_at = i;
        if (!f->resnap)
            conf_note(c,
                      "fail at %" PRIu64 ": failed at key %zu on the run "
                      "again: not compared to the byte",
                      f->fail_at, i);
        return;
    }
    uint64_t was, is;
    const char *field = conf_stats_differ(&f->before, &s, &was, &is);
    conf_check(c, field == NULL,
               "%s, key %zu: the table changed: %s %" PRIu64 " -> %" PRIu64,
               f->where, i, field, was, is);
}

/* Key i into the table, through a failure if one comes: once the
 * allocator works again (not with every_after) the key goes in. */
static void conf_fault_key(conf_fault *f, size_t i) {
    const intern_ops *ops = f->c->ops;
    const char *key = keys_set_key(&f->k->ks, i);
    size_t len = f->k->ks.len[i], g = f->k->group[i];
    const intern_str *out = NULL;
    if (!f->failed && (f->ca.attempts + 4 >= f->fail_at || i == f->snap_at)) {
        ops->stats(f->t, &f->before);
        f->snapped = i;
    }
    intern_status st = ops->intern(f->t, key, len, &out);
    if (st == INTERN_ENOMEM) {
        f->failed++;
        conf_fault_unchanged(f, i);
        if (f->every_after)
            return;
        f->ca.fail_at = 0;
        st = ops->intern(f->t, key, len, &out);
    }
    if (st == INTERN_NEW) {
        f->bad += f->handle[g] != NULL;
        f->handle[g] = out;
        f->strings++;
        f->payload += len;
    } else if (st != INTERN_FOUND || out != f->handle[g]) {
        f->bad++;
    }
}

/* Makes the table of f, its allocator failing as f says. NULL when
 * create failed (checked: ENOMEM, nothing held). */
static intern_table *conf_fault_create(conf_fault *f) {
    intern_config cfg;
    conf_config(&cfg, &f->ca);
    f->ca.fail_at = f->fail_at;
    f->ca.fail_every_after = f->every_after;
    cfg.seed_fixed = true;
    cfg.seed = 42;
    errno = 0;
    intern_table *t = f->c->ops->create(&cfg);
    if (!t)
        conf_check(f->c,
                   errno == ENOMEM && f->ca.live_bytes == 0 &&
                       f->ca.failures > 0,
                   "%s: failed create: errno %d, %" PRIu64
                   " bytes live, %" PRIu64 " allocations refused",
                   f->where, errno, f->ca.live_bytes, f->ca.failures);
    return t;
}

/* One run (see conf_fault). Returns whether the allocator's failing
 * point was inside the run, so that the next point is to be tried. */
static bool conf_fault_run(conf_fault *f) {
    conf_ctx *c = f->c;
    snprintf(f->where, sizeof f->where, "%s, fail at %" PRIu64 "%s", f->set,
             f->fail_at, f->every_after ? "+" : "");
    f->t = conf_fault_create(f);
    if (!f->t)
        return f->ca.failures > 0;
    memset(f->handle, 0, f->k->groups * sizeof *f->handle);
    memset(&f->before, 0, sizeof f->before);
    f->snapped = SIZE_MAX;
    for (size_t i = 0; i < f->k->ks.count; i++)
        conf_fault_key(f, i);
    f->bad += conf_fault_lost(f, f->k->ks.count);
    conf_check(c, f->bad == 0, "%s: %zu keys or handles not as they should be",
               f->where, f->bad);
    conf_check_stats(c, f->where, f->t, &f->ca, f->strings, f->payload);
    conf_destroy(c, f->t, &f->ca, f->where);
    return f->ca.attempts >= f->fail_at && (f->failed || f->every_after);
}

/* Every allocation point failed in turn, once and from then on; the
 * number of points reached. */
static uint64_t conf_fault_points(conf_ctx *c, const conf_keys *k,
                                  const intern_str **handle, const char *set) {
    uint64_t points = 0;
    for (int every_after = 0; every_after <= 1; every_after++) {
        for (uint64_t fail_at = 1;; fail_at++) {
            conf_fault f = {.c = c,
                            .set = set,
                            .k = k,
                            .handle = handle,
                            .fail_at = fail_at,
                            .every_after = every_after,
                            .snap_at = SIZE_MAX};
            conf_fault again = f; /* as it is before the run */
            bool more = conf_fault_run(&f);
            if (f.resnap) {
                again.snap_at = f.resnap_at;
                conf_fault_run(&again);
            }
            if (!more)
                break; /* past the last allocation point */
            points = fail_at > points ? fail_at : points;
        }
    }
    return points;
}

/* Every allocation point of the table reached by the keys of k, failed
 * in turn; what names the set in the notes. */
static void conf_fault_set(conf_ctx *c, conf_keys *k, const char *what) {
    const intern_str **handle = NULL;
    if (conf_keys_group(c, k))
        handle = conf_malloc(c, k->groups * sizeof *handle);
    if (handle) {
        uint64_t points = conf_fault_points(c, k, handle, what);
        conf_check(c, points > 0, "%s: no allocation point was reached", what);
        conf_note(c, "%s: %" PRIu64 " allocation points, each failed", what,
                  points);
    }
    free(handle);
}

/* Adds pairs of 1200-byte keys, the two of a pair alike but for their
 * third byte: each key needs an arena chunk of its own (a record over
 * 1 KiB), and many need an index or node allocation too (a growth, a
 * split in a trie), so the allocator is failed in the second of two
 * allocations of one intern, which a set of short keys rarely makes. */
static void conf_add_long_pairs(keys_set *ks, int pairs) {
    char key[1200];
    for (int i = 0; i < pairs; i++) {
        memset(key, 'a' + i % 26, sizeof key);
        key[0] = 'L';
        key[1] = (char)i;
        for (int half = 0; half < 2; half++) {
            key[2] = half ? 'b' : 'a';
            keys_set_add(ks, key, sizeof key);
        }
    }
}

/* Two sets: 1000 keys of the mixed set, 300 repeats of them, and a few
 * keys big enough for arena chunks of their own; then long keys in pairs
 * (conf_add_long_pairs). Every allocation point of the table is failed in
 * turn, so the sets stay small. */
void conf_run_faults(conf_ctx *c) {
    conf_keys k;
    conf_keys_init(&k);
    conf_add_mixed(&k.ks, 5, 1000, 1, 300);
    conf_add_big_keys(&k.ks, 4, 'a');
    conf_fault_set(c, &k, "mixed keys");
    conf_keys_free(&k);
    if (c->nomem)
        return;
    conf_add_long_pairs(&k.ks, 40);
    conf_fault_set(c, &k, "long keys");
    conf_keys_free(&k);
}
