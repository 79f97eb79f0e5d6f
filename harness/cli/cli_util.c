/* cli_util.c: case options, output files and exit codes for the
 * subcommands (see cli_util.h). */
#include "cli_util.h"

#include <errno.h>
#include <string.h>

bool cli_case_arg_set(cli_case_arg *arg, int opt, const char *value) {
    switch (opt) {
    case CLI_OPT_CASE:
        arg->spec = value;
        return true;
    case CLI_OPT_LINES:
        arg->lines = value;
        return true;
    case CLI_OPT_CASES_DIR:
        arg->cases_dir = value;
        return true;
    default:
        return false;
    }
}

FILE *cli_output_open(const char *cmd, const char *path) {
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "wb");
    if (!f)
        fprintf(stderr, "internbench %s: %s: %s\n", cmd, path, strerror(errno));
    return f;
}

const char *cli_output_name(const FILE *f, const char *path) {
    return f == stdout ? "<stdout>" : path;
}

bool cli_output_close(const char *cmd, FILE *f, const char *path) {
    if (f == stdout || fclose(f) == 0)
        return true;
    fprintf(stderr, "internbench %s: %s: %s\n", cmd, path, strerror(errno));
    return false;
}

int cli_worst(int a, int b) {
    return a > b ? a : b;
}
