/* compare.c: metrics files compared row by row (see
 * internbench/compare.h). */
#include "internbench/compare.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internbench/results.h"

static const char *const compare_kind_names[COMPARE_KINDS] = {
    "bytes", "allocations", "probes", "instructions"};

/* Percent. Bytes and allocations are exact counts: any increase is a
 * regression. Probes are exact too, but a mean over one seed's layout:
 * a change of the hash or the growth rule moves them a little either
 * way. Instruction counts move with code layout and inlining. */
static const double compare_kind_defaults[COMPARE_KINDS] = {0, 0, 1, 2};

static const struct {
    const char *metric;
    compare_kind kind;
} compare_metrics[] = {
    {"bytes_per_string", COMPARE_BYTES},   {"allocations", COMPARE_ALLOCATIONS},
    {"probes_hit", COMPARE_PROBES},        {"probes_miss", COMPARE_PROBES},
    {"instr_build", COMPARE_INSTRUCTIONS}, {"instr_hit", COMPARE_INSTRUCTIONS},
    {"instr_miss", COMPARE_INSTRUCTIONS},
};

const char *const compare_context_keys[] = {"compiler", "build_type",   "flags",
                                            "seed",     "instructions", NULL};

const char *compare_kind_name(compare_kind k) {
    return (unsigned)k < COMPARE_KINDS ? compare_kind_names[k] : "?";
}

void compare_limits_init(double limits[COMPARE_KINDS]) {
    memcpy(limits, compare_kind_defaults, sizeof compare_kind_defaults);
}

static bool compare_msg(char *msg, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return false;
}

bool compare_limits_parse(double limits[COMPARE_KINDS], const char *arg,
                          char *msg, size_t cap) {
    const char *eq = strchr(arg, '=');
    const char *num = eq ? eq + 1 : arg;
    char *end;
    errno = 0;
    double v = strtod(num, &end);
    if (!*num || *end || errno || !isfinite(v) || v < 0)
        return compare_msg(msg, cap,
                           "--threshold '%s': want PCT or KIND=PCT with PCT "
                           "a number >= 0",
                           arg);
    if (!eq) {
        for (int k = 0; k < COMPARE_KINDS; k++)
            limits[k] = v;
        return true;
    }
    for (int k = 0; k < COMPARE_KINDS; k++)
        if (strlen(compare_kind_names[k]) == (size_t)(eq - arg) &&
            strncmp(arg, compare_kind_names[k], (size_t)(eq - arg)) == 0) {
            limits[k] = v;
            return true;
        }
    return compare_msg(msg, cap,
                       "--threshold '%s': unknown kind (bytes, allocations, "
                       "probes, instructions)",
                       arg);
}

static int compare_kind_of(const char *metric) {
    for (size_t i = 0; i < sizeof compare_metrics / sizeof compare_metrics[0];
         i++)
        if (strcmp(compare_metrics[i].metric, metric) == 0)
            return compare_metrics[i].kind;
    return -1;
}

static const char *compare_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *compare_context(const compare_file *f, const char *key) {
    return compare_str(json_object_get(f->root, "context"), key);
}

static bool compare_same_row(const compare_row *a, const compare_row *b) {
    return strcmp(a->cname, b->cname) == 0 && strcmp(a->table, b->table) == 0 &&
           strcmp(a->metric, b->metric) == 0;
}

/* What is wrong with row i of f (object o), or NULL when it is good;
 * fills f->rows[i]. */
static const char *compare_row_check(compare_file *f, size_t i, json_t *o,
                                     char *buf, size_t cap) {
    compare_row *r = &f->rows[i];
    json_t *v = json_object_get(o, "value");
    r->cname = compare_str(o, "case");
    r->table = compare_str(o, "table");
    r->metric = compare_str(o, "metric");
    if (!json_is_object(o))
        return "not an object";
    if (!r->cname || !r->table || !r->metric)
        return "needs string \"case\", \"table\" and \"metric\"";
    if (!json_is_number(v))
        return "needs a number \"value\"";
    r->value = json_number_value(v);
    if (!isfinite(r->value) || r->value < 0)
        return "\"value\" must be a finite number >= 0";
    int kind = compare_kind_of(r->metric);
    if (kind < 0) {
        snprintf(buf, cap, "unknown metric '%.100s'", r->metric);
        return buf;
    }
    r->kind = (compare_kind)kind;
    for (size_t j = 0; j < i; j++)
        if (compare_same_row(&f->rows[j], r))
            return "the same case, table and metric as an earlier row";
    return NULL;
}

/* Reads path's JSON into f->root. */
static int compare_parse(const char *path, compare_file *f, char *msg,
                         size_t cap) {
    json_error_t jerr;
    f->root = json_load_file(path, 0, &jerr);
    if (f->root)
        return 0;
    if (jerr.line > 0)
        snprintf(msg, cap, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                 jerr.text);
    else
        snprintf(msg, cap, "%s: %s", path, jerr.text);
    return -1;
}

int compare_load(const char *path, compare_file *f, char *msg, size_t cap) {
    memset(f, 0, sizeof *f);
    f->path = path;
    if (compare_parse(path, f, msg, cap) != 0)
        return -1;
    const char *format = compare_str(f->root, "format");
    json_t *rows = json_object_get(f->root, "metrics");
    const char *bad = NULL;
    if (!format || strcmp(format, RESULTS_METRICS_FORMAT) != 0)
        bad = "not a metrics file (no \"format\": \"" RESULTS_METRICS_FORMAT
              "\")";
    else if (!json_is_array(rows))
        bad = "no \"metrics\" array";
    else if (!(f->rows = calloc(json_array_size(rows) + 1, sizeof *f->rows)))
        bad = "out of memory";
    if (bad) {
        compare_msg(msg, cap, "%s: %s", path, bad);
        return -1;
    }
    f->count = json_array_size(rows);
    for (size_t i = 0; i < f->count; i++) {
        char buf[160];
        bad = compare_row_check(f, i, json_array_get(rows, i), buf, sizeof buf);
        if (bad) {
            compare_msg(msg, cap, "%s: metrics[%zu]: %s", path, i, bad);
            return -1;
        }
    }
    return 0;
}

void compare_free(compare_file *f) {
    json_decref(f->root);
    free(f->rows);
    memset(f, 0, sizeof *f);
}

/* Judges the current value c of baseline row b. */
static compare_change compare_judge(const compare_row *b, const compare_row *c,
                                    const double limits[COMPARE_KINDS]) {
    compare_change ch = {b, c, 0.0, 0.0, COMPARE_SAME};
    ch.delta = c->value - b->value;
    ch.pct = b->value > 0 ? 100.0 * ch.delta / b->value
                          : (ch.delta > 0 ? INFINITY : 0.0);
    if (ch.delta > 0 && ch.pct > limits[b->kind])
        ch.verdict = COMPARE_WORSE;
    else if (ch.delta > 0)
        ch.verdict = COMPARE_WITHIN;
    else if (ch.delta < 0)
        ch.verdict = COMPARE_BETTER;
    return ch;
}

static void compare_count(compare_result *r, compare_change ch) {
    r->changes[r->count++] = ch;
    switch (ch.verdict) {
    case COMPARE_SAME:
    case COMPARE_WITHIN:
        r->same++;
        break;
    case COMPARE_BETTER:
        r->better++;
        break;
    case COMPARE_WORSE:
        r->worse++;
        break;
    case COMPARE_MISSING:
        r->missing++;
        break;
    case COMPARE_NEW:
        r->added++;
        break;
    }
}

int compare_files(const compare_file *base, const compare_file *cur,
                  const double limits[COMPARE_KINDS], compare_result *out) {
    memset(out, 0, sizeof *out);
    bool *matched = calloc(cur->count + 1, sizeof *matched);
    out->changes =
        malloc((base->count + cur->count + 1) * sizeof *out->changes);
    if (!matched || !out->changes) {
        free(matched);
        compare_result_free(out);
        return -1;
    }
    for (size_t i = 0; i < base->count; i++) {
        const compare_row *b = &base->rows[i];
        size_t j = 0;
        while (j < cur->count &&
               (matched[j] || !compare_same_row(&cur->rows[j], b)))
            j++;
        if (j == cur->count) {
            compare_count(out,
                          (compare_change){b, NULL, 0, 0, COMPARE_MISSING});
            continue;
        }
        matched[j] = true;
        compare_count(out, compare_judge(b, &cur->rows[j], limits));
    }
    for (size_t j = 0; j < cur->count; j++)
        if (!matched[j])
            compare_count(
                out, (compare_change){NULL, &cur->rows[j], 0, 0, COMPARE_NEW});
    free(matched);
    return 0;
}

void compare_result_free(compare_result *r) {
    free(r->changes);
    memset(r, 0, sizeof *r);
}

bool compare_failed(const compare_result *r) {
    return r->worse || r->missing;
}
