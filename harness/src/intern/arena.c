/* arena.c: chunked storage for canonical strings. */
#include "arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "intern/alloc.h"

/* A chunk's header, followed by its records. size counts the header. */
typedef struct intern_arena_chunk {
    struct intern_arena_chunk *next;
    size_t size;
} intern_arena_chunk;

enum {
    ARENA_FIRST_CHUNK = 4096,
    ARENA_MAX_CHUNK = 1 << 20, /* chunks stop doubling here */
    ARENA_ALIGN = 8,
};

static size_t arena_round_up(size_t n) {
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void intern_arena_init(intern_arena *arena, const intern_allocator *alloc) {
    memset(arena, 0, sizeof *arena);
    arena->alloc = alloc;
    arena->next_chunk_size = ARENA_FIRST_CHUNK;
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

void *intern_arena_alloc(intern_arena *arena, size_t size) {
    size = arena_round_up(size);
    if ((size_t)(arena->limit - arena->cursor) >= size && arena->cursor) {
        void *p = arena->cursor;
        arena->cursor += size;
        arena->used_bytes += size;
        return p;
    }
    size_t header = sizeof(intern_arena_chunk);
    if (size > SIZE_MAX - header)
        return NULL;
    /* A record too big for a quarter of the next chunk gets a chunk of its
     * own, linked behind the current one so the current tail stays in
     * use. */
    if (size > arena->next_chunk_size / 4) {
        intern_arena_chunk *c = arena_chunk_new(arena, header + size);
        if (!c)
            return NULL;
        if (arena->chunks) {
            c->next = arena->chunks->next;
            arena->chunks->next = c;
        } else {
            c->next = NULL;
            arena->chunks = c;
            arena->cursor = arena->limit = (char *)c + header + size;
        }
        arena->used_bytes += size;
        return (char *)c + header;
    }
    intern_arena_chunk *c = arena_chunk_new(arena, arena->next_chunk_size);
    if (!c)
        return NULL;
    c->next = arena->chunks;
    arena->chunks = c;
    arena->cursor = (char *)c + header;
    arena->limit = (char *)c + c->size;
    if (arena->next_chunk_size < ARENA_MAX_CHUNK)
        arena->next_chunk_size *= 2;
    void *p = arena->cursor;
    arena->cursor += size;
    arena->used_bytes += size;
    return p;
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
}

size_t intern_record_size(size_t prefix, size_t len) {
    return arena_round_up(prefix + offsetof(intern_str, bytes) + len + 1);
}

intern_str *intern_arena_store(intern_arena *arena, size_t prefix,
                               uint64_t hash, const void *key, size_t len) {
    char *rec = intern_arena_alloc(arena, intern_record_size(prefix, len));
    if (!rec)
        return NULL;
    intern_str *s = (intern_str *)(rec + prefix);
    s->hash = hash;
    s->len = (uint32_t)len;
    if (len)
        memcpy(s->bytes, key, len);
    s->bytes[len] = '\0';
    return s;
}

void intern_arena_account(const intern_arena *arena, uint64_t payload,
                          intern_stats *st) {
    st->payload_bytes = payload;
    st->header_bytes = arena->used_bytes - payload + arena->chunk_header_bytes;
    st->slack_bytes =
        arena->held_bytes - arena->used_bytes - arena->chunk_header_bytes;
}
