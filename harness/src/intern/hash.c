/* hash.c: xxh3 (libxxhash), SipHash-1-3 and FNV-1a. */
#include "hash.h"

#include <string.h>
#include <xxhash.h>

#include "intern/intern.h"

static inline uint64_t hash_rotl(uint64_t x, int b) {
    return (x << b) | (x >> (64 - b));
}

static inline uint64_t hash_load_le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* The SipRound permutation on the four state words. */
#define SIP_ROUND(v0, v1, v2, v3)                                              \
    do {                                                                       \
        v0 += v1;                                                              \
        v1 = hash_rotl(v1, 13);                                                \
        v1 ^= v0;                                                              \
        v0 = hash_rotl(v0, 32);                                                \
        v2 += v3;                                                              \
        v3 = hash_rotl(v3, 16);                                                \
        v3 ^= v2;                                                              \
        v0 += v3;                                                              \
        v3 = hash_rotl(v3, 21);                                                \
        v3 ^= v0;                                                              \
        v2 += v1;                                                              \
        v1 = hash_rotl(v1, 17);                                                \
        v1 ^= v2;                                                              \
        v2 = hash_rotl(v2, 32);                                                \
    } while (0)

uint64_t intern_siphash(uint64_t k0, uint64_t k1, int c_rounds, int d_rounds,
                        const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    size_t whole = len & ~(size_t)7;
    for (size_t i = 0; i < whole; i += 8) {
        uint64_t m = hash_load_le64(p + i);
        v3 ^= m;
        for (int r = 0; r < c_rounds; r++)
            SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t last = (uint64_t)(len & 0xff) << 56;
    for (size_t i = 0; i < (len & 7); i++)
        last |= (uint64_t)p[whole + i] << (8 * i);
    v3 ^= last;
    for (int r = 0; r < c_rounds; r++)
        SIP_ROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    for (int r = 0; r < d_rounds; r++)
        SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t intern_fnv1a(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A bijection on 64-bit words that maps 0 to 0 (MurmurHash3's
 * finalizer). */
static uint64_t hash_mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void intern_siphash_key(uint64_t seed, uint64_t *k0, uint64_t *k1) {
    *k0 = seed;
    *k1 = hash_mix64(seed);
}

uint64_t intern_hash_bytes(intern_hash_kind kind, uint64_t seed,
                           const void *key, size_t len) {
    switch (kind) {
    case INTERN_HASH_SIPHASH13: {
        uint64_t k0, k1;
        intern_siphash_key(seed, &k0, &k1);
        return intern_siphash(k0, k1, 1, 3, key, len);
    }
    case INTERN_HASH_FNV1A:
        return intern_fnv1a(key, len);
    case INTERN_HASH_XXH3:
    default:
        return XXH3_64bits_withSeed(key, len, seed);
    }
}

static const char *const hash_names[INTERN_HASH_COUNT] = {
    [INTERN_HASH_XXH3] = "xxh3",
    [INTERN_HASH_SIPHASH13] = "siphash13",
    [INTERN_HASH_FNV1A] = "fnv1a",
};

const char *intern_hash_name(intern_hash_kind kind) {
    return (unsigned)kind < INTERN_HASH_COUNT ? hash_names[kind] : "unknown";
}

int intern_hash_from_name(const char *name) {
    for (int i = 0; i < INTERN_HASH_COUNT; i++)
        if (strcmp(name, hash_names[i]) == 0)
            return i;
    return -1;
}
