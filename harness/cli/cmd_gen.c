/* cmd_gen.c: internbench gen — write a generated case. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_case.h"
#include "cli_util.h"
#include "internbench/gen.h"

static void gen_usage(FILE *out) {
    fprintf(out,
            "usage: internbench gen --name NAME [-o FILE]\n"
            "       internbench gen [--count N] [--alphabet A] [--length L] "
            "[--dup R]\n"
            "                       [--zipf S] [--prefix-depth D] "
            "[--prefix-count C]\n"
            "                       [--flood-bits K] [--seed S] [-o FILE]\n"
            "       internbench gen ... --digest\n\n"
            "Writes a generated case file (to standard output, or FILE). The "
            "same\noptions give the same bytes on every machine; the header "
            "records them.\n\n"
            "  --name NAME       a named case (list: internbench cases)\n"
            "  --count N         strings to write (1e6 style allowed; default "
            "1000)\n"
            "  --alphabet A      ident | printable | utf8 | binary (default "
            "ident)\n"
            "  --length L        fixed:N | uniform:MIN..MAX | list:A,B,.. | "
            "corpus:CASE\n"
            "                    (bytes; default uniform:1..16; corpus: a "
            "shipped case's\n"
            "                    own string lengths)\n"
            "  --dup R           ratio of strings that repeat an earlier one, "
            "in [0, 1)\n"
            "  --zipf S          exponent of the repeats' popularity by rank "
            "(0: uniform)\n"
            "  --prefix-depth D  every string starts with one of C shared "
            "prefixes of D chars\n"
            "  --prefix-count C  (default 1)\n"
            "  --flood-bits K    add a suffix so that every 64-bit FNV-1a "
            "hash is equal\n"
            "                    modulo 2^K (K <= %d): a collision flood\n"
            "  --seed S          the PRNG seed (default 1)\n"
            "  -o FILE           write to FILE instead of standard output\n"
            "  --digest          print the XXH64 digest of the strings (each "
            "preceded by\n"
            "                    its 8-byte little-endian length) instead of "
            "the case\n"
            "  --cases-dir DIR   where corpus:CASE is looked up\n",
            GEN_FLOOD_BITS_MAX);
}

/* The command line. Invariant: spec holds the generator options given
 * (params tells whether any was), name the --name given. */
typedef struct gen_args {
    gen_spec spec;
    bool params;
    const char *name, *out_path;
    bool digest;
    cli_case_arg carg;
} gen_args;

enum { GEN_OPT_NAME = CLI_OPT_OWN, GEN_OPT_DIGEST, GEN_OPT_SPEC };

/* The generator parameters: each option's name is a gen_spec_set key,
 * its code GEN_OPT_SPEC + its place here. */
static const struct option gen_options[] = {
    {"count", required_argument, NULL, GEN_OPT_SPEC},
    {"alphabet", required_argument, NULL, GEN_OPT_SPEC + 1},
    {"length", required_argument, NULL, GEN_OPT_SPEC + 2},
    {"dup", required_argument, NULL, GEN_OPT_SPEC + 3},
    {"zipf", required_argument, NULL, GEN_OPT_SPEC + 4},
    {"prefix-depth", required_argument, NULL, GEN_OPT_SPEC + 5},
    {"prefix-count", required_argument, NULL, GEN_OPT_SPEC + 6},
    {"flood-bits", required_argument, NULL, GEN_OPT_SPEC + 7},
    {"seed", required_argument, NULL, GEN_OPT_SPEC + 8},
    {"help", no_argument, NULL, 'h'},
    {"name", required_argument, NULL, GEN_OPT_NAME},
    {"digest", no_argument, NULL, GEN_OPT_DIGEST},
    {"cases-dir", required_argument, NULL, CLI_OPT_CASES_DIR},
    {NULL, 0, NULL, 0},
};

static bool gen_option(void *ctx, int opt, const char *value) {
    gen_args *a = ctx;
    char msg[256];
    if (opt >= GEN_OPT_SPEC) {
        a->params = true;
        if (gen_spec_set(&a->spec, gen_options[opt - GEN_OPT_SPEC].name, value,
                         msg, sizeof msg))
            return true;
        fprintf(stderr, "internbench gen: %s\n", msg);
        return false;
    }
    if (opt == 'o')
        a->out_path = value;
    else if (opt == GEN_OPT_NAME)
        a->name = value;
    else if (opt == GEN_OPT_DIGEST)
        a->digest = true;
    else
        cli_case_arg_set(&a->carg, opt, value);
    return true;
}

/* Fills a from argv; CLI_OK, CLI_DONE or an exit code. */
static int gen_parse_args(int argc, char **argv, gen_args *a) {
    int rest;
    int rc = cli_parse_shorts(argc, argv, "gen", ":ho:", gen_options,
                              gen_option, a, gen_usage, &rest);
    if (rc != CLI_OK)
        return rc;
    return cli_no_operands("gen", argc, argv, rest) ? CLI_OK : CLI_USAGE;
}

/* Replaces the spec by the named case's, when --name was given. */
static int gen_apply_name(gen_args *a) {
    if (!a->name)
        return CLI_OK;
    if (a->params) {
        fprintf(stderr, "internbench gen: --name takes no other "
                        "generator options\n");
        return CLI_USAGE;
    }
    if (!gen_spec_from_name(&a->spec, a->name)) {
        fprintf(stderr,
                "internbench gen: no generated case '%s' (list: "
                "internbench cases)\n",
                a->name);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int gen_print_digest(const gen_spec *spec) {
    case_error err;
    uint64_t d;
    if (gen_digest(spec, &d, &err) != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    printf("%016llx strings %llu unique %llu\n", (unsigned long long)d,
           (unsigned long long)spec->count,
           (unsigned long long)gen_spec_unique(spec));
    return CLI_OK;
}

static int gen_write(const gen_spec *spec, const char *out_path) {
    FILE *out = cli_output_open("gen", out_path);
    if (!out)
        return CLI_USAGE;
    case_error err;
    case_status st =
        gen_write_case(spec, out, cli_output_name(out, out_path), &err);
    bool closed = cli_output_close("gen", out, out_path);
    if (st != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    return closed ? CLI_OK : CLI_USAGE;
}

int cmd_gen(int argc, char **argv) {
    gen_args a;
    memset(&a, 0, sizeof a);
    gen_spec_init(&a.spec);
    int rc = gen_parse_args(argc, argv, &a);
    if (rc != CLI_OK)
        return rc == CLI_DONE ? CLI_OK : rc;
    rc = gen_apply_name(&a);
    if (rc != CLI_OK)
        return rc;
    char msg[256], corpus[4096];
    if (!gen_spec_check(&a.spec, msg, sizeof msg)) {
        fprintf(stderr, "internbench gen: %s\n", msg);
        return CLI_USAGE;
    }
    gen_spec_find_corpus(&a.spec, cli_cases_dir(&a.carg), corpus,
                         sizeof corpus);
    return a.digest ? gen_print_digest(&a.spec)
                    : gen_write(&a.spec, a.out_path);
}
