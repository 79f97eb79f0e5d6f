/* cmd_compare.c: internbench compare BASELINE CURRENT: the regression
 * check CI runs on two 'internbench metrics' files.
 *
 * Every metric is lower-is-better. A metric is worse when its current
 * value exceeds the baseline's by more than its kind's threshold, in
 * percent of the baseline (any increase over a baseline of 0). A row of
 * the baseline missing from the current file fails too (a table or case
 * dropped from the check); a row only in the current file is reported
 * as new and passes. Exit 1 when anything failed, else 0; 2 on bad
 * usage or a file that is not a metrics file, naming it. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define COMPARE_FORMAT "internbench-metrics v1"

/* What a metric measures, each kind with its own default threshold. */
enum {
    COMPARE_BYTES,
    COMPARE_ALLOCATIONS,
    COMPARE_PROBES,
    COMPARE_INSTRUCTIONS,
    COMPARE_KINDS
};
static const char *const compare_kind_names[COMPARE_KINDS] = {
    "bytes", "allocations", "probes", "instructions"};
/* Percent. Bytes and allocations are exact counts: any increase is a
 * regression. Probes are exact too, but a mean over one seed's layout:
 * a change of the hash or the growth rule moves them a little either
 * way. Instruction counts move with code layout and inlining. */
static const double compare_kind_defaults[COMPARE_KINDS] = {0, 0, 1, 2};

static const struct {
    const char *metric;
    int kind;
} compare_metrics[] = {
    {"bytes_per_string", COMPARE_BYTES},   {"allocations", COMPARE_ALLOCATIONS},
    {"probes_hit", COMPARE_PROBES},        {"probes_miss", COMPARE_PROBES},
    {"instr_build", COMPARE_INSTRUCTIONS}, {"instr_hit", COMPARE_INSTRUCTIONS},
    {"instr_miss", COMPARE_INSTRUCTIONS},
};
#define COMPARE_METRIC_COUNT                                                   \
    (sizeof compare_metrics / sizeof compare_metrics[0])

/* One row of a metrics file; the strings belong to the file's JSON. */
typedef struct compare_row {
    const char *cname, *table, *metric;
    int kind;
    double value;
    bool matched;
} compare_row;

/* A loaded metrics file. Invariant: rows are unique by (case, table,
 * metric) and every kind is known. */
typedef struct compare_file {
    const char *path;
    json_t *root;
    compare_row *rows;
    size_t count;
} compare_file;

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

static int compare_kind_of(const char *metric) {
    for (size_t i = 0; i < COMPARE_METRIC_COUNT; i++)
        if (strcmp(compare_metrics[i].metric, metric) == 0)
            return compare_metrics[i].kind;
    return -1;
}

static int compare_bad(const compare_file *f, size_t row, const char *what) {
    if (row == (size_t)-1)
        fprintf(stderr, "internbench compare: %s: %s\n", f->path, what);
    else
        fprintf(stderr, "internbench compare: %s: metrics[%zu]: %s\n", f->path,
                row, what);
    return CLI_USAGE;
}

static const char *compare_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Loads and checks path. Returns CLI_OK, or CLI_USAGE after printing
 * what is wrong with the file. */
static int compare_load(const char *path, compare_file *f) {
    memset(f, 0, sizeof *f);
    f->path = path;
    json_error_t jerr;
    f->root = json_load_file(path, 0, &jerr);
    if (!f->root) {
        if (jerr.line > 0)
            fprintf(stderr, "internbench compare: %s:%d:%d: %s\n", path,
                    jerr.line, jerr.column, jerr.text);
        else
            fprintf(stderr, "internbench compare: %s: %s\n", path, jerr.text);
        return CLI_USAGE;
    }
    const char *format = compare_str(f->root, "format");
    if (!format || strcmp(format, COMPARE_FORMAT) != 0)
        return compare_bad(
            f, (size_t)-1,
            "not a metrics file (no \"format\": \"" COMPARE_FORMAT "\")");
    json_t *rows = json_object_get(f->root, "metrics");
    if (!json_is_array(rows))
        return compare_bad(f, (size_t)-1, "no \"metrics\" array");
    f->count = json_array_size(rows);
    f->rows = calloc(f->count ? f->count : 1, sizeof *f->rows);
    if (!f->rows)
        return compare_bad(f, (size_t)-1, "out of memory");
    for (size_t i = 0; i < f->count; i++) {
        json_t *o = json_array_get(rows, i);
        compare_row *r = &f->rows[i];
        json_t *v = json_object_get(o, "value");
        r->cname = compare_str(o, "case");
        r->table = compare_str(o, "table");
        r->metric = compare_str(o, "metric");
        if (!json_is_object(o))
            return compare_bad(f, i, "not an object");
        if (!r->cname || !r->table || !r->metric)
            return compare_bad(f, i,
                               "needs string \"case\", \"table\" and "
                               "\"metric\"");
        if (!json_is_number(v))
            return compare_bad(f, i, "needs a number \"value\"");
        r->value = json_number_value(v);
        if (!isfinite(r->value) || r->value < 0)
            return compare_bad(f, i, "\"value\" must be a finite number >= 0");
        r->kind = compare_kind_of(r->metric);
        if (r->kind < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown metric '%.100s'", r->metric);
            return compare_bad(f, i, msg);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->rows[j].cname, r->cname) == 0 &&
                strcmp(f->rows[j].table, r->table) == 0 &&
                strcmp(f->rows[j].metric, r->metric) == 0)
                return compare_bad(f, i,
                                   "the same case, table and metric "
                                   "as an earlier row");
    }
    return CLI_OK;
}

static void compare_free(compare_file *f) {
    json_decref(f->root);
    free(f->rows);
}

/* Notes a context field that differs: instruction counts are comparable
 * only between builds by the same compiler with the same flags. */
static void compare_context(const compare_file *b, const compare_file *c) {
    static const char *const keys[] = {"compiler", "build_type", "flags",
                                       "seed", "instructions"};
    json_t *bc = json_object_get(b->root, "context");
    json_t *cc = json_object_get(c->root, "context");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *bv = compare_str(bc, keys[i]);
        const char *cv = compare_str(cc, keys[i]);
        if (bv && cv && strcmp(bv, cv) != 0)
            printf("note: %s differs: baseline '%s', current '%s'\n", keys[i],
                   bv, cv);
    }
}

static int compare_parse_threshold(const char *arg, double *limits) {
    const char *eq = strchr(arg, '=');
    const char *num = eq ? eq + 1 : arg;
    char *end;
    errno = 0;
    double v = strtod(num, &end);
    if (!*num || *end || errno || !isfinite(v) || v < 0) {
        fprintf(stderr,
                "internbench compare: --threshold '%s': want PCT or KIND=PCT "
                "with PCT a number >= 0\n",
                arg);
        return CLI_USAGE;
    }
    if (!eq) {
        for (int k = 0; k < COMPARE_KINDS; k++)
            limits[k] = v;
        return CLI_OK;
    }
    for (int k = 0; k < COMPARE_KINDS; k++)
        if (strlen(compare_kind_names[k]) == (size_t)(eq - arg) &&
            strncmp(arg, compare_kind_names[k], (size_t)(eq - arg)) == 0) {
            limits[k] = v;
            return CLI_OK;
        }
    fprintf(stderr,
            "internbench compare: --threshold '%s': unknown kind (bytes, "
            "allocations, probes, instructions)\n",
            arg);
    return CLI_USAGE;
}

static void compare_print_row(const char *cname, const char *table,
                              const char *metric, const char *base,
                              const char *cur, const char *delta,
                              const char *change, const char *limit,
                              const char *status) {
    printf("%-18s %-14s %-16s %12s %12s %11s %9s %6s  %s\n", cname, table,
           metric, base, cur, delta, change, limit, status);
}

int cmd_compare(int argc, char **argv) {
    const char *paths[2] = {NULL, NULL};
    size_t npaths = 0;
    bool all = false;
    double limits[COMPARE_KINDS];
    memcpy(limits, compare_kind_defaults, sizeof limits);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            compare_usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--all") == 0) {
            all = true;
        } else if (strcmp(argv[i], "--threshold") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "internbench compare: --threshold needs a "
                                "value\n");
                return CLI_USAGE;
            }
            if (compare_parse_threshold(argv[++i], limits) != CLI_OK)
                return CLI_USAGE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "internbench compare: unknown option '%s'\n\n",
                    argv[i]);
            compare_usage(stderr);
            return CLI_USAGE;
        } else if (npaths < 2) {
            paths[npaths++] = argv[i];
        } else {
            fprintf(stderr, "internbench compare: more than two files\n\n");
            compare_usage(stderr);
            return CLI_USAGE;
        }
    }
    if (npaths != 2) {
        compare_usage(stderr);
        return CLI_USAGE;
    }

    compare_file base, cur;
    int rc = compare_load(paths[0], &base);
    if (rc == CLI_OK)
        rc = compare_load(paths[1], &cur);
    else
        memset(&cur, 0, sizeof cur);
    if (rc != CLI_OK) {
        compare_free(&base);
        compare_free(&cur);
        return rc;
    }

    printf("internbench compare: %s -> %s\n", paths[0], paths[1]);
    printf("thresholds (increase allowed, %% of baseline):");
    for (int k = 0; k < COMPARE_KINDS; k++)
        printf(" %s %g%%", compare_kind_names[k], limits[k]);
    printf("\n");
    compare_context(&base, &cur);
    printf("\n");
    compare_print_row("case", "table", "metric", "baseline", "current", "delta",
                      "change", "limit", "status");
    for (int i = 0; i < 110; i++)
        putchar('-');
    putchar('\n');

    size_t worse = 0, better = 0, same = 0, missing = 0, added = 0;
    for (size_t i = 0; i < base.count; i++) {
        const compare_row *b = &base.rows[i];
        compare_row *c = NULL;
        for (size_t j = 0; j < cur.count && !c; j++)
            if (!cur.rows[j].matched &&
                strcmp(cur.rows[j].cname, b->cname) == 0 &&
                strcmp(cur.rows[j].table, b->table) == 0 &&
                strcmp(cur.rows[j].metric, b->metric) == 0)
                c = &cur.rows[j];
        char bs[32], cs[32], ds[32], chs[32], ls[32];
        snprintf(bs, sizeof bs, "%.6g", b->value);
        snprintf(ls, sizeof ls, "%g%%", limits[b->kind]);
        if (!c) {
            missing++;
            compare_print_row(b->cname, b->table, b->metric, bs, "-", "-", "-",
                              ls, "MISSING");
            continue;
        }
        c->matched = true;
        double delta = c->value - b->value;
        double pct = b->value > 0 ? 100.0 * delta / b->value
                                  : (delta > 0 ? INFINITY : 0.0);
        const char *status;
        if (delta > 0 && pct > limits[b->kind]) {
            status = "WORSE";
            worse++;
        } else if (delta > 0) {
            status = "worse, within limit";
            same++;
        } else if (delta < 0) {
            status = "better";
            better++;
        } else {
            status = "same";
            same++;
        }
        if (!all && delta == 0)
            continue;
        snprintf(cs, sizeof cs, "%.6g", c->value);
        snprintf(ds, sizeof ds, "%+.4g", delta);
        if (isinf(pct))
            snprintf(chs, sizeof chs, "new>0");
        else
            snprintf(chs, sizeof chs, "%+.3f%%", pct);
        compare_print_row(b->cname, b->table, b->metric, bs, cs, ds, chs, ls,
                          status);
    }
    for (size_t j = 0; j < cur.count; j++) {
        const compare_row *c = &cur.rows[j];
        if (c->matched)
            continue;
        added++;
        char cs[32];
        snprintf(cs, sizeof cs, "%.6g", c->value);
        compare_print_row(c->cname, c->table, c->metric, "-", cs, "-", "-", "-",
                          "new");
    }
    if (worse + better + missing + added == 0 && !all)
        printf("(no changes)\n");
    printf("\n%zu rows: %zu worse, %zu better, %zu unchanged or within "
           "limits, %zu missing, %zu new\n",
           base.count + added, worse, better, same, missing, added);
    if (worse || missing)
        printf("FAIL: %zu metrics worse than their thresholds, %zu missing\n"
               "(if the change is meant, rewrite the baseline: see README "
               "\"Regression tracking\")\n",
               worse, missing);
    else
        printf("ok: no metric worse than its threshold\n");
    compare_free(&base);
    compare_free(&cur);
    return worse || missing ? CLI_FAILED : CLI_OK;
}
