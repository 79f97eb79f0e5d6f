/* hashed.h: what the hashed tables share (internal): the hash settings,
 * the arena of records, the counts, creating, accounting and destroying
 * a table around its own index, and matching groups of control bytes. A
 * hashed table's struct starts with an intern_hashed, so the functions
 * below take the table.
 *
 * Invariant: count strings are held, their lengths sum to payload_bytes,
 * and each is one record of arena; resizes counts index growths. */
#ifndef INTERN_TABLES_HASHED_H
#define INTERN_TABLES_HASHED_H

#include "arena.h"

typedef struct intern_hashed {
    const intern_allocator *alloc;
    intern_hash_kind hash_kind;
    uint64_t seed;
    size_t count;
    uint64_t payload_bytes;
    uint64_t resizes;
    intern_arena arena;
} intern_hashed;

/* A zeroed table of size bytes whose first member is an intern_hashed,
 * set up from cfg with an arena of the given handle alignment and record
 * prefix; NULL with errno = ENOMEM. */
void *intern_hashed_create(const intern_config *cfg, size_t size, size_t align,
                           size_t prefix);

static inline uint64_t intern_hashed_hash(const intern_hashed *b,
                                          const void *key, size_t len) {
    return intern_hash_bytes(b->hash_kind, b->seed, key, len);
}

/* Fills st's counts and bytes: the arena's, plus index_bytes of index
 * (the table struct of size struct_size is counted as index too) over
 * capacity slots or buckets. Probe counts are left to the table. */
void intern_hashed_account(const intern_hashed *b, size_t struct_size,
                           uint64_t index_bytes, uint64_t capacity,
                           intern_stats *st);

/* Releases the arena and the table struct (the table frees its index
 * first). */
void intern_hashed_destroy(intern_hashed *b);

/* Whether the len bytes at a and b are equal. Keys of up to 16 bytes (most
 * identifiers, and the hot path of a hit) are compared inline, by loads
 * that stay inside both; longer ones by memcmp. */
static inline int intern_bytes_equal(const void *a, const void *b, size_t len) {
    const unsigned char *p = a, *q = b;
    if (len > 16)
        return memcmp(p, q, len) == 0;
    if (len >= 8) {
        uint64_t x = intern_load_u64(p) ^ intern_load_u64(q);
        uint64_t y =
            intern_load_u64(p + len - 8) ^ intern_load_u64(q + len - 8);
        return (x | y) == 0;
    }
    if (len >= 4) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, p, 4);
        memcpy(&y0, q, 4);
        memcpy(&x1, p + len - 4, 4);
        memcpy(&y1, q + len - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    /* 0..3 bytes: the first, middle and last cover them all */
    return len == 0 || (p[0] == q[0] && p[len / 2] == q[len / 2] &&
                        p[len - 1] == q[len - 1]);
}

/* ---- control-byte groups ------------------------------------------- */

/* Control bytes in SwissTable-style groups, for the tables that keep one
 * per slot: INTERN_CTRL_EMPTY marks an empty slot, a held slot's byte is
 * a 7-bit tag of its key's hash (a table may keep other bytes with the
 * high bit clear), and a group of INTERN_GROUP bytes is matched at once.
 * A match is a mask with bit i set for each byte i of the group that it
 * selects. Both paths are always compiled, so a test can hold one to the
 * other: SSE2 where the target has it, and SWAR arithmetic on two 64-bit
 * words, which may report a false tag match in a byte above a true one
 * (never miss a true one; callers compare the key anyway) and is exact on
 * empty slots. intern_group_match and intern_group_match_high are the
 * path a table uses: SSE2 where there is one, unless the includer
 * defines INTERN_GROUP_PORTABLE first (open_portable, so that the
 * portable path is always built and tested as a table). */
enum {
    INTERN_GROUP = 16,
    INTERN_CTRL_EMPTY = 0x80,
    INTERN_TAG_MASK = 0x7f,
};

typedef uint32_t intern_group_mask;

#define INTERN_SWAR_LSB 0x0101010101010101ULL
#define INTERN_SWAR_MSB 0x8080808080808080ULL

/* Gathers the high bit of each byte of w into an 8-bit mask. */
static inline unsigned intern_swar_gather(uint64_t w) {
    return (unsigned)((((w & INTERN_SWAR_MSB) >> 7) * 0x0102040810204080ULL) >>
                      56);
}

/* Eight control bytes as a little-endian word (the gather's order). */
static inline uint64_t intern_swar_load(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* A zero byte of w -> its high bit set (plus possible false positives
 * above a true zero, from the borrow). */
static inline uint64_t intern_swar_zero_bytes(uint64_t w) {
    return (w - INTERN_SWAR_LSB) & ~w & INTERN_SWAR_MSB;
}

static inline intern_group_mask intern_group_swar_tag(const uint8_t *g,
                                                      uint8_t tag) {
    uint64_t pattern = INTERN_SWAR_LSB * tag;
    uint64_t lo = intern_swar_zero_bytes(intern_swar_load(g) ^ pattern);
    uint64_t hi = intern_swar_zero_bytes(intern_swar_load(g + 8) ^ pattern);
    return (intern_group_mask)(intern_swar_gather(lo) | intern_swar_gather(hi)
                                                            << 8);
}

static inline intern_group_mask intern_group_swar_empty(const uint8_t *g) {
    return (intern_group_mask)(intern_swar_gather(intern_swar_load(g)) |
                               intern_swar_gather(intern_swar_load(g + 8))
                                   << 8);
}

#if defined(__SSE2__)
#include <emmintrin.h>

static inline intern_group_mask intern_group_sse2_tag(const uint8_t *g,
                                                      uint8_t tag) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
    return (intern_group_mask)_mm_movemask_epi8(
        _mm_cmpeq_epi8(v, _mm_set1_epi8((char)tag)));
}

static inline intern_group_mask intern_group_sse2_empty(const uint8_t *g) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
    return (intern_group_mask)_mm_movemask_epi8(v);
}
#endif

#if defined(__SSE2__) && !defined(INTERN_GROUP_PORTABLE)
#define INTERN_GROUP_MATCH_PATH "SSE2"
static inline intern_group_mask intern_group_match(const uint8_t *g,
                                                   uint8_t b) {
    return intern_group_sse2_tag(g, b);
}
static inline intern_group_mask intern_group_match_high(const uint8_t *g) {
    return intern_group_sse2_empty(g);
}
#else
#define INTERN_GROUP_MATCH_PATH "portable SWAR"
static inline intern_group_mask intern_group_match(const uint8_t *g,
                                                   uint8_t b) {
    return intern_group_swar_tag(g, b);
}
static inline intern_group_mask intern_group_match_high(const uint8_t *g) {
    return intern_group_swar_empty(g);
}
#endif

/* ---- batch operations ----------------------------------------------- */

/* The batch driver: a software pipeline that a hashed table's
 * intern_many and find_many run over the keys. While key r is resolved,
 * key r + w is probed (its home read, the likeliest handle picked and its
 * record prefetched) and key r + 2w hashed (its home prefetched), so the
 * cache misses of 2w keys overlap instead of following one another. Only
 * hints run ahead: each key is resolved against the table as it is then
 * (a key the batch inserted a moment ago is found, a growth is seen), so
 * the results are the loop of single calls', however the keys repeat.
 *
 * A table gives three stages, which the driver inlines:
 *   start(t, k, key, len)     k->h = the key's hash; prefetch its home
 *   probe(t, k, len)          k->cand = the handle the key most likely
 *                             is (NULL: none), its record prefetched
 *   resolve(t, k, key, len, out)  the single call's work, with the hash
 *                             known and cand to try first
 * start and probe never see a key longer than INTERN_KEY_MAX; resolve
 * does (and says INTERN_E2BIG, or NULL for a find). The driver stops at
 * the first negative status, with the count done.
 *
 * Where the table is small (its index below intern_batch_min_index
 * bytes, so it sits in cache), prefetching has nothing to hide and costs
 * its bookkeeping: the driver then makes the single calls, deciding
 * afresh every INTERN_BATCH_SEGMENT keys, as a batch build grows the
 * table. So does a segment of 2w keys or fewer, too short to pipeline. */

/* The window (w above): 1 .. INTERN_BATCH_WINDOW_MAX. Read at each batch
 * call; the default is the measured best (see batch_measure), and tests
 * and measurements set it to sweep it or to exercise the edges. */
extern unsigned intern_batch_window;
#define INTERN_BATCH_WINDOW_MAX 64
/* Index bytes from which the pipeline runs (0: always); as the window. */
extern size_t intern_batch_min_index;

/* A key in flight. */
typedef struct intern_batch_key {
    uint64_t h;
    const intern_str *cand;
} intern_batch_key;

typedef void (*intern_batch_start_fn)(const void *t, intern_batch_key *k,
                                      const void *key, size_t len);
typedef void (*intern_batch_probe_fn)(const void *t, intern_batch_key *k,
                                      size_t len);
typedef intern_status (*intern_batch_resolve_fn)(void *t,
                                                 const intern_batch_key *k,
                                                 const void *key, size_t len,
                                                 const intern_str **out);

/* The single call, for a small table: intern (or find, returning
 * INTERN_FOUND or INTERN_NEW for absent, with *out NULL). */
typedef intern_status (*intern_batch_single_fn)(void *t, const void *key,
                                                size_t len,
                                                const intern_str **out);

/* The stages of one table, its single call, and the bytes its index
 * holds now (or, where the table measured better so, all that its
 * lookups reach into at random: compact counts its records too). */
typedef struct intern_batch_stages {
    intern_batch_start_fn start;
    intern_batch_probe_fn probe;
    intern_batch_resolve_fn resolve;
    intern_batch_single_fn single;
    size_t (*index_bytes)(const void *t);
} intern_batch_stages;

enum {
    INTERN_BATCH_RING = 256, /* > 2 * INTERN_BATCH_WINDOW_MAX */
    INTERN_BATCH_SEGMENT = 1024,
};

#if defined(__GNUC__)
#define INTERN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define INTERN_ALWAYS_INLINE inline
#endif

/* The single calls over n keys; returns the keys done and adds the
 * INTERN_FOUND statuses to *found. */
static INTERN_ALWAYS_INLINE size_t intern_batch_single(
    void *t, const intern_batch_stages *sg, const void *const *keys,
    const size_t *lens, size_t n, const intern_str **out, intern_status *status,
    size_t *found) {
    for (size_t i = 0; i < n; i++) {
        intern_status st = sg->single(t, keys[i], lens[i], &out[i]);
        if (status)
            status[i] = st;
        if (st < 0)
            return i;
        *found += st == INTERN_FOUND;
    }
    return n;
}

#define INTERN_BATCH_M (INTERN_BATCH_RING - 1)

static INTERN_ALWAYS_INLINE void
intern_batch_start(void *t, const intern_batch_stages *sg,
                   intern_batch_key *ring, const void *const *keys,
                   const size_t *lens, size_t i) {
    if (lens[i] <= INTERN_KEY_MAX)
        sg->start(t, &ring[i & INTERN_BATCH_M], keys[i], lens[i]);
}

static INTERN_ALWAYS_INLINE void
intern_batch_probe(void *t, const intern_batch_stages *sg,
                   intern_batch_key *ring, const size_t *lens, size_t i) {
    if (lens[i] <= INTERN_KEY_MAX)
        sg->probe(t, &ring[i & INTERN_BATCH_M], lens[i]);
}

/* Resolves key r; false when it failed (the batch stops there). */
static INTERN_ALWAYS_INLINE int
intern_batch_resolve(void *t, const intern_batch_stages *sg,
                     const intern_batch_key *ring, const void *const *keys,
                     const size_t *lens, size_t r, const intern_str **out,
                     intern_status *status, size_t *found) {
    intern_status st =
        sg->resolve(t, &ring[r & INTERN_BATCH_M], keys[r], lens[r], &out[r]);
    if (status)
        status[r] = st;
    *found += st == INTERN_FOUND;
    return st >= 0;
}

/* One segment of n > 2w keys through the pipeline at window w: started
 * 2w ahead, probed w ahead, resolved in order. Returns the keys done. */
static INTERN_ALWAYS_INLINE size_t intern_batch_pipeline(
    void *t, const intern_batch_stages *sg, size_t w, const void *const *keys,
    const size_t *lens, size_t n, const intern_str **out, intern_status *status,
    size_t *found) {
    intern_batch_key ring[INTERN_BATCH_RING];
    size_t lead = 2 * w, r = 0;
    for (size_t i = 0; i < lead; i++) {
        intern_batch_start(t, sg, ring, keys, lens, i);
        if (i >= w)
            intern_batch_probe(t, sg, ring, lens, i - w);
    }
    for (; r + lead < n; r++) {
        intern_batch_start(t, sg, ring, keys, lens, r + lead);
        intern_batch_probe(t, sg, ring, lens, r + w);
        if (!intern_batch_resolve(t, sg, ring, keys, lens, r, out, status,
                                  found))
            return r;
    }
    for (; r < n; r++) {
        if (r + w < n)
            intern_batch_probe(t, sg, ring, lens, r + w);
        if (!intern_batch_resolve(t, sg, ring, keys, lens, r, out, status,
                                  found))
            return r;
    }
    return n;
}

/* Runs the stages over all n keys. */
static INTERN_ALWAYS_INLINE size_t
intern_batch_run(void *t, const intern_batch_stages *sg,
                 const void *const *keys, const size_t *lens, size_t n,
                 const intern_str **out, intern_status *status, size_t *found) {
    unsigned w = intern_batch_window;
    w = w < 1 ? 1 : w > INTERN_BATCH_WINDOW_MAX ? INTERN_BATCH_WINDOW_MAX : w;
    size_t done = 0;
    while (done < n) {
        size_t seg =
            n - done < INTERN_BATCH_SEGMENT ? n - done : INTERN_BATCH_SEGMENT;
        size_t ww = sg->index_bytes(t) >= intern_batch_min_index ? w : 0;
        intern_status *sp = status ? status + done : NULL;
        size_t d =
            ww && seg > 2 * ww
                ? intern_batch_pipeline(t, sg, ww, keys + done, lens + done,
                                        seg, out + done, sp, found)
                : intern_batch_single(t, sg, keys + done, lens + done, seg,
                                      out + done, sp, found);
        done += d;
        if (d < seg)
            break;
    }
    return done;
}

#endif
