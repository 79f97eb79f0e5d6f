/* measure_identity.c: what interning buys: equal-string compares by
 * length, records sharing keys, and the cost of one intern by length
 * (for the break-even count). See measure.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern/alloc.h"
#include "internbench/gen.h"
#include "internbench/measure.h"

/* Total bytes memcmp'd per timed pass: enough to time, small enough to
 * stay fast (about 10 ms per pass). */
#define MEASURE_COMPARE_BYTES ((uint64_t)1 << 24)

int measure_compare(size_t len, int reps, measure_compare_result *res) {
    memset(res, 0, sizeof *res);
    if (reps < 1)
        reps = 1;
    if (len == 0)
        len = 1;
    uint64_t iters = MEASURE_COMPARE_BYTES / len;
    if (iters < 256)
        iters = 256;
    if (iters > ((uint64_t)1 << 20))
        iters = (uint64_t)1 << 20;
    char *a = malloc(len), *b = malloc(len);
    double *times = malloc((size_t)reps * sizeof *times);
    if (!a || !b || !times) {
        free(a);
        free(b);
        free(times);
        return -1;
    }
    gen_rng rng;
    gen_rng_seed(&rng, 11);
    for (size_t i = 0; i < len; i++)
        a[i] = (char)gen_rng_next(&rng);
    memcpy(b, a, len);
    /* loaded through volatile pointers on every iteration so the compiler
     * neither hoists the compare nor folds it away */
    const char *volatile pa = a;
    const char *volatile pb = b;
    uint64_t eq = 0;
    for (int r = 0; r <= reps; r++) {
        double t0 = measure_now_ns();
        for (uint64_t i = 0; i < iters; i++)
            eq += memcmp(pa, pb, len) == 0;
        double ns = measure_now_ns() - t0;
        if (r > 0)
            times[r - 1] = ns / (double)iters;
    }
    measure_sample_set(&res->memcmp_ns, times, reps);
    /* the interned side: the two handles of equal strings are one
     * pointer, so pb is set to pa */
    const char *volatile qa = a;
    const char *volatile qb = a;
    for (int r = 0; r <= reps; r++) {
        double t0 = measure_now_ns();
        for (uint64_t i = 0; i < iters; i++)
            eq += qa == qb;
        double ns = measure_now_ns() - t0;
        if (r > 0)
            times[r - 1] = ns / (double)iters;
    }
    measure_sample_set(&res->pointer_ns, times, reps);
    res->len = len;
    res->iterations = iters;
    res->checksum = eq;
    free(a);
    free(b);
    free(times);
    /* every compare was of equal strings */
    return eq == 2 * iters * (uint64_t)(reps + 1) ? 0 : -1;
}

int measure_intern_len(const intern_ops *ops, size_t len, int reps,
                       measure_sample *out, uint64_t *checksum) {
    if (reps < 1)
        reps = 1;
    if (len == 0)
        len = 1;
    /* distinct random strings: a repeat is vanishingly unlikely beyond 2
     * bytes; for 1 and 2 bytes the count is capped below the space */
    size_t n = (size_t)(((uint64_t)1 << 22) / len);
    if (n > 4096)
        n = 4096;
    if (n < 16)
        n = 16;
    if (len == 1 && n > 128)
        n = 128;
    char *keys = malloc(n * len);
    double *times = malloc((size_t)reps * sizeof *times);
    intern_config cfg;
    intern_config_init(&cfg);
    intern_table *t = keys && times ? ops->create(&cfg) : NULL;
    if (!t) {
        free(keys);
        free(times);
        return -1;
    }
    gen_rng rng;
    gen_rng_seed(&rng, 12);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *k = keys + i * len;
        for (size_t j = 0; j < len; j++)
            k[j] = (char)gen_rng_next(&rng);
        if (len == 1)
            k[0] = (char)i;
        const intern_str *s;
        if (ops->intern(t, k, len, &s) < 0)
            rc = -1;
    }
    /* passes of 2^16 interns, or of 2^24 key bytes for long keys, and at
     * least one round over the n strings */
    uint64_t ops_want = ((uint64_t)1 << 24) / len;
    if (ops_want > 65536)
        ops_want = 65536;
    size_t rounds = (size_t)((ops_want + n - 1) / n);
    if (rounds == 0)
        rounds = 1;
    uint64_t sum = 0;
    for (int r = 0; rc == 0 && r <= reps; r++) {
        uint64_t found = 0;
        double t0 = measure_now_ns();
        for (size_t k = 0; k < rounds; k++)
            for (size_t i = 0; i < n; i++) {
                const intern_str *s = NULL;
                if (ops->intern(t, keys + i * len, len, &s) == INTERN_FOUND) {
                    found++;
                    sum += (uintptr_t)s;
                }
            }
        double ns = measure_now_ns() - t0;
        if (found != rounds * n)
            rc = -1;
        else if (r > 0)
            times[r - 1] = ns / (double)(rounds * n);
    }
    if (rc == 0)
        measure_sample_set(out, times, reps);
    *checksum = sum;
    ops->destroy(t);
    free(keys);
    free(times);
    return rc;
}

/* One field of a record: the key (private bytes, or a handle's bytes),
 * its hash and length, and the value. */
typedef struct measure_field {
    const char *key;
    uint64_t hash;
    size_t len;
    uint64_t value;
} measure_field;

static void measure_key_name(uint64_t k, char *buf, size_t cap) {
    static const char *const names[] = {"id", "name", "email"};
    if (k < 3)
        snprintf(buf, cap, "%s", names[k]);
    else
        snprintf(buf, cap, "key%llu", (unsigned long long)k);
}

int measure_records(const intern_ops *ops, uint64_t records, uint64_t keys,
                    int reps, measure_records_result *res) {
    memset(res, 0, sizeof *res);
    if (reps < 1)
        reps = 1;
    if (records == 0 || keys == 0)
        return -1;
    uint64_t nf = records * keys;
    measure_field *priv = calloc(nf, sizeof *priv);
    measure_field *intd = calloc(nf, sizeof *intd);
    char **copies = calloc(nf, sizeof *copies);
    const intern_str **qh = calloc(keys, sizeof *qh);
    char **queries = calloc(keys, sizeof *queries);
    double *times = malloc((size_t)reps * sizeof *times);
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca.base;
    intern_table *t = NULL;
    int rc = -1;
    if (!priv || !intd || !copies || !qh || !queries || !times)
        goto out;
    t = ops->create(&cfg);
    if (!t)
        goto out;
    char name[32];
    for (uint64_t k = 0; k < keys; k++) {
        measure_key_name(k, name, sizeof name);
        queries[k] = malloc(strlen(name) + 1);
        if (!queries[k])
            goto out;
        memcpy(queries[k], name, strlen(name) + 1);
    }
    /* the records, as a parser would make them: each key read afresh */
    for (uint64_t r = 0; r < records; r++)
        for (uint64_t k = 0; k < keys; k++) {
            uint64_t f = r * keys + k;
            measure_key_name(k, name, sizeof name);
            size_t len = strlen(name);
            copies[f] = malloc(len + 1);
            if (!copies[f])
                goto out;
            memcpy(copies[f], name, len + 1);
            res->private_bytes += len + 1;
            uint64_t h = intern_hash_bytes(INTERN_HASH_XXH3, 0, name, len);
            priv[f] = (measure_field){copies[f], h, len, r * 31 + k};
            const intern_str *s;
            if (ops->intern(t, name, len, &s) < 0)
                goto out;
            intd[f] = (measure_field){intern_str_bytes(s), h, len, r * 31 + k};
        }
    res->private_strings = nf;
    for (uint64_t k = 0; k < keys; k++) {
        qh[k] = ops->find(t, queries[k], strlen(queries[k]));
        if (!qh[k])
            goto out;
    }
    intern_stats st;
    ops->stats(t, &st);
    res->interned_strings = st.strings;
    res->interned_bytes = st.total_bytes;
    /* lookups: every key of every record, asked by a query string */
    uint64_t sum = 0, want = 0;
    for (uint64_t r = 0; r < records; r++)
        for (uint64_t k = 0; k < keys; k++)
            want += r * 31 + k;
    for (int rep = 0; rep <= reps; rep++) {
        uint64_t got = 0;
        double t0 = measure_now_ns();
        for (uint64_t k = 0; k < keys; k++) {
            const char *q = queries[k];
            size_t qlen = strlen(q);
            for (uint64_t r = 0; r < records; r++) {
                uint64_t h = intern_hash_bytes(INTERN_HASH_XXH3, 0, q, qlen);
                const measure_field *fs = priv + r * keys;
                for (uint64_t j = 0; j < keys; j++)
                    if (fs[j].hash == h && fs[j].len == qlen &&
                        memcmp(fs[j].key, q, qlen) == 0) {
                        got += fs[j].value;
                        break;
                    }
            }
        }
        double ns = measure_now_ns() - t0;
        if (got != want)
            goto out;
        if (rep > 0)
            times[rep - 1] = ns / (double)nf;
        sum += got;
    }
    measure_sample_set(&res->private_ns, times, reps);
    for (int rep = 0; rep <= reps; rep++) {
        uint64_t got = 0;
        double t0 = measure_now_ns();
        for (uint64_t k = 0; k < keys; k++) {
            const char *q = intern_str_bytes(qh[k]);
            for (uint64_t r = 0; r < records; r++) {
                const measure_field *fs = intd + r * keys;
                for (uint64_t j = 0; j < keys; j++)
                    if (fs[j].key == q) {
                        got += fs[j].value;
                        break;
                    }
            }
        }
        double ns = measure_now_ns() - t0;
        if (got != want)
            goto out;
        if (rep > 0)
            times[rep - 1] = ns / (double)nf;
        sum += got;
    }
    measure_sample_set(&res->interned_ns, times, reps);
    res->records = records;
    res->keys = keys;
    res->checksum = sum;
    rc = 0;
out:
    if (t)
        ops->destroy(t);
    if (copies)
        for (uint64_t f = 0; f < nf; f++)
            free(copies[f]);
    if (queries)
        for (uint64_t k = 0; k < keys; k++)
            free(queries[k]);
    free(priv);
    free(intd);
    free(copies);
    free(qh);
    free(queries);
    free(times);
    return rc;
}
