/* conformance.h: the conformance suite every table must pass, ours and
 * the ones a plugin brings (`internbench verify --load`): the invariants
 * of intern.h checked through the vtable, aspect by aspect.
 *
 *   identity  intern(a) == intern(b) exactly when a and b hold the same
 *             bytes, over many keys (empty, NUL inside, invalid UTF-8,
 *             every one-byte key, long keys differing in their last
 *             byte, prefixes of each other, random binary, repeats as
 *             copies), each handle holding its key, NUL-terminated; find
 *             agrees; the ordered walks (where the table has them) in
 *             order
 *   growth    handles stay valid and unmoved through at least 20 index
 *             growths
 *   stats     the byte categories add up and equal what the counting
 *             allocator holds; payload is the sum of the unique lengths
 *   faults    a failing allocator at every allocation point, once and
 *             from then on: INTERN_ENOMEM, the table exactly as it was
 *             (every intern_stats field), still usable, nothing leaked
 *   bigkey    16 MiB keys; keys over INTERN_KEY_MAX give INTERN_E2BIG
 *   batch     intern_many and intern_find_many against the loop of
 *             single calls (duplicates inside a batch, empty keys, NUL
 *             bytes, E2BIG and a failing allocator in the middle), in
 *             several batch tunings
 *
 * Nothing here aborts or exits: every failed check is counted and the
 * first one's message kept (and each written to the log when given). */
#ifndef INTERNBENCH_CONFORMANCE_H
#define INTERNBENCH_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "intern/intern.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum conformance_aspect {
    CONFORMANCE_IDENTITY,
    CONFORMANCE_GROWTH,
    CONFORMANCE_STATS,
    CONFORMANCE_FAULTS,
    CONFORMANCE_BIGKEY,
    CONFORMANCE_BATCH,
    CONFORMANCE_ASPECTS
} conformance_aspect;

/* "identity", "growth", ...; and back (-1 for an unknown name). */
const char *conformance_aspect_name(conformance_aspect a);
int conformance_aspect_from_name(const char *name);

/* Key sets kept from one run to the next. Making and sorting the
 * identity aspect's 10^6 keys takes about as long as interning them, so
 * a caller that runs aspects on several tables passes one cache to every
 * run (the keys are the same either way). It holds up to about 40 MB
 * until freed; one thread at a time. */
typedef struct conformance_cache conformance_cache;

/* NULL when out of memory. */
conformance_cache *conformance_cache_new(void);
void conformance_cache_free(conformance_cache *cache);

/* How to run an aspect; all zero (or a NULL pointer) for the defaults.
 * notes gets what the aspect found on the way (allocation points failed,
 * growths, bytes), a line each. */
typedef struct conformance_options {
    size_t identity_keys;     /* keys of the identity aspect; 0: 10^6 */
    size_t batch_keys;        /* keys of the batch aspect; 0: 20000 */
    FILE *log;                /* every failed check, a line each; NULL: none */
    FILE *notes;              /* NULL: none */
    conformance_cache *cache; /* NULL: each run makes its own keys */
} conformance_options;

/* How an aspect went on a table: checks passed and failed, and the first
 * failure as "ASPECT: TABLE: what" (empty when none failed). */
typedef struct conformance_result {
    uint64_t passed, failed;
    char first[1024];
} conformance_result;

/* Runs aspect a on the table of ops, with the defaults of
 * intern_config_init but where an aspect varies the hash, the seed, the
 * capacity hint or the allocator (a counting one, failing on purpose in
 * faults and batch). Returns 0 when every check passed, 1 when one
 * failed (r says which first), -1 when memory for the suite itself ran
 * out (r->first says so).
 *
 * The batch aspect sets this library's batch tuning
 * (intern_batch_tuning_set) and restores it before it returns: run it
 * while no other thread makes batch calls. The growth aspect holds up to
 * 12 million keys (a trie's, 2^21). */
int conformance_run(const intern_ops *ops, conformance_aspect a,
                    const conformance_options *o, conformance_result *r);

#ifdef __cplusplus
}
#endif

#endif
