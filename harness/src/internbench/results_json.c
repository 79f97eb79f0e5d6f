/* results_json.c: a result set as JSON and CSV files, and a run's JSON
 * read back into a set (results.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/results.h"

static int json_fail(char *err, size_t cap, const char *path,
                     const char *what) {
    snprintf(err, cap, "%s: %s", path, what);
    return -1;
}

/* A JSON string for s; bytes that are not UTF-8 (a --lines file's name,
 * say) become '?' so the file stays valid JSON. */
static json_t *json_text(const char *s) {
    json_t *v = json_string(s);
    if (v)
        return v;
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
    v = json_string(copy);
    free(copy);
    return v;
}

/* A number: a whole one (a count, bytes) exactly, as an integer; any
 * other with the six significant digits a timing deserves. */
static json_t *json_number(double v) {
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *json_row(results *r, const results_row *x) {
    json_t *o = json_object();
    results_jset(r, o, "workload", json_text(x->workload));
    results_jset(r, o, "case", json_text(x->case_name));
    results_jset(r, o, "table", json_text(x->table));
    results_jset(r, o, "param", json_text(x->param));
    results_jset(r, o, "metric", json_text(x->metric));
    results_jset(r, o, "unit", json_text(x->unit));
    results_jset(r, o, "value", json_number(x->value));
    if (x->reps > 0) {
        results_jset(r, o, "min", json_number(x->min));
        results_jset(r, o, "max", json_number(x->max));
        results_jset(r, o, "reps", json_integer(x->reps));
    }
    if (!isnan(x->ratio))
        results_jset(r, o, "ratio_to_best", json_real(x->ratio));
    if (x->has_checksum) {
        char hex[24];
        snprintf(hex, sizeof hex, "%016" PRIx64, x->checksum);
        results_jset(r, o, "checksum", json_string(hex));
    }
    return o;
}

static int json_dump(json_t *root, const char *path, size_t flags, char *err,
                     size_t cap) {
    int rc = json_dump_file(root, path, flags);
    json_decref(root);
    if (rc != 0)
        return json_fail(err, cap, path, "cannot write");
    return 0;
}

int results_write_json(const results *cr, const char *path, char *err,
                       size_t err_size) {
    results *r = (results *)cr; /* only the out-of-memory mark changes */
    json_t *root = json_object(), *rows = json_array();
    size_t nfail = results_failure_count(r);
    json_t *failures = json_array();
    for (size_t i = 0; i < nfail; i++)
        results_jpush(r, failures, json_text(results_failure_at(r, i)));
    results_jset(r, root, "format", json_string(RESULTS_RUN_FORMAT));
    results_jset(r, root, "status", json_string(nfail ? "failed" : "ok"));
    results_jset(r, root, "failures", failures);
    results_jset(r, root, "context", json_deep_copy(results_context(r)));
    results_jset(r, root, "settings", json_deep_copy(results_settings(r)));
    results_jset(r, root, "tables", json_deep_copy(results_tables(r)));
    results_jset(r, root, "cases", json_deep_copy(results_cases(r)));
    for (size_t i = 0; i < results_count(r); i++)
        results_jpush(r, rows, json_row(r, results_at(r, i)));
    results_jset(r, root, "results", rows);
    if (!results_ok(r)) {
        json_decref(root);
        return json_fail(err, err_size, path, "out of memory");
    }
    return json_dump(root, path, JSON_INDENT(1) | JSON_REAL_PRECISION(6), err,
                     err_size);
}

int results_write_metrics_json(const results *cr, const char *path, char *err,
                               size_t err_size) {
    results *r = (results *)cr;
    json_t *root = json_object(), *rows = json_array();
    results_jset(r, root, "format", json_string(RESULTS_METRICS_FORMAT));
    results_jset(r, root, "context", json_deep_copy(results_context(r)));
    results_jset(r, root, "cases", json_deep_copy(results_cases(r)));
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row *x = results_at(r, i);
        json_t *o = json_object();
        results_jset(r, o, "case", json_text(x->case_name));
        results_jset(r, o, "table", json_text(x->table));
        results_jset(r, o, "metric", json_text(x->metric));
        results_jset(r, o, "unit", json_text(x->unit));
        results_jset(r, o, "value", json_real(x->value));
        results_jset(r, o, "total", json_integer((json_int_t)x->total));
        results_jset(r, o, "count", json_integer((json_int_t)x->count));
        results_jpush(r, rows, o);
    }
    results_jset(r, root, "metrics", rows);
    if (!results_ok(r)) {
        json_decref(root);
        return json_fail(err, err_size, path, "out of memory");
    }
    return json_dump(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER, err,
                     err_size);
}

/* ---- CSV -------------------------------------------------------------------
 */

static void csv_field(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_row(FILE *f, const results_row *x) {
    const char *s[] = {x->workload, x->case_name, x->table,
                       x->param,    x->metric,    x->unit};
    for (size_t c = 0; c < 6; c++) {
        csv_field(f, s[c]);
        fputc(',', f);
    }
    fprintf(f, "%.6g,", x->value);
    if (x->reps > 0)
        fprintf(f, "%.6g,%.6g,%d", x->min, x->max, x->reps);
    else
        fputs(",,", f);
    fputc(',', f);
    if (!isnan(x->ratio))
        fprintf(f, "%.6g", x->ratio);
    fputc(',', f);
    if (x->has_checksum)
        fprintf(f, "%016" PRIx64, x->checksum);
    fputc('\n', f);
}

int results_write_csv(const results *cr, const char *path, char *err,
                      size_t err_size) {
    results *r = (results *)cr;
    FILE *f = fopen(path, "w");
    if (!f)
        return json_fail(err, err_size, path, strerror(errno));
    const char *key;
    json_t *v;
    json_object_foreach(results_context(r), key, v) {
        if (json_is_string(v))
            fprintf(f, "# %s: %s\n", key, json_string_value(v));
        else if (json_is_integer(v))
            fprintf(f, "# %s: %" JSON_INTEGER_FORMAT "\n", key,
                    json_integer_value(v));
    }
    fputs("workload,case,table,param,metric,unit,value,min,max,reps,"
          "ratio_to_best,checksum\n",
          f);
    for (size_t i = 0; i < results_count(r); i++)
        csv_row(f, results_at(r, i));
    if (fclose(f) != 0)
        return json_fail(err, err_size, path, strerror(errno));
    return 0;
}

/* ---- reading a run back
 * ------------------------------------------------------- */

static const char *json_str(const json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

static bool json_num(const json_t *o, const char *key, double *out) {
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

/* One row of a run's "results"; false when it is malformed. */
static bool json_read_row(results *r, const json_t *o) {
    results_row x = {0};
    x.workload = json_str(o, "workload");
    x.case_name = json_str(o, "case");
    x.table = json_str(o, "table");
    x.param = json_str(o, "param");
    x.metric = json_str(o, "metric");
    x.unit = json_str(o, "unit");
    if (!x.workload || !x.case_name || !x.table || !x.param || !x.metric ||
        !x.unit || !json_num(o, "value", &x.value))
        return false;
    x.min = x.max = x.value;
    x.ratio = NAN;
    double reps = 0;
    if (json_num(o, "reps", &reps) &&
        (!json_num(o, "min", &x.min) || !json_num(o, "max", &x.max)))
        return false;
    x.reps = (int)reps;
    json_num(o, "ratio_to_best", &x.ratio);
    const char *sum = json_str(o, "checksum");
    if (sum) {
        char *end;
        x.checksum = strtoull(sum, &end, 16);
        x.has_checksum = *end == '\0';
    }
    results_add(r, &x);
    return true;
}

/* Moves the describing parts of root into r. */
static void json_read_parts(results *r, json_t *root) {
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(root, "context"), key, v)
        results_jset(r, results_context(r), key, json_incref(v));
    json_object_foreach(json_object_get(root, "settings"), key, v)
        results_jset(r, results_settings(r), key, json_incref(v));
    size_t i;
    json_array_foreach(json_object_get(root, "tables"), i, v)
        results_jpush(r, results_tables(r), json_incref(v));
    json_array_foreach(json_object_get(root, "cases"), i, v)
        results_jpush(r, results_cases(r), json_incref(v));
    json_array_foreach(json_object_get(root, "failures"), i,
                       v) if (json_is_string(v))
        results_failure(r, json_string_value(v));
}

int results_read_json(results *r, const char *path, char *err,
                      size_t err_size) {
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        if (jerr.line > 0)
            snprintf(err, err_size, "%s:%d: %s", path, jerr.line, jerr.text);
        else
            snprintf(err, err_size, "%s: %s", path, jerr.text);
        return -1;
    }
    const char *format = json_str(root, "format");
    json_t *rows = json_object_get(root, "results");
    int rc = 0;
    if (!format || (strcmp(format, RESULTS_RUN_FORMAT) != 0 &&
                    strcmp(format, RESULTS_RUN_FORMAT_V1) != 0))
        rc = json_fail(
            err, err_size, path,
            "not the JSON of internbench run (format \"" RESULTS_RUN_FORMAT
            "\")");
    else if (!json_is_array(rows) ||
             !json_is_object(json_object_get(root, "context")))
        rc = json_fail(err, err_size, path,
                       "no \"results\" array or \"context\"");
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
        if (rc == 0 && !json_read_row(r, o)) {
            snprintf(err, err_size, "%s: results[%zu]: malformed row", path, i);
            rc = -1;
        }
    }
    if (rc == 0)
        json_read_parts(r, root);
    json_decref(root);
    if (rc == 0 && !results_ok(r))
        rc = json_fail(err, err_size, path, "out of memory");
    return rc;
}
