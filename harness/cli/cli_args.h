/* cli_args.h: what the measuring commands (run, verify, metrics) share on
 * the command line: choosing tables, and numbers like "1e6". */
#ifndef INTERNBENCH_CLI_ARGS_H
#define INTERNBENCH_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intern/intern.h"

/* The tables a command runs. Invariant: info[0..count) are distinct
 * registered tables, in the order given (or the registry's). */
typedef struct cli_tables {
    const intern_table_info **info;
    size_t count, cap;
} cli_tables;

/* Adds the table named name; false (message printed, naming cmd) when
 * there is none or memory ran out. */
bool cli_tables_add(cli_tables *t, const char *cmd, const char *name);
/* With none given: the default set (all: every registered table). */
bool cli_tables_default(cli_tables *t, bool all);
void cli_tables_free(cli_tables *t);

/* A whole number in [min, max], written plainly or as 1e6; false (message
 * printed, naming cmd and opt) otherwise. */
bool cli_count(const char *cmd, const char *opt, const char *s, uint64_t min,
               uint64_t max, uint64_t *out);

#endif
