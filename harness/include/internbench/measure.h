/* measure.h: the workloads and measurements behind `internbench run`.
 *
 * Timing is CLOCK_MONOTONIC around whole passes: one warm-up pass, then
 * reps timed passes; a sample keeps the median, minimum and maximum of
 * the per-operation times. Every pass keeps its results live by folding
 * the handles it gets into a checksum that the caller reports, and every
 * pass checks what it gets (a build makes exactly the expected unique
 * strings, a hit finds every string, a miss finds none): a pass that
 * fails its check sets an error message and the caller reports no number
 * from it.
 *
 * The digest and the .vec reader are vector.h's, the ones `internbench
 * verify` uses, so a run checks itself by the same rules.
 * Nothing here prints, aborts or exits; an allocation failure is an
 * error return. */
#ifndef INTERN_MEASURE_H
#define INTERN_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internbench/case.h"
#include "internbench/classify.h"
#include "internbench/cpython.h"
#include "intern/intern.h"
#include "internbench/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- timing ---------------------------------------------------------- */

/* CLOCK_MONOTONIC in nanoseconds. */
double measure_now_ns(void);

/* The spread of one measurement over its timed repetitions, in the unit
 * the caller chose (ns per operation). Invariant: min <= median <= max. */
typedef struct measure_sample {
    double median, min, max;
    int reps;
} measure_sample;

/* Sorts v[0..n) and fills out; n >= 1. */
void measure_sample_set(measure_sample *out, double *v, int n);

/* Called after each pass (rep 0 is the warm-up) so a caller can show
 * progress; what names the pass ("build", "hit", ...). */
typedef void (*measure_progress_fn)(void *ctx, const char *what, int rep,
                                    int reps);

/* ---- the reference ---------------------------------------------------- */

/* The distinct strings of a case in sorted order with how often each
 * occurs, computed without any table. Invariant: s is sorted and
 * distinct, occurrences[i] >= 1, the occurrences sum to the case's count;
 * digest and unique_bytes are those of s (vector_digest). */
typedef struct measure_ref {
    vector_str *s;
    uint64_t *occurrences;
    size_t unique;
    uint64_t unique_bytes;
    uint64_t digest;
} measure_ref;

/* 0, or -1 on allocation failure (*ref is then empty). */
int measure_ref_build(const case_data *d, measure_ref *ref);
bool measure_ref_contains(const measure_ref *ref, const void *key, size_t len);
void measure_ref_free(measure_ref *ref);

/* ---- one table on one case ------------------------------------------ */

/* The keys of the miss workload: each string of the case with one byte
 * changed (byte i * 7 mod len of string i, XOR 0x01), kept only when the
 * result is absent from the case. Empty strings have no byte to change
 * and mutated keys that happen to be present are skipped; both counted. */
typedef struct measure_miss_keys {
    case_data keys;
    uint64_t skipped_present;
    uint64_t skipped_empty;
} measure_miss_keys;

int measure_miss_keys_make(const case_data *d, const measure_ref *ref,
                           measure_miss_keys *out);
void measure_miss_keys_free(measure_miss_keys *m);

/* What run measures for one table × case. Times are ns per string. */
typedef struct measure_table_result {
    measure_sample build, hit, miss;
    uint64_t build_checksum, hit_checksum, miss_checksum;
    uint64_t unique;       /* strings made new by the checked build */
    uint64_t digest;       /* measure_digest of their handles */
    intern_stats stats;    /* after a build */
    uint64_t alloc_bytes;  /* the counting allocator's live bytes */
    uint64_t alloc_blocks; /* its live blocks */
    uint64_t alloc_peak;   /* its peak during the build */
    uint64_t allocations;  /* allocations the build made */
    bool failed;           /* a check failed: see error */
    char error[256];       /* the mismatch, for the caller to print */
} measure_table_result;

typedef struct measure_options {
    int reps; /* timed passes per measurement, >= 1 */
    bool build, hit, miss;
    measure_progress_fn progress;
    void *progress_ctx;
} measure_options;

/* Runs the selected passes of ops over d. The build is checked on the
 * warm-up pass against want_unique and want_digest (the case's vector or
 * the reference); every timed pass checks its own counts. Returns 0, or
 * -1 when a check failed or memory ran out (res->failed, res->error). */
int measure_table_case(const intern_ops *ops, const case_data *d,
                       const measure_miss_keys *miss, uint64_t want_unique,
                       uint64_t want_digest, const measure_options *opt,
                       measure_table_result *res);

/* ---- floor ----------------------------------------------------------- */

/* What no table beats on these keys: hashing each string alone (xxh3),
 * and hashing it plus one random read of an array with a slot (8 bytes)
 * per unique string, rounded up to a power of two. ns per string. */
typedef struct measure_floor_result {
    measure_sample hash, access;
    uint64_t hash_checksum, access_checksum;
    uint64_t slots;
} measure_floor_result;

int measure_floor(const case_data *d, uint64_t unique, int reps,
                  measure_floor_result *res);

/* ---- identity -------------------------------------------------------- */

/* Equal strings of length len at two addresses: ns per memcmp and per
 * pointer compare. */
typedef struct measure_compare_result {
    size_t len;
    uint64_t iterations;
    measure_sample memcmp_ns, pointer_ns;
    uint64_t checksum;
} measure_compare_result;

int measure_compare(size_t len, int reps, measure_compare_result *res);

/* ns per intern of an already present string of length len (a hit) in
 * ops, over a table of distinct random strings of that length. */
int measure_intern_len(const intern_ops *ops, size_t len, int reps,
                       measure_sample *out, uint64_t *checksum);

/* R records each holding K keys ("id", "name", "email", then "key3"...)
 * with a value. Private: every record has its own copy of each key and
 * a lookup hashes the query and compares hash, length and bytes.
 * Interned: every record holds the handle and a lookup compares one
 * pointer. Storage counts strings and bytes (key bytes plus one NUL per
 * copy for private keys; the table's total bytes for interned keys). */
typedef struct measure_records_result {
    uint64_t records, keys;
    uint64_t private_strings, private_bytes;
    uint64_t interned_strings, interned_bytes;
    measure_sample private_ns, interned_ns; /* per lookup */
    uint64_t checksum;
} measure_records_result;

int measure_records(const intern_ops *ops, uint64_t records, uint64_t keys,
                    int reps, measure_records_result *res);

/* ---- policy ---------------------------------------------------------- */

/* The strings of a case read as a program's string literals, each
 * compiled on its own: the distinct objects and their bytes when nothing
 * is interned (one object per occurrence), under CPython's implicit rule
 * for version v (literals the model interns or shares as singletons are
 * one object per distinct value, the rest one per occurrence), and when
 * everything is interned (one per distinct value). */
typedef struct measure_policy_result {
    uint64_t objects, bytes;
} measure_policy_result;

void measure_policy_none(const measure_ref *ref, measure_policy_result *r);
void measure_policy_cpython(const measure_ref *ref, const cpython_version *v,
                            measure_policy_result *r);
void measure_policy_all(const measure_ref *ref, measure_policy_result *r);

/* ---- small ints ------------------------------------------------------ */

typedef enum measure_int_stream {
    MEASURE_INTS_COUNTER, /* loop counters: 0..999 over and over */
    MEASURE_INTS_INDEX,   /* uniform indices into a list of 10^4 */
    MEASURE_INTS_ZIPF,    /* Zipf (exponent 1) over 0..10^5-1, 0 likeliest */
    MEASURE_INTS_COUNT
} measure_int_stream;

const char *measure_int_stream_name(measure_int_stream s);

/* Boxing n values of a stream: each box a 16-byte object (a reference
 * count and the value). cache_max < cache_min: no cache, a box allocated
 * per value; else values in [cache_min, cache_max] take a preallocated
 * box. The boxes are kept until the pass ends (as a list would), then
 * freed outside the timing. */
typedef struct measure_int_result {
    uint64_t values;
    uint64_t allocations; /* boxes allocated in the pass */
    uint64_t bytes;       /* their bytes plus the cache's */
    uint64_t hits;        /* values served from the cache */
    measure_sample ns;    /* per value */
    uint64_t checksum;
} measure_int_result;

int measure_ints(measure_int_stream stream, uint64_t n, long cache_min,
                 long cache_max, int reps, measure_int_result *res);

#ifdef __cplusplus
}
#endif

#endif
