/* render.c: views of result rows as grids, written as text or Markdown
 * (render.h). */
#include "internbench/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_CELL 512 /* a cell's bytes at most (a description fits) */

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

/* A new last row of NULL cells, or NULL when out of memory. */
static char **grid_grow(render_grid *g) {
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        char **n = realloc(g->cells, cap * g->ncols * sizeof *n);
        if (!n)
            return NULL;
        g->cells = n;
        g->cap = cap;
    }
    char **row = g->cells + g->nrows * g->ncols;
    for (size_t c = 0; c < g->ncols; c++)
        row[c] = NULL;
    g->nrows++;
    return row;
}

int render_grid_add(render_grid *g, const char *const *cells) {
    char **row = grid_grow(g);
    if (!row)
        return -1;
    for (size_t c = 0; c < g->ncols; c++)
        if (!(row[c] = render_dup(cells[c])))
            return -1;
    return 0;
}

/* Appends the row being filled (see grid_cells). */
static int grid_row(render_grid *g, char **cells) {
    return render_grid_add(g, (const char *const *)cells);
}

/* Room to fill a row of ncols cells: ncols pointers, each to
 * RENDER_CELL bytes, in one block (free() it). */
static char **grid_cells(size_t ncols) {
    ncols = ncols ? ncols : 1;
    char **cells = malloc(ncols * (sizeof *cells + RENDER_CELL));
    for (size_t c = 0; cells && c < ncols; c++)
        cells[c] = (char *)(cells + ncols) + c * RENDER_CELL;
    return cells;
}

int render_grid_init(render_grid *g, const char *title, size_t ncols) {
    memset(g, 0, sizeof *g);
    g->ncols = ncols;
    g->title = render_dup(title);
    g->right = calloc(ncols ? ncols : 1, sizeof *g->right);
    return g->title && g->right ? 0 : -1;
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

/* The tables and cases the view's rows name, in order, for the columns
 * that repeat. Invariant: name[p][0..n[p]) are distinct non-empty
 * interned strings (for RENDER_PER_TABLE and RENDER_PER_CASE). */
typedef struct render_each {
    const char **name[3];
    size_t n[3];
} render_each;

static const char *row_dim(const results_row *x, render_dim d) {
    return d == RENDER_CASE    ? x->case_name
           : d == RENDER_TABLE ? x->table
                               : x->param;
}

static bool view_takes(const render_view *v, const results_row *x,
                       const char *metric) {
    return (!v->workload || strcmp(x->workload, v->workload) == 0) &&
           (!metric || strcmp(x->metric, metric) == 0) &&
           (!v->case_name || strcmp(x->case_name, v->case_name) == 0) &&
           (!v->except || !strstr(x->table, v->except));
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

/* The distinct non-empty values of dim among the view's rows, in order. */
static const char **view_names(const results *r, const render_view *v,
                               render_dim dim, size_t *n) {
    size_t count = results_count(r), m = 0;
    const char **t = malloc((count ? count : 1) * sizeof *t);
    for (size_t i = 0; t && i < count; i++) {
        const results_row *x = results_at(r, i);
        const char *s = row_dim(x, dim);
        if (!view_takes(v, x, NULL) || !s[0])
            continue;
        size_t j = 0;
        while (j < m && t[j] != s)
            j++;
        if (j == m)
            t[m++] = s;
    }
    *n = m;
    return t;
}

static int view_each(const results *r, const render_view *v, render_each *e) {
    memset(e, 0, sizeof *e);
    e->name[RENDER_PER_TABLE] =
        view_names(r, v, RENDER_TABLE, &e->n[RENDER_PER_TABLE]);
    e->name[RENDER_PER_CASE] =
        view_names(r, v, RENDER_CASE, &e->n[RENDER_PER_CASE]);
    return e->name[RENDER_PER_TABLE] && e->name[RENDER_PER_CASE] ? 0 : -1;
}

static void each_free(render_each *e) {
    free(e->name[RENDER_PER_TABLE]);
    free(e->name[RENDER_PER_CASE]);
}

/* How many grid columns column c makes. */
static size_t col_reps(const render_col *c, const render_each *e) {
    return c->per == RENDER_ONCE ? 1 : e->n[c->per];
}

/* value through the view's label, into buf. */
static void cell_label(const results *r, const render_view *v, render_dim dim,
                       const char *value, char *buf) {
    const char *shown =
        v->label ? v->label(r, dim, value, buf, RENDER_CELL) : NULL;
    if (shown != buf)
        snprintf(buf, RENDER_CELL, "%s", shown ? shown : value);
}

/* The field `metric` of a case or table object: an integer or a string. */
static void cell_field(json_t *o, const char *field, char *buf) {
    json_t *f = o ? json_object_get(o, field) : NULL;
    if (json_is_integer(f))
        snprintf(buf, RENDER_CELL, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(f));
    else if (json_is_string(f))
        snprintf(buf, RENDER_CELL, "%s", json_string_value(f));
    else
        snprintf(buf, RENDER_CELL, "-");
}

static void cell_value_ratio(const results_row *x, double v, char *buf) {
    char a[32];
    render_number(a, sizeof a, v);
    if (x->ratio == 1)
        snprintf(buf, RENDER_CELL, "**%s** (×1.00)", a);
    else if (isfinite(x->ratio))
        snprintf(buf, RENDER_CELL, "%s (×%.2f)", a, x->ratio);
    else
        snprintf(buf, RENDER_CELL, "%s", a);
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
        snprintf(buf, RENDER_CELL, isfinite(x->min + x->max) ? "%s–%s" : "-", a,
                 b);
        break;
    case RENDER_RATIO:
        snprintf(buf, RENDER_CELL, isfinite(x->ratio) ? "%.2f" : "-", x->ratio);
        break;
    case RENDER_CEIL:
        snprintf(buf, RENDER_CELL, "%.0f", ceil(v));
        break;
    case RENDER_VALUE_RATIO:
        cell_value_ratio(x, v, buf);
        break;
    default:
        render_number(buf, RENDER_CELL, v);
    }
}

/* The cell of column c for key k (each: the table or case of a repeated
 * column, else NULL). */
static void view_cell(const results *r, const render_view *v,
                      const render_col *c, const render_key *k,
                      const char *each, char *buf) {
    const char *cname = c->per == RENDER_PER_CASE ? each : k->dim[RENDER_CASE];
    const char *t = c->per == RENDER_PER_TABLE ? each
                    : c->case_level            ? ""
                                               : k->dim[RENDER_TABLE];
    if (c->kind == RENDER_KEY) {
        cell_label(r, v, c->dim, k->dim[c->dim], buf);
        return;
    }
    if (c->kind == RENDER_CASE_FIELD || c->kind == RENDER_TABLE_FIELD) {
        cell_field(c->kind == RENDER_CASE_FIELD ? results_case(r, cname)
                                                : results_table(r, t),
                   c->metric, buf);
        return;
    }
    const results_row *x =
        results_find(r, c->workload ? c->workload : v->workload, cname, t,
                     k->dim[RENDER_PARAM], c->metric);
    if (x)
        cell_number(c, x, buf);
    else
        snprintf(buf, RENDER_CELL, c->kind == RENDER_CEIL ? "never" : "-");
}

/* The grid's columns: each view column, or one per table or case. */
static size_t view_width(const render_view *v, const render_each *e) {
    size_t n = 0;
    for (size_t c = 0; c < v->ncols; c++)
        n += col_reps(&v->cols[c], e);
    return n;
}

static int grid_header(const results *r, render_grid *g, const render_view *v,
                       const render_each *e, char **cells) {
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        const render_col *col = &v->cols[c];
        for (size_t t = 0; t < col_reps(col, e); t++, at++) {
            char name[RENDER_CELL];
            if (col->per != RENDER_ONCE) {
                render_dim d =
                    col->per == RENDER_PER_CASE ? RENDER_CASE : RENDER_TABLE;
                cell_label(r, v, d, e->name[col->per][t], name);
                snprintf(cells[at], RENDER_CELL, col->head, name);
            } else {
                snprintf(cells[at], RENDER_CELL, "%s", col->head);
            }
            g->right[at] = col->kind != RENDER_KEY;
        }
    }
    return grid_row(g, cells);
}

static void grid_fill(const results *r, const render_view *v,
                      const render_key *k, const render_each *e, char **cells) {
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        const render_col *col = &v->cols[c];
        if (col->per == RENDER_ONCE) {
            view_cell(r, v, col, k, NULL, cells[at++]);
            continue;
        }
        for (size_t t = 0; t < e->n[col->per]; t++)
            view_cell(r, v, col, k, e->name[col->per][t], cells[at++]);
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
static int grid_merge(const results *r, render_grid *g, const render_view *v,
                      const render_key *first, const render_key *k) {
    size_t last = g->nrows - 1;
    for (size_t c = 0; c < g->ncols; c++)
        free(g->cells[last * g->ncols + c]);
    g->nrows--;
    char a[RENDER_CELL], b[2 * RENDER_CELL];
    for (size_t c = 0; c < view_key_cols(v); c++) {
        if (v->cols[c].dim != RENDER_PARAM)
            continue;
        cell_label(r, v, RENDER_PARAM, first->dim[RENDER_PARAM], a);
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
                     const render_each *e, char **cells) {
    size_t nkeys;
    render_key *keys = view_keys(r, v, &nkeys);
    if (!keys)
        return -1;
    int rc = 0;
    size_t first = 0;
    for (size_t i = 0; i < nkeys && rc == 0; i++) {
        grid_fill(r, v, &keys[i], e, cells);
        rc = grid_row(g, cells);
        if (rc == 0 && i > 0 &&
            grid_merges(g, v, &keys[i - 1], &keys[i], g->nrows - 1))
            rc = grid_merge(r, g, v, &keys[first], &keys[i]);
        else
            first = i;
    }
    free(keys);
    return rc;
}

/* One fixed row (render_extra) into cells; false when it has no value. */
static bool extra_fill(const results *r, const render_view *v,
                       const render_extra *x, const render_each *e,
                       char **cells) {
    bool any = false;
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        const render_col *col = &v->cols[c];
        for (size_t t = 0; t < col_reps(col, e); t++, at++) {
            const results_row *row =
                col->per == RENDER_PER_CASE
                    ? results_find(r, x->workload, e->name[col->per][t],
                                   x->table, NULL, x->metric)
                    : NULL;
            if (row)
                render_number(cells[at], RENDER_CELL, row->value);
            else
                snprintf(cells[at], RENDER_CELL, "%s",
                         at == 0                   ? x->label
                         : col->kind == RENDER_KEY ? ""
                                                   : "-");
            any |= row != NULL;
        }
    }
    return any;
}

static int grid_extra(const results *r, const render_view *v, render_grid *g,
                      const render_each *e, char **cells) {
    if (g->nrows <= 1)
        return 0; /* fixed rows under no rows say nothing */
    for (size_t i = 0; i < v->nextra; i++)
        if (extra_fill(r, v, &v->extra[i], e, cells) && grid_row(g, cells) < 0)
            return -1;
    return 0;
}

/* The title: the workload's name, the suffix, then the description. */
static char *view_title(const render_view *v, const char *suffix) {
    size_t tlen = strlen(v->title) + strlen(suffix) + 1;
    char *title = malloc(tlen);
    if (!title)
        return NULL;
    const char *colon = strchr(v->title, ':');
    size_t head = colon ? (size_t)(colon - v->title) : strlen(v->title);
    snprintf(title, tlen, "%.*s%s%s", (int)head, v->title, suffix,
             v->title + head);
    return title;
}

/* Whether s reads as a number (or is "-", none): such cells are
 * right-aligned. */
static bool cell_numeric(const char *s) {
    char *end;
    if (strcmp(s, "-") == 0)
        return true;
    strtod(s, &end);
    return end != s && *end == '\0';
}

/* A field column is right-aligned when every value in it is a number. */
static void grid_align(render_grid *g, const render_view *v,
                       const render_each *e) {
    size_t at = 0;
    for (size_t c = 0; c < v->ncols; c++) {
        render_kind k = v->cols[c].kind;
        for (size_t t = 0; t < col_reps(&v->cols[c], e); t++, at++)
            for (size_t row = 1; row < g->nrows && (k == RENDER_CASE_FIELD ||
                                                    k == RENDER_TABLE_FIELD);
                 row++)
                g->right[at] &= cell_numeric(grid_cell(g, row, at));
    }
}

int render_build(const results *r, const render_view *v,
                 const char *title_suffix, render_grid *g) {
    memset(g, 0, sizeof *g);
    render_each e;
    int rc = view_each(r, v, &e);
    g->ncols = rc == 0 ? view_width(v, &e) : 0;
    g->note = v->note;
    g->title = view_title(v, title_suffix);
    g->right = calloc(g->ncols ? g->ncols : 1, sizeof *g->right);
    char **cells = grid_cells(g->ncols);
    if (rc == 0 && g->title && g->right && cells) {
        rc = grid_header(r, g, v, &e, cells);
        if (rc == 0)
            rc = grid_rows(r, v, g, &e, cells);
        if (rc == 0)
            rc = grid_extra(r, v, g, &e, cells);
        if (rc == 0)
            grid_align(g, v, &e);
    } else {
        rc = -1;
    }
    each_free(&e);
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

/* A Markdown cell: a | would end it, a line break the row. */
static void md_cell(const char *s, FILE *out) {
    fputc(' ', out);
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
    fputs(" |", out);
}

void render_md(const render_grid *g, FILE *out) {
    if (g->nrows <= 1)
        return;
    fprintf(out, "\n### %s\n\n", g->title);
    for (size_t r = 0; r < g->nrows; r++) {
        fputc('|', out);
        for (size_t c = 0; c < g->ncols; c++)
            md_cell(grid_cell(g, r, c), out);
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

void render_caches(json_t *caches, char *buf, size_t cap) {
    size_t i, at = 0;
    json_t *c;
    buf[0] = '\0';
    json_array_foreach(caches, i, c) {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *size = json_string_value(json_object_get(c, "size"));
        int n = snprintf(buf + at, cap - at,
                         "%sL%" JSON_INTEGER_FORMAT " %s %s", i ? ", " : "",
                         json_integer_value(json_object_get(c, "level")),
                         type ? type : "?", size ? size : "?");
        if (n < 0 || (size_t)n >= cap - at)
            break;
        at += (size_t)n;
    }
}

/* One "- label: value" line; nothing for a value of another kind. */
static void context_line(const char *label, json_t *v, FILE *out) {
    char caches[512];
    if (json_is_string(v))
        fprintf(out, "- %s: %s\n", label, json_string_value(v));
    else if (json_is_integer(v))
        fprintf(out, "- %s: %" JSON_INTEGER_FORMAT "\n", label,
                json_integer_value(v));
    else if (json_is_real(v))
        fprintf(out, "- %s: %g\n", label, json_real_value(v));
    else if (json_array_size(v)) {
        render_caches(v, caches, sizeof caches);
        fprintf(out, "- %s: %s\n", label, caches);
    }
}

void render_context_fields(json_t *ctx, const render_field *fields,
                           size_t nfields, FILE *out) {
    const char *key;
    json_t *v;
    if (fields) {
        for (size_t i = 0; i < nfields; i++)
            context_line(fields[i].label, json_object_get(ctx, fields[i].key),
                         out);
        return;
    }
    json_object_foreach(ctx, key, v) {
        if (strcmp(key, "caches") != 0)
            context_line(key, v, out);
    }
    context_line("caches", json_object_get(ctx, "caches"), out);
}

void render_context_md(results *r, FILE *out) {
    render_context_fields(results_context(r), NULL, 0, out);
}
