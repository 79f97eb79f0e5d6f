/* cli_case.h: how subcommands take a case on the command line.
 *
 * Every command that takes a case accepts:
 *   --case CASE    a path to a .case file, the name of a shipped case
 *                  (looked up as DIR/NAME.case), or the name of a
 *                  generated case ("gen-zipf"; see 'internbench cases')
 *   --lines FILE   any plain text file, one string per line (see case.h)
 *   --cases-dir DIR  where shipped cases are found; default: the
 *                  INTERNBENCH_CASES_DIR environment variable, else the
 *                  source tree's cases/ recorded at configure time
 * Bad input prints "FILE:LINE: what is wrong" and gives exit code 2. */
#ifndef INTERNBENCH_CLI_CASE_H
#define INTERNBENCH_CLI_CASE_H

#include <stdbool.h>

#include "internbench/case.h"

typedef struct cli_case_arg {
    const char *spec;      /* --case value, or NULL */
    const char *lines;     /* --lines value, or NULL */
    const char *cases_dir; /* --cases-dir value, or NULL */
} cli_case_arg;

/* True when --case or --lines was given. */
bool cli_case_given(const cli_case_arg *arg);

/* The directory of shipped cases. */
const char *cli_cases_dir(const cli_case_arg *arg);

/* Loads the case into *out (freed by the caller with case_data_free, also
 * after a failure). Returns CLI_OK, or CLI_USAGE after printing why.
 * *name receives a short name for reports (may be NULL). */
int cli_case_load(const cli_case_arg *arg, case_data *out, const char **name);

/* One line of help text describing the options above. */
extern const char cli_case_help[];

#endif
