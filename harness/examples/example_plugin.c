/* example_plugin.c: a table brought to internbench at run time.
 *
 *   internbench verify --load ./example_plugin.so      the conformance suite
 *   internbench run --load ./example_plugin.so          timed beside ours
 *   internbench_bench --load=./example_plugin.so        beside the peers
 *
 * The table, "example_linear", is open addressing with linear probing:
 * a power-of-two array of handles, half full at most, each string a
 * record of its own from the config's allocator, written with
 * intern_str_write so the handle has the layout intern.h gives. It is
 * small on purpose: what a plugin must do is here, nothing more.
 *
 * Built with -DEXAMPLE_BROKEN it stores every 7-byte key again on each
 * intern, so equal strings get different handles (verify must fail the
 * identity aspect); with -DEXAMPLE_ABI=N it claims interface version N
 * (internbench must refuse it). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "intern/intern.h"

#ifndef EXAMPLE_ABI
#define EXAMPLE_ABI INTERN_PLUGIN_ABI
#endif
#ifdef EXAMPLE_BROKEN /* the defect: equal 7-byte keys get new handles */
#define EX_STORE_AGAIN(len) ((len) == 7)
#else
#define EX_STORE_AGAIN(len) 0
#endif

/* Invariant: slots has mask + 1 entries, a power of two, and count <=
 * (mask + 1) / 2, so every probe ends at an empty slot; a held string is
 * in the first empty slot its probe found when it was added (nothing is
 * ever removed); payload sums the held lengths, records their record
 * sizes. Every byte came from alloc. */
struct intern_table {
    const intern_allocator *alloc;
    intern_hash_kind hash;
    uint64_t seed;
    const intern_str **slots;
    size_t mask, count, resizes;
    uint64_t payload, records;
};

static size_t ex_home(const intern_table *t, const void *key, size_t len) {
    return (size_t)intern_hash_bytes(t->hash, t->seed, key, len) & t->mask;
}

static const intern_str **ex_slots(const intern_allocator *a, size_t n) {
    const intern_str **s = a->malloc(a->ctx, n * sizeof *s);
    if (s)
        memset(s, 0, n * sizeof *s);
    return s;
}

static intern_table *ex_create(const intern_config *cfg) {
    const intern_allocator *a = intern_config_allocator(cfg);
    intern_table *t = a->malloc(a->ctx, sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->alloc = a;
    t->hash = cfg ? cfg->hash : INTERN_HASH_XXH3;
    t->seed = intern_config_seed(cfg);
    t->mask = 15;
    t->slots = ex_slots(a, t->mask + 1);
    if (!t->slots) {
        a->free(a->ctx, t);
        errno = ENOMEM;
        return NULL;
    }
    return t;
}

/* The slot that holds key, or the empty slot where it would go. */
static size_t ex_probe(const intern_table *t, const void *key, size_t len) {
    size_t i = ex_home(t, key, len);
    for (;; i = (i + 1) & t->mask) {
        const intern_str *s = t->slots[i];
        if (!s || (intern_str_len(s) == len &&
                   memcmp(intern_str_bytes(s), key, len) == 0))
            return i;
    }
}

/* Doubles the array; on failure it stays as it was. */
static void ex_grow(intern_table *t) {
    size_t n = (t->mask + 1) * 2;
    const intern_str **old = t->slots, **slots = ex_slots(t->alloc, n);
    if (!slots)
        return;
    size_t old_n = t->mask + 1;
    t->slots = slots;
    t->mask = n - 1;
    for (size_t i = 0; i < old_n; i++)
        if (old[i]) {
            size_t len = intern_str_len(old[i]);
            slots[ex_probe(t, intern_str_bytes(old[i]), len)] = old[i];
        }
    t->alloc->free(t->alloc->ctx, (void *)old);
    t->resizes++;
}

static intern_status ex_intern(intern_table *t, const void *key, size_t len,
                               const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    size_t i = ex_probe(t, key, len);
    if (t->slots[i] && !EX_STORE_AGAIN(len)) {
        *out = t->slots[i];
        return INTERN_FOUND;
    }
    /* the record first: when it cannot be had, nothing has changed */
    void *rec = t->alloc->malloc(t->alloc->ctx, intern_str_record_size(len));
    if (!rec)
        return INTERN_ENOMEM;
    if ((t->count + 1) * 2 > t->mask + 1) {
        ex_grow(t);
        if (t->count + 2 > t->mask + 1) { /* full, and no growth */
            t->alloc->free(t->alloc->ctx, rec);
            return INTERN_ENOMEM;
        }
    }
    const intern_str *s = intern_str_write(rec, key, len);
    for (i = ex_probe(t, key, len); t->slots[i]; i = (i + 1) & t->mask)
        ; /* (a stored-again key passes its first copy) */
    t->slots[i] = s;
    t->count++;
    t->payload += len;
    t->records += intern_str_record_size(len);
    *out = s;
    return INTERN_NEW;
}

static const intern_str *ex_find(const intern_table *t, const void *key,
                                 size_t len) {
    return len > INTERN_KEY_MAX ? NULL : t->slots[ex_probe(t, key, len)];
}

/* Probe counts derived from the array: a hit visits the slots from its
 * home to its own, a miss from a home to the first empty slot. */
static void ex_probes(const intern_table *t, intern_stats *st) {
    size_t n = t->mask + 1;
    for (size_t i = 0; i < n; i++) {
        if (t->slots[i]) {
            const intern_str *s = t->slots[i];
            size_t h = ex_home(t, intern_str_bytes(s), intern_str_len(s));
            uint64_t visits = ((i - h) & t->mask) + 1;
            st->probe_hit_sum += visits;
            if (visits > st->probe_hit_max)
                st->probe_hit_max = visits;
        }
        size_t j = i;
        while (t->slots[j])
            j = (j + 1) & t->mask;
        st->probe_miss_sum += ((j - i) & t->mask) + 1;
    }
    st->probe_miss_samples = n;
}

static void ex_stats(const intern_table *t, intern_stats *st) {
    memset(st, 0, sizeof *st);
    st->strings = t->count;
    st->payload_bytes = t->payload;
    st->header_bytes = t->records - t->payload;
    st->index_bytes = sizeof *t + (t->mask + 1) * sizeof *t->slots;
    st->total_bytes = t->records + st->index_bytes;
    st->capacity = t->mask + 1;
    st->resizes = t->resizes;
    ex_probes(t, st);
}

static void ex_destroy(intern_table *t) {
    if (!t)
        return;
    for (size_t i = 0; i <= t->mask; i++)
        if (t->slots[i]) {
            const intern_str *s = t->slots[i];
            size_t len = intern_str_len(s);
            t->alloc->free(t->alloc->ctx, (char *)(uintptr_t)s -
                                              intern_str_header_size_for(len));
        }
    t->alloc->free(t->alloc->ctx, (void *)t->slots);
    t->alloc->free(t->alloc->ctx, t);
}

static const intern_ops example_linear_ops = {
    .name = "example_linear",
    .settings = "an example plugin: linear probing over an array of "
                "handles at most half full, a record per string",
    .create = ex_create,
    .intern = ex_intern,
    .find = ex_find,
    .stats = ex_stats,
    .destroy = ex_destroy,
};

static const intern_ops *const example_tables[] = {&example_linear_ops};

static const intern_plugin example_plugin = {
    .abi = EXAMPLE_ABI,
    .size = sizeof(intern_plugin),
    .name = "example",
    .tables = example_tables,
    .count = 1,
};

const intern_plugin *internbench_plugin(void) {
    return &example_plugin;
}
