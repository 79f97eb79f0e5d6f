/* engine_check.c: the checks a table (ours or a peer) must pass on a case
 * before any number from it is reported (engine.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/engine.h"

static engine_status engine_check_fail(engine_error *err, const char *what,
                                       uint64_t want, uint64_t got, bool hex) {
    err->status = ENGINE_ECHECK;
    if (hex)
        snprintf(err->message, sizeof err->message,
                 "%s: expected %016" PRIx64 ", got %016" PRIx64, what, want,
                 got);
    else
        snprintf(err->message, sizeof err->message,
                 "%s: expected %" PRIu64 ", got %" PRIu64, what, want, got);
    return ENGINE_ECHECK;
}

static engine_status engine_check_oom(engine_error *err) {
    err->status = ENGINE_ENOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return ENGINE_ENOMEM;
}

engine_status engine_check_set(const engine_case *c, vector_str *set, size_t n,
                               engine_error *err) {
    qsort(set, n, sizeof *set, vector_str_compare);
    for (size_t i = 1; i < n; i++)
        if (vector_str_compare(&set[i - 1], &set[i]) == 0) {
            err->status = ENGINE_ECHECK;
            snprintf(err->message, sizeof err->message,
                     "two handles hold the same %zu bytes", set[i].len);
            return ENGINE_ECHECK;
        }
    if (n != c->want.unique)
        return engine_check_fail(err, "unique", c->want.unique, n, false);
    uint64_t digest = vector_digest(set, n);
    if (digest != c->want.digest)
        return engine_check_fail(err, "digest", c->want.digest, digest, true);
    return ENGINE_OK;
}

/* A handle and a string it was returned for. */
typedef struct engine_held {
    const void *handle;
    size_t key;
} engine_held;

static int engine_held_compare(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const engine_held *)a)->handle;
    uintptr_t y = (uintptr_t)((const engine_held *)b)->handle;
    return x < y ? -1 : x > y;
}

/* Every handle must hold its key's bytes (so no two different strings
 * share one). Returns the 1-based string that fails, or 0. */
static size_t engine_first_wrong(const engine_case *c,
                                 const void *const *handles,
                                 engine_canonical_fn canonical, void *ctx) {
    for (size_t i = 0; i < c->d.count; i++) {
        if (!handles[i])
            return i + 1;
        vector_str v = canonical(ctx, handles[i], c->d.len[i]);
        if (v.len != c->d.len[i] ||
            (v.len && memcmp(v.bytes, c->d.bytes + c->d.offset[i], v.len)))
            return i + 1;
    }
    return 0;
}

engine_status engine_check_handles(const engine_case *c,
                                   const void *const *handles,
                                   engine_canonical_fn canonical, void *ctx,
                                   engine_error *err) {
    size_t bad = engine_first_wrong(c, handles, canonical, ctx);
    if (bad) {
        err->status = ENGINE_ECHECK;
        snprintf(err->message, sizeof err->message, "string %zu: %s", bad,
                 handles[bad - 1] ? "the handle holds other bytes"
                                  : "no handle");
        return ENGINE_ECHECK;
    }
    size_t n = c->d.count;
    engine_held *sorted = malloc((n ? n : 1) * sizeof *sorted);
    vector_str *set = malloc((n ? n : 1) * sizeof *set);
    if (!sorted || !set) {
        free(sorted);
        free(set);
        return engine_check_oom(err);
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = (engine_held){handles[i], i};
    qsort(sorted, n, sizeof *sorted, engine_held_compare);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || sorted[i].handle != sorted[i - 1].handle)
            set[distinct++] =
                canonical(ctx, sorted[i].handle, c->d.len[sorted[i].key]);
    /* equal strings behind two handles show as a string held twice */
    engine_status st = engine_check_set(c, set, distinct, err);
    free(sorted);
    free(set);
    return st;
}
