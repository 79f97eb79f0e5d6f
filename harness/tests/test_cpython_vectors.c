/* test_cpython_vectors.c: the CPython model reproduces every row of every
 * recorded vectors/cpython/VERSION.tsv.
 *
 *   test_cpython_vectors DIR      DIR is vectors/cpython
 *
 * A failure prints the version, the file's line and the row. A TSV whose
 * version the model does not know, a malformed row, or a folder without
 * any TSV fails too: every recorded vector must be checked. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internbench/cpython.h"

/* Undoes the case-file escapes of a probe column in place; returns the
 * new length or -1 for a bad escape. */
static long vectors_unescape(char *s, size_t len) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            s[o++] = s[i];
            continue;
        }
        if (++i >= len)
            return -1;
        switch (s[i]) {
        case '\\':
            s[o++] = '\\';
            break;
        case 'n':
            s[o++] = '\n';
            break;
        case 'r':
            s[o++] = '\r';
            break;
        case 't':
            s[o++] = '\t';
            break;
        case '0':
            s[o++] = '\0';
            break;
        case 'x': {
            if (len - i < 3)
                return -1;
            char hex[3] = {s[i + 1], s[i + 2], 0};
            char *end;
            long b = strtol(hex, &end, 16);
            if (end != hex + 2)
                return -1;
            s[o++] = (char)b;
            i += 2;
            break;
        }
        default:
            return -1;
        }
    }
    return (long)o;
}

static int vectors_tf(const char *s, int *out) {
    if (strcmp(s, "T") == 0)
        *out = 1;
    else if (strcmp(s, "F") == 0)
        *out = 0;
    else if (strcmp(s, "-") == 0)
        *out = -1;
    else
        return -1;
    return 0;
}

static const char *vectors_show(int v) {
    return v < 0 ? "-" : v ? "T" : "F";
}

/* Checks one TSV; returns the number of rows checked. */
static unsigned long vectors_check_file(const char *dir, const char *file) {
    char version[32];
    size_t stem = strlen(file) - 4;
    REQUIRE(stem < sizeof version);
    memcpy(version, file, stem);
    version[stem] = '\0';
    const cpython_version *v = cpython_version_find(version);
    CHECKF(v != NULL, "%s: the model has no version %s", file, version);
    if (!v)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    CHECKF(f != NULL, "cannot open %s", path);
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0, rows = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *cols[4];
        char *p = line;
        int k;
        for (k = 0; k < 4 && p; k++) {
            cols[k] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        CHECKF(k == 4 && p == NULL, "%s line %lu: not 4 columns", version,
               lineno);
        if (k != 4 || p)
            continue;
        int want_sep, want_unit, want_int;
        int ok = vectors_tf(cols[1], &want_sep) == 0 &&
                 vectors_tf(cols[2], &want_unit) == 0 &&
                 vectors_tf(cols[3], &want_int) == 0 && want_sep >= 0 &&
                 want_unit >= 0;
        CHECKF(ok, "%s line %lu: bad answer columns", version, lineno);
        size_t raw_len = strlen(cols[0]);
        char *expr = malloc(raw_len + 1);
        REQUIRE(expr != NULL);
        memcpy(expr, cols[0], raw_len + 1);
        long elen = vectors_unescape(expr, raw_len);
        CHECKF(elen >= 0, "%s line %lu: bad escape in the probe", version,
               lineno);
        if (ok && elen >= 0) {
            cpython_answer a;
            char err[256];
            int rc =
                cpython_model_eval(v, expr, (size_t)elen, &a, err, sizeof err);
            CHECKF(rc == 0,
                   "CPython %s line %lu: %.200s: model cannot "
                   "read the probe: %s",
                   version, lineno, cols[0], err);
            if (rc == 0) {
                bool same = a.separate == (want_sep == 1) &&
                            a.unit == (want_unit == 1) &&
                            a.interned == want_int;
                CHECKF(same,
                       "CPython %s line %lu: row %.200s\trecorded %s %s %s, "
                       "model %s %s %s",
                       version, lineno, cols[0], cols[1], cols[2], cols[3],
                       vectors_show(a.separate), vectors_show(a.unit),
                       vectors_show(a.interned));
            }
            rows++;
        }
        free(expr);
    }
    free(line);
    fclose(f);
    CHECKF(rows > 0, "%s: no rows", path);
    printf("CPython %s: %lu rows checked\n", version, rows);
    return rows;
}

static int vectors_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_cpython_vectors DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    REQUIRE(d != NULL);
    char *names[64];
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".tsv") == 0 && count < 64) {
            names[count] = strdup(e->d_name);
            REQUIRE(names[count] != NULL);
            count++;
        }
    }
    closedir(d);
    qsort(names, count, sizeof names[0], vectors_cmp);
    CHECKF(count > 0, "no *.tsv in %s", argv[1]);
    unsigned long total = 0;
    for (size_t i = 0; i < count; i++) {
        total += vectors_check_file(argv[1], names[i]);
        free(names[i]);
    }
    printf("%zu versions, %lu rows\n", count, total);
    return check_exit();
}
