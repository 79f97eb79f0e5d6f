/* cli_util.h: what the subcommands tables, cases, gen, extract, classify
 * and compare share beside cli_args.h (which parses their options): the
 * case options (--case, --lines, --cases-dir) as getopt_long rows, the
 * -o FILE a command writes to, and combining exit codes. */
#ifndef INTERNBENCH_CLI_UTIL_H
#define INTERNBENCH_CLI_UTIL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli_case.h"

/* What cli_parse returns after printing --help: exit CLI_OK. */
enum { CLI_DONE = -1 };

/* Long-option codes above every character, so that they never collide
 * with a short option: the case options, then each command's own from
 * CLI_OPT_OWN on. */
enum {
    CLI_OPT_CASE = 0x100,
    CLI_OPT_LINES,
    CLI_OPT_CASES_DIR,
    CLI_OPT_OWN = 0x120,
};

/* The case options' rows of a struct option table. */
#define CLI_CASE_LONG_OPTIONS                                                  \
    {"case", required_argument, NULL, CLI_OPT_CASE},                           \
        {"lines", required_argument, NULL, CLI_OPT_LINES}, {                   \
        "cases-dir", required_argument, NULL, CLI_OPT_CASES_DIR                \
    }

/* Stores value in arg when opt is one of the case options' codes;
 * returns whether it was. */
bool cli_case_arg_set(cli_case_arg *arg, int opt, const char *value);

/* The stream -o PATH names: standard output for NULL or "-", else the
 * file, created or truncated. NULL after printing "internbench CMD:
 * PATH: why". */
FILE *cli_output_open(const char *cmd, const char *path);

/* The name of the stream cli_output_open gave, for messages. */
const char *cli_output_name(const FILE *f, const char *path);

/* Closes what cli_output_open opened (standard output is left open).
 * false after printing "internbench CMD: PATH: why". */
bool cli_output_close(const char *cmd, FILE *f, const char *path);

/* The worse of two exit codes: CLI_USAGE over CLI_FAILED over CLI_OK. */
int cli_worst(int a, int b);

#endif
