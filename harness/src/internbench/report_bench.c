/* report_bench.c: google-benchmark JSON (bench/internbench_bench
 * --benchmark_out=F) read into a result set (report.h). A benchmark named
 * WORKLOAD/CASE/TABLE[/manual_time...] gives the rows of that workload,
 * case and table: ns_per_string, timed, and its counters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/report.h"

/* One number of a WORKLOAD/CASE/TABLE while reading: what the aggregates
 * named median, min and max say, and the repetitions' values. For the
 * time, values are ns per iteration (divided by the items at the end).
 * Invariant: v holds n values (owned); metric is interned in the set. */
typedef struct bench_acc {
    const char *metric;
    double agg[3];
    bool has[3];
    double *v;
    size_t n, cap;
} bench_acc;

/* One WORKLOAD/CASE/TABLE. Invariant: the names are interned in the set;
 * acc[0..nacc) have distinct metrics, acc[0] the time; items is the
 * items an iteration handles (0: not known yet). */
typedef struct bench_entry {
    const char *workload, *case_name, *table;
    const char *error; /* the JSON's message when the row failed */
    const char *label; /* the JSON's, "mem:METHOD" */
    int reps;
    double items;
    bench_acc *acc;
    size_t nacc, cap;
} bench_entry;

/* The file being read. Invariant: e[0..n) are distinct. err is set once,
 * by the first failure. */
typedef struct bench_read {
    results *r;
    const char *path;
    bench_entry *e;
    size_t n, cap;
    char *err;
    size_t errcap;
} bench_read;

enum { AGG_MEDIAN, AGG_MIN, AGG_MAX, AGG_NONE };

/* The fields google-benchmark writes itself; any other number is a
 * counter. */
static const char *const bench_fields[] = {
    "family_index",     "per_family_instance_index",
    "repetitions",      "repetition_index",
    "threads",          "iterations",
    "real_time",        "cpu_time",
    "items_per_second", "bytes_per_second"};

static int bench_fail(bench_read *b, const char *what) {
    snprintf(b->err, b->errcap, "%s: %s", b->path, what);
    return -1;
}

static int bench_fail_at(bench_read *b, size_t i, const char *name,
                         const char *what) {
    snprintf(b->err, b->errcap, "%s: benchmarks[%zu] (%s): %s", b->path, i,
             name ? name : "no name", what);
    return -1;
}

static bool bench_oom(bench_read *b) {
    snprintf(b->err, b->errcap, "%s: out of memory", b->path);
    return false;
}

/* p (of *cap items of size bytes, n used) with room for one more: p
 * itself, or a larger copy; NULL when out of memory (p kept). */
static void *bench_grow(bench_read *b, void *p, size_t *cap, size_t n,
                        size_t size) {
    if (n < *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 8;
    void *m = realloc(p, c * size);
    if (!m)
        return bench_oom(b), NULL;
    *cap = c;
    return m;
}

/* ---- names -----------------------------------------------------------------
 */

/* Splits "build/json-keys/open/manual_time" into its three parts (in
 * buf), dropping the suffixes google-benchmark appends. false when the
 * name is not WORKLOAD/CASE/TABLE. */
static bool bench_split(const char *name, char *buf, size_t cap,
                        char *part[3]) {
    static const char *const suffixes[] = {
        "manual_time", "real_time", "process_time", "min_time:",
        "iterations:", "repeats:",  "threads:",     "min_warmup_time:"};
    char *p[8];
    size_t n = 0;
    snprintf(buf, cap, "%s", name);
    for (char *s = buf; n < 8 && s; n++) {
        p[n] = s;
        s = strchr(s, '/');
        if (s)
            *s++ = '\0';
    }
    for (bool known = true; n > 3 && known; n -= known) {
        known = false;
        for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++)
            known |= strncmp(p[n - 1], suffixes[k], strlen(suffixes[k])) == 0;
    }
    if (n != 3 || !*p[0] || !*p[1] || !*p[2])
        return false;
    memcpy(part, p, 3 * sizeof *part);
    return true;
}

static bench_entry *bench_entry_get(bench_read *b, char *part[3]) {
    const char *w = results_intern(b->r, part[0]),
               *c = results_intern(b->r, part[1]),
               *t = results_intern(b->r, part[2]);
    for (size_t i = 0; i < b->n; i++)
        if (b->e[i].workload == w && b->e[i].case_name == c &&
            b->e[i].table == t)
            return &b->e[i];
    if (!w || !c || !t)
        return bench_oom(b), NULL;
    bench_entry *grown = bench_grow(b, b->e, &b->cap, b->n, sizeof *b->e);
    if (!grown)
        return NULL;
    b->e = grown;
    bench_entry *e = &b->e[b->n++];
    *e = (bench_entry){.workload = w, .case_name = c, .table = t};
    return e;
}

/* ---- numbers ---------------------------------------------------------------
 */

static bench_acc *bench_acc_get(bench_read *b, bench_entry *e,
                                const char *metric) {
    const char *m = results_intern(b->r, metric);
    for (size_t i = 0; i < e->nacc; i++)
        if (e->acc[i].metric == m)
            return &e->acc[i];
    if (!m)
        return bench_oom(b), NULL;
    bench_acc *grown = bench_grow(b, e->acc, &e->cap, e->nacc, sizeof *e->acc);
    if (!grown)
        return NULL;
    e->acc = grown;
    bench_acc *a = &e->acc[e->nacc++];
    *a = (bench_acc){.metric = m};
    return a;
}

/* A value of one benchmark object: an aggregate's, or a repetition's. */
static bool bench_acc_add(bench_read *b, bench_acc *a, int agg, double v) {
    if (agg != AGG_NONE) {
        a->agg[agg] = v;
        a->has[agg] = true;
        return true;
    }
    double *grown = bench_grow(b, a->v, &a->cap, a->n, sizeof *a->v);
    if (!grown)
        return false;
    a->v = grown;
    a->v[a->n++] = v;
    return true;
}

/* real_time in ns; -1 when missing or in an unknown unit. */
static double bench_time_ns(const json_t *o) {
    static const struct {
        const char *unit;
        double ns;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
    json_t *t = json_object_get(o, "real_time");
    const char *unit = json_string_value(json_object_get(o, "time_unit"));
    for (size_t i = 0; json_is_number(t) && unit && i < 4; i++)
        if (strcmp(unit, units[i].unit) == 0)
            return json_number_value(t) * units[i].ns;
    return -1;
}

/* The counters of one benchmark object. */
static bool bench_counters(bench_read *b, bench_entry *e, const json_t *o,
                           int agg) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        bool standard = !json_is_number(v);
        for (size_t k = 0; k < sizeof bench_fields / sizeof *bench_fields; k++)
            standard |= strcmp(key, bench_fields[k]) == 0;
        bench_acc *a = standard ? NULL : bench_acc_get(b, e, key);
        if (!standard &&
            (!a || !bench_acc_add(b, a, agg, json_number_value(v))))
            return false;
    }
    return true;
}

/* The items one iteration handles: items_per_second × the time, or the
 * "strings" counter. */
static void bench_items(bench_entry *e, const json_t *o, double ns) {
    double ips = json_number_value(json_object_get(o, "items_per_second"));
    double strings = json_number_value(json_object_get(o, "strings"));
    if (e->items > 0)
        return;
    if (ips > 0 && ns > 0)
        e->items = round(ips * ns / 1e9);
    else if (strings > 0)
        e->items = strings;
}

/* Which aggregate o is (AGG_NONE: a repetition), or -1 for one the page
 * does not use (mean, stddev, cv). */
static int bench_agg(const json_t *o) {
    const char *agg = json_string_value(json_object_get(o, "aggregate_name"));
    const char *type = json_string_value(json_object_get(o, "run_type"));
    if (!agg)
        return !type || strcmp(type, "iteration") == 0 ? AGG_NONE : -1;
    return strcmp(agg, "median") == 0 ? AGG_MEDIAN
           : strcmp(agg, "min") == 0  ? AGG_MIN
           : strcmp(agg, "max") == 0  ? AGG_MAX
                                      : -1;
}

static int bench_object(bench_read *b, const json_t *o, size_t i) {
    const char *name = json_string_value(json_object_get(o, "run_name"));
    name = name ? name : json_string_value(json_object_get(o, "name"));
    char buf[512], *part[3];
    if (!name || !bench_split(name, buf, sizeof buf, part))
        return bench_fail_at(b, i, name, "not WORKLOAD/CASE/TABLE");
    bench_entry *e = bench_entry_get(b, part);
    int agg = bench_agg(o);
    if (!e)
        return -1;
    if (json_is_true(json_object_get(o, "error_occurred"))) {
        const char *m = json_string_value(json_object_get(o, "error_message"));
        e->error = m ? m : "error";
        return 0;
    }
    if (agg < 0)
        return 0;
    const char *label = json_string_value(json_object_get(o, "label"));
    e->label = label ? label : e->label;
    double ns = bench_time_ns(o);
    if (ns < 0)
        return bench_fail_at(b, i, name, "no real_time in a known time_unit");
    if (agg != AGG_MIN && agg != AGG_MAX)
        bench_items(e, o, ns);
    json_t *reps = json_object_get(o, "repetitions");
    if (agg == AGG_MEDIAN && json_is_integer(reps))
        e->reps = (int)json_integer_value(reps);
    bench_acc *t = bench_acc_get(b, e, "ns_per_string");
    if (!t || !bench_acc_add(b, t, agg, ns) || !bench_counters(b, e, o, agg))
        return -1;
    return 0;
}

/* ---- rows ------------------------------------------------------------------
 */

static int bench_entry_fail(bench_read *b, const bench_entry *e,
                            const char *what) {
    snprintf(b->err, b->errcap, "%s: %s/%s/%s %s", b->path, e->workload,
             e->case_name, e->table, what);
    return -1;
}

/* ns_per_string: the median (google-benchmark's aggregate, else the
 * repetitions'), the repetitions' min and max (else the min and max
 * aggregates; else unknown), over the items an iteration handles. */
static void bench_time_row(bench_read *b, bench_entry *e) {
    bench_acc *a = &e->acc[0];
    measure_sample s = {NAN, NAN, NAN, e->reps > 0 ? e->reps : 1};
    if (a->n)
        measure_sample_set(&s, a->v, (int)a->n);
    else {
        s.min = a->has[AGG_MIN] ? a->agg[AGG_MIN] : NAN;
        s.max = a->has[AGG_MAX] ? a->agg[AGG_MAX] : NAN;
    }
    if (a->has[AGG_MEDIAN])
        s.median = a->agg[AGG_MEDIAN];
    s.median /= e->items;
    s.min /= e->items;
    s.max /= e->items;
    results_sample(b->r, e->workload, e->case_name, e->table, "", a->metric,
                   "ns", &s);
}

static int bench_rows(bench_read *b, bench_entry *e) {
    char what[1024];
    if (e->error) {
        snprintf(what, sizeof what, "%s/%s/%s: %s", e->workload, e->case_name,
                 e->table, e->error);
        results_failure(b->r, what);
        return 0;
    }
    if (!e->nacc || (!e->acc[0].has[AGG_MEDIAN] && !e->acc[0].n))
        return bench_entry_fail(b, e, "has no median and no repetition");
    if (e->items <= 0)
        return bench_entry_fail(b, e,
                                "has neither items_per_second nor the "
                                "'strings' counter");
    bench_time_row(b, e);
    for (size_t i = 1; i < e->nacc; i++) {
        bench_acc *a = &e->acc[i];
        measure_sample s = {a->agg[AGG_MEDIAN], 0, 0, 0};
        if (!a->has[AGG_MEDIAN] && a->n)
            measure_sample_set(&s, a->v, (int)a->n);
        if (a->has[AGG_MEDIAN] || a->n)
            results_value(b->r, e->workload, e->case_name, e->table, "",
                          a->metric, "", s.median);
    }
    return 0;
}

/* ---- the describing parts --------------------------------------------------
 */

/* google-benchmark's machine under run's keys; a cache size in bytes
 * becomes sysfs's "48K". */
static int bench_context(bench_read *b, json_t *ctx) {
    static const char *const keys[][2] = {{"date", "date"},
                                          {"host_name", "host"},
                                          {"num_cpus", "logical_cpus"},
                                          {"mhz_per_cpu", "mhz_per_cpu"}};
    json_t *out = results_context(b->r), *caches = json_array(), *c;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        json_t *v = json_object_get(ctx, keys[k][0]);
        if (v)
            results_jset(b->r, out, keys[k][1], json_incref(v));
    }
    size_t i;
    json_array_foreach(json_object_get(ctx, "caches"), i, c) {
        json_t *level = json_object_get(c, "level"),
               *size = json_object_get(c, "size");
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!json_is_integer(level) || !json_is_integer(size) || !type)
            return bench_fail(b, "context.caches wants level, type and size");
        char text[32];
        json_int_t n = json_integer_value(size);
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT "%s",
                 n % 1024 ? n : n / 1024, n % 1024 ? "" : "K");
        results_jpush(
            b->r, caches,
            json_pack("{sOssss}", "level", level, "type", type, "size", text));
    }
    results_jset(b->r, out, "caches", caches);
    return 0;
}

/* A table's object: how its memory is counted and what it is, from the
 * context's "table NAME": "mem:METHOD; what it is", else from the row's
 * label. */
static json_t *bench_table(results *r, json_t *ctx, const bench_entry *e) {
    char key[256];
    snprintf(key, sizeof key, "table %s", e->table);
    const char *desc = json_string_value(json_object_get(ctx, key));
    const char *mem = desc ? desc : e->label;
    json_t *t = json_pack("{ss}", "name", e->table);
    if (mem && strncmp(mem, "mem:", 4) == 0) {
        const char *end = strchr(mem, ';');
        size_t n = end ? (size_t)(end - mem - 4) : strlen(mem + 4);
        results_jset(r, t, "counted_by", json_stringn(mem + 4, n));
        desc = end && desc ? end + 1 + strspn(end + 1, " ") : NULL;
    }
    if (desc)
        results_jset(r, t, "about", json_string(desc));
    return t;
}

/* The tables, in the order they first appear, and the repetitions. */
static void bench_parts(bench_read *b, json_t *ctx) {
    int reps = 0;
    for (size_t i = 0; i < b->n; i++) {
        bench_entry *e = &b->e[i];
        reps = e->reps > reps ? e->reps : reps;
        for (size_t a = 0; a < e->nacc && !e->reps; a++)
            reps = (int)e->acc[a].n > reps ? (int)e->acc[a].n : reps;
        if (!results_table(b->r, e->table))
            results_jpush(b->r, results_tables(b->r),
                          bench_table(b->r, ctx, e));
    }
    results_jset(b->r, results_settings(b->r), "repetitions",
                 json_integer(reps));
}

/* ---- the file --------------------------------------------------------------
 */

static json_t *bench_load(bench_read *b) {
    json_error_t jerr;
    json_t *root = json_load_file(b->path, 0, &jerr);
    if (!root && jerr.line > 0)
        snprintf(b->err, b->errcap, "%s:%d: %s", b->path, jerr.line, jerr.text);
    else if (!root)
        snprintf(b->err, b->errcap, "%s: %s", b->path, jerr.text);
    else if (!json_is_object(json_object_get(root, "context")) ||
             !json_is_array(json_object_get(root, "benchmarks"))) {
        bench_fail(b, json_object_get(root, "format")
                          ? "not google-benchmark JSON: no 'context' object "
                            "and 'benchmarks' array (internbench run JSON "
                            "goes with --run)"
                          : "not google-benchmark JSON: no 'context' object "
                            "and 'benchmarks' array");
        json_decref(root);
        root = NULL;
    }
    return root;
}

static void bench_free(bench_read *b) {
    for (size_t i = 0; i < b->n; i++) {
        for (size_t a = 0; a < b->e[i].nacc; a++)
            free(b->e[i].acc[a].v);
        free(b->e[i].acc);
    }
    free(b->e);
}

int report_read_bench(results *r, const char *path, char *err, size_t cap) {
    bench_read b = {.r = r, .path = path, .err = err, .errcap = cap};
    json_t *root = bench_load(&b), *o;
    size_t i;
    int rc = root ? 0 : -1;
    json_array_foreach(json_object_get(root, "benchmarks"), i, o) {
        if (rc == 0)
            rc = bench_object(&b, o, i);
    }
    for (i = 0; rc == 0 && i < b.n; i++)
        rc = bench_rows(&b, &b.e[i]);
    if (rc == 0)
        rc = bench_context(&b, json_object_get(root, "context"));
    if (rc == 0)
        bench_parts(&b, json_object_get(root, "context"));
    if (rc == 0 && !results_ok(r))
        rc = bench_fail(&b, "out of memory");
    bench_free(&b);
    json_decref(root);
    return rc;
}
