/* render.c: views of result rows as grids, written as text or Markdown
 * (render.h). */
#include "internbench/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_CELL 96

void render_number(char *buf, size_t cap, double v) {
    if (!isfinite(v))
        snprintf(buf, cap, "-");
    else if (fabs(v) >= 100)
        snprintf(buf, cap, "%.0f", v);
    else if (fabs(v) >= 10)
        snprintf(buf, cap, "%.1f", v);
    else
        snprintf(buf, cap, "%.2f", v);
}

/* ---- the grid -------------------------------------------------------------
 */

static char *render_dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Appends a row of ncols cells (copied). 0, or -1 when out of memory. */
static int grid_row(render_grid *g, char (*cells)[RENDER_CELL]) {
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        char **n = realloc(g->cells, cap * g->ncols * sizeof *n);
        if (!n)
            return -1;
        g->cells = n;
        g->cap = cap;
    }
    char **row = g->cells + g->nrows * g->ncols;
    for (size_t c = 0; c < g->ncols; c++)
        row[c] = NULL;
    g->nrows++;
    for (size_t c = 0; c < g->ncols; c++)
        if (!(row[c] = render_dup(cells[c])))
            return -1;
    return 0;
}

void render_grid_free(render_grid *g) {
    for (size_t i = 0; g->cells && i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g->right);
    free(g->title);
    memset(g, 0, sizeof *g);
}

static const char *grid_cell(const render_grid *g, size_t r, size_t c) {
    return g->cells[r * g->ncols + c];
}

/* ---- what a view shows -----------------------------------------------------
 */

/* A grid row's key: the case, table and param of the first row that
 * made it. */
typedef struct render_key {
    const char *dim[RENDER_DIMS];
} render_key;

static const char *row_dim(const results_row *x, render_dim d) {
    return d == RENDER_CASE    ? x->case_name
           : d == RENDER_TABLE ? x->table
                               : x->param;
}

static bool view_takes(const render_view *v, const results_row *x,
                       const char *metric) {
    return strcmp(x->workload, v->workload) == 0 &&
           (!metric || strcmp(x->metric, metric) == 0) &&
           (!v->case_name || strcmp(x->case_name, v->case_name) == 0);
}

static bool key_same(const render_view *v, const render_key *a,
                     const results_row *x) {
    for (size_t k = 0; k < v->nkeys; k++)
        if (a->dim[v->keys[k]] != row_dim(x, v->keys[k]))
            return false;
    return true;
}

/* The grid rows' keys, in order; *n receives the count. */
static render_key *view_keys(const results *r, const render_view *v,
                             size_t *n) {
    size_t count = results_count(r), m = 0;
    render_key *keys = malloc((count ? count : 1) * sizeof *keys);
    for (size_t i = 0; keys && i < count; i++) {
        const results_row *x = results_at(r, i);
        if (!view_takes(v, x, v->key_metric))
            continue;
        size_t j = 0;
        while (j < m && !key_same(v, &keys[j], x))
            j++;
        if (j == m)
            keys[m++] = (render_key){{x->case_name, x->table, x->param}};
    }
    *n = m;
    return keys;
}

/* The tables the view's rows name, in order (for per-table columns). */
static const char **view_tables(const results *r, const render_view *v,
                                size_t *n) {
    size_t count = results_count(r), m = 0;
    const char **t = malloc((count ? count : 1) * sizeof *t);
    for (size_t i = 0; t && i < count; i++) {
        const results_row *x = results_at(r, i);
        if (!view_takes(v, x, NULL) || !x->table[0])
            continue;
        size_t j = 0;
        while (j < m && t[j] != x->table)
            j++;
        if (j == m)
            t[m++] = x->table;
    }
    *n = m;
    return t;
}

static void cell_key(const render_view *v, const render_col *c,
                     const render_key *k, char *buf) {
    const char *value = k->dim[c->dim];
    const char *shown =
        v->label ? v->label(c->dim, value, buf, RENDER_CELL) : NULL;
    if (shown != buf)
        snprintf(buf, RENDER_CELL, "%s", shown ? shown : value);
}

static void cell_case_field(const results *r, const render_col *c,
                            const render_key *k, char *buf) {
    json_t *o = results_case(r, k->dim[RENDER_CASE]);
    json_t *f = o ? json_object_get(o, c->metric) : NULL;
    if (json_is_integer(f))
        snprintf(buf, RENDER_CELL, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(f));
    else
        snprintf(buf, RENDER_CELL, "-");
}

static void cell_number(const render_col *c, const results_row *x, char *buf) {
    double scale = c->scale ? c->scale : 1;
    double v = x->value * scale;
    char a[32], b[32];
    switch (c->kind) {
    case RENDER_INT:
        snprintf(buf, RENDER_CELL, "%.0f", v);
        break;
    case RENDER_FIXED1:
        snprintf(buf, RENDER_CELL, "%.1f", v);
        break;
    case RENDER_TIMES:
        snprintf(buf, RENDER_CELL, isfinite(v) ? "%.2f" : "-", v);
        break;
    case RENDER_SPREAD:
        render_number(a, sizeof a, x->min * scale);
        render_number(b, sizeof b, x->max * scale);
        snprintf(buf, RENDER_CELL, "%s–%s", a, b);
        break;
    case RENDER_RATIO:
        snprintf(buf, RENDER_CELL, isfinite(x->ratio) ? "%.2f" : "-", x->ratio);
        break;
    case RENDER_CEIL:
        snprintf(buf, RENDER_CELL, "%.0f", ceil(v));
        break;
    default:
        render_number(buf, RENDER_CELL, v);
    }
}

/* The cell of column c for key k (table: the table of a per-table
 * column, else NULL). */
static void view_cell(const results *r, const render_view *v,
                      const render_col *c, const render_key *k,
                      const char *table, char *buf) {
    if (c->kind == RENDER_KEY) {
        cell_key(v, c, k, buf);
        return;
    }
    if (c->kind == RENDER_CASE_FIELD) {
        cell_case_field(r, c, k, buf);
        return;
    }
    const char *t = table ? table : c->case_level ? "" : k->dim[RENDER_TABLE];
    const results_row *x =
        results_find(r, c->workload ? c->workload : v->workload,
                     k->dim[RENDER_CASE], t, k->dim[RENDER_PARAM], c->metric);
    if (x)
        cell_number(c, x, buf);
    else
        snprintf(buf, RENDER_CELL, c->kind == RENDER_CEIL ? "never" : "-");
}

/* The grid's columns: each view column, or one per table. */
static size_t view_width(const render_view *v, size_t ntables) {
    size_t n = 0;
    for (size_t c = 0; c < v->ncols; c++)
        n += v->cols[c].per_table ? ntables : 1;
    return n;
}

static int grid_header(render_grid *g, const render_view *v,
                       const char **tables, size_t ntables,
                       char (*cells)[RENDER_CELL]) {
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        const render_col *col = &v->cols[c];
        size_t reps = col->per_table ? ntables : 1;
        for (size_t t = 0; t < reps; t++, at++) {
            if (col->per_table)
                snprintf(cells[at], RENDER_CELL, col->head, tables[t]);
            else
                snprintf(cells[at], RENDER_CELL, "%s", col->head);
            g->right[at] = col->kind != RENDER_KEY;
        }
    }
    return grid_row(g, cells);
}

static void grid_fill(const results *r, const render_view *v,
                      const render_key *k, const char **tables, size_t ntables,
                      char (*cells)[RENDER_CELL]) {
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        const render_col *col = &v->cols[c];
        if (!col->per_table) {
            view_cell(r, v, col, k, NULL, cells[at++]);
            continue;
        }
        for (size_t t = 0; t < ntables; t++)
            view_cell(r, v, col, k, tables[t], cells[at++]);
    }
}

static bool has_prefix(const char *s, const char *prefix) {
    return prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The leading key columns (key columns come before any other). */
static size_t view_key_cols(const render_view *v) {
    size_t n = 0;
    while (n < v->ncols && v->cols[n].kind == RENDER_KEY)
        n++;
    return n;
}

/* Whether grid row `row` merges into the one before it (see render_view):
 * both params carry the prefix and every cell but the keys is equal. */
static bool grid_merges(const render_grid *g, const render_view *v,
                        const render_key *prev, const render_key *k,
                        size_t row) {
    if (row < 2 || !has_prefix(prev->dim[RENDER_PARAM], v->merge_prefix) ||
        !has_prefix(k->dim[RENDER_PARAM], v->merge_prefix))
        return false;
    for (size_t c = view_key_cols(v); c < g->ncols; c++)
        if (strcmp(grid_cell(g, row - 1, c), grid_cell(g, row, c)) != 0)
            return false;
    return true;
}

/* Drops the last row, which merges into the one before it, and labels
 * that row's param "first–last". */
static int grid_merge(render_grid *g, const render_view *v,
                      const render_key *first, const render_key *k) {
    size_t last = g->nrows - 1;
    for (size_t c = 0; c < g->ncols; c++)
        free(g->cells[last * g->ncols + c]);
    g->nrows--;
    char a[RENDER_CELL], b[2 * RENDER_CELL];
    for (size_t c = 0; c < view_key_cols(v); c++) {
        if (v->cols[c].dim != RENDER_PARAM)
            continue;
        cell_key(v, &v->cols[c], first, a);
        snprintf(b, sizeof b, "%s–%s", a,
                 k->dim[RENDER_PARAM] + strlen(v->merge_prefix));
        char *cell = render_dup(b);
        if (!cell)
            return -1;
        free(g->cells[(last - 1) * g->ncols + c]);
        g->cells[(last - 1) * g->ncols + c] = cell;
    }
    return 0;
}

static int grid_rows(const results *r, const render_view *v, render_grid *g,
                     const char **tables, size_t ntables,
                     char (*cells)[RENDER_CELL]) {
    size_t nkeys;
    render_key *keys = view_keys(r, v, &nkeys);
    if (!keys)
        return -1;
    int rc = 0;
    size_t first = 0;
    for (size_t i = 0; i < nkeys && rc == 0; i++) {
        grid_fill(r, v, &keys[i], tables, ntables, cells);
        rc = grid_row(g, cells);
        if (rc == 0 && i > 0 &&
            grid_merges(g, v, &keys[i - 1], &keys[i], g->nrows - 1))
            rc = grid_merge(g, v, &keys[first], &keys[i]);
        else
            first = i;
    }
    free(keys);
    return rc;
}

int render_build(const results *r, const render_view *v,
                 const char *title_suffix, render_grid *g) {
    memset(g, 0, sizeof *g);
    size_t ntables;
    const char **tables = view_tables(r, v, &ntables);
    g->ncols = tables ? view_width(v, ntables) : 0;
    g->note = v->note;
    size_t tlen = strlen(v->title) + strlen(title_suffix) + 1;
    g->title = malloc(tlen);
    g->right = calloc(g->ncols ? g->ncols : 1, sizeof *g->right);
    char(*cells)[RENDER_CELL] =
        malloc((g->ncols ? g->ncols : 1) * sizeof *cells);
    int rc = -1;
    if (tables && g->title && g->right && cells) {
        /* the workload's name, its suffix, then the description */
        const char *colon = strchr(v->title, ':');
        size_t head = colon ? (size_t)(colon - v->title) : strlen(v->title);
        snprintf(g->title, tlen, "%.*s%s%s", (int)head, v->title, title_suffix,
                 v->title + head);
        rc = grid_header(g, v, tables, ntables, cells);
        if (rc == 0)
            rc = grid_rows(r, v, g, tables, ntables, cells);
    }
    free(tables);
    free(cells);
    return rc;
}

/* ---- writing
 * ------------------------------------------------------------------ */

/* The display width of UTF-8 text: its code points. */
static size_t text_width(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void text_pad(FILE *out, size_t n) {
    while (n--)
        fputc(' ', out);
}

static void text_rule(const size_t *w, size_t ncols, FILE *out) {
    size_t total = 0;
    for (size_t c = 0; c < ncols; c++)
        total += w[c] + (c ? 2 : 0);
    while (total--)
        fputc('-', out);
    fputc('\n', out);
}

void render_text(const render_grid *g, FILE *out) {
    if (g->nrows <= 1)
        return;
    size_t *w = calloc(g->ncols, sizeof *w);
    if (!w)
        return;
    for (size_t r = 0; r < g->nrows; r++)
        for (size_t c = 0; c < g->ncols; c++) {
            size_t n = text_width(grid_cell(g, r, c));
            w[c] = n > w[c] ? n : w[c];
        }
    fprintf(out, "\n%s\n", g->title);
    for (size_t r = 0; r < g->nrows; r++) {
        for (size_t c = 0; c < g->ncols; c++) {
            const char *s = grid_cell(g, r, c);
            size_t pad = w[c] - text_width(s);
            if (c)
                fputs("  ", out);
            if (g->right[c])
                text_pad(out, pad);
            fputs(s, out);
            if (!g->right[c] && c + 1 < g->ncols)
                text_pad(out, pad);
        }
        fputc('\n', out);
        if (r == 0)
            text_rule(w, g->ncols, out);
    }
    if (g->note)
        fprintf(out, "%s\n", g->note);
    free(w);
}

void render_md(const render_grid *g, FILE *out) {
    if (g->nrows <= 1)
        return;
    fprintf(out, "\n### %s\n\n", g->title);
    for (size_t r = 0; r < g->nrows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < g->ncols; c++)
            fprintf(out, " %s |", grid_cell(g, r, c));
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t c = 0; c < g->ncols; c++)
                fputs(g->right[c] ? "--:|" : "---|", out);
            fputc('\n', out);
        }
    }
    if (g->note)
        fprintf(out, "\n%s\n", g->note);
}

void render_context_md(results *r, FILE *out) {
    json_t *ctx = results_context(r);
    const char *key;
    json_t *v;
    json_object_foreach(ctx, key, v) {
        if (json_is_string(v))
            fprintf(out, "- %s: %s\n", key, json_string_value(v));
        else if (json_is_integer(v))
            fprintf(out, "- %s: %" JSON_INTEGER_FORMAT "\n", key,
                    json_integer_value(v));
    }
    json_t *caches = json_object_get(ctx, "caches");
    size_t i;
    json_t *c;
    if (!json_array_size(caches))
        return;
    fprintf(out, "- caches:");
    json_array_foreach(caches, i, c) {
        fprintf(out, "%s L%" JSON_INTEGER_FORMAT " %s %s", i ? "," : "",
                json_integer_value(json_object_get(c, "level")),
                json_string_value(json_object_get(c, "type")),
                json_string_value(json_object_get(c, "size")));
    }
    fputc('\n', out);
}
