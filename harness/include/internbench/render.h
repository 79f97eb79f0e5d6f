/* render.h: result rows as grids (results.h): the console tables of
 * `internbench run`, their Markdown, and the tables of the results page.
 *
 * A view describes a grid as data: which rows of the set it shows (a
 * workload, optionally one case, less the tables it leaves out), what
 * makes a grid row (each distinct combination of its key dimensions among
 * the rows of its key metric, in the order they were added), what each
 * column shows (a key, a metric's value, spread or ratio, a field of the
 * case's or the table's description), with columns that repeat per table
 * or per case where those are columns rather than rows, and fixed rows
 * below (a floor, say). Key columns come first. Every number is formatted
 * by render_number, once. */
#ifndef INTERNBENCH_RENDER_H
#define INTERNBENCH_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "internbench/results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum render_dim {
    RENDER_CASE,
    RENDER_TABLE,
    RENDER_PARAM,
    RENDER_DIMS
} render_dim;

typedef enum render_kind {
    RENDER_KEY,         /* the grid row's value of dim, through the label */
    RENDER_VALUE,       /* the metric's value (render_number) */
    RENDER_INT,         /* the value as an integer */
    RENDER_FIXED1,      /* the value with one decimal */
    RENDER_TIMES,       /* the value as x.xx */
    RENDER_SPREAD,      /* the metric's min–max */
    RENDER_RATIO,       /* the metric's ratio to the best, x.xx */
    RENDER_CEIL,        /* the value rounded up; "never" when absent */
    RENDER_CASE_FIELD,  /* the field `metric` of the case object */
    RENDER_TABLE_FIELD, /* the field `metric` of the table object */
    RENDER_VALUE_RATIO, /* the value and its ratio to the best: "1.23
                           (×1.05)", the best in bold */
} render_kind;

/* Whether a column repeats: once, or once per table or case of the view
 * (in the order they were added), which it then takes its rows from. */
typedef enum render_per {
    RENDER_ONCE,
    RENDER_PER_TABLE,
    RENDER_PER_CASE
} render_per;

typedef struct render_col {
    const char *head; /* repeated: a format, %s is the table or case */
    render_kind kind;
    render_dim dim;       /* for RENDER_KEY */
    const char *metric;   /* the metric (or field) shown */
    const char *workload; /* NULL: the view's */
    bool case_level;      /* the value is the case's own (table "") */
    render_per per;       /* one such column per table or case */
    double scale;         /* the value is multiplied by it (0: 1) */
} render_col;

/* A fixed row below the grid's rows: label in the first column, and in
 * each other column the value of metric of workload for that table (""
 * for a case's own) in the column's case. Shown when it has a value. */
typedef struct render_extra {
    const char *label, *workload, *table, *metric;
} render_extra;

/* How a key (or a repeated column's table or case) shows: writes the
 * label of value into buf and returns buf (NULL: the value as it is). */
typedef const char *(*render_label_fn)(const results *r, render_dim dim,
                                       const char *value, char *buf,
                                       size_t cap);

typedef struct render_view {
    const char *workload;   /* NULL: any */
    const char *case_name;  /* only rows of this case; NULL: any */
    const char *key_metric; /* grid rows come from rows of this metric */
    render_dim keys[RENDER_DIMS];
    size_t nkeys;
    const char *title;
    const char *note;
    const render_col *cols;
    size_t ncols;
    /* consecutive grid rows whose params both start with merge_prefix and
     * whose other cells are equal become one row, keyed "first–last" */
    const char *merge_prefix;
    render_label_fn label;
    const char *except; /* rows whose table contains it are left out */
    const render_extra *extra;
    size_t nextra;
} render_view;

/* A grid of formatted cells. Invariant: cells holds nrows * ncols owned
 * strings, row 0 is the header; right[c] says column c is numeric. */
typedef struct render_grid {
    char *title;
    const char *note;
    size_t ncols, nrows, cap;
    char **cells;
    bool *right;
} render_grid;

/* Builds the grid of view v over r; title_suffix (may be "") is appended
 * to the title. 0, or -1 when out of memory. A view no row matches gives
 * a grid of the header only. */
int render_build(const results *r, const render_view *v,
                 const char *title_suffix, render_grid *g);
/* An empty grid of ncols columns for rows made by hand (the first row
 * added is the header); right[] all false. 0, or -1 when out of memory. */
int render_grid_init(render_grid *g, const char *title, size_t ncols);
/* Appends a row of g->ncols cells (copied). 0, or -1 when out of memory. */
int render_grid_add(render_grid *g, const char *const *cells);
void render_grid_free(render_grid *g);
/* Nothing is written for a grid without rows. */
void render_text(const render_grid *g, FILE *out);
void render_md(const render_grid *g, FILE *out);

/* The set's context as a Markdown list: "- key: value" per field, the
 * caches on one line. */
void render_context_md(results *r, FILE *out);
/* A context field shown under a label. */
typedef struct render_field {
    const char *key, *label;
} render_field;
/* The fields of ctx as "- label: value" lines, in the order given (NULL:
 * every field, labelled by its key, in ctx's order); absent fields are
 * left out, caches are one line (render_caches). */
void render_context_fields(json_t *ctx, const render_field *fields,
                           size_t nfields, FILE *out);
/* A context's caches array as "L1 Data 48K, L2 Unified 2048K" ("" for
 * none). */
void render_caches(json_t *caches, char *buf, size_t cap);

/* v with three significant-looking digits: 123, 12.3, 1.23; "-" when not
 * finite. */
void render_number(char *buf, size_t cap, double v);

/* The grids `internbench run` prints, in order (their titles name the
 * workload). */
const render_view *render_run_views(size_t *count);
/* The label of run's keys: policies, lengths, records and caches. */
const char *render_run_label(const results *r, render_dim dim,
                             const char *value, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
