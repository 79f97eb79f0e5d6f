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

/* ---- batch operations ----------------------------------------------- */

/* The batch pipeline's window: how many keys ahead of the key it resolves
 * a batch path hashes and prefetches. Read at each batch call; the
 * default is the measured best (see the batch notes), and tests and
 * measurements change it to sweep it or to exercise the edges. 1 ..
 * INTERN_BATCH_WINDOW_MAX. */
extern unsigned intern_batch_window;
#define INTERN_BATCH_WINDOW_MAX 64

#endif
