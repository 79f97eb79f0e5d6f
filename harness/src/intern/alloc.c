/* alloc.c: the C library allocator and the counting, failing allocator. */
#include "intern/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *alloc_libc_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}

static void *alloc_libc_realloc(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    return realloc(ptr, size);
}

static void alloc_libc_free(void *ctx, void *ptr) {
    (void)ctx;
    free(ptr);
}

const intern_allocator intern_alloc_libc = {
    alloc_libc_malloc, alloc_libc_realloc, alloc_libc_free, NULL};

/* The hidden header before each counted block: its size, padded so the
 * block keeps malloc's 16-byte alignment. */
typedef struct counting_header {
    size_t size;
    size_t pad;
} counting_header;

static int counting_refuse(intern_counting_alloc *ca, size_t size) {
    ca->attempts++;
    if (size > SIZE_MAX - sizeof(counting_header) ||
        (ca->fail_at != 0 &&
         (ca->attempts == ca->fail_at ||
          (ca->fail_every_after && ca->attempts > ca->fail_at)))) {
        ca->failures++;
        return 1;
    }
    return 0;
}

static void counting_grow(intern_counting_alloc *ca, size_t old_size,
                          size_t new_size) {
    ca->live_bytes = ca->live_bytes - old_size + new_size;
    if (ca->live_bytes > ca->peak_bytes)
        ca->peak_bytes = ca->live_bytes;
    ca->allocations++;
}

static void *counting_malloc(void *ctx, size_t size) {
    intern_counting_alloc *ca = ctx;
    if (counting_refuse(ca, size))
        return NULL;
    counting_header *h = malloc(sizeof *h + size);
    if (!h) {
        ca->failures++;
        return NULL;
    }
    h->size = size;
    ca->live_blocks++;
    counting_grow(ca, 0, size);
    return h + 1;
}

static void *counting_realloc(void *ctx, void *ptr, size_t size) {
    intern_counting_alloc *ca = ctx;
    if (!ptr)
        return counting_malloc(ctx, size);
    if (counting_refuse(ca, size))
        return NULL;
    counting_header *old = (counting_header *)ptr - 1;
    size_t old_size = old->size;
    counting_header *h = realloc(old, sizeof *h + size);
    if (!h) {
        ca->failures++;
        return NULL;
    }
    h->size = size;
    counting_grow(ca, old_size, size);
    return h + 1;
}

static void counting_free(void *ctx, void *ptr) {
    intern_counting_alloc *ca = ctx;
    if (!ptr)
        return;
    counting_header *h = (counting_header *)ptr - 1;
    ca->live_bytes -= h->size;
    ca->live_blocks--;
    free(h);
}

void intern_counting_alloc_init(intern_counting_alloc *ca) {
    memset(ca, 0, sizeof *ca);
    ca->base.malloc = counting_malloc;
    ca->base.realloc = counting_realloc;
    ca->base.free = counting_free;
    ca->base.ctx = ca;
}
