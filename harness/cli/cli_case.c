/* cli_case.c: --case, --lines and --cases-dir for every subcommand. */
#include "cli_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "internbench/gen.h"

#ifndef INTERNBENCH_CASES_DIR
#define INTERNBENCH_CASES_DIR "cases"
#endif

const char cli_case_help[] =
    "  --case CASE       a .case file, a shipped case's name or a generated\n"
    "                    case's name (see 'internbench cases')\n"
    "  --lines FILE      a plain text file, one string per line, no escapes\n"
    "  --cases-dir DIR   where shipped cases are (default: "
    "$INTERNBENCH_CASES_DIR,\n"
    "                    else the source tree's cases/)\n";

int cli_case_option(int argc, char **argv, int *i, cli_case_arg *arg) {
    const char *opt = argv[*i];
    const char **slot = NULL;
    if (strcmp(opt, "--case") == 0)
        slot = &arg->spec;
    else if (strcmp(opt, "--lines") == 0)
        slot = &arg->lines;
    else if (strcmp(opt, "--cases-dir") == 0)
        slot = &arg->cases_dir;
    if (!slot)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "internbench: %s needs a value\n", opt);
        return -1;
    }
    *slot = argv[++*i];
    return 1;
}

bool cli_case_given(const cli_case_arg *arg) {
    return arg->spec || arg->lines;
}

const char *cli_cases_dir(const cli_case_arg *arg) {
    if (arg && arg->cases_dir)
        return arg->cases_dir;
    const char *env = getenv("INTERNBENCH_CASES_DIR");
    if (env && *env)
        return env;
    return INTERNBENCH_CASES_DIR;
}

static bool cli_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file a case name or path refers to, in buf (NULL if none). */
static const char *cli_case_path(const cli_case_arg *arg, const char *spec,
                                 char *buf, size_t cap) {
    if (strcmp(spec, "-") == 0 || strchr(spec, '/') || cli_is_file(spec))
        return spec;
    snprintf(buf, cap, "%s/%s.case", cli_cases_dir(arg), spec);
    return cli_is_file(buf) ? buf : NULL;
}

static int cli_gen_append(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

int cli_case_load(const cli_case_arg *arg, case_data *out, const char **name) {
    case_options opt;
    case_options_init(&opt);
    case_error err;
    case_data_init(out, NULL);
    if (arg->spec && arg->lines) {
        fprintf(stderr, "internbench: give --case or --lines, not both\n");
        return CLI_USAGE;
    }
    if (arg->lines) {
        opt.lines = true;
        if (name)
            *name = arg->lines;
        if (case_load(arg->lines, &opt, out, &err) != CASE_OK) {
            fprintf(stderr, "%s\n", err.message);
            return CLI_USAGE;
        }
        return CLI_OK;
    }
    if (!arg->spec) {
        fprintf(stderr, "internbench: no case given (--case or --lines)\n");
        return CLI_USAGE;
    }
    if (name)
        *name = arg->spec;
    gen_spec spec;
    if (gen_spec_from_name(&spec, arg->spec)) {
        char corpus[4096];
        if (spec.length == GEN_LENGTH_CORPUS) {
            spec.corpus_path =
                cli_case_path(arg, spec.corpus, corpus, sizeof corpus);
            if (!spec.corpus_path) {
                fprintf(stderr, "internbench: no corpus case '%s' in %s\n",
                        spec.corpus, cli_cases_dir(arg));
                return CLI_USAGE;
            }
        }
        char num[32];
        snprintf(num, sizeof num, "%llu",
                 (unsigned long long)gen_spec_unique(&spec));
        case_status st = case_data_meta_add(out, "name", spec.name);
        if (st == CASE_OK)
            st = case_data_meta_add(out, "kind", gen_spec_kind(&spec));
        if (st == CASE_OK)
            st = case_data_meta_add(out, "unique", num);
        if (st == CASE_OK)
            st = gen_run(&spec, cli_gen_append, out, &err);
        else
            st = CASE_ERR_IO; /* out of memory, reported below */
        if (spec.alphabet == GEN_ALPHABET_BINARY)
            out->encoding = CASE_ENCODING_BYTES;
        if (st != CASE_OK) {
            fprintf(stderr, "%s\n",
                    st == CASE_ERR_IO ? "gen: out of memory" : err.message);
            return CLI_USAGE;
        }
        return CLI_OK;
    }
    char buf[4096];
    const char *path = cli_case_path(arg, arg->spec, buf, sizeof buf);
    if (!path) {
        fprintf(stderr,
                "internbench: no case '%s': not a file, not in %s, not a "
                "generated case\n",
                arg->spec, cli_cases_dir(arg));
        return CLI_USAGE;
    }
    if (case_load(path, &opt, out, &err) != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    return CLI_OK;
}
