/* cmd_metrics.c: internbench metrics: the deterministic numbers CI
 * tracks (metrics.h), printed and written as JSON for `internbench
 * compare`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "internbench/metrics.h"

/* The default workload: small, fixed, quick under callgrind. Short keys
 * with repeats (a shipped corpus), 10^4 distinct generated identifiers,
 * and CPython's limits (lengths up to 4097, some repeats). */
static const char *const metrics_default_cases[] = {
    "json-keys", "gen-ident-1e4", "gen-cpython-limits"};

static void metrics_usage(FILE *out) {
    fprintf(out,
            "usage: internbench metrics [--table T]... [--case C]... "
            "[--cases-dir DIR]\n"
            "                           [--json FILE] [--no-instructions]\n\n"
            "The deterministic numbers that 'internbench compare' checks, "
            "per table × case,\nwith a fixed hash seed: bytes per string and "
            "allocations after a build,\nprobes per hit and per miss, and "
            "instructions per op of the build, hit and\nmiss passes "
            "(callgrind: valgrind must be installed).\n\n"
            "  --table T          a table (default: every registered table)\n"
            "  --load PATH.so     add the tables of a plugin (repeatable)\n"
            "  --case C           a shipped or generated case (default: "
            "json-keys,\n"
            "                     gen-ident-1e4, gen-cpython-limits)\n"
            "  --cases-dir DIR    where shipped cases are\n"
            "  --json FILE        write the metrics (format "
            "\"" RESULTS_METRICS_FORMAT "\")\n"
            "  --no-instructions  skip callgrind (no instr_* metrics)\n\n"
            "Exit status: 0 success, 1 a table failed its check, 2 bad usage "
            "or input.\n");
}

/* The command line. */
typedef struct metrics_opts {
    metrics_plan plan;
    cli_tables tables;
    engine_case_spec *specs;
    size_t nspecs;
    const char *json;
    bool instructions, child;
} metrics_opts;

enum {
    OPT_TABLE = 1000,
    OPT_LOAD,
    OPT_CASE,
    OPT_CDIR,
    OPT_JSON,
    OPT_NOI,
    OPT_CHILD
};

static const struct option metrics_options[] = {
    {"table", required_argument, NULL, OPT_TABLE},
    {"load", required_argument, NULL, OPT_LOAD},
    {"case", required_argument, NULL, OPT_CASE},
    {"cases-dir", required_argument, NULL, OPT_CDIR},
    {"json", required_argument, NULL, OPT_JSON},
    {"no-instructions", no_argument, NULL, OPT_NOI},
    {"callgrind-child", no_argument, NULL, OPT_CHILD},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool metrics_add_case(metrics_opts *o, const char *v) {
    engine_case_spec *n = realloc(o->specs, (o->nspecs + 1) * sizeof *n);
    if (!n)
        return false;
    o->specs = n;
    o->specs[o->nspecs++] = (engine_case_spec){v, false, NULL, NULL};
    return true;
}

static bool metrics_option(void *ctx, int opt, const char *v) {
    metrics_opts *o = ctx;
    switch (opt) {
    case OPT_TABLE:
        return cli_tables_add(&o->tables, "metrics", v);
    case OPT_LOAD:
        return cli_tables_load("metrics", v);
    case OPT_CASE:
        return metrics_add_case(o, v);
    case OPT_CDIR:
        o->plan.dirs.cases = v;
        return true;
    case OPT_JSON:
        o->json = v;
        return true;
    case OPT_NOI:
        o->instructions = false;
        return true;
    default:
        o->child = true;
        return true;
    }
}

/* CLI_OK, CLI_USAGE (printed) or -1 for --help. */
static int metrics_parse(int argc, char **argv, metrics_opts *o) {
    int rest;
    int rc = cli_parse(argc, argv, "metrics", metrics_options, metrics_option,
                       o, metrics_usage, &rest);
    if (rc != CLI_OK)
        return rc;
    if (!cli_no_operands("metrics", argc, argv, rest))
        return CLI_USAGE;
    if (o->nspecs == 0)
        for (size_t k = 0; k < 3; k++)
            if (!metrics_add_case(o, metrics_default_cases[k]))
                return CLI_USAGE;
    return cli_tables_resolve(&o->tables, "metrics", true) ? CLI_OK : CLI_USAGE;
}

/* ---- output
 * ------------------------------------------------------------------ */

static void metrics_cell(const results *r, const char *cname, const char *table,
                         const char *metric, const char *fmt, int width) {
    const results_row *x = results_find(r, "metrics", cname, table, "", metric);
    if (x)
        printf(fmt, width, x->value);
    else
        printf(" %*s", width, "-");
}

static void metrics_print(results *r, const metrics_opts *o) {
    printf("internbench metrics: %zu tables × %zu cases, seed fixed, "
           "instructions %s\n\n",
           o->tables.count, o->nspecs,
           o->instructions ? "from callgrind" : "not counted");
    printf("%-18s %-14s %9s %7s %8s %8s %9s %9s %9s\n", "case", "table",
           "B/string", "allocs", "probes/h", "probes/m", "Ir/build", "Ir/hit",
           "Ir/miss");
    for (int i = 0; i < 99; i++)
        putchar('-');
    putchar('\n');
    static const char *const metric[] = {
        "bytes_per_string", "allocations", "probes_hit", "probes_miss",
        "instr_build",      "instr_hit",   "instr_miss"};
    static const char *const fmt[] = {" %*.2f", " %*.0f", " %*.3f", " %*.3f",
                                      " %*.1f", " %*.1f", " %*.1f"};
    static const int width[] = {9, 7, 8, 8, 9, 9, 9};
    size_t i;
    json_t *c;
    json_array_foreach(results_cases(r), i, c) {
        const char *cname = json_string_value(json_object_get(c, "name"));
        for (size_t t = 0; t < o->tables.count; t++) {
            const char *tn = o->tables.info[t]->ops->name;
            printf("%-18s %-14s", cname, tn);
            for (size_t k = 0; k < 7; k++)
                metrics_cell(r, cname, tn, metric[k], fmt[k], width[k]);
            putchar('\n');
        }
    }
}

static void metrics_mismatch(void *ctx, const char *message) {
    (void)ctx;
    printf("MISMATCH %s\n", message);
    fflush(stdout);
}

/* The child's arguments: ours, marked as the child. */
static const char **metrics_child_args(int argc, char **argv) {
    const char **a = calloc((size_t)argc + 3, sizeof *a);
    if (!a)
        return NULL;
    a[0] = "metrics";
    a[1] = "--callgrind-child";
    for (int i = 1; i < argc; i++)
        a[i + 1] = argv[i];
    return a;
}

/* Collects (under callgrind first when counting instructions) and
 * reports; the exit status. */
static int metrics_go(metrics_opts *o, int argc, char **argv, results *r) {
    engine_error err;
    metrics_ir ir = {0};
    engine_status st = ENGINE_OK;
    if (o->instructions && !o->child) {
        const char **args = metrics_child_args(argc, argv);
        st = args ? metrics_instructions(&o->plan, args, &ir, &err)
                  : ENGINE_ENOMEM;
        free(args);
    }
    if (st == ENGINE_OK)
        st = metrics_collect(&o->plan, ir.ir ? &ir : NULL, r, &err);
    metrics_ir_free(&ir);
    if (st == ENGINE_ECHECK)
        return CLI_FAILED;
    if (st != ENGINE_OK) {
        fprintf(stderr, "internbench metrics: %s\n",
                st == ENGINE_ENOMEM ? "out of memory" : err.message);
        return CLI_USAGE;
    }
    if (results_failure_count(r))
        return CLI_FAILED;
    if (o->child)
        return CLI_OK;
    metrics_print(r, o);
    char msg[1024];
    if (o->json && results_write_metrics_json(r, o->json, msg, sizeof msg)) {
        fprintf(stderr, "internbench metrics: %s\n", msg);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cmd_metrics(int argc, char **argv) {
    metrics_opts o = {.instructions = true};
    int rc = metrics_parse(argc, argv, &o);
    if (rc == CLI_OK && o.child && !metrics_on_valgrind()) {
        fprintf(stderr, "internbench metrics: --callgrind-child is for the "
                        "run under callgrind only\n");
        rc = CLI_USAGE;
    } else if (rc == CLI_OK && o.instructions && !metrics_have_callgrind()) {
        fprintf(stderr, "internbench metrics: built without "
                        "<valgrind/callgrind.h>: only --no-instructions\n");
        rc = CLI_USAGE;
    }
    results *r = rc == CLI_OK ? results_new() : NULL;
    if (rc == CLI_OK && r) {
        o.plan.tables = o.tables.info;
        o.plan.ntables = o.tables.count;
        o.plan.cases = o.specs;
        o.plan.ncases = o.nspecs;
        o.plan.under_callgrind = o.child;
        o.plan.failure = metrics_mismatch;
        rc = metrics_go(&o, argc, argv, r);
    } else if (rc == CLI_OK) {
        fprintf(stderr, "internbench metrics: out of memory\n");
        rc = CLI_USAGE;
    }
    results_free(r);
    cli_tables_free(&o.tables);
    free(o.specs);
    return rc < 0 ? CLI_OK : rc;
}
