/* conformance_keys.h: deterministic key sets for the conformance suite
 * and the table tests (internal to the harness; the tests reach it
 * through their include path). */
#ifndef INTERNBENCH_CONFORMANCE_KEYS_H
#define INTERNBENCH_CONFORMANCE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A seeded generator (splitmix64): the same seed gives the same keys on
 * every machine. */
typedef struct keys_rng {
    uint64_t state;
} keys_rng;

uint64_t keys_rng_next(keys_rng *r);
/* Uniform in [0, n). */
uint64_t keys_rng_below(keys_rng *r, uint64_t n);

/* A list of keys in one buffer: key i is bytes + off[i], len[i] long.
 * Invariant: every off[i] + len[i] <= used <= cap, count <= slots; once
 * an allocation has failed, failed is true and the set stays as it was
 * then (every later add does nothing), so a caller checks once, at the
 * end. */
typedef struct keys_set {
    char *bytes;
    size_t used, cap;
    size_t *off;
    size_t *len;
    size_t count, slots;
    bool failed;
} keys_set;

void keys_set_init(keys_set *ks);
void keys_set_free(keys_set *ks);
void keys_set_add(keys_set *ks, const void *key, size_t len);
static inline const char *keys_set_key(const keys_set *ks, size_t i) {
    return ks->bytes + ks->off[i];
}

/* Fills the empty ks with about n keys of every kind the interface must
 * handle, with repeats: the empty key, all 256 one-byte keys, NUL inside,
 * invalid UTF-8, identifiers, 4096-byte keys differing only in the last byte,
 * keys that are prefixes of each other, random binary keys; then repeats
 * of earlier keys (as copies, so tables must compare bytes). */
void keys_set_mixed(keys_set *ks, size_t n, uint64_t seed);

/* The groups of equal keys: group[i] is the same number for keys i and j
 * exactly when their bytes are equal; groups are numbered in bytewise
 * order (shorter first on a shared prefix). Returns the group count, or
 * SIZE_MAX when memory ran out. */
size_t keys_set_groups(const keys_set *ks, size_t *group);

/* Bytewise order, shorter first on a shared prefix. */
int keys_compare(const void *a, size_t alen, const void *b, size_t blen);

#endif
