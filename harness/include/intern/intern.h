/* intern.h: the string-interning table interface.
 *
 * Every table is an opaque struct reached only through a const
 * intern_ops vtable, so every workload, test and benchmark runs every
 * table unchanged. */
#ifndef INTERN_INTERN_H
#define INTERN_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A canonical string: the handle a table returns. It stays valid and
 * unmoved until the table is destroyed, and two handles are equal exactly
 * when their bytes are.
 *
 * A handle points at the string's first byte. bytes[len] == '\0' always
 * and the bytes may hold any byte, NUL included, so the handle of a key
 * without NUL is a C string as it stands. The length sits in a header in
 * front of the bytes, as in Redis's sds: the byte just before the string
 * is even for a short string (its length is that byte >> 1, 0..127, a
 * one-byte header) and 1 for a longer one, whose length the four bytes
 * before that hold (native byte order, a five-byte header). Tables may
 * keep their own data in front of the header; a handle is read only
 * through the functions below. */
typedef struct intern_str intern_str;

/* The longest length a one-byte header holds. */
#define INTERN_STR_SHORT_MAX 127

static inline const char *intern_str_bytes(const intern_str *s) {
    return (const char *)s;
}

static inline size_t intern_str_header_size(const intern_str *s) {
    return (((const unsigned char *)s)[-1] & 1) ? 5 : 1;
}

static inline size_t intern_str_len(const intern_str *s) {
    const unsigned char *p = (const unsigned char *)s;
    if (!(p[-1] & 1))
        return p[-1] >> 1;
    uint32_t n;
    memcpy(&n, p - 5, sizeof n);
    return n;
}

/* For a table written outside this library (a plugin): the length
 * header's size for a string of len bytes, and the bytes a record of it
 * takes (header, string, terminator). intern_str_write writes such a
 * record at dst (intern_str_record_size(len) bytes, any alignment) and
 * returns its handle, dst + intern_str_header_size_for(len). */
static inline size_t intern_str_header_size_for(size_t len) {
    return len <= INTERN_STR_SHORT_MAX ? 1 : 5;
}

static inline size_t intern_str_record_size(size_t len) {
    return intern_str_header_size_for(len) + len + 1;
}

static inline const intern_str *intern_str_write(void *dst, const void *key,
                                                 size_t len) {
    unsigned char *p = (unsigned char *)dst;
    if (len <= INTERN_STR_SHORT_MAX) {
        *p++ = (unsigned char)(len << 1);
    } else {
        uint32_t n = (uint32_t)len;
        memcpy(p, &n, sizeof n);
        p[4] = 1;
        p += 5;
    }
    if (len)
        memcpy(p, key, len);
    p[len] = '\0';
    return (const intern_str *)(void *)p;
}

/* The longest key a table accepts; longer keys give INTERN_E2BIG. */
#define INTERN_KEY_MAX UINT32_MAX

typedef enum intern_status {
    INTERN_NEW = 0,     /* the key was absent and is now interned */
    INTERN_FOUND = 1,   /* the key was present: *out is its handle */
    INTERN_ENOMEM = -1, /* an allocation failed; the table is unchanged */
    INTERN_E2BIG = -2,  /* the key is longer than INTERN_KEY_MAX */
} intern_status;

typedef enum intern_hash_kind {
    INTERN_HASH_XXH3 = 0,  /* XXH3-64 from libxxhash, the default */
    INTERN_HASH_SIPHASH13, /* SipHash-1-3, CPython's string hash since 3.11 */
    INTERN_HASH_FNV1A,     /* 64-bit FNV-1a, the weak baseline */
    INTERN_HASH_COUNT
} intern_hash_kind;

/* Every byte a table holds passes through this allocator. malloc and
 * realloc return NULL on failure (never abort); free(NULL) is allowed. */
typedef struct intern_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} intern_allocator;

typedef struct intern_config {
    intern_hash_kind hash;
    bool seed_fixed;               /* use seed; else a random seed per table */
    uint64_t seed;                 /* the hash seed when seed_fixed */
    size_t capacity_hint;          /* expected unique strings; 0: start small */
    const intern_allocator *alloc; /* NULL: the C library's allocator */
} intern_config;

/* Memory and probe statistics, filled by the table, formatted by the
 * caller. The byte categories partition what the table holds:
 * payload + header + index + slack == total, and total equals what the
 * allocator has live for this table.
 *
 * Probe counts are derived from the table's current shape when stats()
 * is called, never counted on the hot path: probe_hit_sum is the sum,
 * over every held string, of the records, groups or nodes a successful
 * lookup of it visits; probe_miss_sum / probe_miss_samples is the mean
 * visited by a lookup of an absent key, over every home position. */
typedef struct intern_stats {
    uint64_t strings;       /* unique strings held */
    uint64_t payload_bytes; /* sum of the strings' lengths */
    uint64_t header_bytes;  /* per-string headers, terminators, alignment */
    uint64_t index_bytes;   /* buckets, slots, control bytes, nodes */
    uint64_t slack_bytes;   /* allocated and not yet used (arena tails) */
    uint64_t total_bytes;   /* all the table holds */
    uint64_t capacity;      /* buckets or slots (0 for a trie) */
    uint64_t resizes;       /* index growths so far */
    uint64_t probe_hit_sum;
    uint64_t probe_hit_max;
    uint64_t probe_miss_sum;
    uint64_t probe_miss_samples;
    /* tries only (zero for hash tables) */
    uint64_t nodes[4];  /* inner nodes with 4, 16, 48 and 256 children */
    uint64_t depth_sum; /* sum of the leaves' depths in inner nodes */
    uint64_t depth_max;
} intern_stats;

typedef struct intern_table intern_table;

/* Called for each string in a walk; a non-zero return stops the walk and
 * is returned by the walk. */
typedef int (*intern_visit_fn)(void *ctx, const intern_str *s);

typedef struct intern_ops {
    const char *name;     /* "chained", "open", "radix", ... */
    const char *settings; /* one line on how it works, for listings */
    /* NULL with errno set (ENOMEM, EINVAL) on failure */
    intern_table *(*create)(const intern_config *cfg);
    /* INTERN_NEW, INTERN_FOUND, INTERN_ENOMEM or INTERN_E2BIG; *out is set
     * for NEW and FOUND only */
    intern_status (*intern)(intern_table *t, const void *key, size_t len,
                            const intern_str **out);
    /* NULL if absent */
    const intern_str *(*find)(const intern_table *t, const void *key,
                              size_t len);
    void (*stats)(const intern_table *t, intern_stats *st);
    void (*destroy)(intern_table *t);
    /* Optional, NULL where the table keeps no order (hash tables):
     * every string in bytewise lexicographic order (shorter first on a
     * shared prefix), and every string that starts with prefix. */
    int (*each)(const intern_table *t, intern_visit_fn fn, void *ctx);
    int (*each_prefix)(const intern_table *t, const void *prefix, size_t len,
                       intern_visit_fn fn, void *ctx);
    /* Optional, NULL where the table has no batch path: what the entry
     * points intern_many and intern_find_many below do, with the same
     * arguments and results. Callers go through those entry points, which
     * loop over intern and find for a table without these. */
    size_t (*intern_many)(intern_table *t, const void *const *keys,
                          const size_t *lens, size_t n, const intern_str **out,
                          intern_status *status);
    size_t (*find_many)(const intern_table *t, const void *const *keys,
                        const size_t *lens, size_t n, const intern_str **out);
} intern_ops;

/* Batch operations: a stream of keys at once, so that a table can overlap
 * the cache misses of one key's lookup with the next keys' (a hashed
 * table hashes a window of keys ahead and prefetches their groups and
 * records). Key i is keys[i], lens[i] bytes long, as intern's key and
 * len: two arrays rather than one of structs, so a caller with pointers
 * into its own buffer (a lexer's tokens, a parser's strings, a column's
 * values) passes them as they are, and the lengths may come from
 * wherever the caller keeps them.
 *
 * intern_many has exactly the semantics of this loop of single calls:
 *
 *     size_t i;
 *     for (i = 0; i < n; i++) {
 *         intern_status st = ops->intern(t, keys[i], lens[i], &out[i]);
 *         if (status)
 *             status[i] = st;
 *         if (st < 0)
 *             break;
 *     }
 *     return i;
 *
 * So the handles are those the single calls give; a key that appears
 * more than once in one batch gets one handle (INTERN_NEW the first time,
 * INTERN_FOUND after, when it was absent before the call). The return is
 * the number of keys done, n on success. When it is less than n, key
 * i = the return failed and the call stopped there: status[i] is
 * INTERN_ENOMEM (an allocation failed; the table holds exactly what the
 * loop over keys 0..i-1 gave it) or INTERN_E2BIG (lens[i] >
 * INTERN_KEY_MAX, which a caller without status can test itself); out[i]
 * and every out and status entry past i are left untouched, and so is
 * the table's holding of keys past i. Call again from i (after freeing
 * memory) or from i + 1 (past a key too long) to go on. status may be
 * NULL; out must not be. A batch path may read (never write) the bytes of
 * keys past the one that failed (those it was hashing ahead, at most 128),
 * so all n keys must be readable; a key longer than INTERN_KEY_MAX is
 * never read. */
size_t intern_many(const intern_ops *ops, intern_table *t,
                   const void *const *keys, const size_t *lens, size_t n,
                   const intern_str **out, intern_status *status);

/* The loop of finds: out[i] = ops->find(t, keys[i], lens[i]) for every i
 * (NULL for an absent key). Returns how many were found. */
size_t intern_find_many(const intern_ops *ops, const intern_table *t,
                        const void *const *keys, const size_t *lens, size_t n,
                        const intern_str **out);

/* How this library's batch paths run, for tests and measurements: the
 * window (keys hashed and prefetched ahead, 1..64; default 16) and the
 * index size in bytes from which a batch is pipelined (default 2 MiB; 0:
 * always; below it the batch makes the single calls). Not meant to
 * change while a batch runs. */
typedef struct intern_batch_tuning {
    unsigned window;
    size_t min_index;
} intern_batch_tuning;

intern_batch_tuning intern_batch_tuning_get(void);
void intern_batch_tuning_set(intern_batch_tuning tuning);

/* A registered table: its ops, and whether it belongs to the default set
 * that runs and benchmarks use. */
typedef struct intern_table_info {
    const intern_ops *ops;
    bool is_default;
} intern_table_info;

/* Every registered table, in a fixed order; *count receives the number. */
const intern_table_info *intern_registry(size_t *count);
/* The registered table with this name, or NULL. */
const intern_table_info *intern_registry_find(const char *name);

/* Defaults: xxh3, a random seed, no capacity hint, the C allocator. */
void intern_config_init(intern_config *cfg);
/* What a table takes from its config (cfg may be NULL): the allocator
 * every byte must pass through (cfg->alloc, else the C library's), and
 * its hash seed (cfg->seed when fixed, else a random one). */
const intern_allocator *intern_config_allocator(const intern_config *cfg);
uint64_t intern_config_seed(const intern_config *cfg);

/* "xxh3", "siphash13", "fnv1a"; and back (-1 for an unknown name). */
const char *intern_hash_name(intern_hash_kind kind);
int intern_hash_from_name(const char *name);

/* The hash of key under kind and seed, as the tables compute it. */
uint64_t intern_hash_bytes(intern_hash_kind kind, uint64_t seed,
                           const void *key, size_t len);

/* "new", "found", "out of memory", "key too long" */
const char *intern_status_text(intern_status status);

/* ---- plugins --------------------------------------------------------------
 */

/* A shared object that brings tables to internbench (`--load PATH.so` on
 * run, verify, metrics and the benchmark binary) exports one function,
 *
 *     const intern_plugin *internbench_plugin(void);
 *
 * returning a static intern_plugin that lists its tables. The tables are
 * reached only through their intern_ops, as ours are, and are held to the
 * same invariants (`internbench verify --load` runs the conformance suite
 * on them); they take every byte through their config's allocator
 * (intern_config_allocator) and return handles laid out as intern.h says
 * (intern_str_write). A plugin built against headers of another interface
 * version is refused: INTERN_PLUGIN_ABI changes whenever intern_ops,
 * intern_config, intern_allocator, intern_stats or the handle's layout
 * change. */
#define INTERN_PLUGIN_ABI    1
#define INTERN_PLUGIN_SYMBOL "internbench_plugin"

typedef struct intern_plugin {
    uint32_t abi;                    /* INTERN_PLUGIN_ABI of its headers */
    uint32_t size;                   /* sizeof(intern_plugin) */
    const char *name;                /* the plugin's name, for messages */
    const intern_ops *const *tables; /* its tables (names must be new) */
    size_t count;
} intern_plugin;

typedef const intern_plugin *(*intern_plugin_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
