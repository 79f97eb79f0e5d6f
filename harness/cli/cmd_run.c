/* cmd_run.c: internbench run: every table over the cases, by workload,
 * checked against the vectors; tables on stdout, JSON, CSV and Markdown
 * on request. The workloads are in harness/src/measure*.c (measure.h);
 * this file selects, orders, checks and formats. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_case.h"
#include "internbench/gen.h"
#include "internbench/measure.h"
#include "internbench/vector.h"

#ifndef INTERNBENCH_SOURCE_DIR
#define INTERNBENCH_SOURCE_DIR ""
#endif
#ifndef INTERNBENCH_GIT_COMMIT
#define INTERNBENCH_GIT_COMMIT ""
#endif
#ifndef INTERNBENCH_BUILD_TYPE
#define INTERNBENCH_BUILD_TYPE ""
#endif
#ifndef INTERNBENCH_C_FLAGS
#define INTERNBENCH_C_FLAGS ""
#endif
#ifndef INTERNBENCH_VERSION
#define INTERNBENCH_VERSION ""
#endif

#define RUN_FORMAT "internbench-run v1"

/* The default case set: shipped corpora of short, medium and long
 * strings, and one generated case with Zipf-distributed repeats. */
static const char *const run_default_cases[] = {
    "python-identifiers", "english-words",      "json-keys",
    "debian-file-paths",  "long-license-texts", "gen-zipf",
};
#define RUN_DEFAULT_CASE_COUNT                                                 \
    (sizeof run_default_cases / sizeof run_default_cases[0])

/* The lengths of the identity compare and of --sweep len. */
static const size_t run_lengths[] = {1,   4,    8,    16,    32,   64,
                                     256, 1024, 4096, 16384, 65536};
#define RUN_LENGTH_COUNT (sizeof run_lengths / sizeof run_lengths[0])

enum {
    RUN_W_BUILD,
    RUN_W_HIT,
    RUN_W_MISS,
    RUN_W_MEMORY,
    RUN_W_FLOOR,
    RUN_W_IDENTITY,
    RUN_W_POLICY,
    RUN_W_SMALLINT,
    RUN_W_COUNT
};
static const char *const run_workload_names[RUN_W_COUNT] = {
    "build", "hit",      "miss",   "memory",
    "floor", "identity", "policy", "smallint"};

/* One case given on the command line: a --case spec or a --lines file. */
typedef struct run_case_spec {
    const char *value;
    bool lines;
    gen_spec gen; /* for --sweep len: a generated case of one length */
    bool has_gen;
    char name[128];
} run_case_spec;

/* ---- grids: the human tables, as text or Markdown -------------------- */

/* A table of cells; row 0 is the header. Invariant: cells holds nrows *
 * ncols strings (owned), right[c] says column c is numeric. */
typedef struct run_grid {
    char title[256];
    char note[1024];
    size_t ncols, nrows, cap;
    char **cells;
    bool right[16];
} run_grid;

static bool run_oom;

static char *run_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) {
        run_oom = true;
        return NULL;
    }
    memcpy(p, s, n);
    return p;
}

static void run_grid_init(run_grid *g, const char *title, size_t ncols,
                          const char *const *head) {
    memset(g, 0, sizeof *g);
    snprintf(g->title, sizeof g->title, "%s", title);
    g->ncols = ncols;
    for (size_t c = 2; c < ncols && c < 16; c++)
        g->right[c] = true;
    g->cap = 16;
    g->cells = calloc(g->cap * ncols, sizeof *g->cells);
    if (!g->cells) {
        run_oom = true;
        g->cap = 0;
        return;
    }
    for (size_t c = 0; c < ncols; c++)
        g->cells[c] = run_strdup(head[c]);
    g->nrows = 1;
}

/* Adds a row of ncols cells. */
static void run_grid_row(run_grid *g, const char *const *cells) {
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        char **nc = realloc(g->cells, cap * g->ncols * sizeof *nc);
        if (!nc) {
            run_oom = true;
            return;
        }
        g->cells = nc;
        g->cap = cap;
    }
    for (size_t c = 0; c < g->ncols; c++)
        g->cells[g->nrows * g->ncols + c] = run_strdup(cells[c]);
    g->nrows++;
}

static void run_grid_free(run_grid *g) {
    for (size_t i = 0; i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    g->cells = NULL;
    g->nrows = 0;
}

static const char *run_cell(const run_grid *g, size_t r, size_t c) {
    const char *s = g->cells[r * g->ncols + c];
    return s ? s : "";
}

/* The display width of UTF-8 text: its code points. */
static size_t run_width(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void run_pad(FILE *out, size_t n) {
    while (n--)
        fputc(' ', out);
}

static void run_grid_text(const run_grid *g, FILE *out) {
    if (g->nrows <= 1)
        return;
    size_t w[16] = {0};
    size_t nc = g->ncols < 16 ? g->ncols : 16;
    for (size_t r = 0; r < g->nrows; r++)
        for (size_t c = 0; c < nc; c++) {
            size_t n = run_width(run_cell(g, r, c));
            if (n > w[c])
                w[c] = n;
        }
    fprintf(out, "\n%s\n", g->title);
    for (size_t r = 0; r < g->nrows; r++) {
        for (size_t c = 0; c < nc; c++) {
            const char *s = run_cell(g, r, c);
            size_t pad = w[c] - run_width(s);
            if (c)
                fputs("  ", out);
            if (g->right[c])
                run_pad(out, pad);
            fputs(s, out);
            if (!g->right[c] && c + 1 < nc)
                run_pad(out, pad);
        }
        fputc('\n', out);
        if (r == 0) {
            size_t total = 0;
            for (size_t c = 0; c < nc; c++)
                total += w[c] + (c ? 2 : 0);
            for (size_t k = 0; k < total; k++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
    if (g->note[0])
        fprintf(out, "%s\n", g->note);
}

static void run_grid_md(const run_grid *g, FILE *out) {
    if (g->nrows <= 1)
        return;
    fprintf(out, "\n### %s\n\n", g->title);
    for (size_t r = 0; r < g->nrows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < g->ncols; c++)
            fprintf(out, " %s |", run_cell(g, r, c));
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < g->ncols; c++)
                fputs(c < 16 && g->right[c] ? "--:|" : "---|", out);
            fputc('\n', out);
        }
    }
    if (g->note[0])
        fprintf(out, "\n%s\n", g->note);
}

/* ---- the run's state ------------------------------------------------- */

typedef struct run_state {
    const intern_table_info **tables;
    size_t ntables;
    bool workload[RUN_W_COUNT];
    int reps;
    uint64_t records, keys;
    bool progress;
    json_t *results;  /* array of result rows */
    json_t *cases;    /* array of case descriptions */
    json_t *failures; /* array of strings */
    run_grid grids[32];
    size_t ngrids;
    FILE *md;
    int failed;
    /* progress */
    const char *cur_table;
    const char *cur_case;
} run_state;

static void run_json_set(json_t *o, const char *key, json_t *v) {
    if (!v || json_object_set_new(o, key, v) != 0)
        run_oom = true;
}

static void run_json_push(json_t *a, json_t *v) {
    if (!v || json_array_append_new(a, v) != 0)
        run_oom = true;
}

static void run_progress(void *ctx, const char *what, int rep, int reps) {
    run_state *st = ctx;
    if (!st->progress)
        return;
    fprintf(stderr, "\r\033[K%s %s × %s: %s %d/%d", "run",
            st->cur_table ? st->cur_table : "",
            st->cur_case ? st->cur_case : "", what, rep, reps);
    fflush(stderr);
}

static void run_progress_text(run_state *st, const char *text) {
    if (!st->progress)
        return;
    fprintf(stderr, "\r\033[Krun: %s", text);
    fflush(stderr);
}

static void run_progress_clear(run_state *st) {
    if (st->progress) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}

/* Records a failed check: printed at once, listed in the JSON. */
static void run_failure(run_state *st, const char *fmt, const char *a,
                        const char *b, const char *c) {
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b, c);
    run_progress_clear(st);
    printf("MISMATCH %s\n", msg);
    fflush(stdout);
    run_json_push(st->failures, json_string(msg));
    st->failed = 1;
}

/* One result row. table and param may be "" (not applicable); s (timed)
 * may be NULL; ratio < 0: none; checksum_set false: none. */
static void run_row(run_state *st, const char *workload, const char *cname,
                    const char *table, const char *param, const char *metric,
                    const char *unit, double value, const measure_sample *s,
                    double ratio, bool checksum_set, uint64_t checksum) {
    json_t *o = json_object();
    if (!o) {
        run_oom = true;
        return;
    }
    run_json_set(o, "workload", json_string(workload));
    run_json_set(o, "case", json_string(cname));
    run_json_set(o, "table", json_string(table));
    run_json_set(o, "param", json_string(param));
    run_json_set(o, "metric", json_string(metric));
    run_json_set(o, "unit", json_string(unit));
    run_json_set(o, "value", json_real(s ? s->median : value));
    if (s) {
        run_json_set(o, "min", json_real(s->min));
        run_json_set(o, "max", json_real(s->max));
        run_json_set(o, "reps", json_integer(s->reps));
    }
    if (ratio >= 0)
        run_json_set(o, "ratio_to_best", json_real(ratio));
    if (checksum_set) {
        char hex[24];
        snprintf(hex, sizeof hex, "%016" PRIx64, checksum);
        run_json_set(o, "checksum", json_string(hex));
    }
    run_json_push(st->results, o);
}

static run_grid *run_grid_new(run_state *st, const char *title, size_t ncols,
                              const char *const *head) {
    if (st->ngrids == sizeof st->grids / sizeof st->grids[0])
        return NULL;
    run_grid *g = &st->grids[st->ngrids++];
    run_grid_init(g, title, ncols, head);
    return g;
}

/* Prints a finished grid on stdout (and keeps it for --md). */
static void run_grid_done(run_state *st, run_grid *g) {
    if (!g)
        return;
    run_progress_clear(st);
    run_grid_text(g, stdout);
    fflush(stdout);
}

/* Number formatting for the grids. */
static void run_fmt(char *buf, size_t cap, double v) {
    if (!isfinite(v))
        snprintf(buf, cap, "-");
    else if (v >= 100)
        snprintf(buf, cap, "%.0f", v);
    else if (v >= 10)
        snprintf(buf, cap, "%.1f", v);
    else
        snprintf(buf, cap, "%.2f", v);
}

static void run_fmt_spread(char *buf, size_t cap, const measure_sample *s) {
    char a[28], b[28];
    run_fmt(a, sizeof a, s->min);
    run_fmt(b, sizeof b, s->max);
    snprintf(buf, cap, "%s–%s", a, b);
}

static void run_fmt_u64(char *buf, size_t cap, uint64_t v) {
    snprintf(buf, cap, "%" PRIu64, v);
}

static void run_fmt_ratio(char *buf, size_t cap, double r) {
    if (!isfinite(r))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.2f", r);
}

static long run_peak_rss_kib(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss; /* KiB on Linux */
}

/* ---- per case --------------------------------------------------------- */

/* What the per-case phase keeps for its grids. */
typedef struct run_case_grids {
    run_grid *build, *hit, *miss, *memory, *floor, *policy;
} run_case_grids;

static void run_case_name(const char *spec, char *buf, size_t cap) {
    const char *base = strrchr(spec, '/');
    base = base ? base + 1 : spec;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".case") == 0)
        n -= 5;
    snprintf(buf, cap, "%.*s", (int)n, base);
}

static bool run_is_file(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int run_gen_append(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

/* Loads one case; CLI_OK or CLI_USAGE (printed). */
static int run_case_load(const run_case_spec *cs, const char *cases_dir,
                         case_data *d) {
    if (cs->has_gen) {
        case_data_init(d, NULL);
        case_error err;
        if (gen_run(&cs->gen, run_gen_append, d, &err) != CASE_OK) {
            fprintf(stderr, "internbench run: %s: %s\n", cs->name, err.message);
            return CLI_USAGE;
        }
        return CLI_OK;
    }
    cli_case_arg arg = {0};
    arg.cases_dir = cases_dir;
    if (cs->lines)
        arg.lines = cs->value;
    else
        arg.spec = cs->value;
    return cli_case_load(&arg, d, NULL);
}

/* Runs the per-case workloads of one case. CLI_OK, CLI_USAGE (bad input)
 * or CLI_FAILED (out of memory); failed checks are recorded in st. */
static int run_one_case(run_state *st, const run_case_spec *cs,
                        const char *cases_dir, const char *vectors_dir,
                        run_case_grids *g) {
    const char *cname = cs->name;
    st->cur_case = cname;
    st->cur_table = "";
    run_progress_text(st, cname);
    case_data d;
    int rc = run_case_load(cs, cases_dir, &d);
    if (rc != CLI_OK) {
        case_data_free(&d);
        return rc;
    }
    measure_ref ref;
    if (measure_ref_build(&d, &ref) != 0) {
        case_data_free(&d);
        fprintf(stderr, "internbench run: out of memory\n");
        return CLI_FAILED;
    }
    /* what the tables must reproduce: the case's vector when it has one
     * (checked against the reference too), else the reference */
    uint64_t want_unique = ref.unique, want_digest = ref.digest;
    const char *expected_from = "reference";
    char vpath[4400];
    snprintf(vpath, sizeof vpath, "%s/%s.vec", vectors_dir, cname);
    if (!cs->lines && !cs->has_gen && run_is_file(vpath)) {
        intern_vector v;
        char msg[512];
        if (vector_read(vpath, &v, msg, sizeof msg) != 0) {
            fprintf(stderr, "%s\n", msg);
            measure_ref_free(&ref);
            case_data_free(&d);
            return CLI_USAGE;
        }
        expected_from = "vector";
        want_unique = v.unique;
        want_digest = v.digest;
        char a[64], b[64];
        if (v.strings != d.count) {
            snprintf(a, sizeof a, "%" PRIu64, v.strings);
            snprintf(b, sizeof b, "%zu", d.count);
            run_failure(st, "case %s, vector: strings: expected %s, got %s",
                        cname, a, b);
        }
        if (v.unique != ref.unique || v.digest != ref.digest) {
            snprintf(a, sizeof a, "%" PRIu64 "/%016" PRIx64, v.unique,
                     v.digest);
            snprintf(b, sizeof b, "%zu/%016" PRIx64, ref.unique, ref.digest);
            run_failure(st,
                        "case %s, reference: unique/digest: expected %s, "
                        "got %s",
                        cname, a, b);
        }
    }
    uint64_t key_bytes = 0;
    for (size_t i = 0; i < d.count; i++)
        key_bytes += d.len[i];

    measure_miss_keys miss;
    bool want_miss = st->workload[RUN_W_MISS];
    if (want_miss && measure_miss_keys_make(&d, &ref, &miss) != 0) {
        measure_miss_keys_free(&miss);
        measure_ref_free(&ref);
        case_data_free(&d);
        fprintf(stderr, "internbench run: out of memory\n");
        return CLI_FAILED;
    }

    bool any_table = st->workload[RUN_W_BUILD] || st->workload[RUN_W_HIT] ||
                     want_miss || st->workload[RUN_W_MEMORY] ||
                     st->workload[RUN_W_FLOOR];
    measure_table_result *res = calloc(st->ntables, sizeof *res);
    bool *ok = calloc(st->ntables, sizeof *ok);
    if (!res || !ok) {
        free(res);
        free(ok);
        if (want_miss)
            measure_miss_keys_free(&miss);
        measure_ref_free(&ref);
        case_data_free(&d);
        return CLI_FAILED;
    }
    measure_options opt = {st->reps,
                           st->workload[RUN_W_BUILD],
                           st->workload[RUN_W_HIT] || st->workload[RUN_W_FLOOR],
                           want_miss,
                           run_progress,
                           st};
    for (size_t t = 0; any_table && t < st->ntables; t++) {
        const intern_ops *ops = st->tables[t]->ops;
        st->cur_table = ops->name;
        if (measure_table_case(ops, &d, want_miss ? &miss : NULL, want_unique,
                               want_digest, &opt, &res[t]) != 0) {
            run_failure(st, "case %s, table %s: %s", cname, ops->name,
                        res[t].error);
        } else {
            ok[t] = true;
        }
    }
    st->cur_table = "";
    measure_floor_result fl;
    bool have_floor = false;
    if (st->workload[RUN_W_FLOOR]) {
        run_progress_text(st, "floor");
        if (measure_floor(&d, ref.unique, st->reps, &fl) != 0) {
            fprintf(stderr, "internbench run: out of memory\n");
            rc = CLI_FAILED;
        } else {
            have_floor = true;
        }
    }
    long rss = run_peak_rss_kib();

    /* best medians across the tables, for the ratios */
    double best_build = INFINITY, best_hit = INFINITY, best_miss = INFINITY,
           best_mem = INFINITY;
    for (size_t t = 0; t < st->ntables; t++) {
        if (!ok[t])
            continue;
        best_build = fmin(best_build, res[t].build.median);
        best_hit = fmin(best_hit, res[t].hit.median);
        best_miss = fmin(best_miss, res[t].miss.median);
        best_mem = fmin(best_mem, (double)res[t].alloc_bytes);
    }
    char c1[64], c2[64], c3[64], c4[64], c5[64], c6[64], c7[64], c8[64], c9[64],
        c10[64];
    double mb = (double)key_bytes / 1e6, nstr = (double)d.count;
    for (size_t t = 0; t < st->ntables; t++) {
        if (!ok[t])
            continue;
        const char *tn = st->tables[t]->ops->name;
        const measure_table_result *r = &res[t];
        if (st->workload[RUN_W_BUILD]) {
            double ratio = r->build.median / best_build;
            double secs = r->build.median * nstr / 1e9;
            run_row(st, "build", cname, tn, "", "ns_per_string", "ns", 0,
                    &r->build, ratio, true, r->build_checksum);
            run_row(st, "build", cname, tn, "", "mstrings_per_s", "M/s",
                    secs > 0 ? nstr / 1e6 / secs : 0, NULL, -1, false, 0);
            run_row(st, "build", cname, tn, "", "mb_per_s", "MB/s",
                    secs > 0 ? mb / secs : 0, NULL, -1, false, 0);
            run_fmt(c1, sizeof c1, r->build.median);
            run_fmt_spread(c2, sizeof c2, &r->build);
            run_fmt(c3, sizeof c3, secs > 0 ? nstr / 1e6 / secs : 0);
            run_fmt(c4, sizeof c4, secs > 0 ? mb / secs : 0);
            run_fmt_ratio(c5, sizeof c5, ratio);
            run_fmt_u64(c6, sizeof c6, d.count);
            run_fmt_u64(c7, sizeof c7, r->unique);
            const char *row[] = {cname, tn, c6, c7, c1, c2, c3, c4, c5};
            run_grid_row(g->build, row);
        }
        if (st->workload[RUN_W_HIT]) {
            double ratio = r->hit.median / best_hit;
            run_row(st, "hit", cname, tn, "", "ns_per_op", "ns", 0, &r->hit,
                    ratio, true, r->hit_checksum);
            run_fmt(c1, sizeof c1, r->hit.median);
            run_fmt_spread(c2, sizeof c2, &r->hit);
            run_fmt_ratio(c3, sizeof c3, ratio);
            run_fmt_u64(c6, sizeof c6, d.count);
            const char *row[] = {cname, tn, c6, c1, c2, c3};
            run_grid_row(g->hit, row);
        }
        if (want_miss) {
            double ratio = r->miss.median / best_miss;
            run_row(st, "miss", cname, tn, "", "ns_per_op", "ns", 0, &r->miss,
                    ratio, true, r->miss_checksum);
            run_fmt(c1, sizeof c1, r->miss.median);
            run_fmt_spread(c2, sizeof c2, &r->miss);
            run_fmt_ratio(c3, sizeof c3, ratio);
            run_fmt_u64(c6, sizeof c6, miss.keys.count);
            run_fmt_u64(c7, sizeof c7,
                        miss.skipped_present + miss.skipped_empty);
            const char *row[] = {cname, tn, c6, c7, c1, c2, c3};
            run_grid_row(g->miss, row);
        }
        if (st->workload[RUN_W_MEMORY]) {
            const intern_stats *s = &r->stats;
            double u = r->unique ? (double)r->unique : 1;
            double per = (double)r->alloc_bytes / u;
            double over = (double)(r->alloc_bytes - s->payload_bytes) / u;
            double ratio = (double)r->alloc_bytes / best_mem;
            run_row(st, "memory", cname, tn, "", "total_bytes", "B",
                    (double)r->alloc_bytes, NULL, ratio, false, 0);
            run_row(st, "memory", cname, tn, "", "bytes_per_unique", "B", per,
                    NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "overhead_per_unique", "B",
                    over, NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "payload_bytes", "B",
                    (double)s->payload_bytes, NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "header_bytes", "B",
                    (double)s->header_bytes, NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "index_bytes", "B",
                    (double)s->index_bytes, NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "slack_bytes", "B",
                    (double)s->slack_bytes, NULL, -1, false, 0);
            run_row(st, "memory", cname, tn, "", "peak_rss_kib", "KiB",
                    (double)rss, NULL, -1, false, 0);
            run_fmt_u64(c1, sizeof c1, r->unique);
            run_fmt_u64(c2, sizeof c2, r->alloc_bytes);
            run_fmt(c3, sizeof c3, per);
            run_fmt(c4, sizeof c4, over);
            run_fmt(c5, sizeof c5, (double)s->header_bytes / u);
            run_fmt(c6, sizeof c6, (double)s->index_bytes / u);
            run_fmt(c7, sizeof c7, (double)s->slack_bytes / u);
            run_fmt_ratio(c8, sizeof c8, ratio);
            snprintf(c9, sizeof c9, "%.1f", (double)rss / 1024.0);
            const char *row[] = {cname, tn, c1, c2, c3, c4, c5, c6, c7, c8, c9};
            run_grid_row(g->memory, row);
        }
        if (have_floor) {
            double hr = r->hit.median / fl.access.median;
            double br = st->workload[RUN_W_BUILD]
                            ? r->build.median / fl.access.median
                            : NAN;
            run_row(st, "floor", cname, tn, "", "hit_over_floor", "x", hr, NULL,
                    -1, false, 0);
            if (st->workload[RUN_W_BUILD])
                run_row(st, "floor", cname, tn, "", "build_over_floor", "x", br,
                        NULL, -1, false, 0);
            run_fmt(c1, sizeof c1, fl.hash.median);
            run_fmt(c2, sizeof c2, fl.access.median);
            run_fmt(c3, sizeof c3, r->hit.median);
            run_fmt_ratio(c4, sizeof c4, hr);
            run_fmt(c5, sizeof c5,
                    st->workload[RUN_W_BUILD] ? r->build.median : NAN);
            run_fmt_ratio(c6, sizeof c6, br);
            const char *row[] = {cname, tn, c1, c2, c3, c4, c5, c6};
            run_grid_row(g->floor, row);
        }
    }
    if (have_floor) {
        run_row(st, "floor", cname, "", "", "hash_ns_per_string", "ns", 0,
                &fl.hash, -1, true, fl.hash_checksum);
        run_row(st, "floor", cname, "", "", "access_ns_per_string", "ns", 0,
                &fl.access, -1, true, fl.access_checksum);
    }
    if (st->workload[RUN_W_POLICY]) {
        measure_policy_result none, all, pr;
        measure_policy_none(&ref, &none);
        measure_policy_all(&ref, &all);
        size_t nv;
        const cpython_version *vs = cpython_versions(&nv);
        /* rows: none, CPython versions grouped where the numbers agree,
         * intern-all */
        run_row(st, "policy", cname, "", "none", "objects", "objects",
                (double)none.objects, NULL, -1, false, 0);
        run_row(st, "policy", cname, "", "none", "bytes", "B",
                (double)none.bytes, NULL, -1, false, 0);
        run_fmt_u64(c1, sizeof c1, none.objects);
        run_fmt_u64(c2, sizeof c2, none.bytes);
        const char *row0[] = {cname, "no interning", c1, c2, "100.0", "100.0"};
        run_grid_row(g->policy, row0);
        size_t first = 0;
        measure_policy_result prev = {0, 0};
        for (size_t i = 0; i <= nv; i++) {
            if (i < nv) {
                measure_policy_cpython(&ref, &vs[i], &pr);
                char param[64];
                snprintf(param, sizeof param, "cpython-%s", vs[i].name);
                run_row(st, "policy", cname, "", param, "objects", "objects",
                        (double)pr.objects, NULL, -1, false, 0);
                run_row(st, "policy", cname, "", param, "bytes", "B",
                        (double)pr.bytes, NULL, -1, false, 0);
            }
            if (i > 0 && (i == nv || pr.objects != prev.objects ||
                          pr.bytes != prev.bytes)) {
                if (first == i - 1)
                    snprintf(c10, sizeof c10, "CPython %s", vs[first].name);
                else
                    snprintf(c10, sizeof c10, "CPython %s–%s", vs[first].name,
                             vs[i - 1].name);
                run_fmt_u64(c1, sizeof c1, prev.objects);
                run_fmt_u64(c2, sizeof c2, prev.bytes);
                snprintf(c3, sizeof c3, "%.1f",
                         none.objects ? 100.0 * (double)prev.objects /
                                            (double)none.objects
                                      : 0);
                snprintf(c4, sizeof c4, "%.1f",
                         none.bytes
                             ? 100.0 * (double)prev.bytes / (double)none.bytes
                             : 0);
                const char *row[] = {cname, c10, c1, c2, c3, c4};
                run_grid_row(g->policy, row);
                first = i;
            }
            prev = pr;
        }
        run_row(st, "policy", cname, "", "intern-all", "objects", "objects",
                (double)all.objects, NULL, -1, false, 0);
        run_row(st, "policy", cname, "", "intern-all", "bytes", "B",
                (double)all.bytes, NULL, -1, false, 0);
        run_fmt_u64(c1, sizeof c1, all.objects);
        run_fmt_u64(c2, sizeof c2, all.bytes);
        snprintf(c3, sizeof c3, "%.1f",
                 none.objects
                     ? 100.0 * (double)all.objects / (double)none.objects
                     : 0);
        snprintf(c4, sizeof c4, "%.1f",
                 none.bytes ? 100.0 * (double)all.bytes / (double)none.bytes
                            : 0);
        const char *row1[] = {cname, "intern all", c1, c2, c3, c4};
        run_grid_row(g->policy, row1);
    }

    json_t *jc = json_object();
    if (!jc) {
        run_oom = true;
    } else {
        char hex[24];
        snprintf(hex, sizeof hex, "%016" PRIx64, want_digest);
        run_json_set(jc, "name", json_string(cname));
        run_json_set(jc, "source",
                     json_string(cs->lines     ? "lines"
                                 : cs->has_gen ? "generated"
                                               : "case"));
        run_json_set(jc, "strings", json_integer((json_int_t)d.count));
        run_json_set(jc, "unique", json_integer((json_int_t)ref.unique));
        run_json_set(jc, "unique_bytes",
                     json_integer((json_int_t)ref.unique_bytes));
        run_json_set(jc, "key_bytes", json_integer((json_int_t)key_bytes));
        run_json_set(jc, "digest", json_string(hex));
        run_json_set(jc, "expected_from", json_string(expected_from));
        if (want_miss) {
            run_json_set(jc, "miss_keys",
                         json_integer((json_int_t)miss.keys.count));
            run_json_set(jc, "miss_skipped_present",
                         json_integer((json_int_t)miss.skipped_present));
            run_json_set(jc, "miss_skipped_empty",
                         json_integer((json_int_t)miss.skipped_empty));
        }
        if (have_floor)
            run_json_set(jc, "floor_slots", json_integer((json_int_t)fl.slots));
        run_json_set(jc, "peak_rss_kib", json_integer(rss));
        json_t *verified = json_object();
        for (size_t t = 0; verified && t < st->ntables && any_table; t++)
            run_json_set(verified, st->tables[t]->ops->name,
                         json_boolean(ok[t]));
        run_json_set(jc, "verified", verified);
        run_json_push(st->cases, jc);
    }
    free(res);
    free(ok);
    if (want_miss)
        measure_miss_keys_free(&miss);
    measure_ref_free(&ref);
    case_data_free(&d);
    return rc;
}

/* Runs the per-case workloads over cs[0..n), one set of grids. */
static int run_cases(run_state *st, const run_case_spec *cs, size_t n,
                     const char *cases_dir, const char *vectors_dir,
                     const char *label) {
    run_case_grids g = {0};
    char title[256];
    if (st->workload[RUN_W_BUILD]) {
        static const char *const h[] = {"case",   "table",  "strings",
                                        "unique", "ns/str", "min–max",
                                        "Mstr/s", "MB/s",   "×best"};
        snprintf(title, sizeof title,
                 "build%s: intern every string in file order into an empty "
                 "table",
                 label);
        g.build = run_grid_new(st, title, 9, h);
    }
    if (st->workload[RUN_W_HIT]) {
        static const char *const h[] = {"case",  "table",   "strings",
                                        "ns/op", "min–max", "×best"};
        snprintf(title, sizeof title,
                 "hit%s: intern every string again, all present", label);
        g.hit = run_grid_new(st, title, 6, h);
    }
    if (st->workload[RUN_W_MISS]) {
        static const char *const h[] = {"case",  "table",   "keys", "skipped",
                                        "ns/op", "min–max", "×best"};
        snprintf(title, sizeof title,
                 "miss%s: find each string with one byte changed, known "
                 "absent",
                 label);
        g.miss = run_grid_new(st, title, 7, h);
    }
    if (st->workload[RUN_W_MEMORY]) {
        static const char *const h[] = {"case",     "table",       "unique",
                                        "total B",  "B/unique",    "overhead/u",
                                        "header/u", "index/u",     "slack/u",
                                        "×best",    "peak RSS MiB"};
        snprintf(title, sizeof title,
                 "memory%s: after build, from the counting allocator", label);
        g.memory = run_grid_new(st, title, 11, h);
    }
    if (st->workload[RUN_W_FLOOR]) {
        static const char *const h[] = {
            "case",   "table",      "hash ns",  "hash+access ns",
            "hit ns", "hit ×floor", "build ns", "build ×floor"};
        snprintf(title, sizeof title,
                 "floor%s: hashing alone, and hash + one random read of an "
                 "array the table's size",
                 label);
        g.floor = run_grid_new(st, title, 8, h);
    }
    if (st->workload[RUN_W_POLICY]) {
        static const char *const h[] = {"case",  "policy",    "objects",
                                        "bytes", "objects %", "bytes %"};
        snprintf(title, sizeof title,
                 "policy%s: the case as string literals, each compiled on its "
                 "own",
                 label);
        g.policy = run_grid_new(st, title, 6, h);
        if (g.policy)
            g.policy->right[1] = false;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < n && rc == CLI_OK; i++)
        rc = run_one_case(st, &cs[i], cases_dir, vectors_dir, &g);
    if (g.miss)
        snprintf(g.miss->note, sizeof g.miss->note,
                 "skipped: mutated keys left out because they are present in "
                 "the case, or empty strings (no byte to change).");
    if (g.memory)
        snprintf(g.memory->note, sizeof g.memory->note,
                 "B/unique: all the table holds per unique string; overhead: "
                 "the same less the payload (the string bytes). Peak RSS is "
                 "the process's (getrusage), a cross-check.");
    if (g.floor)
        snprintf(g.floor->note, sizeof g.floor->note,
                 "×floor: the table's median over hash+access (xxh3, one "
                 "random 8-byte read per string).");
    run_grid_done(st, g.build);
    run_grid_done(st, g.hit);
    run_grid_done(st, g.miss);
    run_grid_done(st, g.memory);
    run_grid_done(st, g.floor);
    run_grid_done(st, g.policy);
    return rc;
}

/* ---- identity and small ints ----------------------------------------- */

static int run_identity(run_state *st) {
    size_t nt = st->ntables;
    const char *head[16] = {"length", "memcmp ns", "min–max", "pointer ns",
                            "×speedup"};
    char hbuf[8][64];
    size_t ncols = 5;
    for (size_t t = 0; t < nt && ncols + 2 <= 16 && t < 4; t++) {
        snprintf(hbuf[2 * t], sizeof hbuf[0], "%s intern ns",
                 st->tables[t]->ops->name);
        snprintf(hbuf[2 * t + 1], sizeof hbuf[0], "%s break-even",
                 st->tables[t]->ops->name);
        head[ncols++] = hbuf[2 * t];
        head[ncols++] = hbuf[2 * t + 1];
    }
    run_grid *g = run_grid_new(
        st,
        "identity (a) compare and (c) break-even: equal strings, memcmp vs "
        "pointer; compares that repay one intern",
        ncols, head);
    if (g)
        g->right[0] = g->right[1] = true;
    for (size_t k = 0; k < RUN_LENGTH_COUNT; k++) {
        size_t len = run_lengths[k];
        char param[32], msg[64];
        snprintf(param, sizeof param, "len=%zu", len);
        snprintf(msg, sizeof msg, "identity compare %zu", len);
        run_progress_text(st, msg);
        measure_compare_result cr;
        if (measure_compare(len, st->reps, &cr) != 0) {
            run_failure(st, "identity compare %s: %s%s", param,
                        "a compare of equal strings failed", "");
            continue;
        }
        double saved = cr.memcmp_ns.median - cr.pointer_ns.median;
        run_row(st, "identity", "", "", param, "memcmp_ns", "ns", 0,
                &cr.memcmp_ns, -1, true, cr.checksum);
        run_row(st, "identity", "", "", param, "pointer_ns", "ns", 0,
                &cr.pointer_ns, -1, false, 0);
        const char *cells[16];
        char c[16][64];
        run_fmt(c[0], sizeof c[0], cr.memcmp_ns.median);
        run_fmt_spread(c[1], sizeof c[1], &cr.memcmp_ns);
        run_fmt(c[2], sizeof c[2], cr.pointer_ns.median);
        run_fmt_ratio(c[3], sizeof c[3],
                      cr.memcmp_ns.median / cr.pointer_ns.median);
        snprintf(c[15], sizeof c[15], "%zu", len);
        cells[0] = c[15];
        for (int i = 0; i < 4; i++)
            cells[1 + i] = c[i];
        size_t col = 5;
        for (size_t t = 0; t < nt && col + 2 <= ncols; t++) {
            const intern_ops *ops = st->tables[t]->ops;
            measure_sample is;
            uint64_t sum;
            snprintf(c[4 + 2 * t], sizeof c[0], "-");
            snprintf(c[5 + 2 * t], sizeof c[0], "-");
            if (measure_intern_len(ops, len, st->reps, &is, &sum) != 0) {
                run_failure(st, "identity intern %s, table %s: %s", param,
                            ops->name, "an intern of a present key failed");
            } else {
                double be = saved > 0 ? is.median / saved : INFINITY;
                run_row(st, "identity", "", ops->name, param, "intern_ns", "ns",
                        0, &is, -1, true, sum);
                if (isfinite(be))
                    run_row(st, "identity", "", ops->name, param,
                            "break_even_compares", "compares", be, NULL, -1,
                            false, 0);
                run_fmt(c[4 + 2 * t], sizeof c[0], is.median);
                if (isfinite(be))
                    snprintf(c[5 + 2 * t], sizeof c[0], "%.0f", ceil(be));
                else
                    snprintf(c[5 + 2 * t], sizeof c[0], "never");
            }
            cells[col++] = c[4 + 2 * t];
            cells[col++] = c[5 + 2 * t];
        }
        run_grid_row(g, cells);
    }
    if (g)
        snprintf(g->note, sizeof g->note,
                 "intern ns: one intern of a string already present (a hit). "
                 "break-even: intern ns / (memcmp ns - pointer ns), the equal-"
                 "string compares that repay one intern.");
    run_grid_done(st, g);

    static const char *const rh[] = {
        "table",          "records×keys",     "private strings",
        "private B",      "interned strings", "interned B",
        "hash+memcmp ns", "pointer ns",       "×speedup"};
    run_grid *rg = run_grid_new(
        st,
        "identity (b) records: R records sharing K keys, a lookup of each key "
        "in each record",
        9, rh);
    for (size_t t = 0; t < nt; t++) {
        const intern_ops *ops = st->tables[t]->ops;
        run_progress_text(st, "identity records");
        measure_records_result rr;
        if (measure_records(ops, st->records, st->keys, st->reps, &rr) != 0) {
            run_failure(st, "identity records, table %s: %s%s", ops->name,
                        "a lookup failed or memory ran out", "");
            continue;
        }
        char param[64];
        snprintf(param, sizeof param, "%" PRIu64 "x%" PRIu64, rr.records,
                 rr.keys);
        run_row(st, "identity", "records", ops->name, param, "private_strings",
                "strings", (double)rr.private_strings, NULL, -1, false, 0);
        run_row(st, "identity", "records", ops->name, param, "private_bytes",
                "B", (double)rr.private_bytes, NULL, -1, false, 0);
        run_row(st, "identity", "records", ops->name, param, "interned_strings",
                "strings", (double)rr.interned_strings, NULL, -1, false, 0);
        run_row(st, "identity", "records", ops->name, param, "interned_bytes",
                "B", (double)rr.interned_bytes, NULL, -1, false, 0);
        run_row(st, "identity", "records", ops->name, param,
                "private_lookup_ns", "ns", 0, &rr.private_ns, -1, true,
                rr.checksum);
        run_row(st, "identity", "records", ops->name, param,
                "interned_lookup_ns", "ns", 0, &rr.interned_ns, -1, false, 0);
        run_row(st, "identity", "records", ops->name, param, "lookup_speedup",
                "x", rr.private_ns.median / rr.interned_ns.median, NULL, -1,
                false, 0);
        char c[9][64];
        snprintf(c[0], sizeof c[0], "%" PRIu64 "×%" PRIu64, rr.records,
                 rr.keys);
        run_fmt_u64(c[1], sizeof c[1], rr.private_strings);
        run_fmt_u64(c[2], sizeof c[2], rr.private_bytes);
        run_fmt_u64(c[3], sizeof c[3], rr.interned_strings);
        run_fmt_u64(c[4], sizeof c[4], rr.interned_bytes);
        run_fmt(c[5], sizeof c[5], rr.private_ns.median);
        run_fmt(c[6], sizeof c[6], rr.interned_ns.median);
        run_fmt_ratio(c[7], sizeof c[7],
                      rr.private_ns.median / rr.interned_ns.median);
        const char *row[] = {ops->name, c[0], c[1], c[2], c[3],
                             c[4],      c[5], c[6], c[7]};
        run_grid_row(rg, row);
    }
    if (rg)
        snprintf(
            rg->note, sizeof rg->note,
            "private: each record holds its own copy of each key (bytes "
            "count one NUL each); a lookup hashes the query and compares "
            "hash, length and bytes. interned: records hold handles (bytes "
            "are the table's total); a lookup compares pointers.");
    run_grid_done(st, rg);
    return CLI_OK;
}

static int run_smallint(run_state *st) {
    static const char *const h[] = {"stream", "cache",   "values",
                                    "allocs", "bytes",   "hit rate %",
                                    "ns/box", "min–max", "×no cache"};
    run_grid *g = run_grid_new(
        st, "smallint: boxed integers, a box per value vs a preallocated cache",
        9, h);
    static const struct {
        const char *name;
        long min, max;
    } caches[] = {
        {"none", 0, -1}, {"-5..256", -5, 256}, {"-5..1024", -5, 1024}};
    const uint64_t n = 1000000;
    for (int s = 0; s < MEASURE_INTS_COUNT; s++) {
        double base = NAN;
        for (size_t k = 0; k < 3; k++) {
            char msg[64];
            snprintf(msg, sizeof msg, "smallint %s %s",
                     measure_int_stream_name(s), caches[k].name);
            run_progress_text(st, msg);
            measure_int_result ir;
            if (measure_ints(s, n, caches[k].min, caches[k].max, st->reps,
                             &ir) != 0) {
                run_failure(st, "smallint %s, cache %s: %s",
                            measure_int_stream_name(s), caches[k].name,
                            "boxing failed or memory ran out");
                continue;
            }
            if (k == 0)
                base = ir.ns.median;
            const char *sn = measure_int_stream_name(s);
            char param[64];
            snprintf(param, sizeof param, "%s,cache=%s", sn, caches[k].name);
            run_row(st, "smallint", "", "", param, "ns_per_box", "ns", 0,
                    &ir.ns, -1, true, ir.checksum);
            run_row(st, "smallint", "", "", param, "ns_over_no_cache", "x",
                    ir.ns.median / base, NULL, -1, false, 0);
            run_row(st, "smallint", "", "", param, "allocations", "allocs",
                    (double)ir.allocations, NULL, -1, false, 0);
            run_row(st, "smallint", "", "", param, "bytes", "B",
                    (double)ir.bytes, NULL, -1, false, 0);
            run_row(st, "smallint", "", "", param, "hit_rate", "fraction",
                    (double)ir.hits / (double)ir.values, NULL, -1, false, 0);
            char c[8][64];
            run_fmt_u64(c[0], sizeof c[0], ir.values);
            run_fmt_u64(c[1], sizeof c[1], ir.allocations);
            run_fmt_u64(c[2], sizeof c[2], ir.bytes);
            snprintf(c[3], sizeof c[3], "%.1f",
                     100.0 * (double)ir.hits / (double)ir.values);
            run_fmt(c[4], sizeof c[4], ir.ns.median);
            run_fmt_spread(c[5], sizeof c[5], &ir.ns);
            run_fmt_ratio(c[6], sizeof c[6], ir.ns.median / base);
            const char *row[] = {sn,   caches[k].name, c[0], c[1], c[2],
                                 c[3], c[4],           c[5], c[6]};
            run_grid_row(g, row);
        }
    }
    if (g) {
        g->right[1] = false;
        snprintf(g->note, sizeof g->note,
                 "streams of 10^6 values: counter (0..999 over and over), "
                 "index (uniform in 0..9999), zipf (exponent 1 over "
                 "0..99999). A box is 16 bytes; bytes include the cache's "
                 "preallocated boxes.");
    }
    run_grid_done(st, g);
    return CLI_OK;
}

/* ---- context ----------------------------------------------------------- */

static void run_trim(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static bool run_read_line(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)cap, f) != NULL;
    fclose(f);
    if (ok)
        run_trim(buf);
    return ok;
}

static void run_cpu_model(char *buf, size_t cap) {
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                snprintf(buf, cap, "%s", colon + 2);
                run_trim(buf);
            }
            break;
        }
    }
    fclose(f);
}

/* The commit: $INTERNBENCH_GIT_COMMIT, else git at run time in the source
 * tree, else the one recorded at configure time, else "unknown". */
static void run_git_commit(char *buf, size_t cap) {
    const char *env = getenv("INTERNBENCH_GIT_COMMIT");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return;
    }
    snprintf(buf, cap, "%s",
             INTERNBENCH_GIT_COMMIT[0] ? INTERNBENCH_GIT_COMMIT : "unknown");
    if (!INTERNBENCH_SOURCE_DIR[0] || strchr(INTERNBENCH_SOURCE_DIR, '\''))
        return;
    char cmd[4400];
    snprintf(cmd, sizeof cmd,
             "git -C '%s' describe --always --dirty --abbrev=12 2>/dev/null",
             INTERNBENCH_SOURCE_DIR);
    fflush(NULL);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[128];
    if (fgets(line, sizeof line, p)) {
        run_trim(line);
        if (line[0])
            snprintf(buf, cap, "%s", line);
    }
    pclose(p);
}

static json_t *run_context(void) {
    json_t *c = json_object();
    if (!c) {
        run_oom = true;
        return NULL;
    }
    char buf[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    run_json_set(c, "date", json_string(buf));
    run_cpu_model(buf, sizeof buf);
    run_json_set(c, "cpu", json_string(buf));
    run_json_set(c, "logical_cpus",
                 json_integer((json_int_t)sysconf(_SC_NPROCESSORS_ONLN)));
    json_t *caches = json_array();
    for (int i = 0; caches && i < 16; i++) {
        char path[128], level[32], type[32], size[32];
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        if (!run_read_line(path, level, sizeof level))
            break;
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        if (!run_read_line(path, type, sizeof type))
            snprintf(type, sizeof type, "?");
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!run_read_line(path, size, sizeof size))
            snprintf(size, sizeof size, "?");
        json_t *e = json_object();
        if (e) {
            run_json_set(e, "level", json_integer(atoi(level)));
            run_json_set(e, "type", json_string(type));
            run_json_set(e, "size", json_string(size));
        }
        run_json_push(caches, e);
    }
    run_json_set(c, "caches", caches);
#if defined(__clang__)
    run_json_set(c, "compiler", json_string("clang " __clang_version__));
#elif defined(__GNUC__)
    run_json_set(c, "compiler", json_string("gcc " __VERSION__));
#else
    run_json_set(c, "compiler", json_string("unknown"));
#endif
    run_json_set(c, "build_type", json_string(INTERNBENCH_BUILD_TYPE));
    const char *flags = INTERNBENCH_C_FLAGS;
    while (*flags == ' ')
        flags++;
    snprintf(buf, sizeof buf, "%s", flags);
    run_trim(buf);
    run_json_set(c, "flags", json_string(buf));
    run_git_commit(buf, sizeof buf);
    run_json_set(c, "git_commit", json_string(buf));
    run_json_set(c, "internbench_version", json_string(INTERNBENCH_VERSION));
    return c;
}

/* ---- output files ----------------------------------------------------- */

static void run_csv_field(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static int run_write_csv(const char *path, json_t *root) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "internbench run: %s: %s\n", path, strerror(errno));
        return CLI_USAGE;
    }
    json_t *ctx = json_object_get(root, "context");
    const char *key;
    json_t *v;
    json_object_foreach(ctx, key, v) {
        if (json_is_string(v))
            fprintf(f, "# %s: %s\n", key, json_string_value(v));
        else if (json_is_integer(v))
            fprintf(f, "# %s: %" JSON_INTEGER_FORMAT "\n", key,
                    json_integer_value(v));
    }
    static const char *const cols[] = {
        "workload", "case", "table", "param", "metric",        "unit",
        "value",    "min",  "max",   "reps",  "ratio_to_best", "checksum"};
    size_t ncols = sizeof cols / sizeof cols[0];
    for (size_t c = 0; c < ncols; c++)
        fprintf(f, "%s%s", c ? "," : "", cols[c]);
    fputc('\n', f);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(root, "results"), i, row) {
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                fputc(',', f);
            json_t *x = json_object_get(row, cols[c]);
            if (json_is_string(x))
                run_csv_field(f, json_string_value(x));
            else if (json_is_integer(x))
                fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
            else if (json_is_real(x))
                fprintf(f, "%.6g", json_real_value(x));
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "internbench run: %s: %s\n", path, strerror(errno));
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int run_write_md(const char *path, run_state *st, json_t *root) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "internbench run: %s: %s\n", path, strerror(errno));
        return CLI_USAGE;
    }
    json_t *ctx = json_object_get(root, "context");
    fprintf(f, "# internbench run\n\n"
               "Generated by `internbench run`; medians of the repetitions "
               "with their min–max, ratios within this run. Compare tables "
               "within one run, not numbers across machines or runs.\n\n");
    const char *key;
    json_t *v;
    json_object_foreach(ctx, key, v) {
        if (json_is_string(v))
            fprintf(f, "- %s: %s\n", key, json_string_value(v));
        else if (json_is_integer(v))
            fprintf(f, "- %s: %" JSON_INTEGER_FORMAT "\n", key,
                    json_integer_value(v));
    }
    json_t *caches = json_object_get(ctx, "caches");
    size_t i;
    json_t *c;
    if (json_array_size(caches)) {
        fprintf(f, "- caches:");
        json_array_foreach(caches, i, c) {
            fprintf(f, "%s L%" JSON_INTEGER_FORMAT " %s %s", i ? "," : "",
                    json_integer_value(json_object_get(c, "level")),
                    json_string_value(json_object_get(c, "type")),
                    json_string_value(json_object_get(c, "size")));
        }
        fputc('\n', f);
    }
    fprintf(f, "- repetitions: %d (after one warm-up pass)\n", st->reps);
    for (size_t g = 0; g < st->ngrids; g++)
        run_grid_md(&st->grids[g], f);
    if (fclose(f) != 0) {
        fprintf(stderr, "internbench run: %s: %s\n", path, strerror(errno));
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* ---- command line ----------------------------------------------------- */

static void run_usage(FILE *out) {
    fprintf(out,
            "usage: internbench run [--table T]... [--case C | --lines F]... "
            "[--workload W]...\n"
            "                       [--reps N] [--json F] [--csv F] [--md F]\n"
            "                       [--sweep n|len] [--max-n N] [--records "
            "R] [--keys K]\n\n"
            "Runs every table over the cases, workload by workload, and "
            "prints a table per\nworkload: medians over N timed passes "
            "(after one warm-up), their min–max, and\neach table's ratio to "
            "the best. Every table × case is checked first: its unique\n"
            "count and digest must equal the case's vector "
            "(vectors/cases/NAME.vec), or,\nwithout one, a reference "
            "computed by sorting the strings; a mismatch is printed\nas "
            "MISMATCH and the run exits 1.\n\n"
            "  --table T       a registered table (repeatable; default: the "
            "default set,\n"
            "                  see 'internbench tables')\n"
            "  --case C        a shipped or generated case's name, or a .case "
            "path (repeatable)\n"
            "  --lines F       a plain text file, one string per line "
            "(repeatable)\n"
            "  --cases-dir D   where shipped cases are\n"
            "  --vectors-dir D where .vec files are (default: vectors/cases "
            "beside the cases)\n"
            "  --workload W    build, hit, miss, memory, floor, identity, "
            "policy, smallint\n"
            "                  (repeatable; default: all)\n"
            "  --reps N        timed passes per measurement (default 5; 1 for "
            "smoke runs)\n"
            "  --json F        write the results and the machine context as "
            "JSON\n"
            "  --csv F         the same results as CSV (context as '# key: "
            "value' lines)\n"
            "  --md F          the printed tables as Markdown\n"
            "  --sweep n       cases gen-ident-1e3 .. gen-ident-1e7 (capped "
            "by --max-n)\n"
            "  --sweep len     generated cases of distinct strings of one "
            "length, 1..65536\n"
            "  --max-n N       the largest n of --sweep n (default 1e7)\n"
            "  --records R     records of identity (b) (default 1000)\n"
            "  --keys K        keys per record (default 3)\n\n"
            "Default cases: ");
    for (size_t i = 0; i < RUN_DEFAULT_CASE_COUNT; i++)
        fprintf(out, "%s%s", i ? ", " : "", run_default_cases[i]);
    fprintf(out, ".\nProgress goes to stderr when it is a terminal.\n"
                 "Exit status: 0 success, 1 a failed check, 2 bad usage or "
                 "bad input.\n");
}

static bool run_parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (*s == '-' || !*s)
        return false;
    double d = strtod(s, &end);
    if (errno || *end || d < 0 || d > 1e15 || d != floor(d))
        return false;
    *out = (uint64_t)d;
    return true;
}

int cmd_run(int argc, char **argv) {
    run_state st;
    memset(&st, 0, sizeof st);
    st.reps = 5;
    st.records = 1000;
    st.keys = 3;
    const char *json_path = NULL, *csv_path = NULL, *md_path = NULL;
    const char *sweep = NULL, *cases_dir = NULL, *vectors_dir = NULL;
    uint64_t max_n = 10000000;
    run_case_spec *specs =
        calloc((size_t)argc + RUN_LENGTH_COUNT + 8, sizeof *specs);
    const intern_table_info **tables =
        calloc((size_t)argc + 16, sizeof *tables);
    size_t nspecs = 0, ntables = 0;
    bool any_workload = false;
    int rc = CLI_OK;
    if (!specs || !tables) {
        free(specs);
        free(tables);
        fprintf(stderr, "internbench run: out of memory\n");
        return CLI_FAILED;
    }
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            run_usage(stdout);
            free(specs);
            free(tables);
            return CLI_OK;
        }
        static const char *const valued[] = {
            "--table",       "--case",     "--lines", "--cases-dir",
            "--vectors-dir", "--workload", "--reps",  "--json",
            "--csv",         "--md",       "--sweep", "--max-n",
            "--records",     "--keys"};
        bool is_valued = false;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            is_valued |= strcmp(a, valued[k]) == 0;
        if (!is_valued) {
            fprintf(stderr, "internbench run: unknown argument '%s'\n", a);
            rc = CLI_USAGE;
            break;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "internbench run: %s needs a value\n", a);
            rc = CLI_USAGE;
            break;
        }
        const char *v = argv[++i];
        uint64_t num;
        if (strcmp(a, "--table") == 0) {
            const intern_table_info *info = intern_registry_find(v);
            if (!info) {
                fprintf(stderr,
                        "internbench run: no table '%s' (see 'internbench "
                        "tables')\n",
                        v);
                rc = CLI_USAGE;
            } else {
                tables[ntables++] = info;
            }
        } else if (strcmp(a, "--case") == 0 || strcmp(a, "--lines") == 0) {
            run_case_spec *cs = &specs[nspecs++];
            cs->value = v;
            cs->lines = strcmp(a, "--lines") == 0;
            run_case_name(v, cs->name, sizeof cs->name);
            if (cs->lines) {
                /* the file's name only: no machine paths in results */
                const char *base = strrchr(v, '/');
                snprintf(cs->name, sizeof cs->name, "%s", base ? base + 1 : v);
            }
        } else if (strcmp(a, "--cases-dir") == 0) {
            cases_dir = v;
        } else if (strcmp(a, "--vectors-dir") == 0) {
            vectors_dir = v;
        } else if (strcmp(a, "--workload") == 0) {
            int w = -1;
            for (int k = 0; k < RUN_W_COUNT; k++)
                if (strcmp(v, run_workload_names[k]) == 0)
                    w = k;
            if (w < 0) {
                fprintf(stderr, "internbench run: no workload '%s'\n", v);
                rc = CLI_USAGE;
            } else {
                st.workload[w] = true;
                any_workload = true;
            }
        } else if (strcmp(a, "--reps") == 0) {
            if (!run_parse_u64(v, &num) || num < 1 || num > 1000) {
                fprintf(stderr, "internbench run: --reps: 1..1000, not '%s'\n",
                        v);
                rc = CLI_USAGE;
            } else {
                st.reps = (int)num;
            }
        } else if (strcmp(a, "--json") == 0) {
            json_path = v;
        } else if (strcmp(a, "--csv") == 0) {
            csv_path = v;
        } else if (strcmp(a, "--md") == 0) {
            md_path = v;
        } else if (strcmp(a, "--sweep") == 0) {
            if (strcmp(v, "n") != 0 && strcmp(v, "len") != 0) {
                fprintf(stderr, "internbench run: --sweep n or len, not '%s'\n",
                        v);
                rc = CLI_USAGE;
            }
            sweep = v;
        } else if (strcmp(a, "--max-n") == 0) {
            if (!run_parse_u64(v, &num) || num < 1000) {
                fprintf(stderr,
                        "internbench run: --max-n: a count >= 1000, not "
                        "'%s'\n",
                        v);
                rc = CLI_USAGE;
            }
            max_n = num;
        } else if (strcmp(a, "--records") == 0 || strcmp(a, "--keys") == 0) {
            if (!run_parse_u64(v, &num) || num < 1 || num > 1000000) {
                fprintf(stderr, "internbench run: %s: 1..10^6, not '%s'\n", a,
                        v);
                rc = CLI_USAGE;
            } else if (a[2] == 'r') {
                st.records = num;
            } else {
                st.keys = num;
            }
        }
    }
    if (rc == CLI_OK && sweep && nspecs) {
        fprintf(stderr, "internbench run: --sweep makes its own cases; give "
                        "it no --case or --lines\n");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        run_usage(stderr);
        free(specs);
        free(tables);
        return rc;
    }
    /* the tables: given, else the default set */
    if (ntables == 0) {
        size_t n;
        const intern_table_info *reg = intern_registry(&n);
        const intern_table_info **more =
            realloc(tables, (n + 1) * sizeof *more);
        if (!more) {
            free(specs);
            free(tables);
            return CLI_FAILED;
        }
        tables = more;
        for (size_t i = 0; i < n; i++)
            if (reg[i].is_default)
                tables[ntables++] = &reg[i];
    }
    st.tables = tables;
    st.ntables = ntables;
    /* the workloads: given, else all (a sweep: the per-case ones) */
    if (!any_workload)
        for (int k = 0; k < RUN_W_COUNT; k++)
            st.workload[k] =
                !sweep || (k != RUN_W_IDENTITY && k != RUN_W_POLICY &&
                           k != RUN_W_SMALLINT);
    /* the cases */
    const char *label = "";
    if (sweep && strcmp(sweep, "n") == 0) {
        static const char *const ns[] = {"gen-ident-1e3", "gen-ident-1e4",
                                         "gen-ident-1e5", "gen-ident-1e6",
                                         "gen-ident-1e7"};
        uint64_t n = 1000;
        for (size_t k = 0; k < 5 && n <= max_n; k++, n *= 10) {
            specs[nspecs].value = ns[k];
            snprintf(specs[nspecs].name, sizeof specs[nspecs].name, "%s",
                     ns[k]);
            nspecs++;
        }
        label = " (sweep n)";
    } else if (sweep) {
        for (size_t k = 0; k < RUN_LENGTH_COUNT; k++) {
            size_t len = run_lengths[k];
            uint64_t count = ((uint64_t)1 << 22) / len;
            count = count < 64 ? 64 : count > 100000 ? 100000 : count;
            if (len == 1)
                count = 200;
            run_case_spec *cs = &specs[nspecs++];
            gen_spec_init(&cs->gen);
            cs->gen.seed = 100 + len;
            cs->gen.count = count;
            cs->gen.alphabet = GEN_ALPHABET_BINARY;
            cs->gen.length = GEN_LENGTH_FIXED;
            cs->gen.len_min = cs->gen.len_max = (uint32_t)len;
            cs->has_gen = true;
            snprintf(cs->name, sizeof cs->name, "len-%zu", len);
        }
        label = " (sweep len)";
    } else if (nspecs == 0) {
        for (size_t k = 0; k < RUN_DEFAULT_CASE_COUNT; k++) {
            specs[nspecs].value = run_default_cases[k];
            snprintf(specs[nspecs].name, sizeof specs[nspecs].name, "%s",
                     run_default_cases[k]);
            nspecs++;
        }
    }
    cli_case_arg carg = {0};
    carg.cases_dir = cases_dir;
    char default_vectors[4096];
    if (!vectors_dir) {
        const char *env = getenv("INTERNBENCH_VECTORS_DIR");
        if (env && *env) {
            vectors_dir = env;
        } else {
            snprintf(default_vectors, sizeof default_vectors,
                     "%s/../vectors/cases", cli_cases_dir(&carg));
            vectors_dir = default_vectors;
        }
    }

    st.progress = isatty(STDERR_FILENO);
    st.results = json_array();
    st.cases = json_array();
    st.failures = json_array();
    json_t *root = json_object();
    if (!st.results || !st.cases || !st.failures || !root)
        run_oom = true;
    printf("internbench run: %zu table%s × %zu case%s, %d rep%s after a "
           "warm-up (median, min–max)\n",
           ntables, ntables == 1 ? "" : "s", nspecs, nspecs == 1 ? "" : "s",
           st.reps, st.reps == 1 ? "" : "s");
    fflush(stdout);

    bool per_case = st.workload[RUN_W_BUILD] || st.workload[RUN_W_HIT] ||
                    st.workload[RUN_W_MISS] || st.workload[RUN_W_MEMORY] ||
                    st.workload[RUN_W_FLOOR] || st.workload[RUN_W_POLICY];
    if (per_case)
        rc = run_cases(&st, specs, nspecs, cli_cases_dir(&carg), vectors_dir,
                       label);
    if (rc == CLI_OK && st.workload[RUN_W_IDENTITY])
        rc = run_identity(&st);
    if (rc == CLI_OK && st.workload[RUN_W_SMALLINT])
        rc = run_smallint(&st);
    run_progress_clear(&st);

    if (rc == CLI_OK && !run_oom) {
        run_json_set(root, "format", json_string(RUN_FORMAT));
        run_json_set(root, "context", run_context());
        json_t *set = json_object();
        if (set) {
            run_json_set(set, "reps", json_integer(st.reps));
            run_json_set(set, "warmup", json_integer(1));
            run_json_set(set, "sweep",
                         sweep ? json_string(sweep) : json_null());
            run_json_set(set, "records", json_integer((json_int_t)st.records));
            run_json_set(set, "keys", json_integer((json_int_t)st.keys));
            json_t *ws = json_array();
            for (int k = 0; ws && k < RUN_W_COUNT; k++)
                if (st.workload[k])
                    run_json_push(ws, json_string(run_workload_names[k]));
            run_json_set(set, "workloads", ws);
        }
        run_json_set(root, "settings", set);
        json_t *jt = json_array();
        for (size_t t = 0; jt && t < ntables; t++) {
            json_t *o = json_object();
            if (o) {
                run_json_set(o, "name", json_string(tables[t]->ops->name));
                run_json_set(o, "settings",
                             json_string(tables[t]->ops->settings));
            }
            run_json_push(jt, o);
        }
        run_json_set(root, "tables", jt);
        run_json_set(root, "cases", json_incref(st.cases));
        run_json_set(root, "results", json_incref(st.results));
        run_json_set(root, "failures", json_incref(st.failures));
        run_json_set(root, "status", json_string(st.failed ? "failed" : "ok"));
    }
    if (rc == CLI_OK && run_oom) {
        fprintf(stderr, "internbench run: out of memory\n");
        rc = CLI_FAILED;
    }
    if (rc == CLI_OK && json_path &&
        json_dump_file(root, json_path,
                       JSON_INDENT(1) | JSON_REAL_PRECISION(6)) != 0) {
        fprintf(stderr, "internbench run: %s: cannot write\n", json_path);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK && csv_path)
        rc = run_write_csv(csv_path, root);
    if (rc == CLI_OK && md_path)
        rc = run_write_md(md_path, &st, root);
    if (rc == CLI_OK && st.failed) {
        printf("\nFAILED: %zu check%s failed (see MISMATCH above)\n",
               json_array_size(st.failures),
               json_array_size(st.failures) == 1 ? "" : "s");
        rc = CLI_FAILED;
    }
    json_decref(root);
    json_decref(st.results);
    json_decref(st.cases);
    json_decref(st.failures);
    for (size_t g = 0; g < st.ngrids; g++)
        run_grid_free(&st.grids[g]);
    free(specs);
    free(tables);
    return rc;
}
