/* cmd_verify.c: internbench verify: every table against the per-case
 * vectors (vectors/cases/NAME.vec), and --write to record them.
 *
 * The .vec format and the digest are in internbench/vector.h.
 *
 * --write computes these by sorting the case's strings (no table
 * involved); verify computes them from each table's handles: the handles
 * interning returned as new, sorted and hashed. So a table that merges two
 * strings, splits one, or corrupts bytes changes the vector. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_case.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "internbench/classify.h"
#include "internbench/gen.h"
#include "internbench/vector.h"

static void verify_usage(FILE *out) {
    fprintf(out,
            "usage: internbench verify [--table T]... [--write] "
            "[--vectors-dir DIR]\n"
            "                          [--cases-dir DIR] (CASE... | --lines "
            "FILE... | --all)\n\n"
            "Interns every string of each case into every registered table "
            "(or those\nnamed by --table) and checks the unique count, "
            "unique bytes, digest and\nclass counts against "
            "DIR/CASE.vec. A mismatch names the case, the table,\n"
            "the field, what was expected and what the table gave.\n\n"
            "  CASE              a shipped case's name, a .case path, or a "
            "generated case's\n"
            "                    name (see 'internbench cases')\n"
            "  --lines FILE      a plain text file, one string per line "
            "(repeatable); it has\n"
            "                    no recorded vector, so every table is held "
            "to the one\n"
            "                    computed from the file by sorting\n"
            "  --all             every shipped case and every named "
            "generated case\n"
            "  --skip CASE       leave CASE out of --all (repeatable)\n"
            "  --table T         check only table T (repeatable)\n"
            "  --write           compute the vectors without any table and "
            "write DIR/CASE.vec\n"
            "  --vectors-dir DIR where .vec files are (default: "
            "$INTERNBENCH_VECTORS_DIR, else\n"
            "                    vectors/cases beside the cases folder)\n"
            "  --cases-dir DIR   where shipped cases are\n\n"
            "Exit status: 0 all match, 1 a mismatch (or a table failed), 2 "
            "bad usage or\nbad input (an unknown case or table, a missing or "
            "malformed .vec).\n");
}

static int verify_write(const char *path, const char *name,
                        const intern_vector *v) {
    if (vector_write(path, name, v) != 0) {
        fprintf(stderr, "internbench verify: %s: %s\n", path, strerror(errno));
        return CLI_USAGE;
    }
    printf("wrote %s\n", path);
    return CLI_OK;
}

/* Reads a .vec; CLI_OK or CLI_USAGE (message printed). */
static int verify_read(const char *path, intern_vector *v) {
    char err[CASE_MESSAGE_MAX];
    if (vector_read(path, v, err, sizeof err) != 0) {
        fprintf(stderr, "internbench verify: %s\n", err);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Prints a mismatch; returns 1 if the values differ. */
static int verify_field(const char *cname, const char *tname, const char *field,
                        uint64_t want, uint64_t got, bool hex) {
    if (want == got)
        return 0;
    if (hex)
        printf("MISMATCH case %s, table %s, %s: expected %016" PRIx64
               ", got %016" PRIx64 "\n",
               cname, tname, field, want, got);
    else
        printf("MISMATCH case %s, table %s, %s: expected %" PRIu64
               ", got %" PRIu64 "\n",
               cname, tname, field, want, got);
    return 1;
}

/* Interns the case into one table and compares. CLI_OK, CLI_FAILED. */
static int verify_table(const intern_ops *ops, const char *cname,
                        const case_data *d, const intern_vector *want,
                        classify_set *set) {
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &ca.base;
    intern_table *t = ops->create(&cfg);
    if (!t) {
        printf("FAILED case %s, table %s: create: %s\n", cname, ops->name,
               strerror(errno));
        return CLI_FAILED;
    }
    vector_str *h = malloc((d->count ? d->count : 1) * sizeof *h);
    if (!h) {
        ops->destroy(t);
        fprintf(stderr, "internbench verify: out of memory\n");
        return CLI_FAILED;
    }
    size_t n = 0;
    int bad = 0;
    for (size_t i = 0; i < d->count && !bad; i++) {
        const char *key = d->bytes + d->offset[i];
        const intern_str *s = NULL;
        intern_status st = ops->intern(t, key, d->len[i], &s);
        if (st == INTERN_NEW) {
            h[n++] = (vector_str){intern_str_bytes(s), intern_str_len(s)};
        } else if (st != INTERN_FOUND) {
            printf("FAILED case %s, table %s: string %zu: %s\n", cname,
                   ops->name, i + 1, intern_status_text(st));
            bad = 1;
        } else if (intern_str_len(s) != d->len[i] ||
                   (intern_str_len(s) &&
                    memcmp(intern_str_bytes(s), key, intern_str_len(s)) != 0)) {
            printf("MISMATCH case %s, table %s: string %zu: the handle "
                   "found holds other bytes\n",
                   cname, ops->name, i + 1);
            bad = 1;
        }
    }
    if (!bad) {
        intern_vector got;
        got.strings = d->count;
        qsort(h, n, sizeof *h, vector_str_compare);
        if (vector_summarize(h, n, set, &got) != 0) {
            printf("FAILED case %s: classification failed\n", cname);
            bad = 1;
        } else {
            intern_stats st;
            memset(&st, 0, sizeof st);
            ops->stats(t, &st);
            bad |= verify_field(cname, ops->name, "strings", want->strings,
                                got.strings, false);
            bad |= verify_field(cname, ops->name, "unique", want->unique,
                                got.unique, false);
            bad |= verify_field(cname, ops->name, "unique (stats)",
                                want->unique, st.strings, false);
            bad |= verify_field(cname, ops->name, "unique_bytes",
                                want->unique_bytes, got.unique_bytes, false);
            bad |= verify_field(cname, ops->name, "unique_bytes (stats)",
                                want->unique_bytes, st.payload_bytes, false);
            bad |= verify_field(cname, ops->name, "digest", want->digest,
                                got.digest, true);
            for (int c = 0; c < CLASSIFY_COUNT; c++) {
                char field[64];
                snprintf(field, sizeof field, "class.%s",
                         classify_class_name(c));
                bad |= verify_field(cname, ops->name, field, want->cls[c],
                                    got.cls[c], false);
            }
        }
    }
    free(h);
    ops->destroy(t);
    if (ca.live_bytes != 0 || ca.live_blocks != 0) {
        printf("MISMATCH case %s, table %s: %" PRIu64
               " bytes still allocated after destroy\n",
               cname, ops->name, ca.live_bytes);
        bad = 1;
    }
    if (!bad)
        printf("ok case %s, table %s: %" PRIu64 " unique\n", cname, ops->name,
               want->unique);
    return bad ? CLI_FAILED : CLI_OK;
}

/* The short name of a case spec: a path's file name without .case. */
static void verify_case_name(const char *spec, char *buf, size_t cap) {
    const char *base = strrchr(spec, '/');
    base = base ? base + 1 : spec;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".case") == 0)
        n -= 5;
    snprintf(buf, cap, "%.*s", (int)n, base);
}

static int verify_name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every shipped case's name, sorted (malloc'd array of strdup'd names). */
static int verify_list_shipped(const char *dir, char ***names, size_t *count) {
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "internbench verify: %s: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    struct dirent *e;
    size_t cap = 0;
    int rc = CLI_OK;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".case") != 0)
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(*names, cap * sizeof *nn);
            if (!nn) {
                rc = CLI_FAILED;
                break;
            }
            *names = nn;
        }
        char *copy = malloc(n - 4);
        if (!copy) {
            rc = CLI_FAILED;
            break;
        }
        memcpy(copy, e->d_name, n - 5);
        copy[n - 5] = '\0';
        (*names)[(*count)++] = copy;
    }
    closedir(d);
    if (*count)
        qsort(*names, *count, sizeof **names, verify_name_cmp);
    if (rc != CLI_OK)
        fprintf(stderr, "internbench verify: out of memory\n");
    return rc;
}

static bool verify_skipped(const char **skips, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(skips[i], name) == 0)
            return true;
    return false;
}

int cmd_verify(int argc, char **argv) {
    cli_case_arg carg = {0};
    const char *vectors_dir = NULL;
    bool write = false, all = false;
    const char **specs = calloc((size_t)argc + 1, sizeof *specs);
    const char **skips = calloc((size_t)argc + 1, sizeof *skips);
    const char **lines = calloc((size_t)argc + 1, sizeof *lines);
    size_t nskips = 0, nlines = 0;
    const intern_ops **tables = calloc((size_t)argc + 1, sizeof *tables);
    size_t nspecs = 0, ntables = 0;
    int rc = CLI_OK;
    if (!specs || !tables || !skips || !lines) {
        fprintf(stderr, "internbench verify: out of memory\n");
        free(lines);
        free(skips);
        free(specs);
        free(tables);
        return CLI_FAILED;
    }
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            verify_usage(stdout);
            free(lines);
            free(skips);
            free(specs);
            free(tables);
            return CLI_OK;
        } else if (strcmp(a, "--all") == 0) {
            all = true;
        } else if (strcmp(a, "--write") == 0) {
            write = true;
        } else if ((strcmp(a, "--table") == 0 ||
                    strcmp(a, "--vectors-dir") == 0 ||
                    strcmp(a, "--cases-dir") == 0 || strcmp(a, "--case") == 0 ||
                    strcmp(a, "--lines") == 0 || strcmp(a, "--skip") == 0) &&
                   i + 1 >= argc) {
            fprintf(stderr, "internbench verify: %s needs a value\n", a);
            rc = CLI_USAGE;
        } else if (strcmp(a, "--table") == 0) {
            const intern_table_info *info = intern_registry_find(argv[++i]);
            if (!info) {
                fprintf(stderr,
                        "internbench verify: no table '%s' (see "
                        "'internbench tables')\n",
                        argv[i]);
                rc = CLI_USAGE;
            } else {
                tables[ntables++] = info->ops;
            }
        } else if (strcmp(a, "--skip") == 0) {
            skips[nskips++] = argv[++i];
        } else if (strcmp(a, "--vectors-dir") == 0) {
            vectors_dir = argv[++i];
        } else if (strcmp(a, "--cases-dir") == 0) {
            carg.cases_dir = argv[++i];
        } else if (strcmp(a, "--case") == 0) {
            specs[nspecs++] = argv[++i];
        } else if (strcmp(a, "--lines") == 0) {
            lines[nlines++] = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "internbench verify: unknown option '%s'\n", a);
            rc = CLI_USAGE;
        } else {
            specs[nspecs++] = a;
        }
    }
    if (rc == CLI_OK && !all && nspecs == 0 && nlines == 0) {
        fprintf(stderr, "internbench verify: no case given (CASE..., "
                        "--lines FILE or --all)\n");
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK && write && nlines) {
        fprintf(stderr, "internbench verify: --write records vectors of "
                        "cases, not of --lines files\n");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        verify_usage(stderr);
        free(lines);
        free(skips);
        free(specs);
        free(tables);
        return rc;
    }
    if (ntables == 0) {
        size_t n;
        const intern_table_info *reg = intern_registry(&n);
        const intern_ops **more = realloc(tables, (n + 1) * sizeof *more);
        if (!more) {
            free(skips);
            free(specs);
            free(tables);
            return CLI_FAILED;
        }
        tables = more;
        for (size_t i = 0; i < n; i++)
            tables[ntables++] = reg[i].ops;
    }
    char default_vectors[4096];
    if (!vectors_dir) {
        const char *env = getenv("INTERNBENCH_VECTORS_DIR");
        if (env && *env) {
            vectors_dir = env;
        } else {
            snprintf(default_vectors, sizeof default_vectors,
                     "%s/../vectors/cases", cli_cases_dir(&carg));
            vectors_dir = default_vectors;
        }
    }
    /* the cases: given ones, then (--all) shipped and generated ones */
    char **shipped = NULL;
    size_t nshipped = 0;
    if (all) {
        rc = verify_list_shipped(cli_cases_dir(&carg), &shipped, &nshipped);
        size_t ngen;
        const gen_named *gens = gen_named_all(&ngen);
        const char **more =
            realloc(specs, (nspecs + nshipped + ngen + 1) * sizeof *more);
        if (!more) {
            rc = CLI_FAILED;
        } else {
            specs = more;
            for (size_t i = 0; i < nshipped; i++)
                if (!verify_skipped(skips, nskips, shipped[i]))
                    specs[nspecs++] = shipped[i];
            for (size_t i = 0; i < ngen; i++)
                if (!verify_skipped(skips, nskips, gens[i].name))
                    specs[nspecs++] = gens[i].name;
        }
    }
    classify_set *set = NULL;
    char msg[256];
    if (rc == CLI_OK &&
        classify_set_create(&set, NULL, msg, sizeof msg) != CLASSIFY_OK) {
        fprintf(stderr, "internbench verify: %s\n", msg);
        rc = CLI_FAILED;
    }
    int failed = 0;
    for (size_t k = 0; rc == CLI_OK && k < nspecs; k++) {
        char cname[256], path[4400];
        verify_case_name(specs[k], cname, sizeof cname);
        snprintf(path, sizeof path, "%s/%s.vec", vectors_dir, cname);
        carg.spec = specs[k];
        case_data d;
        int lrc = cli_case_load(&carg, &d, NULL);
        if (lrc != CLI_OK) {
            case_data_free(&d);
            rc = lrc;
            break;
        }
        if (write) {
            intern_vector v;
            if (vector_compute(&d, set, &v) != 0) {
                fprintf(stderr,
                        "internbench verify: %s: out of memory or "
                        "classification failed\n",
                        cname);
                rc = CLI_FAILED;
            } else {
                rc = verify_write(path, cname, &v);
            }
        } else {
            intern_vector want;
            rc = verify_read(path, &want);
            for (size_t t = 0; rc == CLI_OK && t < ntables; t++)
                if (verify_table(tables[t], cname, &d, &want, set) != CLI_OK)
                    failed = 1;
        }
        case_data_free(&d);
    }
    /* A --lines file has no recorded vector: every table is held to the
     * one computed from the file by sorting, without any table. */
    for (size_t k = 0; rc == CLI_OK && k < nlines; k++) {
        cli_case_arg larg = {.lines = lines[k]};
        case_data d;
        const char *lname = NULL;
        rc = cli_case_load(&larg, &d, &lname);
        intern_vector want;
        if (rc == CLI_OK && vector_compute(&d, set, &want) != 0) {
            fprintf(stderr,
                    "internbench verify: %s: out of memory or "
                    "classification failed\n",
                    lines[k]);
            rc = CLI_FAILED;
        }
        for (size_t t = 0; rc == CLI_OK && t < ntables; t++)
            if (verify_table(tables[t], lname ? lname : lines[k], &d, &want,
                             set) != CLI_OK)
                failed = 1;
        case_data_free(&d);
    }
    classify_set_destroy(set);
    for (size_t i = 0; i < nshipped; i++)
        free(shipped[i]);
    free(shipped);
    free(lines);
    free(skips);
    free(specs);
    free(tables);
    if (rc != CLI_OK)
        return rc;
    return failed ? CLI_FAILED : CLI_OK;
}
