/* cmd_report.c: internbench report: the JSON of `internbench run` and of
 * the google-benchmark binary (bench/internbench_bench) turned into one
 * Markdown page (DIR/README.md) and SVG plots drawn by gnuplot.
 *
 * Rules the page keeps:
 * - Every input is checked before anything is written; bad JSON or a file
 *   of the wrong kind is an error naming the file, exit 2.
 * - Numbers from different machines never share a page: inputs whose
 *   machine context differs (CPU, host, CPU count, caches) are refused.
 * - Numbers from different inputs never share a table, so every ratio in
 *   a table is a same-run ratio.
 * - The Markdown depends on the inputs only (file names without their
 *   directories, no date of its own), so the same inputs give the same
 *   bytes; it does not depend on whether the plots were drawn.
 * - Plots: one gnuplot per plot, fed a generated script with the data
 *   inline. gnuplot missing or failing: the Markdown is still written, the
 *   error names the plot, and the exit status is 1. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define RPT_RUN_FORMAT "internbench-run v1"

static void report_usage(FILE *out) {
    fprintf(
        out,
        "usage: internbench report [--run FILE]... [--bench FILE]... "
        "[--from DIR]\n"
        "                          [-o DIR] [--no-plots]\n\n"
        "Reads the JSON of 'internbench run --json FILE' (--run; sweeps "
        "too) and of\nbench/internbench_bench --benchmark_out=FILE "
        "(--bench) and writes DIR/README.md:\nthe machine and the inputs, "
        "a table per workload (rows: our tables and the\npeers; columns: "
        "cases; medians and the ratio to the best), memory per "
        "string,\nidentity speedups by length, policy savings, the small-int "
        "cache and scaling;\nand the SVG plots it links, drawn with "
        "gnuplot.\n\n"
        "  --run FILE    JSON of internbench run (format \"" RPT_RUN_FORMAT
        "\"), repeatable:\n"
        "                the default run, a --sweep n run, a --sweep len "
        "run\n"
        "  --bench FILE  google-benchmark JSON of internbench_bench, "
        "repeatable\n"
        "  --from DIR    those of DIR/latest.json, sweep-n.json, "
        "sweep-len.json (runs)\n"
        "                and bench.json that exist; one from another "
        "machine than\n"
        "                the ones before it is left out with a note\n"
        "  -o DIR        where to write (default results); created if "
        "missing\n"
        "  --no-plots    write the Markdown only (it links the plots all "
        "the same)\n\n"
        "Inputs named with --run and --bench from different machines (CPU, "
        "host, CPU\ncount or caches differ) are refused: report each "
        "machine into its own\ndirectory.\n"
        "Exit status: 0 written; 1 the Markdown was written but a plot "
        "was not\n(gnuplot missing or failing); 2 bad usage, bad input or "
        "an output error.\n");
}

/* ---- the inputs ------------------------------------------------------ */

/* One result row of a run. Strings belong to the input's JSON. */
typedef struct rpt_row {
    const char *workload, *cas, *table, *param, *metric, *unit;
    double value;
} rpt_row;

/* Distinct names in order of first appearance (strings not owned). */
typedef struct rpt_names {
    const char **v;
    size_t n, cap;
} rpt_names;

/* One WORKLOAD/CASE/TABLE row of a benchmark run: ns per string is the
 * median aggregate when the run has one, else the median of its
 * iterations. Invariant: samples holds nsamples values (owned). */
typedef struct rpt_bench_row {
    char *workload, *cas, *table; /* owned */
    double median_ns;
    bool has_median;
    double *samples;
    size_t nsamples, cap;
    double bytes_per_string;
    bool has_bytes;
    const char *label;         /* "mem:..." (the JSON's) */
    const char *error_message; /* non-NULL: the row reported an error */
    int reps;
} rpt_bench_row;

/* A cache level, its size in bytes. */
typedef struct rpt_cache {
    long level;
    char type[32];
    double bytes;
} rpt_cache;

typedef enum rpt_kind { RPT_RUN, RPT_BENCH } rpt_kind;

/* One input file, parsed and checked. Invariant: root owns every string
 * the rows, names and context fields point to. */
typedef struct rpt_input {
    const char *path; /* as given, for messages */
    const char *base; /* without its directory, for the page */
    rpt_kind kind;
    json_t *root;
    /* run */
    const char *sweep; /* NULL, "n" or "len" */
    const char *status;
    size_t nfailures;
    long reps;
    rpt_row *rows;
    size_t nrows;
    rpt_names tables, cases;
    /* bench */
    rpt_bench_row *brows;
    size_t nbrows, bcap;
    rpt_names bworkloads, bcases, btables;
    int bench_reps;
    /* context */
    const char *date, *cpu, *host, *compiler, *build_type, *flags, *commit;
    long cpus;
    double mhz;
    rpt_cache caches[16];
    size_t ncaches;
} rpt_input;

/* The first error message wins; every check returns -1 after setting it. */
static char rpt_err[1024];

static int rpt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int rpt_fail(const char *fmt, ...) {
    if (rpt_err[0])
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rpt_err, sizeof rpt_err, fmt, ap);
    va_end(ap);
    return -1;
}

static int rpt_names_add(rpt_names *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return rpt_fail("out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

static const char *rpt_get_str(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool rpt_get_num(const json_t *o, const char *key, double *out) {
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

/* "48K", "2048K", "32 MiB", "1M" -> bytes; -1 when unreadable. */
static double rpt_parse_size(const char *s) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v < 0)
        return -1;
    while (*end == ' ')
        end++;
    switch (*end) {
    case 'K':
    case 'k':
        return v * 1024;
    case 'M':
        return v * 1024 * 1024;
    case 'G':
        return v * 1024 * 1024 * 1024;
    case '\0':
    case 'B':
        return v;
    default:
        return -1;
    }
}

static int rpt_read_caches(rpt_input *in, const json_t *ctx) {
    const json_t *caches = json_object_get(ctx, "caches");
    if (!caches)
        return 0;
    if (!json_is_array(caches))
        return rpt_fail("%s: context.caches is not an array", in->path);
    size_t i;
    const json_t *c;
    json_array_foreach(caches, i, c) {
        double level, bytes;
        const char *type = rpt_get_str(c, "type");
        const json_t *size = json_object_get(c, "size");
        if (!rpt_get_num(c, "level", &level) || !type || !size)
            return rpt_fail("%s: context.caches[%zu] wants level, type and "
                            "size",
                            in->path, i);
        if (json_is_string(size))
            bytes = rpt_parse_size(json_string_value(size));
        else if (json_is_number(size))
            bytes = json_number_value(size);
        else
            bytes = -1;
        if (bytes < 0)
            return rpt_fail("%s: context.caches[%zu].size is not a size",
                            in->path, i);
        if (in->ncaches == sizeof in->caches / sizeof in->caches[0])
            break;
        rpt_cache *rc = &in->caches[in->ncaches++];
        rc->level = (long)level;
        snprintf(rc->type, sizeof rc->type, "%s", type);
        rc->bytes = bytes;
    }
    return 0;
}

static int rpt_read_run(rpt_input *in) {
    json_t *root = in->root;
    const char *format = rpt_get_str(root, "format");
    if (!format || strcmp(format, RPT_RUN_FORMAT) != 0)
        return rpt_fail("%s: not the JSON of internbench run: format is "
                        "'%s', want '" RPT_RUN_FORMAT
                        "' (google-benchmark JSON goes with --bench)",
                        in->path, format ? format : "(none)");
    const json_t *ctx = json_object_get(root, "context");
    const json_t *settings = json_object_get(root, "settings");
    const json_t *results = json_object_get(root, "results");
    const json_t *tables = json_object_get(root, "tables");
    const json_t *cases = json_object_get(root, "cases");
    if (!json_is_object(ctx))
        return rpt_fail("%s: no 'context' object", in->path);
    if (!json_is_object(settings))
        return rpt_fail("%s: no 'settings' object", in->path);
    if (!json_is_array(results))
        return rpt_fail("%s: no 'results' array", in->path);
    if (!json_is_array(tables))
        return rpt_fail("%s: no 'tables' array", in->path);
    if (!json_is_array(cases))
        return rpt_fail("%s: no 'cases' array", in->path);
    in->date = rpt_get_str(ctx, "date");
    in->cpu = rpt_get_str(ctx, "cpu");
    in->compiler = rpt_get_str(ctx, "compiler");
    in->build_type = rpt_get_str(ctx, "build_type");
    in->flags = rpt_get_str(ctx, "flags");
    in->commit = rpt_get_str(ctx, "git_commit");
    double cpus;
    in->cpus = rpt_get_num(ctx, "logical_cpus", &cpus) ? (long)cpus : -1;
    if (rpt_read_caches(in, ctx) < 0)
        return -1;
    in->status = rpt_get_str(root, "status");
    const json_t *failures = json_object_get(root, "failures");
    in->nfailures = json_is_array(failures) ? json_array_size(failures) : 0;
    const json_t *sweep = json_object_get(settings, "sweep");
    if (json_is_string(sweep)) {
        in->sweep = json_string_value(sweep);
        if (strcmp(in->sweep, "n") != 0 && strcmp(in->sweep, "len") != 0)
            return rpt_fail("%s: settings.sweep is '%s', want n, len or "
                            "null",
                            in->path, in->sweep);
    } else if (sweep && !json_is_null(sweep)) {
        return rpt_fail("%s: settings.sweep is not a string or null", in->path);
    }
    double reps;
    in->reps = rpt_get_num(settings, "reps", &reps) ? (long)reps : -1;

    size_t i;
    const json_t *o;
    json_array_foreach(tables, i, o) {
        const char *name = rpt_get_str(o, "name");
        if (!name)
            return rpt_fail("%s: tables[%zu] has no name", in->path, i);
        if (rpt_names_add(&in->tables, name) < 0)
            return -1;
    }
    json_array_foreach(cases, i, o) {
        const char *name = rpt_get_str(o, "name");
        double strings;
        if (!name || !rpt_get_num(o, "strings", &strings))
            return rpt_fail("%s: cases[%zu] wants a name and strings", in->path,
                            i);
        if (rpt_names_add(&in->cases, name) < 0)
            return -1;
    }
    in->nrows = json_array_size(results);
    in->rows = calloc(in->nrows ? in->nrows : 1, sizeof *in->rows);
    if (!in->rows)
        return rpt_fail("out of memory");
    static const char *const keys[] = {"workload", "case",   "table",
                                       "param",    "metric", "unit"};
    json_array_foreach(results, i, o) {
        rpt_row *r = &in->rows[i];
        const char **fields[] = {&r->workload, &r->cas,    &r->table,
                                 &r->param,    &r->metric, &r->unit};
        if (!json_is_object(o))
            return rpt_fail("%s: results[%zu] is not an object", in->path, i);
        for (size_t k = 0; k < 6; k++) {
            *fields[k] = rpt_get_str(o, keys[k]);
            if (!*fields[k])
                return rpt_fail("%s: results[%zu] has no string '%s'", in->path,
                                i, keys[k]);
        }
        if (!rpt_get_num(o, "value", &r->value))
            return rpt_fail("%s: results[%zu] has no number 'value'", in->path,
                            i);
    }
    return 0;
}

/* Splits "build/json-keys/open/manual_time" into its three parts; the
 * suffixes google-benchmark appends are dropped. 0, or -1 when the name
 * is not WORKLOAD/CASE/TABLE. */
static int rpt_split_bench_name(const char *name, char *part[3]) {
    char *copy = strdup(name);
    if (!copy)
        return rpt_fail("out of memory");
    char *p[8];
    size_t n = 0;
    for (char *s = copy; n < 8;) {
        p[n++] = s;
        char *slash = strchr(s, '/');
        if (!slash)
            break;
        *slash = '\0';
        s = slash + 1;
    }
    static const char *const suffixes[] = {
        "manual_time", "real_time", "process_time", "min_time:",
        "iterations:", "repeats:",  "threads:",     "min_warmup_time:"};
    while (n > 3) {
        bool known = false;
        for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
            known |= strncmp(p[n - 1], suffixes[k], strlen(suffixes[k])) == 0;
        if (!known)
            break;
        n--;
    }
    if (n != 3 || !*p[0] || !*p[1] || !*p[2]) {
        free(copy);
        return -1;
    }
    part[0] = strdup(p[0]);
    part[1] = strdup(p[1]);
    part[2] = strdup(p[2]);
    free(copy);
    if (!part[0] || !part[1] || !part[2]) {
        free(part[0]);
        free(part[1]);
        free(part[2]);
        return rpt_fail("out of memory");
    }
    return 0;
}

static rpt_bench_row *rpt_bench_row_get(rpt_input *in, char *part[3]) {
    for (size_t i = 0; i < in->nbrows; i++) {
        rpt_bench_row *r = &in->brows[i];
        if (strcmp(r->workload, part[0]) == 0 && strcmp(r->cas, part[1]) == 0 &&
            strcmp(r->table, part[2]) == 0) {
            free(part[0]);
            free(part[1]);
            free(part[2]);
            return r;
        }
    }
    if (in->nbrows == in->bcap) {
        size_t cap = in->bcap ? in->bcap * 2 : 64;
        rpt_bench_row *v = realloc(in->brows, cap * sizeof *v);
        if (!v) {
            free(part[0]);
            free(part[1]);
            free(part[2]);
            rpt_fail("out of memory");
            return NULL;
        }
        in->brows = v;
        in->bcap = cap;
    }
    rpt_bench_row *r = &in->brows[in->nbrows++];
    memset(r, 0, sizeof *r);
    r->workload = part[0];
    r->cas = part[1];
    r->table = part[2];
    if (rpt_names_add(&in->bworkloads, r->workload) < 0 ||
        rpt_names_add(&in->bcases, r->cas) < 0 ||
        rpt_names_add(&in->btables, r->table) < 0)
        return NULL;
    return r;
}

static int rpt_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int rpt_read_bench(rpt_input *in) {
    json_t *root = in->root;
    const json_t *ctx = json_object_get(root, "context");
    const json_t *benchmarks = json_object_get(root, "benchmarks");
    if (!json_is_object(ctx) || !json_is_array(benchmarks))
        return rpt_fail("%s: not google-benchmark JSON: no 'context' object "
                        "and 'benchmarks' array%s",
                        in->path,
                        rpt_get_str(root, "format")
                            ? " (internbench run JSON goes with --run)"
                            : "");
    in->date = rpt_get_str(ctx, "date");
    in->host = rpt_get_str(ctx, "host_name");
    double v;
    in->cpus = rpt_get_num(ctx, "num_cpus", &v) ? (long)v : -1;
    in->mhz = rpt_get_num(ctx, "mhz_per_cpu", &v) ? v : -1;
    if (rpt_read_caches(in, ctx) < 0)
        return -1;
    size_t i;
    const json_t *b;
    json_array_foreach(benchmarks, i, b) {
        const char *name = rpt_get_str(b, "run_name");
        if (!name)
            name = rpt_get_str(b, "name");
        if (!name)
            return rpt_fail("%s: benchmarks[%zu] has no name", in->path, i);
        char *part[3] = {NULL, NULL, NULL};
        if (rpt_split_bench_name(name, part) < 0)
            return rpt_fail("%s: benchmarks[%zu]: '%s' is not "
                            "WORKLOAD/CASE/TABLE",
                            in->path, i, name);
        rpt_bench_row *r = rpt_bench_row_get(in, part);
        if (!r)
            return -1;
        const json_t *err = json_object_get(b, "error_occurred");
        if (json_is_true(err)) {
            const char *m = rpt_get_str(b, "error_message");
            r->error_message = m ? m : "error";
            continue;
        }
        const char *agg = rpt_get_str(b, "aggregate_name");
        const char *run_type = rpt_get_str(b, "run_type");
        bool is_median = agg && strcmp(agg, "median") == 0;
        bool is_iteration =
            !agg && (!run_type || strcmp(run_type, "iteration") == 0);
        if (!is_median && !is_iteration)
            continue; /* mean, stddev, cv: the median stands for them */
        double real_time, strings, ips;
        const char *unit = rpt_get_str(b, "time_unit");
        if (!rpt_get_num(b, "real_time", &real_time) || !unit)
            return rpt_fail("%s: benchmarks[%zu] (%s) has no real_time and "
                            "time_unit",
                            in->path, i, name);
        double scale = strcmp(unit, "ns") == 0   ? 1
                       : strcmp(unit, "us") == 0 ? 1e3
                       : strcmp(unit, "ms") == 0 ? 1e6
                       : strcmp(unit, "s") == 0  ? 1e9
                                                 : -1;
        if (scale < 0)
            return rpt_fail("%s: benchmarks[%zu] (%s): unknown time_unit "
                            "'%s'",
                            in->path, i, name, unit);
        double ns;
        if (rpt_get_num(b, "strings", &strings) && strings > 0)
            ns = real_time * scale / strings;
        else if (rpt_get_num(b, "items_per_second", &ips) && ips > 0)
            ns = 1e9 / ips;
        else
            return rpt_fail("%s: benchmarks[%zu] (%s) has neither the "
                            "'strings' counter nor items_per_second",
                            in->path, i, name);
        if (is_median) {
            r->median_ns = ns;
            r->has_median = true;
            if (rpt_get_num(b, "repetitions", &v))
                r->reps = (int)v;
        } else {
            if (r->nsamples == r->cap) {
                size_t cap = r->cap ? r->cap * 2 : 8;
                double *s = realloc(r->samples, cap * sizeof *s);
                if (!s)
                    return rpt_fail("out of memory");
                r->samples = s;
                r->cap = cap;
            }
            r->samples[r->nsamples++] = ns;
        }
        if (rpt_get_num(b, "bytes_per_string", &v)) {
            r->bytes_per_string = v;
            r->has_bytes = true;
        }
        const char *label = rpt_get_str(b, "label");
        if (label)
            r->label = label;
    }
    for (size_t k = 0; k < in->nbrows; k++) {
        rpt_bench_row *r = &in->brows[k];
        if (!r->has_median && r->nsamples) {
            qsort(r->samples, r->nsamples, sizeof *r->samples, rpt_cmp_double);
            size_t n = r->nsamples;
            r->median_ns =
                n % 2 ? r->samples[n / 2]
                      : (r->samples[n / 2 - 1] + r->samples[n / 2]) / 2;
            r->has_median = true;
            r->reps = (int)n;
        }
        if (!r->has_median && !r->error_message)
            return rpt_fail("%s: %s/%s/%s has no median and no iteration",
                            in->path, r->workload, r->cas, r->table);
        if (r->reps > in->bench_reps)
            in->bench_reps = r->reps;
    }
    return 0;
}

static const char *rpt_basename(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int rpt_input_load(rpt_input *in, const char *path, rpt_kind kind) {
    memset(in, 0, sizeof *in);
    in->path = path;
    in->base = rpt_basename(path);
    in->kind = kind;
    in->cpus = -1;
    in->mhz = -1;
    in->reps = -1;
    json_error_t e;
    in->root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!in->root) {
        if (e.line > 0)
            return rpt_fail("%s:%d:%d: bad JSON: %s", path, e.line, e.column,
                            e.text);
        return rpt_fail("%s: %s", path, e.text);
    }
    if (!json_is_object(in->root))
        return rpt_fail("%s: the JSON is not an object", path);
    return kind == RPT_RUN ? rpt_read_run(in) : rpt_read_bench(in);
}

static void rpt_input_free(rpt_input *in) {
    free(in->rows);
    free(in->tables.v);
    free(in->cases.v);
    for (size_t i = 0; i < in->nbrows; i++) {
        free(in->brows[i].workload);
        free(in->brows[i].cas);
        free(in->brows[i].table);
        free(in->brows[i].samples);
    }
    free(in->brows);
    free(in->bworkloads.v);
    free(in->bcases.v);
    free(in->btables.v);
    json_decref(in->root);
}

/* "L1 Data 48 KiB, L2 Unified 2 MiB" */
static void rpt_caches_text(const rpt_input *in, char *buf, size_t size) {
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < in->ncaches && at < size; i++) {
        const rpt_cache *c = &in->caches[i];
        double b = c->bytes;
        const char *unit = "B";
        if (b >= 1024 * 1024 && fmod(b, 1024 * 1024) == 0) {
            b /= 1024 * 1024;
            unit = "MiB";
        } else if (b >= 1024 && fmod(b, 1024) == 0) {
            b /= 1024;
            unit = "KiB";
        }
        int w = snprintf(buf + at, size - at, "%sL%ld %s %.0f %s",
                         i ? ", " : "", c->level, c->type, b, unit);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* 0 when a and b may come from one machine (every field both record
 * agrees), else -1 with the message naming both files. */
static int rpt_same_machine(const rpt_input *a, const rpt_input *b) {
    const char *field = NULL;
    char va[512] = "", vb[512] = "";
    if (a->cpu && b->cpu && strcmp(a->cpu, b->cpu) != 0) {
        field = "cpu";
        snprintf(va, sizeof va, "%s", a->cpu);
        snprintf(vb, sizeof vb, "%s", b->cpu);
    } else if (a->host && b->host && strcmp(a->host, b->host) != 0) {
        field = "host";
        snprintf(va, sizeof va, "%s", a->host);
        snprintf(vb, sizeof vb, "%s", b->host);
    } else if (a->cpus > 0 && b->cpus > 0 && a->cpus != b->cpus) {
        field = "logical CPUs";
        snprintf(va, sizeof va, "%ld", a->cpus);
        snprintf(vb, sizeof vb, "%ld", b->cpus);
    } else if (a->ncaches && b->ncaches) {
        rpt_caches_text(a, va, sizeof va);
        rpt_caches_text(b, vb, sizeof vb);
        if (strcmp(va, vb) != 0)
            field = "caches";
    }
    if (!field)
        return 0;
    return rpt_fail("%s and %s come from different machines (%s '%s' vs "
                    "'%s'); numbers from different machines never share a "
                    "page: report each into its own directory (-o DIR)",
                    a->path, b->path, field, va, vb);
}

/* ---- lookups --------------------------------------------------------- */

static const rpt_row *rpt_find(const rpt_input *in, const char *workload,
                               const char *cas, const char *table,
                               const char *param, const char *metric) {
    for (size_t i = 0; i < in->nrows; i++) {
        const rpt_row *r = &in->rows[i];
        if (strcmp(r->metric, metric) == 0 &&
            strcmp(r->workload, workload) == 0 &&
            (!cas || strcmp(r->cas, cas) == 0) &&
            (!table || strcmp(r->table, table) == 0) &&
            (!param || strcmp(r->param, param) == 0))
            return r;
    }
    return NULL;
}

static bool rpt_has_workload(const rpt_input *in, const char *workload) {
    for (size_t i = 0; i < in->nrows; i++)
        if (strcmp(in->rows[i].workload, workload) == 0)
            return true;
    return false;
}

static double rpt_case_num(const rpt_input *in, const char *cas,
                           const char *key) {
    const json_t *cases = json_object_get(in->root, "cases");
    size_t i;
    const json_t *o;
    json_array_foreach(cases, i, o) {
        const char *name = rpt_get_str(o, "name");
        double v;
        if (name && strcmp(name, cas) == 0 && rpt_get_num(o, key, &v))
            return v;
    }
    return NAN;
}

/* The x of a sweep's case: n (its strings) or the key length. */
static double rpt_sweep_x(const rpt_input *in, const char *cas) {
    if (in->sweep && strcmp(in->sweep, "len") == 0) {
        double strings = rpt_case_num(in, cas, "strings");
        double bytes = rpt_case_num(in, cas, "key_bytes");
        if (strncmp(cas, "len-", 4) == 0)
            return strtod(cas + 4, NULL);
        return strings > 0 ? bytes / strings : NAN;
    }
    return rpt_case_num(in, cas, "strings");
}

/* The identity lengths of a run, in order of appearance. */
static size_t rpt_identity_lengths(const rpt_input *in, double *len,
                                   size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < in->nrows && n < max; i++) {
        const rpt_row *r = &in->rows[i];
        if (strcmp(r->workload, "identity") != 0 ||
            strcmp(r->metric, "memcmp_ns") != 0 ||
            strncmp(r->param, "len=", 4) != 0)
            continue;
        len[n++] = strtod(r->param + 4, NULL);
    }
    return n;
}

/* ---- Markdown -------------------------------------------------------- */

/* Three significant digits, like internbench run prints. */
static const char *rpt_num(double v, char *buf, size_t size) {
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, size, "—");
    else if (a >= 100)
        snprintf(buf, size, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, size, "%.1f", v);
    else if (a >= 0.1 || a == 0)
        snprintf(buf, size, "%.2f", v);
    else
        snprintf(buf, size, "%.3g", v);
    return buf;
}

/* One table cell: | and newlines would break the row. */
static void md_cell(FILE *f, const char *s) {
    fputs("| ", f);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputc(' ', f);
}

static void md_end(FILE *f) {
    fputs("|\n", f);
}

/* The rule under a header: the first nleft columns left, the rest
 * right-aligned. */
static void md_rule(FILE *f, size_t nleft, size_t ncols) {
    for (size_t c = 0; c < ncols; c++)
        fputs(c < nleft ? "|---" : "|--:", f);
    fputs("|\n", f);
}

/* The same, with a last column of text (left-aligned). */
static void md_rule_text_last(FILE *f, size_t nleft, size_t ncols) {
    for (size_t c = 0; c + 1 < ncols; c++)
        fputs(c < nleft ? "|---" : "|--:", f);
    fputs("|---|\n", f);
}

/* A value with its ratio to the best (smallest) of its column; the best
 * in bold. */
static void md_ratio_cell(FILE *f, double v, double best) {
    char num[64], cell[160];
    if (isnan(v)) {
        md_cell(f, "—");
        return;
    }
    rpt_num(v, num, sizeof num);
    if (isnan(best) || best <= 0)
        snprintf(cell, sizeof cell, "%s", num);
    else if (v == best)
        snprintf(cell, sizeof cell, "**%s** (×1.00)", num);
    else
        snprintf(cell, sizeof cell, "%s (×%.2f)", num, v / best);
    md_cell(f, cell);
}

/* A grid of rows × columns of one metric, for the ratio tables. Invariant:
 * v holds nrows * ncols values, NAN where there is none. */
typedef struct rpt_grid {
    size_t nrows, ncols;
    double *v;
} rpt_grid;

static int rpt_grid_init(rpt_grid *g, size_t nrows, size_t ncols) {
    g->nrows = nrows;
    g->ncols = ncols;
    size_t cells = nrows * ncols;
    g->v = malloc((cells > 0 ? cells : 1) * sizeof *g->v);
    if (!g->v)
        return rpt_fail("out of memory");
    for (size_t i = 0; i < nrows * ncols; i++)
        g->v[i] = NAN;
    return 0;
}

static double rpt_grid_best(const rpt_grid *g, size_t col) {
    double best = NAN;
    for (size_t r = 0; r < g->nrows; r++) {
        double v = g->v[r * g->ncols + col];
        if (!isnan(v) && (isnan(best) || v < best))
            best = v;
    }
    return best;
}

static bool rpt_grid_row_empty(const rpt_grid *g, size_t row) {
    for (size_t c = 0; c < g->ncols; c++)
        if (!isnan(g->v[row * g->ncols + c]))
            return false;
    return true;
}

/* Writes a ratio table: a row per non-empty grid row, a column per
 * column; extra rows (floors) below, plain, not in the ratio. */
static void md_ratio_table(FILE *f, const char *corner, const char *const *rows,
                           const char *const *cols, const rpt_grid *g,
                           const char *const *extra_rows,
                           const rpt_grid *extra) {
    md_cell(f, corner);
    for (size_t c = 0; c < g->ncols; c++)
        md_cell(f, cols[c]);
    md_end(f);
    md_rule(f, 1, g->ncols + 1);
    for (size_t r = 0; r < g->nrows; r++) {
        if (rpt_grid_row_empty(g, r))
            continue;
        md_cell(f, rows[r]);
        for (size_t c = 0; c < g->ncols; c++)
            md_ratio_cell(f, g->v[r * g->ncols + c], rpt_grid_best(g, c));
        md_end(f);
    }
    for (size_t r = 0; extra && r < extra->nrows; r++) {
        if (rpt_grid_row_empty(extra, r))
            continue;
        md_cell(f, extra_rows[r]);
        for (size_t c = 0; c < extra->ncols; c++) {
            char num[64];
            md_cell(f,
                    rpt_num(extra->v[r * extra->ncols + c], num, sizeof num));
        }
        md_end(f);
    }
    fputc('\n', f);
}

/* A run's metric as a grid: rows its tables, columns its cases. */
static int rpt_run_grid(const rpt_input *in, const char *workload,
                        const char *metric, rpt_grid *g) {
    if (rpt_grid_init(g, in->tables.n, in->cases.n) < 0)
        return -1;
    for (size_t r = 0; r < in->tables.n; r++)
        for (size_t c = 0; c < in->cases.n; c++) {
            const rpt_row *row = rpt_find(in, workload, in->cases.v[c],
                                          in->tables.v[r], NULL, metric);
            if (row)
                g->v[r * g->ncols + c] = row->value;
        }
    return 0;
}

/* Column headers of a run: its cases, or a sweep's n or length. */
static int rpt_run_columns(const rpt_input *in, char ***out) {
    char **cols = calloc(in->cases.n ? in->cases.n : 1, sizeof *cols);
    if (!cols)
        return rpt_fail("out of memory");
    for (size_t c = 0; c < in->cases.n; c++) {
        char buf[160];
        const char *name = in->cases.v[c];
        double x = in->sweep ? rpt_sweep_x(in, name) : NAN;
        if (in->sweep && !isnan(x) && strcmp(in->sweep, "len") == 0) {
            snprintf(buf, sizeof buf, "%.0f B", x);
        } else if (in->sweep && !isnan(x)) {
            double e = log10(x);
            if (x >= 1000 && e == floor(e))
                snprintf(buf, sizeof buf, "n=10^%.0f", e);
            else
                snprintf(buf, sizeof buf, "n=%.0f", x);
        } else {
            snprintf(buf, sizeof buf, "%s", name);
        }
        cols[c] = strdup(buf);
        if (!cols[c]) {
            for (size_t k = 0; k < c; k++)
                free(cols[k]);
            free(cols);
            return rpt_fail("out of memory");
        }
    }
    *out = cols;
    return 0;
}

static void rpt_columns_free(char **cols, size_t n) {
    for (size_t c = 0; c < n; c++)
        free(cols[c]);
    free(cols);
}

/* One ratio table of a run's metric, with the floor rows when asked. */
static int md_run_metric(FILE *f, const rpt_input *in, const char *level,
                         const char *title, const char *note,
                         const char *workload, const char *metric,
                         bool floors) {
    fprintf(f, "%s %s\n\n", level, title);
    if (!rpt_find(in, workload, NULL, NULL, NULL, metric)) {
        fputs("Not in this input.\n\n", f);
        return 0;
    }
    if (note)
        fprintf(f, "%s\n\n", note);
    rpt_grid g, fl = {0, 0, NULL};
    char **cols = NULL;
    if (rpt_run_grid(in, workload, metric, &g) < 0)
        return -1;
    if (rpt_run_columns(in, &cols) < 0) {
        free(g.v);
        return -1;
    }
    static const char *const floor_rows[] = {"*floor: xxh3 hash alone*",
                                             "*floor: hash + one access*"};
    static const char *const floor_metrics[] = {"hash_ns_per_string",
                                                "access_ns_per_string"};
    int rc = 0;
    if (floors) {
        rc = rpt_grid_init(&fl, 2, in->cases.n);
        for (size_t r = 0; rc == 0 && r < 2; r++)
            for (size_t c = 0; c < in->cases.n; c++) {
                const rpt_row *row = rpt_find(in, "floor", in->cases.v[c], "",
                                              NULL, floor_metrics[r]);
                if (row)
                    fl.v[r * fl.ncols + c] = row->value;
            }
    }
    if (rc == 0)
        md_ratio_table(f, "table", in->tables.v, (const char *const *)cols, &g,
                       floors ? floor_rows : NULL, floors ? &fl : NULL);
    free(fl.v);
    free(g.v);
    rpt_columns_free(cols, in->cases.n);
    return rc;
}

static void md_context_value(FILE *f, const char *s) {
    md_cell(f, s && *s ? s : "—");
}

static void md_machine(FILE *f, rpt_input *ins, size_t nins) {
    const char *cpu = NULL, *host = NULL;
    long cpus = -1;
    double mhz = -1;
    const rpt_input *with_caches = NULL;
    for (size_t i = 0; i < nins; i++) {
        if (!cpu)
            cpu = ins[i].cpu;
        if (!host)
            host = ins[i].host;
        if (cpus < 0)
            cpus = ins[i].cpus;
        if (mhz < 0)
            mhz = ins[i].mhz;
        if (!with_caches && ins[i].ncaches)
            with_caches = &ins[i];
    }
    char buf[512];
    fputs("## Machine\n\n", f);
    fputs("| | |\n|---|---|\n", f);
    md_cell(f, "CPU");
    md_context_value(f, cpu);
    md_end(f);
    md_cell(f, "logical CPUs");
    snprintf(buf, sizeof buf, "%ld", cpus);
    md_context_value(f, cpus > 0 ? buf : NULL);
    md_end(f);
    if (mhz > 0) {
        md_cell(f, "MHz (google-benchmark's reading)");
        snprintf(buf, sizeof buf, "%.0f", mhz);
        md_cell(f, buf);
        md_end(f);
    }
    md_cell(f, "caches");
    if (with_caches)
        rpt_caches_text(with_caches, buf, sizeof buf);
    md_context_value(f, with_caches ? buf : NULL);
    md_end(f);
    if (host) {
        md_cell(f, "host");
        md_cell(f, host);
        md_end(f);
    }
    fputc('\n', f);

    fputs("## Inputs\n\n", f);
    fputs("| file | made by | date | commit | compiler | build | flags | "
          "repetitions |\n",
          f);
    md_rule(f, 8, 8);
    bool failed = false;
    for (size_t i = 0; i < nins; i++) {
        const rpt_input *in = &ins[i];
        md_cell(f, in->base);
        if (in->kind == RPT_BENCH) {
            md_cell(f, "internbench_bench (google-benchmark)");
        } else {
            snprintf(buf, sizeof buf, "internbench run%s%s%s",
                     in->sweep ? " --sweep " : "", in->sweep ? in->sweep : "",
                     in->status && strcmp(in->status, "ok") != 0
                         ? " (failed: see below)"
                         : "");
            failed |= in->status && strcmp(in->status, "ok") != 0;
            md_cell(f, buf);
        }
        md_context_value(f, in->date);
        md_context_value(f, in->commit);
        md_context_value(f, in->compiler);
        md_context_value(f, in->build_type);
        md_context_value(f, in->flags);
        if (in->kind == RPT_BENCH && in->bench_reps > 1)
            snprintf(buf, sizeof buf, "%d, median", in->bench_reps);
        else if (in->kind == RPT_BENCH)
            snprintf(buf, sizeof buf, "1");
        else if (in->reps > 0)
            snprintf(buf, sizeof buf, "%ld after a warm-up, median", in->reps);
        else
            snprintf(buf, sizeof buf, "—");
        md_cell(f, buf);
        md_end(f);
    }
    fputc('\n', f);
    for (size_t i = 0; failed && i < nins; i++) {
        const rpt_input *in = &ins[i];
        if (in->kind != RPT_RUN || !in->status || strcmp(in->status, "ok") == 0)
            continue;
        fprintf(f,
                "**%s failed its checks** (%zu MISMATCH messages in its "
                "`failures`): no number is reported for the table × case "
                "that failed.\n\n",
                in->base, in->nfailures);
    }
}

/* ---- the google-benchmark sections ---------------------------------- */

static const rpt_bench_row *rpt_bench_find(const rpt_input *in,
                                           const char *workload,
                                           const char *cas, const char *table) {
    for (size_t i = 0; i < in->nbrows; i++) {
        const rpt_bench_row *r = &in->brows[i];
        if (strcmp(r->workload, workload) == 0 && strcmp(r->cas, cas) == 0 &&
            strcmp(r->table, table) == 0)
            return r;
    }
    return NULL;
}

static const char *rpt_workload_title(const char *w) {
    if (strcmp(w, "build") == 0)
        return "build: ns per string, interning every string of the case "
               "in file order into an empty table";
    if (strcmp(w, "hit") == 0)
        return "hit: ns per string, interning every string again, all "
               "present";
    if (strcmp(w, "miss") == 0)
        return "miss: ns per lookup of a key known absent";
    return NULL;
}

static int md_bench(FILE *f, const rpt_input *in) {
    fprintf(f, "## Our tables and the peers (google-benchmark, %s)\n\n",
            in->base);
    fprintf(f, "Each cell: ns per string, the median of the repetitions, and "
               "in parentheses its ratio to the best row of the column (the "
               "best in bold). Rows: our tables through the `intern_ops` "
               "vtable and the peers; see the bench section of the top-level "
               "README for what each row times.\n\n");
    bool any_fork = false;
    for (size_t t = 0; t < in->btables.n; t++)
        any_fork |= strstr(in->btables.v[t], "@fork") != NULL;
    if (any_fork)
        fputs("`open@fork` is our `open` table built in a forked child, "
              "the way the process-global peers (GLib, CPython) are built: "
              "compare those with it as well as with `open`.\n\n",
              f);
    bool any_error = false;
    for (size_t w = 0; w < in->bworkloads.n; w++) {
        const char *wl = in->bworkloads.v[w];
        const char *title = rpt_workload_title(wl);
        if (title)
            fprintf(f, "### %s\n\n", title);
        else
            fprintf(f, "### %s: ns per string\n\n", wl);
        rpt_grid g;
        if (rpt_grid_init(&g, in->btables.n, in->bcases.n) < 0)
            return -1;
        for (size_t t = 0; t < in->btables.n; t++)
            for (size_t c = 0; c < in->bcases.n; c++) {
                const rpt_bench_row *r =
                    rpt_bench_find(in, wl, in->bcases.v[c], in->btables.v[t]);
                if (r && !r->error_message)
                    g.v[t * g.ncols + c] = r->median_ns;
                any_error |= r && r->error_message;
            }
        md_ratio_table(f, "table", in->btables.v, in->bcases.v, &g, NULL, NULL);
        free(g.v);
    }
    /* memory: bytes per string after the build */
    fputs("### memory: bytes per unique string held after the build\n\n", f);
    rpt_grid g;
    if (rpt_grid_init(&g, in->btables.n, in->bcases.n) < 0)
        return -1;
    bool any_bytes = false;
    for (size_t t = 0; t < in->btables.n; t++)
        for (size_t c = 0; c < in->bcases.n; c++) {
            const rpt_bench_row *r =
                rpt_bench_find(in, "build", in->bcases.v[c], in->btables.v[t]);
            if (r && r->has_bytes && !r->error_message &&
                !strstr(r->table, "@fork")) {
                g.v[t * g.ncols + c] = r->bytes_per_string;
                any_bytes = true;
            }
        }
    if (!any_bytes) {
        fputs("Not in this input (no `bytes_per_string` counter).\n\n", f);
    } else {
        fputs("Counted by each row's method (the last column): our "
              "tables' counting allocator, a counting `operator new`, "
              "glibc's `mallinfo2()` or CPython's allocator hooks; ratio "
              "to the fewest bytes.\n\n",
              f);
        md_cell(f, "table");
        for (size_t c = 0; c < in->bcases.n; c++)
            md_cell(f, in->bcases.v[c]);
        md_cell(f, "counted by");
        md_end(f);
        md_rule_text_last(f, 1, in->bcases.n + 2);
        for (size_t t = 0; t < in->btables.n; t++) {
            if (rpt_grid_row_empty(&g, t))
                continue;
            md_cell(f, in->btables.v[t]);
            const char *label = NULL;
            for (size_t c = 0; c < in->bcases.n; c++) {
                md_ratio_cell(f, g.v[t * g.ncols + c], rpt_grid_best(&g, c));
                const rpt_bench_row *r = rpt_bench_find(
                    in, "build", in->bcases.v[c], in->btables.v[t]);
                if (r && r->label && !label)
                    label = r->label;
            }
            if (label && strncmp(label, "mem:", 4) == 0)
                label += 4;
            md_context_value(f, label);
            md_end(f);
        }
        fputc('\n', f);
    }
    free(g.v);
    if (any_error) {
        fputs("Rows that reported an error instead of a number (shown as "
              "—):\n\n",
              f);
        for (size_t i = 0; i < in->nbrows; i++) {
            const rpt_bench_row *r = &in->brows[i];
            if (r->error_message)
                fprintf(f, "- `%s/%s/%s`: %s\n", r->workload, r->cas, r->table,
                        r->error_message);
        }
        fputc('\n', f);
    }
    /* what each row is, from the context */
    const json_t *ctx = json_object_get(in->root, "context");
    bool any_desc = false;
    for (size_t t = 0; t < in->btables.n; t++) {
        char key[192];
        snprintf(key, sizeof key, "table %s", in->btables.v[t]);
        const char *desc = rpt_get_str(ctx, key);
        if (!desc)
            continue;
        if (!any_desc)
            fputs("### The rows\n\n| row | what it is |\n|---|---|\n", f);
        any_desc = true;
        const char *semi = strstr(desc, "; ");
        if (strncmp(desc, "mem:", 4) == 0 && semi)
            desc = semi + 2;
        md_cell(f, in->btables.v[t]);
        md_cell(f, desc);
        md_end(f);
    }
    if (any_desc)
        fputc('\n', f);
    return 0;
}

/* ---- the internbench run sections ------------------------------------ */

static void md_run_cases(FILE *f, const rpt_input *in) {
    fputs("### The cases\n\n", f);
    fputs("| case | strings | unique | unique bytes | key bytes | checked "
          "against |\n",
          f);
    md_rule_text_last(f, 1, 6);
    const json_t *cases = json_object_get(in->root, "cases");
    size_t i;
    const json_t *o;
    json_array_foreach(cases, i, o) {
        char buf[64];
        md_cell(f, rpt_get_str(o, "name"));
        static const char *const keys[] = {"strings", "unique", "unique_bytes",
                                           "key_bytes"};
        for (size_t k = 0; k < 4; k++) {
            double v;
            if (rpt_get_num(o, keys[k], &v))
                snprintf(buf, sizeof buf, "%.0f", v);
            else
                snprintf(buf, sizeof buf, "—");
            md_cell(f, buf);
        }
        const char *from = rpt_get_str(o, "expected_from");
        md_context_value(f, from && strcmp(from, "vector") == 0 ? "its vector"
                            : from ? "a sorted reference"
                                   : NULL);
        md_end(f);
    }
    fputc('\n', f);
}

static void md_identity(FILE *f, const rpt_input *in) {
    fputs("### identity: an equal-string compare, memcmp against a pointer "
          "compare, by length\n\n",
          f);
    double len[64];
    size_t nlen = rpt_identity_lengths(in, len, 64);
    if (nlen == 0) {
        fputs("Not in this input.\n\n", f);
    } else {
        fputs("ns per compare of two equal strings at two addresses; "
              "×speedup = memcmp ÷ pointer. *T* intern: ns per intern (a "
              "hit) of a string of that length in table *T*; break-even: "
              "intern ns ÷ (memcmp ns − pointer ns), the equal-string "
              "compares that repay one intern.\n\n",
              f);
        size_t ncols = 4;
        md_cell(f, "length");
        md_cell(f, "memcmp ns");
        md_cell(f, "pointer ns");
        md_cell(f, "×speedup");
        for (size_t t = 0; t < in->tables.n; t++, ncols++) {
            char h[160];
            snprintf(h, sizeof h, "%s intern ns", in->tables.v[t]);
            md_cell(f, h);
        }
        for (size_t t = 0; t < in->tables.n; t++, ncols++) {
            char h[160];
            snprintf(h, sizeof h, "%s break-even", in->tables.v[t]);
            md_cell(f, h);
        }
        md_end(f);
        md_rule(f, 0, ncols);
        for (size_t k = 0; k < nlen; k++) {
            char param[64], buf[64];
            snprintf(param, sizeof param, "len=%.0f", len[k]);
            const rpt_row *m =
                rpt_find(in, "identity", NULL, "", param, "memcmp_ns");
            const rpt_row *p =
                rpt_find(in, "identity", NULL, "", param, "pointer_ns");
            snprintf(buf, sizeof buf, "%.0f", len[k]);
            md_cell(f, buf);
            md_cell(f, rpt_num(m ? m->value : NAN, buf, sizeof buf));
            md_cell(f, rpt_num(p ? p->value : NAN, buf, sizeof buf));
            md_cell(f,
                    rpt_num(m && p && p->value > 0 ? m->value / p->value : NAN,
                            buf, sizeof buf));
            for (size_t t = 0; t < in->tables.n; t++) {
                const rpt_row *r = rpt_find(
                    in, "identity", NULL, in->tables.v[t], param, "intern_ns");
                md_cell(f, rpt_num(r ? r->value : NAN, buf, sizeof buf));
            }
            for (size_t t = 0; t < in->tables.n; t++) {
                const rpt_row *r =
                    rpt_find(in, "identity", NULL, in->tables.v[t], param,
                             "break_even_compares");
                md_cell(f, rpt_num(r ? r->value : NAN, buf, sizeof buf));
            }
            md_end(f);
        }
        fputc('\n', f);
    }

    fputs("### identity: records sharing keys\n\n", f);
    if (!rpt_find(in, "identity", "records", NULL, NULL, "lookup_speedup")) {
        fputs("Not in this input.\n\n", f);
        return;
    }
    fputs("R records × K keys: a private copy of each key per record, "
          "looked up by hash + memcmp, against one interned string per key "
          "compared by pointer. ns per lookup.\n\n",
          f);
    fputs("| table | records×keys | private strings | private B | interned "
          "strings | interned B | hash+memcmp ns | pointer ns | ×speedup "
          "|\n",
          f);
    md_rule(f, 2, 9);
    static const char *const metrics[] = {
        "private_strings", "private_bytes",     "interned_strings",
        "interned_bytes",  "private_lookup_ns", "interned_lookup_ns",
        "lookup_speedup"};
    for (size_t t = 0; t < in->tables.n; t++) {
        const rpt_row *any = rpt_find(in, "identity", "records",
                                      in->tables.v[t], NULL, "lookup_speedup");
        if (!any)
            continue;
        md_cell(f, in->tables.v[t]);
        md_cell(f, any->param);
        for (size_t k = 0; k < 7; k++) {
            char buf[64];
            const rpt_row *r = rpt_find(in, "identity", "records",
                                        in->tables.v[t], NULL, metrics[k]);
            if (r && k < 4)
                snprintf(buf, sizeof buf, "%.0f", r->value);
            else
                rpt_num(r ? r->value : NAN, buf, sizeof buf);
            md_cell(f, buf);
        }
        md_end(f);
    }
    fputc('\n', f);
}

static void rpt_policy_label(const char *param, char *buf, size_t size) {
    if (strcmp(param, "none") == 0)
        snprintf(buf, size, "no interning");
    else if (strcmp(param, "intern-all") == 0)
        snprintf(buf, size, "intern all");
    else if (strncmp(param, "cpython-", 8) == 0)
        snprintf(buf, size, "CPython %s", param + 8);
    else
        snprintf(buf, size, "%s", param);
}

static void md_policy(FILE *f, const rpt_input *in) {
    fputs("### policy: what interning saves\n\n", f);
    if (!rpt_has_workload(in, "policy")) {
        fputs("Not in this input.\n\n", f);
        return;
    }
    fputs("Each case read as a program's string literals, each compiled "
          "on its own: one object per occurrence (no interning), CPython's "
          "implicit rule per version (from the model; versions with equal "
          "numbers grouped), or one object per distinct string (intern "
          "all). Saved: against no interning.\n\n",
          f);
    fputs("| case | policy | objects | bytes | objects saved | bytes saved "
          "|\n",
          f);
    md_rule(f, 2, 6);
    for (size_t c = 0; c < in->cases.n; c++) {
        const char *cas = in->cases.v[c];
        const rpt_row *none_o =
            rpt_find(in, "policy", cas, "", "none", "objects");
        const rpt_row *none_b =
            rpt_find(in, "policy", cas, "", "none", "bytes");
        /* the params of this case, in order, grouped when equal */
        size_t i = 0;
        while (i < in->nrows) {
            const rpt_row *r = &in->rows[i];
            if (strcmp(r->workload, "policy") != 0 ||
                strcmp(r->cas, cas) != 0 || strcmp(r->metric, "objects") != 0) {
                i++;
                continue;
            }
            const rpt_row *b =
                rpt_find(in, "policy", cas, "", r->param, "bytes");
            /* extend the group over the next equal cpython-* params */
            const rpt_row *last = r;
            size_t j = i + 1;
            if (strncmp(r->param, "cpython-", 8) == 0) {
                for (; j < in->nrows; j++) {
                    const rpt_row *n = &in->rows[j];
                    if (strcmp(n->workload, "policy") != 0 ||
                        strcmp(n->cas, cas) != 0)
                        break;
                    if (strcmp(n->metric, "objects") != 0)
                        continue;
                    const rpt_row *nb =
                        rpt_find(in, "policy", cas, "", n->param, "bytes");
                    if (strncmp(n->param, "cpython-", 8) != 0 ||
                        n->value != r->value ||
                        (nb && b && nb->value != b->value))
                        break;
                    last = n;
                }
            }
            char label[128], buf[64];
            rpt_policy_label(r->param, label, sizeof label);
            if (last != r) {
                size_t at = strlen(label);
                snprintf(label + at, sizeof label - at, "–%s", last->param + 8);
            }
            md_cell(f, cas);
            md_cell(f, label);
            snprintf(buf, sizeof buf, "%.0f", r->value);
            md_cell(f, buf);
            snprintf(buf, sizeof buf, "%.0f", b ? b->value : NAN);
            md_cell(f, b ? buf : "—");
            if (none_o && none_o->value > 0)
                snprintf(buf, sizeof buf, "%.1f %%",
                         100 * (1 - r->value / none_o->value));
            else
                snprintf(buf, sizeof buf, "—");
            md_cell(f, buf);
            if (none_b && b && none_b->value > 0)
                snprintf(buf, sizeof buf, "%.1f %%",
                         100 * (1 - b->value / none_b->value));
            else
                snprintf(buf, sizeof buf, "—");
            md_cell(f, buf);
            md_end(f);
            i = j;
        }
    }
    fputc('\n', f);
}

static void md_smallint(FILE *f, const rpt_input *in) {
    fputs("### the small-int cache\n\n", f);
    if (!rpt_has_workload(in, "smallint")) {
        fputs("Not in this input.\n\n", f);
        return;
    }
    fputs("Boxing ints (16-byte boxes) from three streams: a box per "
          "value, or a preallocated cache of small values (CPython's "
          "−5..256, or −5..1024). ×no cache: the median ns over the "
          "no-cache median.\n\n",
          f);
    fputs("| stream | cache | allocations | bytes | hit rate | ns per box "
          "| ×no cache |\n",
          f);
    md_rule(f, 2, 7);
    for (size_t i = 0; i < in->nrows; i++) {
        const rpt_row *r = &in->rows[i];
        if (strcmp(r->workload, "smallint") != 0 ||
            strcmp(r->metric, "ns_per_box") != 0)
            continue;
        char stream[128], cache[128], buf[64];
        const char *comma = strchr(r->param, ',');
        size_t sl = comma ? (size_t)(comma - r->param) : strlen(r->param);
        snprintf(stream, sizeof stream, "%.*s", (int)sl, r->param);
        const char *c = comma ? comma + 1 : "";
        if (strncmp(c, "cache=", 6) == 0)
            c += 6;
        snprintf(cache, sizeof cache, "%s", *c ? c : "—");
        md_cell(f, stream);
        md_cell(f, cache);
        const rpt_row *a =
            rpt_find(in, "smallint", NULL, NULL, r->param, "allocations");
        const rpt_row *b =
            rpt_find(in, "smallint", NULL, NULL, r->param, "bytes");
        const rpt_row *h =
            rpt_find(in, "smallint", NULL, NULL, r->param, "hit_rate");
        const rpt_row *x =
            rpt_find(in, "smallint", NULL, NULL, r->param, "ns_over_no_cache");
        snprintf(buf, sizeof buf, "%.0f", a ? a->value : NAN);
        md_cell(f, a ? buf : "—");
        snprintf(buf, sizeof buf, "%.0f", b ? b->value : NAN);
        md_cell(f, b ? buf : "—");
        if (h)
            snprintf(buf, sizeof buf, "%.1f %%", 100 * h->value);
        md_cell(f, h ? buf : "—");
        md_cell(f, rpt_num(r->value, buf, sizeof buf));
        if (x)
            snprintf(buf, sizeof buf, "%.2f", x->value);
        md_cell(f, x ? buf : "—");
        md_end(f);
    }
    fputc('\n', f);
}

static int md_run(FILE *f, const rpt_input *in) {
    fprintf(f, "## internbench run (%s)\n\n", in->base);
    fputs("Our tables on each case. Each time is the median of the timed "
          "passes after a warm-up (their min–max is in the JSON); in "
          "parentheses the ratio to the best table of the column, the best "
          "in bold. The floor rows are what no hashing table beats on the "
          "same keys: xxh3 alone, and the hash plus one random read of an "
          "array with a slot per unique string.\n\n",
          f);
    md_run_cases(f, in);
    if (md_run_metric(f, in, "###",
                      "build: ns per string, interning every string of the "
                      "case in file order into an empty table",
                      NULL, "build", "ns_per_string", true) < 0 ||
        md_run_metric(f, in, "###",
                      "hit: ns per string, interning every string "
                      "again, all present",
                      NULL, "hit", "ns_per_op", true) < 0 ||
        md_run_metric(f, in, "###", "miss: ns per lookup of a key known absent",
                      "Each case string with one byte changed; keys that "
                      "happen to be present are skipped.",
                      "miss", "ns_per_op", true) < 0 ||
        md_run_metric(f, in, "###",
                      "memory: bytes per unique string held after the "
                      "build",
                      "All the table holds, from its counting allocator "
                      "(exact), over the case's unique strings.",
                      "memory", "bytes_per_unique", false) < 0 ||
        md_run_metric(f, in, "###",
                      "memory: overhead per unique string beyond its bytes",
                      "Record headers, the index (buckets, slots, nodes) "
                      "and slack, per unique string.",
                      "memory", "overhead_per_unique", false) < 0)
        return -1;
    md_identity(f, in);
    md_policy(f, in);
    md_smallint(f, in);
    return 0;
}

static int md_scaling(FILE *f, rpt_input *ins, size_t nins) {
    fputs("## Scaling\n\n", f);
    static const char *const kinds[] = {"n", "len"};
    for (size_t k = 0; k < 2; k++) {
        fprintf(f, "### %s\n\n",
                k == 0 ? "with n: generated identifiers, 10^3 and up"
                       : "with key length: distinct strings of one length");
        bool any = false;
        for (size_t i = 0; i < nins; i++) {
            const rpt_input *in = &ins[i];
            if (in->kind != RPT_RUN || !in->sweep ||
                strcmp(in->sweep, kinds[k]) != 0)
                continue;
            any = true;
            char title[256];
            snprintf(title, sizeof title, "%s: build, ns per string by %s (%s)",
                     k == 0 ? "n" : "length", k == 0 ? "n" : "key length",
                     in->base);
            if (md_run_metric(f, in, "####", title, NULL, "build",
                              "ns_per_string", true) < 0)
                return -1;
            snprintf(title, sizeof title, "%s: hit, ns per string by %s (%s)",
                     k == 0 ? "n" : "length", k == 0 ? "n" : "key length",
                     in->base);
            if (md_run_metric(f, in, "####", title, NULL, "hit", "ns_per_op",
                              true) < 0)
                return -1;
            snprintf(title, sizeof title,
                     "%s: memory, bytes per unique string by %s (%s)",
                     k == 0 ? "n" : "length", k == 0 ? "n" : "key length",
                     in->base);
            if (md_run_metric(f, in, "####", title, NULL, "memory",
                              "bytes_per_unique", false) < 0)
                return -1;
        }
        if (!any)
            fprintf(f,
                    "Not in this input: run `internbench run --sweep %s "
                    "--json FILE` and pass FILE with `--run`.\n\n",
                    kinds[k]);
    }
    return 0;
}

/* ---- plots ----------------------------------------------------------- */

/* The plots and where each takes its data from; src NULL: no data. */
typedef struct rpt_plots {
    const rpt_input *throughput_n; /* a --sweep n run */
    const rpt_input *ns_len;       /* a --sweep len run, else identity */
    bool ns_len_from_identity;
    const rpt_input *bytes;   /* a bench input, else a run's memory */
    const rpt_input *speedup; /* a run with identity rows */
} rpt_plots;

static void rpt_plots_choose(rpt_plots *p, rpt_input *ins, size_t nins) {
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < nins; i++) {
        const rpt_input *in = &ins[i];
        if (in->kind == RPT_BENCH) {
            bool has = false;
            for (size_t k = 0; k < in->nbrows; k++)
                has |= in->brows[k].has_bytes;
            if (has && (!p->bytes || p->bytes->kind != RPT_BENCH))
                p->bytes = in;
            continue;
        }
        if (in->sweep && strcmp(in->sweep, "n") == 0 && !p->throughput_n &&
            rpt_find(in, "build", NULL, NULL, NULL, "ns_per_string"))
            p->throughput_n = in;
        if (in->sweep && strcmp(in->sweep, "len") == 0 &&
            (!p->ns_len || p->ns_len_from_identity) &&
            rpt_find(in, "build", NULL, NULL, NULL, "ns_per_string")) {
            p->ns_len = in;
            p->ns_len_from_identity = false;
        }
        double len[1];
        if (!in->sweep && rpt_identity_lengths(in, len, 1)) {
            if (!p->speedup)
                p->speedup = in;
            if (!p->ns_len) {
                p->ns_len = in;
                p->ns_len_from_identity = true;
            }
        }
        if (!in->sweep && !p->bytes &&
            rpt_find(in, "memory", NULL, NULL, NULL, "bytes_per_unique"))
            p->bytes = in;
    }
}

static void md_plots(FILE *f, const rpt_plots *p) {
    fputs("## Plots\n\n", f);
    fputs("### throughput against n\n\n", f);
    if (p->throughput_n)
        fprintf(f,
                "![Mstrings/s against n, per table, build and hit "
                "(%s)](throughput-n.svg)\n\n",
                p->throughput_n->base);
    else
        fputs("Not in this input (no `--sweep n` run).\n\n", f);
    fputs("### ns against key length\n\n", f);
    if (p->ns_len && !p->ns_len_from_identity)
        fprintf(f,
                "![ns per string against key length, per table, build and "
                "hit (%s)](ns-length.svg)\n\n",
                p->ns_len->base);
    else if (p->ns_len)
        fprintf(f,
                "![ns per intern (a hit) against key length, per table, "
                "and one memcmp of equal strings (%s; no `--sweep len` "
                "run)](ns-length.svg)\n\n",
                p->ns_len->base);
    else
        fputs("Not in this input.\n\n", f);
    fputs("### bytes per string per table\n\n", f);
    if (p->bytes)
        fprintf(f,
                "![bytes per unique string held after the build, per "
                "table and case (%s)](bytes-per-string.svg)\n\n",
                p->bytes->base);
    else
        fputs("Not in this input.\n\n", f);
    fputs("### speedup against length\n\n", f);
    if (p->speedup)
        fprintf(f,
                "![an equal-string memcmp over a pointer compare, against "
                "length (%s)](speedup-length.svg)\n\n",
                p->speedup->base);
    else
        fputs("Not in this input.\n\n", f);
}

/* A gnuplot single-quoted string: ' doubled. */
static void gp_quote(FILE *f, const char *s) {
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

static void gp_head(FILE *f, const char *dir, const char *name,
                    const char *title, const char *xlabel, const char *ylabel) {
    fputs("set terminal svg size 860,520 font 'sans,13' noenhanced "
          "background rgb 'white'\n",
          f);
    fputs("set output ", f);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gp_quote(f, path);
    fputs("\nset title ", f);
    gp_quote(f, title);
    fputs("\nset xlabel ", f);
    gp_quote(f, xlabel);
    fputs("\nset ylabel ", f);
    gp_quote(f, ylabel);
    fputs("\nset grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
          "set key outside right top box opaque\n"
          "set border 3\nset tics nomirror\n"
          "set datafile missing 'NaN'\n",
          f);
}

/* Log scale on y, whole decades, when the values span more than a
 * factor of 30; else linear from 0. */
static void gp_auto_log_y(FILE *f, double lo, double hi) {
    if (lo > 0 && hi / lo > 30)
        fprintf(f, "set logscale y 10\nset yrange [%.17g:%.17g]\n",
                pow(10, floor(log10(lo))), pow(10, ceil(log10(hi))));
    else
        fputs("set yrange [0:*]\n", f);
}

/* A log x axis just wider than the points, so none sits on the border. */
static void gp_log_xrange(FILE *f, const double *x, size_t n) {
    if (n)
        fprintf(f, "set xrange [%.17g:%.17g]\n", x[0] / 1.3, x[n - 1] * 1.3);
}

/* Explicit x tics at the values present (log axes read better so). */
static void gp_xtics(FILE *f, const double *x, size_t n, bool as_n) {
    fputs("set xtics (", f);
    for (size_t i = 0; i < n; i++) {
        char label[64];
        double e = log10(x[i]);
        if (as_n && x[i] >= 1000 && e == floor(e))
            snprintf(label, sizeof label, "10^%.0f", e);
        else if (x[i] >= 1024 && fmod(x[i], 1024) == 0)
            snprintf(label, sizeof label, "%.0fK", x[i] / 1024);
        else
            snprintf(label, sizeof label, "%.0f", x[i]);
        fprintf(f, "%s'%s' %.17g", i ? ", " : "", label, x[i]);
    }
    fputs(")\n", f);
}

/* The run's sweep cases, ordered by x. */
static size_t rpt_sweep_points(const rpt_input *in, const char **cas, double *x,
                               size_t max) {
    size_t n = 0;
    for (size_t c = 0; c < in->cases.n && n < max; c++) {
        double v = rpt_sweep_x(in, in->cases.v[c]);
        if (isnan(v) || v <= 0)
            continue;
        size_t at = n++;
        while (at > 0 && x[at - 1] > v) {
            x[at] = x[at - 1];
            cas[at] = cas[at - 1];
            at--;
        }
        x[at] = v;
        cas[at] = in->cases.v[c];
    }
    return n;
}

/* Line plot of a sweep run: a column per table × (build, hit). */
static void gp_sweep(FILE *f, const rpt_input *in, bool throughput) {
    const char *cas[64];
    double x[64];
    size_t n = rpt_sweep_points(in, cas, x, 64);
    double lo = INFINITY, hi = 0;
    fputs("$d << EOD\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%.17g", x[i]);
        for (size_t t = 0; t < in->tables.n; t++)
            for (int w = 0; w < 2; w++) {
                const rpt_row *r =
                    rpt_find(in, w ? "hit" : "build", cas[i], in->tables.v[t],
                             NULL, w ? "ns_per_op" : "ns_per_string");
                double v = r ? r->value : NAN;
                if (throughput && !isnan(v))
                    v = v > 0 ? 1000 / v : NAN;
                if (!isnan(v)) {
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
                fprintf(f, " %.17g", v);
            }
        fputc('\n', f);
    }
    fputs("EOD\n", f);
    fputs("set logscale x 10\n", f);
    gp_log_xrange(f, x, n);
    gp_xtics(f, x, n, throughput);
    gp_auto_log_y(f, lo, hi);
    fputs("plot ", f);
    for (size_t t = 0; t < in->tables.n; t++)
        for (int w = 0; w < 2; w++) {
            char title[160];
            snprintf(title, sizeof title, "%s %s", in->tables.v[t],
                     w ? "hit" : "build");
            fprintf(f,
                    "%s$d using 1:%zu with linespoints lw 2 lc %zu dt %d pt "
                    "%d ps 0.8 title ",
                    t || w ? ", \\\n     " : "", 2 + 2 * t + (size_t)w, t + 1,
                    w ? 2 : 1, w ? 6 : 7);
            gp_quote(f, title);
        }
    fputc('\n', f);
}

static void gp_identity_ns(FILE *f, const rpt_input *in) {
    double len[64];
    size_t n = rpt_identity_lengths(in, len, 64);
    fputs("$d << EOD\n", f);
    for (size_t i = 0; i < n; i++) {
        char param[64];
        snprintf(param, sizeof param, "len=%.0f", len[i]);
        fprintf(f, "%.17g", len[i]);
        for (size_t t = 0; t < in->tables.n; t++) {
            const rpt_row *r = rpt_find(in, "identity", NULL, in->tables.v[t],
                                        param, "intern_ns");
            fprintf(f, " %.17g", r ? r->value : NAN);
        }
        const rpt_row *m =
            rpt_find(in, "identity", NULL, "", param, "memcmp_ns");
        fprintf(f, " %.17g\n", m ? m->value : NAN);
    }
    fputs("EOD\nset logscale x 2\nset logscale y 10\n", f);
    gp_log_xrange(f, len, n);
    gp_xtics(f, len, n, false);
    fputs("plot ", f);
    for (size_t t = 0; t < in->tables.n; t++) {
        fprintf(f,
                "%s$d using 1:%zu with linespoints lw 2 lc %zu pt 7 ps 0.8 "
                "title ",
                t ? ", \\\n     " : "", t + 2, t + 1);
        char title[160];
        snprintf(title, sizeof title, "%s intern (hit)", in->tables.v[t]);
        gp_quote(f, title);
    }
    fprintf(f,
            ", \\\n     $d using 1:%zu with linespoints lw 2 lc rgb "
            "'#555555' dt 2 pt 6 ps 0.8 title 'memcmp of equal strings'\n",
            in->tables.n + 2);
}

static void gp_bytes(FILE *f, const rpt_input *in) {
    /* rows: tables; columns: cases */
    const rpt_names *tables =
        in->kind == RPT_BENCH ? &in->btables : &in->tables;
    const rpt_names *cases = in->kind == RPT_BENCH ? &in->bcases : &in->cases;
    double lo = INFINITY, hi = 0;
    fputs("$d << EOD\n", f);
    size_t rows = 0;
    for (size_t t = 0; t < tables->n; t++) {
        if (strstr(tables->v[t], "@fork"))
            continue;
        double v[64];
        bool any = false;
        for (size_t c = 0; c < cases->n && c < 64; c++) {
            v[c] = NAN;
            if (in->kind == RPT_BENCH) {
                const rpt_bench_row *r =
                    rpt_bench_find(in, "build", cases->v[c], tables->v[t]);
                if (r && r->has_bytes && !r->error_message)
                    v[c] = r->bytes_per_string;
            } else {
                const rpt_row *r =
                    rpt_find(in, "memory", cases->v[c], tables->v[t], NULL,
                             "bytes_per_unique");
                if (r)
                    v[c] = r->value;
            }
            if (!isnan(v[c]) && v[c] > 0) {
                any = true;
                lo = v[c] < lo ? v[c] : lo;
                hi = v[c] > hi ? v[c] : hi;
            }
        }
        if (!any)
            continue;
        rows++;
        fputc('"', f);
        fputs(tables->v[t], f);
        fputc('"', f);
        for (size_t c = 0; c < cases->n && c < 64; c++)
            fprintf(f, " %.17g", v[c]);
        fputc('\n', f);
    }
    fputs("EOD\n", f);
    fputs("set style data histograms\n"
          "set style histogram clustered gap 1\n"
          "set style fill solid 0.85 border rgb '#333333'\n"
          "set boxwidth 0.9\n"
          "set xtics rotate by -35 left\n"
          "set grid noxtics nomxtics\n"
          "set key inside left top box opaque\n",
          f);
    gp_auto_log_y(f, lo, hi);
    fputs("plot ", f);
    for (size_t c = 0; c < cases->n && c < 64; c++) {
        fprintf(f, "%s$d using %zu%s title ", c ? ", \\\n     " : "", c + 2,
                c ? "" : ":xtic(1)");
        gp_quote(f, cases->v[c]);
    }
    fputc('\n', f);
    (void)rows;
}

static void gp_speedup(FILE *f, const rpt_input *in) {
    double len[64];
    size_t n = rpt_identity_lengths(in, len, 64);
    double lo = INFINITY, hi = 0;
    fputs("$d << EOD\n", f);
    for (size_t i = 0; i < n; i++) {
        char param[64];
        snprintf(param, sizeof param, "len=%.0f", len[i]);
        const rpt_row *m =
            rpt_find(in, "identity", NULL, "", param, "memcmp_ns");
        const rpt_row *p =
            rpt_find(in, "identity", NULL, "", param, "pointer_ns");
        double v = m && p && p->value > 0 ? m->value / p->value : NAN;
        if (!isnan(v)) {
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        fprintf(f, "%.17g %.17g\n", len[i], v);
    }
    fputs("EOD\nset logscale x 2\n", f);
    gp_log_xrange(f, len, n);
    gp_xtics(f, len, n, false);
    gp_auto_log_y(f, lo, hi);
    fputs("set key inside left top box opaque\n"
          "plot $d using 1:2 with linespoints lw 2 lc 1 pt 7 ps 0.9 title "
          "'memcmp ns / pointer-compare ns'\n",
          f);
}

/* True when an executable gnuplot is on PATH. */
static bool rpt_have_gnuplot(void) {
    const char *path = getenv("PATH");
    if (!path)
        return false;
    const char *p = path;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char file[4096];
        if (n == 0)
            snprintf(file, sizeof file, "./gnuplot");
        else
            snprintf(file, sizeof file, "%.*s/gnuplot", (int)n, p);
        if (access(file, X_OK) == 0)
            return true;
        if (!colon)
            break;
        p = colon + 1;
    }
    return false;
}

/* Runs gnuplot on one script; 0 or -1 with a message naming the plot. */
static int rpt_gnuplot(const char *script, size_t len, const char *dir,
                       const char *name) {
    FILE *p = popen("gnuplot", "w");
    if (!p) {
        fprintf(stderr, "internbench report: %s/%s: cannot start gnuplot: %s\n",
                dir, name, strerror(errno));
        return -1;
    }
    size_t w = fwrite(script, 1, len, p);
    int st = pclose(p);
    if (w != len || st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr,
                "internbench report: %s/%s: gnuplot failed (exit %d); the "
                "Markdown is written, this plot is not\n",
                dir, name, st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return -1;
    }
    return 0;
}

/* Draws every plot with data. 0, or -1 when some plot was not drawn. */
static int rpt_draw(const rpt_plots *p, const char *dir) {
    if (!rpt_have_gnuplot()) {
        fprintf(stderr, "internbench report: gnuplot not found on PATH "
                        "(Debian: gnuplot-nox; harness/bootstrap installs "
                        "it): the Markdown is written, the plots are not\n");
        return -1;
    }
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    int rc = 0;
    for (int k = 0; k < 4; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f) {
            fprintf(stderr, "internbench report: out of memory\n");
            rc = -1;
            break;
        }
        const char *name = NULL;
        if (k == 0 && p->throughput_n) {
            name = "throughput-n.svg";
            gp_head(f, dir, name,
                    "Throughput against n (generated identifiers; higher is "
                    "better)",
                    "n: strings in the case (log scale)",
                    "million strings per second");
            gp_sweep(f, p->throughput_n, true);
        } else if (k == 1 && p->ns_len && !p->ns_len_from_identity) {
            name = "ns-length.svg";
            gp_head(f, dir, name,
                    "Time per string against key length (distinct strings; "
                    "lower is better)",
                    "key length, bytes (log scale)",
                    "ns per string (log scale)");
            gp_sweep(f, p->ns_len, false);
        } else if (k == 1 && p->ns_len) {
            name = "ns-length.svg";
            gp_head(f, dir, name,
                    "One intern (a hit) against key length, beside one "
                    "memcmp",
                    "key length, bytes (log scale)",
                    "ns per operation (log scale)");
            gp_identity_ns(f, p->ns_len);
        } else if (k == 2 && p->bytes) {
            name = "bytes-per-string.svg";
            gp_head(f, dir, name,
                    "Memory: bytes per unique string after the build "
                    "(lower is better)",
                    "", "bytes per unique string");
            gp_bytes(f, p->bytes);
        } else if (k == 3 && p->speedup) {
            name = "speedup-length.svg";
            gp_head(f, dir, name,
                    "Equal strings: memcmp against a pointer compare",
                    "string length, bytes (log scale)",
                    "speedup of the pointer compare (x)");
            gp_speedup(f, p->speedup);
        }
        if (fclose(f) != 0 || !buf) {
            free(buf);
            fprintf(stderr, "internbench report: out of memory\n");
            rc = -1;
            break;
        }
        if (name && rpt_gnuplot(buf, len, dir, name) < 0)
            rc = -1;
        free(buf);
    }
    signal(SIGPIPE, old);
    return rc;
}

/* ---- the page -------------------------------------------------------- */

static int rpt_page(FILE *f, rpt_input *ins, size_t nins,
                    const rpt_plots *plots) {
    fputs("# internbench results\n\n", f);
    fputs("Generated by `internbench report` from the JSON files below "
          "(regenerate: `cmake --workflow --preset bench`, or `internbench "
          "report --run FILE --bench FILE -o DIR`); do not edit by hand. "
          "Every table holds numbers from one input, so every ratio in it "
          "is a same-run ratio; compare rows within a table, not numbers "
          "across machines or runs. The machine has other work running: "
          "medians and ratios are what to read, single absolute times "
          "are not claims.\n\n",
          f);
    md_machine(f, ins, nins);
    for (size_t i = 0; i < nins; i++)
        if (ins[i].kind == RPT_BENCH && md_bench(f, &ins[i]) < 0)
            return -1;
    bool any_run = false;
    for (size_t i = 0; i < nins; i++)
        if (ins[i].kind == RPT_RUN && !ins[i].sweep) {
            any_run = true;
            if (md_run(f, &ins[i]) < 0)
                return -1;
        }
    if (!any_run)
        fputs("## internbench run\n\nNot in this input: run `internbench "
              "run --json FILE` and pass FILE with `--run`.\n\n",
              f);
    if (md_scaling(f, ins, nins) < 0)
        return -1;
    md_plots(f, plots);
    return 0;
}

static int rpt_mkdir(const char *dir) {
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
    }
    return -1;
}

/* One input named on the command line; optional ones (from --from) may
 * be missing, and are left out with a note when they come from another
 * machine than the inputs before them. */
typedef struct rpt_spec {
    char *path; /* owned */
    rpt_kind kind;
    bool optional;
} rpt_spec;

static int rpt_spec_add(rpt_spec *specs, size_t *n, const char *dir,
                        const char *file, rpt_kind kind, bool optional) {
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(file) + 1;
    char *path = malloc(len);
    if (!path)
        return -1;
    snprintf(path, len, "%s%s%s", dir ? dir : "", dir ? "/" : "", file);
    specs[*n].path = path;
    specs[*n].kind = kind;
    specs[*n].optional = optional;
    (*n)++;
    return 0;
}

/* The inputs --from DIR picks when present, in page order. */
static const struct {
    const char *file;
    rpt_kind kind;
} rpt_from_files[] = {{"latest.json", RPT_RUN},
                      {"sweep-n.json", RPT_RUN},
                      {"sweep-len.json", RPT_RUN},
                      {"bench.json", RPT_BENCH}};
#define RPT_FROM_COUNT (sizeof rpt_from_files / sizeof rpt_from_files[0])

int cmd_report(int argc, char **argv) {
    size_t cap = (size_t)argc + RPT_FROM_COUNT * (size_t)argc;
    rpt_spec *specs = calloc(cap, sizeof *specs);
    size_t nspecs = 0;
    const char *dir = "results";
    bool plots = true;
    int rc = CLI_OK;
    if (!specs) {
        fprintf(stderr, "internbench report: out of memory\n");
        return CLI_USAGE;
    }
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            report_usage(stdout);
            rc = -1;
        } else if (strcmp(a, "--no-plots") == 0) {
            plots = false;
        } else if (strcmp(a, "--run") == 0 || strcmp(a, "--bench") == 0 ||
                   strcmp(a, "--from") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "internbench report: %s wants a value\n", a);
                rc = CLI_USAGE;
                break;
            }
            const char *v = argv[++i];
            int added = 0;
            if (strcmp(a, "--run") == 0)
                added = rpt_spec_add(specs, &nspecs, NULL, v, RPT_RUN, false);
            else if (strcmp(a, "--bench") == 0)
                added = rpt_spec_add(specs, &nspecs, NULL, v, RPT_BENCH, false);
            else if (strcmp(a, "--from") == 0)
                for (size_t k = 0; k < RPT_FROM_COUNT && added == 0; k++)
                    added =
                        rpt_spec_add(specs, &nspecs, v, rpt_from_files[k].file,
                                     rpt_from_files[k].kind, true);
            else
                dir = v;
            if (added < 0) {
                fprintf(stderr, "internbench report: out of memory\n");
                rc = CLI_USAGE;
            }
        } else {
            fprintf(stderr, "internbench report: unknown argument '%s'\n", a);
            rc = CLI_USAGE;
        }
    }
    /* optional inputs that are absent are simply not there */
    size_t kept = 0;
    for (size_t i = 0; i < nspecs; i++) {
        if (specs[i].optional && access(specs[i].path, F_OK) != 0) {
            free(specs[i].path);
            continue;
        }
        specs[kept++] = specs[i];
    }
    nspecs = kept;
    if (rc == CLI_OK && nspecs == 0) {
        fprintf(stderr, "internbench report: no input: give --run FILE, "
                        "--bench FILE or --from DIR (with latest.json, "
                        "sweep-n.json, sweep-len.json or bench.json)\n");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        if (rc != -1)
            report_usage(stderr);
        for (size_t i = 0; i < nspecs; i++)
            free(specs[i].path);
        free(specs);
        return rc == -1 ? CLI_OK : rc;
    }

    /* runs first, then google-benchmark files, each in the given order */
    rpt_input *ins = calloc(nspecs, sizeof *ins);
    size_t nins = 0;
    rpt_err[0] = '\0';
    if (!ins)
        rpt_fail("out of memory");
    for (int pass = 0; ins && pass < 2 && !rpt_err[0]; pass++)
        for (size_t i = 0; i < nspecs && !rpt_err[0]; i++) {
            if (specs[i].kind != (pass ? RPT_BENCH : RPT_RUN))
                continue;
            rpt_input *in = &ins[nins++];
            if (rpt_input_load(in, specs[i].path, specs[i].kind) < 0)
                break;
            for (size_t j = 0; j + 1 < nins && !rpt_err[0]; j++) {
                if (rpt_same_machine(&ins[j], in) == 0)
                    continue;
                if (!specs[i].optional)
                    break;
                /* --from: leave it out, and say so */
                fprintf(stderr, "internbench report: left out %s\n", rpt_err);
                rpt_err[0] = '\0';
                rpt_input_free(in);
                nins--;
                break;
            }
        }
    char *page = NULL;
    size_t page_len = 0;
    rpt_plots chosen;
    if (!rpt_err[0]) {
        rpt_plots_choose(&chosen, ins, nins);
        FILE *f = open_memstream(&page, &page_len);
        if (!f)
            rpt_fail("out of memory");
        else if (rpt_page(f, ins, nins, &chosen) < 0 || ferror(f)) {
            fclose(f);
            rpt_fail("out of memory");
        } else if (fclose(f) != 0) {
            rpt_fail("out of memory");
        }
    }
    if (!rpt_err[0]) {
        char path[4096], tmp[4200];
        snprintf(path, sizeof path, "%s/README.md", dir);
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *out = NULL;
        if (rpt_mkdir(dir) < 0) {
            rpt_fail("%s: cannot create the directory: %s", dir,
                     strerror(errno));
        } else if (!(out = fopen(tmp, "w"))) {
            rpt_fail("%s: cannot write: %s", tmp, strerror(errno));
        } else {
            size_t w = fwrite(page, 1, page_len, out);
            int closed = fclose(out);
            if (w != page_len || closed != 0) {
                rpt_fail("%s: cannot write: %s", tmp, strerror(errno));
                remove(tmp);
            } else if (rename(tmp, path) != 0) {
                rpt_fail("%s: cannot write: %s", path, strerror(errno));
                remove(tmp);
            }
        }
    }
    if (rpt_err[0]) {
        fprintf(stderr, "internbench report: %s\n", rpt_err);
        rc = CLI_USAGE;
    } else {
        printf("internbench report: wrote %s/README.md from %zu input%s\n", dir,
               nins, nins == 1 ? "" : "s");
        if (plots && rpt_draw(&chosen, dir) < 0)
            rc = CLI_FAILED;
        else if (plots)
            printf("internbench report: plots drawn in %s\n", dir);
    }
    free(page);
    for (size_t i = 0; i < nins; i++)
        rpt_input_free(&ins[i]);
    free(ins);
    for (size_t i = 0; i < nspecs; i++)
        free(specs[i].path);
    free(specs);
    return rc;
}
