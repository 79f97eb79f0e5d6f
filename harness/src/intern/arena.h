/* arena.h: where canonical strings live (internal to the library). */
#ifndef INTERN_ARENA_H
#define INTERN_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "intern/intern.h"

/* A record is [padding][prefix][length header][bytes][NUL]: prefix bytes
 * that belong to the table (a cached hash, a chain link), the length
 * header that intern_str_len reads (intern.h), the string and its
 * terminator. The handle points at the bytes and is aligned to the
 * arena's align (1 packs records back to back; a table that tags its
 * handles' low bits asks for 8); the prefix is not aligned, so tables
 * read and write it with memcpy.
 *
 * Records are carved from chunks obtained from the configured allocator;
 * a chunk is never moved or freed before intern_arena_release (the one
 * exception: intern_arena_undo, which takes back the newest record), so
 * every handle stays valid and unmoved. held_bytes counts every chunk
 * byte, chunk headers included; used_bytes counts the bytes handed out as
 * records (padding, prefix, header, bytes and NUL).
 *
 * A new regular chunk is 1/16 of what the arena holds, within 1 KiB and
 * 1 MiB (arena.c), so the unused tail of the newest chunk, the slack,
 * stays a small fraction of what is held at every size; a record of over
 * 1 KiB, or too big for a quarter of a new chunk, gets a chunk of its
 * own. */
typedef struct intern_arena {
    const intern_allocator *alloc;
    struct intern_arena_chunk *chunks; /* newest regular chunk first */
    char *cursor;
    char *limit;
    size_t align;  /* of every handle: 1, 2, 4 or 8 */
    size_t prefix; /* table bytes in front of every record's header */
    uint64_t held_bytes;
    uint64_t used_bytes;
    uint64_t chunk_header_bytes;
    /* what intern_arena_undo restores: the state before the newest
     * record, and the chunk that record made (NULL if none) */
    struct {
        char *cursor, *limit;
        uint64_t used_bytes;
        struct intern_arena_chunk *made;
        int valid;
    } undo;
} intern_arena;

/* align: 1, 2, 4 or 8; prefix: the table's bytes before each header. */
void intern_arena_init(intern_arena *arena, const intern_allocator *alloc,
                       size_t align, size_t prefix);
/* Stores key as a record and returns its handle, or NULL when the
 * allocator fails (the arena is then unchanged). len <= INTERN_KEY_MAX. */
const intern_str *intern_arena_store(intern_arena *arena, const void *key,
                                     size_t len);
/* Takes back the record the last intern_arena_store made, so that a
 * table whose insert fails after storing is left exactly as it was. Only
 * once per store. */
void intern_arena_undo(intern_arena *arena);
/* The chunk the last intern_arena_store made, NULL when that record went
 * into a chunk that was there before: *size receives its size (chunk
 * header included), and *current whether the arena's next records go
 * into it (else it holds that record alone, and the next records go on
 * into the chunk they went into before). A table that addresses records
 * by offset maps each new chunk with it. */
const void *intern_arena_new_chunk(const intern_arena *arena, size_t *size,
                                   int *current);
void intern_arena_release(intern_arena *arena);

/* The table's prefix bytes of the record whose handle is s. */
static inline unsigned char *intern_record_prefix(const intern_str *s,
                                                  size_t prefix) {
    return (unsigned char *)(uintptr_t)s - intern_str_header_size(s) - prefix;
}

static inline uint64_t intern_load_u64(const void *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void intern_store_u64(void *p, uint64_t v) {
    memcpy(p, &v, sizeof v);
}

/* Fills header_bytes and slack_bytes of st from the arena, given the
 * payload (the sum of the held strings' lengths). header_bytes covers
 * record headers, terminators, alignment, table prefixes and chunk
 * headers; slack_bytes the unused tails of chunks. */
void intern_arena_account(const intern_arena *arena, uint64_t payload,
                          intern_stats *st);

#endif
