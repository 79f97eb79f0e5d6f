/* cmd_extract.c: internbench extract — a case file from real files and a
 * PCRE2 pattern (the work is internbench/extract.h's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_util.h"
#include "internbench/extract.h"
#include "internbench/vector.h"

static void extract_usage(FILE *out) {
    fprintf(
        out,
        "usage: internbench extract --pattern RE [--group N] [OPTIONS] "
        "[FILE... | -]\n\n"
        "Writes a case file of every match of RE (or of its group N) in the "
        "given\nfiles, in order: files in bytewise order of their paths, "
        "matches in file\norder. The header records the name, kind, source "
        "and license given and\nthe exact command, so running it again "
        "gives the same bytes.\n\n"
        "  --pattern RE        a PCRE2 pattern; compiled with UTF, UCP and "
        "MATCH_INVALID_UTF\n"
        "                      (invalid UTF-8 in a file never matches) "
        "unless --bytes\n"
        "  --group N           the capture group to take (default 0, the "
        "whole match);\n"
        "                      a match whose group is unset gives no string\n"
        "  --bytes             no UTF mode; the case gets 'encoding: bytes'\n"
        "  --squash-space      replace each run of spaces, tabs, CR and LF in "
        "a string by\n"
        "                      one space\n"
        "  --unique            keep only the first occurrence of each "
        "string\n"
        "  --max N             stop after N strings\n"
        "  --dir DIR           every regular file under DIR (symbolic links "
        "not followed)\n"
        "  --files-from FILE   the paths listed in FILE, one a line "
        "(non-regular files skipped)\n"
        "  --glob GLOB         keep files whose base name matches GLOB "
        "(repeatable)\n"
        "  --exclude GLOB      drop files whose path matches GLOB "
        "(repeatable)\n"
        "  FILE... | -         files, or '-': a list of paths on standard "
        "input\n"
        "  --name, --kind, --source, --license TEXT   the header's fields\n"
        "  --meta KEY=VALUE    another header field (repeatable)\n"
        "  -o FILE             write to FILE instead of standard output\n");
}

/* The command line. Invariant: the lists own their strings; header's
 * metas points at metas. */
typedef struct extract_args {
    extract_sources src;
    extract_spec spec;
    extract_header header;
    extract_list metas;
    const char *out_path;
} extract_args;

enum {
    EXTRACT_OPT_PATTERN = CLI_OPT_OWN,
    EXTRACT_OPT_GROUP,
    EXTRACT_OPT_BYTES,
    EXTRACT_OPT_SQUASH,
    EXTRACT_OPT_UNIQUE,
    EXTRACT_OPT_MAX,
    EXTRACT_OPT_DIR,
    EXTRACT_OPT_FILES_FROM,
    EXTRACT_OPT_GLOB,
    EXTRACT_OPT_EXCLUDE,
    EXTRACT_OPT_NAME,
    EXTRACT_OPT_KIND,
    EXTRACT_OPT_SOURCE,
    EXTRACT_OPT_LICENSE,
    EXTRACT_OPT_META,
};

static const struct option extract_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"pattern", required_argument, NULL, EXTRACT_OPT_PATTERN},
    {"group", required_argument, NULL, EXTRACT_OPT_GROUP},
    {"bytes", no_argument, NULL, EXTRACT_OPT_BYTES},
    {"squash-space", no_argument, NULL, EXTRACT_OPT_SQUASH},
    {"unique", no_argument, NULL, EXTRACT_OPT_UNIQUE},
    {"max", required_argument, NULL, EXTRACT_OPT_MAX},
    {"dir", required_argument, NULL, EXTRACT_OPT_DIR},
    {"files-from", required_argument, NULL, EXTRACT_OPT_FILES_FROM},
    {"glob", required_argument, NULL, EXTRACT_OPT_GLOB},
    {"exclude", required_argument, NULL, EXTRACT_OPT_EXCLUDE},
    {"name", required_argument, NULL, EXTRACT_OPT_NAME},
    {"kind", required_argument, NULL, EXTRACT_OPT_KIND},
    {"source", required_argument, NULL, EXTRACT_OPT_SOURCE},
    {"license", required_argument, NULL, EXTRACT_OPT_LICENSE},
    {"meta", required_argument, NULL, EXTRACT_OPT_META},
    {NULL, 0, NULL, 0},
};

static int extract_nomem(void) {
    fprintf(stderr, "internbench extract: out of memory\n");
    return CLI_USAGE;
}

/* The list a repeatable option adds to, or NULL. */
static extract_list *extract_list_of(extract_args *a, int ch) {
    switch (ch) {
    case EXTRACT_OPT_DIR:
        return &a->src.dirs;
    case EXTRACT_OPT_FILES_FROM:
        return &a->src.lists;
    case EXTRACT_OPT_GLOB:
        return &a->src.globs;
    case EXTRACT_OPT_EXCLUDE:
        return &a->src.excludes;
    case EXTRACT_OPT_META:
        return &a->metas;
    default:
        return NULL;
    }
}

/* The text field an option sets, or NULL. */
static const char **extract_field_of(extract_args *a, int ch) {
    switch (ch) {
    case EXTRACT_OPT_PATTERN:
        return &a->spec.pattern;
    case 'o':
        return &a->out_path;
    case EXTRACT_OPT_NAME:
        return &a->header.name;
    case EXTRACT_OPT_KIND:
        return &a->header.kind;
    case EXTRACT_OPT_SOURCE:
        return &a->header.source;
    case EXTRACT_OPT_LICENSE:
        return &a->header.license;
    default:
        return NULL;
    }
}

/* The largest --max: counts are read through a double, exact to 2^53. */
#define EXTRACT_MAX_MAX (UINT64_C(1) << 53)

/* Takes one option; false after printing why it is bad. */
static bool extract_option(void *ctx, int opt, const char *value) {
    extract_args *a = ctx;
    const char **field = extract_field_of(a, opt);
    extract_list *list = extract_list_of(a, opt);
    uint64_t n;
    if (field) {
        *field = value;
    } else if (list) {
        if (opt == EXTRACT_OPT_META && !strchr(value, '=')) {
            fprintf(stderr, "internbench extract: --meta wants KEY=VALUE\n");
            return false;
        }
        if (!extract_list_add(list, value)) {
            extract_nomem();
            return false;
        }
    } else if (opt == EXTRACT_OPT_GROUP) {
        if (!cli_count("extract", "--group", value, 0, UINT32_MAX, &n))
            return false;
        a->spec.group = (uint32_t)n;
    } else if (opt == EXTRACT_OPT_MAX) {
        return cli_count("extract", "--max", value, 0, EXTRACT_MAX_MAX,
                         &a->spec.max);
    } else if (opt == EXTRACT_OPT_BYTES) {
        a->spec.bytes = true;
    } else if (opt == EXTRACT_OPT_SQUASH) {
        a->spec.squash_space = true;
    } else {
        a->spec.unique = true; /* EXTRACT_OPT_UNIQUE */
    }
    return true;
}

/* Fills a from argv: options, then the files ('-': a list of paths on
 * standard input). CLI_OK, CLI_DONE or an exit code. */
static int extract_parse_args(int argc, char **argv, extract_args *a) {
    int rest = argc;
    int rc = cli_parse_shorts(argc, argv, "extract", ":ho:", extract_options,
                              extract_option, a, extract_usage, &rest);
    for (int i = rest; rc == CLI_OK && i < argc; i++) {
        if (strcmp(argv[i], "-") == 0)
            a->src.stdin_list = true;
        else if (!extract_list_add(&a->src.files, argv[i]))
            rc = extract_nomem();
    }
    if (rc != CLI_OK)
        return rc;
    if (!a->spec.pattern) {
        fprintf(stderr, "internbench extract: --pattern is required\n");
        extract_usage(stderr);
        return CLI_USAGE;
    }
    const char *kind = a->header.kind;
    if (kind && strcmp(kind, "identifier") != 0 &&
        strcmp(kind, "non-identifier") != 0 && strcmp(kind, "mixed") != 0) {
        fprintf(stderr, "internbench extract: --kind is identifier, "
                        "non-identifier or mixed\n");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Writes the case to -o (or standard output). */
static int extract_save(const extract_args *a, const case_data *strings,
                        uint64_t unique) {
    FILE *f = cli_output_open("extract", a->out_path);
    if (!f)
        return CLI_USAGE;
    case_error err;
    case_status st = extract_write(&a->spec, &a->header, strings, unique, f,
                                   cli_output_name(f, a->out_path), &err);
    bool closed = cli_output_close("extract", f, a->out_path);
    if (st != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    return closed ? CLI_OK : CLI_USAGE;
}

/* The files, their matches, the case. */
static int extract_case(const extract_args *a) {
    extract_list files = {0};
    case_data strings;
    case_data_init(&strings, NULL);
    char msg[1024];
    uint64_t unique = 0;
    int rc = CLI_USAGE;
    if (extract_collect(&a->src, &files, msg, sizeof msg) != 0 ||
        extract_run(&a->spec, &files, &strings, msg, sizeof msg) != 0)
        fprintf(stderr, "internbench extract: %s\n", msg);
    else if (vector_count_unique(&strings, &unique) != 0)
        rc = extract_nomem();
    else
        rc = extract_save(a, &strings, unique);
    if (rc == CLI_OK)
        fprintf(stderr,
                "internbench extract: %zu files, %zu strings, %llu unique\n",
                files.count, strings.count, (unsigned long long)unique);
    extract_list_free(&files);
    case_data_free(&strings);
    return rc;
}

int cmd_extract(int argc, char **argv) {
    /* the header records the command as typed: quoted before getopt_long
     * permutes argv */
    char *cmdline = extract_command_line("internbench", argc, argv);
    extract_args a;
    memset(&a, 0, sizeof a);
    a.header.metas = &a.metas;
    a.header.command = cmdline;
    int rc = cmdline ? extract_parse_args(argc, argv, &a) : extract_nomem();
    if (rc == CLI_OK)
        rc = extract_case(&a);
    extract_sources_free(&a.src);
    extract_list_free(&a.metas);
    free(cmdline);
    return rc == CLI_DONE ? CLI_OK : rc;
}
