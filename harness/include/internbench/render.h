/* render.h: result rows as grids (results.h): the console tables of
 * `internbench run`, their Markdown, and the tables of the results page.
 *
 * A view describes a grid as data: which rows of the set it shows (a
 * workload, optionally one case), what makes a grid row (each distinct
 * combination of its key dimensions among the rows of its key metric, in
 * the order they were added) and what each column shows (a key, a
 * metric's value, spread or ratio, a field of the case's description),
 * with columns that repeat per table where a table is a column rather
 * than a row; key columns come first. Every number is formatted by
 * render_number, once. */
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
    RENDER_KEY,        /* the grid row's value of dim, through the label */
    RENDER_VALUE,      /* the metric's value (render_number) */
    RENDER_INT,        /* the value as an integer */
    RENDER_FIXED1,     /* the value with one decimal */
    RENDER_TIMES,      /* the value as x.xx */
    RENDER_SPREAD,     /* the metric's min–max */
    RENDER_RATIO,      /* the metric's ratio to the best, x.xx */
    RENDER_CEIL,       /* the value rounded up; "never" when absent */
    RENDER_CASE_FIELD, /* the integer field `metric` of the case object */
} render_kind;

typedef struct render_col {
    const char *head; /* with per_table: a format, %s is the table */
    render_kind kind;
    render_dim dim;       /* for RENDER_KEY */
    const char *metric;   /* the metric (or case field) shown */
    const char *workload; /* NULL: the view's */
    bool case_level;      /* the value is the case's own (table "") */
    bool per_table;       /* one such column per table of the view */
    double scale;         /* the value is multiplied by it (0: 1) */
} render_col;

/* How a key shows: writes the label of value into buf and returns buf
 * (NULL: the value as it is). */
typedef const char *(*render_label_fn)(render_dim dim, const char *value,
                                       char *buf, size_t cap);

typedef struct render_view {
    const char *workload;
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
void render_grid_free(render_grid *g);
/* Nothing is written for a grid without rows. */
void render_text(const render_grid *g, FILE *out);
void render_md(const render_grid *g, FILE *out);

/* The set's context as a Markdown list: "- key: value" per field, the
 * caches on one line. */
void render_context_md(results *r, FILE *out);

/* v with three significant-looking digits: 123, 12.3, 1.23; "-" when not
 * finite. */
void render_number(char *buf, size_t cap, double v);

/* The grids `internbench run` prints, in order (their titles name the
 * workload). */
const render_view *render_run_views(size_t *count);
/* The label of run's keys: policies, lengths, records and caches. */
const char *render_run_label(render_dim dim, const char *value, char *buf,
                             size_t cap);

#ifdef __cplusplus
}
#endif

#endif
