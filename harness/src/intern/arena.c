/* arena.c: chunked storage for canonical strings. */
#include "arena.h"

#include <stddef.h>
#include <string.h>

#include "intern/alloc.h"

/* A chunk's header, followed by its records. size counts the header. */
typedef struct intern_arena_chunk {
    struct intern_arena_chunk *next;
    size_t size;
} intern_arena_chunk;

/* A new regular chunk is held_bytes >> ARENA_GROWTH_SHIFT within these
 * bounds: the slack (at most one chunk's tail) stays about 1/16 of what
 * is held, where doubling chunks could leave half of it unused, and the
 * chunks still grow geometrically, so a table of n bytes makes O(log n)
 * of them until they reach the cap. A record that does not fit the tail
 * of the current chunk gets a chunk of its own when it needs more than a
 * quarter of a new regular chunk (so that no more than a quarter of a
 * chunk is ever left behind) or more than ARENA_OWN_RECORD bytes (where
 * a chunk header costs under 2% of it, and no tail is left at all). */
enum {
    ARENA_MIN_CHUNK = 1024,
    ARENA_MAX_CHUNK = 1 << 20,
    ARENA_GROWTH_SHIFT = 4,
    ARENA_OWN_RECORD = 1024,
};

void intern_arena_init(intern_arena *arena, const intern_allocator *alloc,
                       size_t align, size_t prefix) {
    memset(arena, 0, sizeof *arena);
    arena->alloc = alloc;
    arena->align = align;
    arena->prefix = prefix;
}

static intern_arena_chunk *arena_chunk_new(intern_arena *arena, size_t size) {
    intern_arena_chunk *c = arena->alloc->malloc(arena->alloc->ctx, size);
    if (!c)
        return NULL;
    c->size = size;
    arena->held_bytes += size;
    arena->chunk_header_bytes += sizeof *c;
    return c;
}

static size_t arena_next_chunk_size(const intern_arena *arena) {
    uint64_t size = arena->held_bytes >> ARENA_GROWTH_SHIFT;
    if (size < ARENA_MIN_CHUNK)
        return ARENA_MIN_CHUNK;
    return size > ARENA_MAX_CHUNK ? ARENA_MAX_CHUNK : (size_t)size;
}

/* Where the handle of a record of header size hdr starting at p goes. */
static char *arena_handle_at(const intern_arena *arena, char *p, size_t hdr) {
    uintptr_t h = (uintptr_t)p + arena->prefix + hdr;
    h = (h + arena->align - 1) & ~(uintptr_t)(arena->align - 1);
    return (char *)h;
}

/* The bytes a record needs at p, padding included. */
static size_t arena_need(const intern_arena *arena, char *p, size_t hdr,
                         size_t len) {
    return (size_t)(arena_handle_at(arena, p, hdr) - p) + len + 1;
}

/* Room for a record of the worst-case padding: a chunk of its own
 * (linked behind the current one, so the current tail stays in use) when
 * it is big (above), else a new regular chunk. Returns where the record
 * starts, or NULL. */
static char *arena_chunk_for(intern_arena *arena, size_t worst) {
    size_t header = sizeof(intern_arena_chunk);
    if (worst > SIZE_MAX - header)
        return NULL;
    size_t regular = arena_next_chunk_size(arena);
    if (worst > regular / 4 || worst > ARENA_OWN_RECORD) {
        intern_arena_chunk *c = arena_chunk_new(arena, header + worst);
        if (!c)
            return NULL;
        if (arena->chunks) {
            c->next = arena->chunks->next;
            arena->chunks->next = c;
        } else {
            c->next = NULL;
            arena->chunks = c;
            arena->cursor = arena->limit = (char *)c + header + worst;
        }
        arena->undo.made = c;
        return (char *)c + header;
    }
    intern_arena_chunk *c = arena_chunk_new(arena, regular);
    if (!c)
        return NULL;
    c->next = arena->chunks;
    arena->chunks = c;
    arena->cursor = (char *)c + header;
    arena->limit = (char *)c + c->size;
    arena->undo.made = c;
    return arena->cursor;
}

static void arena_undo_save(intern_arena *arena) {
    arena->undo.cursor = arena->cursor;
    arena->undo.limit = arena->limit;
    arena->undo.used_bytes = arena->used_bytes;
    arena->undo.made = NULL;
    arena->undo.valid = 1;
}

const intern_str *intern_arena_store(intern_arena *arena, const void *key,
                                     size_t len) {
    size_t hdr = intern_str_header_size_for(len);
    arena_undo_save(arena);
    char *p = arena->cursor;
    if (!p || (size_t)(arena->limit - p) < arena_need(arena, p, hdr, len)) {
        size_t worst = arena->prefix + hdr + arena->align - 1 + len + 1;
        p = arena_chunk_for(arena, worst);
        if (!p) {
            arena->undo.valid = 0;
            return NULL;
        }
    }
    char *h = arena_handle_at(arena, p, hdr);
    size_t need = (size_t)(h - p) + len + 1;
    if (p == arena->cursor) /* else a chunk of its own: the tail stays */
        arena->cursor = p + need;
    arena->used_bytes += need;
    return intern_str_write(h - hdr, key, len);
}

void intern_arena_undo(intern_arena *arena) {
    if (!arena->undo.valid)
        return;
    arena->undo.valid = 0;
    intern_arena_chunk *c = arena->undo.made;
    if (c) {
        /* the newest record made c: the head, or linked behind it */
        intern_arena_chunk **at = &arena->chunks;
        while (*at != c)
            at = &(*at)->next;
        *at = c->next;
        arena->held_bytes -= c->size;
        arena->chunk_header_bytes -= sizeof *c;
        arena->alloc->free(arena->alloc->ctx, c);
    }
    arena->cursor = arena->undo.cursor;
    arena->limit = arena->undo.limit;
    arena->used_bytes = arena->undo.used_bytes;
}

const void *intern_arena_new_chunk(const intern_arena *arena, size_t *size,
                                   int *current) {
    const intern_arena_chunk *c = arena->undo.valid ? arena->undo.made : NULL;
    *size = c ? c->size : 0;
    uintptr_t at = (uintptr_t)arena->cursor, base = (uintptr_t)c;
    *current = c && at > base && at < base + c->size;
    return c;
}

void intern_arena_release(intern_arena *arena) {
    intern_arena_chunk *c = arena->chunks;
    while (c) {
        intern_arena_chunk *next = c->next;
        arena->alloc->free(arena->alloc->ctx, c);
        c = next;
    }
    arena->chunks = NULL;
    arena->cursor = arena->limit = NULL;
    arena->held_bytes = arena->used_bytes = arena->chunk_header_bytes = 0;
    arena->undo.valid = 0;
}

void intern_arena_account(const intern_arena *arena, uint64_t payload,
                          intern_stats *st) {
    st->payload_bytes = payload;
    st->header_bytes = arena->used_bytes - payload + arena->chunk_header_bytes;
    st->slack_bytes =
        arena->held_bytes - arena->used_bytes - arena->chunk_header_bytes;
}
