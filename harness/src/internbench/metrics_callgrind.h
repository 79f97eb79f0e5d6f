/* metrics_callgrind.h: the callgrind side of `internbench metrics`
 * (internal; metrics.h). */
#ifndef INTERNBENCH_METRICS_CALLGRIND_H
#define INTERNBENCH_METRICS_CALLGRIND_H

#include <stddef.h>

#include "internbench/engine.h"

/* Which dump is which: case ci, table ti (the pass is the hook's). */
typedef struct metrics_label_ctx {
    size_t ci, ti;
} metrics_label_ctx;

/* Hooks that zero the counters before each pass's loop and dump them
 * after it, labelled "internbench-metrics CI TI PASS". */
engine_hooks metrics_callgrind_hooks(metrics_label_ctx *label);
/* Instrumentation on and off (it starts off: --instr-atstart=no). */
void metrics_callgrind_start(void);
void metrics_callgrind_stop(void);

#endif
