/* test_radix.c: the radix trie beyond the conformance suite: ordered
 * iteration and prefix walks against a sorted reference, the worst cases
 * for its shape (long shared prefixes, every byte value, a 16 MiB key and
 * its prefixes, deep chains of nested keys), node type transitions with
 * their counts and sizes (wide nodes bound node48's size and the slack
 * its growth leaves), allocation failures, and its memory target on a
 * million identifiers.
 * Usage: test_radix [all|order|shape|big|nodes|faults|memory] */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intern/alloc.h"
#include "intern/intern.h"

/* ---- helpers ---- */

/* splitmix64, so every machine generates the same keys */
typedef struct radix_test_rng {
    uint64_t state;
} radix_test_rng;

static uint64_t rng_next(radix_test_rng *r) {
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_below(radix_test_rng *r, uint64_t n) {
    return rng_next(r) % n;
}

static const intern_ops *radix_ops(void) {
    static const intern_ops *ops;
    if (!ops) {
        const intern_table_info *info = intern_registry_find("radix");
        REQUIRE(info != NULL);
        REQUIRE(info->ops->each != NULL && info->ops->each_prefix != NULL);
        ops = info->ops;
    }
    return ops;
}

static intern_table *table_new(intern_counting_alloc *ca) {
    intern_counting_alloc_init(ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca->base;
    intern_table *t = radix_ops()->create(&cfg);
    REQUIRE(t != NULL);
    return t;
}

/* Destroys t and checks every byte went back to the allocator. */
static void table_done(intern_table *t, intern_counting_alloc *ca) {
    radix_ops()->destroy(t);
    CHECKF(ca->live_bytes == 0 && ca->live_blocks == 0,
           "%" PRIu64 " bytes in %" PRIu64 " blocks left after destroy",
           ca->live_bytes, ca->live_blocks);
}

/* A growable list of keys (pointers into storage the caller keeps). */
typedef struct key_list {
    const unsigned char **p;
    size_t *len;
    size_t count, cap;
} key_list;

static void list_add(key_list *l, const void *p, size_t len) {
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->p = realloc(l->p, l->cap * sizeof *l->p);
        l->len = realloc(l->len, l->cap * sizeof *l->len);
        REQUIRE(l->p && l->len);
    }
    l->p[l->count] = p;
    l->len[l->count++] = len;
}

static void list_free(key_list *l) {
    free(l->p);
    free(l->len);
    memset(l, 0, sizeof *l);
}

/* Bytewise order, shorter first on a shared prefix. */
static int bytes_cmp(const void *a, size_t alen, const void *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

typedef struct ref_key {
    const unsigned char *p;
    size_t len;
} ref_key;

static int ref_cmp(const void *x, const void *y) {
    const ref_key *a = x, *b = y;
    return bytes_cmp(a->p, a->len, b->p, b->len);
}

/* The sorted, deduplicated reference of a key list. */
static ref_key *ref_sorted(const key_list *l, size_t *n) {
    ref_key *r = malloc((l->count + 1) * sizeof *r);
    REQUIRE(r);
    for (size_t i = 0; i < l->count; i++)
        r[i] = (ref_key){l->p[i], l->len[i]};
    qsort(r, l->count, sizeof *r, ref_cmp);
    size_t u = 0;
    for (size_t i = 0; i < l->count; i++)
        if (u == 0 || ref_cmp(&r[u - 1], &r[i]) != 0)
            r[u++] = r[i];
    *n = u;
    return r;
}

/* The handles a walk visits, in order; stops after stop_after visits
 * (returning 7) when it is not 0. */
typedef struct walk {
    const intern_str **s;
    size_t count, cap;
    size_t stop_after;
} walk;

static int walk_visit(void *ctx, const intern_str *s) {
    walk *w = ctx;
    if (w->count == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 256;
        w->s = realloc(w->s, w->cap * sizeof *w->s);
        REQUIRE(w->s);
    }
    w->s[w->count++] = s;
    return w->stop_after && w->count == w->stop_after ? 7 : 0;
}

/* Checks that the walk holds exactly ref[from..from+n), as handles the
 * table finds. */
static size_t walk_diff(const intern_table *t, const walk *w,
                        const ref_key *ref, size_t from, size_t n) {
    size_t bad = w->count != n;
    for (size_t i = 0; i < w->count && i < n; i++) {
        const intern_str *s = w->s[i];
        const ref_key *k = &ref[from + i];
        if (intern_str_len(s) != k->len ||
            (k->len && memcmp(intern_str_bytes(s), k->p, k->len)) ||
            intern_str_bytes(s)[intern_str_len(s)] != 0 ||
            radix_ops()->find(t, k->p, k->len) != s)
            bad++;
    }
    return bad;
}

/* The range of ref (sorted) holding the keys that start with p. */
static size_t ref_prefix_range(const ref_key *ref, size_t n,
                               const unsigned char *p, size_t plen,
                               size_t *count) {
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first key >= p */
        size_t mid = lo + (hi - lo) / 2;
        if (bytes_cmp(ref[mid].p, ref[mid].len, p, plen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && ref[end].len >= plen &&
           (plen == 0 || memcmp(ref[end].p, p, plen) == 0))
        end++;
    *count = end - lo;
    return lo;
}

/* Checks each against the whole reference, and each_prefix for the
 * prefixes listed, plus an early stop of each visitor. */
static void check_walks(const intern_table *t, const ref_key *ref, size_t n,
                        const key_list *prefixes, const char *what) {
    const intern_ops *ops = radix_ops();
    walk w = {0};
    CHECK(ops->each(t, walk_visit, &w) == 0);
    size_t bad = walk_diff(t, &w, ref, 0, n);
    CHECKF(bad == 0, "%s: each: %zu visited, %zu expected, %zu wrong", what,
           w.count, n, bad);
    if (n > 2) { /* a non-zero visitor return stops the walk, returned */
        w.count = 0;
        w.stop_after = 2;
        CHECK(ops->each(t, walk_visit, &w) == 7 && w.count == 2);
        w.stop_after = 0;
    }
    size_t pbad = 0;
    for (size_t i = 0; i < prefixes->count; i++) {
        size_t want;
        size_t from =
            ref_prefix_range(ref, n, prefixes->p[i], prefixes->len[i], &want);
        w.count = 0;
        int rc = ops->each_prefix(t, prefixes->p[i], prefixes->len[i],
                                  walk_visit, &w);
        size_t b = rc != 0 || walk_diff(t, &w, ref, from, want);
        if (b && pbad < 5)
            fprintf(stderr,
                    "%s: prefix %zu (len %zu): %zu visited, %zu expected\n",
                    what, i, prefixes->len[i], w.count, want);
        pbad += b;
        if (want > 1) {
            w.count = 0;
            w.stop_after = 1;
            pbad += ops->each_prefix(t, prefixes->p[i], prefixes->len[i],
                                     walk_visit, &w) != 7;
            w.stop_after = 0;
        }
    }
    CHECKF(pbad == 0, "%s: %zu of %zu prefix walks wrong", what, pbad,
           prefixes->count);
    free(w.s);
}

/* Checks that the stats add up and agree with the allocator. */
static void check_stats(const intern_table *t, const intern_counting_alloc *ca,
                        uint64_t strings, uint64_t payload, intern_stats *st) {
    radix_ops()->stats(t, st);
    CHECKF(st->strings == strings, "strings %" PRIu64 " != %" PRIu64,
           st->strings, strings);
    CHECKF(st->payload_bytes == payload, "payload %" PRIu64 " != %" PRIu64,
           st->payload_bytes, payload);
    CHECK(st->payload_bytes + st->header_bytes + st->index_bytes +
              st->slack_bytes ==
          st->total_bytes);
    CHECKF(st->total_bytes == ca->live_bytes,
           "total %" PRIu64 " != allocator live %" PRIu64, st->total_bytes,
           ca->live_bytes);
    CHECK(st->capacity == 0);
    CHECK(st->probe_hit_sum == st->depth_sum + st->strings);
    CHECK(strings == 0 || st->probe_hit_max == st->depth_max + 1);
}

/* Interns every key of l; checks statuses against a first-seen rule
 * (NEW exactly for the first copy) via find before the intern. Returns
 * the unique payload. */
static uint64_t intern_all(intern_table *t, const key_list *l,
                           uint64_t *strings) {
    const intern_ops *ops = radix_ops();
    uint64_t payload = 0;
    size_t bad = 0;
    for (size_t i = 0; i < l->count; i++) {
        const intern_str *before = ops->find(t, l->p[i], l->len[i]);
        const intern_str *out = NULL;
        intern_status st = ops->intern(t, l->p[i], l->len[i], &out);
        if (before ? (st != INTERN_FOUND || out != before) : st != INTERN_NEW) {
            if (bad++ < 5)
                fprintf(stderr, "key %zu (len %zu): status %s\n", i, l->len[i],
                        intern_status_text(st));
            continue;
        }
        if (st == INTERN_NEW) {
            ++*strings;
            payload += l->len[i];
        }
    }
    CHECKF(bad == 0, "%zu keys interned wrongly", bad);
    return payload;
}

/* Some prefixes to walk: every prefix of the first keys, prefixes of
 * random keys cut anywhere, and random (mostly absent) byte strings.
 * Their bytes go to store, which the caller frees. */
static void prefixes_make(const key_list *l, key_list *out, radix_test_rng *r,
                          unsigned char *store, size_t store_len) {
    for (size_t i = 0; i < l->count && i < 6; i++)
        for (size_t k = 0; k <= l->len[i] && k <= 40; k++)
            list_add(out, l->p[i], k);
    for (size_t i = 0; i < 400 && l->count; i++) {
        size_t j = rng_below(r, l->count);
        list_add(out, l->p[j], rng_below(r, l->len[j] + 1));
    }
    for (size_t i = 0; i + 4 <= store_len; i += 4) {
        for (size_t k = 0; k < 4; k++)
            store[i + k] = (unsigned char)"ab\0\xff"[rng_below(r, 4)];
        list_add(out, store + i, 1 + rng_below(r, 4));
    }
}

/* ---- ordered iteration and prefix walks ---- */

static void test_order_keys(const char *what, key_list *keys,
                            radix_test_rng *r) {
    const intern_ops *ops = radix_ops();
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0;
    uint64_t payload = intern_all(t, keys, &strings);
    size_t n;
    ref_key *ref = ref_sorted(keys, &n);
    CHECKF(strings == n, "%s: %" PRIu64 " new, %zu distinct", what, strings, n);
    intern_stats st;
    check_stats(t, &ca, strings, payload, &st);
    /* absent keys: one byte changed or one added, unless that is held */
    size_t miss_bad = 0;
    unsigned char buf[64];
    for (size_t i = 0; i < keys->count && i < 20000; i++) {
        size_t len = keys->len[i];
        if (len + 1 > sizeof buf)
            continue;
        memcpy(buf, keys->p[i], len);
        if (len && (i & 1))
            buf[rng_below(r, len)] ^= (unsigned char)(1 + rng_below(r, 255));
        else
            buf[len++] = (unsigned char)rng_below(r, 256);
        ref_key k = {buf, len};
        int held = bsearch(&k, ref, n, sizeof *ref, ref_cmp) != NULL;
        const intern_str *f = ops->find(t, buf, len);
        miss_bad += held ? f == NULL : f != NULL;
    }
    CHECKF(miss_bad == 0, "%s: %zu finds of changed keys wrong", what,
           miss_bad);
    key_list pre = {0};
    unsigned char store[1000];
    prefixes_make(keys, &pre, r, store, sizeof store);
    check_walks(t, ref, n, &pre, what);
    printf("order: %s: %zu distinct of %zu keys, %zu prefix walks, depth max "
           "%" PRIu64 ", nodes %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
           "\n",
           what, n, keys->count, pre.count, st.depth_max, st.nodes[0],
           st.nodes[1], st.nodes[2], st.nodes[3]);
    list_free(&pre);
    free(ref);
    table_done(t, &ca);
}

static void test_order(void) {
    radix_test_rng r = {20261122};
    /* random binary keys over a small alphabet (NUL and 0xff included),
     * lengths 0..12, so keys are often prefixes of each other */
    {
        enum { N = 60000 };
        unsigned char *store = malloc((size_t)N * 12);
        REQUIRE(store);
        key_list keys = {0};
        for (size_t i = 0; i < N; i++) {
            unsigned char *p = store + i * 12;
            size_t len = rng_below(&r, 13);
            for (size_t k = 0; k < len; k++)
                p[k] =
                    (unsigned char)"\0\1ab\x7f\x80\xfe\xff"[rng_below(&r, 8)];
            list_add(&keys, p, len);
        }
        test_order_keys("binary small alphabet", &keys, &r);
        list_free(&keys);
        free(store);
    }
    /* random bytes, any value, lengths 0..40 */
    {
        enum { N = 100000 };
        unsigned char *store = malloc((size_t)N * 40);
        REQUIRE(store);
        key_list keys = {0};
        for (size_t i = 0; i < N; i++) {
            unsigned char *p = store + i * 40;
            size_t len = rng_below(&r, 41);
            for (size_t k = 0; k < len; k++)
                p[k] = (unsigned char)rng_next(&r);
            list_add(&keys, p, len);
            if (i % 5 == 0) /* repeats */
                list_add(&keys, store + rng_below(&r, i + 1) * 40, 0);
        }
        test_order_keys("random bytes", &keys, &r);
        list_free(&keys);
        free(store);
    }
    /* structured: decimal counters with fixed prefixes and suffixes, and
     * nested keys (each a prefix of the next) */
    {
        enum { N = 50000, W = 32 };
        char *store = malloc((size_t)N * W);
        REQUIRE(store);
        key_list keys = {0};
        for (size_t i = 0; i < N; i++) {
            char *p = store + i * W;
            int len;
            switch (i % 4) {
            case 0:
                len = snprintf(p, W, "module.attr_%zu", i);
                break;
            case 1:
                len = snprintf(p, W, "%zu_suffix", i * 7919 % 100000);
                break;
            case 2:
                len = snprintf(p, W, "%.*s", (int)(i % W),
                               "aaaaaaaaaaaaaaaab"
                               "aaaaaaaaaaaaaa");
                break;
            default:
                len = snprintf(p, W, "k%06zu", i / 3);
                break;
            }
            list_add(&keys, p, (size_t)len);
        }
        test_order_keys("structured", &keys, &r);
        list_free(&keys);
        free(store);
    }
}

/* ---- shapes: shared prefixes, byte values, nested chains ---- */

static void test_shared_prefix(void) {
    enum { N = 100000, P = 1000, W = P + 16 };
    const intern_ops *ops = radix_ops();
    radix_test_rng r = {99};
    unsigned char *store = malloc((size_t)N * W);
    REQUIRE(store);
    key_list keys = {0};
    for (size_t k = 0; k < P; k++)
        store[k] = (unsigned char)rng_next(&r);
    for (size_t i = 0; i < N; i++) {
        unsigned char *p = store + i * W;
        memcpy(p, store, P);
        size_t extra = 1 + rng_below(&r, 12);
        for (size_t k = 0; k < extra; k++)
            p[P + k] = (unsigned char)rng_next(&r);
        list_add(&keys, p, P + extra);
    }
    list_add(&keys, store, P); /* the prefix itself, a key too */
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0;
    uint64_t payload = intern_all(t, &keys, &strings);
    size_t n;
    ref_key *ref = ref_sorted(&keys, &n);
    intern_stats st;
    check_stats(t, &ca, strings, payload, &st);
    /* path compression: one node for the shared 1000 bytes */
    CHECKF(st.depth_max <= 4, "depth max %" PRIu64, st.depth_max);
    key_list pre = {0};
    list_add(&pre, store, P);
    list_add(&pre, store, P - 1);
    list_add(&pre, store, 1);
    list_add(&pre, store, 0);
    list_add(&pre, store + W, P + 1);
    unsigned char other[P];
    memcpy(other, store, P);
    other[500] ^= 1; /* differs inside the compressed path: nothing */
    list_add(&pre, other, P);
    list_add(&pre, other, 501);
    list_add(&pre, other, 500);
    check_walks(t, ref, n, &pre, "shared 1000-byte prefix");
    walk w = {0};
    CHECK(ops->each_prefix(t, other, P, walk_visit, &w) == 0 && w.count == 0);
    CHECK(ops->find(t, other, P) == NULL);
    free(w.s);
    printf("shape: %zu keys sharing %d bytes: depth max %" PRIu64
           ", index %.1f B/key\n",
           n, P, st.depth_max, (double)st.index_bytes / (double)st.strings);
    list_free(&pre);
    free(ref);
    table_done(t, &ca);
    list_free(&keys);
    free(store);
}

static void test_byte_values(void) {
    const intern_ops *ops = radix_ops();
    static unsigned char two[65536][2];
    static unsigned char one[256];
    key_list keys = {0};
    list_add(&keys, "", 0);
    for (int c = 255; c >= 0; c--) { /* backwards: order is the trie's job */
        one[c] = (unsigned char)c;
        list_add(&keys, &one[c], 1);
    }
    for (int i = 0; i < 65536; i++) {
        unsigned v = ((unsigned)i * 40503u) & 0xffffu; /* a permutation */
        two[v][0] = (unsigned char)(v >> 8);
        two[v][1] = (unsigned char)v;
        list_add(&keys, two[v], 2);
    }
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0;
    uint64_t payload = intern_all(t, &keys, &strings);
    size_t n;
    ref_key *ref = ref_sorted(&keys, &n);
    CHECK(n == 1 + 256 + 65536);
    intern_stats st;
    check_stats(t, &ca, strings, payload, &st);
    /* the root and every one-byte key's node: 256 children and an end */
    CHECKF(st.nodes[0] == 0 && st.nodes[1] == 0 && st.nodes[2] == 0 &&
               st.nodes[3] == 257,
           "nodes %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64, st.nodes[0],
           st.nodes[1], st.nodes[2], st.nodes[3]);
    CHECK(st.depth_max == 2 && st.depth_sum == 1 + 2 * 256 + 2 * 65536);
    key_list pre = {0};
    for (int c = 0; c < 256; c++)
        list_add(&pre, &one[c], 1);
    list_add(&pre, "", 0);
    list_add(&pre, two[0x00ff], 2);
    list_add(&pre, two[0xff00], 2);
    list_add(&pre, "\0\0\0", 3);
    check_walks(t, ref, n, &pre, "byte values");
    /* NUL inside and at the end of keys */
    const intern_str *h[6];
    CHECK(ops->intern(t, "a\0b", 3, &h[0]) == INTERN_NEW);
    CHECK(ops->intern(t, "a\0c", 3, &h[1]) == INTERN_NEW);
    CHECK(ops->intern(t, "a\0", 2, &h[2]) == INTERN_FOUND);
    CHECK(ops->intern(t, "a\0\0", 3, &h[3]) == INTERN_NEW);
    CHECK(ops->intern(t, "", 0, &h[4]) == INTERN_FOUND &&
          intern_str_len(h[4]) == 0);
    CHECK(ops->intern(t, NULL, 0, &h[5]) == INTERN_FOUND && h[5] == h[4]);
    CHECK(ops->find(t, "a\0b", 3) == h[0] && ops->find(t, "a\0bb", 4) == NULL);
    CHECK(h[0] != h[1] && h[1] != h[3] && intern_str_len(h[2]) == 2);
    walk w = {0};
    CHECK(ops->each_prefix(t, "a\0", 2, walk_visit, &w) == 0);
    CHECK(w.count == 4 && w.s[0] == h[2] && w.s[1] == h[3] && w.s[2] == h[0] &&
          w.s[3] == h[1]);
    free(w.s);
    list_free(&pre);
    free(ref);
    table_done(t, &ca);
    list_free(&keys);

    /* the empty key alone, then beside one other key */
    t = table_new(&ca);
    const intern_str *e, *x;
    CHECK(ops->find(t, "", 0) == NULL);
    w = (walk){0};
    CHECK(ops->each(t, walk_visit, &w) == 0 && w.count == 0);
    CHECK(ops->each_prefix(t, "", 0, walk_visit, &w) == 0 && w.count == 0);
    CHECK(ops->intern(t, "", 0, &e) == INTERN_NEW && intern_str_len(e) == 0 &&
          intern_str_bytes(e)[0] == 0);
    CHECK(ops->find(t, "", 0) == e && ops->find(t, "\0", 1) == NULL);
    CHECK(ops->each_prefix(t, "", 0, walk_visit, &w) == 0 && w.count == 1);
    CHECK(ops->intern(t, "\0", 1, &x) == INTERN_NEW && x != e);
    CHECK(ops->find(t, "", 0) == e && ops->find(t, "\0", 1) == x);
    w.count = 0;
    CHECK(ops->each(t, walk_visit, &w) == 0 && w.count == 2 && w.s[0] == e &&
          w.s[1] == x);
    free(w.s);
    table_done(t, &ca);
}

/* Keys each a prefix of the next: a chain of nodes as deep as the keys
 * are many, which nothing may walk recursively. */
static void test_nested(void) {
    enum { N = 3000 };
    const intern_ops *ops = radix_ops();
    static unsigned char a[N + 1];
    memset(a, 'a', sizeof a);
    key_list keys = {0};
    for (size_t i = 0; i <= N; i += 2) /* the even lengths, then the odd */
        list_add(&keys, a, i);
    for (size_t i = 1; i <= N; i += 2)
        list_add(&keys, a, i);
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0;
    uint64_t payload = intern_all(t, &keys, &strings);
    size_t n;
    ref_key *ref = ref_sorted(&keys, &n);
    intern_stats st;
    check_stats(t, &ca, strings, payload, &st);
    CHECKF(st.depth_max == N && st.nodes[0] == N,
           "depth max %" PRIu64 ", node4s %" PRIu64, st.depth_max, st.nodes[0]);
    key_list pre = {0};
    for (size_t i = 0; i <= N + 1; i += 97)
        list_add(&pre, a, i);
    check_walks(t, ref, n, &pre, "nested");
    CHECK(ops->find(t, "ab", 2) == NULL);
    printf("shape: %d nested keys: depth %" PRIu64 "\n", N + 1, st.depth_max);
    list_free(&pre);
    free(ref);
    table_done(t, &ca);
    list_free(&keys);
}

/* ---- a 16 MiB key and its prefixes ---- */

static void test_big(void) {
    const intern_ops *ops = radix_ops();
    size_t big = (size_t)16 << 20;
    unsigned char *a = malloc(big + 1), *b = malloc(big + 1);
    REQUIRE(a && b);
    radix_test_rng r = {16};
    for (size_t i = 0; i < big; i += 8) {
        uint64_t v = rng_next(&r);
        memcpy(a + i, &v, 8);
    }
    memcpy(b, a, big);
    b[big - 2] ^= 0x55; /* differs near its end */
    const size_t lens[] = {big,     big - 1, 0,          1,       2,
                           7,       8,       4095,       4096,    65536,
                           1 << 20, big / 2, big - 4096, big - 3, big - 2};
    enum { NL = sizeof lens / sizeof lens[0] };
    key_list keys = {0};
    for (size_t i = 0; i < NL; i++)
        list_add(&keys, a, lens[i]);
    list_add(&keys, b, big);
    list_add(&keys, b, big - 1);
    list_add(&keys, a, big); /* repeats */
    list_add(&keys, a, 4096);
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0;
    uint64_t payload = intern_all(t, &keys, &strings);
    size_t n;
    ref_key *ref = ref_sorted(&keys, &n);
    CHECK(n == NL + 2);
    intern_stats st;
    check_stats(t, &ca, strings, payload, &st);
    CHECK(st.depth_max <= NL + 1);
    key_list pre = {0};
    list_add(&pre, a, big);
    list_add(&pre, a, big - 3);
    list_add(&pre, a, big / 2 + 1);
    list_add(&pre, b, big - 1);
    list_add(&pre, a, 3);
    list_add(&pre, a, 0);
    check_walks(t, ref, n, &pre, "16 MiB key");
    a[big] = 0;
    CHECK(ops->find(t, a, big + 1) == NULL); /* one byte past every key */
    CHECK(ops->find(t, a, big - 5) == NULL);
    a[big / 3] ^= 1;
    CHECK(ops->find(t, a, big) == NULL && ops->find(t, a, big - 1) == NULL);
    printf("big: %zu keys up to 16 MiB: depth max %" PRIu64 "\n", n,
           st.depth_max);
    list_free(&pre);
    free(ref);
    table_done(t, &ca);
    list_free(&keys);
    free(a);
    free(b);
}

/* ---- node types ---- */

/* The slots a node48 block has room for, holding that many children
 * (end leaf included): 8 at a time, 49 at most. */
static size_t n48_room(size_t slots) {
    return slots <= 48 ? (slots + 7) / 8 * 8 : 49;
}

/* Grows one node through every type: "x" + byte, in a scrambled order,
 * the end leaf "x" added midway; checks the node counts at each step. */
static void test_nodes(void) {
    const intern_ops *ops = radix_ops();
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    static unsigned char keys[256][2];
    const intern_str *h[256] = {0};
    intern_stats st;
    uint64_t payload = 0, index_before = 0;
    int bad = 0;
    for (int i = 0; i < 256; i++) {
        int c = (i * 167 + 13) & 255; /* a permutation, 0 and 255 included */
        keys[c][0] = 'x';
        keys[c][1] = (unsigned char)c;
        bad += ops->intern(t, keys[c], 2, &h[c]) != INTERN_NEW;
        payload += 2;
        if (i == 30) {
            const intern_str *e;
            bad += ops->intern(t, "x", 1, &e) != INTERN_NEW;
            payload += 1;
        }
        size_t k = (size_t)i + 1; /* keyed children of the one node */
        uint64_t want[4] = {0, 0, 0, 0};
        if (k >= 2)
            want[k <= 4 ? 0 : k <= 16 ? 1 : k <= 48 ? 2 : 3] = 1;
        check_stats(t, &ca, k + (i >= 30), payload, &st);
        if (memcmp(st.nodes, want, sizeof want) != 0 && bad++ < 5)
            fprintf(stderr,
                    "after %zu keys: nodes %" PRIu64 "/%" PRIu64 "/%" PRIu64
                    "/%" PRIu64 "\n",
                    k, st.nodes[0], st.nodes[1], st.nodes[2], st.nodes[3]);
        /* node4 and node16 grow by a slot per child, node48 by 8 slots
         * when it is full, node256 takes children in place */
        size_t slots = k + (i >= 30), before = slots - 1 - (i == 30);
        int grew = st.index_bytes > index_before;
        int want_grew = k <= 17 || k == 49 ||
                        (k < 49 && n48_room(slots) != n48_room(before));
        if (k >= 2 && grew != want_grew && bad++ < 5)
            fprintf(stderr,
                    "after %zu keys: index %" PRIu64 " from %" PRIu64 "\n", k,
                    st.index_bytes, index_before);
        index_before = st.index_bytes;
        if (k == 2 || k == 4 || k == 5 || k == 16 || k == 17 || k == 20 ||
            k == 24 || k == 25 || k == 40 || k == 48 || k == 49 || k == 256) {
            walk w = {0}; /* "x" is a prefix of all: the whole node */
            ops->each_prefix(t, "x", 1, walk_visit, &w);
            int order = w.count == k + (i >= 30);
            for (size_t j = 1; order && j < w.count; j++)
                order = bytes_cmp(intern_str_bytes(w.s[j - 1]),
                                  intern_str_len(w.s[j - 1]),
                                  intern_str_bytes(w.s[j]),
                                  intern_str_len(w.s[j])) < 0;
            CHECKF(order, "order after %zu keys", k);
            free(w.s);
        }
    }
    CHECK(bad == 0);
    CHECK(st.resizes == 3 && st.depth_max == 1);
    for (int c = 0; c < 256; c++)
        bad += ops->find(t, keys[c], 2) != h[c];
    CHECK(bad == 0);
    printf("nodes: one node through 4, 16, 48 and 256: index %" PRIu64
           " B at 256 children\n",
           st.index_bytes);
    table_done(t, &ca);

    /* many nodes of each type: prefix p + byte, p over 300 two-byte
     * prefixes, children per prefix 1..300 spread over all types */
    t = table_new(&ca);
    uint64_t strings = 0, want[4] = {0};
    payload = 0;
    unsigned char k3[3];
    for (int p = 0; p < 300; p++) {
        int kids = 1 + (p * 7) % 256;
        k3[0] = (unsigned char)(p >> 8);
        k3[1] = (unsigned char)p;
        for (int c = 0; c < kids; c++) {
            k3[2] = (unsigned char)(255 - c);
            const intern_str *o;
            bad += ops->intern(t, k3, 3, &o) != INTERN_NEW;
            strings++;
            payload += 3;
        }
        if (kids >= 2)
            want[kids <= 4 ? 0 : kids <= 16 ? 1 : kids <= 48 ? 2 : 3]++;
    }
    want[0]++; /* the root: first bytes 0 and 1 */
    want[3]++; /* below 0: all 256 second bytes */
    want[2]++; /* below 1: 44 */
    check_stats(t, &ca, strings, payload, &st);
    CHECKF(memcmp(st.nodes, want, sizeof want) == 0,
           "nodes %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
           ", expected %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
           st.nodes[0], st.nodes[1], st.nodes[2], st.nodes[3], want[0], want[1],
           want[2], want[3]);
    CHECK(bad == 0);
    CHECK(st.nodes[0] > 0 && st.nodes[1] > 0 && st.nodes[2] > 0 &&
          st.nodes[3] > 0);
    table_done(t, &ca);
}

/* Nodes of 40 to 47 children, filled in random order: the shape
 * gen-ident-1e7 has three bytes below the root (about 33 children a
 * node there). Each is a node48, and the index per key is bounded: with
 * the paper's node48 (656 bytes, whatever its children) it was 15.3
 * bytes per key here, now 10.1. Then every key gets a one-byte
 * extension, so each leaf becomes a small node4: those take the free
 * blocks the node48s left as they grew, split, so slack stays small
 * (11.9 bytes per key here where free blocks were reused only whole). */
static void test_wide(void) {
    enum { P = 2000, MAXK = 47 };
    static unsigned char store[P * MAXK][4];
    static size_t order[P * MAXK];
    radix_test_rng r = {47};
    size_t n = 0;
    for (int p = 0; p < P; p++) {
        for (int c = 0; c < 40 + p % 8; c++) {
            store[n][0] = (unsigned char)(p >> 8);
            store[n][1] = (unsigned char)p;
            store[n][2] = (unsigned char)('0' + c);
            store[n][3] = 'z';
            order[n] = n;
            n++;
        }
    }
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    uint64_t strings = 0, payload = 0;
    intern_stats st;
    double index = 0;
    for (size_t len = 3; len <= 4; len++) {
        for (size_t i = n - 1; i > 0; i--) { /* a new random order */
            size_t j = rng_below(&r, i + 1), x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        key_list keys = {0};
        for (size_t i = 0; i < n; i++)
            list_add(&keys, store[order[i]], len);
        payload += intern_all(t, &keys, &strings);
        check_stats(t, &ca, strings, payload, &st);
        uint64_t want[4] = {len == 3 ? 0 : n, 1, P, 8};
        CHECKF(memcmp(st.nodes, want, sizeof want) == 0,
               "nodes %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
               st.nodes[0], st.nodes[1], st.nodes[2], st.nodes[3]);
        if (len == 3) {
            index = (double)st.index_bytes / (double)st.strings;
            CHECKF(index <= 12.0, "index %.2f B per key, bound 12", index);
        }
        list_free(&keys);
    }
    double slack = (double)st.slack_bytes / (double)st.strings;
    CHECKF(slack <= 5.0, "slack %.2f B per key, bound 5", slack);
    key_list all = {0}, pre = {0};
    for (size_t i = 0; i < n; i++) {
        list_add(&all, store[i], 3);
        list_add(&all, store[i], 4);
    }
    size_t unique;
    ref_key *ref = ref_sorted(&all, &unique);
    CHECK(unique == 2 * n && strings == 2 * n);
    for (size_t i = 0; i < n; i += 997)
        for (size_t len = 1; len <= 4; len++)
            list_add(&pre, store[i], len);
    check_walks(t, ref, unique, &pre, "wide");
    printf("wide: %d node48s of 40 to 47 children: index %.2f B/key; after "
           "%zu more keys, slack %.2f B/key\n",
           P, index, n, slack);
    free(ref);
    list_free(&all);
    list_free(&pre);
    table_done(t, &ca);
}

/* ---- allocation failures ---- */

/* Every allocation point of a sequence that grows nodes through every
 * type and splits leaves and compressed paths, failing once (then the
 * retry succeeds) or from there on: ENOMEM leaves the table as it was
 * (the same stats, the same walk, the key absent). */
static void test_faults(void) {
    enum { N = 1500, W = 40, COMPARED = 20 };
    const intern_ops *ops = radix_ops();
    key_list keys = {0};
    static unsigned char store[N][W];
    radix_test_rng r = {5};
    for (int i = 0; i < N; i++) {
        unsigned char *p = store[i];
        size_t len;
        if (i < 60) { /* one node through all types */
            memcpy(p, "node:", 5);
            p[5] = (unsigned char)(i * 37);
            len = 6;
        } else if (i < 300) { /* long shared prefixes, split */
            memset(p, 'L', W);
            p[rng_below(&r, W)] = (unsigned char)rng_below(&r, 4);
            len = 4 + rng_below(&r, W - 3);
        } else {
            len = rng_below(&r, 12);
            for (size_t k = 0; k < len; k++)
                p[k] = (unsigned char)"ab\0\xff"[rng_below(&r, 4)];
        }
        list_add(&keys, p, len);
    }
    uint64_t points = 0, bad = 0;
    for (int every_after = 0; every_after <= 1; every_after++) {
        for (uint64_t fail_at = 1;; fail_at++) {
            intern_counting_alloc ca;
            intern_table *t = table_new(&ca);
            ca.fail_at = ca.attempts + fail_at;
            ca.fail_every_after = every_after;
            size_t failed = 0;
            for (size_t i = 0; i < keys.count; i++) {
                const unsigned char *key = keys.p[i];
                size_t len = keys.len[i];
                int compare = failed < COMPARED;
                intern_stats before, after;
                walk w0 = {0}, w1 = {0};
                if (compare) {
                    ops->stats(t, &before);
                    ops->each(t, walk_visit, &w0);
                }
                const intern_str *out = NULL;
                intern_status s = ops->intern(t, key, len, &out);
                if (s == INTERN_ENOMEM) {
                    failed++;
                    if (compare) {
                        ops->stats(t, &after);
                        ops->each(t, walk_visit, &w1);
                        bad += memcmp(&before, &after, sizeof before) != 0 ||
                               w0.count != w1.count ||
                               (w0.count &&
                                memcmp(w0.s, w1.s, w0.count * sizeof *w0.s));
                    }
                    bad += ops->find(t, key, len) != NULL;
                    if (!every_after) {
                        ca.fail_at = 0;
                        s = ops->intern(t, key, len, &out);
                    }
                }
                free(w0.s);
                free(w1.s);
                if (s >= 0 && ops->find(t, key, len) != out)
                    bad++;
            }
            intern_stats st;
            ops->stats(t, &st);
            bad += st.total_bytes != ca.live_bytes;
            uint64_t attempts = ca.attempts;
            table_done(t, &ca);
            if (!failed || attempts < ca.fail_at)
                break;
            points += !every_after;
        }
    }
    CHECKF(bad == 0, "%" PRIu64 " inconsistencies after failures", bad);
    CHECK(points >= 5);
    printf("faults: %" PRIu64 " allocation points failed once, and from "
           "there on\n",
           points);
    list_free(&keys);

    /* Keys over 1 KiB: the arena gives each a chunk of its own, so every
     * insert calls the allocator for its record, after the slab when a
     * node needs a new one. Failing the first, then the second attempt
     * of every insert undoes a block taken from a free list, from a slab,
     * and a slab made for the insert. */
    size_t undone = 0;
    for (uint64_t nth = 1; nth <= 2; nth++) {
        enum { BN = 300, BW = 1200 };
        unsigned char *big = malloc((size_t)BN * BW);
        REQUIRE(big);
        intern_counting_alloc ca;
        intern_table *t = table_new(&ca);
        for (size_t i = 0; i < BN; i++) {
            unsigned char *p = big + i * BW;
            size_t len = 1100 + rng_below(&r, 100);
            for (size_t k = 0; k < len; k++)
                p[k] = (unsigned char)(k < 1000 ? 'B' : "xy"[rng_below(&r, 2)]);
            p[rng_below(&r, 3)] = (unsigned char)rng_below(&r, 256);
            intern_stats before, after;
            walk w0 = {0}, w1 = {0};
            ops->stats(t, &before);
            ops->each(t, walk_visit, &w0);
            uint64_t live = ca.live_bytes;
            ca.fail_at = ca.attempts + nth;
            const intern_str *out = NULL;
            intern_status s = ops->intern(t, p, len, &out);
            ca.fail_at = 0;
            if (s == INTERN_ENOMEM) {
                undone++;
                ops->stats(t, &after);
                ops->each(t, walk_visit, &w1);
                bad += memcmp(&before, &after, sizeof before) != 0 ||
                       live != ca.live_bytes || w0.count != w1.count ||
                       (w0.count &&
                        memcmp(w0.s, w1.s, w0.count * sizeof *w0.s)) != 0 ||
                       ops->find(t, p, len) != NULL;
                s = ops->intern(t, p, len, &out);
            }
            bad += s < 0 || ops->find(t, p, len) != out;
            free(w0.s);
            free(w1.s);
        }
        table_done(t, &ca);
        free(big);
    }
    CHECKF(bad == 0, "%" PRIu64 " inconsistencies after undone inserts", bad);
    CHECK(undone > 300);
    printf("faults: %zu inserts of 1 KiB keys undone\n", undone);

    /* create itself fails cleanly */
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    ca.fail_at = 1;
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca.base;
    errno = 0;
    CHECK(ops->create(&cfg) == NULL && errno == ENOMEM && ca.live_bytes == 0);
    /* too long: refused before a byte is read */
    if (sizeof(size_t) > 4) {
        intern_table *t = table_new(&ca);
        const intern_str *out = NULL;
        size_t too_long = (size_t)INTERN_KEY_MAX + 1;
        CHECK(ops->intern(t, "", too_long, &out) == INTERN_E2BIG && !out);
        CHECK(ops->find(t, "", too_long) == NULL);
        table_done(t, &ca);
    }
}

/* ---- the memory target ---- */

/* Writes identifier i: [A-Za-z_][A-Za-z0-9_]*, 4..24 bytes, uniform. */
static size_t ident_make(radix_test_rng *r, char *out) {
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz_0123456789";
    size_t len = 4 + rng_below(r, 21);
    out[0] = chars[rng_below(r, 53)];
    for (size_t k = 1; k < len; k++)
        out[k] = chars[rng_below(r, 63)];
    return len;
}

static void test_memory(void) {
    enum { N = 1000000 };
    const intern_ops *ops = radix_ops();
    intern_counting_alloc ca;
    intern_table *t = table_new(&ca);
    radix_test_rng r = {0x1d3e7f1e2};
    uint64_t payload = 0, generated = 0;
    char buf[32];
    while (1) {
        intern_stats st;
        ops->stats(t, &st);
        if (st.strings == N)
            break;
        for (uint64_t i = st.strings; i < N; i++) {
            size_t len = ident_make(&r, buf);
            const intern_str *out;
            intern_status s = ops->intern(t, buf, len, &out);
            REQUIRE(s >= 0);
            payload += s == INTERN_NEW ? len : 0;
            generated++;
        }
    }
    intern_stats st;
    check_stats(t, &ca, N, payload, &st);
    double per_key = (double)st.index_bytes / (double)st.strings;
    CHECKF(per_key <= 20.0, "index %.2f B per key, target 20", per_key);
    printf("memory: %d identifiers (%" PRIu64 " generated): index %" PRIu64
           " B = %.2f B/key; total %.2f B/key (payload %.2f, slack %.2f); "
           "nodes "
           "%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
           "; depth mean %.2f max %" PRIu64 "\n",
           N, generated, st.index_bytes, per_key, (double)st.total_bytes / N,
           (double)st.payload_bytes / N, (double)st.slack_bytes / N,
           st.nodes[0], st.nodes[1], st.nodes[2], st.nodes[3],
           (double)st.depth_sum / N, st.depth_max);
    table_done(t, &ca);
}

int main(int argc, char **argv) {
    const char *only = argc > 1 ? argv[1] : "all";
    int all = strcmp(only, "all") == 0;
    if (all || strcmp(only, "order") == 0)
        test_order();
    if (all || strcmp(only, "shape") == 0) {
        test_shared_prefix();
        test_byte_values();
        test_nested();
    }
    if (all || strcmp(only, "big") == 0)
        test_big();
    if (all || strcmp(only, "nodes") == 0) {
        test_nodes();
        test_wide();
    }
    if (all || strcmp(only, "faults") == 0)
        test_faults();
    if (all || strcmp(only, "memory") == 0)
        test_memory();
    return check_exit();
}
