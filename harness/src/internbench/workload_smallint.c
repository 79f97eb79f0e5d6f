/* workload_smallint.c: boxed integers, a box per value vs a preallocated
 * cache of small ones as CPython keeps -5..256 (workloads.h). */
#include <stdlib.h>
#include <string.h>

#include "internbench/gen.h"
#include "internbench/workloads.h"

/* A boxed integer as an object model holds it. */
typedef struct smallint_box {
    int64_t refs;
    int64_t value;
} smallint_box;

#define SMALLINT_ZIPF_RANKS 100000

const char *workload_int_stream_name(workload_int_stream s) {
    static const char *const names[WORKLOAD_INTS_COUNT] = {"counter", "index",
                                                           "zipf"};
    return s < WORKLOAD_INTS_COUNT ? names[s] : "?";
}

/* n Zipf-distributed ranks (exponent 1), by inverting the CDF. */
static int smallint_zipf(gen_rng *rng, uint64_t n, int64_t *v) {
    double *cdf = malloc(SMALLINT_ZIPF_RANKS * sizeof *cdf);
    if (!cdf)
        return -1;
    double total = 0;
    for (int k = 0; k < SMALLINT_ZIPF_RANKS; k++)
        cdf[k] = total += 1.0 / (double)(k + 1);
    for (uint64_t i = 0; i < n; i++) {
        double u =
            (double)(gen_rng_next(rng) >> 11) / 9007199254740992.0 * total;
        size_t lo = 0, hi = SMALLINT_ZIPF_RANKS - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cdf[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        v[i] = (int64_t)lo;
    }
    free(cdf);
    return 0;
}

/* The values of a stream, the same on every run. */
static int smallint_values(workload_int_stream stream, uint64_t n, int64_t *v) {
    gen_rng rng;
    gen_rng_seed(&rng, 13 + (uint64_t)stream);
    if (stream == WORKLOAD_INTS_ZIPF)
        return smallint_zipf(&rng, n, v);
    for (uint64_t i = 0; i < n; i++)
        v[i] = stream == WORKLOAD_INTS_COUNTER
                   ? (int64_t)(i % 1000)
                   : (int64_t)gen_rng_below(&rng, 10000);
    return 0;
}

/* One measurement. Invariant: cache holds ncache boxes for the values
 * cache_min.., boxes the pass's boxes; want is the sum of vals. */
typedef struct smallint_pass {
    const int64_t *vals;
    uint64_t n, want;
    smallint_box **boxes, *cache;
    size_t ncache;
    long cache_min;
    uint64_t allocs, hits, sum;
} smallint_pass;

static void smallint_release(smallint_pass *p, uint64_t made) {
    for (uint64_t i = 0; i < made; i++)
        if (p->boxes[i] < p->cache || p->boxes[i] >= p->cache + p->ncache)
            free(p->boxes[i]);
}

static double smallint_box_all(void *ctx, int rep) {
    smallint_pass *p = ctx;
    uint64_t allocs = 0, hits = 0, sum = 0, made = 0;
    double t0 = measure_now_ns();
    for (; made < p->n; made++) {
        int64_t x = p->vals[made];
        smallint_box *b;
        if (x >= p->cache_min && (uint64_t)(x - p->cache_min) < p->ncache) {
            b = &p->cache[x - p->cache_min];
            hits++;
        } else if ((b = malloc(sizeof *b)) != NULL) {
            *b = (smallint_box){1, x};
            allocs++;
        } else {
            break;
        }
        p->boxes[made] = b;
        sum += (uint64_t)b->value;
    }
    double ns = measure_now_ns() - t0;
    (void)rep;
    smallint_release(p, made);
    p->allocs = allocs;
    p->hits = hits;
    p->sum = sum;
    return made == p->n && sum == p->want ? ns : -1;
}

int workload_ints(workload_int_stream stream, uint64_t n, long cache_min,
                  long cache_max, int reps, workload_int_result *res) {
    memset(res, 0, sizeof *res);
    smallint_pass p = {.n = n, .cache_min = cache_min};
    p.ncache = cache_max >= cache_min ? (size_t)(cache_max - cache_min + 1) : 0;
    int64_t *vals = malloc((n ? n : 1) * sizeof *vals);
    p.boxes = malloc((n ? n : 1) * sizeof *p.boxes);
    p.cache = calloc(p.ncache ? p.ncache : 1, sizeof *p.cache);
    p.vals = vals;
    int rc = -1;
    if (vals && p.boxes && p.cache && smallint_values(stream, n, vals) == 0) {
        for (size_t i = 0; i < p.ncache; i++)
            p.cache[i] = (smallint_box){1, cache_min + (long)i};
        for (uint64_t i = 0; i < n; i++)
            p.want += (uint64_t)vals[i];
        rc = engine_repeat(smallint_box_all, &p, reps, n, &res->ns);
    }
    res->values = n;
    res->allocations = p.allocs;
    res->hits = p.hits;
    res->checksum = p.sum;
    res->bytes = (p.allocs + p.ncache) * sizeof(smallint_box);
    free(vals);
    free(p.boxes);
    free(p.cache);
    return rc;
}
