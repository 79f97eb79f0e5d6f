/* main.c: internbench's entry point; dispatches to one file per
 * subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command cli_commands[] = {
    {"tables", "list the registered tables and their settings", cmd_tables},
    {"cases", "list the shipped and the generated cases", cmd_cases},
    {"gen", "write a generated case from a seed and parameters", cmd_gen},
    {"extract", "write a case from files and a PCRE2 pattern", cmd_extract},
    {"classify", "count the strings of a case in each class", cmd_classify},
    {"verify", "check every table against the per-case vectors", cmd_verify},
    {"run", "time every table over the cases, checked against the vectors",
     cmd_run},
    {"report", "turn run and google-benchmark JSON into results/README.md",
     cmd_report},
    {"metrics", "count bytes, allocations, probes and instructions per op",
     cmd_metrics},
    {"compare", "compare metrics with a baseline; exit 1 on a regression",
     cmd_compare},
};

#define CLI_COMMAND_COUNT (sizeof cli_commands / sizeof cli_commands[0])

bool cli_is_help(const char *arg) {
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

static void cli_usage(FILE *out) {
    fprintf(out, "usage: internbench COMMAND [ARGS]\n\n"
                 "A benchmark and test-vector suite for string interning.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i].name,
                cli_commands[i].summary);
    fprintf(out, "\n'internbench COMMAND --help' describes one command.\n"
                 "Exit status: 0 success, 1 a failed check, 2 bad usage or "
                 "bad input.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1])) {
        cli_usage(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
        if (strcmp(argv[1], cli_commands[i].name) == 0)
            return cli_commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "internbench: unknown command '%s'\n\n", argv[1]);
    cli_usage(stderr);
    return CLI_USAGE;
}
