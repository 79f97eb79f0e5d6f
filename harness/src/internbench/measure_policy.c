/* measure_policy.c: what an interning policy costs in objects and bytes
 * (no interning, CPython's implicit rule, intern-all), and the small-int
 * cache: boxed integers per value vs a preallocated range. See measure.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/gen.h"
#include "internbench/measure.h"

void measure_policy_none(const measure_ref *ref, measure_policy_result *r) {
    r->objects = r->bytes = 0;
    for (size_t i = 0; i < ref->unique; i++) {
        r->objects += ref->occurrences[i];
        r->bytes += ref->occurrences[i] * ref->s[i].len;
    }
}

void measure_policy_cpython(const measure_ref *ref, const cpython_version *v,
                            measure_policy_result *r) {
    r->objects = r->bytes = 0;
    for (size_t i = 0; i < ref->unique; i++) {
        const vector_str *s = &ref->s[i];
        uint64_t copies =
            cpython_model_literal_identical_separate(v, s->bytes, s->len)
                ? 1
                : ref->occurrences[i];
        r->objects += copies;
        r->bytes += copies * s->len;
    }
}

void measure_policy_all(const measure_ref *ref, measure_policy_result *r) {
    r->objects = ref->unique;
    r->bytes = ref->unique_bytes;
}

/* ---- small ints ------------------------------------------------------ */

/* A boxed integer as an object model holds it. */
typedef struct measure_box {
    int64_t refs;
    int64_t value;
} measure_box;

const char *measure_int_stream_name(measure_int_stream s) {
    switch (s) {
    case MEASURE_INTS_COUNTER:
        return "counter";
    case MEASURE_INTS_INDEX:
        return "index";
    case MEASURE_INTS_ZIPF:
        return "zipf";
    default:
        return "?";
    }
}

#define MEASURE_ZIPF_RANKS 100000

/* The values of a stream, the same on every run. */
static int measure_int_values(measure_int_stream stream, uint64_t n,
                              int64_t *v) {
    gen_rng rng;
    gen_rng_seed(&rng, 13 + (uint64_t)stream);
    if (stream == MEASURE_INTS_COUNTER) {
        for (uint64_t i = 0; i < n; i++)
            v[i] = (int64_t)(i % 1000);
        return 0;
    }
    if (stream == MEASURE_INTS_INDEX) {
        for (uint64_t i = 0; i < n; i++)
            v[i] = (int64_t)gen_rng_below(&rng, 10000);
        return 0;
    }
    double *cdf = malloc(MEASURE_ZIPF_RANKS * sizeof *cdf);
    if (!cdf)
        return -1;
    double total = 0;
    for (int k = 0; k < MEASURE_ZIPF_RANKS; k++)
        cdf[k] = total += 1.0 / (double)(k + 1);
    for (uint64_t i = 0; i < n; i++) {
        double u =
            (double)(gen_rng_next(&rng) >> 11) / 9007199254740992.0 * total;
        size_t lo = 0, hi = MEASURE_ZIPF_RANKS - 1;
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

int measure_ints(measure_int_stream stream, uint64_t n, long cache_min,
                 long cache_max, int reps, measure_int_result *res) {
    memset(res, 0, sizeof *res);
    if (reps < 1)
        reps = 1;
    bool cached = cache_max >= cache_min;
    size_t ncache = cached ? (size_t)(cache_max - cache_min + 1) : 0;
    int64_t *vals = malloc((n ? n : 1) * sizeof *vals);
    measure_box **boxes = malloc((n ? n : 1) * sizeof *boxes);
    measure_box *cache = calloc(ncache ? ncache : 1, sizeof *cache);
    double *times = malloc((size_t)reps * sizeof *times);
    int rc = -1;
    if (!vals || !boxes || !cache || !times ||
        measure_int_values(stream, n, vals) != 0)
        goto out;
    for (size_t i = 0; i < ncache; i++)
        cache[i] = (measure_box){1, cache_min + (long)i};
    uint64_t want = 0;
    for (uint64_t i = 0; i < n; i++)
        want += (uint64_t)vals[i];
    for (int r = 0; r <= reps; r++) {
        uint64_t allocs = 0, hits = 0, sum = 0, made = 0;
        bool nomem = false;
        double t0 = measure_now_ns();
        for (uint64_t i = 0; i < n; i++) {
            int64_t x = vals[i];
            measure_box *b;
            if (cached && x >= cache_min && x <= cache_max) {
                b = &cache[x - cache_min];
                hits++;
            } else {
                b = malloc(sizeof *b);
                if (!b) {
                    nomem = true;
                    break;
                }
                b->refs = 1;
                b->value = x;
                allocs++;
            }
            boxes[made++] = b;
            sum += (uint64_t)b->value;
        }
        double ns = measure_now_ns() - t0;
        for (uint64_t i = 0; i < made; i++)
            if ((uintptr_t)boxes[i] < (uintptr_t)cache ||
                (uintptr_t)boxes[i] >= (uintptr_t)(cache + ncache))
                free(boxes[i]);
        if (nomem || sum != want)
            goto out;
        if (r > 0)
            times[r - 1] = n ? ns / (double)n : 0;
        res->allocations = allocs;
        res->hits = hits;
        res->checksum = sum;
    }
    measure_sample_set(&res->ns, times, reps);
    res->values = n;
    res->bytes = (res->allocations + ncache) * sizeof(measure_box);
    rc = 0;
out:
    free(vals);
    free(boxes);
    free(cache);
    free(times);
    return rc;
}
