/* cli_args.c: choosing tables and reading counts (cli_args.h). */
#include "cli_args.h"

#include "cli.h"
#include "internbench/plugin.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool cli_tables_push(cli_tables *t, const intern_table_info *info) {
    for (size_t i = 0; i < t->count; i++)
        if (t->info[i] == info)
            return true;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        const intern_table_info **n = realloc(t->info, cap * sizeof *n);
        if (!n)
            return false;
        t->info = n;
        t->cap = cap;
    }
    t->info[t->count++] = info;
    return true;
}

bool cli_tables_add(cli_tables *t, const char *cmd, const char *name) {
    const char **n = realloc(t->names, (t->nnames + 1) * sizeof *n);
    if (!n) {
        fprintf(stderr, "internbench %s: out of memory\n", cmd);
        return false;
    }
    t->names = n;
    t->names[t->nnames++] = name;
    return true;
}

bool cli_tables_load(const char *cmd, const char *path) {
    engine_error err;
    if (plugin_load(path, &err) == ENGINE_OK)
        return true;
    fprintf(stderr, "internbench %s: %s\n", cmd, err.message);
    return false;
}

bool cli_tables_resolve(cli_tables *t, const char *cmd, bool all) {
    bool ok = true;
    for (size_t i = 0; ok && i < t->nnames; i++) {
        const intern_table_info *info = plugin_table_find(t->names[i]);
        if (!info)
            fprintf(stderr,
                    "internbench %s: no table '%s' (see 'internbench "
                    "tables'; a plugin's tables need --load first)\n",
                    cmd, t->names[i]);
        ok = info && cli_tables_push(t, info);
    }
    size_t n;
    const intern_table_info *every = plugin_tables(&n);
    for (size_t i = 0; ok && !t->nnames && i < n; i++)
        if (all || every[i].is_default)
            ok = cli_tables_push(t, &every[i]);
    if (!ok && t->count == 0 && t->nnames == 0)
        fprintf(stderr, "internbench %s: out of memory\n", cmd);
    return ok;
}

void cli_tables_free(cli_tables *t) {
    free(t->info);
    free(t->names);
    memset(t, 0, sizeof *t);
}

int cli_parse(int argc, char **argv, const char *cmd, const struct option *opts,
              cli_option_fn fn, void *ctx, void (*usage)(FILE *), int *rest) {
    return cli_parse_shorts(argc, argv, cmd, ":h", opts, fn, ctx, usage, rest);
}

int cli_parse_shorts(int argc, char **argv, const char *cmd, const char *shorts,
                     const struct option *opts, cli_option_fn fn, void *ctx,
                     void (*usage)(FILE *), int *rest) {
    optind = 0; /* glibc: start afresh, as main dispatched argv + 1 */
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return -1;
        }
        if (opt == '?' || opt == ':') {
            fprintf(stderr, "internbench %s: %s '%s'\n", cmd,
                    opt == ':' ? "a value is missing after" : "unknown option",
                    argv[optind - 1]);
            return CLI_USAGE;
        }
        if (!fn(ctx, opt, optarg))
            return CLI_USAGE;
    }
    *rest = optind;
    return CLI_OK;
}

bool cli_no_operands(const char *cmd, int argc, char **argv, int rest) {
    if (rest >= argc)
        return true;
    fprintf(stderr, "internbench %s: unknown argument '%s'\n", cmd, argv[rest]);
    return false;
}

bool cli_count(const char *cmd, const char *opt, const char *s, uint64_t min,
               uint64_t max, uint64_t *out) {
    char *end;
    errno = 0;
    double d = *s && *s != '-' ? strtod(s, &end) : -1;
    if (d < 0 || errno || *end || d != floor(d) || d < (double)min ||
        d > (double)max) {
        fprintf(stderr,
                "internbench %s: %s: a whole number in %llu..%llu, not "
                "'%s'\n",
                cmd, opt, (unsigned long long)min, (unsigned long long)max, s);
        return false;
    }
    *out = (uint64_t)d;
    return true;
}
