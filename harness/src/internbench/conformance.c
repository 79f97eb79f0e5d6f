/* conformance.c: the conformance suite's driver (conformance.h): the
 * aspects by name, the record of checks, the suite's own memory, and the
 * key sets and tables every aspect uses. The aspects themselves are in
 * conformance_identity.c (identity, growth), conformance_stats.c (stats,
 * bigkey), conformance_faults.c and conformance_batch*.c. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_suite.h"

static const char *const conf_aspect_names[CONFORMANCE_ASPECTS] = {
    "identity", "growth", "stats", "faults", "bigkey", "batch",
};

const char *conformance_aspect_name(conformance_aspect a) {
    return (unsigned)a < CONFORMANCE_ASPECTS ? conf_aspect_names[a] : "?";
}

int conformance_aspect_from_name(const char *name) {
    for (int a = 0; a < CONFORMANCE_ASPECTS; a++)
        if (strcmp(name, conf_aspect_names[a]) == 0)
            return a;
    return -1;
}

static const char *conf_table_name(const intern_ops *ops) {
    return ops->name ? ops->name : "(unnamed table)";
}

/* "ASPECT: TABLE: " then the message of fmt, cut to fit. */
static void conf_message(char *buf, size_t cap, const conf_ctx *c,
                         const char *fmt, va_list ap) {
    int n = snprintf(buf, cap, "%s: %s: ", conformance_aspect_name(c->aspect),
                     conf_table_name(c->ops));
    if (n >= 0 && (size_t)n < cap)
        vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
}

static void conf_vfail(conf_ctx *c, const char *fmt, va_list ap) {
    char line[sizeof c->r->first];
    conf_message(line, sizeof line, c, fmt, ap);
    if (c->r->failed++ == 0)
        memcpy(c->r->first, line, sizeof line);
    if (c->o->log)
        fprintf(c->o->log, "%s\n", line);
}

bool conf_check(conf_ctx *c, bool ok, const char *fmt, ...) {
    if (ok) {
        c->r->passed++;
        return true;
    }
    va_list ap;
    va_start(ap, fmt);
    conf_vfail(c, fmt, ap);
    va_end(ap);
    return false;
}

void conf_fail(conf_ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    conf_vfail(c, fmt, ap);
    va_end(ap);
}

void conf_note(conf_ctx *c, const char *fmt, ...) {
    if (!c->o->notes)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    conf_message(line, sizeof line, c, fmt, ap);
    va_end(ap);
    fprintf(c->o->notes, "%s\n", line);
}

void *conf_malloc(conf_ctx *c, size_t size) {
    void *p = malloc(size ? size : 1);
    c->nomem |= p == NULL;
    return p;
}

void *conf_calloc(conf_ctx *c, size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    c->nomem |= p == NULL;
    return p;
}

/* Checks what the suite calls on every table: the members intern.h
 * requires (the others are optional and skipped where NULL). */
static bool conf_ops_complete(conf_ctx *c) {
    const intern_ops *ops = c->ops;
    return conf_check(c,
                      ops->name && ops->create && ops->intern && ops->find &&
                          ops->stats && ops->destroy,
                      "the ops lack a required member (name, create, intern, "
                      "find, stats, destroy)");
}

int conformance_run(const intern_ops *ops, conformance_aspect a,
                    const conformance_options *o, conformance_result *r) {
    static const conformance_options defaults;
    static void (*const run[CONFORMANCE_ASPECTS])(conf_ctx *) = {
        conf_run_identity, conf_run_growth, conf_run_stats,
        conf_run_faults,   conf_run_bigkey, conf_run_batch,
    };
    memset(r, 0, sizeof *r);
    conf_ctx c = {ops, a, o ? o : &defaults, r, false};
    if ((unsigned)a >= CONFORMANCE_ASPECTS) {
        conf_check(&c, false, "no such aspect (%d)", (int)a);
        return 1;
    }
    if (conf_ops_complete(&c))
        run[a](&c);
    if (c.nomem) {
        snprintf(r->first, sizeof r->first,
                 "%s: %s: out of memory for the suite itself",
                 conformance_aspect_name(a), conf_table_name(ops));
        return -1;
    }
    return r->failed ? 1 : 0;
}

/* ---- key sets -------------------------------------------------------- */

void conf_keys_init(conf_keys *k) {
    keys_set_init(&k->ks);
    k->group = NULL;
    k->groups = 0;
    k->borrowed = false;
}

void conf_keys_free(conf_keys *k) {
    if (!k->borrowed) {
        keys_set_free(&k->ks);
        free(k->group);
    }
    conf_keys_init(k);
}

bool conf_keys_group(conf_ctx *c, conf_keys *k) {
    if (k->ks.failed) {
        c->nomem = true;
        return false;
    }
    k->group = conf_malloc(c, k->ks.count * sizeof *k->group);
    k->groups = k->group ? keys_set_groups(&k->ks, k->group) : SIZE_MAX;
    c->nomem |= k->groups == SIZE_MAX;
    return !c->nomem;
}

/* The mixed sets made so far, the newest in set[(next - 1) % 3]: enough
 * for the identity aspect's two and the stats aspect's. Invariant: a set
 * with n != 0 is grouped and owned here. */
struct conformance_cache {
    struct conf_cached {
        size_t n;
        uint64_t seed;
        conf_keys k;
    } set[3];
    unsigned next;
};

conformance_cache *conformance_cache_new(void) {
    return calloc(1, sizeof(conformance_cache));
}

void conformance_cache_free(conformance_cache *cache) {
    if (!cache)
        return;
    for (size_t i = 0; i < sizeof cache->set / sizeof cache->set[0]; i++)
        conf_keys_free(&cache->set[i].k);
    free(cache);
}

bool conf_keys_mixed(conf_ctx *c, conf_keys *k, size_t n, uint64_t seed) {
    conformance_cache *cache = c->o->cache;
    const size_t sets = cache ? sizeof cache->set / sizeof cache->set[0] : 0;
    for (size_t i = 0; i < sets; i++)
        if (cache->set[i].n == n && cache->set[i].seed == seed) {
            *k = cache->set[i].k;
            k->borrowed = true;
            return true;
        }
    keys_set_mixed(&k->ks, n, seed);
    if (!conf_keys_group(c, k) || !cache)
        return !c->nomem;
    struct conf_cached *e = &cache->set[cache->next++ % sets];
    conf_keys_free(&e->k);
    *e = (struct conf_cached){n, seed, *k};
    k->borrowed = true;
    return true;
}

void conf_add_mixed(keys_set *ks, uint64_t seed, size_t first, size_t stride,
                    size_t repeats) {
    keys_set mixed;
    keys_set_init(&mixed);
    keys_set_mixed(&mixed, 4 * first, seed);
    ks->failed |= mixed.failed;
    keys_rng r = {seed + 6};
    for (size_t i = 0; i < first + repeats && !ks->failed; i++) {
        size_t k =
            (i < first ? i : keys_rng_below(&r, first)) * stride % mixed.count;
        keys_set_add(ks, keys_set_key(&mixed, k), mixed.len[k]);
    }
    keys_set_free(&mixed);
}

void conf_add_big_keys(keys_set *ks, int count, char first) {
    enum { BIG = 300000 };
    char *big = malloc(BIG);
    ks->failed |= big == NULL;
    for (int k = 0; k < count && !ks->failed; k++) {
        memset(big, first + k, BIG);
        keys_set_add(ks, big, BIG);
    }
    free(big);
}

/* ---- tables ---------------------------------------------------------- */

void conf_config(intern_config *cfg, intern_counting_alloc *ca) {
    intern_config_init(cfg);
    intern_counting_alloc_init(ca);
    cfg->alloc = &ca->base;
}

intern_table *conf_create(conf_ctx *c, const intern_config *cfg) {
    errno = 0;
    intern_table *t = c->ops->create(cfg);
    conf_check(c, t != NULL, "create failed (%s hash, errno %d)",
               intern_hash_name(cfg->hash), errno);
    return t;
}

void conf_destroy(conf_ctx *c, intern_table *t, const intern_counting_alloc *ca,
                  const char *what) {
    c->ops->destroy(t);
    conf_check(c, ca->live_bytes == 0 && ca->live_blocks == 0,
               "%s: %" PRIu64 " bytes in %" PRIu64 " blocks left after destroy",
               what, ca->live_bytes, ca->live_blocks);
}

void conf_check_stats(conf_ctx *c, const char *what, const intern_table *t,
                      const intern_counting_alloc *ca, uint64_t strings,
                      uint64_t payload) {
    intern_stats st;
    c->ops->stats(t, &st);
    conf_check(c, st.strings == strings, "%s: strings %" PRIu64 " != %" PRIu64,
               what, st.strings, strings);
    conf_check(c, st.payload_bytes == payload,
               "%s: payload %" PRIu64 " != %" PRIu64, what, st.payload_bytes,
               payload);
    conf_check(
        c,
        st.payload_bytes + st.header_bytes + st.index_bytes + st.slack_bytes ==
            st.total_bytes,
        "%s: categories do not add up to total %" PRIu64, what, st.total_bytes);
    conf_check(c, st.total_bytes == ca->live_bytes,
               "%s: total %" PRIu64 " != allocator live %" PRIu64, what,
               st.total_bytes, ca->live_bytes);
    conf_check(
        c, st.probe_hit_sum >= st.strings && st.probe_hit_max >= 1 - !strings,
        "%s: probe_hit_sum %" PRIu64 " for %" PRIu64 " strings", what,
        st.probe_hit_sum, st.strings);
}

const char *conf_stats_differ(const intern_stats *a, const intern_stats *b,
                              uint64_t *va, uint64_t *vb) {
#define CONF_FIELD(f)                                                          \
    { #f, offsetof(intern_stats, f) }
    static const struct {
        const char *name;
        size_t at;
    } fields[] = {
        CONF_FIELD(strings),        CONF_FIELD(payload_bytes),
        CONF_FIELD(header_bytes),   CONF_FIELD(index_bytes),
        CONF_FIELD(slack_bytes),    CONF_FIELD(total_bytes),
        CONF_FIELD(capacity),       CONF_FIELD(resizes),
        CONF_FIELD(probe_hit_sum),  CONF_FIELD(probe_hit_max),
        CONF_FIELD(probe_miss_sum), CONF_FIELD(probe_miss_samples),
        CONF_FIELD(nodes[0]),       CONF_FIELD(nodes[1]),
        CONF_FIELD(nodes[2]),       CONF_FIELD(nodes[3]),
        CONF_FIELD(depth_sum),      CONF_FIELD(depth_max),
    };
#undef CONF_FIELD
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        memcpy(va, (const char *)a + fields[i].at, sizeof *va);
        memcpy(vb, (const char *)b + fields[i].at, sizeof *vb);
        if (*va != *vb)
            return fields[i].name;
    }
    return memcmp(a, b, sizeof *a) ? "(padding)" : NULL;
}

int conf_ptr_cmp(const void *a, const void *b) {
    uintptr_t x = (uintptr_t) * (const void *const *)a;
    uintptr_t y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

size_t conf_ptr_dups(const intern_str **sorted, size_t n) {
    size_t dup = 0;
    for (size_t i = 1; i < n; i++)
        dup += sorted[i] == sorted[i - 1];
    return dup;
}
