/* flood_keys.h: the FNV-1a collision flood as a key list, for
 * test_flood.c and flood_measure.c. The keys are the named generated case
 * gen-fnv-flood (distinct identifiers built by gen.c) with its count
 * changed and flood-bits raised to the maximum, so that every key's
 * 64-bit FNV-1a hash is equal modulo 2^20: the same bucket of a chained
 * table and the same tag and home group of an open table up to 2^20
 * buckets or 2^13 groups, whatever the seed (FNV-1a has none). */
#ifndef INTERN_TESTS_FLOOD_KEYS_H
#define INTERN_TESTS_FLOOD_KEYS_H

#include <stdio.h>
#include <string.h>

#include "internbench/case.h"
#include "internbench/gen.h"

static int flood_keys_emit(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

/* The first n keys of the flood into *out (initialised here; the caller
 * frees it with case_data_free). 0, or -1 with a message on stderr. */
static inline int flood_keys_make(size_t n, case_data *out) {
    case_data_init(out, NULL);
    gen_spec spec;
    char msg[256], num[32];
    snprintf(num, sizeof num, "%zu", n);
    if (!gen_spec_from_name(&spec, "gen-fnv-flood") ||
        !gen_spec_set(&spec, "count", num, msg, sizeof msg) ||
        !gen_spec_set(&spec, "flood-bits", "20", msg, sizeof msg)) {
        fprintf(stderr, "flood: cannot set up the generator\n");
        return -1;
    }
    case_error err;
    if (gen_run(&spec, flood_keys_emit, out, &err) != CASE_OK) {
        fprintf(stderr, "flood: %s\n", err.message);
        return -1;
    }
    return 0;
}

#endif
