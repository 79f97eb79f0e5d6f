/* hashed.c: the shared part of the hashed tables (hashed.h). */
#include "tables/hashed.h"

#include <errno.h>
#include <string.h>

unsigned intern_batch_window = 16;
/* 2 MiB of index: below it (10^5 identifiers at most) the batch path
 * measured no faster than the single calls in file order, above it
 * faster in file order and shuffled (batch_measure --min-index). */
size_t intern_batch_min_index = (size_t)2 << 20;

void *intern_hashed_create(const intern_config *cfg, size_t size, size_t align,
                           size_t prefix) {
    const intern_allocator *alloc = intern_config_allocator(cfg);
    intern_hashed *b = alloc->malloc(alloc->ctx, size);
    if (!b) {
        errno = ENOMEM;
        return NULL;
    }
    memset(b, 0, size);
    b->alloc = alloc;
    b->hash_kind = cfg ? cfg->hash : INTERN_HASH_XXH3;
    b->seed = intern_config_seed(cfg);
    intern_arena_init(&b->arena, alloc, align, prefix);
    return b;
}

void intern_hashed_account(const intern_hashed *b, size_t struct_size,
                           uint64_t index_bytes, uint64_t capacity,
                           intern_stats *st) {
    memset(st, 0, sizeof *st);
    st->strings = b->count;
    intern_arena_account(&b->arena, b->payload_bytes, st);
    st->capacity = capacity;
    st->index_bytes = struct_size + index_bytes;
    st->total_bytes = st->payload_bytes + st->header_bytes + st->index_bytes +
                      st->slack_bytes;
    st->resizes = b->resizes;
}

void intern_hashed_destroy(intern_hashed *b) {
    if (!b)
        return;
    intern_arena_release(&b->arena);
    b->alloc->free(b->alloc->ctx, b);
}
