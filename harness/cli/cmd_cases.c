/* cmd_cases.c: internbench cases — the shipped and the generated cases. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_case.h"
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

/* The number of distinct strings among d's, via a registered table. */
static int cases_unique(const case_data *d, uint64_t *unique) {
    size_t n;
    const intern_table_info *info = intern_registry(&n);
    if (n == 0)
        return -1;
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    cfg.seed = 1;
    cfg.capacity_hint = d->count;
    intern_table *t = info[0].ops->create(&cfg);
    if (!t)
        return -1;
    uint64_t u = 0;
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s;
        intern_status st =
            info[0].ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
        if (st == INTERN_NEW)
            u++;
        else if (st != INTERN_FOUND) {
            info[0].ops->destroy(t);
            return -1;
        }
    }
    info[0].ops->destroy(t);
    *unique = u;
    return 0;
}

static int cases_describe(const cli_case_arg *arg) {
    case_data d;
    const char *name;
    int rc = cli_case_load(arg, &d, &name);
    if (rc != CLI_OK) {
        case_data_free(&d);
        return rc;
    }
    uint64_t unique = 0, bytes = 0, longest = 0;
    for (size_t i = 0; i < d.count; i++) {
        bytes += d.len[i];
        if (d.len[i] > longest)
            longest = d.len[i];
    }
    if (cases_unique(&d, &unique) != 0) {
        /* too big a case for this machine: bad input, exit 2 */
        fprintf(stderr,
                "internbench cases: %s: out of memory interning %zu "
                "strings\n",
                name, d.count);
        case_data_free(&d);
        return CLI_USAGE;
    }
    printf("case     %s\n", name);
    for (size_t i = 0; i < d.meta_count; i++)
        printf("  %s: %s\n", d.meta[i].key, d.meta[i].value);
    printf("strings  %zu\nunique   %llu\nbytes    %llu\nlongest  %llu\n",
           d.count, (unsigned long long)unique, (unsigned long long)bytes,
           (unsigned long long)longest);
    if (d.count)
        printf("mean     %.2f\n", (double)bytes / (double)d.count);
    rc = CLI_OK;
    const char *hu = case_data_meta(&d, "unique");
    if (hu && strtoull(hu, NULL, 10) != unique) {
        fprintf(stderr, "%s: the header says unique: %s but there are %llu\n",
                name, hu, (unsigned long long)unique);
        rc = CLI_FAILED;
    }
    case_data_free(&d);
    return rc;
}

static int cases_name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_cases(int argc, char **argv) {
    cli_case_arg carg = {0};
    bool check = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            cases_usage(stdout);
            return CLI_OK;
        }
        int used = cli_case_option(argc, argv, &i, &carg);
        if (used < 0)
            return CLI_USAGE;
        if (used)
            continue;
        if (strcmp(argv[i], "--check") == 0) {
            check = true;
            continue;
        }
        fprintf(stderr, "internbench cases: unexpected argument '%s'\n",
                argv[i]);
        cases_usage(stderr);
        return CLI_USAGE;
    }
    if (cli_case_given(&carg))
        return cases_describe(&carg);

    const char *dir = cli_cases_dir(&carg);
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "internbench cases: cannot open %s: ", dir);
        perror(NULL);
        return CLI_USAGE;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".case") != 0)
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        names[count] = malloc(l + 1);
        if (!names[count])
            break;
        memcpy(names[count++], e->d_name, l + 1);
    }
    closedir(dh);
    if (count)
        qsort(names, count, sizeof *names, cases_name_cmp);

    int rc = CLI_OK;
    printf("shipped cases in %s\n", dir);
    printf("%-28s %-15s %10s %10s %10s\n", "name", "kind", "strings", "unique",
           "bytes");
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        case_options opt;
        case_options_init(&opt);
        case_error err;
        case_data d;
        if (case_load(path, &opt, &d, &err) != CASE_OK) {
            fprintf(stderr, "%s\n", err.message);
            rc = CLI_USAGE;
            case_data_free(&d);
            continue;
        }
        struct stat st;
        long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
        const char *kind = case_data_meta(&d, "kind");
        const char *hu = case_data_meta(&d, "unique");
        char unique[32];
        snprintf(unique, sizeof unique, "%s", hu ? hu : "?");
        if (check) {
            uint64_t u;
            if (cases_unique(&d, &u) != 0) {
                fprintf(stderr, "%s: out of memory\n", path);
                rc = CLI_USAGE; /* too big for this machine: exit 2 */
            } else if (!hu || strtoull(hu, NULL, 10) != u) {
                fprintf(stderr,
                        "%s: the header says unique: %s but there are "
                        "%llu\n",
                        path, hu ? hu : "(none)", (unsigned long long)u);
                rc = rc == CLI_OK ? CLI_FAILED : rc;
            }
        }
        int nl = (int)strlen(names[i]) - 5;
        printf("%-28.*s %-15s %10zu %10s %10lld\n", nl, names[i],
               kind ? kind : "?", d.count, unique, size);
        case_data_free(&d);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);

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
    return rc;
}
