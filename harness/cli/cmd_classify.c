/* cmd_classify.c: internbench classify: the string classes of a case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_case.h"
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

int cmd_classify(int argc, char **argv) {
    cli_case_arg carg = {0};
    bool each = false, version = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_case_option(argc, argv, &i, &carg);
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if (cli_is_help(argv[i])) {
            classify_usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--each") == 0) {
            each = true;
        } else if (strcmp(argv[i], "--version") == 0) {
            version = true;
        } else if (argv[i][0] != '-' && !carg.spec) {
            carg.spec = argv[i];
        } else {
            fprintf(stderr, "internbench classify: unexpected argument '%s'\n",
                    argv[i]);
            classify_usage(stderr);
            return CLI_USAGE;
        }
    }
    classify_set *set = NULL;
    char msg[256];
    classify_status st = classify_set_create(&set, NULL, msg, sizeof msg);
    if (st != CLASSIFY_OK) {
        fprintf(stderr, "internbench classify: %s\n", msg);
        return CLI_FAILED;
    }
    if (version) {
        char desc[256];
        classify_set_describe(set, desc, sizeof desc);
        printf("%s\n", desc);
        classify_set_destroy(set);
        return CLI_OK;
    }
    if (!cli_case_given(&carg)) {
        fprintf(stderr, "internbench classify: no case given\n");
        classify_usage(stderr);
        classify_set_destroy(set);
        return CLI_USAGE;
    }
    case_data d;
    const char *name = NULL;
    int rc = cli_case_load(&carg, &d, &name);
    if (rc != CLI_OK) {
        case_data_free(&d);
        classify_set_destroy(set);
        return rc;
    }
    classify_counts counts;
    classify_counts_init(&counts);
    char *buf = NULL;
    size_t cap = 0;
    rc = CLI_OK;
    for (size_t i = 0; i < d.count; i++) {
        classify_mask mask;
        st = classify_string(set, d.bytes + d.offset[i], d.len[i], &mask);
        if (st != CLASSIFY_OK) {
            fprintf(stderr, "internbench classify: %s: string %zu: %s\n", name,
                    i + 1,
                    st == CLASSIFY_ENOMEM ? "out of memory"
                                          : "PCRE2 failed to match");
            /* too big for this machine is bad input (2), like a case that
             * does not load; a matcher failure is ours (1) */
            rc = st == CLASSIFY_ENOMEM ? CLI_USAGE : CLI_FAILED;
            break;
        }
        if (each) {
            if (classify_each_line(&d, i, mask, &buf, &cap) != 0) {
                fprintf(stderr,
                        "internbench classify: %s: string %zu: out of "
                        "memory\n",
                        name, i + 1);
                rc = CLI_USAGE;
                break;
            }
        } else {
            classify_counts_add(&counts, mask, d.len[i]);
        }
    }
    if (rc == CLI_OK && !each) {
        printf("case %s: %llu strings, %llu bytes\n", name,
               (unsigned long long)counts.strings,
               (unsigned long long)counts.bytes);
        printf("%-14s %12s %7s %14s\n", "class", "strings", "%", "bytes");
        for (int c = 0; c < CLASSIFY_COUNT; c++)
            printf("%-14s %12llu %6.2f%% %14llu\n", classify_class_name(c),
                   (unsigned long long)counts.count[c],
                   counts.strings ? 100.0 * (double)counts.count[c] /
                                        (double)counts.strings
                                  : 0.0,
                   (unsigned long long)counts.bytes_of[c]);
    }
    if (fflush(stdout) != 0 && rc == CLI_OK) {
        perror("internbench classify: stdout");
        rc = CLI_FAILED;
    }
    free(buf);
    case_data_free(&d);
    classify_set_destroy(set);
    return rc;
}
