/* cmd_tables.c: internbench tables: the registered tables and their
 * settings. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_util.h"
#include "intern/intern.h"

static void tables_usage(FILE *out) {
    fprintf(out,
            "usage: internbench tables [--names]\n\n"
            "Lists every registered table: its name, whether it is in the "
            "default set\nthat runs and benchmarks use, and its settings.\n\n"
            "  --names   print only the names, one a line\n"
            "\nHashes a hash table can be configured with: ");
    for (int h = 0; h < INTERN_HASH_COUNT; h++)
        fprintf(
            out, "%s%s%s", h ? ", " : "", intern_hash_name((intern_hash_kind)h),
            h == INTERN_HASH_XXH3 ? " (default, random seed per table)" : "");
    fputc('\n', out);
}

static void tables_print(bool names_only) {
    size_t n;
    const intern_table_info *all = intern_registry(&n);
    for (size_t i = 0; i < n; i++) {
        const intern_ops *ops = all[i].ops;
        if (names_only) {
            printf("%s\n", ops->name);
            continue;
        }
        printf("%-14s %-8s %s%s\n", ops->name,
               all[i].is_default ? "default" : "variant", all[i].ops->settings,
               ops->each ? "; ordered iteration and prefix lookup" : "");
    }
}

static bool tables_option(void *ctx, int opt, const char *value) {
    (void)opt; /* --names, the only option */
    (void)value;
    *(bool *)ctx = true;
    return true;
}

int cmd_tables(int argc, char **argv) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"names", no_argument, NULL, CLI_OPT_OWN},
        {NULL, 0, NULL, 0},
    };
    bool names_only = false;
    int rest;
    int rc = cli_parse(argc, argv, "tables", options, tables_option,
                       &names_only, tables_usage, &rest);
    if (rc != CLI_OK)
        return rc == CLI_DONE ? CLI_OK : rc;
    if (!cli_no_operands("tables", argc, argv, rest))
        return CLI_USAGE;
    tables_print(names_only);
    return CLI_OK;
}
