/* engine.h: the one pass engine under `internbench run`, `verify`,
 * `metrics` and the google-benchmark binary.
 *
 * Data flows one way: a case spec -> engine_case_load (the reader or a
 * generator, then what every pass needs: the reference, the expected
 * vector, the miss keys, a shuffled order) -> engine_measure (one table
 * on one case: a checked build, then timed passes through intern_ops,
 * each checked, with hooks around every pass) -> an engine_table_result
 * that workloads turn into result rows (results.h).
 *
 * Every check lives here, once: a build must make exactly the expected
 * distinct strings (count and digest, vector.h), every handle must hold
 * its key's bytes, a hit must return the very handles the build returned
 * (the pass checksums must agree), a miss must find nothing, and the
 * table must give back every byte when destroyed. The benchmarks check
 * their peers with engine_check_handles and engine_check_set.
 *
 * Nothing here prints, aborts or exits; failures are returned with a
 * message. */
#ifndef INTERNBENCH_ENGINE_H
#define INTERNBENCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intern/alloc.h"
#include "intern/intern.h"
#include "internbench/case.h"
#include "internbench/gen.h"
#include "internbench/measure.h"
#include "internbench/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------ */

typedef enum engine_status {
    ENGINE_OK = 0,
    ENGINE_EINPUT = -1, /* bad input or usage: message names the file */
    ENGINE_ENOMEM = -2, /* out of memory: message names what was loading */
    ENGINE_ECHECK = -3, /* a check failed: message says what and how */
} engine_status;

#define ENGINE_MESSAGE_MAX 1024
typedef struct engine_error {
    engine_status status;
    char message[ENGINE_MESSAGE_MAX];
} engine_error;

/* ---- cases --------------------------------------------------------------- */

/* Where shipped cases and their vectors are. NULL members take the
 * defaults: $INTERNBENCH_CASES_DIR, else the source tree's cases/
 * recorded at configure time; $INTERNBENCH_VECTORS_DIR, else
 * vectors/cases beside the cases directory. */
typedef struct engine_dirs {
    const char *cases;
    const char *vectors;
} engine_dirs;

const char *engine_cases_dir(const engine_dirs *dirs);
/* Writes the vectors directory into buf (cap bytes) and returns buf. */
const char *engine_vectors_dir(const engine_dirs *dirs, char *buf, size_t cap);

/* How a case is given. Exactly one of: value with lines (a plain text
 * file, one string per line), value alone (a generated case's name, a
 * shipped case's name, or a .case path), or gen (a generator spec the
 * caller made; name is then required). name: the case's name in results;
 * NULL derives it from value (a path's file name without ".case"). */
typedef struct engine_case_spec {
    const char *value;
    bool lines;
    const gen_spec *gen;
    const char *name;
} engine_case_spec;

typedef enum engine_source {
    ENGINE_SOURCE_CASE,      /* a .case file, shipped or given by path */
    ENGINE_SOURCE_LINES,     /* a --lines file */
    ENGINE_SOURCE_GENERATED, /* a generator */
} engine_source;

const char *engine_source_name(engine_source s); /* "case", "lines", ... */

/* The name a case spec gets in results (its name, or the file name of
 * its path without ".case"), without loading it. */
void engine_case_name(const engine_case_spec *spec, char *buf, size_t cap);

/* The distinct strings of a case in sorted order with how often each
 * occurs, computed without any table. Invariant: s is sorted and
 * distinct, occurrences[i] >= 1 and they sum to the case's count;
 * digest and unique_bytes are those of s (vector.h). */
typedef struct engine_ref {
    vector_str *s;
    uint64_t *occurrences;
    size_t unique;
    uint64_t unique_bytes;
    uint64_t digest;
} engine_ref;

bool engine_ref_contains(const engine_ref *ref, const void *key, size_t len);

/* A loaded case with everything the passes need. Invariants: d holds the
 * strings in file order; want is the case's vector when it has one
 * (from_vector), else the reference's numbers; miss holds keys absent
 * from d (each string with one byte changed: byte i*7 mod len of string
 * i, flipped by the lowest bit that makes it absent; empty strings have
 * none and are counted in miss_skipped_empty, strings whose every flip is
 * present in miss_skipped_present); order is a permutation of 0..count-1
 * from a fixed seed (the shuffled hit order). vector_note is non-empty
 * when the vector disagrees with the strings (a failed check the caller
 * reports). */
typedef struct engine_case {
    char name[128];
    engine_source source;
    case_data d;
    uint64_t key_bytes;
    engine_ref ref;
    intern_vector want;
    bool from_vector;
    case_data miss;
    uint64_t miss_key_bytes;
    uint64_t miss_skipped_present, miss_skipped_empty;
    uint32_t *order;
    char vector_note[512];
    /* for the batch and shuffled passes (engine_case_prepare_batch, else
     * NULL): every string's address and length in file order, in the
     * shuffled order, and every miss key's */
    struct engine_keys {
        const void **ptr;
        size_t *len;
    } batch[3];
} engine_case;

enum { ENGINE_KEYS_FILE, ENGINE_KEYS_SHUFFLED, ENGINE_KEYS_MISS };

/* Loads and prepares a case. ENGINE_OK, ENGINE_EINPUT (a missing or
 * malformed file: "FILE:LINE: what"), ENGINE_ENOMEM ("NAME: out of
 * memory"). *c is freed by engine_case_free, also after a failure. */
engine_status engine_case_load(const engine_case_spec *spec,
                               const engine_dirs *dirs, engine_case *c,
                               engine_error *err);
void engine_case_free(engine_case *c);

/* Makes c->batch, what the batch passes read (16 bytes a string and a
 * miss key, three times over): ENGINE_OK or ENGINE_ENOMEM. */
engine_status engine_case_prepare_batch(engine_case *c, engine_error *err);

/* Loads only the strings of a case (no reference, vector or miss keys):
 * for commands that classify or list them. Same statuses; d is freed by
 * the caller with case_data_free, also after a failure. */
engine_status engine_case_read(const engine_case_spec *spec,
                               const engine_dirs *dirs, case_data *d,
                               engine_error *err);

/* ---- checks -------------------------------------------------------------- */

/* The bytes behind a handle of some table (ours or a peer's). len is the
 * length of a key the handle was returned for: a table whose handles do
 * not carry their length (a string_view's data pointer) looks the handle
 * up with it; one whose handles do ignores it. */
typedef vector_str (*engine_canonical_fn)(void *ctx, const void *handle,
                                          size_t len);

/* Checks handles[i], what a table returned for string i of c in file
 * order: each holds its key's bytes, equal strings share a handle and
 * different strings do not, and the distinct strings are c->want's
 * (count and digest). Returns ENGINE_OK, ENGINE_ECHECK (err says what
 * differs: "unique: expected 10, got 9"), or ENGINE_ENOMEM. */
engine_status engine_check_handles(const engine_case *c,
                                   const void *const *handles,
                                   engine_canonical_fn canonical, void *ctx,
                                   engine_error *err);

/* Checks a table's own listing of the distinct strings it holds (any
 * order; sorted in place) against c->want. */
engine_status engine_check_set(const engine_case *c, vector_str *set, size_t n,
                               engine_error *err);

/* ---- passes
 * ------------------------------------------------------------------ */

typedef enum engine_pass {
    ENGINE_BUILD,        /* intern every string in file order, empty table */
    ENGINE_HIT,          /* intern every string again, file order */
    ENGINE_HIT_SHUFFLED, /* the same in c->order, read from the key list
                            the batch pass reads: it needs
                            engine_case_prepare_batch */
    ENGINE_MISS,         /* find every miss key */
    /* the same through the batch calls (intern_many, intern_find_many),
     * ENGINE_BATCH keys a call: they need engine_case_prepare_batch */
    ENGINE_BATCH_BUILD,
    ENGINE_BATCH_HIT,
    ENGINE_BATCH_HIT_SHUFFLED,
    ENGINE_BATCH_MISS,
    ENGINE_PASS_COUNT
} engine_pass;

const char *engine_pass_name(engine_pass p); /* "build", "hit", ... */

/* Keys per batch call, as a loader that hands its strings over a few
 * thousand at a time would. */
#define ENGINE_BATCH 4096

/* Called around every pass (rep 0 is the checked, untimed one). */
typedef struct engine_hooks {
    void (*before)(void *ctx, engine_pass pass, int rep);
    void (*after)(void *ctx, engine_pass pass, int rep);
    void *ctx;
} engine_hooks;

/* The fold of the handles a pass returned: the sum (mod 2^64) of
 * engine_handle_mix of each handle's address. It depends on the handles
 * only, not on their order, so every build, hit and shuffled hit of one
 * table holds the same value (checked), while two tables (or two runs)
 * give different ones. */
static inline uint64_t engine_handle_mix(const void *h) {
    uint64_t x = (uint64_t)(uintptr_t)h * UINT64_C(0x9E3779B97F4A7C15);
    return x ^ (x >> 29);
}

typedef struct engine_options {
    int reps; /* timed passes of each kind after the checked one; 0: only
                 the checked pass of each (metrics) */
    bool pass[ENGINE_PASS_COUNT]; /* which passes besides the checked build */
    bool time_build;              /* timed builds (else only the checked one) */
    bool seed_fixed;              /* every table's hash seed is seed */
    uint64_t seed;
    engine_hooks hooks;
} engine_options;

/* What engine_measure gives for one table on one case. time[p] is ns per
 * operation over the timed passes (have[p]); checksum[p] the fold of the
 * last pass of p (misses return no handle: their fold is 0). stats and
 * the allocator's numbers are taken right after the last build. */
typedef struct engine_table_result {
    measure_sample time[ENGINE_PASS_COUNT];
    bool have[ENGINE_PASS_COUNT];
    uint64_t checksum[ENGINE_PASS_COUNT];
    uint64_t unique;
    intern_stats stats;
    uint64_t alloc_bytes; /* live after the build */
    uint64_t alloc_peak;  /* the peak during the build */
    uint64_t allocations; /* successful allocations of the build */
    engine_error error;   /* status ENGINE_ECHECK or ENGINE_ENOMEM */
} engine_table_result;

/* The checked build of ops over c, then the chosen passes. Returns
 * ENGINE_OK, or the failure (r->error): no number from a failed table
 * is meaningful. */
engine_status engine_measure(const intern_ops *ops, const engine_case *c,
                             const engine_options *o, engine_table_result *r);

/* Repeats fn (which returns ns of one pass, or a negative value on
 * failure) reps times into a sample of ns per op over ops operations.
 * Returns 0, or -1 when a pass failed or memory ran out. */
typedef double (*engine_timed_fn)(void *ctx, int rep);
int engine_repeat(engine_timed_fn fn, void *ctx, int reps, uint64_t ops,
                  measure_sample *out);

#ifdef __cplusplus
}
#endif

#endif
