/* measure.c: timing, and the build, hit, miss and floor workloads of one
 * table on one case (see measure.h). */
#include "internbench/measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intern/alloc.h"

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

static void measure_note(const measure_options *opt, const char *what,
                         int rep) {
    if (opt->progress)
        opt->progress(opt->progress_ctx, what, rep, opt->reps);
}

/* ---- miss keys ------------------------------------------------------- */

int measure_miss_keys_make(const case_data *d, const measure_ref *ref,
                           measure_miss_keys *out) {
    memset(out, 0, sizeof *out);
    case_data_init(&out->keys, NULL);
    char small[256];
    char *buf = small;
    size_t cap = sizeof small;
    int rc = 0;
    for (size_t i = 0; i < d->count && rc == 0; i++) {
        size_t len = d->len[i];
        if (len == 0) {
            out->skipped_empty++;
            continue;
        }
        if (len > cap) {
            char *nb = malloc(len);
            if (!nb) {
                rc = -1;
                break;
            }
            if (buf != small)
                free(buf);
            buf = nb;
            cap = len;
        }
        memcpy(buf, d->bytes + d->offset[i], len);
        buf[(i * 7) % len] ^= 0x01;
        if (measure_ref_contains(ref, buf, len)) {
            out->skipped_present++;
            continue;
        }
        if (case_data_append(&out->keys, buf, len) != CASE_OK)
            rc = -1;
    }
    if (buf != small)
        free(buf);
    return rc;
}

void measure_miss_keys_free(measure_miss_keys *m) {
    case_data_free(&m->keys);
}

/* ---- one table on one case ------------------------------------------- */

static int measure_fail(measure_table_result *res, const char *fmt,
                        unsigned long long a, unsigned long long b) {
    res->failed = true;
    snprintf(res->error, sizeof res->error, fmt, a, b);
    return -1;
}

/* One build into a fresh table; *out keeps the table (the caller
 * destroys it). With handles non-NULL the new handles are recorded (the
 * checked pass, untimed). *ns receives the pass time. */
static int measure_build_pass(const intern_ops *ops, const case_data *d,
                              intern_counting_alloc *ca,
                              const intern_str **handles, uint64_t *news,
                              uint64_t *checksum, double *ns,
                              intern_table **out) {
    intern_counting_alloc_init(ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca->base;
    intern_table *t = ops->create(&cfg);
    if (!t)
        return -1;
    uint64_t n_new = 0, sum = 0, bad = 0;
    double t0 = measure_now_ns();
    if (handles) {
        for (size_t i = 0; i < d->count; i++) {
            const intern_str *s = NULL;
            intern_status st =
                ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
            if (st == INTERN_NEW)
                handles[n_new++] = s;
            else if (st != INTERN_FOUND)
                bad++;
            else
                sum += intern_str_len(s);
            if (st == INTERN_NEW)
                sum += intern_str_len(s);
        }
    } else {
        for (size_t i = 0; i < d->count; i++) {
            const intern_str *s = NULL;
            intern_status st =
                ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
            if (st < 0) {
                bad++;
                continue;
            }
            n_new += st == INTERN_NEW;
            sum += intern_str_len(s);
        }
    }
    *ns = measure_now_ns() - t0;
    *news = n_new;
    *checksum = sum;
    *out = t;
    return bad ? -1 : 0;
}

int measure_table_case(const intern_ops *ops, const case_data *d,
                       const measure_miss_keys *miss, uint64_t want_unique,
                       uint64_t want_digest, const measure_options *opt,
                       measure_table_result *res) {
    memset(res, 0, sizeof *res);
    int reps = opt->reps < 1 ? 1 : opt->reps;
    size_t count = d->count;
    uint64_t key_bytes = 0;
    for (size_t i = 0; i < count; i++)
        key_bytes += d->len[i];
    const intern_str **handles = malloc((count ? count : 1) * sizeof *handles);
    vector_str *hs = malloc((count ? count : 1) * sizeof *hs);
    double *times = malloc((size_t)reps * sizeof *times);
    if (!handles || !hs || !times) {
        free(handles);
        free(hs);
        free(times);
        snprintf(res->error, sizeof res->error, "out of memory");
        res->failed = true;
        return -1;
    }
    intern_counting_alloc ca;
    intern_table *t = NULL;
    uint64_t news = 0, sum = 0;
    double ns;
    int rc = 0;

    /* the warm-up build, checked against the expected vector */
    if (measure_build_pass(ops, d, &ca, handles, &news, &sum, &ns, &t) != 0) {
        rc = measure_fail(res, "build: intern failed (%llu of %llu strings)",
                          (unsigned long long)news, (unsigned long long)count);
    } else {
        for (uint64_t i = 0; i < news; i++)
            hs[i] = (vector_str){intern_str_bytes(handles[i]),
                                 intern_str_len(handles[i])};
        qsort(hs, news, sizeof *hs, vector_str_compare);
        res->unique = news;
        res->digest = vector_digest(hs, news);
        if (news != want_unique)
            rc = measure_fail(res, "unique: expected %llu, got %llu",
                              (unsigned long long)want_unique,
                              (unsigned long long)news);
        else if (res->digest != want_digest)
            rc = measure_fail(res, "digest: expected %016llx, got %016llx",
                              (unsigned long long)want_digest,
                              (unsigned long long)res->digest);
        else if (sum != key_bytes)
            rc = measure_fail(res, "handle lengths: expected %llu, got %llu",
                              (unsigned long long)key_bytes,
                              (unsigned long long)sum);
    }
    measure_note(opt, "build", 0);

    /* timed builds, each into a fresh table; the last one is kept */
    for (int r = 0; rc == 0 && opt->build && r < reps; r++) {
        ops->destroy(t);
        t = NULL;
        if (measure_build_pass(ops, d, &ca, NULL, &news, &sum, &ns, &t) != 0 ||
            news != want_unique || sum != key_bytes) {
            rc = measure_fail(res, "build pass: %llu new, want %llu",
                              (unsigned long long)news,
                              (unsigned long long)want_unique);
            break;
        }
        times[r] = count ? ns / (double)count : 0;
        res->build_checksum = sum;
        measure_note(opt, "build", r + 1);
    }
    if (rc == 0 && opt->build)
        measure_sample_set(&res->build, times, reps);

    if (rc == 0 && t) {
        ops->stats(t, &res->stats);
        res->alloc_bytes = ca.live_bytes;
        res->alloc_blocks = ca.live_blocks;
        res->alloc_peak = ca.peak_bytes;
        res->allocations = ca.allocations;
    }

    /* hits: every string again, in file order */
    for (int r = 0; rc == 0 && opt->hit && r <= reps; r++) {
        uint64_t s_sum = 0, found = 0;
        double t0 = measure_now_ns();
        for (size_t i = 0; i < count; i++) {
            const intern_str *s = NULL;
            intern_status st =
                ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
            if (st == INTERN_FOUND) {
                found++;
                s_sum += intern_str_len(s);
            }
        }
        ns = measure_now_ns() - t0;
        if (found != count || s_sum != key_bytes) {
            rc = measure_fail(res, "hit pass: %llu of %llu found",
                              (unsigned long long)found,
                              (unsigned long long)count);
            break;
        }
        if (r > 0)
            times[r - 1] = count ? ns / (double)count : 0;
        res->hit_checksum = s_sum;
        measure_note(opt, "hit", r);
    }
    if (rc == 0 && opt->hit)
        measure_sample_set(&res->hit, times, reps);

    /* misses: the mutated keys, all known absent */
    const case_data *mk = miss ? &miss->keys : NULL;
    for (int r = 0; rc == 0 && opt->miss && mk && r <= reps; r++) {
        uint64_t found = 0;
        double t0 = measure_now_ns();
        for (size_t i = 0; i < mk->count; i++)
            found +=
                ops->find(t, mk->bytes + mk->offset[i], mk->len[i]) != NULL;
        ns = measure_now_ns() - t0;
        if (found != 0) {
            rc = measure_fail(res, "miss pass: %llu of %llu absent keys found",
                              (unsigned long long)found,
                              (unsigned long long)mk->count);
            break;
        }
        if (r > 0)
            times[r - 1] = mk->count ? ns / (double)mk->count : 0;
        res->miss_checksum = mk->count - found;
        measure_note(opt, "miss", r);
    }
    if (rc == 0 && opt->miss && mk)
        measure_sample_set(&res->miss, times, reps);

    if (t)
        ops->destroy(t);
    if (rc == 0 && (ca.live_bytes != 0 || ca.live_blocks != 0))
        rc = measure_fail(res, "%llu bytes in %llu blocks left after destroy",
                          (unsigned long long)ca.live_bytes,
                          (unsigned long long)ca.live_blocks);
    free(handles);
    free(hs);
    free(times);
    return rc;
}

/* ---- floor ------------------------------------------------------------ */

int measure_floor(const case_data *d, uint64_t unique, int reps,
                  measure_floor_result *res) {
    memset(res, 0, sizeof *res);
    if (reps < 1)
        reps = 1;
    uint64_t slots = 1;
    while (slots < unique)
        slots <<= 1;
    uint64_t *arr = calloc(slots, sizeof *arr);
    double *times = malloc((size_t)reps * sizeof *times);
    if (!arr || !times) {
        free(arr);
        free(times);
        return -1;
    }
    for (uint64_t i = 0; i < slots; i++)
        arr[i] = i * 0x9E3779B97F4A7C15ull;
    size_t n = d->count;
    uint64_t mask = slots - 1;
    for (int r = 0; r <= reps; r++) {
        uint64_t sum = 0;
        double t0 = measure_now_ns();
        for (size_t i = 0; i < n; i++)
            sum ^= intern_hash_bytes(INTERN_HASH_XXH3, 0x5eed,
                                     d->bytes + d->offset[i], d->len[i]);
        double ns = measure_now_ns() - t0;
        if (r > 0)
            times[r - 1] = n ? ns / (double)n : 0;
        res->hash_checksum = sum;
    }
    measure_sample_set(&res->hash, times, reps);
    for (int r = 0; r <= reps; r++) {
        uint64_t sum = 0;
        double t0 = measure_now_ns();
        for (size_t i = 0; i < n; i++)
            sum += arr[intern_hash_bytes(INTERN_HASH_XXH3, 0x5eed,
                                         d->bytes + d->offset[i], d->len[i]) &
                       mask];
        double ns = measure_now_ns() - t0;
        if (r > 0)
            times[r - 1] = n ? ns / (double)n : 0;
        res->access_checksum = sum;
    }
    measure_sample_set(&res->access, times, reps);
    res->slots = slots;
    free(arr);
    free(times);
    return 0;
}
