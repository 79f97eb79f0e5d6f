/* cli_case.c: --case, --lines and --cases-dir for every subcommand. */
#include "cli_case.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "internbench/engine.h"

const char cli_case_help[] =
    "  --case CASE       a .case file, a shipped case's name or a generated\n"
    "                    case's name (see 'internbench cases')\n"
    "  --lines FILE      a plain text file, one string per line, no escapes\n"
    "  --cases-dir DIR   where shipped cases are (default: "
    "$INTERNBENCH_CASES_DIR,\n"
    "                    else the source tree's cases/)\n";

bool cli_case_given(const cli_case_arg *arg) {
    return arg->spec || arg->lines;
}

const char *cli_cases_dir(const cli_case_arg *arg) {
    engine_dirs dirs = {arg ? arg->cases_dir : NULL, NULL};
    return engine_cases_dir(&dirs);
}

int cli_case_load(const cli_case_arg *arg, case_data *out, const char **name) {
    if (arg->spec && arg->lines) {
        case_data_init(out, NULL);
        fprintf(stderr, "internbench: give --case or --lines, not both\n");
        return CLI_USAGE;
    }
    engine_case_spec spec = {arg->lines ? arg->lines : arg->spec,
                             arg->lines != NULL, NULL, NULL};
    engine_dirs dirs = {arg->cases_dir, NULL};
    if (name)
        *name = spec.value;
    engine_error err;
    if (engine_case_read(&spec, &dirs, out, &err) != ENGINE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    return CLI_OK;
}
