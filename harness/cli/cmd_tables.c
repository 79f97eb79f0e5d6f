/* cmd_tables.c: internbench tables: the registered tables and their
 * settings. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
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

int cmd_tables(int argc, char **argv) {
    bool names_only = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            tables_usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--names") == 0) {
            names_only = true;
        } else {
            fprintf(stderr, "internbench tables: unknown argument '%s'\n",
                    argv[i]);
            tables_usage(stderr);
            return CLI_USAGE;
        }
    }
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
    return CLI_OK;
}
