/* report.h: `internbench report`: the JSON of `internbench run` and of the
 * google-benchmark binary read into result sets (results.h), one set per
 * file, and written as one Markdown page (render.h's views) and plots
 * (gnuplot).
 *
 * What the page keeps true:
 * - Every input is read and checked before anything is written; a bad
 *   file is an error naming it.
 * - Numbers from different machines never share a page: inputs whose
 *   machine (CPU, host, logical CPUs, caches) differs are refused, or,
 *   when optional, left out with a note.
 * - Numbers from different inputs never share a table, so every ratio in
 *   a table is a same-run ratio.
 * - The Markdown depends on the inputs only (file names without their
 *   directories, no date of its own): the same inputs give the same
 *   bytes, whether or not the plots are drawn. */
#ifndef INTERNBENCH_REPORT_H
#define INTERNBENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "internbench/results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum report_kind { REPORT_RUN, REPORT_BENCH } report_kind;

/* An input as named on the command line. optional: from --from, so it may
 * be missing, and is left out when it comes from another machine. */
typedef struct report_spec {
    const char *path;
    report_kind kind;
    bool optional;
} report_spec;

/* The files --from DIR takes when present, in page order. */
extern const report_spec report_from_files[];
extern const size_t report_from_count;

/* One input read. Invariant: set holds the file's rows in the shapes
 * run.h lists (a v1 run brought to them) or, for google-benchmark, rows
 * (workload, case, table) from the benchmark names; name is path's last
 * part. */
typedef struct report_input {
    const char *path, *name;
    report_kind kind;
    results *set;
} report_input;

/* A run's JSON (v1 or v2) into an empty set, v1 shapes brought to v2's
 * (smallint streams and caches, peak RSS per case, policy percentages,
 * compare speedups). 0, or -1 with "FILE: what is wrong" in err. */
int report_read_run(results *r, const char *path, char *err, size_t cap);
/* google-benchmark JSON into an empty set: per WORKLOAD/CASE/TABLE a
 * timed ns_per_string (the manual time per item: the median aggregate or
 * the median of the repetitions, their min and max) and each counter
 * (bytes_per_string, ...) as a value; rows that reported an error as
 * failures; the machine context under run's keys (host, logical_cpus,
 * caches, mhz_per_cpu); tables {name, counted_by, about} from the
 * context's "table NAME" lines. 0, or -1 with err. */
int report_read_bench(results *r, const char *path, char *err, size_t cap);

/* Reads the inputs, runs first then benchmarks, each in the order given,
 * into ins (room for n). A missing optional input is skipped; an
 * optional one from another machine than those before it is left out
 * with a line on log. 0, or -1 with err (ins up to *nins still to be
 * freed). */
int report_load(const report_spec *specs, size_t n, report_input *ins,
                size_t *nins, FILE *log, char *err, size_t cap);
void report_input_free(report_input *in);

/* 0 when a and b may come from one machine (every field both record
 * agrees), else -1 with err naming both files and the field. */
int report_same_machine(report_input *a, report_input *b, char *err,
                        size_t cap);

/* The input's sweep: "n", "len", or NULL. */
const char *report_sweep(report_input *in);
/* A sweep case's x: its strings (n), or its key length (len); NAN when
 * unknown. */
double report_case_x(const results *r, const char *case_name, bool len);

/* The page's Markdown, plot links included. 0, or -1 when out of
 * memory. */
int report_page(FILE *out, report_input *ins, size_t n);
/* Writes the page to DIR/README.md (through a temporary file), creating
 * DIR. 0, or -1 with err. */
int report_write_page(const char *dir, report_input *ins, size_t n, char *err,
                      size_t cap);

/* The page's plot section: a link per plot with data, else a note. */
void report_plots_md(FILE *out, report_input *ins, size_t n);

typedef enum report_plot_mode {
    REPORT_PLOTS_DRAW,   /* gnuplot draws DIR/NAME.svg */
    REPORT_PLOTS_SCRIPTS /* DIR/NAME.gp, the script gnuplot would run in
                            DIR (it writes NAME.svg) */
} report_plot_mode;

/* Draws every plot with data into dir, or writes its script. 0, or -1
 * when some plot was not made (each failure a line on log naming it:
 * gnuplot missing or failing, a file that cannot be written). */
int report_plots(report_input *ins, size_t n, const char *dir,
                 report_plot_mode mode, FILE *log);

#ifdef __cplusplus
}
#endif

#endif
