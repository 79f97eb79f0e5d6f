/* cmd_run.c: internbench run: parses the options into a plan, runs it
 * (run.h) and renders the rows (render.h, results.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_args.h"
#include "internbench/render.h"
#include "internbench/run.h"

/* The default case set: shipped corpora of short, medium and long
 * strings, and one generated case with Zipf-distributed repeats. */
static const char *const run_default_cases[] = {
    "python-identifiers", "english-words",      "json-keys",
    "debian-file-paths",  "long-license-texts", "gen-zipf",
};
#define RUN_DEFAULT_CASES (sizeof run_default_cases / sizeof *run_default_cases)

static const char *const run_sweep_n[] = {"gen-ident-1e3", "gen-ident-1e4",
                                          "gen-ident-1e5", "gen-ident-1e6",
                                          "gen-ident-1e7"};

/* The command line. Invariant: specs[0..nspecs) are the cases in order;
 * a sweep's generated specs point into gens and names. */
typedef struct run_opts {
    run_plan plan;
    cli_tables tables;
    engine_case_spec *specs;
    size_t nspecs;
    gen_spec gens[16];
    char names[16][32];
    bool any_workload;
    uint64_t max_n;
    const char *json, *csv, *md;
    bool progress;
} run_opts;

static void run_usage(FILE *out) {
    fprintf(out,
            "usage: internbench run [--table T]... [--case C | --lines F]... "
            "[--workload W]...\n"
            "                       [--reps N] [--json F] [--csv F] [--md F]\n"
            "                       [--sweep n|len] [--max-n N] [--records R] "
            "[--keys K]\n\n"
            "Runs every table over the cases, workload by workload, and prints "
            "a table per\nworkload: medians over N timed passes (after one "
            "warm-up), their min–max, and\neach table's ratio to the best. "
            "Every table × case is checked first: its unique\ncount and digest "
            "must equal the case's vector (vectors/cases/NAME.vec), or,\n"
            "without one, a reference computed by sorting the strings; a "
            "mismatch is printed\nas MISMATCH and the run exits 1.\n\n"
            "  --table T       a registered table (repeatable; default: the "
            "default set,\n                  see 'internbench tables')\n"
            "  --load PATH.so  add the tables of a plugin (repeatable; see "
            "harness/README.md)\n"
            "  --case C        a shipped or generated case's name, or a .case "
            "path (repeatable)\n"
            "  --lines F       a plain text file, one string per line "
            "(repeatable)\n"
            "  --cases-dir D   where shipped cases are\n"
            "  --vectors-dir D where .vec files are (default: vectors/cases "
            "beside the cases)\n"
            "  --workload W    build, hit, hit_shuffled, miss, batch_build, "
            "batch_hit,\n                  batch_hit_shuffled, batch_miss, "
            "memory, floor, identity,\n                  policy, smallint "
            "(repeatable; default: all)\n"
            "  --reps N        timed passes per measurement (default 5; 1 for "
            "smoke runs)\n"
            "  --json F        write the results and the machine context as "
            "JSON\n"
            "  --csv F         the same results as CSV (context as '# key: "
            "value' lines)\n"
            "  --md F          the printed tables as Markdown\n"
            "  --sweep n       cases gen-ident-1e3 .. gen-ident-1e7 (capped by "
            "--max-n)\n"
            "  --sweep len     generated cases of distinct strings of one "
            "length, 1..65536\n"
            "  --max-n N       the largest n of --sweep n (default 1e7)\n"
            "  --records R     records of identity (b) (default 1000)\n"
            "  --keys K        keys per record (default 3)\n\n"
            "Default cases: python-identifiers, english-words, json-keys, "
            "debian-file-paths,\nlong-license-texts, gen-zipf.\n"
            "Progress goes to stderr when it is a terminal.\n"
            "Exit status: 0 success, 1 a failed check, 2 bad usage or bad "
            "input.\n");
}

static bool run_add_case(run_opts *o, const char *value, bool lines) {
    engine_case_spec *n = realloc(o->specs, (o->nspecs + 1) * sizeof *o->specs);
    if (!n)
        return false;
    o->specs = n;
    o->specs[o->nspecs++] = (engine_case_spec){value, lines, NULL, NULL};
    return true;
}

enum {
    OPT_TABLE = 1000,
    OPT_LOAD,
    OPT_CASE,
    OPT_LINES,
    OPT_CASES_DIR,
    OPT_VECTORS_DIR,
    OPT_WORKLOAD,
    OPT_REPS,
    OPT_JSON,
    OPT_CSV,
    OPT_MD,
    OPT_SWEEP,
    OPT_MAX_N,
    OPT_RECORDS,
    OPT_KEYS
};

static const struct option run_options[] = {
    {"table", required_argument, NULL, OPT_TABLE},
    {"load", required_argument, NULL, OPT_LOAD},
    {"case", required_argument, NULL, OPT_CASE},
    {"lines", required_argument, NULL, OPT_LINES},
    {"cases-dir", required_argument, NULL, OPT_CASES_DIR},
    {"vectors-dir", required_argument, NULL, OPT_VECTORS_DIR},
    {"workload", required_argument, NULL, OPT_WORKLOAD},
    {"reps", required_argument, NULL, OPT_REPS},
    {"json", required_argument, NULL, OPT_JSON},
    {"csv", required_argument, NULL, OPT_CSV},
    {"md", required_argument, NULL, OPT_MD},
    {"sweep", required_argument, NULL, OPT_SWEEP},
    {"max-n", required_argument, NULL, OPT_MAX_N},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"keys", required_argument, NULL, OPT_KEYS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One option; false (message printed) on a bad value. */
static bool run_option(void *ctx, int opt, const char *v) {
    run_opts *o = ctx;
    run_plan *p = &o->plan;
    uint64_t n;
    switch (opt) {
    case OPT_TABLE:
        return cli_tables_add(&o->tables, "run", v);
    case OPT_LOAD:
        return cli_tables_load("run", v);
    case OPT_CASE:
    case OPT_LINES:
        return run_add_case(o, v, opt == OPT_LINES);
    case OPT_CASES_DIR:
        p->dirs.cases = v;
        return true;
    case OPT_VECTORS_DIR:
        p->dirs.vectors = v;
        return true;
    case OPT_WORKLOAD: {
        int w = run_workload_from_name(v);
        if (w < 0)
            fprintf(stderr, "internbench run: no workload '%s'\n", v);
        else
            p->workload[w] = o->any_workload = true;
        return w >= 0;
    }
    case OPT_REPS:
        if (!cli_count("run", "--reps", v, 1, 1000, &n))
            return false;
        p->reps = (int)n;
        return true;
    case OPT_SWEEP:
        p->sweep = v;
        if (strcmp(v, "n") != 0 && strcmp(v, "len") != 0)
            fprintf(stderr, "internbench run: --sweep n or len, not '%s'\n", v);
        return strcmp(v, "n") == 0 || strcmp(v, "len") == 0;
    case OPT_MAX_N:
        return cli_count("run", "--max-n", v, 1000, UINT64_C(1) << 40,
                         &o->max_n);
    case OPT_RECORDS:
        return cli_count("run", "--records", v, 1, 1000000, &p->records);
    case OPT_KEYS:
        return cli_count("run", "--keys", v, 1, 1000000, &p->keys);
    }
    const char **out = opt == OPT_JSON  ? &o->json
                       : opt == OPT_CSV ? &o->csv
                                        : &o->md;
    *out = v;
    return true;
}

/* CLI_OK, CLI_USAGE (printed), or -1 for --help. */
static int run_parse(int argc, char **argv, run_opts *o) {
    int rest;
    int rc = cli_parse(argc, argv, "run", run_options, run_option, o, run_usage,
                       &rest);
    if (rc != CLI_OK)
        return rc;
    if (!cli_no_operands("run", argc, argv, rest))
        return CLI_USAGE;
    if (o->plan.sweep && o->nspecs) {
        fprintf(stderr, "internbench run: --sweep makes its own cases; give "
                        "it no --case or --lines\n");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* The cases of a sweep, or the default set when none was given. */
static bool run_cases(run_opts *o) {
    const char *sweep = o->plan.sweep;
    if (sweep && strcmp(sweep, "n") == 0) {
        uint64_t n = 1000;
        for (size_t k = 0; k < 5 && n <= o->max_n; k++, n *= 10)
            if (!run_add_case(o, run_sweep_n[k], false))
                return false;
    } else if (sweep) {
        for (size_t k = 0; k < run_length_count; k++) {
            size_t len = run_lengths[k];
            uint64_t count = ((uint64_t)1 << 22) / len;
            count = count < 64 ? 64 : count > 100000 ? 100000 : count;
            gen_spec *g = &o->gens[k];
            gen_spec_init(g);
            g->seed = 100 + len;
            g->count = len == 1 ? 200 : count;
            g->alphabet = GEN_ALPHABET_BINARY;
            g->length = GEN_LENGTH_FIXED;
            g->len_min = g->len_max = (uint32_t)len;
            snprintf(o->names[k], sizeof o->names[k], "len-%zu", len);
            if (!run_add_case(o, NULL, false))
                return false;
            o->specs[o->nspecs - 1].gen = g;
            o->specs[o->nspecs - 1].name = o->names[k];
        }
    } else if (o->nspecs == 0) {
        for (size_t k = 0; k < RUN_DEFAULT_CASES; k++)
            if (!run_add_case(o, run_default_cases[k], false))
                return false;
    }
    return true;
}

/* ---- while it runs ------------------------------------------------------- */

static void run_show(void *ctx, const char *what, int rep, int reps) {
    const run_opts *o = ctx;
    if (!o->progress)
        return;
    if (reps > 0)
        fprintf(stderr, "\r\033[Krun: %s %d/%d", what, rep, reps);
    else
        fprintf(stderr, "\r\033[Krun: %s", what);
    fflush(stderr);
}

static void run_clear(const run_opts *o) {
    if (o->progress) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
}

static void run_mismatch(void *ctx, const char *message) {
    run_clear(ctx);
    printf("MISMATCH %s\n", message);
    fflush(stdout);
}

/* ---- output
 * ------------------------------------------------------------------ */

static const char *run_label(const run_opts *o) {
    const char *s = o->plan.sweep;
    return !s ? "" : strcmp(s, "n") == 0 ? " (sweep n)" : " (sweep len)";
}

/* Every view, as text on out or as Markdown. */
static int run_render(results *r, const run_opts *o, FILE *out, bool md) {
    size_t n;
    const render_view *views = render_run_views(&n);
    for (size_t i = 0; i < n; i++) {
        render_grid g;
        if (render_build(r, &views[i], run_label(o), &g) != 0) {
            render_grid_free(&g);
            return -1;
        }
        if (md)
            render_md(&g, out);
        else
            render_text(&g, out);
        render_grid_free(&g);
    }
    return 0;
}

static int run_write_md(results *r, const run_opts *o) {
    FILE *f = fopen(o->md, "w");
    if (!f) {
        perror(o->md);
        return CLI_USAGE;
    }
    fprintf(f, "# internbench run\n\n"
               "Generated by `internbench run`; medians of the repetitions "
               "with their min–max, ratios within this run. Compare tables "
               "within one run, not numbers across machines or runs.\n\n");
    render_context_md(r, f);
    fprintf(f, "- repetitions: %d (after one warm-up pass)\n", o->plan.reps);
    int rc = run_render(r, o, f, true);
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "internbench run: %s: cannot write\n", o->md);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int run_files(results *r, const run_opts *o) {
    char err[1024];
    if ((o->json && results_write_json(r, o->json, err, sizeof err) != 0) ||
        (o->csv && results_write_csv(r, o->csv, err, sizeof err) != 0)) {
        fprintf(stderr, "internbench run: %s\n", err);
        return CLI_USAGE;
    }
    return o->md ? run_write_md(r, o) : CLI_OK;
}

/* Runs the plan and renders it; the exit status. */
static int run_go(run_opts *o) {
    run_plan *p = &o->plan;
    results *r = results_new();
    if (!r) {
        fprintf(stderr, "internbench run: out of memory\n");
        return CLI_USAGE;
    }
    results_context_machine(r);
    printf("internbench run: %zu table%s × %zu case%s, %d rep%s after a "
           "warm-up (median, min–max)\n",
           p->ntables, p->ntables == 1 ? "" : "s", p->ncases,
           p->ncases == 1 ? "" : "s", p->reps, p->reps == 1 ? "" : "s");
    fflush(stdout);
    engine_error err;
    engine_status st = run_execute(p, r, &err);
    run_clear(o);
    int rc = CLI_OK;
    if (st != ENGINE_OK) {
        fprintf(stderr, "internbench run: %s\n", err.message);
        rc = CLI_USAGE;
    } else if (run_render(r, o, stdout, false) != 0 || !results_ok(r)) {
        fprintf(stderr, "internbench run: out of memory\n");
        rc = CLI_USAGE;
    } else {
        rc = run_files(r, o);
    }
    size_t failed = results_failure_count(r);
    if (rc == CLI_OK && failed) {
        printf("\nFAILED: %zu check%s failed (see MISMATCH above)\n", failed,
               failed == 1 ? "" : "s");
        rc = CLI_FAILED;
    }
    results_free(r);
    return rc;
}

int cmd_run(int argc, char **argv) {
    run_opts o = {0};
    o.plan.reps = 5;
    o.plan.records = 1000;
    o.plan.keys = 3;
    o.max_n = 10000000;
    int rc = run_parse(argc, argv, &o);
    if (rc == CLI_OK &&
        (!run_cases(&o) || !cli_tables_resolve(&o.tables, "run", false))) {
        fprintf(stderr, "internbench run: out of memory\n");
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        run_plan *p = &o.plan;
        /* none named: every workload (a sweep: the per-case ones) */
        for (int w = 0; !o.any_workload && w < RUN_WORKLOADS; w++)
            p->workload[w] =
                !p->sweep ||
                (w != RUN_IDENTITY && w != RUN_POLICY && w != RUN_SMALLINT);
        p->tables = o.tables.info;
        p->ntables = o.tables.count;
        p->cases = o.specs;
        p->ncases = o.nspecs;
        /* only identity or smallint: no case is loaded */
        bool per_case = false;
        for (int w = 0; w < RUN_WORKLOADS; w++)
            per_case |=
                p->workload[w] && w != RUN_IDENTITY && w != RUN_SMALLINT;
        if (!per_case)
            p->ncases = 0;
        p->progress = run_show;
        p->failure = run_mismatch;
        p->ctx = &o;
        o.progress = isatty(STDERR_FILENO);
        rc = run_go(&o);
    } else if (rc == CLI_USAGE) {
        fprintf(stderr, "(internbench run --help says how to run it)\n");
    }
    cli_tables_free(&o.tables);
    free(o.specs);
    return rc < 0 ? CLI_OK : rc;
}
