/* measure_vector.c: the reference a run checks tables against when a
 * case has no vector: its distinct strings, sorted, with their counts and
 * digest (vector.h's), computed without any table. */
#include <stdlib.h>
#include <string.h>

#include "internbench/measure.h"

int measure_ref_build(const case_data *d, measure_ref *ref) {
    memset(ref, 0, sizeof *ref);
    size_t cap = d->count ? d->count : 1;
    vector_str *s = malloc(cap * sizeof *s);
    uint64_t *occ = malloc(cap * sizeof *occ);
    if (!s || !occ) {
        free(s);
        free(occ);
        return -1;
    }
    for (size_t i = 0; i < d->count; i++)
        s[i] = (vector_str){d->bytes + d->offset[i], d->len[i]};
    qsort(s, d->count, sizeof *s, vector_str_compare);
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (n > 0 && vector_str_compare(&s[n - 1], &s[i]) == 0) {
            occ[n - 1]++;
        } else {
            s[n] = s[i];
            occ[n++] = 1;
        }
    }
    ref->s = s;
    ref->occurrences = occ;
    ref->unique = n;
    for (size_t i = 0; i < n; i++)
        ref->unique_bytes += s[i].len;
    ref->digest = vector_digest(s, n);
    return 0;
}

bool measure_ref_contains(const measure_ref *ref, const void *key, size_t len) {
    vector_str k = {key, len};
    return ref->unique &&
           bsearch(&k, ref->s, ref->unique, sizeof k, vector_str_compare);
}

void measure_ref_free(measure_ref *ref) {
    free(ref->s);
    free(ref->occurrences);
    memset(ref, 0, sizeof *ref);
}
