/* cmd_report.c: internbench report: the JSON of `internbench run` and of
 * the google-benchmark binary (bench/internbench_bench) turned into one
 * Markdown page (DIR/README.md) and SVG plots drawn by gnuplot; the rules
 * the page keeps are in report.h. Exit status: 0 written; 1 the Markdown
 * is written but a plot is not (gnuplot missing or failing); 2 bad usage,
 * bad input (naming the file) or an output error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "internbench/report.h"

static void report_usage(FILE *out) {
    fprintf(
        out,
        "usage: internbench report [--run FILE]... [--bench FILE]... "
        "[--from DIR]\n"
        "                          [-o DIR] [--no-plots | --plot-scripts]\n\n"
        "Reads the JSON of 'internbench run --json FILE' (--run; sweeps "
        "too) and of\nbench/internbench_bench --benchmark_out=FILE "
        "(--bench) and writes DIR/README.md:\nthe machine and the inputs, "
        "a table per workload (rows: our tables and the\npeers; columns: "
        "cases; medians and the ratio to the best), memory per "
        "string,\nidentity speedups by length, policy savings, the small-int "
        "cache and scaling;\nand the SVG plots it links, drawn with "
        "gnuplot.\n\n"
        "  --run FILE      JSON of internbench run (format "
        "\"" RESULTS_RUN_FORMAT "\", or v1),\n"
        "                  repeatable: the default run, a --sweep n run, a "
        "--sweep len run\n"
        "  --bench FILE    google-benchmark JSON of internbench_bench, "
        "repeatable\n"
        "  --from DIR      those of DIR/latest.json, sweep-n.json, "
        "sweep-len.json (runs)\n"
        "                  and bench.json that exist; one from another "
        "machine than\n"
        "                  the ones before it is left out with a note\n"
        "  -o, --out DIR   where to write (default results); created if "
        "missing\n"
        "  --no-plots      write the Markdown only (it links the plots all "
        "the same)\n"
        "  --plot-scripts  write each plot's gnuplot script as DIR/NAME.gp "
        "(run in DIR,\n"
        "                  it draws NAME.svg) instead of drawing it\n\n"
        "Inputs named with --run and --bench from different machines (CPU, "
        "host, CPU\ncount or caches differ) are refused: report each "
        "machine into its own\ndirectory.\n"
        "Exit status: 0 written; 1 the Markdown was written but a plot "
        "was not\n(gnuplot missing or failing); 2 bad usage, bad input or "
        "an output error.\n");
}

/* The command line. Invariant: specs[0..n) are the inputs in the order
 * given; owned[0..nowned) the paths made for --from. */
typedef struct report_opts {
    report_spec *specs;
    size_t n, cap;
    char **owned;
    size_t nowned;
    const char *dir;
    bool plots, scripts;
} report_opts;

static bool opts_add(report_opts *o, const char *path, report_kind kind,
                     bool optional) {
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        report_spec *s = realloc(o->specs, cap * sizeof *s);
        char **owned = realloc(o->owned, cap * sizeof *owned);
        if (s)
            o->specs = s;
        if (owned)
            o->owned = owned;
        if (!s || !owned)
            return false;
        o->cap = cap;
    }
    o->specs[o->n++] = (report_spec){path, kind, optional};
    return true;
}

/* --from DIR: the standard files, optional. */
static bool opts_from(report_opts *o, const char *dir) {
    for (size_t k = 0; k < report_from_count; k++) {
        size_t len = strlen(dir) + strlen(report_from_files[k].path) + 2;
        char *path = malloc(len);
        if (!path || !opts_add(o, path, report_from_files[k].kind, true)) {
            free(path);
            return false;
        }
        snprintf(path, len, "%s/%s", dir, report_from_files[k].path);
        o->owned[o->nowned++] = path;
    }
    return true;
}

static void opts_free(report_opts *o) {
    for (size_t i = 0; i < o->nowned; i++)
        free(o->owned[i]);
    free(o->owned);
    free(o->specs);
}

enum { OPT_RUN = 1000, OPT_BENCH, OPT_FROM, OPT_NO_PLOTS, OPT_SCRIPTS };

static const struct option report_options[] = {
    {"run", required_argument, NULL, OPT_RUN},
    {"bench", required_argument, NULL, OPT_BENCH},
    {"from", required_argument, NULL, OPT_FROM},
    {"out", required_argument, NULL, 'o'},
    {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
    {"plot-scripts", no_argument, NULL, OPT_SCRIPTS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool report_option(void *ctx, int opt, const char *v) {
    report_opts *o = ctx;
    switch (opt) {
    case OPT_RUN:
    case OPT_BENCH:
        if (opts_add(o, v, opt == OPT_RUN ? REPORT_RUN : REPORT_BENCH, false))
            return true;
        break;
    case OPT_FROM:
        if (opts_from(o, v))
            return true;
        break;
    case 'o':
        o->dir = v;
        return true;
    case OPT_NO_PLOTS:
        o->plots = false;
        return true;
    default:
        o->scripts = true;
        return true;
    }
    fprintf(stderr, "internbench report: out of memory\n");
    return false;
}

/* Reads the inputs, writes the page and the plots: the exit status. */
static int report_go(const report_opts *o) {
    report_input *ins = calloc(o->n ? o->n : 1, sizeof *ins);
    size_t nins = 0;
    char err[2048];
    int rc = CLI_USAGE;
    int loaded =
        ins ? report_load(o->specs, o->n, ins, &nins, stderr, err, sizeof err)
            : -1;
    if (!ins)
        snprintf(err, sizeof err, "out of memory");
    else if (loaded == 0 && nins == 0)
        snprintf(err, sizeof err,
                 "no input: give --run FILE, --bench FILE or --from DIR (with "
                 "latest.json, sweep-n.json, sweep-len.json or bench.json)");
    else if (loaded == 0 &&
             report_write_page(o->dir, ins, nins, err, sizeof err) == 0)
        rc = CLI_OK;
    if (rc != CLI_OK) {
        fprintf(stderr, "internbench report: %s\n", err);
    } else {
        printf("internbench report: wrote %s/README.md from %zu input%s\n",
               o->dir, nins, nins == 1 ? "" : "s");
        if (o->plots &&
            report_plots(ins, nins, o->dir,
                         o->scripts ? REPORT_PLOTS_SCRIPTS : REPORT_PLOTS_DRAW,
                         stderr) < 0)
            rc = CLI_FAILED;
        else if (o->plots)
            printf("internbench report: plot%s written in %s\n",
                   o->scripts ? " scripts" : "s", o->dir);
    }
    for (size_t i = 0; i < nins; i++)
        report_input_free(&ins[i]);
    free(ins);
    return rc;
}

int cmd_report(int argc, char **argv) {
    report_opts o = {.dir = "results", .plots = true};
    int rest;
    int rc = cli_parse_shorts(argc, argv, "report", ":ho:", report_options,
                              report_option, &o, report_usage, &rest);
    if (rc == CLI_OK && !cli_no_operands("report", argc, argv, rest))
        rc = CLI_USAGE;
    if (rc == CLI_OK && o.n == 0) {
        fprintf(stderr, "internbench report: no input: give --run FILE, "
                        "--bench FILE or --from DIR\n");
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK)
        rc = report_go(&o);
    else if (rc == CLI_USAGE)
        report_usage(stderr);
    opts_free(&o);
    return rc < 0 ? CLI_OK : rc;
}
