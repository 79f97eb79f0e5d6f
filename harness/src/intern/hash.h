/* hash.h: the hash functions behind intern_hash_bytes (internal). */
#ifndef INTERN_HASH_H
#define INTERN_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-c-d with a 128-bit key (k0, k1): SipHash-1-3 is CPython's
 * string hash, SipHash-2-4 the reference design's. */
uint64_t intern_siphash(uint64_t k0, uint64_t k1, int c_rounds, int d_rounds,
                        const void *data, size_t len);
/* 64-bit FNV-1a, unkeyed: the standard offset basis and prime. */
uint64_t intern_fnv1a(const void *data, size_t len);
/* The 128-bit SipHash key a table derives from its 64-bit seed: k0 is
 * the seed and k1 a bijective mix of it (0 for seed 0, so that seed 0 is
 * CPython's PYTHONHASHSEED=0 key). */
void intern_siphash_key(uint64_t seed, uint64_t *k0, uint64_t *k1);

#endif
