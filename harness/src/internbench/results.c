/* results.c: the result set (results.h). */
#include "internbench/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intern/intern.h"

/* Invariant: rows[0..count) are the rows in the order they were added,
 * every string in them interned in strings; context and settings are
 * objects, tables, cases and failures arrays. oom is set once anything
 * could not be allocated. */
struct results {
    const intern_ops *ops;
    intern_table *strings;
    results_row *rows;
    size_t count, cap;
    json_t *context, *settings, *tables, *cases, *failures;
    bool oom;
};

results *results_new(void) {
    results *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    const intern_table_info *info = intern_registry_find("open");
    r->ops = info ? info->ops : intern_registry(&(size_t){0})->ops;
    r->strings = r->ops->create(NULL);
    r->context = json_object();
    r->settings = json_object();
    r->tables = json_array();
    r->cases = json_array();
    r->failures = json_array();
    if (!r->strings || !r->context || !r->settings || !r->tables || !r->cases ||
        !r->failures) {
        results_free(r);
        return NULL;
    }
    return r;
}

void results_free(results *r) {
    if (!r)
        return;
    if (r->strings)
        r->ops->destroy(r->strings);
    free(r->rows);
    json_decref(r->context);
    json_decref(r->settings);
    json_decref(r->tables);
    json_decref(r->cases);
    json_decref(r->failures);
    free(r);
}

bool results_ok(const results *r) {
    return r && !r->oom;
}

const char *results_intern(results *r, const char *s) {
    const intern_str *h;
    s = s ? s : "";
    if (r->ops->intern(r->strings, s, strlen(s), &h) < 0) {
        r->oom = true;
        return NULL;
    }
    return intern_str_bytes(h);
}

/* The interned copy of s if the set holds it (NULL: not held, so no row
 * can match it). */
static const char *results_held(const results *r, const char *s) {
    const intern_str *h = r->ops->find(r->strings, s, strlen(s));
    return h ? intern_str_bytes(h) : NULL;
}

results_row *results_add(results *r, const results_row *row) {
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        results_row *n = realloc(r->rows, cap * sizeof *n);
        if (!n) {
            r->oom = true;
            return NULL;
        }
        r->rows = n;
        r->cap = cap;
    }
    results_row x = *row;
    x.workload = results_intern(r, row->workload);
    x.case_name = results_intern(r, row->case_name);
    x.table = results_intern(r, row->table);
    x.param = results_intern(r, row->param);
    x.metric = results_intern(r, row->metric);
    x.unit = results_intern(r, row->unit);
    if (r->oom)
        return NULL;
    r->rows[r->count] = x;
    return &r->rows[r->count++];
}

results_row *results_value(results *r, const char *workload,
                           const char *case_name, const char *table,
                           const char *param, const char *metric,
                           const char *unit, double value) {
    results_row row = {workload, case_name, table, param, metric, unit,
                       value,    value,     value, 0,     NAN,    false,
                       0,        false,     0,     0};
    return results_add(r, &row);
}

results_row *results_sample(results *r, const char *workload,
                            const char *case_name, const char *table,
                            const char *param, const char *metric,
                            const char *unit, const measure_sample *s) {
    results_row *row = results_value(r, workload, case_name, table, param,
                                     metric, unit, s->median);
    if (row) {
        row->min = s->min;
        row->max = s->max;
        row->reps = s->reps;
    }
    return row;
}

void results_set_checksum(results_row *row, uint64_t checksum) {
    if (row) {
        row->has_checksum = true;
        row->checksum = checksum;
    }
}

size_t results_count(const results *r) {
    return r->count;
}

const results_row *results_at(const results *r, size_t i) {
    return i < r->count ? &r->rows[i] : NULL;
}

/* NULL stays NULL (any); a string the set does not hold matches none. */
static bool results_key(const results *r, const char *s, const char **out) {
    *out = s ? results_held(r, s) : NULL;
    return !s || *out;
}

const results_row *results_find(const results *r, const char *workload,
                                const char *case_name, const char *table,
                                const char *param, const char *metric) {
    const char *w, *c, *t, *p, *m;
    if (!results_key(r, workload, &w) || !results_key(r, case_name, &c) ||
        !results_key(r, table, &t) || !results_key(r, param, &p) ||
        !results_key(r, metric, &m))
        return NULL;
    for (size_t i = 0; i < r->count; i++) {
        const results_row *x = &r->rows[i];
        if ((!w || x->workload == w) && (!c || x->case_name == c) &&
            (!t || x->table == t) && (!p || x->param == p) &&
            (!m || x->metric == m))
            return x;
    }
    return NULL;
}

void results_set_ratios(results *r, const char *workload, const char *metric) {
    const char *w = results_held(r, workload), *m = results_held(r, metric);
    for (size_t i = 0; w && m && i < r->count; i++) {
        results_row *x = &r->rows[i];
        if (x->workload != w || x->metric != m)
            continue;
        double best = INFINITY;
        for (size_t j = 0; j < r->count; j++) {
            const results_row *y = &r->rows[j];
            if (y->workload == w && y->metric == m &&
                y->case_name == x->case_name && y->param == x->param &&
                y->value < best)
                best = y->value;
        }
        x->ratio = best > 0 ? x->value / best : NAN;
    }
}

json_t *results_context(results *r) {
    return r->context;
}

json_t *results_settings(results *r) {
    return r->settings;
}

json_t *results_tables(results *r) {
    return r->tables;
}

json_t *results_cases(results *r) {
    return r->cases;
}

/* The object of array whose "name" is name, or NULL. */
static json_t *results_named(json_t *array, const char *name) {
    size_t i;
    json_t *c;
    json_array_foreach(array, i, c) {
        const char *n = json_string_value(json_object_get(c, "name"));
        if (n && strcmp(n, name) == 0)
            return c;
    }
    return NULL;
}

json_t *results_case(const results *r, const char *name) {
    return results_named(r->cases, name);
}

json_t *results_table(const results *r, const char *name) {
    return results_named(r->tables, name);
}

void results_jset(results *r, json_t *obj, const char *key, json_t *v) {
    if (!obj || !v || json_object_set_new(obj, key, v) != 0)
        r->oom = true;
}

void results_jpush(results *r, json_t *array, json_t *v) {
    if (!array || !v || json_array_append_new(array, v) != 0)
        r->oom = true;
}

void results_failure(results *r, const char *message) {
    results_jpush(r, r->failures, json_string(message));
}

size_t results_failure_count(const results *r) {
    return json_array_size(r->failures);
}

const char *results_failure_at(const results *r, size_t i) {
    return json_string_value(json_array_get(r->failures, i));
}
