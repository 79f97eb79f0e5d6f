/* open.c: open addressing in the SwissTable style.
 *
 * Compiled twice: as the "open" table, matching a group's control bytes
 * with SSE2 where the target has it, and (open_portable.c defines
 * OPEN_PORTABLE) as "open_portable", matching them with SWAR arithmetic
 * on two 64-bit words, so both paths are always built and tested.
 *
 * A group is one 128-byte block: 16 control bytes (14 used) and then its
 * 14 slots, so that a lookup's control bytes and slot lie in one aligned
 * pair of cache lines, fetched together (the adjacent-line prefetcher,
 * or the batch path's two prefetches), in one page. The split layout
 * (every control byte, then every slot) keeps misses in a smaller, denser
 * array but makes a hit wait for a second, unrelated line; measured with
 * batch_measure, the block layout wins the batch and scalar hits and the
 * batch misses (see the batch notes). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#ifdef OPEN_PORTABLE
#define INTERN_GROUP_PORTABLE 1
#endif
#include "tables/hashed.h"
#include "tables/tables.h"

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
    "open addressing, SwissTable style: 7-bit tags, groups of 14 slots "       \
    "beside their control bytes in 128-byte blocks, matched "                  \
    "with " INTERN_GROUP_MATCH_PATH                                            \
    ", load at most 7/8, grows x2; a prefetching batch path"
#endif

enum {
    OPEN_EMPTY = 0x80, /* control byte of an empty slot */
    OPEN_TAG_MASK = 0x7f,
    OPEN_SLOTS = 14,    /* slots per group */
    OPEN_CTRL = 16,     /* control bytes per group: 14 tags, then: */
    OPEN_OVERFLOW = 14, /* the group's overflow count; byte 15 unused */
    OPEN_STRIDE = 128,  /* bytes per group: OPEN_CTRL + 8 * OPEN_SLOTS */
};

#define OPEN_SLOT_MASK ((1u << OPEN_SLOTS) - 1)

/* One index block. Invariant: groups is block aligned up to 64 bytes,
 * group g's control bytes are at groups + g * OPEN_STRIDE and its slots
 * right after them; block_size is what was allocated. */
typedef struct open_index {
    void *block;
    uint8_t *groups;
    size_t group_mask;
    size_t block_size;
} open_index;

/* Invariant: capacity = OPEN_SLOTS * (ix.group_mask + 1), groups a power
 * of two. A group's control byte i is OPEN_EMPTY or the 7-bit tag
 * (hash & 0x7f) of the handle in its slot i. A key's probe sequence
 * visits the groups g, g+1, g+3, g+6, ... (triangular steps mod the group
 * count, which visit every group of a power-of-two count), starting at
 * g = (hash >> 7) & group_mask; every held key sits in the first group of
 * its sequence that had a free slot when it was inserted. A group's
 * overflow count (its control byte OPEN_OVERFLOW) is the number of held
 * keys whose sequence passed it full, saturating at 255 (as in Folly's
 * F14): so a lookup stops at the first group of its sequence whose count
 * is 0, which at a high load is nearly always the home group even when
 * that is full (a group with an empty slot has a count of 0: nothing is
 * ever deleted). count < capacity always (some slot is empty, so every
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

/* Bit i set for each slot i of the group whose control byte is tag (the
 * portable path may report a false one), and for each empty slot. */
static inline uint32_t open_match_tag(const uint8_t *g, uint8_t tag) {
    return intern_group_match(g, tag) & OPEN_SLOT_MASK;
}

/* Whether a key whose sequence reached g may lie further on. */
static inline int open_overflowed(const uint8_t *g) {
    return g[OPEN_OVERFLOW] != 0;
}

static inline uint32_t open_match_empty(const uint8_t *g) {
    return intern_group_match_high(g) & OPEN_SLOT_MASK;
}

static inline size_t open_capacity(const intern_table *t) {
    return (t->ix.group_mask + 1) * OPEN_SLOTS;
}

/* Group g's control bytes, and its slot i. */
static inline uint8_t *open_ctrl(const open_index *ix, size_t g) {
    return ix->groups + g * OPEN_STRIDE;
}

static inline const intern_str **open_slot(const open_index *ix, size_t g,
                                           unsigned i) {
    return (const intern_str **)(void *)(open_ctrl(ix, g) + OPEN_CTRL) + i;
}

static inline size_t open_home(const open_index *ix, uint64_t h) {
    return (size_t)(h >> 7) & ix->group_mask;
}

/* Allocates an index of groups groups, all empty. */
static int open_index_new(const intern_allocator *alloc, size_t groups,
                          open_index *ix) {
    if (groups > (SIZE_MAX - 64) / OPEN_STRIDE)
        return -1;
    size_t size = groups * OPEN_STRIDE + 63;
    void *block = alloc->malloc(alloc->ctx, size);
    if (!block)
        return -1;
    ix->block = block;
    ix->block_size = size;
    ix->groups = (uint8_t *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
    ix->group_mask = groups - 1;
    for (size_t g = 0; g < groups; g++) {
        uint8_t *ctrl = open_ctrl(ix, g);
        memset(ctrl, OPEN_EMPTY, OPEN_SLOTS);
        memset(ctrl + OPEN_SLOTS, 0, OPEN_CTRL - OPEN_SLOTS);
    }
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
        for (uint32_t m = open_match_tag(ctrl, tag); m; m &= m - 1) {
            const intern_str *s =
                *open_slot(&t->ix, g, (unsigned)__builtin_ctz(m));
            if (open_is(s, h, key, len))
                return s;
        }
        if (!open_overflowed(ctrl))
            return NULL;
        g = (g + step) & t->ix.group_mask;
    }
}

/* Puts s in the first empty slot of its probe sequence. */
static void open_place(const open_index *ix, const intern_str *s, uint64_t h) {
    size_t g = open_home(ix, h);
    for (size_t step = 1;; step++) {
        uint8_t *ctrl = open_ctrl(ix, g);
        uint32_t m = open_match_empty(ctrl);
        if (m) {
            unsigned i = (unsigned)__builtin_ctz(m);
            ctrl[i] = (uint8_t)(h & OPEN_TAG_MASK);
            *open_slot(ix, g, i) = s;
            return;
        }
        if (ctrl[OPEN_OVERFLOW] < 255)
            ctrl[OPEN_OVERFLOW]++;
        g = (g + step) & ix->group_mask;
    }
}

/* Where the record of the handle s (of a key len bytes long) starts: its
 * hash prefix (one-byte header), and where its bytes end; a batch path
 * or a growth prefetches both (one line, mostly). */
static inline void open_prefetch_record(const intern_str *s, size_t len) {
    __builtin_prefetch((const char *)s - OPEN_PREFIX - 1);
    __builtin_prefetch((const char *)s + len);
}

/* Moves every handle of group g of the old index into nx, with the
 * records of group g + ahead prefetched: the hashes are read from the
 * records, in slot order, so at random. */
static void open_move_group(const open_index *old, size_t g, size_t ahead,
                            const open_index *nx) {
    if (g + ahead <= old->group_mask) {
        const uint8_t *c = open_ctrl(old, g + ahead);
        for (uint32_t m = ~open_match_empty(c) & OPEN_SLOT_MASK; m;
             m &= m - 1) {
            const intern_str *s =
                *open_slot(old, g + ahead, (unsigned)__builtin_ctz(m));
            __builtin_prefetch((const char *)s - OPEN_PREFIX - 1);
        }
    }
    const uint8_t *ctrl = open_ctrl(old, g);
    for (uint32_t m = ~open_match_empty(ctrl) & OPEN_SLOT_MASK; m; m &= m - 1) {
        const intern_str *s = *open_slot(old, g, (unsigned)__builtin_ctz(m));
        open_place(nx, s, open_hash(s));
    }
}

/* Doubles the index; on allocation failure leaves it as it was. */
static void open_grow(intern_table *t) {
    size_t groups = (t->ix.group_mask + 1) * 2;
    open_index nx;
    if (groups <= t->ix.group_mask + 1 ||
        open_index_new(t->base.alloc, groups, &nx) != 0)
        return;
    for (size_t g = 0; g <= t->ix.group_mask; g++)
        open_move_group(&t->ix, g, 2, &nx);
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

/* ---- batch operations (the driver is hashed.h's) --------------------- */

/* start: the hash, and both lines of the home group. */
static inline void open_batch_start(const void *tv, intern_batch_key *k,
                                    const void *key, size_t len) {
    const intern_table *t = tv;
    k->h = intern_hashed_hash(&t->base, key, len);
    const uint8_t *ctrl = open_ctrl(&t->ix, open_home(&t->ix, k->h));
    __builtin_prefetch(ctrl);
    __builtin_prefetch(ctrl + 64);
}

/* probe: the first slot of the home group whose tag matches (nearly
 * always the key, if it is held); its record prefetched. */
static inline void open_batch_probe(const void *tv, intern_batch_key *k,
                                    size_t len) {
    const intern_table *t = tv;
    size_t g = open_home(&t->ix, k->h);
    uint32_t m =
        open_match_tag(open_ctrl(&t->ix, g), (uint8_t)(k->h & OPEN_TAG_MASK));
    k->cand = NULL;
    if (m) {
        k->cand = *open_slot(&t->ix, g, (unsigned)__builtin_ctz(m));
        open_prefetch_record(k->cand, len);
    }
}

static inline intern_status open_batch_intern(void *tv,
                                              const intern_batch_key *k,
                                              const void *key, size_t len,
                                              const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    if (k->cand && open_is(k->cand, k->h, key, len)) {
        *out = k->cand;
        return INTERN_FOUND;
    }
    return open_intern_hashed(tv, k->h, key, len, out);
}

static inline intern_status open_batch_find(void *tv, const intern_batch_key *k,
                                            const void *key, size_t len,
                                            const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        *out = NULL;
    else if (k->cand && open_is(k->cand, k->h, key, len))
        *out = k->cand;
    else
        *out = open_lookup(tv, k->h, key, len);
    return *out ? INTERN_FOUND : INTERN_NEW;
}

static inline intern_status open_batch_intern_one(void *tv, const void *key,
                                                  size_t len,
                                                  const intern_str **out) {
    return open_intern(tv, key, len, out);
}

static inline intern_status open_batch_find_one(void *tv, const void *key,
                                                size_t len,
                                                const intern_str **out) {
    *out = open_find(tv, key, len);
    return *out ? INTERN_FOUND : INTERN_NEW;
}

static size_t open_index_bytes(const void *tv) {
    return ((const intern_table *)tv)->ix.block_size;
}

static size_t open_intern_many(intern_table *t, const void *const *keys,
                               const size_t *lens, size_t n,
                               const intern_str **out, intern_status *status) {
    static const intern_batch_stages stages = {
        open_batch_start, open_batch_probe, open_batch_intern,
        open_batch_intern_one, open_index_bytes};
    size_t found = 0;
    return intern_batch_run(t, &stages, keys, lens, n, out, status, &found);
}

static size_t open_find_many(const intern_table *t, const void *const *keys,
                             const size_t *lens, size_t n,
                             const intern_str **out) {
    static const intern_batch_stages stages = {
        open_batch_start, open_batch_probe, open_batch_find,
        open_batch_find_one, open_index_bytes};
    size_t found = 0;
    /* the find stages never change the table */
    intern_batch_run((void *)(uintptr_t)t, &stages, keys, lens, n, out, NULL,
                     &found);
    return found;
}

static void open_stats(const intern_table *t, intern_stats *st) {
    size_t groups = t->ix.group_mask + 1;
    intern_hashed_account(&t->base, sizeof *t, t->ix.block_size,
                          open_capacity(t), st);
    /* groups a hit visits: the position of the key's group in its probe
     * sequence, plus one */
    for (size_t at = 0; at < groups; at++) {
        const uint8_t *ctrl = open_ctrl(&t->ix, at);
        for (uint32_t m = ~open_match_empty(ctrl) & OPEN_SLOT_MASK; m;
             m &= m - 1) {
            const intern_str *s =
                *open_slot(&t->ix, at, (unsigned)__builtin_ctz(m));
            size_t g = open_home(&t->ix, open_hash(s));
            uint64_t visits = 1;
            for (size_t step = 1; g != at; step++, visits++)
                g = (g + step) & t->ix.group_mask;
            st->probe_hit_sum += visits;
            if (visits > st->probe_hit_max)
                st->probe_hit_max = visits;
        }
    }
    /* groups a miss visits, from each home group */
    for (size_t home = 0; home < groups; home++) {
        size_t g = home;
        uint64_t visits = 1;
        for (size_t step = 1; open_overflowed(open_ctrl(&t->ix, g));
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
