/* test_compact.c: what the compact table promises beyond the conformance
 * suite: both group-match paths find every tag and every empty slot, the
 * 32-bit reference space ends in a clean INTERN_ENOMEM (in a batch too,
 * where the loop of single calls would), the load and the bytes per
 * string stay within their bounds, and a capacity hint holds.
 * Usage: test_compact [match|limit|memory|hint] (default: all). */
#include <string.h>

#include "check.h"
#include "conformance_keys.h"
#include "intern/alloc.h"
#include "internbench/gen.h"
#include "tables/hashed.h"
#include "tables/tables.h"

/* ---- group matching ---- */

static intern_group_mask match_exact(const uint8_t *g, int want_empty,
                                     uint8_t tag) {
    intern_group_mask m = 0;
    for (int i = 0; i < INTERN_GROUP; i++)
        if (want_empty ? g[i] == INTERN_CTRL_EMPTY : g[i] == tag)
            m |= (intern_group_mask)1 << i;
    return m;
}

/* Random groups, rich in the bytes next to the tag (where the SWAR
 * borrow gives false matches): SWAR reports every true match and every
 * empty slot exactly, its false tag matches only above a true one; SSE2,
 * where built, is exact. */
static void test_match(void) {
    keys_rng r = {15};
    uint64_t false_tags = 0;
    for (int round = 0; round < 200000; round++) {
        uint8_t g[INTERN_GROUP];
        uint8_t tag = (uint8_t)keys_rng_below(&r, INTERN_TAG_MASK + 1);
        for (int i = 0; i < INTERN_GROUP; i++) {
            switch (keys_rng_below(&r, 4)) {
            case 0:
                g[i] = INTERN_CTRL_EMPTY;
                break;
            case 1:
                g[i] = tag;
                break;
            case 2:
                g[i] = (uint8_t)(tag ^ (1u << keys_rng_below(&r, 7)));
                break;
            default:
                g[i] = (uint8_t)keys_rng_below(&r, INTERN_TAG_MASK + 1);
            }
        }
        intern_group_mask tags = match_exact(g, 0, tag);
        intern_group_mask empties = match_exact(g, 1, 0);
        intern_group_mask swar = intern_group_swar_tag(g, tag);
        CHECK((swar & tags) == tags);
        intern_group_mask extra = swar & ~tags;
        false_tags += extra != 0;
        /* a false match sits above a true one in the same 8-byte word */
        for (int half = 0; half < 2; half++) {
            intern_group_mask word = (intern_group_mask)0xff << (8 * half);
            if (extra & word)
                CHECK((tags & word) != 0 &&
                      __builtin_ctz(tags & word) < __builtin_ctz(extra & word));
        }
        CHECK(intern_group_swar_empty(g) == empties);
#if defined(__SSE2__)
        CHECK(intern_group_sse2_tag(g, tag) == tags);
        CHECK(intern_group_sse2_empty(g) == empties);
#endif
    }
    printf("match: 200000 groups, %" PRIu64 " with a false SWAR tag match, "
           "path %s\n",
           false_tags, INTERN_GROUP_MATCH_PATH);
}

/* ---- the reference space ---- */

static intern_table *compact_new(intern_counting_alloc *ca, size_t hint) {
    intern_counting_alloc_init(ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca->base;
    cfg.seed_fixed = true;
    cfg.seed = 15;
    cfg.capacity_hint = hint;
    intern_table *t = intern_compact_ops.create(&cfg);
    REQUIRE(t != NULL);
    return t;
}

static size_t limit_key(size_t i, char *buf) {
    return (size_t)snprintf(buf, 32, "ref_%zu_%zu", i, i * 7919 % 1000);
}

/* With its reference space cut to a few pages the table fills up: the
 * insert that needs a page more gets INTERN_ENOMEM and changes nothing,
 * every string held before is found with its handle, and strings that
 * fit the chunk in use still go in. */
static void test_limit(void) {
    enum { PAGES = 6, MAX_KEYS = 100000 };
    const intern_ops *ops = &intern_compact_ops;
    intern_counting_alloc ca;
    intern_table *t = compact_new(&ca, 0);
    intern_compact_limit_pages(t, PAGES);
    static const intern_str *handle[MAX_KEYS];
    char buf[32];
    size_t n = 0;
    intern_status st = INTERN_NEW;
    intern_stats before, after;
    while (n < MAX_KEYS) {
        ops->stats(t, &before);
        size_t len = limit_key(n, buf);
        st = ops->intern(t, buf, len, &handle[n]);
        if (st != INTERN_NEW)
            break;
        n++;
    }
    CHECKF(st == INTERN_ENOMEM, "no INTERN_ENOMEM after %zu strings", n);
    ops->stats(t, &after);
    CHECK(memcmp(&before, &after, sizeof after) == 0);
    CHECK(after.total_bytes == ca.live_bytes);
    size_t len = limit_key(n, buf);
    CHECK(ops->find(t, buf, len) == NULL);
    size_t lost = 0;
    for (size_t i = 0; i < n; i++) {
        const intern_str *out = NULL;
        len = limit_key(i, buf);
        if (ops->find(t, buf, len) != handle[i] ||
            ops->intern(t, buf, len, &out) != INTERN_FOUND || out != handle[i])
            lost++;
    }
    CHECKF(lost == 0, "%zu of %zu strings lost at the limit", lost, n);
    /* a key bigger than a page needs pages of its own: refused too */
    static char big[100000];
    memset(big, 'x', sizeof big);
    const intern_str *out = NULL;
    CHECK(ops->intern(t, big, sizeof big, &out) == INTERN_ENOMEM && !out);
    /* the empty string fits the tail of the chunk in use, if any is left */
    ops->stats(t, &before);
    st = ops->intern(t, "", 0, &out);
    CHECK(st == INTERN_NEW || st == INTERN_ENOMEM);
    printf("limit: %d pages of references: %zu strings, %" PRIu64
           " B of arena, then INTERN_ENOMEM; the empty string: %s\n",
           PAGES, n, before.payload_bytes + before.header_bytes,
           intern_status_text(st));
    ops->destroy(t);
    CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
}

/* The reference space running out inside a batch, in each mode of the
 * batch path (the pipeline at windows 1, 16 and 64 at any size, and the
 * single calls): the batch stops where the loop of single calls stops,
 * with INTERN_ENOMEM, the entries past it untouched and the table equal
 * to the loop's twin; the keys held before the stop are found again,
 * batched, with their handles. Every fifth key repeats the one three
 * back, so a repeat is resolved against keys the same window inserted. */
enum { LB_KEYS = 4000, LB_PAGES = 6 };

static const char lb_untouched_bytes[2] = {0, 0};
#define LB_UNTOUCHED    ((const intern_str *)(const void *)&lb_untouched_bytes[1])
#define LB_UNTOUCHED_ST ((intern_status)77)

typedef struct lb_keys {
    char buf[LB_KEYS][32];
    const void *ptr[LB_KEYS];
    size_t len[LB_KEYS];
    const intern_str *out[LB_KEYS], *again[LB_KEYS];
    intern_status st[LB_KEYS];
} lb_keys;

static void lb_keys_make(lb_keys *k) {
    for (size_t i = 0; i < LB_KEYS; i++) {
        size_t src = i % 5 == 4 ? i - 3 : i;
        k->len[i] = limit_key(src, k->buf[i]);
        k->ptr[i] = k->buf[i];
        k->out[i] = LB_UNTOUCHED;
        k->st[i] = LB_UNTOUCHED_ST;
    }
}

/* One mode: the batch on a, the loop on its twin b; problems found. */
static size_t lb_mode(lb_keys *k) {
    const intern_ops *ops = &intern_compact_ops;
    intern_counting_alloc ca, cb;
    intern_table *a = compact_new(&ca, 0), *b = compact_new(&cb, 0);
    intern_compact_limit_pages(a, LB_PAGES);
    intern_compact_limit_pages(b, LB_PAGES);
    lb_keys_make(k);
    size_t done = intern_many(ops, a, k->ptr, k->len, LB_KEYS, k->out, k->st);
    size_t stop = LB_KEYS, bad = 0;
    for (size_t i = 0; i < LB_KEYS && stop == LB_KEYS; i++) {
        const intern_str *want = NULL;
        intern_status st = ops->intern(b, k->ptr[i], k->len[i], &want);
        if (st < 0)
            stop = i;
        else
            bad += st != k->st[i] ||
                   k->out[i] != ops->find(a, k->ptr[i], k->len[i]);
    }
    CHECKF(stop < LB_KEYS, "the loop never reached the limit");
    bad += done != stop || k->st[stop] != INTERN_ENOMEM ||
           k->out[stop] != LB_UNTOUCHED;
    for (size_t i = stop + 1; i < LB_KEYS; i++)
        bad += k->out[i] != LB_UNTOUCHED || k->st[i] != LB_UNTOUCHED_ST;
    intern_stats sa, sb;
    ops->stats(a, &sa);
    ops->stats(b, &sb);
    bad += memcmp(&sa, &sb, sizeof sa) != 0 || sa.total_bytes != ca.live_bytes;
    bad += intern_many(ops, a, k->ptr, k->len, stop, k->again, NULL) != stop;
    for (size_t i = 0; i < stop; i++)
        bad += k->again[i] != k->out[i];
    ops->destroy(a);
    ops->destroy(b);
    CHECK(ca.live_bytes == 0 && cb.live_bytes == 0);
    return bad;
}

static void test_limit_batch(void) {
    static const struct {
        unsigned window;
        size_t min_index;
    } modes[] = {{1, 0}, {16, 0}, {INTERN_BATCH_WINDOW_MAX, 0}, {16, SIZE_MAX}};
    static lb_keys k;
    unsigned saved_window = intern_batch_window;
    size_t saved_min = intern_batch_min_index;
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        intern_batch_window = modes[m].window;
        intern_batch_min_index = modes[m].min_index;
        size_t bad = lb_mode(&k);
        CHECKF(bad == 0, "window %u, min index %zu: %zu problems",
               modes[m].window, modes[m].min_index, bad);
    }
    intern_batch_window = saved_window;
    intern_batch_min_index = saved_min;
    printf("limit in a batch: stops where the loop stops, in %zu modes\n",
           sizeof modes / sizeof modes[0]);
}

/* ---- load and bytes per string ---- */

typedef struct fill {
    const intern_ops *ops;
    intern_table *t;
    uint64_t strings, payload;
    int bad;
    /* every `every` strings: the load and the bytes, checked */
    uint64_t every;
    double load_min, load_max;
} fill;

static int fill_emit(void *ctx, const void *bytes, size_t len) {
    fill *f = ctx;
    const intern_str *out;
    intern_status st = f->ops->intern(f->t, bytes, len, &out);
    if (st != INTERN_NEW && st != INTERN_FOUND) {
        f->bad = 1;
        return 1;
    }
    if (st == INTERN_NEW) {
        f->strings++;
        f->payload += len;
    }
    if (f->every && f->strings % f->every == 0 && st == INTERN_NEW) {
        intern_stats s;
        f->ops->stats(f->t, &s);
        double load = (double)s.strings / (double)s.capacity;
        f->load_min = load < f->load_min ? load : f->load_min;
        f->load_max = load > f->load_max ? load : f->load_max;
    }
    return 0;
}

static void fill_named(fill *f, const char *name) {
    gen_spec spec;
    REQUIRE(gen_spec_from_name(&spec, name));
    case_error err;
    REQUIRE(gen_run(&spec, fill_emit, f, &err) == CASE_OK);
    REQUIRE(!f->bad);
}

/* 10^5 generated identifiers (3..20 bytes): past the first groups the
 * load stays in (7/16, 7/8]; the record header is 1 byte and the NUL
 * (plus the chunk headers), the index 5 bytes a slot plus a page table
 * and struct of under 0.05 B a string, and the slack at most 1/16 of the
 * arena and a chunk. */
static void test_memory(void) {
    intern_counting_alloc ca;
    fill f = {&intern_compact_ops, compact_new(&ca, 0), 0, 0, 0, 1000, 1, 0};
    fill_named(&f, "gen-ident-1e5");
    intern_stats st;
    f.ops->stats(f.t, &st);
    CHECK(st.strings == f.strings && st.payload_bytes == f.payload);
    CHECK(st.total_bytes == ca.live_bytes);
    CHECKF(f.load_min > 7.0 / 16 && f.load_max <= 7.0 / 8, "load %.3f..%.3f",
           f.load_min, f.load_max);
    double n = (double)st.strings;
    double header = (double)st.header_bytes / n;
    double index_extra = (double)(st.index_bytes - st.capacity * 5);
    double arena = (double)(st.payload_bytes + st.header_bytes);
    CHECKF(header <= 2.05, "header %.3f B a string", header);
    CHECKF(index_extra <= 0.05 * n, "index beyond 5 B a slot: %.0f B",
           index_extra);
    CHECKF((double)st.slack_bytes <= arena / 16 + 1024, "slack %" PRIu64 " B",
           st.slack_bytes);
    printf("memory: %" PRIu64 " identifiers: %.2f B a string = payload %.2f "
           "+ header %.2f + index %.2f + slack %.2f; load %.3f..%.3f\n",
           st.strings, (double)st.total_bytes / n, (double)st.payload_bytes / n,
           header, (double)st.index_bytes / n, (double)st.slack_bytes / n,
           f.load_min, f.load_max);
    f.ops->destroy(f.t);
    CHECK(ca.live_bytes == 0);
}

/* A capacity hint of n: n strings go in without a growth, in the fewest
 * groups (a power of two) that hold n at load 7/8. */
static void test_hint(void) {
    enum { N = 100000 };
    intern_counting_alloc ca;
    fill f = {&intern_compact_ops, compact_new(&ca, N), 0, 0, 0, 0, 1, 0};
    fill_named(&f, "gen-ident-1e5");
    intern_stats st;
    f.ops->stats(f.t, &st);
    CHECK(st.strings == N);
    CHECKF(st.resizes == 0, "%" PRIu64 " growths", st.resizes);
    CHECKF(st.capacity <= (uint64_t)N * 16 / 7 + INTERN_GROUP,
           "capacity %" PRIu64 " for a hint of %d", st.capacity, N);
    f.ops->destroy(f.t);
    CHECK(ca.live_bytes == 0);
}

int main(int argc, char **argv) {
    const char *only = argc > 1 ? argv[1] : "all";
    int all = strcmp(only, "all") == 0;
    if (all || strcmp(only, "match") == 0)
        test_match();
    if (all || strcmp(only, "limit") == 0)
        test_limit();
    if (all || strcmp(only, "limit") == 0)
        test_limit_batch();
    if (all || strcmp(only, "memory") == 0)
        test_memory();
    if (all || strcmp(only, "hint") == 0)
        test_hint();
    return check_exit();
}
