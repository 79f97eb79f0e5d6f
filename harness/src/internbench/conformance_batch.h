/* conformance_batch.h: what the two halves of the batch aspect share
 * (internal to the harness): batches of keys, twin tables, the
 * comparison with the loop of single calls, and the batch tunings the
 * aspect runs in. conformance_batch.c checks batches that succeed or
 * meet a key too long; conformance_batch_faults.c, batches meeting a
 * failing allocator. */
#ifndef INTERNBENCH_CONFORMANCE_BATCH_H
#define INTERNBENCH_CONFORMANCE_BATCH_H

#include "conformance_suite.h"

/* A batch: keys of a key set by reference, with the repeats a batch path
 * must get right: the same pointer twice in a row, a copy a few keys
 * back (inside any window), 40 back (past a window of 16) and 300 back
 * (past every window). Invariant: ptr[i] points at len[i] bytes of the
 * key set, group[i] numbers equal keys alike, and every array holds n
 * entries. */
typedef struct conf_batch {
    const void **ptr;
    size_t *len;
    size_t *group;
    size_t n;
} conf_batch;

/* The batch of k's keys; false (c->nomem set) when memory ran out. */
bool conf_batch_make(conf_ctx *c, conf_batch *b, const conf_keys *k);
void conf_batch_free(conf_batch *b);

/* Two tables alike: a for the batch path, b for the loop of single calls
 * that defines it. Invariant: each table's bytes pass through its own
 * counting allocator. */
typedef struct conf_pair {
    intern_counting_alloc ca, cb;
    intern_table *a, *b;
} conf_pair;

/* Both tables (fixed seed); false after a failed check, nothing held. */
bool conf_pair_create(conf_ctx *c, conf_pair *p);
/* 0 when a and b hold the same: equal stats, to the byte and the probe,
 * and what each allocator has live; else the number of differences. */
size_t conf_pair_same(const intern_ops *ops, const conf_pair *p);
/* Destroys both, checking that nothing is left; what says when. */
void conf_pair_destroy(conf_ctx *c, conf_pair *p, const char *what);

/* Key i of b against the reference: status and handle as the loop of
 * single calls on the twin table gives them, one handle per group (ha
 * for a's, hb for b's, NULL until the group's first key). Returns the
 * number of differences. */
size_t conf_batch_compare(const conf_batch *b, size_t i, intern_status st,
                          const intern_str *out, intern_status want_st,
                          const intern_str *want_out, const intern_str **ha,
                          const intern_str **hb);

/* Sentinels for what a batch must leave untouched: a handle no table
 * returns and a status no call gives. */
extern const char conf_untouched_bytes[2];
#define CONF_UNTOUCHED                                                         \
    ((const intern_str *)(const void *)&conf_untouched_bytes[1])
#define CONF_UNTOUCHED_ST ((intern_status)77)

/* Fills out and st (n entries) with the sentinels. */
void conf_untouched_fill(const intern_str **out, intern_status *st, size_t n);
/* How many entries from..n-1 of out and st (st may be NULL) are not the
 * sentinels. */
size_t conf_untouched_from(const intern_str **out, const intern_status *st,
                           size_t from, size_t n);

/* The tunings a batch path runs in (intern_batch_tuning_set): windows
 * from 1 to the largest with the pipeline on at any size (min index 0),
 * and the pipeline off. */
typedef struct conf_batch_mode {
    intern_batch_tuning tuning;
    const char *name;
} conf_batch_mode;

extern const conf_batch_mode conf_batch_modes[];
extern const size_t conf_batch_mode_count;

/* The faults of the batch aspect (conformance_batch_faults.c), in every
 * mode; the caller restores the tuning. */
void conf_batch_faults(conf_ctx *c);

#endif
