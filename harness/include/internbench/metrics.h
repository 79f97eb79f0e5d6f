/* metrics.h: the deterministic numbers CI tracks (`internbench metrics`,
 * compared by `internbench compare` against a committed baseline).
 *
 * Per table x case, with a fixed hash seed and a counting allocator, on
 * the engine's checked build into an empty table, one hit pass and one
 * miss pass (engine.h, reps 0), as rows of the result set (results.h) with
 * their exact total and count:
 *   bytes_per_string   B          bytes held after the build / unique
 *   allocations                   successful allocations of the build
 *   probes_hit         visits/op  intern_stats' derived hit visits
 *   probes_miss        visits/op  the same for a miss (where derived)
 *   instr_build, instr_hit, instr_miss   Ir/op   instructions per string
 *                                  (per key for miss), from callgrind
 * Instructions: the command runs itself under `valgrind --tool=callgrind
 * --instr-atstart=no` (the child), whose engine hooks zero the counters
 * before each pass's loop and dump them after it, so loading, checking
 * and creating are not counted; the parent reads the dumps. Nothing here
 * reads a clock or a random seed: two runs give the same rows. */
#ifndef INTERNBENCH_METRICS_H
#define INTERNBENCH_METRICS_H

#include <stdbool.h>

#include "internbench/engine.h"
#include "internbench/results.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The hash seed of every table (intern_config.seed_fixed). */
#define METRICS_SEED UINT64_C(0x243f6a8885a308d3)

typedef struct metrics_plan {
    const intern_table_info *const *tables;
    size_t ntables;
    const engine_case_spec *cases;
    size_t ncases;
    engine_dirs dirs;
    bool under_callgrind; /* this is the child: dump around every pass */
    /* a failed check, as soon as it is known (may be NULL) */
    void (*failure)(void *ctx, const char *message);
    void *ctx;
} metrics_plan;

/* Whether this build can count instructions (<valgrind/callgrind.h> was
 * there), and whether it runs under valgrind now. */
bool metrics_have_callgrind(void);
bool metrics_on_valgrind(void);

/* The instruction counts the child dumped: ir[(ci * ntables + ti) *
 * ENGINE_PASS_COUNT + pass] for case ci, table ti; valid where have. */
typedef struct metrics_ir {
    uint64_t *ir;
    bool *have;
} metrics_ir;

/* Measures every table on every case into r: the context (build, seed),
 * the cases, and the rows, with the instructions of ir when it is not
 * NULL. ENGINE_OK (failed checks are in r), or ENGINE_EINPUT /
 * ENGINE_ENOMEM with err set. */
engine_status metrics_collect(const metrics_plan *p, const metrics_ir *ir,
                              results *r, engine_error *err);

/* Runs `valgrind --tool=callgrind ... EXE child_args...`, whose child runs
 * metrics_collect with under_callgrind, and fills ir (allocated here,
 * freed with metrics_ir_free) from its dumps. ENGINE_OK; ENGINE_ECHECK
 * when the child found a failed check (it printed it); ENGINE_EINPUT with
 * err set when valgrind is missing or fails, or a count is missing. */
engine_status metrics_instructions(const metrics_plan *p,
                                   const char *const *child_args,
                                   metrics_ir *ir, engine_error *err);
void metrics_ir_free(metrics_ir *ir);

#ifdef __cplusplus
}
#endif

#endif
