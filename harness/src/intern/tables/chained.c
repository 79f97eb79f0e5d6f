/* chained.c: separate chaining with a power-of-two bucket array. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tables/hashed.h"
#include "tables/tables.h"

/* Invariant: buckets has mask + 1 entries, a power of two; every record
 * is on exactly one chain, that of bucket (hash & mask), and no two
 * records hold the same bytes. A record's prefix holds the link to the
 * next record of its chain and the key's full hash, in front of the
 * handle, so handles never move: growing the table relinks records into
 * a larger bucket array and frees the old array. The table grows x2 when
 * count would exceed the bucket count (load 1.0); when that growth cannot
 * be allocated the chains just get longer. */
struct intern_table {
    intern_hashed base;
    const intern_str **buckets;
    size_t mask;
};

/* The record prefix: the next record of the chain, then the hash. */
#define CHAINED_PREFIX      (sizeof(const intern_str *) + sizeof(uint64_t))
#define CHAINED_MIN_BUCKETS 2

static inline const intern_str *chained_next(const intern_str *s) {
    const intern_str *next;
    memcpy(&next, intern_record_prefix(s, CHAINED_PREFIX), sizeof next);
    return next;
}

static inline void chained_set_next(const intern_str *s,
                                    const intern_str *next) {
    memcpy(intern_record_prefix(s, CHAINED_PREFIX), &next, sizeof next);
}

static inline uint64_t chained_hash(const intern_str *s) {
    return intern_load_u64(intern_record_prefix(s, CHAINED_PREFIX) +
                           sizeof(const intern_str *));
}

static const intern_str **chained_buckets_new(const intern_allocator *alloc,
                                              size_t n) {
    if (n > SIZE_MAX / sizeof(intern_str *))
        return NULL;
    const intern_str **b = alloc->malloc(alloc->ctx, n * sizeof *b);
    if (b)
        memset(b, 0, n * sizeof *b);
    return b;
}

static intern_table *chained_create(const intern_config *cfg) {
    size_t want = cfg && cfg->capacity_hint ? cfg->capacity_hint : 0;
    size_t n = CHAINED_MIN_BUCKETS;
    while (n < want && n <= SIZE_MAX / 4)
        n *= 2;
    intern_table *t = intern_hashed_create(cfg, sizeof *t, 1, CHAINED_PREFIX);
    if (!t)
        return NULL;
    t->buckets = chained_buckets_new(t->base.alloc, n);
    if (!t->buckets) {
        intern_hashed_destroy(&t->base);
        errno = ENOMEM;
        return NULL;
    }
    t->mask = n - 1;
    return t;
}

static const intern_str *chained_lookup(const intern_table *t, uint64_t h,
                                        const void *key, size_t len) {
    for (const intern_str *s = t->buckets[h & t->mask]; s; s = chained_next(s))
        if (chained_hash(s) == h && intern_str_len(s) == len &&
            memcmp(intern_str_bytes(s), key, len) == 0)
            return s;
    return NULL;
}

/* Doubles the bucket array; on allocation failure leaves it as it was. */
static void chained_grow(intern_table *t) {
    size_t old_n = t->mask + 1;
    if (old_n > SIZE_MAX / 2 / sizeof(intern_str *))
        return;
    size_t n = old_n * 2;
    const intern_str **nb = chained_buckets_new(t->base.alloc, n);
    if (!nb)
        return;
    for (size_t i = 0; i < old_n; i++) {
        const intern_str *s = t->buckets[i];
        while (s) {
            const intern_str *next = chained_next(s);
            const intern_str **head = &nb[chained_hash(s) & (n - 1)];
            chained_set_next(s, *head);
            *head = s;
            s = next;
        }
    }
    t->base.alloc->free(t->base.alloc->ctx, (void *)t->buckets);
    t->buckets = nb;
    t->mask = n - 1;
    t->base.resizes++;
}

static intern_status chained_intern(intern_table *t, const void *key,
                                    size_t len, const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    uint64_t h = intern_hashed_hash(&t->base, key, len);
    const intern_str *found = chained_lookup(t, h, key, len);
    if (found) {
        *out = found;
        return INTERN_FOUND;
    }
    /* the record first: when it cannot be had, nothing has changed */
    const intern_str *s = intern_arena_store(&t->base.arena, key, len);
    if (!s)
        return INTERN_ENOMEM;
    intern_store_u64(intern_record_prefix(s, CHAINED_PREFIX) +
                         sizeof(const intern_str *),
                     h);
    if (t->base.count + 1 > t->mask + 1)
        chained_grow(t);
    const intern_str **head = &t->buckets[h & t->mask];
    chained_set_next(s, *head);
    *head = s;
    t->base.count++;
    t->base.payload_bytes += len;
    *out = s;
    return INTERN_NEW;
}

static const intern_str *chained_find(const intern_table *t, const void *key,
                                      size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return chained_lookup(t, intern_hashed_hash(&t->base, key, len), key, len);
}

static void chained_stats(const intern_table *t, intern_stats *st) {
    intern_hashed_account(&t->base, sizeof *t,
                          (t->mask + 1) * sizeof(intern_str *), t->mask + 1,
                          st);
    for (size_t i = 0; i <= t->mask; i++) {
        uint64_t depth = 0;
        for (const intern_str *s = t->buckets[i]; s; s = chained_next(s)) {
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
    t->base.alloc->free(t->base.alloc->ctx, (void *)t->buckets);
    intern_hashed_destroy(&t->base);
}

const intern_ops intern_chained_ops = {
    .name = "chained",
    .settings = "power-of-two buckets of singly linked records, hash cached "
                "in the record, grows x2 at load 1.0",
    .create = chained_create,
    .intern = chained_intern,
    .find = chained_find,
    .stats = chained_stats,
    .destroy = chained_destroy,
};
