/* report_read.c: the report's inputs read into result sets (report.h): a
 * run's JSON through results_read_json, v1 shapes brought to v2's; the
 * machine each input comes from compared; the inputs loaded in page
 * order. google-benchmark JSON is read in report_bench.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internbench/render.h"
#include "internbench/report.h"

const report_spec report_from_files[] = {
    {"latest.json", REPORT_RUN, true},
    {"sweep-n.json", REPORT_RUN, true},
    {"sweep-len.json", REPORT_RUN, true},
    {"bench.json", REPORT_BENCH, true},
};
const size_t report_from_count =
    sizeof report_from_files / sizeof report_from_files[0];

/* ---- a run, v1 brought to v2 -----------------------------------------------
 */

/* The describing parts of src added to dst's. */
static int run_copy_parts(results *dst, results *src) {
    int rc = json_object_update(results_context(dst), results_context(src)) |
             json_object_update(results_settings(dst), results_settings(src)) |
             json_array_extend(results_tables(dst), results_tables(src)) |
             json_array_extend(results_cases(dst), results_cases(src));
    for (size_t i = 0; i < results_failure_count(src); i++)
        results_failure(dst, results_failure_at(src, i));
    return rc ? -1 : 0;
}

/* A row into dst in v2's shape. v1 wrote smallint as case "", param
 * "STREAM,cache=CACHE", and the process's peak RSS once per table. */
static void run_copy_row(results *dst, const results_row *x) {
    results_row y = *x;
    char stream[128];
    const char *comma = strchr(x->param, ',');
    if (strcmp(x->workload, "smallint") == 0 && !x->case_name[0] && comma) {
        snprintf(stream, sizeof stream, "%.*s", (int)(comma - x->param),
                 x->param);
        y.case_name = stream;
        y.param = strncmp(comma + 1, "cache=", 6) == 0 ? comma + 7 : comma + 1;
    }
    if (strcmp(x->metric, "peak_rss_kib") == 0 && x->table[0]) {
        if (results_find(dst, x->workload, x->case_name, "", NULL, x->metric))
            return;
        y.table = "";
    }
    results_add(dst, &y);
}

/* v1 lacks the policy percentages (of no interning) and the compare
 * speedup (memcmp over pointer): derived where absent, as run makes
 * them. */
static void run_derive_row(results *r, const results_row *x) {
    char metric[64];
    const results_row *base = NULL;
    if (strcmp(x->workload, "policy") == 0 &&
        (strcmp(x->metric, "objects") == 0 || strcmp(x->metric, "bytes") == 0))
        base = results_find(r, "policy", x->case_name, "", "none", x->metric);
    else if (strcmp(x->workload, "identity") == 0 &&
             strcmp(x->metric, "memcmp_ns") == 0)
        base = results_find(r, "identity", x->case_name, "", x->param,
                            "pointer_ns");
    if (!base || base->value <= 0)
        return;
    bool pct = strcmp(x->workload, "policy") == 0;
    snprintf(metric, sizeof metric, "%s", pct ? x->metric : "compare_speedup");
    if (pct)
        strcat(metric, "_pct");
    if (!results_find(r, x->workload, x->case_name, x->table, x->param, metric))
        results_value(r, x->workload, x->case_name, x->table, x->param, metric,
                      pct ? "%" : "x",
                      (pct ? 100 : 1) * x->value / base->value);
}

static int run_check_sweep(results *r, const char *path, char *err,
                           size_t cap) {
    json_t *s = json_object_get(results_settings(r), "sweep");
    const char *v = json_string_value(s);
    if (!s || json_is_null(s) ||
        (v && (strcmp(v, "n") == 0 || strcmp(v, "len") == 0)))
        return 0;
    snprintf(err, cap, "%s: settings.sweep is not n, len or null", path);
    return -1;
}

int report_read_run(results *r, const char *path, char *err, size_t cap) {
    results *raw = results_new();
    if (!raw) {
        snprintf(err, cap, "%s: out of memory", path);
        return -1;
    }
    int rc = results_read_json(raw, path, err, cap);
    if (rc == 0 && run_copy_parts(r, raw) < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < results_count(raw); i++)
        run_copy_row(r, results_at(raw, i));
    for (size_t i = 0, n = results_count(r); rc == 0 && i < n; i++) {
        results_row x = *results_at(r, i); /* adding moves the rows */
        run_derive_row(r, &x);
    }
    results_free(raw);
    if (rc == 0 && !results_ok(r)) {
        snprintf(err, cap, "%s: out of memory", path);
        rc = -1;
    }
    return rc == 0 ? run_check_sweep(r, path, err, cap) : rc;
}

/* ---- what an input says of itself ------------------------------------------
 */

const char *report_sweep(report_input *in) {
    if (in->kind != REPORT_RUN)
        return NULL;
    return json_string_value(
        json_object_get(results_settings(in->set), "sweep"));
}

double report_case_x(const results *r, const char *case_name, bool len) {
    json_t *c = results_case(r, case_name);
    double strings = json_number_value(json_object_get(c, "strings"));
    if (!len)
        return c && strings > 0 ? strings : NAN;
    if (strncmp(case_name, "len-", 4) == 0)
        return strtod(case_name + 4, NULL);
    double bytes = json_number_value(json_object_get(c, "key_bytes"));
    return c && strings > 0 ? bytes / strings : NAN;
}

/* ---- one machine -----------------------------------------------------------
 */

/* The field key of a context as text into buf ("" when absent). */
static void machine_text(json_t *ctx, const char *key, char *buf, size_t cap) {
    json_t *v = json_object_get(ctx, key);
    buf[0] = '\0';
    if (strcmp(key, "caches") == 0)
        render_caches(v, buf, cap);
    else if (json_is_string(v))
        snprintf(buf, cap, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
}

int report_same_machine(report_input *a, report_input *b, char *err,
                        size_t cap) {
    static const char *const keys[] = {"cpu", "host", "logical_cpus", "caches"};
    char va[512], vb[512];
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        machine_text(results_context(a->set), keys[k], va, sizeof va);
        machine_text(results_context(b->set), keys[k], vb, sizeof vb);
        if (!va[0] || !vb[0] || strcmp(va, vb) == 0)
            continue;
        snprintf(err, cap,
                 "%s and %s come from different machines (%s '%s' vs '%s'); "
                 "numbers from different machines never share a page: "
                 "report each into its own directory (-o DIR)",
                 a->path, b->path, keys[k], va, vb);
        return -1;
    }
    return 0;
}

/* ---- loading ---------------------------------------------------------------
 */

static int input_read(report_input *in, const report_spec *s, char *err,
                      size_t cap) {
    const char *slash = strrchr(s->path, '/');
    in->path = s->path;
    in->name = slash ? slash + 1 : s->path;
    in->kind = s->kind;
    in->set = results_new();
    if (!in->set) {
        snprintf(err, cap, "%s: out of memory", s->path);
        return -1;
    }
    return s->kind == REPORT_RUN
               ? report_read_run(in->set, s->path, err, cap)
               : report_read_bench(in->set, s->path, err, cap);
}

void report_input_free(report_input *in) {
    results_free(in->set);
    in->set = NULL;
}

/* The last input against those before it: 0 (kept), 1 (an optional one
 * from another machine, left out with a note) or -1 (err). */
static int load_machine(report_input *ins, size_t *nins, const report_spec *s,
                        FILE *log, char *err, size_t cap) {
    report_input *in = &ins[*nins - 1];
    for (size_t j = 0; j + 1 < *nins; j++) {
        if (report_same_machine(&ins[j], in, err, cap) == 0)
            continue;
        if (!s->optional)
            return -1;
        fprintf(log, "internbench report: left out %s\n", err);
        err[0] = '\0';
        report_input_free(in);
        (*nins)--;
        return 1;
    }
    return 0;
}

int report_load(const report_spec *specs, size_t n, report_input *ins,
                size_t *nins, FILE *log, char *err, size_t cap) {
    *nins = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            const report_spec *s = &specs[i];
            if (s->kind != (pass ? REPORT_BENCH : REPORT_RUN) ||
                (s->optional && access(s->path, F_OK) != 0))
                continue;
            if (input_read(&ins[(*nins)++], s, err, cap) < 0 ||
                load_machine(ins, nins, s, log, err, cap) < 0)
                return -1;
        }
    return 0;
}
