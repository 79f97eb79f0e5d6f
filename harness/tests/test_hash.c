/* test_hash.c: the hash functions against published and recorded
 * vectors, and the seed semantics the tables rely on. */
#include <string.h>
#include <xxhash.h>

#include "check.h"
#include "hash.h"
#include "intern/intern.h"

/* SipHash-2-4, key 00 01 .. 0f, message 00 01 .. (i-1): the 64 test
 * vectors published with the reference implementation (vectors_sip64),
 * read as little-endian words. */
static const uint64_t sip24_vectors[64] = {
    0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL,
    0x85676696d7fb7e2dULL, 0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
    0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL, 0x93f5f5799a932462ULL,
    0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
    0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL,
    0xa129ca6149be45e5ULL, 0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
    0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL, 0xbed65cf21aa2ee98ULL,
    0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
    0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL,
    0x2f2e6163076bcfadULL, 0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
    0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL, 0x7127512f72f27cceULL,
    0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
    0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL,
    0x9abfd8766a33735cULL, 0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
    0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL, 0xf935451de4f21df2ULL,
    0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
    0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL,
    0xa192d576b245165aULL, 0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
    0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL, 0xb78dbfaf3a8d83bdULL,
    0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
    0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL,
    0x958a324ceb064572ULL,
};
/* SipHash-1-3 with the zero key, as CPython computes hash(bytes) under
 * PYTHONHASHSEED=0 (recorded from CPython 3.11 and 3.13, which agree). */
static const struct {
    const char *bytes;
    size_t len;
    uint64_t hash;
} sip13_cpython[] = {
    {"\x00", 1, 0x68a914128e01e473ULL},
    {"\x00\x01", 2, 0x010bac45c41e3669ULL},
    {"\x00\x01\x02", 3, 0x4d4c9a4a8ef6e0adULL},
    {"\x00\x01\x02\x03", 4, 0x7cc43f98813e4dbdULL},
    {"\x00\x01\x02\x03\x04", 5, 0x5abe2169dff36275ULL},
    {"\x00\x01\x02\x03\x04\x05", 6, 0xe3c25f87624f1cdbULL},
    {"\x00\x01\x02\x03\x04\x05\x06", 7, 0x2f098ab0c751325aULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07", 8, 0xead411e67ebe2eeaULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08", 9, 0x75927f9d95124362ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09", 10, 0xaf9f77a65ab51a1dULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", 11, 0xfe64ce8b6617fcffULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b", 12,
     0xa6baf4fb0f9fe1c2ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 13,
     0xa0cf3211850f8e0dULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d", 14,
     0x7f86049379fbfe67ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e", 15,
     0xf30eb725bb91c9eaULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16,
     0x8972188433a5c5b7ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 17,
     0x4883c49a2c009c1dULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11",
     18, 0xadc2c0b63044067dULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12",
     19, 0x091f4a3329f87d19ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12\x13",
     20, 0x639e355ae68c0100ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12\x13\x14",
     21, 0xb17bef2cb5213239ULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12\x13\x14\x15",
     22, 0xf8aeb1066236ccfeULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12\x13\x14\x15\x16",
     23, 0x37332b1389daa4ffULL},
    {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
     "\x12\x13\x14\x15\x16\x17",
     24, 0x31185a47af932f3aULL},
    {"\x61", 1, 0x407448d2b89b1813ULL},
    {"\x61\x62\x63", 3, 0xc03bc3a0042630f2ULL},
    {"\x68\x65\x6c\x6c\x6f\x20\x77\x6f\x72\x6c\x64", 11, 0xb1b1f2e707e4ac8aULL},
    {"\x00", 1, 0x68a914128e01e473ULL},
    {"\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78"
     "\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78"
     "\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78"
     "\x78\x78\x78\x78\x78\x78\x78\x78\x78\x78",
     64, 0x4befba7c9610aea3ULL},
    {"\xff\xfe", 2, 0xec0339d865e6c951ULL},
};

static uint64_t load_le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

int main(void) {
    unsigned char key[16], msg[64];
    for (int i = 0; i < 16; i++)
        key[i] = (unsigned char)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (unsigned char)i;
    uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
    for (size_t n = 0; n < 64; n++)
        CHECKF(intern_siphash(k0, k1, 2, 4, msg, n) == sip24_vectors[n],
               "SipHash-2-4 vector %zu", n);

    for (size_t i = 0; i < sizeof sip13_cpython / sizeof sip13_cpython[0];
         i++) {
        uint64_t h = intern_siphash(0, 0, 1, 3, sip13_cpython[i].bytes,
                                    sip13_cpython[i].len);
        CHECKF(h == sip13_cpython[i].hash,
               "SipHash-1-3 row %zu: %016" PRIx64 " != %016" PRIx64, i, h,
               sip13_cpython[i].hash);
    }
    /* seed 0 is CPython's PYTHONHASHSEED=0 key */
    CHECK(intern_hash_bytes(INTERN_HASH_SIPHASH13, 0, "abc", 3) ==
          intern_siphash(0, 0, 1, 3, "abc", 3));

    /* FNV-1a 64: the published values for "", "a" and "foobar" */
    CHECK(intern_fnv1a("", 0) == 0xcbf29ce484222325ULL);
    CHECK(intern_fnv1a("a", 1) == 0xaf63dc4c8601ec8cULL);
    CHECK(intern_fnv1a("foobar", 6) == 0x85944171f73967e8ULL);
    /* unkeyed: the seed changes nothing, which is what makes it floodable */
    CHECK(intern_hash_bytes(INTERN_HASH_FNV1A, 1, "foobar", 6) ==
          intern_hash_bytes(INTERN_HASH_FNV1A, 2, "foobar", 6));

    /* xxh3 is libxxhash's, seeded */
    CHECK(intern_hash_bytes(INTERN_HASH_XXH3, 0, "", 0) == XXH3_64bits("", 0));
    CHECK(intern_hash_bytes(INTERN_HASH_XXH3, 7, "abc", 3) ==
          XXH3_64bits_withSeed("abc", 3, 7));
    CHECK(XXH3_64bits("", 0) == 0x2d06800538d394c2ULL);

    /* keyed hashes change with the seed */
    CHECK(intern_hash_bytes(INTERN_HASH_XXH3, 1, "foobar", 6) !=
          intern_hash_bytes(INTERN_HASH_XXH3, 2, "foobar", 6));
    CHECK(intern_hash_bytes(INTERN_HASH_SIPHASH13, 1, "foobar", 6) !=
          intern_hash_bytes(INTERN_HASH_SIPHASH13, 2, "foobar", 6));

    /* names round-trip */
    for (int h = 0; h < INTERN_HASH_COUNT; h++)
        CHECK(intern_hash_from_name(intern_hash_name((intern_hash_kind)h)) ==
              h);
    CHECK(intern_hash_from_name("md5") == -1);

    intern_config a, b;
    intern_config_init(&a);
    intern_config_init(&b);
    CHECK(a.hash == INTERN_HASH_XXH3 && !a.seed_fixed && a.alloc == NULL);
    return check_exit();
}
