/* run.h: the plan of `internbench run` (tables x cases x workloads) and
 * its execution into result rows (results.h).
 *
 * Per case: the engine loads it (engine_case_load) and measures every
 * table on it (engine_measure), checked before anything is timed; the
 * rows of build, hit, hit_shuffled, miss, memory and floor follow from
 * each table's result, and policy from the case alone. Then, once, the
 * workloads that take no case: identity and smallint. A failed check is
 * recorded in the set (results_failure) and reported through the plan's
 * failure callback at once; no row comes from a table that failed.
 *
 * The rows, by workload (metric, unit; "timed" rows carry min, max and
 * reps; "ratio" rows a ratio to the best table of their case):
 *   build         ns_per_string (timed, ratio, checksum), mstrings_per_s,
 *                 mb_per_s
 *   hit, hit_shuffled, miss
 *                 ns_per_op (timed, ratio; checksum but for miss)
 *   batch_build   as build, through intern_many, ENGINE_BATCH keys a call
 *   batch_hit, batch_hit_shuffled, batch_miss
 *                 ns_per_op (timed, ratio; checksum but for batch_miss)
 *   memory        total_bytes (ratio), bytes_per_unique,
 *                 overhead_per_unique, payload/header/index/slack_bytes
 *                 and their *_per_unique; peak_rss_kib (table "")
 *   floor         hash_ns_per_string, access_ns_per_string (table "",
 *                 timed, checksum); hit_over_floor, build_over_floor,
 *                 batch_hit_over_floor
 *   policy        objects, bytes, objects_pct, bytes_pct; param none,
 *                 cpython-VERSION or intern-all
 *   identity      case "": param len=N: memcmp_ns, pointer_ns (timed),
 *                 compare_speedup; per table intern_ns (timed, checksum),
 *                 break_even_compares. case "records": param RxK, per
 *                 table: private/interned strings and bytes,
 *                 private/interned_lookup_ns (timed), lookup_speedup
 *   smallint      case = stream, param = cache: ns_per_box (timed,
 *                 checksum), ns_over_no_cache, values, allocations,
 *                 bytes, hit_rate */
#ifndef INTERNBENCH_RUN_H
#define INTERNBENCH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internbench/engine.h"
#include "internbench/results.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The first eight are the engine's passes, in engine_pass's order. */
typedef enum run_workload {
    RUN_BUILD,
    RUN_HIT,
    RUN_HIT_SHUFFLED,
    RUN_MISS,
    RUN_BATCH_BUILD,
    RUN_BATCH_HIT,
    RUN_BATCH_HIT_SHUFFLED,
    RUN_BATCH_MISS,
    RUN_MEMORY,
    RUN_FLOOR,
    RUN_IDENTITY,
    RUN_POLICY,
    RUN_SMALLINT,
    RUN_WORKLOADS
} run_workload;

const char *run_workload_name(run_workload w);
/* The workload of that name, or -1. */
int run_workload_from_name(const char *name);

/* The lengths of identity (a) and (c) and of the length sweep. */
extern const size_t run_lengths[];
extern const size_t run_length_count;

typedef struct run_plan {
    const intern_table_info *const *tables;
    size_t ntables;
    const engine_case_spec *cases;
    size_t ncases;
    engine_dirs dirs;
    bool workload[RUN_WORKLOADS];
    int reps;
    uint64_t records, keys; /* identity (b) */
    const char *sweep;      /* "n", "len" or NULL, for the settings */
    /* what runs now, for a progress line (may be NULL) */
    void (*progress)(void *ctx, const char *what, int rep, int reps);
    /* a failed check, as soon as it is known (may be NULL) */
    void (*failure)(void *ctx, const char *message);
    void *ctx;
} run_plan;

/* Runs the plan into r. ENGINE_OK (failed checks are in r), or
 * ENGINE_EINPUT / ENGINE_ENOMEM with err set (a case that cannot be
 * loaded, memory that ran out): the set is then incomplete. */
engine_status run_execute(const run_plan *p, results *r, engine_error *err);

#ifdef __cplusplus
}
#endif

#endif
