/* cli_args.h: what the measuring commands (run, verify, metrics) share on
 * the command line: choosing tables, and numbers like "1e6". */
#ifndef INTERNBENCH_CLI_ARGS_H
#define INTERNBENCH_CLI_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "intern/intern.h"

/* The tables a command runs: the names given (--table, resolved once
 * every --load has run, so a plugin's table can be named before its
 * file), else the default set or every table, plugins' tables included.
 * Invariant: info[0..count) are distinct tables, in the order given (or
 * the registry's, then the plugins'). */
typedef struct cli_tables {
    const intern_table_info **info;
    size_t count, cap;
    const char **names;
    size_t nnames;
} cli_tables;

/* Notes a table's name; false (message printed) when out of memory. */
bool cli_tables_add(cli_tables *t, const char *cmd, const char *name);
/* --load PATH: loads a plugin's tables; false (message printed, naming
 * the file and why) when it cannot. */
bool cli_tables_load(const char *cmd, const char *path);
/* The tables: those named (false, message printed, for a name no table
 * has), else the default set (all: every table). */
bool cli_tables_resolve(cli_tables *t, const char *cmd, bool all);
void cli_tables_free(cli_tables *t);

/* One option of a command: its value (NULL for a flag). false when the
 * value is bad (the handler prints why). */
typedef bool (*cli_option_fn)(void *ctx, int opt, const char *value);

/* Parses argv with getopt_long and opts (each long option's val is what
 * fn receives; include {"help", no_argument, NULL, 'h'}): -h and --help
 * print usage on stdout and give -1; an unknown option or a missing value
 * prints a message naming cmd and gives CLI_USAGE; fn's false gives
 * CLI_USAGE. *rest receives the index of the first operand (argv[*rest..]
 * are the operands, getopt_long having moved them last). */
int cli_parse(int argc, char **argv, const char *cmd, const struct option *opts,
              cli_option_fn fn, void *ctx, void (*usage)(FILE *), int *rest);
/* The same with getopt's short options (shorts: ":h" and more, say
 * ":ho:" for -o VALUE; their opts entries give the same val). */
int cli_parse_shorts(int argc, char **argv, const char *cmd, const char *shorts,
                     const struct option *opts, cli_option_fn fn, void *ctx,
                     void (*usage)(FILE *), int *rest);

/* false (message printed) when argv[rest..] holds an operand: a command
 * that takes none. */
bool cli_no_operands(const char *cmd, int argc, char **argv, int rest);

/* A whole number in [min, max], written plainly or as 1e6; false (message
 * printed, naming cmd and opt) otherwise. */
bool cli_count(const char *cmd, const char *opt, const char *s, uint64_t min,
               uint64_t max, uint64_t *out);

#endif
