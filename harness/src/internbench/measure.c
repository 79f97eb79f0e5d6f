/* measure.c: the clock and the sample of repeated passes (measure.h). */
#include "internbench/measure.h"

#include <stdlib.h>
#include <time.h>

double measure_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int measure_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void measure_sample_set(measure_sample *out, double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, measure_cmp_double);
    out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out->min = v[0];
    out->max = v[n - 1];
    out->reps = n;
}
