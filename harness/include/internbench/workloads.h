/* workloads.h: what `internbench run` measures besides the engine's table
 * passes (engine.h): the floor no table can beat, what identity buys
 * (compares, records sharing keys, the break-even), what an interning
 * policy costs, and the small-int cache.
 *
 * Every timed number is a sample of passes repeated with engine_repeat
 * (one warm-up, then reps timed). Every pass checks what it computed and
 * keeps it live in a checksum; a pass that fails its check makes the
 * call return -1, and the caller reports no number from it. Nothing here
 * prints, aborts or exits; allocation failure is a -1 too. */
#ifndef INTERNBENCH_WORKLOADS_H
#define INTERNBENCH_WORKLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intern/intern.h"
#include "internbench/cpython.h"
#include "internbench/engine.h"
#include "internbench/measure.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- floor --------------------------------------------------------------- */

/* What no table beats on these keys: hashing each string alone (xxh3),
 * and hashing it plus one random read of an array with a slot (8 bytes)
 * per unique string, rounded up to a power of two. ns per string; the
 * checksums fold the hashes and the values read. */
typedef struct workload_floor_result {
    measure_sample hash, access;
    uint64_t hash_checksum, access_checksum;
    uint64_t slots;
} workload_floor_result;

int workload_floor(const case_data *d, uint64_t unique, int reps,
                   workload_floor_result *res);

/* ---- identity -------------------------------------------------------------
 */

/* Equal strings of length len at two addresses: ns per memcmp and per
 * pointer compare; the checksum counts the compares found equal. */
typedef struct workload_compare_result {
    size_t len;
    uint64_t iterations;
    measure_sample memcmp_ns, pointer_ns;
    uint64_t checksum;
} workload_compare_result;

int workload_compare(size_t len, int reps, workload_compare_result *res);

/* ns per intern of an already present string of length len (a hit) in
 * ops, over a table of distinct random strings of that length; the
 * checksum folds the handles (engine_handle_mix). */
int workload_intern_len(const intern_ops *ops, size_t len, int reps,
                        measure_sample *out, uint64_t *checksum);

/* R records each holding K keys ("id", "name", "email", then "key3"...)
 * with a value. Private: every record has its own copy of each key and a
 * lookup hashes the query and compares hash, length and bytes. Interned:
 * every record holds the handle and a lookup compares one pointer.
 * Storage counts strings and bytes (key bytes plus one NUL per copy for
 * private keys; the table's total bytes for interned keys). The checksum
 * sums the values found. */
typedef struct workload_records_result {
    uint64_t records, keys;
    uint64_t private_strings, private_bytes;
    uint64_t interned_strings, interned_bytes;
    measure_sample private_ns, interned_ns; /* per lookup */
    uint64_t checksum;
} workload_records_result;

int workload_records(const intern_ops *ops, uint64_t records, uint64_t keys,
                     int reps, workload_records_result *res);

/* ---- policy
 * ------------------------------------------------------------------ */

/* The strings of a case read as a program's string literals, each
 * compiled on its own: the distinct objects and their bytes when nothing
 * is interned (one object per occurrence), under CPython's implicit rule
 * for version v (literals the model shares across compilations are one
 * object per distinct value, the rest one per occurrence), and when
 * everything is interned (one per distinct value). */
typedef struct workload_policy_result {
    uint64_t objects, bytes;
} workload_policy_result;

void workload_policy_none(const engine_ref *ref, workload_policy_result *r);
void workload_policy_cpython(const engine_ref *ref, const cpython_version *v,
                             workload_policy_result *r);
void workload_policy_all(const engine_ref *ref, workload_policy_result *r);

/* ---- small ints
 * ---------------------------------------------------------------- */

typedef enum workload_int_stream {
    WORKLOAD_INTS_COUNTER, /* loop counters: 0..999 over and over */
    WORKLOAD_INTS_INDEX,   /* uniform indices into a list of 10^4 */
    WORKLOAD_INTS_ZIPF,    /* Zipf (exponent 1) over 0..10^5-1, 0 likeliest */
    WORKLOAD_INTS_COUNT
} workload_int_stream;

const char *workload_int_stream_name(workload_int_stream s);

/* Boxing n values of a stream: each box a 16-byte object (a reference
 * count and the value). cache_max < cache_min: no cache, a box allocated
 * per value; else values in [cache_min, cache_max] take a preallocated
 * box. The boxes are kept until the pass ends (as a list would), then
 * freed outside the timing. The checksum sums the boxed values. */
typedef struct workload_int_result {
    uint64_t values;
    uint64_t allocations; /* boxes allocated in the pass */
    uint64_t bytes;       /* their bytes plus the cache's */
    uint64_t hits;        /* values served from the cache */
    measure_sample ns;    /* per value */
    uint64_t checksum;
} workload_int_result;

int workload_ints(workload_int_stream stream, uint64_t n, long cache_min,
                  long cache_max, int reps, workload_int_result *res);

#ifdef __cplusplus
}
#endif

#endif
