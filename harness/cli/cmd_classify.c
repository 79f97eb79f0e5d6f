/* cmd_classify.c: internbench classify: the string classes of a case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_case.h"
#include "cli_util.h"
#include "internbench/classify.h"

static void classify_usage(FILE *out) {
    fprintf(out,
            "usage: internbench classify [--each] [--case] CASE\n"
            "       internbench classify [--each] --lines FILE\n"
            "       internbench classify --version\n\n"
            "Counts the strings of a case in each class, with their bytes "
            "(every string,\nin file order, duplicates included). A string "
            "may be in several classes.\n\n"
            "  --each            print one line per string instead: the "
            "string, escaped\n"
            "                    as in case files (and a tab as \\t), a "
            "tab, its classes\n"
            "                    separated by ','\n"
            "  --version         the PCRE2 version and whether the patterns "
            "run JIT-compiled\n"
            "                    or on the interpreter\n%s\nclasses:\n",
            cli_case_help);
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        fprintf(out, "  %-14s %s\n", classify_class_name(c),
                classify_class_summary(c));
}

static int classify_each_line(const case_data *d, size_t i, classify_mask mask,
                              char **buf, size_t *cap) {
    const char *s = d->bytes + d->offset[i];
    size_t need = case_escape(s, d->len[i], CASE_ENCODING_BYTES, *buf, *cap);
    if (need >= *cap) {
        char *nb = realloc(*buf, need + 1);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = need + 1;
        case_escape(s, d->len[i], CASE_ENCODING_BYTES, *buf, *cap);
    }
    /* case files keep tabs raw; here a tab separates the columns */
    for (const char *c = *buf; *c; c++)
        if (*c == '\t')
            fputs("\\t", stdout);
        else
            putchar(*c);
    putchar('\t');
    bool first = true;
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        if (mask & (1u << c)) {
            printf("%s%s", first ? "" : ",", classify_class_name(c));
            first = false;
        }
    putchar('\n');
    return 0;
}

/* The command line. Invariant: carg.spec is --case's value or the one
 * operand, never both. */
typedef struct classify_args {
    cli_case_arg carg;
    bool each, version;
} classify_args;

enum { CLASSIFY_OPT_EACH = CLI_OPT_OWN, CLASSIFY_OPT_VERSION };

static bool classify_option(void *ctx, int opt, const char *value) {
    classify_args *a = ctx;
    if (opt == CLASSIFY_OPT_EACH)
        a->each = true;
    else if (opt == CLASSIFY_OPT_VERSION)
        a->version = true;
    else
        cli_case_arg_set(&a->carg, opt, value);
    return true;
}

/* Fills a from argv (a lone CASE operand is --case CASE); CLI_OK,
 * CLI_DONE or an exit code. */
static int classify_parse_args(int argc, char **argv, classify_args *a) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"each", no_argument, NULL, CLASSIFY_OPT_EACH},
        {"version", no_argument, NULL, CLASSIFY_OPT_VERSION},
        CLI_CASE_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int rest;
    int rc = cli_parse(argc, argv, "classify", options, classify_option, a,
                       classify_usage, &rest);
    if (rc != CLI_OK)
        return rc;
    if (rest < argc && !a->carg.spec)
        a->carg.spec = argv[rest++];
    return cli_no_operands("classify", argc, argv, rest) ? CLI_OK : CLI_USAGE;
}

static void classify_print_counts(const char *name,
                                  const classify_counts *counts) {
    printf("case %s: %llu strings, %llu bytes\n", name,
           (unsigned long long)counts->strings,
           (unsigned long long)counts->bytes);
    printf("%-14s %12s %7s %14s\n", "class", "strings", "%", "bytes");
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        printf("%-14s %12llu %6.2f%% %14llu\n", classify_class_name(c),
               (unsigned long long)counts->count[c],
               counts->strings
                   ? 100.0 * (double)counts->count[c] / (double)counts->strings
                   : 0.0,
               (unsigned long long)counts->bytes_of[c]);
}

/* Classifies every string of d: one line each, or the counts. */
static int classify_case(classify_set *set, const case_data *d,
                         const char *name, bool each) {
    classify_counts counts;
    classify_counts_init(&counts);
    char *buf = NULL;
    size_t cap = 0;
    int rc = CLI_OK;
    for (size_t i = 0; i < d->count && rc == CLI_OK; i++) {
        classify_mask mask;
        classify_status st =
            classify_string(set, d->bytes + d->offset[i], d->len[i], &mask);
        if (st != CLASSIFY_OK) {
            fprintf(stderr, "internbench classify: %s: string %zu: %s\n", name,
                    i + 1,
                    st == CLASSIFY_ENOMEM ? "out of memory"
                                          : "PCRE2 failed to match");
            /* too big for this machine is bad input (2), like a case that
             * does not load; a matcher failure is ours (1) */
            rc = st == CLASSIFY_ENOMEM ? CLI_USAGE : CLI_FAILED;
        } else if (!each) {
            classify_counts_add(&counts, mask, d->len[i]);
        } else if (classify_each_line(d, i, mask, &buf, &cap) != 0) {
            fprintf(stderr,
                    "internbench classify: %s: string %zu: out of memory\n",
                    name, i + 1);
            rc = CLI_USAGE;
        }
    }
    free(buf);
    if (rc == CLI_OK && !each)
        classify_print_counts(name, &counts);
    return rc;
}

/* Loads the case and classifies it. */
static int classify_run(classify_set *set, const classify_args *a) {
    if (a->version) {
        char desc[256];
        classify_set_describe(set, desc, sizeof desc);
        printf("%s\n", desc);
        return CLI_OK;
    }
    if (!cli_case_given(&a->carg)) {
        fprintf(stderr, "internbench classify: no case given\n");
        classify_usage(stderr);
        return CLI_USAGE;
    }
    case_data d;
    const char *name = NULL;
    int rc = cli_case_load(&a->carg, &d, &name);
    if (rc == CLI_OK)
        rc = classify_case(set, &d, name, a->each);
    case_data_free(&d);
    if (fflush(stdout) != 0 && rc == CLI_OK) {
        perror("internbench classify: stdout");
        rc = CLI_FAILED;
    }
    return rc;
}

int cmd_classify(int argc, char **argv) {
    classify_args a;
    memset(&a, 0, sizeof a);
    int rc = classify_parse_args(argc, argv, &a);
    if (rc != CLI_OK)
        return rc == CLI_DONE ? CLI_OK : rc;
    classify_set *set = NULL;
    char msg[256];
    if (classify_set_create(&set, NULL, msg, sizeof msg) != CLASSIFY_OK) {
        fprintf(stderr, "internbench classify: %s\n", msg);
        return CLI_FAILED;
    }
    rc = classify_run(set, &a);
    classify_set_destroy(set);
    return rc;
}
