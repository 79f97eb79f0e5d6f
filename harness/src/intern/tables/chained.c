/* chained.c: separate chaining with a power-of-two bucket array. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tables/tables.h"

/* Invariant: buckets has mask + 1 entries, a power of two; every record
 * is on exactly one chain, that of bucket (hash & mask), and no two
 * records hold the same bytes. A record is an arena record whose prefix
 * is the link to the next record of its chain, followed by the
 * intern_str that is the handle, so handles never move: growing the
 * table relinks records into a larger bucket array and frees the old
 * array. The table grows x2 when count would exceed the bucket count
 * (load 1.0); when that growth cannot be allocated the chains just get
 * longer. */
struct intern_table {
    const intern_allocator *alloc;
    intern_hash_kind hash_kind;
    uint64_t seed;
    intern_str **buckets;
    size_t mask;
    size_t count;
    uint64_t payload_bytes;
    uint64_t resizes;
    intern_arena arena;
};

#define CHAINED_LINK_SIZE   sizeof(intern_str *)
#define CHAINED_MIN_BUCKETS 2

/* The link stored before a record's handle. */
static inline intern_str **chained_link(const intern_str *s) {
    return (intern_str **)((uintptr_t)s - CHAINED_LINK_SIZE);
}

static intern_str **chained_buckets_new(const intern_allocator *alloc,
                                        size_t n) {
    if (n > SIZE_MAX / sizeof(intern_str *))
        return NULL;
    intern_str **b = alloc->malloc(alloc->ctx, n * sizeof *b);
    if (b)
        memset(b, 0, n * sizeof *b);
    return b;
}

static intern_table *chained_create(const intern_config *cfg) {
    const intern_allocator *alloc = intern_config_allocator(cfg);
    size_t want = cfg && cfg->capacity_hint ? cfg->capacity_hint : 0;
    size_t n = CHAINED_MIN_BUCKETS;
    while (n < want && n <= SIZE_MAX / 4)
        n *= 2;
    intern_table *t = alloc->malloc(alloc->ctx, sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->alloc = alloc;
    t->hash_kind = cfg ? cfg->hash : INTERN_HASH_XXH3;
    t->seed = intern_config_seed(cfg);
    t->buckets = chained_buckets_new(alloc, n);
    if (!t->buckets) {
        alloc->free(alloc->ctx, t);
        errno = ENOMEM;
        return NULL;
    }
    t->mask = n - 1;
    intern_arena_init(&t->arena, alloc);
    return t;
}

static const intern_str *chained_lookup(const intern_table *t, uint64_t h,
                                        const void *key, size_t len) {
    for (const intern_str *s = t->buckets[h & t->mask]; s; s = *chained_link(s))
        if (s->hash == h && s->len == len && memcmp(s->bytes, key, len) == 0)
            return s;
    return NULL;
}

/* Doubles the bucket array; on allocation failure leaves it as it was. */
static void chained_grow(intern_table *t) {
    size_t old_n = t->mask + 1;
    if (old_n > SIZE_MAX / 2 / sizeof(intern_str *))
        return;
    size_t n = old_n * 2;
    intern_str **nb = chained_buckets_new(t->alloc, n);
    if (!nb)
        return;
    for (size_t i = 0; i < old_n; i++) {
        intern_str *s = t->buckets[i];
        while (s) {
            intern_str *next = *chained_link(s);
            intern_str **head = &nb[s->hash & (n - 1)];
            *chained_link(s) = *head;
            *head = s;
            s = next;
        }
    }
    t->alloc->free(t->alloc->ctx, t->buckets);
    t->buckets = nb;
    t->mask = n - 1;
    t->resizes++;
}

static intern_status chained_intern(intern_table *t, const void *key,
                                    size_t len, const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    uint64_t h = intern_hash_bytes(t->hash_kind, t->seed, key, len);
    const intern_str *found = chained_lookup(t, h, key, len);
    if (found) {
        *out = found;
        return INTERN_FOUND;
    }
    if (t->count + 1 > t->mask + 1)
        chained_grow(t);
    intern_str *s =
        intern_arena_store(&t->arena, CHAINED_LINK_SIZE, h, key, len);
    if (!s)
        return INTERN_ENOMEM;
    intern_str **head = &t->buckets[h & t->mask];
    *chained_link(s) = *head;
    *head = s;
    t->count++;
    t->payload_bytes += len;
    *out = s;
    return INTERN_NEW;
}

static const intern_str *chained_find(const intern_table *t, const void *key,
                                      size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return chained_lookup(t, intern_hash_bytes(t->hash_kind, t->seed, key, len),
                          key, len);
}

static void chained_stats(const intern_table *t, intern_stats *st) {
    memset(st, 0, sizeof *st);
    st->strings = t->count;
    intern_arena_account(&t->arena, t->payload_bytes, st);
    st->capacity = t->mask + 1;
    st->index_bytes = sizeof *t + st->capacity * sizeof(intern_str *);
    st->total_bytes = st->payload_bytes + st->header_bytes + st->index_bytes +
                      st->slack_bytes;
    st->resizes = t->resizes;
    for (size_t i = 0; i <= t->mask; i++) {
        uint64_t depth = 0;
        for (const intern_str *s = t->buckets[i]; s; s = *chained_link(s)) {
            depth++;
            st->probe_hit_sum += depth;
        }
        if (depth > st->probe_hit_max)
            st->probe_hit_max = depth;
        /* a miss walks the whole chain of its bucket */
        st->probe_miss_sum += depth;
    }
    st->probe_miss_samples = st->capacity;
}

static void chained_destroy(intern_table *t) {
    if (!t)
        return;
    intern_arena_release(&t->arena);
    t->alloc->free(t->alloc->ctx, t->buckets);
    t->alloc->free(t->alloc->ctx, t);
}

const intern_ops intern_chained_ops = {
    .name = "chained",
    .create = chained_create,
    .intern = chained_intern,
    .find = chained_find,
    .stats = chained_stats,
    .destroy = chained_destroy,
    .each = NULL,
    .each_prefix = NULL,
};
