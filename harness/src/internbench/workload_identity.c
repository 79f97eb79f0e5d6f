/* workload_identity.c: what interning buys: equal-string compares by
 * length, records sharing keys, and the cost of one intern by length (for
 * the break-even count). See workloads.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern/alloc.h"
#include "internbench/gen.h"
#include "internbench/workloads.h"

/* Total bytes memcmp'd per timed pass: enough to time, small enough to
 * stay fast (about 10 ms per pass). */
#define COMPARE_BYTES ((uint64_t)1 << 24)

/* A compare pass: iters compares of a and b, loaded through volatile
 * pointers on every iteration so the compiler neither hoists the compare
 * nor folds it away. eq counts the compares that found equal strings. */
typedef struct compare_pass {
    const char *a, *b;
    size_t len;
    uint64_t iters, eq;
} compare_pass;

static double compare_memcmp(void *ctx, int rep) {
    compare_pass *p = ctx;
    const char *volatile pa = p->a;
    const char *volatile pb = p->b;
    uint64_t eq = 0;
    double t0 = measure_now_ns();
    for (uint64_t i = 0; i < p->iters; i++)
        eq += memcmp(pa, pb, p->len) == 0;
    double ns = measure_now_ns() - t0;
    (void)rep;
    p->eq += eq;
    return eq == p->iters ? ns : -1;
}

/* The interned side: the handles of equal strings are one pointer. */
static double compare_pointer(void *ctx, int rep) {
    compare_pass *p = ctx;
    const char *volatile qa = p->a;
    const char *volatile qb = p->a;
    uint64_t eq = 0;
    double t0 = measure_now_ns();
    for (uint64_t i = 0; i < p->iters; i++)
        eq += qa == qb;
    double ns = measure_now_ns() - t0;
    (void)rep;
    p->eq += eq;
    return eq == p->iters ? ns : -1;
}

int workload_compare(size_t len, int reps, workload_compare_result *res) {
    memset(res, 0, sizeof *res);
    if (len == 0)
        len = 1;
    uint64_t iters = COMPARE_BYTES / len;
    iters = iters < 256 ? 256 : iters > (1u << 20) ? (1u << 20) : iters;
    char *a = malloc(len), *b = malloc(len);
    int rc = -1;
    if (a && b) {
        gen_rng rng;
        gen_rng_seed(&rng, 11);
        for (size_t i = 0; i < len; i++)
            a[i] = (char)gen_rng_next(&rng);
        memcpy(b, a, len);
        compare_pass p = {a, b, len, iters, 0};
        rc = engine_repeat(compare_memcmp, &p, reps, iters, &res->memcmp_ns);
        if (rc == 0)
            rc = engine_repeat(compare_pointer, &p, reps, iters,
                               &res->pointer_ns);
        res->checksum = p.eq;
    }
    res->len = len;
    res->iterations = iters;
    free(a);
    free(b);
    return rc;
}

/* ---- one intern by length ---------------------------------------------- */

/* A hit pass over n distinct keys of length len, rounds times. */
typedef struct intern_len_pass {
    const intern_ops *ops;
    intern_table *t;
    const char *keys;
    size_t n, len, rounds;
    uint64_t sum;
} intern_len_pass;

static double intern_len_hits(void *ctx, int rep) {
    intern_len_pass *p = ctx;
    uint64_t found = 0, sum = 0;
    double t0 = measure_now_ns();
    for (size_t k = 0; k < p->rounds; k++)
        for (size_t i = 0; i < p->n; i++) {
            const intern_str *s = NULL;
            found += p->ops->intern(p->t, p->keys + i * p->len, p->len, &s) ==
                     INTERN_FOUND;
            sum += engine_handle_mix(s);
        }
    double ns = measure_now_ns() - t0;
    (void)rep;
    p->sum = sum;
    return found == p->rounds * p->n ? ns : -1;
}

/* n distinct random keys of length len (for 1 byte: n distinct bytes),
 * interned into t. */
static int intern_len_fill(intern_len_pass *p, char *keys) {
    gen_rng rng;
    gen_rng_seed(&rng, 12);
    for (size_t i = 0; i < p->n; i++) {
        char *k = keys + i * p->len;
        for (size_t j = 0; j < p->len; j++)
            k[j] = (char)gen_rng_next(&rng);
        if (p->len == 1)
            k[0] = (char)i;
        const intern_str *s;
        if (p->ops->intern(p->t, k, p->len, &s) < 0)
            return -1;
    }
    return 0;
}

int workload_intern_len(const intern_ops *ops, size_t len, int reps,
                        measure_sample *out, uint64_t *checksum) {
    intern_len_pass p = {.ops = ops, .len = len ? len : 1};
    /* distinct random strings: a repeat is vanishingly unlikely beyond 2
     * bytes; for 1 byte the count stays below the 256 possible */
    size_t n = (size_t)(((uint64_t)1 << 22) / p.len);
    n = n > 4096 ? 4096 : n < 16 ? 16 : n;
    p.n = p.len == 1 && n > 128 ? 128 : n;
    /* passes of 2^16 interns, or of 2^24 key bytes for long keys, and at
     * least one round over the n strings */
    uint64_t want = ((uint64_t)1 << 24) / p.len;
    want = want > 65536 ? 65536 : want;
    p.rounds = (size_t)((want + p.n - 1) / p.n);
    p.rounds = p.rounds ? p.rounds : 1;
    char *keys = malloc(p.n * p.len);
    intern_config cfg;
    intern_config_init(&cfg);
    p.t = keys ? ops->create(&cfg) : NULL;
    p.keys = keys;
    int rc = -1;
    if (p.t && intern_len_fill(&p, keys) == 0)
        rc = engine_repeat(intern_len_hits, &p, reps, p.rounds * p.n, out);
    *checksum = p.sum;
    if (p.t)
        ops->destroy(p.t);
    free(keys);
    return rc;
}
