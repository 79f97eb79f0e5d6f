/* report_plots.c: the page's plots (report.h). Each plot is a descriptor:
 * which input it takes (a run, a sweep, a google-benchmark file), which
 * rows (workloads and metrics), what x is, the style (lines, bars, a
 * scatter per case), the axes and their scales; one writer per style turns
 * the rows into a gnuplot script with the data inline, and gnuplot draws
 * it (one process per plot). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internbench/report.h"

typedef enum plot_source {
    SRC_RUN,
    SRC_SWEEP_N,
    SRC_SWEEP_LEN,
    SRC_BENCH
} plot_source;

typedef enum plot_style { STYLE_LINES, STYLE_BARS, STYLE_SCATTER } plot_style;

/* What a point's x is: the case's n or key length (sweeps), the length of
 * a "len=N" param, the table (bars), or another metric of the same case
 * and table (scatter). */
typedef enum plot_x {
    X_CASE_N,
    X_CASE_LEN,
    X_PARAM_LEN,
    X_TABLE,
    X_METRIC
} plot_x;

/* One plot. Consecutive plots under one heading are alternatives: the
 * first with data is drawn. A row is plotted when its workload is one of
 * workloads (one ending in '*' is a prefix) and its metric one of
 * metrics; lines are one series per workload, table and metric. */
typedef struct plot_desc {
    const char *heading, *missing;
    const char *file; /* per case: %s is the case */
    const char *alt;  /* the link's text: %s the input (per case: the case,
                         then the input) */
    const char *title, *xlabel, *ylabel;
    plot_source source;
    plot_style style;
    plot_x x;
    const char *workloads[5];
    const char *metrics[3];
    const char *names[3]; /* the series of metrics[i] (NULL: the workload) */
    const char *x_workload, *x_metric; /* X_METRIC */
    const char *except;                /* tables containing it are left out */
    bool throughput;                   /* y = 1000 / ns: millions per s */
    int log_x;                         /* 0: linear (scatter: when wide) */
    bool per_case;                     /* a plot per case */
} plot_desc;

static const plot_desc plots[] = {
    {.heading = "throughput against n",
     .missing = "Not in this input (no `--sweep n` run).",
     .file = "throughput-n.svg",
     .alt = "Mstrings/s against n, per table, build and hit (%s)",
     .title = "Throughput against n (generated identifiers; higher is better)",
     .xlabel = "n: strings in the case (log scale)",
     .ylabel = "million strings per second",
     .source = SRC_SWEEP_N,
     .x = X_CASE_N,
     .workloads = {"build", "hit"},
     .metrics = {"ns_per_string", "ns_per_op"},
     .throughput = true,
     .log_x = 10},
    {.heading = "ns per string against n",
     .missing = "Not in this input (no `--sweep n` run).",
     .file = "ns-n.svg",
     .alt = "ns per string against n, per table and workload (%s)",
     .title = "Time per string against n (generated identifiers; lower is "
              "better)",
     .xlabel = "n: strings in the case (log scale)",
     .ylabel = "ns per string",
     .source = SRC_SWEEP_N,
     .x = X_CASE_N,
     .workloads = {"build", "hit", "hit_shuffled", "batch_*"},
     .metrics = {"ns_per_string", "ns_per_op"},
     .log_x = 10},
    {.heading = "ns against key length",
     .missing = "Not in this input.",
     .file = "ns-length.svg",
     .alt = "ns per string against key length, per table, build and hit (%s)",
     .title = "Time per string against key length (distinct strings; lower "
              "is better)",
     .xlabel = "key length, bytes (log scale)",
     .ylabel = "ns per string",
     .source = SRC_SWEEP_LEN,
     .x = X_CASE_LEN,
     .workloads = {"build", "hit"},
     .metrics = {"ns_per_string", "ns_per_op"},
     .log_x = 10},
    {.heading = "ns against key length",
     .file = "ns-length.svg",
     .alt = "ns per intern (a hit) against key length, per table, and one "
            "memcmp of equal strings (%s; no `--sweep len` run)",
     .title = "One intern (a hit) against key length, beside one memcmp",
     .xlabel = "key length, bytes (log scale)",
     .ylabel = "ns per operation",
     .source = SRC_RUN,
     .x = X_PARAM_LEN,
     .workloads = {"identity"},
     .metrics = {"intern_ns", "memcmp_ns"},
     .names = {"intern (hit)", "memcmp of equal strings"},
     .log_x = 2},
    {.heading = "bytes per string per table",
     .missing = "Not in this input.",
     .file = "bytes-per-string.svg",
     .alt = "bytes per unique string held after the build, per table and "
            "case (%s)",
     .title = "Memory: bytes per unique string after the build (lower is "
              "better)",
     .ylabel = "bytes per unique string",
     .source = SRC_BENCH,
     .style = STYLE_BARS,
     .x = X_TABLE,
     .workloads = {"build"},
     .metrics = {"bytes_per_string"},
     .except = "@fork"},
    {.heading = "bytes per string per table",
     .file = "bytes-per-string.svg",
     .alt = "bytes per unique string held after the build, per table and "
            "case (%s)",
     .title = "Memory: bytes per unique string after the build (lower is "
              "better)",
     .ylabel = "bytes per unique string",
     .source = SRC_RUN,
     .style = STYLE_BARS,
     .x = X_TABLE,
     .workloads = {"memory"},
     .metrics = {"bytes_per_unique"}},
    {.heading = "speedup against length",
     .missing = "Not in this input.",
     .file = "speedup-length.svg",
     .alt = "an equal-string memcmp over a pointer compare, against length "
            "(%s)",
     .title = "Equal strings: memcmp against a pointer compare",
     .xlabel = "string length, bytes (log scale)",
     .ylabel = "speedup of the pointer compare (x)",
     .source = SRC_RUN,
     .x = X_PARAM_LEN,
     .workloads = {"identity"},
     .metrics = {"compare_speedup"},
     .names = {"memcmp ns / pointer-compare ns"},
     .log_x = 2},
    {.heading = "memory against speed, per case",
     .missing = "Not in this input (no google-benchmark file with hit rows "
                "and `bytes_per_string`).",
     .file = "memory-speed-%s.svg",
     .alt = "bytes per string against ns per hit, every table and peer, case "
            "%s (%s)",
     .title = "bytes per string against ns per hit (lower left is better)",
     .xlabel = "ns per hit",
     .ylabel = "bytes per unique string",
     .source = SRC_BENCH,
     .style = STYLE_SCATTER,
     .x = X_METRIC,
     .workloads = {"build"},
     .metrics = {"bytes_per_string"},
     .x_workload = "hit",
     .x_metric = "ns_per_string",
     .per_case = true},
};
#define PLOT_COUNT (sizeof plots / sizeof plots[0])

/* ---- the data --------------------------------------------------------------
 */

typedef struct plot_point {
    double x, y;
    const char *label; /* the table (bars, scatter) */
} plot_point;

/* A series: the points of one workload, table and metric (lines), of one
 * case (bars), or of every table (a scatter). Invariant: p[0..n) sorted
 * by x once plot_sort ran; the names are the set's. */
typedef struct plot_series {
    const char *workload, *table, *metric;
    plot_point *p;
    size_t n, cap;
} plot_series;

/* Invariant: s[0..n) distinct by their key. */
typedef struct plot_data {
    plot_series *s;
    size_t n, cap;
    bool oom;
} plot_data;

static void plot_data_free(plot_data *d) {
    for (size_t i = 0; i < d->n; i++)
        free(d->s[i].p);
    free(d->s);
    memset(d, 0, sizeof *d);
}

static plot_series *plot_series_get(plot_data *d, const results_row *x,
                                    const char *table) {
    for (size_t i = 0; i < d->n; i++)
        if (d->s[i].workload == x->workload && d->s[i].table == table &&
            d->s[i].metric == x->metric)
            return &d->s[i];
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        plot_series *n = realloc(d->s, cap * sizeof *n);
        if (!n)
            return NULL;
        d->s = n;
        d->cap = cap;
    }
    d->s[d->n] = (plot_series){x->workload, table, x->metric, NULL, 0, 0};
    return &d->s[d->n++];
}

static void plot_add(plot_data *d, plot_series *s, plot_point pt) {
    if (s && s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        plot_point *n = realloc(s->p, cap * sizeof *n);
        if (n) {
            s->p = n;
            s->cap = cap;
        }
    }
    if (!s || s->n == s->cap)
        d->oom = true;
    else
        s->p[s->n++] = pt;
}

static bool plot_takes(const plot_desc *d, const results_row *x) {
    bool w = false, m = false;
    for (size_t i = 0; i < 5 && d->workloads[i]; i++) {
        size_t n = strlen(d->workloads[i]);
        w |= d->workloads[i][n - 1] == '*'
                 ? strncmp(x->workload, d->workloads[i], n - 1) == 0
                 : strcmp(x->workload, d->workloads[i]) == 0;
    }
    for (size_t i = 0; i < 3 && d->metrics[i]; i++)
        m |= strcmp(x->metric, d->metrics[i]) == 0;
    return w && m && !(d->except && strstr(x->table, d->except));
}

/* The x of a row (NAN: none). */
static double plot_x_of(const plot_desc *d, const results *r,
                        const results_row *x) {
    switch (d->x) {
    case X_CASE_N:
    case X_CASE_LEN:
        return report_case_x(r, x->case_name, d->x == X_CASE_LEN);
    case X_PARAM_LEN:
        return strncmp(x->param, "len=", 4) == 0 ? strtod(x->param + 4, NULL)
                                                 : NAN;
    case X_METRIC: {
        const results_row *o = results_find(r, d->x_workload, x->case_name,
                                            x->table, x->param, d->x_metric);
        return o ? o->value : NAN;
    }
    default:
        return 0;
    }
}

static int plot_cmp(const void *a, const void *b) {
    const plot_point *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->y > q->y) - (p->y < q->y);
}

/* The rows d plots from r (of case_name only, when given). A series is a
 * workload, table and metric (lines) or a case (bars); a scatter has one. */
static void plot_collect(const plot_desc *d, const results *r,
                         const char *case_name, plot_data *out) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row *x = results_at(r, i);
        if (!plot_takes(d, x) || (case_name && x->case_name != case_name))
            continue;
        double px = plot_x_of(d, r, x);
        double py = d->throughput && x->value > 0 ? 1000 / x->value : x->value;
        if (!isfinite(px) || !isfinite(py) || (d->log_x && px <= 0))
            continue;
        results_row key = *x;
        if (d->style != STYLE_LINES)
            key.workload = key.metric = NULL;
        const char *series = d->style == STYLE_LINES  ? x->table
                             : d->style == STYLE_BARS ? x->case_name
                                                      : NULL;
        plot_add(out, plot_series_get(out, &key, series),
                 (plot_point){px, py, x->table});
    }
    for (size_t i = 0; d->style != STYLE_BARS && i < out->n; i++)
        qsort(out->s[i].p, out->s[i].n, sizeof *out->s[i].p, plot_cmp);
}

static size_t plot_points(const plot_data *pd) {
    size_t n = 0;
    for (size_t i = 0; i < pd->n; i++)
        n += pd->s[i].n;
    return n;
}

/* The smallest and largest x (or y) of the points. */
static void plot_span(const plot_data *pd, bool y, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < pd->n; i++)
        for (size_t k = 0; k < pd->s[i].n; k++) {
            double v = y ? pd->s[i].p[k].y : pd->s[i].p[k].x;
            *lo = v < *lo ? v : *lo;
            *hi = v > *hi ? v : *hi;
        }
}

/* ---- gnuplot ---------------------------------------------------------------
 */

/* A gnuplot single-quoted string: ' doubled. */
static void gp_quote(FILE *f, const char *s) {
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* A label in a data block: double-quoted, without a " of its own. */
static void gp_label(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

static void gp_head(FILE *f, const plot_desc *d, const char *output,
                    const char *title) {
    fputs("set terminal svg size 860,520 font 'sans,13' noenhanced "
          "background rgb 'white'\nset output ",
          f);
    gp_quote(f, output);
    fputs("\nset title ", f);
    gp_quote(f, title);
    fputs("\nset xlabel ", f);
    gp_quote(f, d->xlabel ? d->xlabel : "");
    fputs("\nset ylabel ", f);
    gp_quote(f, d->ylabel);
    fputs("\nset grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
          "set key outside right top box opaque\n"
          "set border 3\nset tics nomirror\n",
          f);
}

/* A log scale in whole decades when the values span more than a factor
 * of 30, else linear from 0. */
static void gp_auto_axis(FILE *f, const char *axis, double lo, double hi) {
    if (lo > 0 && hi / lo > 30)
        fprintf(f, "set logscale %s 10\nset %srange [%.17g:%.17g]\n", axis,
                axis, pow(10, floor(log10(lo))), pow(10, ceil(log10(hi))));
    else
        fprintf(f, "set %srange [0:*]\n", axis);
}

static int gp_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A log x axis just wider than the points, its tics at the x present. */
static void gp_log_x(FILE *f, const plot_desc *d, const plot_data *pd) {
    double xs[256];
    size_t n = 0;
    for (size_t i = 0; i < pd->n; i++)
        for (size_t k = 0; k < pd->s[i].n && n < 256; k++)
            xs[n++] = pd->s[i].p[k].x;
    qsort(xs, n, sizeof *xs, gp_cmp_double);
    fprintf(f, "set logscale x %d\nset xrange [%.17g:%.17g]\nset xtics (",
            d->log_x, xs[0] / 1.3, xs[n - 1] * 1.3);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i && xs[i] == xs[i - 1])
            continue;
        double e = log10(xs[i]);
        char label[64];
        if (d->x == X_CASE_N && xs[i] >= 1000 && e == floor(e))
            snprintf(label, sizeof label, "10^%.0f", e);
        else if (xs[i] >= 1024 && fmod(xs[i], 1024) == 0)
            snprintf(label, sizeof label, "%.0fK", xs[i] / 1024);
        else
            snprintf(label, sizeof label, "%.0f", xs[i]);
        fprintf(f, "%s'%s' %.17g", k++ ? ", " : "", label, xs[i]);
    }
    fputs(")\n", f);
}

static const char *gp_field(const plot_data *pd, size_t i, bool table) {
    return table ? pd->s[i].table : pd->s[i].workload;
}

/* The position of series s's table (or workload) among the distinct
 * tables (workloads) of the series, from 1: its colour (dash). */
static size_t gp_rank(const plot_data *pd, size_t s, bool table) {
    const char *v = gp_field(pd, s, table);
    size_t rank = 0;
    for (size_t i = 0; i < pd->n; i++) {
        const char *u = gp_field(pd, i, table);
        size_t j = 0;
        while (j < i && gp_field(pd, j, table) != u)
            j++;
        if (j < i || (table && !u[0]))
            continue; /* not the first of its value, or no table */
        rank++;
        if (u == v)
            break;
    }
    return rank;
}

/* The series' title: the table, then its metric's name or its workload. */
static void gp_series_title(FILE *f, const plot_desc *d, const plot_series *s) {
    const char *what = s->workload;
    char title[256];
    for (size_t m = 0; m < 3 && d->metrics[m]; m++)
        if (strcmp(d->metrics[m], s->metric) == 0 && d->names[m])
            what = d->names[m];
    snprintf(title, sizeof title, "%s%s%s", s->table, s->table[0] ? " " : "",
             what);
    gp_quote(f, title);
}

static void gp_lines(FILE *f, const plot_desc *d, const plot_data *pd) {
    double lo, hi;
    for (size_t i = 0; i < pd->n; i++) {
        fprintf(f, "$s%zu << EOD\n", i);
        for (size_t k = 0; k < pd->s[i].n; k++)
            fprintf(f, "%.17g %.17g\n", pd->s[i].p[k].x, pd->s[i].p[k].y);
        fputs("EOD\n", f);
    }
    gp_log_x(f, d, pd);
    plot_span(pd, true, &lo, &hi);
    gp_auto_axis(f, "y", lo, hi);
    fputs("plot ", f);
    for (size_t i = 0; i < pd->n; i++) {
        static const int points[] = {7, 6, 5, 4, 9, 8};
        size_t w = gp_rank(pd, i, false);
        if (pd->s[i].table[0])
            fprintf(f,
                    "%s$s%zu using 1:2 with linespoints lw 2 lc %zu dt %zu "
                    "pt %d ps 0.8 title ",
                    i ? ", \\\n     " : "", i, gp_rank(pd, i, true), w,
                    points[(w - 1) % 6]);
        else
            fprintf(f,
                    "%s$s%zu using 1:2 with linespoints lw 2 lc rgb "
                    "'#555555' dt 2 pt 6 ps 0.8 title ",
                    i ? ", \\\n     " : "", i);
        gp_series_title(f, d, &pd->s[i]);
    }
    fputc('\n', f);
}

/* Adds v to names[0..*n) when absent (max at most). */
static void plot_name_add(const char **names, size_t *n, size_t max,
                          const char *v) {
    size_t i = 0;
    while (i < *n && names[i] != v)
        i++;
    if (i == *n && *n < max)
        names[(*n)++] = v;
}

/* Clustered bars: a row per table (the points' labels, in order), a
 * column per series (case). */
static void gp_bars(FILE *f, const plot_desc *d, const plot_data *pd) {
    const char *tables[256];
    size_t nt = 0;
    double lo, hi;
    (void)d;
    for (size_t i = 0; i < pd->n; i++)
        for (size_t k = 0; k < pd->s[i].n; k++)
            plot_name_add(tables, &nt, 256, pd->s[i].p[k].label);
    fputs("$d << EOD\n", f);
    for (size_t t = 0; t < nt; t++) {
        gp_label(f, tables[t]);
        for (size_t c = 0; c < pd->n; c++) {
            double v = NAN;
            for (size_t q = 0; q < pd->s[c].n; q++)
                v = pd->s[c].p[q].label == tables[t] ? pd->s[c].p[q].y : v;
            fprintf(f, " %.17g", v);
        }
        fputc('\n', f);
    }
    fputs("EOD\nset datafile missing 'NaN'\nset style data histograms\n"
          "set style histogram clustered gap 1\n"
          "set style fill solid 0.85 border rgb '#333333'\n"
          "set boxwidth 0.9\nset xtics rotate by -35 left\n"
          "set grid noxtics nomxtics\nset key inside left top box opaque\n",
          f);
    plot_span(pd, true, &lo, &hi);
    gp_auto_axis(f, "y", lo, hi);
    fputs("plot ", f);
    for (size_t c = 0; c < pd->n; c++) {
        fprintf(f, "%s$d using %zu%s title ", c ? ", \\\n     " : "", c + 2,
                c ? "" : ":xtic(1)");
        gp_quote(f, pd->s[c].table);
    }
    fputc('\n', f);
}

/* The points no other point beats on both x and y (smaller is better),
 * by x: the Pareto front. p is sorted by x, then y. */
static size_t gp_front(const plot_series *s, plot_point *front) {
    size_t n = 0;
    double best = INFINITY;
    for (size_t k = 0; k < s->n; k++)
        if (s->p[k].y < best) {
            best = s->p[k].y;
            front[n++] = s->p[k];
        }
    return n;
}

/* A labelled point per table, the Pareto front drawn as the staircase
 * that bounds what it dominates, and its points ringed. */
static void gp_scatter(FILE *f, const plot_desc *d, const plot_data *pd) {
    const plot_series *s = &pd->s[0];
    plot_point *front = malloc((s->n ? s->n : 1) * sizeof *front);
    size_t nf = front ? gp_front(s, front) : 0;
    double lo, hi;
    (void)d;
    fputs("$p << EOD\n", f);
    for (size_t k = 0; k < s->n; k++) {
        fprintf(f, "%.17g %.17g ", s->p[k].x, s->p[k].y);
        gp_label(f, s->p[k].label);
        fputc('\n', f);
    }
    fputs("EOD\n$front << EOD\n", f);
    for (size_t k = 0; k < nf; k++)
        fprintf(f, "%.17g %.17g\n", front[k].x, front[k].y);
    fputs("EOD\nset key inside right top box opaque\n", f);
    plot_span(pd, false, &lo, &hi);
    gp_auto_axis(f, "x", lo, hi);
    plot_span(pd, true, &lo, &hi);
    gp_auto_axis(f, "y", lo, hi);
    fputs("plot $p using 1:2 with points pt 7 ps 1.2 lc rgb '#1f77b4' "
          "title 'a table or peer', \\\n"
          "     $p using 1:2:3 with labels offset char 0.7,0.7 left "
          "font ',10' notitle, \\\n"
          "     $front using 1:2 with steps lw 2 lc rgb '#cc0000' notitle, "
          "\\\n"
          "     $front using 1:2 with points pt 6 ps 2.2 lw 2 lc rgb "
          "'#cc0000' title 'Pareto front: no row both faster and smaller'\n",
          f);
    free(front);
}

/* ---- which plots, from which input -----------------------------------------
 */

/* A plot chosen: its descriptor and the input it draws from. */
typedef struct plot_pick {
    const plot_desc *d;
    report_input *in;
} plot_pick;

static bool plot_source_is(const plot_desc *d, report_input *in) {
    const char *sweep = report_sweep(in);
    switch (d->source) {
    case SRC_BENCH:
        return in->kind == REPORT_BENCH;
    case SRC_RUN:
        return in->kind == REPORT_RUN && !sweep;
    case SRC_SWEEP_N:
        return sweep && strcmp(sweep, "n") == 0;
    default:
        return sweep && strcmp(sweep, "len") == 0;
    }
}

static bool plot_has_data(const plot_desc *d, const results *r,
                          const char *case_name) {
    plot_data pd;
    plot_collect(d, r, case_name, &pd);
    bool any = plot_points(&pd) > 0;
    plot_data_free(&pd);
    return any;
}

/* The group of alternatives from plots[*i] (*i moves past it): the first
 * whose source has data. */
static bool plot_pick_group(report_input *ins, size_t n, size_t *i,
                            plot_pick *pick) {
    const char *heading = plots[*i].heading;
    bool got = false;
    for (; *i < PLOT_COUNT && strcmp(plots[*i].heading, heading) == 0; (*i)++)
        for (size_t k = 0; k < n && !got; k++)
            if (plot_source_is(&plots[*i], &ins[k]) &&
                plot_has_data(&plots[*i], ins[k].set, NULL)) {
                *pick = (plot_pick){&plots[*i], &ins[k]};
                got = true;
            }
    return got;
}

/* Calls fn for each file of a chosen plot (one per case with data, for a
 * plot per case); the first failure's -1, else 0. */
typedef int (*plot_fn)(const plot_pick *p, const char *case_name,
                       const char *file, void *ctx);

static int plot_each(const plot_pick *p, plot_fn fn, void *ctx) {
    const results *r = p->in->set;
    const char *cases[256];
    char file[256], safe[128];
    size_t n = 0;
    int rc = 0;
    if (!p->d->per_case)
        return fn(p, NULL, p->d->file, ctx);
    for (size_t i = 0; i < results_count(r); i++)
        if (plot_takes(p->d, results_at(r, i)))
            plot_name_add(cases, &n, 256, results_at(r, i)->case_name);
    for (size_t i = 0; i < n; i++) {
        if (!plot_has_data(p->d, r, cases[i]))
            continue;
        size_t k = 0; /* the case in a file name: no separators, quotes */
        for (; cases[i][k] && k + 1 < sizeof safe; k++)
            safe[k] = strchr("/\\'\" ", cases[i][k]) ? '_' : cases[i][k];
        safe[k] = '\0';
        snprintf(file, sizeof file, p->d->file, safe);
        if (fn(p, cases[i], file, ctx) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- the page's links ------------------------------------------------------
 */

/* Where the links go, and how many are there (a blank line between). */
typedef struct plot_links {
    FILE *out;
    size_t n;
} plot_links;

static int plot_link(const plot_pick *p, const char *case_name,
                     const char *file, void *ctx) {
    plot_links *l = ctx;
    char alt[512];
    snprintf(alt, sizeof alt, p->d->alt, case_name ? case_name : p->in->name,
             p->in->name);
    fprintf(l->out, "%s![%s](%s)\n", l->n++ ? "\n" : "", alt, file);
    return 0;
}

void report_plots_md(FILE *out, report_input *ins, size_t n) {
    fputs("\n## Plots\n", out);
    for (size_t i = 0; i < PLOT_COUNT;) {
        const plot_desc *first = &plots[i];
        plot_pick p;
        plot_links links = {out, 0};
        fprintf(out, "\n### %s\n\n", first->heading);
        if (plot_pick_group(ins, n, &i, &p))
            plot_each(&p, plot_link, &links);
        else
            fprintf(out, "%s\n", first->missing);
    }
}

/* ---- drawing ---------------------------------------------------------------
 */

/* What drawing needs: where, how, and where messages go. */
typedef struct plot_run {
    const char *dir;
    report_plot_mode mode;
    FILE *log;
} plot_run;

/* The script of one plot into a new buffer (*len bytes); NULL when out of
 * memory. */
static char *plot_script(const plot_pick *p, const char *case_name,
                         const char *output, size_t *len) {
    char *buf = NULL, title[512];
    FILE *f = open_memstream(&buf, len);
    plot_data pd;
    if (!f)
        return NULL;
    plot_collect(p->d, p->in->set, case_name, &pd);
    snprintf(title, sizeof title, "%s%s%s", case_name ? case_name : "",
             case_name ? ": " : "", p->d->title);
    gp_head(f, p->d, output, title);
    if (p->d->style == STYLE_LINES)
        gp_lines(f, p->d, &pd);
    else if (p->d->style == STYLE_BARS)
        gp_bars(f, p->d, &pd);
    else
        gp_scatter(f, p->d, &pd);
    bool ok = !pd.oom && !ferror(f);
    plot_data_free(&pd);
    if (fclose(f) != 0 || !ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Runs gnuplot on a script; 0, or -1 with a line naming the plot. */
static int plot_gnuplot(const plot_run *run, const char *script, size_t len,
                        const char *file) {
    FILE *p = popen("gnuplot", "w");
    if (!p) {
        fprintf(run->log,
                "internbench report: %s/%s: cannot start gnuplot: %s\n",
                run->dir, file, strerror(errno));
        return -1;
    }
    size_t w = fwrite(script, 1, len, p);
    int st = pclose(p);
    if (w == len && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    fprintf(run->log,
            "internbench report: %s/%s: gnuplot failed (exit %d); the "
            "Markdown is written, this plot is not\n",
            run->dir, file, st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return -1;
}

/* The script as DIR/NAME.gp (NAME.svg's name). */
static int plot_save(const plot_run *run, const char *script, size_t len,
                     const char *file) {
    char path[4400];
    const char *dot = strrchr(file, '.');
    snprintf(path, sizeof path, "%s/%.*s.gp", run->dir,
             (int)(dot ? (size_t)(dot - file) : strlen(file)), file);
    FILE *f = fopen(path, "w");
    size_t w = f ? fwrite(script, 1, len, f) : 0;
    if (f && fclose(f) == 0 && w == len)
        return 0;
    fprintf(run->log, "internbench report: %s: cannot write: %s\n", path,
            strerror(errno));
    return -1;
}

static int plot_make(const plot_pick *p, const char *case_name,
                     const char *file, void *ctx) {
    const plot_run *run = ctx;
    char output[4400];
    size_t len;
    if (run->mode == REPORT_PLOTS_DRAW)
        snprintf(output, sizeof output, "%s/%s", run->dir, file);
    else
        snprintf(output, sizeof output, "%s", file);
    char *script = plot_script(p, case_name, output, &len);
    if (!script) {
        fprintf(run->log, "internbench report: %s: out of memory\n", file);
        return -1;
    }
    int rc = run->mode == REPORT_PLOTS_DRAW
                 ? plot_gnuplot(run, script, len, file)
                 : plot_save(run, script, len, file);
    free(script);
    return rc;
}

/* True when an executable gnuplot is on PATH. */
static bool plot_have_gnuplot(void) {
    const char *p = getenv("PATH");
    while (p && *p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char file[4200];
        snprintf(file, sizeof file, "%.*s/gnuplot", (int)(n ? n : 1),
                 n ? p : ".");
        if (access(file, X_OK) == 0)
            return true;
        p = colon ? colon + 1 : NULL;
    }
    return false;
}

int report_plots(report_input *ins, size_t n, const char *dir,
                 report_plot_mode mode, FILE *log) {
    plot_run run = {dir, mode, log};
    if (mode == REPORT_PLOTS_DRAW && !plot_have_gnuplot()) {
        fprintf(log, "internbench report: gnuplot not found on PATH (Debian: "
                     "gnuplot-nox; harness/bootstrap installs it): the "
                     "Markdown is written, the plots are not\n");
        return -1;
    }
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    int rc = 0;
    for (size_t i = 0; i < PLOT_COUNT;) {
        plot_pick p;
        if (plot_pick_group(ins, n, &i, &p) &&
            plot_each(&p, plot_make, &run) < 0)
            rc = -1;
    }
    signal(SIGPIPE, old);
    return rc;
}
