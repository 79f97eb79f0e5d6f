/* conformance_keys.c: deterministic key sets for the conformance suite
 * and the table tests. See conformance_keys.h. */
#include "conformance_keys.h"

#include <stdlib.h>
#include <string.h>

uint64_t keys_rng_next(keys_rng *r) {
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t keys_rng_below(keys_rng *r, uint64_t n) {
    return n ? keys_rng_next(r) % n : 0;
}

void keys_set_init(keys_set *ks) {
    memset(ks, 0, sizeof *ks);
}

void keys_set_free(keys_set *ks) {
    free(ks->bytes);
    free(ks->off);
    free(ks->len);
    keys_set_init(ks);
}

/* Grows ks so that one more key of len bytes fits; false (and ks->failed
 * set, ks as it was) when memory ran out. */
static bool keys_set_reserve(keys_set *ks, size_t len) {
    if (ks->used + len > ks->cap) {
        size_t cap = ks->cap ? ks->cap : 1 << 16;
        while (ks->used + len > cap)
            cap *= 2;
        char *bytes = realloc(ks->bytes, cap);
        if (!bytes) {
            ks->failed = true;
            return false;
        }
        ks->bytes = bytes;
        ks->cap = cap;
    }
    if (ks->count == ks->slots) {
        size_t slots = ks->slots ? ks->slots * 2 : 1024;
        size_t *off = realloc(ks->off, slots * sizeof *off);
        if (off)
            ks->off = off;
        size_t *lens = off ? realloc(ks->len, slots * sizeof *lens) : NULL;
        if (!lens) {
            ks->failed = true;
            return false;
        }
        ks->len = lens;
        ks->slots = slots;
    }
    return true;
}

void keys_set_add(keys_set *ks, const void *key, size_t len) {
    if (ks->failed || !keys_set_reserve(ks, len))
        return;
    if (len)
        memcpy(ks->bytes + ks->used, key, len);
    ks->off[ks->count] = ks->used;
    ks->len[ks->count] = len;
    ks->used += len;
    ks->count++;
}

/* The families every set starts with: the empty key, every one-byte
 * key, NULs and invalid UTF-8, 4096-byte keys differing only in their
 * last byte, and every prefix of a few random strings. */
static void keys_set_families(keys_set *ks, keys_rng *r) {
    static const struct {
        const char *s;
        size_t len;
    } nul_keys[] = {{"\0", 1},           {"\0\0", 2},
                    {"a\0", 2},          {"\0a", 2},
                    {"a\0b", 3},         {"a\0c", 3},
                    {"ab", 2},           {"a\0b\0", 4},
                    {"\0\0\0", 3},       {"\xff", 1},
                    {"\xc3\x28", 2},     {"\xe2\x82", 2},
                    {"\xed\xa0\x80", 3}, {"\xf8\x88\x80\x80\x80", 5}};
    char buf[4096];
    keys_set_add(ks, "", 0);
    for (int b = 0; b < 256; b++) {
        buf[0] = (char)b;
        keys_set_add(ks, buf, 1);
    }
    for (size_t i = 0; i < sizeof nul_keys / sizeof nul_keys[0]; i++)
        keys_set_add(ks, nul_keys[i].s, nul_keys[i].len);
    memset(buf, 'k', sizeof buf);
    for (int b = 0; b < 256; b++) {
        buf[4095] = (char)b;
        keys_set_add(ks, buf, 4096);
    }
    for (int c = 0; c < 16; c++) {
        size_t len = 1 + keys_rng_below(r, 300);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)keys_rng_next(r);
        for (size_t l = 0; l <= len; l++)
            keys_set_add(ks, buf, l);
    }
}

static const char keys_ident_chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";

/* A random key of one of four kinds into buf (at least 40 bytes); its
 * length. */
static size_t keys_random(keys_rng *r, char *buf) {
    size_t len;
    switch (keys_rng_below(r, 4)) {
    case 0: /* identifier-like */
        len = 1 + keys_rng_below(r, 24);
        buf[0] = keys_ident_chars[keys_rng_below(r, 53)];
        for (size_t i = 1; i < len; i++)
            buf[i] = keys_ident_chars[keys_rng_below(r, 63)];
        break;
    case 1: /* random binary, NULs and invalid UTF-8 included */
        len = keys_rng_below(r, 40);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)keys_rng_next(r);
        break;
    case 2: /* bytes 0x80-0xff only: never valid UTF-8 at the start */
        len = 1 + keys_rng_below(r, 8);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)(0x80 | keys_rng_next(r));
        break;
    default: /* short keys over a tiny alphabet: many near-equal */
        len = keys_rng_below(r, 7);
        for (size_t i = 0; i < len; i++)
            buf[i] = "ab\0"[keys_rng_below(r, 3)];
        break;
    }
    return len;
}

void keys_set_mixed(keys_set *ks, size_t n, uint64_t seed) {
    keys_rng r = {seed};
    char buf[4096];
    keys_set_families(ks, &r);
    while (ks->count < n / 2 && !ks->failed)
        keys_set_add(ks, buf, keys_random(&r, buf));
    /* repeats of earlier keys, as copies */
    size_t base = ks->count;
    while (ks->count < n && !ks->failed) {
        size_t i = keys_rng_below(&r, base);
        size_t len = ks->len[i];
        if (len > sizeof buf)
            continue;
        memcpy(buf, keys_set_key(ks, i), len);
        keys_set_add(ks, buf, len);
    }
    /* shuffle so that repeats and families interleave */
    for (size_t i = ks->count ? ks->count - 1 : 0; i > 0; i--) {
        size_t j = keys_rng_below(&r, i + 1);
        size_t t = ks->off[i];
        ks->off[i] = ks->off[j];
        ks->off[j] = t;
        t = ks->len[i];
        ks->len[i] = ks->len[j];
        ks->len[j] = t;
    }
}

int keys_compare(const void *a, size_t alen, const void *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* A key in the sort of keys_set_groups: its first 8 bytes big-endian
 * (zero past its end), its bytes, its length and its index in the set.
 * Two heads in order are two keys in order, and equal heads leave the
 * order to the bytes: most comparisons end at the heads. */
typedef struct keys_sorted {
    uint64_t head;
    const char *bytes;
    size_t len, index;
} keys_sorted;

static int keys_sorted_cmp(const void *pa, const void *pb) {
    const keys_sorted *a = pa, *b = pb;
    if (a->head != b->head)
        return a->head < b->head ? -1 : 1;
    return keys_compare(a->bytes, a->len, b->bytes, b->len);
}

size_t keys_set_groups(const keys_set *ks, size_t *group) {
    keys_sorted *order = malloc((ks->count ? ks->count : 1) * sizeof *order);
    if (!order)
        return SIZE_MAX;
    for (size_t i = 0; i < ks->count; i++) {
        const unsigned char *p = (const unsigned char *)keys_set_key(ks, i);
        uint64_t head = 0;
        for (size_t b = 0; b < 8; b++)
            head = head << 8 | (b < ks->len[i] ? p[b] : 0);
        order[i] = (keys_sorted){head, (const char *)p, ks->len[i], i};
    }
    qsort(order, ks->count, sizeof *order, keys_sorted_cmp);
    size_t groups = 0;
    for (size_t k = 0; k < ks->count; k++) {
        if (k > 0 && keys_sorted_cmp(&order[k - 1], &order[k]) != 0)
            groups++;
        group[order[k].index] = groups;
    }
    free(order);
    return ks->count ? groups + 1 : 0;
}
