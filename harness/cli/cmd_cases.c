/* cmd_cases.c: internbench cases — the shipped and the generated cases. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_case.h"
#include "cli_util.h"
#include "internbench/catalog.h"
#include "internbench/gen.h"

static void cases_usage(FILE *out) {
    fprintf(out,
            "usage: internbench cases [--cases-dir DIR] [--check]\n"
            "       internbench cases --case CASE | --lines FILE\n\n"
            "Lists the shipped cases (DIR/*.case) with their kind, strings, "
            "unique\nstrings and size, then the named generated cases. Every "
            "shipped case is\nread in full: a malformed one is reported as "
            "FILE:LINE and gives exit 2.\nWith --check the unique count is "
            "computed too and compared with the\nheader (exit 1 on a "
            "mismatch). With --case or --lines, describes one case.\n\n"
            "%s",
            cli_case_help);
}

static void cases_print_summary(const char *name, const case_data *d,
                                const case_summary *s) {
    printf("case     %s\n", name);
    for (size_t i = 0; i < d->meta_count; i++)
        printf("  %s: %s\n", d->meta[i].key, d->meta[i].value);
    printf("strings  %llu\nunique   %llu\nbytes    %llu\nlongest  %llu\n",
           (unsigned long long)s->strings, (unsigned long long)s->unique,
           (unsigned long long)s->bytes, (unsigned long long)s->longest);
    if (s->strings)
        printf("mean     %.2f\n", (double)s->bytes / (double)s->strings);
}

/* --case or --lines: one case described, its header's unique checked. */
static int cases_describe(const cli_case_arg *arg) {
    case_data d;
    const char *name;
    case_summary s;
    int rc = cli_case_load(arg, &d, &name);
    if (rc == CLI_OK && case_summarize(&d, true, &s) != 0) {
        /* too big a case for this machine: bad input, exit 2 */
        fprintf(stderr,
                "internbench cases: %s: out of memory interning %zu "
                "strings\n",
                name, d.count);
        rc = CLI_USAGE;
    } else if (rc == CLI_OK) {
        cases_print_summary(name, &d, &s);
        if (!case_summary_unique_ok(&s, true)) {
            fprintf(stderr,
                    "%s: the header says unique: %s but there are %llu\n", name,
                    s.header_unique, (unsigned long long)s.unique);
            rc = CLI_FAILED;
        }
    }
    case_data_free(&d);
    return rc;
}

/* One row of the shipped list: DIR/FILE, checked when check. */
static int cases_list_one(const char *dir, const char *file, bool check) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    case_data d;
    case_error err;
    long long size;
    case_summary s;
    int rc = CLI_OK;
    if (catalog_load(path, &d, &size, &err) != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        case_data_free(&d);
        return CLI_USAGE;
    }
    if (case_summarize(&d, check, &s) != 0) {
        fprintf(stderr, "%s: out of memory\n", path);
        rc = CLI_USAGE; /* too big for this machine: exit 2 */
    } else if (!case_summary_unique_ok(&s, false)) {
        fprintf(stderr, "%s: the header says unique: %s but there are %llu\n",
                path, s.header_unique ? s.header_unique : "(none)",
                (unsigned long long)s.unique);
        rc = CLI_FAILED;
    }
    printf("%-28.*s %-15s %10zu %10s %10lld\n", (int)strlen(file) - 5, file,
           s.kind ? s.kind : "?", d.count,
           s.header_unique ? s.header_unique : "?", size);
    case_data_free(&d);
    return rc;
}

static void cases_list_generated(void) {
    size_t ng;
    const gen_named *gen = gen_named_all(&ng);
    printf("\ngenerated cases (internbench gen --name NAME)\n");
    printf("%-28s %10s %10s  %s\n", "name", "strings", "unique", "what");
    for (size_t i = 0; i < ng; i++) {
        gen_spec s;
        gen_spec_from_name(&s, gen[i].name);
        printf("%-28s %10llu %10llu  %s\n", gen[i].name,
               (unsigned long long)s.count,
               (unsigned long long)gen_spec_unique(&s), gen[i].summary);
    }
}

/* Every shipped case of dir, then the generated ones. */
static int cases_list(const char *dir, bool check) {
    catalog cat;
    if (catalog_read(dir, &cat) != 0) {
        fprintf(stderr, "internbench cases: cannot open %s: ", dir);
        perror(NULL);
        catalog_free(&cat);
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    printf("shipped cases in %s\n", dir);
    printf("%-28s %-15s %10s %10s %10s\n", "name", "kind", "strings", "unique",
           "bytes");
    for (size_t i = 0; i < cat.count; i++)
        rc = cli_worst(rc, cases_list_one(dir, cat.name[i], check));
    catalog_free(&cat);
    cases_list_generated();
    return rc;
}

/* The command line: a case to describe, or the list (checked). */
typedef struct cases_args {
    cli_case_arg carg;
    bool check;
} cases_args;

static bool cases_option(void *ctx, int opt, const char *value) {
    cases_args *a = ctx;
    if (opt == CLI_OPT_OWN)
        a->check = true;
    else
        cli_case_arg_set(&a->carg, opt, value);
    return true;
}

int cmd_cases(int argc, char **argv) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"check", no_argument, NULL, CLI_OPT_OWN},
        CLI_CASE_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cases_args a = {{0}, false};
    int rest;
    int rc = cli_parse(argc, argv, "cases", options, cases_option, &a,
                       cases_usage, &rest);
    if (rc != CLI_OK)
        return rc == CLI_DONE ? CLI_OK : rc;
    if (!cli_no_operands("cases", argc, argv, rest))
        return CLI_USAGE;
    if (cli_case_given(&a.carg))
        return cases_describe(&a.carg);
    return cases_list(cli_cases_dir(&a.carg), a.check);
}
