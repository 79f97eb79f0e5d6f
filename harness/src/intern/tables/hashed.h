/* hashed.h: what the hashed tables share (internal): the hash settings,
 * the arena of records, the counts, and creating, accounting and
 * destroying a table around its own index. A hashed table's struct
 * starts with an intern_hashed, so the functions below take the table.
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

#endif
