/* flood_measure.c: the FNV-1a collision flood as a benchmark. For every
 * registered hash table and each hash, as n doubles: ns per intern
 * (building a fresh table of the first n flood keys, median of --reps
 * builds) and the probes per op the table's stats derive. With fnv1a the
 * ns per intern grows about linearly with n (the build is quadratic);
 * with xxh3 and siphash13 it stays flat. Compare rows within one run.
 *
 * Usage: flood_measure [--min-n N] [--max-n N] [--reps R] [--table T] */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flood_keys.h"
#include "intern/intern.h"

static double flood_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int flood_dbl_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    size_t min_n = 1000, max_n = 32000, reps = 5;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--min-n") == 0)
            min_n = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--max-n") == 0)
            max_n = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--reps") == 0)
            reps = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--table") == 0)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: flood_measure [--min-n N] [--max-n N] "
                            "[--reps R] [--table T]\n");
            return 2;
        }
    }
    if (min_n == 0 || max_n < min_n || reps == 0) {
        fprintf(stderr, "flood_measure: want 0 < min-n <= max-n, reps > 0\n");
        return 2;
    }
    case_data keys;
    if (flood_keys_make(max_n, &keys) != 0)
        return 1;
    double *ns = malloc(reps * sizeof *ns);
    if (!ns)
        return 1;

    printf("FNV-1a flood: keys equal modulo 2^20 under FNV-1a; median of "
           "%zu builds\n",
           reps);
    printf("%-14s %-10s %8s %12s %12s %12s\n", "table", "hash", "n",
           "ns/intern", "probes/hit", "probes/miss");
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        if (only && strcmp(only, ops->name) != 0)
            continue;
        for (int h = 0; h < INTERN_HASH_COUNT; h++) {
            for (size_t n = min_n; n <= max_n; n *= 2) {
                intern_stats st;
                memset(&st, 0, sizeof st);
                for (size_t r = 0; r < reps; r++) {
                    intern_config cfg;
                    intern_config_init(&cfg); /* a random seed per table */
                    cfg.hash = (intern_hash_kind)h;
                    intern_table *t = ops->create(&cfg);
                    if (!t) {
                        fprintf(stderr, "flood_measure: out of memory\n");
                        return 1;
                    }
                    double t0 = flood_now();
                    for (size_t i = 0; i < n; i++) {
                        const intern_str *s;
                        if (ops->intern(t, keys.bytes + keys.offset[i],
                                        keys.len[i], &s) < 0) {
                            fprintf(stderr, "flood_measure: out of memory\n");
                            return 1;
                        }
                    }
                    ns[r] = (flood_now() - t0) / (double)n;
                    ops->stats(t, &st);
                    ops->destroy(t);
                }
                if (st.capacity == 0)
                    break; /* a table that hashes nothing */
                qsort(ns, reps, sizeof *ns, flood_dbl_cmp);
                printf("%-14s %-10s %8zu %12.1f %12.2f %12.2f\n", ops->name,
                       intern_hash_name((intern_hash_kind)h), n, ns[reps / 2],
                       (double)st.probe_hit_sum / (double)st.strings,
                       st.probe_miss_samples ? (double)st.probe_miss_sum /
                                                   (double)st.probe_miss_samples
                                             : 0.0);
            }
        }
    }
    free(ns);
    case_data_free(&keys);
    return 0;
}
