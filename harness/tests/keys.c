/* keys.c: deterministic key sets for the table tests. */
#include "keys.h"

#include <stdio.h>
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

static void *keys_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "keys: out of memory\n");
        exit(2);
    }
    return q;
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

void keys_set_add(keys_set *ks, const void *key, size_t len) {
    if (ks->used + len > ks->cap) {
        while (ks->used + len > ks->cap)
            ks->cap = ks->cap ? ks->cap * 2 : 1 << 16;
        ks->bytes = keys_xrealloc(ks->bytes, ks->cap);
    }
    if (ks->count == ks->slots) {
        ks->slots = ks->slots ? ks->slots * 2 : 1024;
        ks->off = keys_xrealloc(ks->off, ks->slots * sizeof *ks->off);
        ks->len = keys_xrealloc(ks->len, ks->slots * sizeof *ks->len);
    }
    if (len)
        memcpy(ks->bytes + ks->used, key, len);
    ks->off[ks->count] = ks->used;
    ks->len[ks->count] = len;
    ks->used += len;
    ks->count++;
}

static const char keys_ident_chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";

void keys_set_mixed(keys_set *ks, size_t n, uint64_t seed) {
    keys_rng r = {seed};
    char buf[4096];
    size_t distinct_target = n / 2;

    keys_set_add(ks, "", 0);
    for (int b = 0; b < 256; b++) {
        buf[0] = (char)b;
        keys_set_add(ks, buf, 1);
    }
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
    for (size_t i = 0; i < sizeof nul_keys / sizeof nul_keys[0]; i++)
        keys_set_add(ks, nul_keys[i].s, nul_keys[i].len);
    /* 4096-byte keys that differ only in their last byte */
    memset(buf, 'k', sizeof buf);
    for (int b = 0; b < 256; b++) {
        buf[4095] = (char)b;
        keys_set_add(ks, buf, 4096);
    }
    /* prefix chains: every prefix of a few random strings */
    for (int c = 0; c < 16; c++) {
        size_t len = 1 + keys_rng_below(&r, 300);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)keys_rng_next(&r);
        for (size_t l = 0; l <= len; l++)
            keys_set_add(ks, buf, l);
    }
    while (ks->count < distinct_target) {
        size_t len;
        switch (keys_rng_below(&r, 4)) {
        case 0: /* identifier-like */
            len = 1 + keys_rng_below(&r, 24);
            buf[0] = keys_ident_chars[keys_rng_below(&r, 53)];
            for (size_t i = 1; i < len; i++)
                buf[i] = keys_ident_chars[keys_rng_below(&r, 63)];
            break;
        case 1: /* random binary, NULs and invalid UTF-8 included */
            len = keys_rng_below(&r, 40);
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)keys_rng_next(&r);
            break;
        case 2: /* bytes 0x80-0xff only: never valid UTF-8 at the start */
            len = 1 + keys_rng_below(&r, 8);
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)(0x80 | keys_rng_next(&r));
            break;
        default: /* short keys over a tiny alphabet: many near-equal */
            len = keys_rng_below(&r, 7);
            for (size_t i = 0; i < len; i++)
                buf[i] = "ab\0"[keys_rng_below(&r, 3)];
            break;
        }
        keys_set_add(ks, buf, len);
    }
    /* repeats of earlier keys, as copies */
    size_t base = ks->count;
    while (ks->count < n) {
        size_t i = keys_rng_below(&r, base);
        size_t len = ks->len[i];
        if (len > sizeof buf)
            continue;
        memcpy(buf, keys_set_key(ks, i), len);
        keys_set_add(ks, buf, len);
    }
    /* shuffle so that repeats and families interleave */
    for (size_t i = ks->count - 1; i > 0; i--) {
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

static const keys_set *keys_sort_set;

static int keys_sort_cmp(const void *pa, const void *pb) {
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return keys_compare(keys_set_key(keys_sort_set, a), keys_sort_set->len[a],
                        keys_set_key(keys_sort_set, b), keys_sort_set->len[b]);
}

size_t keys_set_groups(const keys_set *ks, size_t *group) {
    size_t *order = keys_xrealloc(NULL, ks->count * sizeof *order);
    for (size_t i = 0; i < ks->count; i++)
        order[i] = i;
    keys_sort_set = ks;
    qsort(order, ks->count, sizeof *order, keys_sort_cmp);
    size_t groups = 0;
    for (size_t k = 0; k < ks->count; k++) {
        if (k > 0 && keys_sort_cmp(&order[k - 1], &order[k]) != 0)
            groups++;
        group[order[k]] = groups;
    }
    free(order);
    return ks->count ? groups + 1 : 0;
}
