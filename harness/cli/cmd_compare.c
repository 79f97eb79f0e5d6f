/* cmd_compare.c: internbench compare BASELINE CURRENT: the regression
 * check CI runs on two 'internbench metrics' files (the rules are in
 * internbench/compare.h). Exit 1 when a metric is worse than its
 * threshold or a baseline row is missing, else 0; 2 on bad usage or a
 * file that is not a metrics file, naming it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_util.h"
#include "internbench/compare.h"

static void compare_usage(FILE *out) {
    fprintf(out,
            "usage: internbench compare BASELINE CURRENT [--threshold "
            "[KIND=]PCT]... [--all]\n\n"
            "Compares two 'internbench metrics --json' files row by row "
            "(case × table ×\n"
            "metric; lower is better) and prints the changes. Exit 1 when a "
            "metric is\n"
            "worse than its threshold or a baseline row is missing, else 0; "
            "2 on bad\n"
            "input.\n\n"
            "  --threshold PCT       the allowed increase, percent of the "
            "baseline, for\n"
            "                        every kind\n"
            "  --threshold KIND=PCT  for one kind: bytes (default 0), "
            "allocations (0),\n"
            "                        probes (1), instructions (2)\n"
            "  --all                 print every row, not only the changed "
            "ones\n");
}

static void compare_print_row(const char *cname, const char *table,
                              const char *metric, const char *base,
                              const char *cur, const char *delta,
                              const char *change, const char *limit,
                              const char *status) {
    printf("%-18s %-14s %-16s %12s %12s %11s %9s %6s  %s\n", cname, table,
           metric, base, cur, delta, change, limit, status);
}

/* The command line. Invariant: limits holds every kind's threshold,
 * the default unless --threshold set it; paths are set once parsed. */
typedef struct compare_args {
    const char *paths[2];
    bool all;
    double limits[COMPARE_KINDS];
} compare_args;

enum { COMPARE_OPT_ALL = CLI_OPT_OWN, COMPARE_OPT_THRESHOLD };

static bool compare_option(void *ctx, int opt, const char *value) {
    compare_args *a = ctx;
    char msg[256];
    if (opt == COMPARE_OPT_ALL) {
        a->all = true;
    } else if (!compare_limits_parse(a->limits, value, msg, sizeof msg)) {
        fprintf(stderr, "internbench compare: %s\n", msg);
        return false;
    }
    return true;
}

/* Fills a from argv; CLI_OK, CLI_DONE or an exit code. */
static int compare_parse_args(int argc, char **argv, compare_args *a) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"all", no_argument, NULL, COMPARE_OPT_ALL},
        {"threshold", required_argument, NULL, COMPARE_OPT_THRESHOLD},
        {NULL, 0, NULL, 0},
    };
    int rest;
    int rc = cli_parse(argc, argv, "compare", options, compare_option, a,
                       compare_usage, &rest);
    if (rc != CLI_OK)
        return rc;
    if (argc - rest > 2)
        fprintf(stderr, "internbench compare: more than two files\n\n");
    if (argc - rest != 2) {
        compare_usage(stderr);
        return CLI_USAGE;
    }
    a->paths[0] = argv[rest];
    a->paths[1] = argv[rest + 1];
    return CLI_OK;
}

static void compare_print_head(const compare_args *a, const compare_file *base,
                               const compare_file *cur) {
    printf("internbench compare: %s -> %s\n", a->paths[0], a->paths[1]);
    printf("thresholds (increase allowed, %% of baseline):");
    for (int k = 0; k < COMPARE_KINDS; k++)
        printf(" %s %g%%", compare_kind_name((compare_kind)k), a->limits[k]);
    printf("\n");
    for (size_t i = 0; compare_context_keys[i]; i++) {
        const char *bv = compare_context(base, compare_context_keys[i]);
        const char *cv = compare_context(cur, compare_context_keys[i]);
        if (bv && cv && strcmp(bv, cv) != 0)
            printf("note: %s differs: baseline '%s', current '%s'\n",
                   compare_context_keys[i], bv, cv);
    }
    printf("\n");
    compare_print_row("case", "table", "metric", "baseline", "current", "delta",
                      "change", "limit", "status");
    for (int i = 0; i < 110; i++)
        putchar('-');
    putchar('\n');
}

static void compare_print_change(const compare_change *ch,
                                 const double *limits) {
    static const char *const status[] = {
        [COMPARE_SAME] = "same",       [COMPARE_WITHIN] = "worse, within limit",
        [COMPARE_BETTER] = "better",   [COMPARE_WORSE] = "WORSE",
        [COMPARE_MISSING] = "MISSING", [COMPARE_NEW] = "new"};
    const compare_row *r = ch->base ? ch->base : ch->cur;
    char bs[32] = "-", cs[32] = "-", ds[32] = "-", chs[32] = "-", ls[32] = "-";
    if (ch->base) {
        snprintf(bs, sizeof bs, "%.6g", ch->base->value);
        snprintf(ls, sizeof ls, "%g%%", limits[ch->base->kind]);
    }
    if (ch->cur)
        snprintf(cs, sizeof cs, "%.6g", ch->cur->value);
    if (ch->base && ch->cur) {
        snprintf(ds, sizeof ds, "%+.4g", ch->delta);
        if (isinf(ch->pct))
            snprintf(chs, sizeof chs, "new>0");
        else
            snprintf(chs, sizeof chs, "%+.3f%%", ch->pct);
    }
    compare_print_row(r->cname, r->table, r->metric, bs, cs, ds, chs, ls,
                      status[ch->verdict]);
}

static void compare_print_result(const compare_result *res,
                                 const double *limits, bool all) {
    for (size_t i = 0; i < res->count; i++) {
        const compare_change *ch = &res->changes[i];
        bool unchanged = ch->base && ch->cur && ch->delta == 0;
        if (all || !unchanged)
            compare_print_change(ch, limits);
    }
    if (res->worse + res->better + res->missing + res->added == 0 && !all)
        printf("(no changes)\n");
    printf("\n%zu rows: %zu worse, %zu better, %zu unchanged or within "
           "limits, %zu missing, %zu new\n",
           res->count, res->worse, res->better, res->same, res->missing,
           res->added);
    if (compare_failed(res))
        printf("FAIL: %zu metrics worse than their thresholds, %zu missing\n"
               "(if the change is meant, rewrite the baseline: see README "
               "\"Regression tracking\")\n",
               res->worse, res->missing);
    else
        printf("ok: no metric worse than its threshold\n");
}

/* Loads both files and prints their comparison. */
static int compare_run(const compare_args *a) {
    compare_file base, cur;
    compare_result res = {0};
    char msg[1024];
    int rc = CLI_USAGE;
    memset(&cur, 0, sizeof cur);
    if (compare_load(a->paths[0], &base, msg, sizeof msg) != 0 ||
        compare_load(a->paths[1], &cur, msg, sizeof msg) != 0)
        fprintf(stderr, "internbench compare: %s\n", msg);
    else if (compare_files(&base, &cur, a->limits, &res) != 0)
        fprintf(stderr, "internbench compare: out of memory\n");
    else {
        compare_print_head(a, &base, &cur);
        compare_print_result(&res, a->limits, a->all);
        rc = compare_failed(&res) ? CLI_FAILED : CLI_OK;
    }
    compare_result_free(&res);
    compare_free(&base);
    compare_free(&cur);
    return rc;
}

int cmd_compare(int argc, char **argv) {
    compare_args a = {{NULL, NULL}, false, {0}};
    compare_limits_init(a.limits);
    int rc = compare_parse_args(argc, argv, &a);
    if (rc != CLI_OK)
        return rc == CLI_DONE ? CLI_OK : rc;
    return compare_run(&a);
}
