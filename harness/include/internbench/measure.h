/* measure.h: timing. Every timed number in internbench is a pass timed
 * whole with CLOCK_MONOTONIC, repeated, and kept as a sample: the median
 * and the spread of the per-operation times. */
#ifndef INTERNBENCH_MEASURE_H
#define INTERNBENCH_MEASURE_H

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
