/* workload_floor.c: what no table beats on a case's keys (workloads.h). */
#include <stdlib.h>

#include "internbench/workloads.h"

/* The hash every floor pass computes: xxh3 with a fixed seed. */
#define FLOOR_SEED 0x5eed

/* One floor pass: hashing alone (arr NULL) or the hash plus one read of
 * arr at the hash's slot. */
typedef struct floor_pass {
    const case_data *d;
    const uint64_t *arr;
    uint64_t mask;
    uint64_t checksum;
} floor_pass;

static double floor_hash(void *ctx, int rep) {
    floor_pass *p = ctx;
    const case_data *d = p->d;
    uint64_t sum = 0;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < d->count; i++)
        sum ^= intern_hash_bytes(INTERN_HASH_XXH3, FLOOR_SEED,
                                 d->bytes + d->offset[i], d->len[i]);
    double ns = measure_now_ns() - t0;
    (void)rep;
    p->checksum = sum;
    return ns;
}

static double floor_access(void *ctx, int rep) {
    floor_pass *p = ctx;
    const case_data *d = p->d;
    uint64_t sum = 0;
    double t0 = measure_now_ns();
    for (size_t i = 0; i < d->count; i++)
        sum += p->arr[intern_hash_bytes(INTERN_HASH_XXH3, FLOOR_SEED,
                                        d->bytes + d->offset[i], d->len[i]) &
                      p->mask];
    double ns = measure_now_ns() - t0;
    (void)rep;
    p->checksum = sum;
    return ns;
}

int workload_floor(const case_data *d, uint64_t unique, int reps,
                   workload_floor_result *res) {
    uint64_t slots = 1;
    while (slots < unique)
        slots <<= 1;
    uint64_t *arr = malloc(slots * sizeof *arr);
    if (!arr)
        return -1;
    for (uint64_t i = 0; i < slots; i++)
        arr[i] = i * 0x9E3779B97F4A7C15ull;
    floor_pass p = {d, arr, slots - 1, 0};
    res->slots = slots;
    int rc = engine_repeat(floor_hash, &p, reps, d->count, &res->hash);
    res->hash_checksum = p.checksum;
    if (rc == 0)
        rc = engine_repeat(floor_access, &p, reps, d->count, &res->access);
    res->access_checksum = p.checksum;
    free(arr);
    return rc;
}
