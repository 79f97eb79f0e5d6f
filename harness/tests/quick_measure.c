/* quick_measure.c: a quick timing of every table on N distinct keys, the
 * stand-in until `internbench run` exists. Prints, per table, the median
 * ns per intern over REPS builds into a fresh table (no capacity hint),
 * the median ns per hit (every key again, in a shuffled order), and
 * bytes per string from the counting allocator.
 * Usage: quick_measure [--n N] [--len L | --ident] [--reps R] [--table T]
 * CTest runs it tiny, to keep it working. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conformance_keys.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "internbench/measure.h"

/* n distinct keys: len random bytes each, or identifier-like keys of
 * 5..24 chars. */
static void measure_keys(keys_set *ks, size_t n, size_t len, int ident) {
    static const char chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
    keys_rng r = {1};
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        size_t l = len;
        if (ident) {
            /* a random head, then the index in exactly 4 base-63 chars
             * (distinct for n < 63^4, about 15.7 million) */
            l = 5 + keys_rng_below(&r, 20);
            buf[0] = chars[keys_rng_below(&r, 53)];
            for (size_t k = 1; k < l - 4; k++)
                buf[k] = chars[keys_rng_below(&r, 63)];
            size_t v = i;
            for (size_t k = l - 4; k < l; k++, v /= 63)
                buf[k] = chars[v % 63];
        } else {
            /* 16+ random bytes: a repeat has odds below 2^-88 */
            for (size_t k = 0; k < l; k++)
                buf[k] = (char)keys_rng_next(&r);
        }
        keys_set_add(ks, buf, l);
    }
}

int main(int argc, char **argv) {
    size_t n = 1000000, len = 16;
    int reps = 5, ident = 0;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--len") == 0 && i + 1 < argc)
            len = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--table") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--ident") == 0)
            ident = 1;
        else {
            fprintf(stderr, "usage: quick_measure [--n N] [--len L | --ident] "
                            "[--reps R] [--table T]\n");
            return 2;
        }
    }
    if (reps < 1 || reps > 101 || len < 16 || len > 256 || n == 0 ||
        n >= 15752961) {
        fprintf(stderr, "quick_measure: need 1 <= reps <= 101, "
                        "16 <= len <= 256, 0 < n < 63^4\n");
        return 2;
    }
    keys_set ks;
    keys_set_init(&ks);
    measure_keys(&ks, n, len, ident);
    REQUIRE(!ks.failed);
    /* hits in a shuffled order, so that no table gains from the order the
     * keys went in */
    size_t *order = malloc(n * sizeof *order);
    REQUIRE(order);
    keys_rng shuffle = {2};
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = keys_rng_below(&shuffle, i + 1), tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    printf("%zu distinct %s keys, median of %d builds\n", n,
           ident ? "identifier-like (5..24 chars)" : "random binary", reps);
    printf("%-14s %12s %12s %14s %14s\n", "table", "ns/intern", "ns/hit",
           "bytes/string", "index B/str");
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    double *build = malloc(sizeof(double) * (size_t)reps);
    double *hit = malloc(sizeof(double) * (size_t)reps);
    REQUIRE(build && hit);
    uintptr_t sink = 0;
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        if (only && strcmp(only, ops->name) != 0)
            continue;
        intern_stats st = {0};
        for (int r = 0; r < reps; r++) {
            intern_counting_alloc ca;
            intern_counting_alloc_init(&ca);
            intern_config cfg;
            intern_config_init(&cfg);
            cfg.alloc = &ca.base;
            intern_table *t = ops->create(&cfg);
            REQUIRE(t);
            const intern_str *out;
            double t0 = measure_now_ns();
            for (size_t i = 0; i < ks.count; i++)
                CHECK(ops->intern(t, keys_set_key(&ks, i), ks.len[i], &out) ==
                      INTERN_NEW);
            double t1 = measure_now_ns();
            for (size_t k = 0; k < ks.count; k++) {
                size_t i = order[k];
                ops->intern(t, keys_set_key(&ks, i), ks.len[i], &out);
                sink += (uintptr_t)out;
            }
            double t2 = measure_now_ns();
            build[r] = (t1 - t0) / (double)n;
            hit[r] = (t2 - t1) / (double)n;
            ops->stats(t, &st);
            CHECK(st.strings == n && st.total_bytes == ca.live_bytes);
            ops->destroy(t);
        }
        measure_sample b, h;
        measure_sample_set(&b, build, reps);
        measure_sample_set(&h, hit, reps);
        printf("%-14s %12.1f %12.1f %14.1f %14.1f\n", ops->name, b.median,
               h.median, (double)st.total_bytes / (double)n,
               (double)st.index_bytes / (double)n);
    }
    printf("(checksum %lx)\n", (unsigned long)(sink & 0xfff));
    free(order);
    free(build);
    free(hit);
    keys_set_free(&ks);
    return check_exit();
}
