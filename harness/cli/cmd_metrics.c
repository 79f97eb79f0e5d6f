/* cmd_metrics.c: internbench metrics: the deterministic numbers CI
 * tracks (results/baseline.json, compared by 'internbench compare').
 *
 * Per table × case, on a small fixed workload with a fixed hash seed:
 * bytes per string and allocations (the counting allocator, after a
 * build into an empty table), probes per hit and per miss (intern_stats'
 * derived counts), and instructions per op of the build, hit and miss
 * passes. Instructions come from callgrind: this program runs itself
 * under 'valgrind --tool=callgrind --instr-atstart=no' (the hidden
 * --callgrind-child mode), which zeroes the counters before each pass
 * and dumps them after it (client requests, no-ops outside valgrind);
 * the parent reads the totals from the dump files. Setup (loading the
 * case, the miss keys, the reference) is never counted. Nothing here
 * reads a clock, so two runs of the same binary give the same file. */
#define _XOPEN_SOURCE 700 /* P_tmpdir */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_case.h"
#include "intern/alloc.h"
#include "internbench/measure.h"
#include "internbench/vector.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define METRICS_HAVE_CALLGRIND 1
#endif
#endif
#ifndef METRICS_HAVE_CALLGRIND
#define METRICS_HAVE_CALLGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#define RUNNING_ON_VALGRIND            0
#endif

#ifndef INTERNBENCH_BUILD_TYPE
#define INTERNBENCH_BUILD_TYPE ""
#endif
#ifndef INTERNBENCH_C_FLAGS
#define INTERNBENCH_C_FLAGS ""
#endif

extern char **environ;

#define METRICS_FORMAT "internbench-metrics v1"
/* The hash seed of every table (intern_config.seed_fixed). */
#define METRICS_SEED UINT64_C(0x243f6a8885a308d3)
/* The dump labels: "internbench-metrics CASE TABLE PASS" by index. */
#define METRICS_LABEL "internbench-metrics"

/* The default workload: small, fixed, quick under callgrind. Short keys
 * with repeats (a shipped corpus), 10^4 distinct generated identifiers,
 * and CPython's limits (lengths up to 4097, some repeats). */
static const char *const metrics_default_cases[] = {
    "json-keys", "gen-ident-1e4", "gen-cpython-limits"};
#define METRICS_DEFAULT_CASE_COUNT                                             \
    (sizeof metrics_default_cases / sizeof metrics_default_cases[0])

enum { METRICS_BUILD, METRICS_HIT, METRICS_MISS, METRICS_PASSES };
static const char *const metrics_pass_names[METRICS_PASSES] = {"build", "hit",
                                                               "miss"};

#define METRICS_MAX 64

/* One loaded case with what its passes need. Invariant: miss.keys holds
 * only keys absent from d; ref is d's reference. */
typedef struct metrics_case {
    const char *name;
    case_data d;
    measure_ref ref;
    measure_miss_keys miss;
    uint64_t key_bytes;
} metrics_case;

/* What one table × case gives. instr[p] is the callgrind Ir of pass p
 * (valid when have_instr). */
typedef struct metrics_result {
    uint64_t total_bytes, allocations;
    intern_stats stats;
    uint64_t instr[METRICS_PASSES];
    bool have_instr[METRICS_PASSES];
} metrics_result;

typedef struct metrics_opts {
    const char *tables[METRICS_MAX];
    size_t table_count;
    const char *cases[METRICS_MAX];
    size_t case_count;
    const char *cases_dir;
    const char *json;
    bool instructions;
    bool child;
} metrics_opts;

static void metrics_usage(FILE *out) {
    fprintf(out,
            "usage: internbench metrics [--table T]... [--case C]... "
            "[--cases-dir DIR]\n"
            "                           [--json FILE] [--no-instructions]\n\n"
            "The deterministic numbers that 'internbench compare' checks, per "
            "table × case,\n"
            "with a fixed hash seed: bytes per string and allocations after "
            "a build,\n"
            "probes per hit and per miss, and instructions per op of the "
            "build, hit and\n"
            "miss passes (callgrind: valgrind must be installed).\n\n"
            "  --table T          a table (default: every registered table)\n"
            "  --case C           a shipped or generated case (default: "
            "json-keys,\n"
            "                     gen-ident-1e4, gen-cpython-limits)\n"
            "  --cases-dir DIR    where shipped cases are\n"
            "  --json FILE        write the metrics (format \"" METRICS_FORMAT
            "\")\n"
            "  --no-instructions  skip callgrind (no instr_* metrics)\n\n"
            "Exit status: 0 success, 1 a table failed its check, 2 bad usage "
            "or input.\n");
}

/* ---- the workload ------------------------------------------------------ */

static void metrics_label(char *buf, size_t cap, size_t ci, size_t ti,
                          int pass) {
    snprintf(buf, cap, METRICS_LABEL " %zu %zu %d", ci, ti, pass);
}

/* Builds, hits and misses ops on c with a fixed seed and a counting
 * allocator, each pass between a callgrind zero and dump. Returns 0, or
 * -1 with a message in err when a check fails. */
static int metrics_table_case(const intern_ops *ops, const metrics_case *c,
                              size_t ci, size_t ti, metrics_result *res,
                              char *err, size_t err_size) {
    memset(res, 0, sizeof *res);
    const case_data *d = &c->d;
    vector_str *news = malloc((d->count ? d->count : 1) * sizeof *news);
    if (!news) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    cfg.seed = METRICS_SEED;
    cfg.alloc = &ca.base;
    intern_table *t = ops->create(&cfg);
    if (!t) {
        free(news);
        snprintf(err, err_size, "create: %s", strerror(errno));
        return -1;
    }
    char label[METRICS_PASSES][96];
    for (int p = 0; p < METRICS_PASSES; p++)
        metrics_label(label[p], sizeof label[p], ci, ti, p);
    uint64_t n_new = 0, bad = 0, sum = 0, found = 0, miss_found = 0;

    CALLGRIND_ZERO_STATS;
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s = NULL;
        intern_status st =
            ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
        if (st == INTERN_NEW)
            news[n_new++] =
                (vector_str){intern_str_bytes(s), intern_str_len(s)};
        else if (st != INTERN_FOUND)
            bad++;
    }
    CALLGRIND_DUMP_STATS_AT(label[METRICS_BUILD]);
    res->total_bytes = ca.live_bytes;
    res->allocations = ca.allocations;

    CALLGRIND_ZERO_STATS;
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s = NULL;
        if (ops->intern(t, d->bytes + d->offset[i], d->len[i], &s) ==
            INTERN_FOUND) {
            found++;
            sum += intern_str_len(s);
        }
    }
    CALLGRIND_DUMP_STATS_AT(label[METRICS_HIT]);

    const case_data *m = &c->miss.keys;
    CALLGRIND_ZERO_STATS;
    for (size_t i = 0; i < m->count; i++)
        miss_found += ops->find(t, m->bytes + m->offset[i], m->len[i]) != NULL;
    CALLGRIND_DUMP_STATS_AT(label[METRICS_MISS]);

    /* the handles point into the table: digest them before destroying */
    ops->stats(t, &res->stats);
    qsort(news, n_new, sizeof *news, vector_str_compare);
    uint64_t digest = vector_digest(news, n_new);
    free(news);
    ops->destroy(t);
    if (bad)
        snprintf(err, err_size, "build: %" PRIu64 " interns failed", bad);
    else if (n_new != c->ref.unique)
        snprintf(err, err_size, "unique: expected %zu, got %" PRIu64,
                 c->ref.unique, n_new);
    else if (digest != c->ref.digest)
        snprintf(err, err_size,
                 "digest: expected %016" PRIx64 ", got %016" PRIx64,
                 c->ref.digest, digest);
    else if (found != d->count || sum != c->key_bytes)
        snprintf(err, err_size, "hit: %" PRIu64 " of %zu found", found,
                 d->count);
    else if (miss_found)
        snprintf(err, err_size, "miss: %" PRIu64 " absent keys found",
                 miss_found);
    else
        return 0;
    return -1;
}

/* ---- callgrind ---------------------------------------------------------- */

/* Reads one dump: its label's case, table and pass, and its total Ir.
 * Returns 1 for one of our dumps, 0 for another (the final dump at
 * exit), -1 when the file cannot be read. */
static int metrics_read_dump(const char *path, size_t *ci, size_t *ti,
                             int *pass, uint64_t *ir) {
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    bool ours = false, have_total = false;
    const char *trigger = "desc: Trigger: Client Request: " METRICS_LABEL " ";
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, trigger, strlen(trigger)) == 0)
            ours =
                sscanf(line + strlen(trigger), "%zu %zu %d", ci, ti, pass) == 3;
        else if (strncmp(line, "totals:", 7) == 0)
            have_total = sscanf(line + 7, "%" SCNu64, ir) == 1;
        else if (strncmp(line, "summary:", 8) == 0 && !have_total)
            have_total = sscanf(line + 8, "%" SCNu64, ir) == 1;
    }
    fclose(f);
    return ours && have_total && *pass >= 0 && *pass < METRICS_PASSES;
}

/* Runs this binary as the callgrind child over the same tables and
 * cases and fills res[ci * table_count + ti].instr from its dumps.
 * Returns CLI_OK, or CLI_USAGE after printing why. */
static int metrics_callgrind(const metrics_opts *o, const char *cases_dir,
                             const intern_table_info *const *tables,
                             size_t ntables, size_t ncases,
                             metrics_result *res) {
    /* every symbol bound at load: lazy binding would count the first
     * call of each library function in whichever pass comes first */
    if (setenv("LD_BIND_NOW", "1", 1) != 0) {
        fprintf(stderr, "internbench metrics: setenv: %s\n", strerror(errno));
        return CLI_USAGE;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        fprintf(stderr, "internbench metrics: cannot find my own binary: %s\n",
                strerror(errno));
        return CLI_USAGE;
    }
    exe[n] = '\0';
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/internbench-callgrind.XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "internbench metrics: %s: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    char outopt[4200];
    snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s/callgrind.out",
             dir);
    /* valgrind, its options, the binary, and our own arguments */
    const char *argv[16 + 2 * 2 * METRICS_MAX];
    size_t a = 0;
    argv[a++] = "valgrind";
    argv[a++] = "--tool=callgrind";
    argv[a++] = "--instr-atstart=no";
    argv[a++] = "--quiet";
    argv[a++] = outopt;
    argv[a++] = exe;
    argv[a++] = "metrics";
    argv[a++] = "--callgrind-child";
    argv[a++] = "--cases-dir";
    argv[a++] = cases_dir;
    for (size_t t = 0; t < ntables; t++) {
        argv[a++] = "--table";
        argv[a++] = tables[t]->ops->name;
    }
    for (size_t c = 0; c < ncases; c++) {
        argv[a++] = "--case";
        argv[a++] = o->cases[c];
    }
    argv[a] = NULL;

    int rc = CLI_OK;
    pid_t pid;
    int err = posix_spawnp(&pid, "valgrind", NULL, NULL, (char *const *)argv,
                           environ);
    int status = 0;
    if (err) {
        fprintf(
            stderr,
            "internbench metrics: cannot run valgrind: %s (harness/bootstrap "
            "installs it; --no-instructions skips the instruction "
            "counts)\n",
            strerror(err));
        rc = CLI_USAGE;
    } else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
               WEXITSTATUS(status) != 0) {
        fprintf(stderr,
                "internbench metrics: the callgrind run failed (status %d)\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        rc = CLI_USAGE;
    }

    DIR *dp = opendir(dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t ci, ti;
        int pass;
        uint64_t ir;
        int got =
            rc == CLI_OK ? metrics_read_dump(path, &ci, &ti, &pass, &ir) : 0;
        if (got < 0) {
            fprintf(stderr, "internbench metrics: %s: %s\n", path,
                    strerror(errno));
            rc = CLI_USAGE;
        } else if (got == 1 && ci < ncases && ti < ntables) {
            metrics_result *r = &res[ci * ntables + ti];
            r->instr[pass] = ir;
            r->have_instr[pass] = true;
        }
        remove(path);
    }
    if (dp)
        closedir(dp);
    rmdir(dir);
    for (size_t i = 0; rc == CLI_OK && i < ncases * ntables; i++)
        for (int p = 0; p < METRICS_PASSES; p++)
            if (!res[i].have_instr[p]) {
                fprintf(stderr,
                        "internbench metrics: callgrind gave no count for "
                        "%s × %s, %s\n",
                        tables[i % ntables]->ops->name, o->cases[i / ntables],
                        metrics_pass_names[p]);
                rc = CLI_USAGE;
                break;
            }
    return rc;
}

/* ---- output ---------------------------------------------------------------
 */

static bool metrics_oom;

static void metrics_set(json_t *o, const char *key, json_t *v) {
    if (!v || json_object_set_new(o, key, v) != 0)
        metrics_oom = true;
}

static void metrics_push(json_t *a, json_t *v) {
    if (!v || json_array_append_new(a, v) != 0)
        metrics_oom = true;
}

/* One row: value = total / count. */
static void metrics_row(json_t *rows, const char *cname, const char *table,
                        const char *metric, const char *unit, uint64_t total,
                        uint64_t count) {
    json_t *o = json_object();
    if (!o) {
        metrics_oom = true;
        return;
    }
    metrics_set(o, "case", json_string(cname));
    metrics_set(o, "table", json_string(table));
    metrics_set(o, "metric", json_string(metric));
    metrics_set(o, "unit", json_string(unit));
    metrics_set(o, "value",
                json_real(count ? (double)total / (double)count : 0.0));
    metrics_set(o, "total", json_integer((json_int_t)total));
    metrics_set(o, "count", json_integer((json_int_t)count));
    metrics_push(rows, o);
}

static json_t *metrics_context(bool instructions) {
    json_t *c = json_object();
    if (!c) {
        metrics_oom = true;
        return NULL;
    }
#if defined(__clang__)
    metrics_set(c, "compiler", json_string("clang " __clang_version__));
#elif defined(__GNUC__)
    metrics_set(c, "compiler", json_string("gcc " __VERSION__));
#else
    metrics_set(c, "compiler", json_string("unknown"));
#endif
    metrics_set(c, "build_type", json_string(INTERNBENCH_BUILD_TYPE));
    char flags[512];
    const char *f = INTERNBENCH_C_FLAGS;
    while (*f == ' ')
        f++;
    snprintf(flags, sizeof flags, "%s", f);
    size_t n = strlen(flags);
    while (n && flags[n - 1] == ' ')
        flags[--n] = '\0';
    metrics_set(c, "flags", json_string(flags));
    char seed[32];
    snprintf(seed, sizeof seed, "0x%016" PRIx64, METRICS_SEED);
    metrics_set(c, "seed", json_string(seed));
    metrics_set(c, "instructions",
                json_string(instructions ? "callgrind" : "none"));
    return c;
}

static void metrics_print_header(void) {
    printf("%-18s %-14s %9s %7s %8s %8s %9s %9s %9s\n", "case", "table",
           "B/string", "allocs", "probes/h", "probes/m", "Ir/build", "Ir/hit",
           "Ir/miss");
    for (int i = 0; i < 99; i++)
        putchar('-');
    putchar('\n');
}

static void metrics_print_ir(const metrics_result *r, int p, uint64_t ops) {
    if (r->have_instr[p] && ops)
        printf(" %9.1f", (double)r->instr[p] / (double)ops);
    else
        printf(" %9s", "-");
}

/* ---- the command ------------------------------------------------------------
 */

static int metrics_parse(int argc, char **argv, metrics_opts *o) {
    memset(o, 0, sizeof *o);
    o->instructions = true;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char **list = NULL;
        size_t *count = NULL;
        if (cli_is_help(arg)) {
            metrics_usage(stdout);
            return -1;
        } else if (strcmp(arg, "--no-instructions") == 0) {
            o->instructions = false;
            continue;
        } else if (strcmp(arg, "--callgrind-child") == 0) {
            o->child = true;
            continue;
        } else if (strcmp(arg, "--table") == 0) {
            list = o->tables;
            count = &o->table_count;
        } else if (strcmp(arg, "--case") == 0) {
            list = o->cases;
            count = &o->case_count;
        } else if (strcmp(arg, "--cases-dir") != 0 &&
                   strcmp(arg, "--json") != 0) {
            fprintf(stderr, "internbench metrics: unknown option '%s'\n\n",
                    arg);
            metrics_usage(stderr);
            return CLI_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "internbench metrics: %s needs a value\n", arg);
            return CLI_USAGE;
        }
        const char *val = argv[++i];
        if (!list) {
            *(strcmp(arg, "--json") == 0 ? &o->json : &o->cases_dir) = val;
            continue;
        }
        if (*count == METRICS_MAX) {
            fprintf(stderr, "internbench metrics: more than %d of %s\n",
                    METRICS_MAX, arg);
            return CLI_USAGE;
        }
        list[(*count)++] = val;
    }
    if (o->case_count == 0) {
        for (size_t c = 0; c < METRICS_DEFAULT_CASE_COUNT; c++)
            o->cases[c] = metrics_default_cases[c];
        o->case_count = METRICS_DEFAULT_CASE_COUNT;
    }
    return CLI_OK;
}

int cmd_metrics(int argc, char **argv) {
    metrics_opts o;
    int rc = metrics_parse(argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (o.child && !RUNNING_ON_VALGRIND) {
        fprintf(stderr, "internbench metrics: --callgrind-child is for the "
                        "run under callgrind only\n");
        return CLI_USAGE;
    }
    if (o.instructions && !o.child && !METRICS_HAVE_CALLGRIND) {
        fprintf(stderr, "internbench metrics: built without "
                        "<valgrind/callgrind.h>: only --no-instructions\n");
        return CLI_USAGE;
    }

    /* the tables: those named, else every registered one */
    const intern_table_info *tables[METRICS_MAX];
    size_t ntables = 0;
    if (o.table_count) {
        for (size_t i = 0; i < o.table_count; i++) {
            tables[ntables] = intern_registry_find(o.tables[i]);
            if (!tables[ntables]) {
                fprintf(stderr,
                        "internbench metrics: no table '%s' (see "
                        "'internbench tables')\n",
                        o.tables[i]);
                return CLI_USAGE;
            }
            ntables++;
        }
    } else {
        size_t count;
        const intern_table_info *all = intern_registry(&count);
        for (size_t i = 0; i < count && ntables < METRICS_MAX; i++)
            tables[ntables++] = &all[i];
    }

    cli_case_arg dir_arg = {.cases_dir = o.cases_dir};
    const char *cases_dir = cli_cases_dir(&dir_arg);
    metrics_case *cases = calloc(o.case_count, sizeof *cases);
    metrics_result *res = calloc(o.case_count * ntables, sizeof *res);
    if (!cases || !res) {
        free(cases);
        free(res);
        fprintf(stderr, "internbench metrics: out of memory\n");
        return CLI_USAGE;
    }
    size_t loaded = 0;
    for (; rc == CLI_OK && loaded < o.case_count; loaded++) {
        metrics_case *c = &cases[loaded];
        cli_case_arg arg = {.spec = o.cases[loaded], .cases_dir = cases_dir};
        rc = cli_case_load(&arg, &c->d, &c->name);
        if (rc != CLI_OK) {
            loaded++; /* c->d is to be freed */
            break;
        }
        c->name = o.cases[loaded];
        for (size_t i = 0; i < c->d.count; i++)
            c->key_bytes += c->d.len[i];
        if (measure_ref_build(&c->d, &c->ref) != 0 ||
            measure_miss_keys_make(&c->d, &c->ref, &c->miss) != 0) {
            fprintf(stderr, "internbench metrics: out of memory\n");
            rc = CLI_USAGE;
            loaded++;
            break;
        }
    }

    /* the passes: natively for the counts, or under callgrind */
    bool failed = false;
    if (rc == CLI_OK) {
        if (o.child)
            CALLGRIND_START_INSTRUMENTATION;
        for (size_t c = 0; c < o.case_count; c++)
            for (size_t t = 0; t < ntables; t++) {
                char err[256];
                if (metrics_table_case(tables[t]->ops, &cases[c], c, t,
                                       &res[c * ntables + t], err,
                                       sizeof err) != 0) {
                    printf("MISMATCH case %s, table %s: %s\n", cases[c].name,
                           tables[t]->ops->name, err);
                    failed = true;
                }
            }
        if (o.child)
            CALLGRIND_STOP_INSTRUMENTATION;
    }
    if (rc == CLI_OK && !o.child && !failed && o.instructions)
        rc = metrics_callgrind(&o, cases_dir, tables, ntables, o.case_count,
                               res);

    json_t *root = NULL, *rows = NULL;
    if (rc == CLI_OK && !o.child && !failed) {
        printf("internbench metrics: %zu tables × %zu cases, seed fixed, "
               "instructions %s\n\n",
               ntables, o.case_count,
               o.instructions ? "from callgrind" : "not counted");
        metrics_print_header();
        root = json_object();
        rows = json_array();
        json_t *jcases = json_array();
        metrics_set(root, "format", json_string(METRICS_FORMAT));
        metrics_set(root, "context", metrics_context(o.instructions));
        metrics_set(root, "cases", jcases);
        for (size_t c = 0; c < o.case_count; c++) {
            const metrics_case *mc = &cases[c];
            json_t *jc = json_object();
            if (jc) {
                metrics_set(jc, "name", json_string(mc->name));
                metrics_set(jc, "strings",
                            json_integer((json_int_t)mc->d.count));
                metrics_set(jc, "unique",
                            json_integer((json_int_t)mc->ref.unique));
                metrics_set(jc, "miss_keys",
                            json_integer((json_int_t)mc->miss.keys.count));
            }
            metrics_push(jcases, jc);
            uint64_t ops[METRICS_PASSES] = {mc->d.count, mc->d.count,
                                            mc->miss.keys.count};
            for (size_t t = 0; t < ntables; t++) {
                const metrics_result *r = &res[c * ntables + t];
                const char *tn = tables[t]->ops->name;
                const intern_stats *st = &r->stats;
                metrics_row(rows, mc->name, tn, "bytes_per_string", "B",
                            r->total_bytes, mc->ref.unique);
                metrics_row(rows, mc->name, tn, "allocations", "allocations",
                            r->allocations, 1);
                metrics_row(rows, mc->name, tn, "probes_hit", "visits/op",
                            st->probe_hit_sum, st->strings);
                if (st->probe_miss_samples)
                    metrics_row(rows, mc->name, tn, "probes_miss", "visits/op",
                                st->probe_miss_sum, st->probe_miss_samples);
                for (int p = 0; p < METRICS_PASSES; p++)
                    if (r->have_instr[p]) {
                        char metric[32];
                        snprintf(metric, sizeof metric, "instr_%s",
                                 metrics_pass_names[p]);
                        metrics_row(rows, mc->name, tn, metric, "Ir/op",
                                    r->instr[p], ops[p]);
                    }
                printf("%-18s %-14s %9.2f %7" PRIu64, mc->name, tn,
                       mc->ref.unique
                           ? (double)r->total_bytes / (double)mc->ref.unique
                           : 0.0,
                       r->allocations);
                printf(" %8.3f", st->strings ? (double)st->probe_hit_sum /
                                                   (double)st->strings
                                             : 0.0);
                if (st->probe_miss_samples)
                    printf(" %8.3f", (double)st->probe_miss_sum /
                                         (double)st->probe_miss_samples);
                else
                    printf(" %8s", "-");
                for (int p = 0; p < METRICS_PASSES; p++)
                    metrics_print_ir(r, p, ops[p]);
                putchar('\n');
            }
        }
        metrics_set(root, "metrics", rows);
        if (metrics_oom) {
            fprintf(stderr, "internbench metrics: out of memory\n");
            rc = CLI_USAGE;
        } else if (o.json &&
                   json_dump_file(root, o.json,
                                  JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
            fprintf(stderr, "internbench metrics: %s: cannot write: %s\n",
                    o.json, strerror(errno));
            rc = CLI_USAGE;
        }
    }
    json_decref(root);
    for (size_t c = 0; c < loaded; c++) {
        case_data_free(&cases[c].d);
        measure_ref_free(&cases[c].ref);
        measure_miss_keys_free(&cases[c].miss);
    }
    free(cases);
    free(res);
    if (rc != CLI_OK)
        return rc;
    return failed ? CLI_FAILED : CLI_OK;
}
