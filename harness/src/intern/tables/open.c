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

enum {
    OPEN_GROUP = 16,   /* slots matched at once */
    OPEN_EMPTY = 0x80, /* control byte of an empty slot */
    OPEN_TAG_MASK = 0x7f,
};

/* Invariant: capacity = OPEN_GROUP * (group_mask + 1), a power of two.
 * ctrl[i] is OPEN_EMPTY or the 7-bit tag (hash & 0x7f) of the handle in
 * slots[i]. A key's probe sequence visits the groups g, g+1, g+3, g+6,
 * ... (triangular steps mod the group count, which visit every group of a
 * power-of-two count), starting at g = (hash >> 7) & group_mask; every
 * held key sits in the first group of its sequence that had a free slot
 * when it was inserted. Nothing is ever deleted, so a lookup stops at the
 * first group of its sequence that has an empty slot. count < capacity
 * always (some slot is empty, so every probe ends), and count <= 7/8 of
 * capacity unless a growth failed. Slots hold arena handles, whose record
 * prefix is the key's full hash: growing moves only the index, never a
 * string, and rehashes nothing. */
struct intern_table {
    intern_hashed base;
    uint8_t *ctrl;            /* capacity control bytes, then the slots */
    const intern_str **slots; /* inside the same block as ctrl */
    size_t group_mask;
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
        _mm_cmpeq_epi8(v, _mm_set1_epi8((char)tag)));
}

static inline open_mask open_match_empty(const uint8_t *g) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)g);
    return (open_mask)_mm_movemask_epi8(v);
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
    return (open_mask)(open_gather(lo) | open_gather(hi) << 8);
}

static inline open_mask open_match_empty(const uint8_t *g) {
    return (open_mask)(open_gather(open_load_le(g)) |
                       open_gather(open_load_le(g + 8)) << 8);
}
#endif

static inline size_t open_capacity(const intern_table *t) {
    return (t->group_mask + 1) * OPEN_GROUP;
}

/* Allocates ctrl and slots for groups groups in one block, all empty. */
static int open_index_new(const intern_allocator *alloc, size_t groups,
                          uint8_t **ctrl, const intern_str ***slots) {
    size_t cap = groups * OPEN_GROUP;
    if (groups > SIZE_MAX / OPEN_GROUP ||
        cap > SIZE_MAX / (1 + sizeof(intern_str *)))
        return -1;
    uint8_t *block = alloc->malloc(alloc->ctx, cap + cap * sizeof **slots);
    if (!block)
        return -1;
    memset(block, OPEN_EMPTY, cap);
    memset(block + cap, 0, cap * sizeof **slots);
    *ctrl = block;
    *slots = (const intern_str **)(void *)(block + cap);
    return 0;
}

static intern_table *open_create(const intern_config *cfg) {
    size_t want = cfg && cfg->capacity_hint ? cfg->capacity_hint : 0;
    size_t groups = 1;
    /* room for want at load 7/8 */
    while (groups * OPEN_GROUP / 8 * 7 < want && groups <= SIZE_MAX / 64)
        groups *= 2;
    intern_table *t = intern_hashed_create(cfg, sizeof *t, 1, OPEN_PREFIX);
    if (!t)
        return NULL;
    if (open_index_new(t->base.alloc, groups, &t->ctrl, &t->slots) != 0) {
        intern_hashed_destroy(&t->base);
        errno = ENOMEM;
        return NULL;
    }
    t->group_mask = groups - 1;
    return t;
}

static const intern_str *open_lookup(const intern_table *t, uint64_t h,
                                     const void *key, size_t len) {
    uint8_t tag = (uint8_t)(h & OPEN_TAG_MASK);
    size_t g = (size_t)(h >> 7) & t->group_mask;
    for (size_t step = 1;; step++) {
        const uint8_t *ctrl = t->ctrl + g * OPEN_GROUP;
        for (open_mask m = open_match_tag(ctrl, tag); m; m &= m - 1) {
            const intern_str *s =
                t->slots[g * OPEN_GROUP + (size_t)__builtin_ctz(m)];
            if (open_hash(s) == h && intern_str_len(s) == len &&
                memcmp(intern_str_bytes(s), key, len) == 0)
                return s;
        }
        if (open_match_empty(ctrl))
            return NULL;
        g = (g + step) & t->group_mask;
    }
}

/* Puts s in the first empty slot of its probe sequence. */
static void open_place(uint8_t *ctrl, const intern_str **slots,
                       size_t group_mask, const intern_str *s, uint64_t h) {
    size_t g = (size_t)(h >> 7) & group_mask;
    for (size_t step = 1;; step++) {
        open_mask m = open_match_empty(ctrl + g * OPEN_GROUP);
        if (m) {
            size_t i = g * OPEN_GROUP + (size_t)__builtin_ctz(m);
            ctrl[i] = (uint8_t)(h & OPEN_TAG_MASK);
            slots[i] = s;
            return;
        }
        g = (g + step) & group_mask;
    }
}

/* Doubles the index; on allocation failure leaves it as it was. */
static void open_grow(intern_table *t) {
    size_t old_cap = open_capacity(t);
    size_t groups = (t->group_mask + 1) * 2;
    uint8_t *ctrl;
    const intern_str **slots;
    if (groups <= t->group_mask + 1 ||
        open_index_new(t->base.alloc, groups, &ctrl, &slots) != 0)
        return;
    for (size_t i = 0; i < old_cap; i++)
        if (t->ctrl[i] != OPEN_EMPTY)
            open_place(ctrl, slots, groups - 1, t->slots[i],
                       open_hash(t->slots[i]));
    t->base.alloc->free(t->base.alloc->ctx, t->ctrl);
    t->ctrl = ctrl;
    t->slots = slots;
    t->group_mask = groups - 1;
    t->base.resizes++;
}

static intern_status open_intern(intern_table *t, const void *key, size_t len,
                                 const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    uint64_t h = intern_hashed_hash(&t->base, key, len);
    const intern_str *found = open_lookup(t, h, key, len);
    if (found) {
        *out = found;
        return INTERN_FOUND;
    }
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
    open_place(t->ctrl, t->slots, t->group_mask, s, h);
    t->base.count++;
    t->base.payload_bytes += len;
    *out = s;
    return INTERN_NEW;
}

static const intern_str *open_find(const intern_table *t, const void *key,
                                   size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return open_lookup(t, intern_hashed_hash(&t->base, key, len), key, len);
}

static void open_stats(const intern_table *t, intern_stats *st) {
    size_t cap = open_capacity(t);
    size_t groups = t->group_mask + 1;
    intern_hashed_account(&t->base, sizeof *t, cap + cap * sizeof(intern_str *),
                          cap, st);
    /* groups a hit visits: the position of the key's group in its probe
     * sequence, plus one */
    for (size_t i = 0; i < cap; i++) {
        if (t->ctrl[i] == OPEN_EMPTY)
            continue;
        size_t g = (size_t)(open_hash(t->slots[i]) >> 7) & t->group_mask;
        uint64_t visits = 1;
        for (size_t step = 1; g != i / OPEN_GROUP; step++, visits++)
            g = (g + step) & t->group_mask;
        st->probe_hit_sum += visits;
        if (visits > st->probe_hit_max)
            st->probe_hit_max = visits;
    }
    /* groups a miss visits, from each home group */
    for (size_t home = 0; home < groups; home++) {
        size_t g = home;
        uint64_t visits = 1;
        for (size_t step = 1; !open_match_empty(t->ctrl + g * OPEN_GROUP);
             step++, visits++)
            g = (g + step) & t->group_mask;
        st->probe_miss_sum += visits;
    }
    st->probe_miss_samples = groups;
}

static void open_destroy(intern_table *t) {
    if (!t)
        return;
    t->base.alloc->free(t->base.alloc->ctx, t->ctrl);
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
};
