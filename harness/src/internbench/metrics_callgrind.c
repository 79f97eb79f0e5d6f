/* metrics_callgrind.c: instruction counts for `internbench metrics`: the
 * child's hooks (client requests, no-ops outside valgrind) and the
 * parent that runs it under callgrind and reads its dumps (metrics.h). */
#define _XOPEN_SOURCE 700 /* P_tmpdir */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internbench/metrics.h"
#include "metrics_callgrind.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define METRICS_HAVE_CALLGRIND 1
#endif
#endif
#ifndef METRICS_HAVE_CALLGRIND
#define METRICS_HAVE_CALLGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#define RUNNING_ON_VALGRIND            0
#endif

extern char **environ;

/* The dump labels: "internbench-metrics CASE TABLE PASS" by index. */
#define METRICS_LABEL "internbench-metrics"

bool metrics_have_callgrind(void) {
    return METRICS_HAVE_CALLGRIND;
}

bool metrics_on_valgrind(void) {
    return RUNNING_ON_VALGRIND;
}

static void metrics_zero(void *ctx, engine_pass pass, int rep) {
    (void)ctx;
    (void)pass;
    (void)rep;
    CALLGRIND_ZERO_STATS;
}

static void metrics_dump(void *ctx, engine_pass pass, int rep) {
    const metrics_label_ctx *l = ctx;
    char label[96];
    snprintf(label, sizeof label, METRICS_LABEL " %zu %zu %d", l->ci, l->ti,
             (int)pass);
    (void)rep;
    CALLGRIND_DUMP_STATS_AT(label);
}

engine_hooks metrics_callgrind_hooks(metrics_label_ctx *label) {
    return (engine_hooks){metrics_zero, metrics_dump, label};
}

void metrics_callgrind_start(void) {
    CALLGRIND_START_INSTRUMENTATION;
}

void metrics_callgrind_stop(void) {
    CALLGRIND_STOP_INSTRUMENTATION;
}

static engine_status metrics_fail(engine_error *err, const char *what,
                                  const char *why) {
    err->status = ENGINE_EINPUT;
    snprintf(err->message, sizeof err->message, "%.500s: %.400s", what, why);
    return ENGINE_EINPUT;
}

/* Reads one dump: its label's case, table and pass, and its total Ir.
 * Returns 1 for one of ours, 0 for another (the final dump at exit), -1
 * when the file cannot be read. */
static int metrics_read_dump(const char *path, size_t *ci, size_t *ti,
                             int *pass, uint64_t *ir) {
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    bool ours = false, have_total = false;
    const char *trigger = "desc: Trigger: Client Request: " METRICS_LABEL " ";
    size_t tn = strlen(trigger);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, trigger, tn) == 0)
            ours = sscanf(line + tn, "%zu %zu %d", ci, ti, pass) == 3;
        else if (strncmp(line, "totals:", 7) == 0)
            have_total = sscanf(line + 7, "%" SCNu64, ir) == 1;
        else if (strncmp(line, "summary:", 8) == 0 && !have_total)
            have_total = sscanf(line + 8, "%" SCNu64, ir) == 1;
    }
    fclose(f);
    return ours && have_total && *pass >= 0 && *pass < ENGINE_PASS_COUNT;
}

/* Runs valgrind on this binary with child_args; ENGINE_OK, ENGINE_ECHECK
 * (the child exited 1: a failed check) or ENGINE_EINPUT. */
static engine_status metrics_spawn(const char *dir,
                                   const char *const *child_args,
                                   engine_error *err) {
    char exe[4096], outopt[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return metrics_fail(err, "cannot find my own binary", strerror(errno));
    exe[n] = '\0';
    snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s/callgrind.out",
             dir);
    size_t nargs = 0;
    while (child_args[nargs])
        nargs++;
    const char **argv = calloc(nargs + 8, sizeof *argv);
    if (!argv)
        return metrics_fail(err, "valgrind", "out of memory");
    const char *head[] = {
        "valgrind", "--tool=callgrind", "--instr-atstart=no", "--quiet", outopt,
        exe};
    memcpy(argv, head, sizeof head);
    memcpy(argv + 6, child_args, nargs * sizeof *argv);
    pid_t pid;
    int status = 0;
    /* every symbol bound at load: lazy binding would count the first call
     * of each library function in whichever pass comes first */
    setenv("LD_BIND_NOW", "1", 1);
    int e = posix_spawnp(&pid, "valgrind", NULL, NULL, (char *const *)argv,
                         environ);
    free(argv);
    if (e)
        return metrics_fail(err,
                            "cannot run valgrind (harness/bootstrap "
                            "installs it; --no-instructions skips the "
                            "instruction counts)",
                            strerror(e));
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return metrics_fail(err, "the callgrind run", "died");
    if (WEXITSTATUS(status) == 1)
        return ENGINE_ECHECK;
    if (WEXITSTATUS(status) != 0)
        return metrics_fail(err, "the callgrind run", "failed");
    return ENGINE_OK;
}

/* Reads every dump in dir into ir and removes the files and dir. */
static engine_status metrics_read_dir(const metrics_plan *p, const char *dir,
                                      metrics_ir *ir, engine_status st,
                                      engine_error *err) {
    DIR *dp = opendir(dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t ci, ti;
        int pass;
        uint64_t n;
        int got =
            st == ENGINE_OK ? metrics_read_dump(path, &ci, &ti, &pass, &n) : 0;
        if (got < 0)
            st = metrics_fail(err, path, strerror(errno));
        if (got == 1 && ci < p->ncases && ti < p->ntables) {
            size_t at = (ci * p->ntables + ti) * ENGINE_PASS_COUNT + pass;
            ir->ir[at] = n;
            ir->have[at] = true;
        }
        remove(path);
    }
    if (dp)
        closedir(dp);
    rmdir(dir);
    return st;
}

engine_status metrics_instructions(const metrics_plan *p,
                                   const char *const *child_args,
                                   metrics_ir *ir, engine_error *err) {
    size_t n = p->ncases * p->ntables * ENGINE_PASS_COUNT;
    ir->ir = calloc(n ? n : 1, sizeof *ir->ir);
    ir->have = calloc(n ? n : 1, sizeof *ir->have);
    if (!ir->ir || !ir->have)
        return metrics_fail(err, "metrics", "out of memory");
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/internbench-callgrind.XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    if (!mkdtemp(dir))
        return metrics_fail(err, dir, strerror(errno));
    engine_status st = metrics_spawn(dir, child_args, err);
    st = metrics_read_dir(p, dir, ir, st, err);
    static const engine_pass counted[] = {ENGINE_BUILD, ENGINE_HIT,
                                          ENGINE_MISS};
    for (size_t i = 0; st == ENGINE_OK && i < n; i++) {
        size_t k = i % ENGINE_PASS_COUNT, ct = i / ENGINE_PASS_COUNT;
        bool want = k == counted[0] || k == counted[1] || k == counted[2];
        if (want && !ir->have[i]) {
            const engine_case_spec *c = &p->cases[ct / p->ntables];
            char what[512];
            snprintf(what, sizeof what, "%s × %s, %s",
                     p->tables[ct % p->ntables]->ops->name,
                     c->name ? c->name : c->value,
                     engine_pass_name((engine_pass)k));
            st = metrics_fail(err, "callgrind gave no count for", what);
        }
    }
    return st;
}

void metrics_ir_free(metrics_ir *ir) {
    free(ir->ir);
    free(ir->have);
    ir->ir = NULL;
    ir->have = NULL;
}
