/* arena.h: where canonical strings live (internal to the library). */
#ifndef INTERN_ARENA_H
#define INTERN_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "intern/intern.h"

/* Records are carved from chunks obtained from the configured allocator;
 * a chunk is never moved or freed before intern_arena_release, so every
 * record (and every handle into one) stays valid and unmoved. Records are
 * 8-byte aligned. held_bytes counts every chunk byte, chunk headers
 * included; used_bytes counts the bytes handed out as records. */
typedef struct intern_arena {
    const intern_allocator *alloc;
    struct intern_arena_chunk *chunks; /* newest first */
    char *cursor;
    char *limit;
    size_t next_chunk_size;
    uint64_t held_bytes;
    uint64_t used_bytes;
    uint64_t chunk_header_bytes;
} intern_arena;

void intern_arena_init(intern_arena *arena, const intern_allocator *alloc);
/* size bytes, 8-byte aligned, or NULL when the allocator fails (the arena
 * is then unchanged). */
void *intern_arena_alloc(intern_arena *arena, size_t size);
void intern_arena_release(intern_arena *arena);

/* The size of a record holding prefix bytes of table data (a multiple of
 * 8) followed by an intern_str of len bytes and its terminator, rounded
 * up to 8. */
size_t intern_record_size(size_t prefix, size_t len);
/* Stores a record and returns its intern_str, or NULL on failure. The
 * prefix bytes are left for the caller (at (char *)result - prefix). */
intern_str *intern_arena_store(intern_arena *arena, size_t prefix,
                               uint64_t hash, const void *key, size_t len);

/* Fills header_bytes and slack_bytes of st from the arena, given the
 * payload (the sum of the held strings' lengths). header_bytes covers
 * record headers, terminators, alignment, table prefixes and chunk
 * headers; slack_bytes the unused tails of chunks. */
void intern_arena_account(const intern_arena *arena, uint64_t payload,
                          intern_stats *st);

/* The library's allocator for a config: cfg->alloc or the C library's. */
const intern_allocator *intern_config_allocator(const intern_config *cfg);
/* The seed a new table uses: cfg->seed when fixed, else a random one. */
uint64_t intern_config_seed(const intern_config *cfg);

#endif
