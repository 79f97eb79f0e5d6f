/* open.c: open addressing in the SwissTable style.
 *
 * Compiled twice: as the "open" table, matching a group's 16 control
 * bytes with SSE2 where the target has it, and (open_portable.c defines
 * OPEN_PORTABLE) as "open_portable", matching them with SWAR arithmetic
 * on two 64-bit words, so both paths are always built and tested. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tables/hashed.h"
#include "tables/tables.h"

#if defined(__SSE2__) && !defined(OPEN_PORTABLE)
#define OPEN_USE_SSE2 1
#include <emmintrin.h>
#else
#define OPEN_USE_SSE2 0
#endif

#ifdef OPEN_PORTABLE
#define OPEN_OPS  intern_open_portable_ops
#define OPEN_NAME "open_portable"
#define OPEN_SETTINGS                                                          \
    "the open table with its portable group match (SWAR on 64-bit words), "    \
    "to compare with the SIMD path"
#else
#define OPEN_OPS  intern_open_ops
#define OPEN_NAME "open"
#define OPEN_SETTINGS                                                          \
    "open addressing, SwissTable style: 7-bit tags in 16-slot groups "         \
    "matched with " INTERN_OPEN_MATCH_PATH ", load at most 7/8, grows x2"
#endif

#ifndef OPEN_INTERLEAVED
#define OPEN_INTERLEAVED 0
#endif

enum {
    OPEN_EMPTY = 0x80, /* control byte of an empty slot */
    OPEN_TAG_MASK = 0x7f,
#if OPEN_INTERLEAVED
    /* a group is one 128-byte block: 16 control bytes (the last two
     * unused) and 14 slots */
    OPEN_SLOTS = 14,
    OPEN_STRIDE = 128,
#else
    OPEN_SLOTS = 16,
#endif
};

#define OPEN_SLOT_MASK ((1u << OPEN_SLOTS) - 1)

/* One index block. Invariant: ctrl is block aligned up to 64 bytes;
 * split layout: capacity control bytes at ctrl, the slots at slots (ctrl
 * plus capacity rounded up to 64); groups-with-slots layout: group g's
 * control bytes at ctrl + g * OPEN_STRIDE, its slots right after them;
 * block_size is what was allocated. */
typedef struct open_index {
    void *block;
    uint8_t *ctrl;
#if !OPEN_INTERLEAVED
    const intern_str **slots;
#endif
    size_t group_mask;
    size_t block_size;
} open_index;

/* Invariant: capacity = OPEN_SLOTS * (ix.group_mask + 1), groups a power
 * of two. A group's control byte i is OPEN_EMPTY or the 7-bit tag
 * (hash & 0x7f) of the handle in its slot i. A key's probe sequence
 * visits the groups g, g+1, g+3, g+6, ... (triangular steps mod the group
 * count, which visit every group of a power-of-two count), starting at
 * g = (hash >> 7) & group_mask; every held key sits in the first group of
 * its sequence that had a free slot when it was inserted. Nothing is ever
 * deleted, so a lookup stops at the first group of its sequence that has
 * an empty slot. count < capacity always (some slot is empty, so every
 * probe ends), and count <= 7/8 of capacity unless a growth failed. Slots
 * hold arena handles, whose record prefix is the key's full hash: growing
 * moves only the index, never a string, and rehashes nothing. */
struct intern_table {
    intern_hashed base;
    open_index ix;
};

/* The record prefix: the full hash. */
#define OPEN_PREFIX sizeof(uint64_t)

static inline uint64_t open_hash(const intern_str *s) {
    return intern_load_u64(intern_record_prefix(s, OPEN_PREFIX));
}

/* Bit i set for each slot i of the group whose control byte is tag, and
 * for each empty slot. The portable path may report a false tag match
 * (never a missed one); callers compare the full hash anyway. */
typedef uint32_t open_mask;

#if OPEN_USE_SSE2
static inline open_mask open_match_tag(const uint8_t *g, uint8_t tag) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
    return (open_mask)_mm_movemask_epi8(
               _mm_cmpeq_epi8(v, _mm_set1_epi8((char)tag))) &
           OPEN_SLOT_MASK;
}

static inline open_mask open_match_empty(const uint8_t *g) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
    return (open_mask)_mm_movemask_epi8(v) & OPEN_SLOT_MASK;
}
#else
#define OPEN_LSB 0x0101010101010101ULL
#define OPEN_MSB 0x8080808080808080ULL

/* Gathers the high bit of each byte of w into an 8-bit mask. */
static inline unsigned open_gather(uint64_t w) {
    return (unsigned)((((w & OPEN_MSB) >> 7) * 0x0102040810204080ULL) >> 56);
}

static inline uint64_t open_load64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* Little-endian word order is assumed by the gather; on a big-endian
 * target the bytes are reversed first. */
static inline uint64_t open_load_le(const uint8_t *p) {
    uint64_t w = open_load64(p);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* A byte of w is zero -> its high bit set in the result (plus possible
 * false positives above a true zero, from the borrow). */
static inline uint64_t open_zero_bytes(uint64_t w) {
    return (w - OPEN_LSB) & ~w & OPEN_MSB;
}

static inline open_mask open_match_tag(const uint8_t *g, uint8_t tag) {
    uint64_t pattern = OPEN_LSB * tag;
    uint64_t lo = open_zero_bytes(open_load_le(g) ^ pattern);
    uint64_t hi = open_zero_bytes(open_load_le(g + 8) ^ pattern);
    return (open_mask)(open_gather(lo) | open_gather(hi) << 8) & OPEN_SLOT_MASK;
}

static inline open_mask open_match_empty(const uint8_t *g) {
    return (open_mask)(open_gather(open_load_le(g)) |
                       open_gather(open_load_le(g + 8)) << 8) &
           OPEN_SLOT_MASK;
}
#endif

static inline size_t open_capacity(const intern_table *t) {
    return (t->ix.group_mask + 1) * OPEN_SLOTS;
}

/* Group g's control bytes, and its slot i. */
#if OPEN_INTERLEAVED
static inline uint8_t *open_ctrl(const open_index *ix, size_t g) {
    return ix->ctrl + g * OPEN_STRIDE;
}

static inline const intern_str **open_slot(const open_index *ix, size_t g,
                                           unsigned i) {
    return (const intern_str **)(void *)(ix->ctrl + g * OPEN_STRIDE + 16) + i;
}
#else
static inline uint8_t *open_ctrl(const open_index *ix, size_t g) {
    return ix->ctrl + g * OPEN_SLOTS;
}

static inline const intern_str **open_slot(const open_index *ix, size_t g,
                                           unsigned i) {
    return ix->slots + g * OPEN_SLOTS + i;
}
#endif

static inline size_t open_home(const open_index *ix, uint64_t h) {
    return (size_t)(h >> 7) & ix->group_mask;
}

/* Allocates an index of groups groups, all empty. */
static int open_index_new(const intern_allocator *alloc, size_t groups,
                          open_index *ix) {
#if OPEN_INTERLEAVED
    if (groups > (SIZE_MAX - 64) / OPEN_STRIDE)
        return -1;
    size_t size = groups * OPEN_STRIDE + 63;
#else
    size_t cap = groups * OPEN_SLOTS;
    size_t ctrl_bytes = (cap + 63) & ~(size_t)63;
    if (groups > SIZE_MAX / OPEN_SLOTS / 16)
        return -1;
    size_t size = ctrl_bytes + cap * sizeof(intern_str *) + 63;
#endif
    void *block = alloc->malloc(alloc->ctx, size);
    if (!block)
        return -1;
    ix->block = block;
    ix->block_size = size;
    ix->ctrl = (uint8_t *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
    ix->group_mask = groups - 1;
#if OPEN_INTERLEAVED
    for (size_t g = 0; g < groups; g++)
        memset(open_ctrl(ix, g), OPEN_EMPTY, 16);
#else
    memset(ix->ctrl, OPEN_EMPTY, cap);
    ix->slots = (const intern_str **)(void *)(ix->ctrl + ctrl_bytes);
#endif
    return 0;
}

static intern_table *open_create(const intern_config *cfg) {
    size_t want = cfg && cfg->capacity_hint ? cfg->capacity_hint : 0;
    size_t groups = 1;
    /* room for want at load 7/8 */
    while (groups * OPEN_SLOTS / 8 * 7 < want && groups <= SIZE_MAX / 256)
        groups *= 2;
    intern_table *t = intern_hashed_create(cfg, sizeof *t, 1, OPEN_PREFIX);
    if (!t)
        return NULL;
    if (open_index_new(t->base.alloc, groups, &t->ix) != 0) {
        intern_hashed_destroy(&t->base);
        errno = ENOMEM;
        return NULL;
    }
    return t;
}

/* Whether s is the key whose hash is h. */
static inline int open_is(const intern_str *s, uint64_t h, const void *key,
                          size_t len) {
    return open_hash(s) == h && intern_str_len(s) == len &&
           intern_bytes_equal(intern_str_bytes(s), key, len);
}

static const intern_str *open_lookup(const intern_table *t, uint64_t h,
                                     const void *key, size_t len) {
    uint8_t tag = (uint8_t)(h & OPEN_TAG_MASK);
    size_t g = open_home(&t->ix, h);
    for (size_t step = 1;; step++) {
        const uint8_t *ctrl = open_ctrl(&t->ix, g);
        for (open_mask m = open_match_tag(ctrl, tag); m; m &= m - 1) {
            const intern_str *s =
                *open_slot(&t->ix, g, (unsigned)__builtin_ctz(m));
            if (open_is(s, h, key, len))
                return s;
        }
        if (open_match_empty(ctrl))
            return NULL;
        g = (g + step) & t->ix.group_mask;
    }
}

/* Puts s in the first empty slot of its probe sequence. */
static void open_place(const open_index *ix, const intern_str *s, uint64_t h) {
    size_t g = open_home(ix, h);
    for (size_t step = 1;; step++) {
        uint8_t *ctrl = open_ctrl(ix, g);
        open_mask m = open_match_empty(ctrl);
        if (m) {
            unsigned i = (unsigned)__builtin_ctz(m);
            ctrl[i] = (uint8_t)(h & OPEN_TAG_MASK);
            *open_slot(ix, g, i) = s;
            return;
        }
        g = (g + step) & ix->group_mask;
    }
}

/* The handle in slot k (counting across groups), or NULL if empty. */
static inline const intern_str *open_slot_at(const open_index *ix, size_t k) {
    size_t g = k / OPEN_SLOTS;
    unsigned i = (unsigned)(k % OPEN_SLOTS);
    return open_ctrl(ix, g)[i] == OPEN_EMPTY ? NULL : *open_slot(ix, g, i);
}

/* Where a batch path or a growth prefetches a record: its hash prefix
 * (one-byte header) and, on the next line if it spills there, its
 * bytes. */
static inline void open_prefetch_record(const intern_str *s, size_t len) {
    __builtin_prefetch((const char *)s - OPEN_PREFIX - 1);
    __builtin_prefetch((const char *)s + len);
}

/* Doubles the index; on allocation failure leaves it as it was. Each
 * handle's hash is read from its record, in slot order, so the records
 * are read at random: they are prefetched a stretch of slots ahead. */
static void open_grow(intern_table *t) {
    enum { AHEAD = 16 };
    size_t old_cap = open_capacity(t);
    size_t groups = (t->ix.group_mask + 1) * 2;
    open_index nx;
    if (groups <= t->ix.group_mask + 1 ||
        open_index_new(t->base.alloc, groups, &nx) != 0)
        return;
    for (size_t k = 0; k < old_cap; k++) {
        if (k + AHEAD < old_cap) {
            const intern_str *ahead = open_slot_at(&t->ix, k + AHEAD);
            if (ahead)
                __builtin_prefetch((const char *)ahead - OPEN_PREFIX - 1);
        }
        const intern_str *s = open_slot_at(&t->ix, k);
        if (s)
            open_place(&nx, s, open_hash(s));
    }
    t->base.alloc->free(t->base.alloc->ctx, t->ix.block);
    t->ix = nx;
    t->base.resizes++;
}

/* Interns a key known absent, whose hash is h. */
static intern_status open_insert(intern_table *t, uint64_t h, const void *key,
                                 size_t len, const intern_str **out) {
    /* the record first: when it cannot be had, nothing has changed */
    const intern_str *s = intern_arena_store(&t->base.arena, key, len);
    if (!s)
        return INTERN_ENOMEM;
    intern_store_u64(intern_record_prefix(s, OPEN_PREFIX), h);
    if ((t->base.count + 1) * 8 > open_capacity(t) * 7) {
        open_grow(t);
        /* Without the growth the table still works while a slot would
         * stay empty after this insert; else take the record back. */
        if (t->base.count + 2 > open_capacity(t)) {
            intern_arena_undo(&t->base.arena);
            return INTERN_ENOMEM;
        }
    }
    open_place(&t->ix, s, h);
    t->base.count++;
    t->base.payload_bytes += len;
    *out = s;
    return INTERN_NEW;
}

static intern_status open_intern_hashed(intern_table *t, uint64_t h,
                                        const void *key, size_t len,
                                        const intern_str **out) {
    const intern_str *found = open_lookup(t, h, key, len);
    if (found) {
        *out = found;
        return INTERN_FOUND;
    }
    return open_insert(t, h, key, len, out);
}

static intern_status open_intern(intern_table *t, const void *key, size_t len,
                                 const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    return open_intern_hashed(t, intern_hashed_hash(&t->base, key, len), key,
                              len, out);
}

static const intern_str *open_find(const intern_table *t, const void *key,
                                   size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return open_lookup(t, intern_hashed_hash(&t->base, key, len), key, len);
}

/* ---- batch operations ---------------------------------------------- */

/* The batch path is a software pipeline over the keys: while key r is
 * resolved, key r + w's record is prefetched (its home group read for
 * the first slot whose tag matches), and key r + 2w hashed and its home
 * group prefetched (split layout: one more stage between, the slot).
 * Only hints run ahead: every key is resolved against the table as it is
 * then (a key the batch inserted earlier is found, a growth is seen), so
 * the results are the loop of single calls'. */
#if OPEN_INTERLEAVED
#define OPEN_STAGES 3
#else
#define OPEN_STAGES 4
#endif

/* A key in flight: its hash, and the first handle its tag matched in its
 * home group (NULL if none), read one stage before it is resolved. */
typedef struct open_flight {
    uint64_t h;
    const intern_str *cand;
} open_flight;

enum { OPEN_RING = 256 }; /* > (OPEN_STAGES - 1) * INTERN_BATCH_WINDOW_MAX */

static inline size_t open_window(void) {
    unsigned w = intern_batch_window;
    return w < 1                         ? 1
           : w > INTERN_BATCH_WINDOW_MAX ? INTERN_BATCH_WINDOW_MAX
                                         : w;
}

static inline void open_stage_hash(const intern_table *t, open_flight *f,
                                   const void *key, size_t len) {
    if (len > INTERN_KEY_MAX)
        return; /* never read: resolved as too long */
    f->h = intern_hashed_hash(&t->base, key, len);
    const uint8_t *ctrl = open_ctrl(&t->ix, open_home(&t->ix, f->h));
    __builtin_prefetch(ctrl);
#if OPEN_INTERLEAVED
    __builtin_prefetch(ctrl + 64);
#endif
}

#if !OPEN_INTERLEAVED
static inline void open_stage_slot(const intern_table *t, const open_flight *f,
                                   size_t len) {
    if (len > INTERN_KEY_MAX)
        return;
    size_t g = open_home(&t->ix, f->h);
    const uint8_t *ctrl = open_ctrl(&t->ix, g);
    open_mask m = open_match_tag(ctrl, (uint8_t)(f->h & OPEN_TAG_MASK));
    if (m) {
        __builtin_prefetch(open_slot(&t->ix, g, (unsigned)__builtin_ctz(m)));
    } else if ((m = open_match_empty(ctrl)) != 0) {
        /* a new key: where it will go */
        __builtin_prefetch(open_slot(&t->ix, g, (unsigned)__builtin_ctz(m)), 1);
    }
}
#endif

static inline void open_stage_record(const intern_table *t, open_flight *f,
                                     size_t len) {
    f->cand = NULL;
    if (len > INTERN_KEY_MAX)
        return;
    size_t g = open_home(&t->ix, f->h);
    open_mask m =
        open_match_tag(open_ctrl(&t->ix, g), (uint8_t)(f->h & OPEN_TAG_MASK));
    if (m) {
        f->cand = *open_slot(&t->ix, g, (unsigned)__builtin_ctz(m));
        open_prefetch_record(f->cand, len);
    }
}

/* Runs the stages ahead of key i - lead (the one about to be resolved). */
static inline void open_stages_ahead(const intern_table *t, open_flight *fl,
                                     const void *const *keys,
                                     const size_t *lens, size_t n, size_t i,
                                     size_t w) {
    if (i < n)
        open_stage_hash(t, &fl[i % OPEN_RING], keys[i], lens[i]);
#if !OPEN_INTERLEAVED
    if (i >= w && i - w < n)
        open_stage_slot(t, &fl[(i - w) % OPEN_RING], lens[i - w]);
#endif
    size_t d = (OPEN_STAGES - 2) * w;
    if (i >= d && i - d < n)
        open_stage_record(t, &fl[(i - d) % OPEN_RING], lens[i - d]);
}

static size_t open_intern_many(intern_table *t, const void *const *keys,
                               const size_t *lens, size_t n,
                               const intern_str **out, intern_status *status) {
    open_flight fl[OPEN_RING];
    size_t w = open_window(), lead = (OPEN_STAGES - 1) * w;
    for (size_t i = 0; i < n + lead; i++) {
        open_stages_ahead(t, fl, keys, lens, n, i, w);
        if (i < lead)
            continue;
        size_t r = i - lead;
        const open_flight *f = &fl[r % OPEN_RING];
        intern_status st;
        if (lens[r] > INTERN_KEY_MAX) {
            st = INTERN_E2BIG;
        } else if (f->cand && open_is(f->cand, f->h, keys[r], lens[r])) {
            out[r] = f->cand;
            st = INTERN_FOUND;
        } else {
            st = open_intern_hashed(t, f->h, keys[r], lens[r], &out[r]);
        }
        if (status)
            status[r] = st;
        if (st < 0)
            return r;
    }
    return n;
}

static size_t open_find_many(const intern_table *t, const void *const *keys,
                             const size_t *lens, size_t n,
                             const intern_str **out) {
    open_flight fl[OPEN_RING];
    size_t w = open_window(), lead = (OPEN_STAGES - 1) * w, found = 0;
    for (size_t i = 0; i < n + lead; i++) {
        open_stages_ahead(t, fl, keys, lens, n, i, w);
        if (i < lead)
            continue;
        size_t r = i - lead;
        const open_flight *f = &fl[r % OPEN_RING];
        if (lens[r] > INTERN_KEY_MAX)
            out[r] = NULL;
        else if (f->cand && open_is(f->cand, f->h, keys[r], lens[r]))
            out[r] = f->cand;
        else
            out[r] = open_lookup(t, f->h, keys[r], lens[r]);
        found += out[r] != NULL;
    }
    return found;
}

static void open_stats(const intern_table *t, intern_stats *st) {
    size_t cap = open_capacity(t);
    size_t groups = t->ix.group_mask + 1;
    intern_hashed_account(&t->base, sizeof *t, t->ix.block_size, cap, st);
    /* groups a hit visits: the position of the key's group in its probe
     * sequence, plus one */
    for (size_t k = 0; k < cap; k++) {
        const intern_str *s = open_slot_at(&t->ix, k);
        if (!s)
            continue;
        size_t g = open_home(&t->ix, open_hash(s));
        uint64_t visits = 1;
        for (size_t step = 1; g != k / OPEN_SLOTS; step++, visits++)
            g = (g + step) & t->ix.group_mask;
        st->probe_hit_sum += visits;
        if (visits > st->probe_hit_max)
            st->probe_hit_max = visits;
    }
    /* groups a miss visits, from each home group */
    for (size_t home = 0; home < groups; home++) {
        size_t g = home;
        uint64_t visits = 1;
        for (size_t step = 1; !open_match_empty(open_ctrl(&t->ix, g));
             step++, visits++)
            g = (g + step) & t->ix.group_mask;
        st->probe_miss_sum += visits;
    }
    st->probe_miss_samples = groups;
}

static void open_destroy(intern_table *t) {
    if (!t)
        return;
    t->base.alloc->free(t->base.alloc->ctx, t->ix.block);
    intern_hashed_destroy(&t->base);
}

const intern_ops OPEN_OPS = {
    .name = OPEN_NAME,
    .settings = OPEN_SETTINGS,
    .create = open_create,
    .intern = open_intern,
    .find = open_find,
    .stats = open_stats,
    .destroy = open_destroy,
    .intern_many = open_intern_many,
    .find_many = open_find_many,
};
