/* report_page.c: the results page (report.h): every table a view over one
 * input's set (render.h), the machine and the inputs from their
 * contexts. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internbench/render.h"
#include "internbench/report.h"

#define KEY(h, d)                                                              \
    { h, RENDER_KEY, d, NULL, NULL, false, RENDER_ONCE, 0 }
#define PER_CASE(m)                                                            \
    { "%s", RENDER_VALUE_RATIO, 0, m, NULL, false, RENDER_PER_CASE, 0 }
#define FIELD(h, k, m)                                                         \
    { h, k, 0, m, NULL, false, RENDER_ONCE, 0 }
#define COLS(a) a, sizeof a / sizeof a[0]

static const render_col string_cols[] = {KEY("table", RENDER_TABLE),
                                         PER_CASE("ns_per_string")};
static const render_col op_cols[] = {KEY("table", RENDER_TABLE),
                                     PER_CASE("ns_per_op")};
static const render_col unique_cols[] = {KEY("table", RENDER_TABLE),
                                         PER_CASE("bytes_per_unique")};
static const render_col overhead_cols[] = {KEY("table", RENDER_TABLE),
                                           PER_CASE("overhead_per_unique")};
static const render_col bench_bytes_cols[] = {
    KEY("table", RENDER_TABLE), PER_CASE("bytes_per_string"),
    FIELD("counted by", RENDER_TABLE_FIELD, "counted_by")};
static const render_col about_cols[] = {
    KEY("row", RENDER_TABLE), FIELD("what it is", RENDER_TABLE_FIELD, "about")};
static const render_col case_cols[] = {
    KEY("case", RENDER_CASE),
    FIELD("strings", RENDER_CASE_FIELD, "strings"),
    FIELD("unique", RENDER_CASE_FIELD, "unique"),
    FIELD("unique bytes", RENDER_CASE_FIELD, "unique_bytes"),
    FIELD("key bytes", RENDER_CASE_FIELD, "key_bytes"),
    FIELD("checked against", RENDER_CASE_FIELD, "expected_from")};

/* Below each time: what no hashing table beats on the same keys. */
static const render_extra floor_rows[] = {
    {"*floor: xxh3 hash alone*", "floor", "", "hash_ns_per_string"},
    {"*floor: hash + one access*", "floor", "", "access_ns_per_string"}};

/* A table of the page: the tables as rows, a metric of a workload as
 * columns (per case, unless the columns say otherwise), each value with
 * its ratio to the best of its case. */
typedef struct page_section {
    const char *workload, *metric, *title, *note;
    const render_col *cols;
    size_t ncols;
    const char *except;
    bool floors; /* the floor rows below (a time per string) */
} page_section;

static const page_section run_memory[] = {
    {"memory", "bytes_per_unique",
     "memory: bytes per unique string held after the build",
     "All the table holds, from its counting allocator (exact), over the "
     "case's unique strings.",
     COLS(unique_cols), NULL, false},
    {"memory", "overhead_per_unique",
     "memory: overhead per unique string beyond its bytes",
     "Record headers, the index (buckets, slots, nodes) and slack, per "
     "unique string.",
     COLS(overhead_cols), NULL, false},
};

static const page_section bench_memory = {
    "build",
    "bytes_per_string",
    "memory: bytes per unique string held after the build",
    "Counted by each row's method (the last column): our tables' counting "
    "allocator, a counting `operator new`, glibc's `mallinfo2()` or "
    "CPython's allocator hooks; ratio to the fewest bytes.",
    COLS(bench_bytes_cols),
    "@fork",
    false};

/* The timed workloads' titles; another one is "NAME: ns per string". */
static const struct {
    const char *workload, *title, *note;
} page_titles[] = {
    {"build",
     "build: ns per string, interning every string of the case in file "
     "order into an empty table",
     NULL},
    {"hit", "hit: ns per string, interning every string again, all present",
     NULL},
    {"hit_shuffled",
     "hit_shuffled: ns per string, the same hits in a seeded random order",
     NULL},
    {"miss", "miss: ns per lookup of a key known absent",
     "Each case string with one byte changed; keys that happen to be "
     "present are skipped."},
};

/* ---- labels ----------------------------------------------------------------
 */

/* A --sweep n case as n=10^3. */
static const char *label_n(const results *r, render_dim dim, const char *value,
                           char *buf, size_t cap) {
    double x = dim == RENDER_CASE ? report_case_x(r, value, false) : NAN;
    if (!isfinite(x))
        return NULL;
    double e = log10(x);
    if (x >= 1000 && e == floor(e))
        snprintf(buf, cap, "n=10^%.0f", e);
    else
        snprintf(buf, cap, "n=%.0f", x);
    return buf;
}

/* A --sweep len case as its key length. */
static const char *label_len(const results *r, render_dim dim,
                             const char *value, char *buf, size_t cap) {
    double x = dim == RENDER_CASE ? report_case_x(r, value, true) : NAN;
    if (!isfinite(x))
        return NULL;
    snprintf(buf, cap, "%.0f B", x);
    return buf;
}

/* ---- sections --------------------------------------------------------------
 */

/* v's grid over r; with no rows, when say is set, its title and "Not in
 * this input." 0, or -1 when out of memory. */
static int page_grid(FILE *out, const results *r, const render_view *v,
                     const char *suffix, bool say) {
    render_grid g;
    int rc = render_build(r, v, suffix, &g);
    if (rc == 0 && g.nrows > 1)
        render_md(&g, out);
    else if (rc == 0 && say)
        fprintf(out, "\n### %s\n\nNot in this input.\n", g.title);
    render_grid_free(&g);
    return rc;
}

static int page_section_write(FILE *out, results *r, const page_section *s,
                              render_label_fn label, const char *suffix) {
    results_set_ratios(r, s->workload, s->metric);
    render_view v = {
        .workload = s->workload,
        .key_metric = s->metric,
        .keys = {RENDER_TABLE},
        .nkeys = 1,
        .title = s->title,
        .note = s->note,
        .cols = s->cols,
        .ncols = s->ncols,
        .label = label,
        .except = s->except,
        .extra = s->floors ? floor_rows : NULL,
        .nextra = s->floors ? sizeof floor_rows / sizeof floor_rows[0] : 0};
    return page_grid(out, r, &v, suffix, true);
}

/* One timed workload's section (the metric its rows carry). */
static int page_timed_one(FILE *out, results *r, const results_row *x,
                          render_label_fn label, const char *suffix) {
    char title[160];
    page_section s = {x->workload,       x->metric, title, NULL,
                      COLS(string_cols), NULL,      true};
    if (strcmp(x->metric, "ns_per_op") == 0)
        s.cols = op_cols;
    snprintf(title, sizeof title, "%s: ns per string", x->workload);
    for (size_t i = 0; i < sizeof page_titles / sizeof page_titles[0]; i++)
        if (strcmp(page_titles[i].workload, x->workload) == 0) {
            s.title = page_titles[i].title;
            s.note = page_titles[i].note;
        }
    return page_section_write(out, r, &s, label, suffix);
}

/* A section per workload with a time per string (ns_per_string or
 * ns_per_op), in the order the set has them. */
static int page_timed(FILE *out, results *r, render_label_fn label,
                      const char *suffix) {
    const char *done[64];
    size_t ndone = 0;
    for (size_t i = 0; i < results_count(r) && ndone < 64; i++) {
        const results_row *x = results_at(r, i);
        size_t j = 0;
        if (strcmp(x->metric, "ns_per_string") != 0 &&
            strcmp(x->metric, "ns_per_op") != 0)
            continue;
        while (j < ndone && done[j] != x->workload)
            j++;
        if (j < ndone)
            continue;
        done[ndone++] = x->workload;
        if (page_timed_one(out, r, x, label, suffix) < 0)
            return -1;
    }
    return 0;
}

/* The run's grids of identity, policy and smallint, as run prints them. */
static int page_run_views(FILE *out, results *r) {
    static const char *const shown[][2] = {{"identity", ""},
                                           {"identity", "records"},
                                           {"policy", NULL},
                                           {"smallint", NULL}};
    size_t n;
    const render_view *views = render_run_views(&n);
    for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++)
        for (size_t i = 0; i < n; i++) {
            const render_view *v = &views[i];
            bool same_case =
                shown[s][1]
                    ? v->case_name && strcmp(v->case_name, shown[s][1]) == 0
                    : !v->case_name;
            if (strcmp(v->workload, shown[s][0]) == 0 && same_case &&
                page_grid(out, r, v, "", true) < 0)
                return -1;
        }
    return 0;
}

static int page_run(FILE *out, report_input *in) {
    fprintf(out,
            "\n## internbench run (%s)\n\n"
            "Our tables on each case. Each time is the median of the timed "
            "passes after a warm-up (their min–max is in the JSON); in "
            "parentheses the ratio to the best table of the column, the best "
            "in bold. The floor rows are what no hashing table beats on the "
            "same keys: xxh3 alone, and the hash plus one random read of an "
            "array with a slot per unique string.\n",
            in->name);
    render_view cases = {.workload = "build",
                         .key_metric = "ns_per_string",
                         .keys = {RENDER_CASE},
                         .nkeys = 1,
                         .title = "The cases",
                         .cols = case_cols,
                         .ncols = sizeof case_cols / sizeof case_cols[0]};
    if (page_grid(out, in->set, &cases, "", false) < 0 ||
        page_timed(out, in->set, NULL, "") < 0)
        return -1;
    for (size_t i = 0; i < sizeof run_memory / sizeof run_memory[0]; i++)
        if (page_section_write(out, in->set, &run_memory[i], NULL, "") < 0)
            return -1;
    return page_run_views(out, in->set);
}

/* ---- google-benchmark ------------------------------------------------------
 */

/* Whether some table of r has a name containing s, or the field key. */
static bool page_tables_have(results *r, const char *s, const char *key) {
    size_t i;
    json_t *t;
    json_array_foreach(results_tables(r), i, t) {
        const char *name = json_string_value(json_object_get(t, "name"));
        if ((s && name && strstr(name, s)) || (key && json_object_get(t, key)))
            return true;
    }
    return false;
}

static void page_bench_failures(FILE *out, results *r) {
    size_t n = results_failure_count(r);
    if (!n)
        return;
    fputs("\nRows that reported an error instead of a number (shown as "
          "-):\n\n",
          out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "- %s\n", results_failure_at(r, i));
}

static int page_bench(FILE *out, report_input *in) {
    results *r = in->set;
    fprintf(out,
            "\n## Our tables and the peers (google-benchmark, %s)\n\n"
            "Each cell: ns per string, the median of the repetitions, and in "
            "parentheses its ratio to the best row of the column (the best in "
            "bold). Rows: our tables through the `intern_ops` vtable and the "
            "peers; see the bench section of the top-level README for what "
            "each row times.\n",
            in->name);
    if (page_tables_have(r, "@fork", NULL))
        fputs("\n`open@fork` is our `open` table built in a forked child, "
              "the way the process-global peers (GLib, CPython) are built: "
              "compare those with it as well as with `open`.\n",
              out);
    if (page_timed(out, r, NULL, "") < 0 ||
        page_section_write(out, r, &bench_memory, NULL, "") < 0)
        return -1;
    page_bench_failures(out, r);
    render_view about = {.key_metric = "ns_per_string",
                         .keys = {RENDER_TABLE},
                         .nkeys = 1,
                         .title = "The rows",
                         .cols = about_cols,
                         .ncols = sizeof about_cols / sizeof about_cols[0],
                         .except = "@fork"};
    if (page_tables_have(r, NULL, "about"))
        return page_grid(out, r, &about, "", false);
    return 0;
}

/* ---- scaling ---------------------------------------------------------------
 */

static int page_sweep(FILE *out, report_input *ins, size_t n, bool len) {
    const char *kind = len ? "len" : "n";
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const char *sweep = report_sweep(&ins[i]);
        if (!sweep || strcmp(sweep, kind) != 0)
            continue;
        any = true;
        fprintf(out, "\n## Scaling with %s (%s)\n\n%s\n",
                len ? "key length" : "n", ins[i].name,
                len ? "Generated cases of distinct strings of one length; "
                      "columns: the key length."
                    : "Generated identifiers, 10^3 and up; columns: the "
                      "strings in the case.");
        render_label_fn label = len ? label_len : label_n;
        if (page_timed(out, ins[i].set, label, "") < 0 ||
            page_section_write(out, ins[i].set, &run_memory[0], label, "") < 0)
            return -1;
    }
    if (!any)
        fprintf(out,
                "\n## Scaling with %s\n\nNot in this input: run `internbench "
                "run --sweep %s --json FILE` and pass FILE with `--run`.\n",
                len ? "key length" : "n", kind);
    return 0;
}

/* ---- the machine and the inputs --------------------------------------------
 */

static const render_field machine_fields[] = {
    {"cpu", "CPU"},
    {"logical_cpus", "logical CPUs"},
    {"mhz_per_cpu", "MHz (google-benchmark's reading)"},
    {"caches", "caches"},
    {"host", "host"}};
#define MACHINE_FIELDS (sizeof machine_fields / sizeof machine_fields[0])

/* The machine: each field from the first input that records it (they
 * agree where both do: report_load checked). */
static int page_machine(FILE *out, report_input *ins, size_t n) {
    json_t *m = json_object();
    int rc = m ? 0 : -1;
    for (size_t f = 0; m && f < MACHINE_FIELDS; f++)
        for (size_t i = 0; i < n && !json_object_get(m, machine_fields[f].key);
             i++) {
            json_t *v = json_object_get(results_context(ins[i].set),
                                        machine_fields[f].key);
            if (v && json_object_set(m, machine_fields[f].key, v) < 0)
                rc = -1;
        }
    fputs("\n## Machine\n\n", out);
    render_context_fields(m, machine_fields, MACHINE_FIELDS, out);
    json_decref(m);
    return rc;
}

/* The "made by" and "repetitions" cells of an input. */
static void page_input_cells(report_input *in, char *made, char *reps,
                             size_t cap) {
    json_t *st = results_settings(in->set);
    const char *sweep = report_sweep(in);
    json_int_t n = json_integer_value(
        json_object_get(st, in->kind == REPORT_RUN ? "reps" : "repetitions"));
    if (in->kind == REPORT_BENCH)
        snprintf(made, cap, "internbench_bench (google-benchmark)");
    else
        snprintf(made, cap, "internbench run%s%s%s", sweep ? " --sweep " : "",
                 sweep ? sweep : "",
                 results_failure_count(in->set) ? " (failed: see below)" : "");
    if (in->kind == REPORT_RUN && n > 0)
        snprintf(reps, cap, "%" JSON_INTEGER_FORMAT " after a warm-up, median",
                 n);
    else if (n > 1)
        snprintf(reps, cap, "%" JSON_INTEGER_FORMAT ", median", n);
    else
        snprintf(reps, cap, "%s", in->kind == REPORT_RUN ? "-" : "1");
}

static int page_inputs(FILE *out, report_input *ins, size_t n) {
    static const char *const head[] = {"file",   "made by",    "date",
                                       "commit", "compiler",   "build",
                                       "flags",  "repetitions"};
    static const char *const keys[] = {"date", "git_commit", "compiler",
                                       "build_type", "flags"};
    render_grid g;
    int rc = render_grid_init(&g, "Inputs", 8);
    if (rc == 0)
        rc = render_grid_add(&g, head);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char made[160], reps[160];
        const char *cells[8] = {ins[i].name, made};
        page_input_cells(&ins[i], made, reps, sizeof made);
        for (size_t k = 0; k < 5; k++) {
            const char *v = json_string_value(
                json_object_get(results_context(ins[i].set), keys[k]));
            cells[2 + k] = v && *v ? v : "-";
        }
        cells[7] = reps;
        rc = render_grid_add(&g, cells);
    }
    if (rc == 0)
        render_md(&g, out);
    render_grid_free(&g);
    return rc;
}

static void page_failed(FILE *out, report_input *ins, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (ins[i].kind == REPORT_RUN && results_failure_count(ins[i].set))
            fprintf(out,
                    "\n**%s failed its checks** (%zu MISMATCH messages in its "
                    "`failures`): no number is reported for the table × case "
                    "that failed.\n",
                    ins[i].name, results_failure_count(ins[i].set));
}

/* ---- the page --------------------------------------------------------------
 */

int report_page(FILE *out, report_input *ins, size_t n) {
    fputs("# internbench results\n\n"
          "Generated by `internbench report` from the JSON files below "
          "(regenerate: `cmake --workflow --preset bench`, or `internbench "
          "report --run FILE --bench FILE -o DIR`); do not edit by hand. "
          "Every table holds numbers from one input, so every ratio in it "
          "is a same-run ratio; compare rows within a table, not numbers "
          "across machines or runs. The machine has other work running: "
          "medians and ratios are what to read, single absolute times are "
          "not claims.\n",
          out);
    if (page_machine(out, ins, n) < 0 || page_inputs(out, ins, n) < 0)
        return -1;
    page_failed(out, ins, n);
    bool any_run = false;
    for (size_t i = 0; i < n; i++)
        if (ins[i].kind == REPORT_BENCH && page_bench(out, &ins[i]) < 0)
            return -1;
    for (size_t i = 0; i < n; i++) {
        bool run = ins[i].kind == REPORT_RUN && !report_sweep(&ins[i]);
        any_run |= run;
        if (run && page_run(out, &ins[i]) < 0)
            return -1;
    }
    if (!any_run)
        fputs("\n## internbench run\n\nNot in this input: run `internbench "
              "run --json FILE` and pass FILE with `--run`.\n",
              out);
    if (page_sweep(out, ins, n, false) < 0 || page_sweep(out, ins, n, true) < 0)
        return -1;
    report_plots_md(out, ins, n);
    return 0;
}

static int page_mkdir(const char *dir) {
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return -1;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    errno = ENOTDIR;
    return -1;
}

/* The page's bytes to path, through path.tmp. */
static int page_save(const char *path, const char *page, size_t len, char *err,
                     size_t cap) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, cap, "%s: cannot write: %s", tmp, strerror(errno));
        return -1;
    }
    size_t w = fwrite(page, 1, len, f);
    if (fclose(f) != 0 || w != len || rename(tmp, path) != 0) {
        snprintf(err, cap, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int report_write_page(const char *dir, report_input *ins, size_t n, char *err,
                      size_t cap) {
    char *page = NULL, path[4096];
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    int rc = f ? report_page(f, ins, n) : -1;
    if (f && (fclose(f) != 0 || !page))
        rc = -1;
    if (rc < 0)
        snprintf(err, cap, "out of memory");
    else if (page_mkdir(dir) < 0) {
        snprintf(err, cap, "%s: cannot create the directory: %s", dir,
                 strerror(errno));
        rc = -1;
    } else {
        snprintf(path, sizeof path, "%s/README.md", dir);
        rc = page_save(path, page, len, err, cap);
    }
    free(page);
    return rc;
}
