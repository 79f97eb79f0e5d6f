/* render_views.c: the grids `internbench run` prints (render.h), one view
 * per workload, described as data. */
#include <stdio.h>
#include <string.h>

#include "internbench/render.h"

#define KEY(h, d)                                                              \
    { h, RENDER_KEY, d, NULL, NULL, false, RENDER_ONCE, 0 }
#define COL(h, k, m)                                                           \
    { h, k, 0, m, NULL, false, RENDER_ONCE, 0 }
#define FIELD(h, m)                                                            \
    { h, RENDER_CASE_FIELD, 0, m, NULL, false, RENDER_ONCE, 0 }
#define CASEV(h, k, m, s)                                                      \
    { h, k, 0, m, NULL, true, RENDER_ONCE, s }
#define OTHER(h, k, w, m)                                                      \
    { h, k, 0, m, w, false, RENDER_ONCE, 0 }
#define PER_TABLE(h, k, m)                                                     \
    { h, k, 0, m, NULL, false, RENDER_PER_TABLE, 0 }
#define COLS(a) a, sizeof a / sizeof a[0]

static const render_col build_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("table", RENDER_TABLE),
    FIELD("strings", "strings"),
    FIELD("unique", "unique"),
    COL("ns/str", RENDER_VALUE, "ns_per_string"),
    COL("min–max", RENDER_SPREAD, "ns_per_string"),
    COL("Mstr/s", RENDER_VALUE, "mstrings_per_s"),
    COL("MB/s", RENDER_VALUE, "mb_per_s"),
    COL("×best", RENDER_RATIO, "ns_per_string"),
};

static const render_col hit_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("table", RENDER_TABLE),
    FIELD("strings", "strings"),
    COL("ns/op", RENDER_VALUE, "ns_per_op"),
    COL("min–max", RENDER_SPREAD, "ns_per_op"),
    COL("×best", RENDER_RATIO, "ns_per_op"),
};

static const render_col miss_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("table", RENDER_TABLE),
    FIELD("keys", "miss_keys"),
    FIELD("skipped", "miss_skipped"),
    COL("ns/op", RENDER_VALUE, "ns_per_op"),
    COL("min–max", RENDER_SPREAD, "ns_per_op"),
    COL("×best", RENDER_RATIO, "ns_per_op"),
};

static const render_col memory_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("table", RENDER_TABLE),
    FIELD("unique", "unique"),
    COL("total B", RENDER_INT, "total_bytes"),
    COL("B/unique", RENDER_VALUE, "bytes_per_unique"),
    COL("overhead/u", RENDER_VALUE, "overhead_per_unique"),
    COL("header/u", RENDER_VALUE, "header_per_unique"),
    COL("index/u", RENDER_VALUE, "index_per_unique"),
    COL("slack/u", RENDER_VALUE, "slack_per_unique"),
    COL("×best", RENDER_RATIO, "total_bytes"),
    CASEV("peak RSS MiB", RENDER_FIXED1, "peak_rss_kib", 1.0 / 1024),
};

static const render_col floor_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("table", RENDER_TABLE),
    CASEV("hash ns", RENDER_VALUE, "hash_ns_per_string", 0),
    CASEV("hash+access ns", RENDER_VALUE, "access_ns_per_string", 0),
    OTHER("hit ns", RENDER_VALUE, "hit", "ns_per_op"),
    COL("hit ×floor", RENDER_TIMES, "hit_over_floor"),
    OTHER("build ns", RENDER_VALUE, "build", "ns_per_string"),
    COL("build ×floor", RENDER_TIMES, "build_over_floor"),
    OTHER("batch hit ns", RENDER_VALUE, "batch_hit", "ns_per_op"),
    COL("batch hit ×floor", RENDER_TIMES, "batch_hit_over_floor"),
};

static const render_col policy_cols[] = {
    KEY("case", RENDER_CASE),
    KEY("policy", RENDER_PARAM),
    COL("objects", RENDER_INT, "objects"),
    COL("bytes", RENDER_INT, "bytes"),
    COL("objects %", RENDER_FIXED1, "objects_pct"),
    COL("bytes %", RENDER_FIXED1, "bytes_pct"),
};

static const render_col identity_cols[] = {
    KEY("length", RENDER_PARAM),
    COL("memcmp ns", RENDER_VALUE, "memcmp_ns"),
    COL("min–max", RENDER_SPREAD, "memcmp_ns"),
    COL("pointer ns", RENDER_VALUE, "pointer_ns"),
    COL("×speedup", RENDER_TIMES, "compare_speedup"),
    PER_TABLE("%s intern ns", RENDER_VALUE, "intern_ns"),
    PER_TABLE("%s break-even", RENDER_CEIL, "break_even_compares"),
};

static const render_col records_cols[] = {
    KEY("table", RENDER_TABLE),
    KEY("records×keys", RENDER_PARAM),
    COL("private strings", RENDER_INT, "private_strings"),
    COL("private B", RENDER_INT, "private_bytes"),
    COL("interned strings", RENDER_INT, "interned_strings"),
    COL("interned B", RENDER_INT, "interned_bytes"),
    COL("hash+memcmp ns", RENDER_VALUE, "private_lookup_ns"),
    COL("pointer ns", RENDER_VALUE, "interned_lookup_ns"),
    COL("×speedup", RENDER_TIMES, "lookup_speedup"),
};

static const render_col smallint_cols[] = {
    KEY("stream", RENDER_CASE),
    KEY("cache", RENDER_PARAM),
    COL("values", RENDER_INT, "values"),
    COL("allocs", RENDER_INT, "allocations"),
    COL("bytes", RENDER_INT, "bytes"),
    {"hit rate %", RENDER_FIXED1, 0, "hit_rate", NULL, false, RENDER_ONCE, 100},
    COL("ns/box", RENDER_VALUE, "ns_per_box"),
    COL("min–max", RENDER_SPREAD, "ns_per_box"),
    COL("×no cache", RENDER_TIMES, "ns_over_no_cache"),
};

const char *render_run_label(const results *r, render_dim dim,
                             const char *value, char *buf, size_t cap) {
    (void)r;
    if (dim != RENDER_PARAM)
        return NULL;
    if (strcmp(value, "none") == 0)
        snprintf(buf, cap, "no interning");
    else if (strcmp(value, "intern-all") == 0)
        snprintf(buf, cap, "intern all");
    else if (strncmp(value, "cpython-", 8) == 0)
        snprintf(buf, cap, "CPython %s", value + 8);
    else if (strncmp(value, "len=", 4) == 0)
        snprintf(buf, cap, "%s", value + 4);
    else if (strchr(value, 'x') && value[0] >= '0' && value[0] <= '9')
        snprintf(buf, cap, "%.*s×%s", (int)(strchr(value, 'x') - value), value,
                 strchr(value, 'x') + 1);
    else
        return NULL;
    return buf;
}

#define VCOLS(a)   .cols = a, .ncols = sizeof a / sizeof a[0]
#define CASE_TABLE .keys = {RENDER_CASE, RENDER_TABLE}, .nkeys = 2

static const render_view run_views[] = {
    {.workload = "build",
     .key_metric = "ns_per_string",
     CASE_TABLE,
     .title = "build: intern every string in file order into an empty table",
     VCOLS(build_cols),
     .label = render_run_label},
    {.workload = "hit",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "hit: intern every string again, all present, in file order",
     VCOLS(hit_cols),
     .label = render_run_label},
    {.workload = "hit_shuffled",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "hit_shuffled: the same hits in a seeded random order, so the "
              "arena's order does not prefetch for the table",
     VCOLS(hit_cols),
     .label = render_run_label},
    {.workload = "miss",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "miss: find each string with one byte changed, known absent",
     .note = "skipped: empty strings (no byte to change), and strings whose "
             "every one-bit change is present in the case.",
     VCOLS(miss_cols),
     .label = render_run_label},
    {.workload = "batch_build",
     .key_metric = "ns_per_string",
     CASE_TABLE,
     .title = "batch_build: the same build through intern_many, 4096 keys "
              "a call",
     VCOLS(build_cols),
     .label = render_run_label},
    {.workload = "batch_hit",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "batch_hit: the hits through intern_many, 4096 keys a call, "
              "in file order",
     VCOLS(hit_cols),
     .label = render_run_label},
    {.workload = "batch_hit_shuffled",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "batch_hit_shuffled: the batch hits in the seeded random order",
     VCOLS(hit_cols),
     .label = render_run_label},
    {.workload = "batch_miss",
     .key_metric = "ns_per_op",
     CASE_TABLE,
     .title = "batch_miss: the misses through intern_find_many, 4096 keys a "
              "call",
     VCOLS(miss_cols),
     .label = render_run_label},
    {.workload = "memory",
     .key_metric = "total_bytes",
     CASE_TABLE,
     .title = "memory: after build, from the counting allocator",
     .note = "B/unique: all the table holds per unique string; overhead: the "
             "same less the payload (the string bytes). Peak RSS is the "
             "process's (getrusage), a cross-check.",
     VCOLS(memory_cols),
     .label = render_run_label},
    {.workload = "floor",
     .key_metric = "hit_over_floor",
     CASE_TABLE,
     .title = "floor: hashing alone, and hash + one random read of an array "
              "the table's size",
     .note = "×floor: the table's median over hash+access (xxh3, one random "
             "8-byte read per string).",
     VCOLS(floor_cols),
     .label = render_run_label},
    {.workload = "policy",
     .key_metric = "objects",
     .keys = {RENDER_CASE, RENDER_PARAM},
     .nkeys = 2,
     .title = "policy: the case as string literals, each compiled on its own",
     VCOLS(policy_cols),
     .merge_prefix = "cpython-",
     .label = render_run_label},
    {.workload = "identity",
     .case_name = "",
     .key_metric = "memcmp_ns",
     .keys = {RENDER_PARAM},
     .nkeys = 1,
     .title = "identity (a) compare and (c) break-even: equal strings, memcmp "
              "vs pointer; compares that repay one intern",
     .note = "intern ns: one intern of a string already present (a hit). "
             "break-even: intern ns / (memcmp ns - pointer ns), the "
             "equal-string compares that repay one intern.",
     VCOLS(identity_cols),
     .label = render_run_label},
    {.workload = "identity",
     .case_name = "records",
     .key_metric = "private_strings",
     .keys = {RENDER_TABLE, RENDER_PARAM},
     .nkeys = 2,
     .title = "identity (b) records: R records sharing K keys, a lookup of "
              "each key in each record",
     .note = "private: each record holds its own copy of each key (bytes "
             "count one NUL each); a lookup hashes the query and compares "
             "hash, length and bytes. interned: records hold handles (bytes "
             "are the table's total); a lookup compares pointers.",
     VCOLS(records_cols),
     .label = render_run_label},
    {.workload = "smallint",
     .key_metric = "ns_per_box",
     .keys = {RENDER_CASE, RENDER_PARAM},
     .nkeys = 2,
     .title = "smallint: boxed integers, a box per value vs a preallocated "
              "cache",
     .note = "streams of 10^6 values: counter (0..999 over and over), index "
             "(uniform in 0..9999), zipf (exponent 1 over 0..99999). A box is "
             "16 bytes; bytes include the cache's preallocated boxes.",
     VCOLS(smallint_cols)},
};

const render_view *render_run_views(size_t *count) {
    *count = sizeof run_views / sizeof run_views[0];
    return run_views;
}
