/* conformance_suite.h: what the aspects of the conformance suite share
 * (internal to the harness; the interface is internbench/conformance.h):
 * the record of checks, the suite's own memory, the key sets with their
 * groups, and the tables the aspects make and check. */
#ifndef INTERNBENCH_CONFORMANCE_SUITE_H
#define INTERNBENCH_CONFORMANCE_SUITE_H

#include <inttypes.h>
#include <stdbool.h>

#include "conformance_keys.h"
#include "intern/alloc.h"
#include "internbench/conformance.h"

/* One aspect running on one table. Invariant: r counts every check made
 * so far; nomem is set once memory for the suite itself (never the
 * table's) has run out, and from then on the aspect only frees what it
 * holds and returns. */
typedef struct conf_ctx {
    const intern_ops *ops;
    conformance_aspect aspect;
    const conformance_options *o;
    conformance_result *r;
    bool nomem;
} conf_ctx;

/* Records a check: counted as passed when ok, else counted as failed,
 * written to the log as "ASPECT: TABLE: " and the message, and kept in
 * r->first when it is the first. Returns ok, so that a check whose
 * failure makes the rest moot can end the aspect. */
bool conf_check(conf_ctx *c, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A failed check: conf_check(c, false, ...), for a check in a loop over
 * keys whose passes are counted once, after the loop. */
void conf_fail(conf_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A line of what the aspect found on the way, to o->notes when given. */
void conf_note(conf_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* malloc and calloc for the suite itself: NULL sets c->nomem. */
void *conf_malloc(conf_ctx *c, size_t size);
void *conf_calloc(conf_ctx *c, size_t count, size_t size);

/* A key set and its groups of equal keys (keys_set_groups). Invariant:
 * group has ks.count entries once conf_keys_group has returned true;
 * borrowed when a conformance_cache owns the memory. */
typedef struct conf_keys {
    keys_set ks;
    size_t *group;
    size_t groups;
    bool borrowed;
} conf_keys;

void conf_keys_init(conf_keys *k);
void conf_keys_free(conf_keys *k);
/* Numbers the groups of k's keys; false (c->nomem set) when memory ran
 * out, now or while k.ks was filled. */
bool conf_keys_group(conf_ctx *c, conf_keys *k);
/* Fills k with keys_set_mixed(n, seed) and groups them, or borrows them
 * from the options' cache, where they are kept. */
bool conf_keys_mixed(conf_ctx *c, conf_keys *k, size_t n, uint64_t seed);
/* Adds first keys of a mixed set of about 4 * first (seeded), every
 * stride-th (so that a stride other than 1 reaches past the one-byte keys
 * the set starts with), then repeats copies of them drawn at random. */
void conf_add_mixed(keys_set *ks, uint64_t seed, size_t first, size_t stride,
                    size_t repeats);
/* Adds count keys of 300000 bytes, each one byte repeated (first,
 * first + 1, ...): big enough for arena chunks of their own. */
void conf_add_big_keys(keys_set *ks, int count, char first);

/* A configuration as intern_config_init gives it, with ca (reset) as
 * its allocator. */
void conf_config(intern_config *cfg, intern_counting_alloc *ca);
/* The table of cfg, or NULL after a failed check. */
intern_table *conf_create(conf_ctx *c, const intern_config *cfg);
/* Destroys t and checks that ca has nothing left live; what names the
 * table in the message. */
void conf_destroy(conf_ctx *c, intern_table *t, const intern_counting_alloc *ca,
                  const char *what);
/* Checks the stats' byte categories against the allocator and the
 * expected strings and payload; what says when, in the messages. */
void conf_check_stats(conf_ctx *c, const char *what, const intern_table *t,
                      const intern_counting_alloc *ca, uint64_t strings,
                      uint64_t payload);
/* The first field in which a and b differ, with its two values; NULL
 * when they are the same to the byte. */
const char *conf_stats_differ(const intern_stats *a, const intern_stats *b,
                              uint64_t *va, uint64_t *vb);
/* qsort order of handles by address. */
int conf_ptr_cmp(const void *a, const void *b);
/* How many neighbours of the sorted handles are equal. */
size_t conf_ptr_dups(const intern_str **sorted, size_t n);

/* The aspects. */
void conf_run_identity(conf_ctx *c);
void conf_run_growth(conf_ctx *c);
void conf_run_stats(conf_ctx *c);
void conf_run_faults(conf_ctx *c);
void conf_run_bigkey(conf_ctx *c);
void conf_run_batch(conf_ctx *c);

#endif
