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

/* Control bytes in SwissTable-style groups, for the tables that keep one
 * per slot: INTERN_CTRL_EMPTY marks an empty slot, a held slot's byte is
 * a 7-bit tag of its key's hash, and a group of INTERN_GROUP bytes is
 * matched at once. A match is a mask with bit i set for each slot i of
 * the group that it selects. Both paths are always compiled: SSE2 where
 * the target has it, and SWAR arithmetic on two 64-bit words, which may
 * report a false tag match (never miss a true one; callers compare the
 * key anyway) and is exact on empty slots. */
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

#define INTERN_GROUP_MATCH_PATH "SSE2"
#define intern_group_tag        intern_group_sse2_tag
#define intern_group_empty      intern_group_sse2_empty
#else
#define INTERN_GROUP_MATCH_PATH "portable SWAR (no SSE2 on this target)"
#define intern_group_tag        intern_group_swar_tag
#define intern_group_empty      intern_group_swar_empty
#endif

#endif
