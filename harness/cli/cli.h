/* cli.h: the internbench subcommands and what they share.
 * Exit codes: 0 success, 1 a failed check, 2 bad usage or bad input. */
#ifndef INTERNBENCH_CLI_H
#define INTERNBENCH_CLI_H

#include <stdbool.h>

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* One subcommand: argv[0] is its name. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

int cmd_tables(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* True when arg is -h or --help. */
bool cli_is_help(const char *arg);

#endif
