/* cmd_verify.c: internbench verify: every table against the per-case
 * vectors (vectors/cases/NAME.vec), and --write to record them.
 *
 * The checks are the engine's (engine.h): each table builds the case and
 * its handles must give the vector's distinct strings (count and digest),
 * its stats the vector's unique count and bytes, and it must give back
 * every byte when destroyed. --write computes vectors by sorting the
 * case's strings, without any table; the class counts are the
 * classifier's over those distinct strings. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "internbench/catalog.h"
#include "internbench/classify.h"
#include "internbench/conformance.h"
#include "internbench/engine.h"
#include "internbench/plugin.h"

static void verify_usage(FILE *out) {
    fprintf(out,
            "usage: internbench verify [--table T]... [--load PATH.so]... "
            "[--write]\n"
            "                          [--vectors-dir DIR] [--cases-dir DIR]\n"
            "                          [--conformance [--aspect A]...] "
            "(CASE... | --lines FILE... | --all)\n\n"
            "Interns every string of each case into every registered table "
            "(or those\nnamed by --table) and checks the unique count, "
            "unique bytes and digest\nagainst DIR/CASE.vec, and the vector's "
            "class counts against the case. A\nmismatch names the case, the "
            "table (or the vector), the field, what was\nexpected and what "
            "was found.\n\n"
            "  CASE              a shipped case's name, a .case path, or a "
            "generated case's\n"
            "                    name (see 'internbench cases'); also "
            "--case CASE\n"
            "  --lines FILE      a plain text file, one string per line "
            "(repeatable); it has\n"
            "                    no recorded vector, so every table is held "
            "to the one\n"
            "                    computed from the file by sorting\n"
            "  --all             every shipped case and every named "
            "generated case\n"
            "  --skip CASE       leave CASE out of --all (repeatable)\n"
            "  --table T         check only table T (repeatable)\n"
            "  --load PATH.so    add the tables of a plugin (repeatable) and "
            "run the\n"
            "                    conformance suite on them (see "
            "harness/README.md)\n"
            "  --conformance     run the conformance suite on every table "
            "checked\n"
            "  --aspect A        only this aspect of the suite (repeatable): "
            "identity,\n"
            "                    growth, stats, faults, bigkey, batch\n"
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

/* The command line. Invariant: specs[0..nspecs) are the cases, in order;
 * skips the names --all leaves out. */
typedef struct verify_opts {
    cli_tables tables;
    engine_case_spec *specs;
    size_t nspecs;
    const char **skips;
    size_t nskips;
    engine_dirs dirs;
    bool write, all;
    bool conformance;                 /* the suite on every table checked */
    size_t loads;                     /* plugins loaded: the suite on theirs */
    bool aspect[CONFORMANCE_ASPECTS]; /* none set: every aspect */
    classify_set *classes;
} verify_opts;

static bool verify_add(verify_opts *o, const char *value, bool lines) {
    engine_case_spec *n = realloc(o->specs, (o->nspecs + 1) * sizeof *o->specs);
    if (!n)
        return false;
    o->specs = n;
    o->specs[o->nspecs++] = (engine_case_spec){value, lines, NULL, NULL};
    return true;
}

static bool verify_skipped(const verify_opts *o, const char *name) {
    for (size_t i = 0; i < o->nskips; i++)
        if (strcmp(o->skips[i], name) == 0)
            return true;
    return false;
}

enum {
    OPT_TABLE = 1000,
    OPT_CASE,
    OPT_LINES,
    OPT_SKIP,
    OPT_VDIR,
    OPT_CDIR,
    OPT_LOAD,
    OPT_CONFORMANCE,
    OPT_ASPECT
};

static const struct option verify_options[] = {
    {"table", required_argument, NULL, OPT_TABLE},
    {"case", required_argument, NULL, OPT_CASE},
    {"lines", required_argument, NULL, OPT_LINES},
    {"skip", required_argument, NULL, OPT_SKIP},
    {"vectors-dir", required_argument, NULL, OPT_VDIR},
    {"cases-dir", required_argument, NULL, OPT_CDIR},
    {"load", required_argument, NULL, OPT_LOAD},
    {"conformance", no_argument, NULL, OPT_CONFORMANCE},
    {"aspect", required_argument, NULL, OPT_ASPECT},
    {"all", no_argument, NULL, 'a'},
    {"write", no_argument, NULL, 'w'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool verify_option(void *ctx, int opt, const char *v) {
    verify_opts *o = ctx;
    const char **skips;
    switch (opt) {
    case OPT_TABLE:
        return cli_tables_add(&o->tables, "verify", v);
    case OPT_CASE:
    case OPT_LINES:
        return verify_add(o, v, opt == OPT_LINES);
    case OPT_SKIP:
        skips = realloc(o->skips, (o->nskips + 1) * sizeof *skips);
        if (skips) {
            o->skips = skips;
            o->skips[o->nskips++] = v;
        }
        return skips != NULL;
    case OPT_VDIR:
        o->dirs.vectors = v;
        return true;
    case OPT_CDIR:
        o->dirs.cases = v;
        return true;
    case OPT_LOAD:
        o->loads++;
        return cli_tables_load("verify", v);
    case OPT_CONFORMANCE:
        o->conformance = true;
        return true;
    case OPT_ASPECT: {
        int a = conformance_aspect_from_name(v);
        if (a < 0)
            fprintf(stderr,
                    "internbench verify: no aspect '%s' (identity, growth, "
                    "stats, faults, bigkey, batch)\n",
                    v);
        else
            o->aspect[a] = true;
        return a >= 0;
    }
    case 'a':
        o->all = true;
        return true;
    default:
        o->write = true;
        return true;
    }
}

/* CLI_OK, CLI_USAGE (printed) or -1 for --help. */
static int verify_parse(int argc, char **argv, verify_opts *o) {
    int rest;
    int rc = cli_parse(argc, argv, "verify", verify_options, verify_option, o,
                       verify_usage, &rest);
    if (rc != CLI_OK)
        return rc;
    for (int i = rest; i < argc; i++)
        if (!verify_add(o, argv[i], false))
            return CLI_USAGE;
    if (!o->all && o->nspecs == 0 && !o->conformance && !o->loads) {
        fprintf(stderr, "internbench verify: no case given (CASE..., "
                        "--lines FILE, --all or --conformance)\n");
        return CLI_USAGE;
    }
    for (size_t i = 0; o->write && i < o->nspecs; i++)
        if (o->specs[i].lines) {
            fprintf(stderr, "internbench verify: --write records vectors of "
                            "cases, not of --lines files\n");
            return CLI_USAGE;
        }
    return CLI_OK;
}

/* --all: every shipped case and every named generated case but the
 * skipped ones; the names live in shipped until the command ends (each
 * file name cut before its ".case"). */
static int verify_all(verify_opts *o, catalog *shipped) {
    const char *dir = engine_cases_dir(&o->dirs);
    if (catalog_read(dir, shipped) != 0) {
        fprintf(stderr, "internbench verify: %s: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    for (size_t i = 0; i < shipped->count; i++)
        shipped->name[i][strlen(shipped->name[i]) - 5] = '\0';
    size_t ngen;
    const gen_named *gens = gen_named_all(&ngen);
    for (size_t i = 0; i < shipped->count + ngen; i++) {
        const char *name = i < shipped->count ? shipped->name[i]
                                              : gens[i - shipped->count].name;
        if (!verify_skipped(o, name) && !verify_add(o, name, false)) {
            fprintf(stderr, "internbench verify: out of memory\n");
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

/* The case's vector from its distinct strings, without any table. */
static int verify_compute(const verify_opts *o, const engine_case *c,
                          intern_vector *v) {
    memset(v, 0, sizeof *v);
    v->strings = c->d.count;
    if (vector_summarize(c->ref.s, c->ref.unique, o->classes, v) != 0) {
        fprintf(stderr, "internbench verify: %s: classification failed\n",
                c->name);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int verify_write(const verify_opts *o, const engine_case *c) {
    intern_vector v;
    char dir[4096], path[4400];
    snprintf(path, sizeof path, "%s/%s.vec",
             engine_vectors_dir(&o->dirs, dir, sizeof dir), c->name);
    if (verify_compute(o, c, &v) != CLI_OK)
        return CLI_USAGE;
    if (vector_write(path, c->name, &v) != 0) {
        perror(path);
        return CLI_USAGE;
    }
    printf("wrote %s\n", path);
    return CLI_OK;
}

/* The vector against the strings: what the engine noted, and the class
 * counts. Returns 1 on a mismatch. */
static int verify_vector(const verify_opts *o, const engine_case *c) {
    int bad = 0;
    if (c->vector_note[0]) {
        printf("MISMATCH case %s, vector: %s\n", c->name, c->vector_note);
        bad = 1;
    }
    intern_vector got;
    if (!c->from_vector || verify_compute(o, c, &got) != CLI_OK)
        return bad;
    for (int k = 0; k < CLASSIFY_COUNT; k++)
        if (got.cls[k] != c->want.cls[k]) {
            printf("MISMATCH case %s, vector: class.%s: expected %" PRIu64
                   ", got %" PRIu64 "\n",
                   c->name, classify_class_name(k), c->want.cls[k], got.cls[k]);
            bad = 1;
        }
    return bad;
}

/* Every table on one loaded case. Returns 1 when one failed. */
static int verify_tables(const verify_opts *o, const engine_case *c) {
    engine_options opt = {0};
    int bad = 0;
    for (size_t t = 0; t < o->tables.count; t++) {
        const intern_ops *ops = o->tables.info[t]->ops;
        engine_table_result res;
        if (engine_measure(ops, c, &opt, &res) == ENGINE_OK) {
            printf("ok case %s, table %s: %" PRIu64 " unique\n", c->name,
                   ops->name, c->want.unique);
        } else {
            printf("MISMATCH case %s, table %s: %s\n", c->name, ops->name,
                   res.error.message);
            bad = 1;
        }
    }
    return bad;
}

/* One case: CLI_OK, CLI_FAILED (a mismatch) or CLI_USAGE (printed). */
static int verify_case(const verify_opts *o, const engine_case_spec *spec) {
    engine_case c;
    engine_error err;
    int rc = CLI_OK;
    if (engine_case_load(spec, &o->dirs, &c, &err) != ENGINE_OK) {
        fprintf(stderr, "%s\n", err.message);
        rc = CLI_USAGE;
    } else if (o->write) {
        rc = verify_write(o, &c);
    } else if (!spec->lines && !c.from_vector) {
        char dir[4096];
        fprintf(stderr, "internbench verify: %s/%s.vec: no such vector\n",
                engine_vectors_dir(&o->dirs, dir, sizeof dir), c.name);
        rc = CLI_USAGE;
    } else if (verify_vector(o, &c) | verify_tables(o, &c)) {
        rc = CLI_FAILED;
    }
    engine_case_free(&c);
    return rc;
}

/* The conformance suite on one table, aspect by aspect. Returns 1 when
 * an aspect failed, -1 when memory ran out. */
static int verify_conformance_table(const verify_opts *o, const intern_ops *ops,
                                    conformance_cache *cache) {
    bool every = true;
    for (int a = 0; a < CONFORMANCE_ASPECTS; a++)
        every &= !o->aspect[a];
    int bad = 0;
    for (int a = 0; a < CONFORMANCE_ASPECTS && bad >= 0; a++) {
        if (!every && !o->aspect[a])
            continue;
        conformance_result r;
        conformance_options opt = {.cache = cache};
        int rc = conformance_run(ops, (conformance_aspect)a, &opt, &r);
        if (rc == 0)
            printf("ok conformance %s, table %s: %" PRIu64 " checks\n",
                   conformance_aspect_name(a), ops->name, r.passed);
        else
            printf("%s conformance %s, table %s: %" PRIu64 " of %" PRIu64
                   " checks failed; the first: %s\n",
                   rc < 0 ? "FAILED" : "MISMATCH", conformance_aspect_name(a),
                   ops->name, r.failed, r.passed + r.failed, r.first);
        fflush(stdout);
        bad = rc < 0 ? -1 : bad | rc;
    }
    return bad;
}

/* The suite on the tables it is asked for: every checked table with
 * --conformance, else the loaded plugins' tables. CLI_OK, CLI_FAILED or
 * CLI_USAGE (out of memory). */
static int verify_conformance(const verify_opts *o) {
    conformance_cache *cache = conformance_cache_new();
    if (!cache) {
        fprintf(stderr, "internbench verify: out of memory\n");
        return CLI_USAGE;
    }
    int rc = CLI_OK;
    for (size_t t = 0; t < o->tables.count && rc != CLI_USAGE; t++) {
        const intern_table_info *info = o->tables.info[t];
        if (!o->conformance && !plugin_table_origin(info))
            continue;
        int bad = verify_conformance_table(o, info->ops, cache);
        rc = bad < 0 ? CLI_USAGE : bad ? CLI_FAILED : rc;
    }
    conformance_cache_free(cache);
    return rc;
}

int cmd_verify(int argc, char **argv) {
    verify_opts o = {0};
    catalog shipped = {0};
    int rc = verify_parse(argc, argv, &o);
    if (rc == CLI_OK && o.all)
        rc = verify_all(&o, &shipped);
    char msg[256];
    if (rc == CLI_OK &&
        classify_set_create(&o.classes, NULL, msg, sizeof msg) != CLASSIFY_OK) {
        fprintf(stderr, "internbench verify: %s\n", msg);
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK && !cli_tables_resolve(&o.tables, "verify", true))
        rc = CLI_USAGE;
    bool failed = false;
    if (rc == CLI_OK && (o.conformance || o.loads)) {
        int c = verify_conformance(&o);
        failed = c == CLI_FAILED;
        rc = c == CLI_USAGE ? c : rc;
    }
    for (size_t i = 0; rc == CLI_OK && i < o.nspecs; i++) {
        int r = verify_case(&o, &o.specs[i]);
        failed |= r == CLI_FAILED;
        if (r == CLI_USAGE)
            rc = r;
    }
    if (rc == CLI_USAGE && !o.classes)
        fprintf(stderr, "(internbench verify --help says how to run it)\n");
    classify_set_destroy(o.classes);
    catalog_free(&shipped);
    cli_tables_free(&o.tables);
    free(o.specs);
    free(o.skips);
    if (rc < 0)
        return CLI_OK;
    return rc != CLI_OK ? rc : failed ? CLI_FAILED : CLI_OK;
}
