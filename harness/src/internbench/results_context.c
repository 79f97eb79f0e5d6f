/* results_context.c: what a result set records of the machine and the
 * build it came from (results.h), in one place for run, metrics and
 * report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internbench/results.h"

#ifndef INTERNBENCH_SOURCE_DIR
#define INTERNBENCH_SOURCE_DIR ""
#endif
#ifndef INTERNBENCH_GIT_COMMIT
#define INTERNBENCH_GIT_COMMIT ""
#endif
#ifndef INTERNBENCH_BUILD_TYPE
#define INTERNBENCH_BUILD_TYPE ""
#endif
#ifndef INTERNBENCH_C_FLAGS
#define INTERNBENCH_C_FLAGS ""
#endif
#ifndef INTERNBENCH_VERSION
#define INTERNBENCH_VERSION ""
#endif

static void ctx_trim(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static bool ctx_read_line(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)cap, f) != NULL;
    fclose(f);
    if (ok)
        ctx_trim(buf);
    return ok;
}

static void ctx_cpu_model(char *buf, size_t cap) {
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(buf, cap, "%s", colon + 2);
            ctx_trim(buf);
            break;
        }
    }
    fclose(f);
}

/* The commit: $INTERNBENCH_GIT_COMMIT, else git at run time in the source
 * tree, else the one recorded at configure time, else "unknown". */
static void ctx_git_commit(char *buf, size_t cap) {
    const char *env = getenv("INTERNBENCH_GIT_COMMIT");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return;
    }
    snprintf(buf, cap, "%s",
             INTERNBENCH_GIT_COMMIT[0] ? INTERNBENCH_GIT_COMMIT : "unknown");
    if (!INTERNBENCH_SOURCE_DIR[0] || strchr(INTERNBENCH_SOURCE_DIR, '\''))
        return;
    char cmd[4400];
    snprintf(cmd, sizeof cmd,
             "git -C '%s' describe --always --dirty --abbrev=12 2>/dev/null",
             INTERNBENCH_SOURCE_DIR);
    fflush(NULL);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[128];
    if (fgets(line, sizeof line, p)) {
        ctx_trim(line);
        if (line[0])
            snprintf(buf, cap, "%s", line);
    }
    pclose(p);
}

/* The caches of CPU 0, from sysfs: [{level, type, size}]. */
static json_t *ctx_caches(results *r) {
    json_t *caches = json_array();
    for (int i = 0; caches && i < 16; i++) {
        char path[128], level[32], type[32], size[32];
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        if (!ctx_read_line(path, level, sizeof level))
            break;
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        if (!ctx_read_line(path, type, sizeof type))
            snprintf(type, sizeof type, "?");
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!ctx_read_line(path, size, sizeof size))
            snprintf(size, sizeof size, "?");
        json_t *e = json_object();
        results_jset(r, e, "level", json_integer(atoi(level)));
        results_jset(r, e, "type", json_string(type));
        results_jset(r, e, "size", json_string(size));
        results_jpush(r, caches, e);
    }
    return caches;
}

void results_context_machine(results *r) {
    json_t *c = results_context(r);
    char buf[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    results_jset(r, c, "date", json_string(buf));
    if (gethostname(buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "unknown");
    buf[sizeof buf - 1] = '\0';
    results_jset(r, c, "host", json_string(buf));
    ctx_cpu_model(buf, sizeof buf);
    results_jset(r, c, "cpu", json_string(buf));
    results_jset(r, c, "logical_cpus",
                 json_integer((json_int_t)sysconf(_SC_NPROCESSORS_ONLN)));
    results_jset(r, c, "caches", ctx_caches(r));
    results_context_build(r);
    ctx_git_commit(buf, sizeof buf);
    results_jset(r, c, "git_commit", json_string(buf));
    results_jset(r, c, "internbench_version", json_string(INTERNBENCH_VERSION));
}

void results_context_build(results *r) {
    json_t *c = results_context(r);
#if defined(__clang__)
    results_jset(r, c, "compiler", json_string("clang " __clang_version__));
#elif defined(__GNUC__)
    results_jset(r, c, "compiler", json_string("gcc " __VERSION__));
#else
    results_jset(r, c, "compiler", json_string("unknown"));
#endif
    results_jset(r, c, "build_type", json_string(INTERNBENCH_BUILD_TYPE));
    char flags[512];
    const char *f = INTERNBENCH_C_FLAGS;
    while (*f == ' ')
        f++;
    snprintf(flags, sizeof flags, "%s", f);
    ctx_trim(flags);
    results_jset(r, c, "flags", json_string(flags));
}
