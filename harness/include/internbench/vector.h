/* vector.h: the per-case vectors (vectors/cases/NAME.vec) and the digest
 * of a set of strings, shared by verify, run and the benchmarks.
 *
 * A .vec file:
 *   # internbench vector v1
 *   # case: NAME
 *   strings: N            every string of the case, duplicates included
 *   unique: N             distinct strings
 *   unique_bytes: N       the sum of their lengths
 *   digest: HEX           XXH64, seed 0, over the distinct strings sorted
 *                         bytewise (shorter first on a shared prefix), each
 *                         preceded by its length as 8 bytes little-endian
 *   class.NAME: N         distinct strings in each class (classify.h) */
#ifndef INTERN_VECTOR_H
#define INTERN_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "internbench/case.h"
#include "internbench/classify.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VECTOR_FORMAT_LINE "# internbench vector v1"

/* The vector of one case. Invariant: unique <= strings; cls[c] <=
 * unique; cls[UTF8] + cls[BINARY] == unique. */
typedef struct intern_vector {
    uint64_t strings;
    uint64_t unique;
    uint64_t unique_bytes;
    uint64_t digest;
    uint64_t cls[CLASSIFY_COUNT];
} intern_vector;

/* A string by its bytes and length: a case's string or a table's handle. */
typedef struct vector_str {
    const char *bytes;
    size_t len;
} vector_str;

/* Bytewise order, shorter first on a shared prefix (a qsort comparator
 * over vector_str). */
int vector_str_compare(const void *a, const void *b);

struct XXH64_state_s; /* xxhash.h's XXH64_state_t */

/* Adds one string to a running XXH64 digest: its length as 8 bytes
 * little-endian, then its bytes. */
void vector_digest_add(struct XXH64_state_s *state, const void *bytes,
                       size_t len);

/* The digest of n sorted, distinct strings: vector_digest_add over each,
 * from XXH64_reset with seed 0. */
uint64_t vector_digest(const vector_str *sorted, size_t n);

/* Fills v's unique, unique_bytes, digest and (when set is not NULL) class
 * counts from n sorted, distinct strings; strings is left alone. Returns
 * 0, or -1 when classification fails. */
int vector_summarize(const vector_str *sorted, size_t n, classify_set *set,
                     intern_vector *v);

/* The expected vector of a case, from its strings alone (sorted, without
 * any table). Returns 0, or -1 on allocation or classification failure. */
int vector_compute(const case_data *d, classify_set *set, intern_vector *v);

/* The number of distinct strings of d, counted by interning them into
 * the first registered table (fixed seed). Returns 0, or -1 when the
 * table runs out of memory. */
int vector_count_unique(const case_data *d, uint64_t *unique);

/* Reads a .vec. Returns 0, or -1 with "FILE[:LINE]: what is wrong" in
 * err. */
int vector_read(const char *path, intern_vector *v, char *err, size_t err_size);

/* Writes a .vec for case name. Returns 0, or -1 with errno set. */
int vector_write(const char *path, const char *name, const intern_vector *v);

#ifdef __cplusplus
}
#endif

#endif
