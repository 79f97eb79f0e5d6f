/* cmd_gen.c: internbench gen — write a generated case. */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "cli.h"
#include "cli_case.h"
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

static int gen_digest_emit(void *ctx, const void *bytes, size_t len) {
    unsigned char n[8];
    uint64_t l = len;
    for (int i = 0; i < 8; i++)
        n[i] = (unsigned char)(l >> (8 * i));
    XXH64_update(ctx, n, 8);
    XXH64_update(ctx, bytes, len);
    return 0;
}

int cmd_gen(int argc, char **argv) {
    gen_spec spec;
    gen_spec_init(&spec);
    const char *name = NULL, *out_path = NULL;
    bool digest = false, params = false;
    cli_case_arg carg = {0};
    char msg[256];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            gen_usage(stdout);
            return CLI_OK;
        }
        if (strcmp(a, "--digest") == 0) {
            digest = true;
            continue;
        }
        if (strcmp(a, "--cases-dir") == 0) {
            if (cli_case_option(argc, argv, &i, &carg) < 0)
                return CLI_USAGE;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 && strcmp(a, "-o") != 0) {
            fprintf(stderr, "internbench gen: unexpected argument '%s'\n", a);
            return CLI_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "internbench gen: %s needs a value\n", a);
            return CLI_USAGE;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--name") == 0) {
            name = v;
        } else if (strcmp(a, "-o") == 0) {
            out_path = v;
        } else {
            if (!gen_spec_set(&spec, a + 2, v, msg, sizeof msg)) {
                fprintf(stderr, "internbench gen: %s\n", msg);
                return CLI_USAGE;
            }
            params = true;
        }
    }
    if (name) {
        if (params) {
            fprintf(stderr, "internbench gen: --name takes no other "
                            "generator options\n");
            return CLI_USAGE;
        }
        if (!gen_spec_from_name(&spec, name)) {
            fprintf(stderr,
                    "internbench gen: no generated case '%s' (list: "
                    "internbench cases)\n",
                    name);
            return CLI_USAGE;
        }
    }
    if (!gen_spec_check(&spec, msg, sizeof msg)) {
        fprintf(stderr, "internbench gen: %s\n", msg);
        return CLI_USAGE;
    }
    char corpus[4096];
    if (spec.length == GEN_LENGTH_CORPUS && !strchr(spec.corpus, '/')) {
        snprintf(corpus, sizeof corpus, "%s/%s.case", cli_cases_dir(&carg),
                 spec.corpus);
        FILE *probe = fopen(spec.corpus, "rb");
        if (probe)
            fclose(probe); /* a file of that name here wins */
        else
            spec.corpus_path = corpus;
    }
    case_error err;
    if (digest) {
        XXH64_state_t *h = XXH64_createState();
        if (!h) {
            fprintf(stderr, "internbench gen: out of memory\n");
            return CLI_USAGE;
        }
        XXH64_reset(h, 0);
        case_status st = gen_run(&spec, gen_digest_emit, h, &err);
        unsigned long long d = XXH64_digest(h);
        XXH64_freeState(h);
        if (st != CASE_OK) {
            fprintf(stderr, "%s\n", err.message);
            return CLI_USAGE;
        }
        printf("%016llx strings %llu unique %llu\n", d,
               (unsigned long long)spec.count,
               (unsigned long long)gen_spec_unique(&spec));
        return CLI_OK;
    }
    FILE *out = stdout;
    if (out_path && strcmp(out_path, "-") != 0) {
        out = fopen(out_path, "wb");
        if (!out) {
            perror(out_path);
            return CLI_USAGE;
        }
    }
    case_status st =
        gen_write_case(&spec, out, out == stdout ? "<stdout>" : out_path, &err);
    if (out != stdout && fclose(out) != 0 && st == CASE_OK) {
        perror(out_path);
        return CLI_USAGE;
    }
    if (st != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_USAGE;
    }
    return CLI_OK;
}
