/* test_cpython_vectors.c: the CPython model reproduces every row of every
 * recorded vectors/cpython/VERSION.tsv.
 *
 *   test_cpython_vectors DIR      DIR is vectors/cpython
 *
 * Every row through the evaluator: a probe CPython rejects (E) must be
 * refused, any other answered as recorded. Every row that is string
 * literals only also through the byte-level functions the policy workload
 * uses, with the literal's value as bytes; and all those literals, as a
 * program's literals, through the policy workload itself, whose object
 * count must follow the recorded answers. And every prefix of every short
 * probe through the evaluator, which must answer or refuse, never crash.
 *
 * A failure prints the version, the file's line and the row. A TSV whose
 * version the model does not know or whose format line is not v2, a
 * malformed row, or a folder without any TSV fails too: every recorded
 * vector must be checked. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internbench/cpython.h"
#include "internbench/workloads.h"

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

#define VECTORS_FORMAT "# internbench cpython vectors v2"
/* Probes up to this many bytes have every prefix evaluated. */
#define VECTORS_PREFIX_MAX 300

/* A literal row's value and whether two separately compiled copies were
 * one object. s comes first: vector_str_compare sorts these. */
typedef struct vectors_literal {
    vector_str s;
    bool separate;
} vectors_literal;

/* The counts one TSV gives, and its literal rows. Invariant: lit[0..nlit)
 * own their bytes; nlit <= litcap. */
typedef struct vectors_counts {
    unsigned long rows;
    unsigned long literals; /* rows also checked through the byte functions */
    unsigned long rejected; /* E rows: CPython rejects the probe */
    vectors_literal *lit;
    size_t nlit, litcap;
} vectors_counts;

/* A probe CPython rejects: the model must refuse it, with a message. */
static void vectors_check_rejected(const cpython_version *v, const char *expr,
                                   size_t len, unsigned long lineno) {
    cpython_answer a;
    char err[256] = "";
    int rc = cpython_model_eval(v, expr, len, &a, err, sizeof err);
    CHECKF(rc == -1 && err[0] != '\0',
           "CPython %s line %lu: %.200s: CPython rejects it, the model "
           "answers %s %s %s",
           v->name, lineno, expr, vectors_show(a.separate),
           vectors_show(a.unit), vectors_show(a.interned));
}

/* A probe of string literals only: the byte-level functions, given the
 * literal's value, answer as the interpreter did. Returns 1 if checked. */
static int vectors_check_literal(const cpython_version *v, const char *expr,
                                 size_t len, unsigned long lineno,
                                 const int want[3], vectors_counts *c) {
    size_t n = 0;
    if (cpython_model_literal_value(expr, len, NULL, 0, &n, NULL, 0) != 0)
        return 0;
    char *bytes = malloc(n + 1);
    REQUIRE(bytes != NULL);
    size_t n2 = 0;
    REQUIRE(cpython_model_literal_value(expr, len, bytes, n, &n2, NULL, 0) ==
                0 &&
            n2 == n);
    bool sep = cpython_model_literal_identical_separate(v, bytes, n);
    bool unit = cpython_model_literal_identical_unit(v, bytes, n);
    bool interned = cpython_model_literal_interned(v, bytes, n) ||
                    cpython_model_singleton(bytes, n);
    CHECKF(sep == (want[0] == 1) && unit == (want[1] == 1) &&
               interned == (want[2] == 1),
           "CPython %s line %lu: literal %.200s: recorded %s %s %s, byte "
           "functions %s %s %s",
           v->name, lineno, expr, vectors_show(want[0]), vectors_show(want[1]),
           vectors_show(want[2]), vectors_show(sep), vectors_show(unit),
           vectors_show(interned));
    if (c->nlit == c->litcap) {
        c->litcap = c->litcap ? 2 * c->litcap : 256;
        c->lit = realloc(c->lit, c->litcap * sizeof c->lit[0]);
        REQUIRE(c->lit != NULL);
    }
    c->lit[c->nlit++] = (vectors_literal){{bytes, n}, want[0] == 1};
    return 1;
}

/* The literal rows as a program's literals, distinct value i occurring
 * 1 + i % 3 times: under CPython's implicit rule (workload_policy_cpython)
 * a value whose separately compiled copies were one object is one object,
 * any other one object per occurrence. */
static void vectors_check_policy(const cpython_version *v, vectors_counts *c) {
    qsort(c->lit, c->nlit, sizeof c->lit[0], vector_str_compare);
    vector_str *s = malloc((c->nlit + 1) * sizeof *s);
    uint64_t *occ = malloc((c->nlit + 1) * sizeof *occ);
    REQUIRE(s != NULL && occ != NULL);
    workload_policy_result want = {0, 0}, got;
    size_t u = 0;
    for (size_t i = 0; i < c->nlit; i++) {
        if (u > 0 && vector_str_compare(&s[u - 1], &c->lit[i].s) == 0)
            continue; /* "ab" "cd" and "abcd": one value */
        s[u] = c->lit[i].s;
        occ[u] = 1 + u % 3;
        uint64_t copies = c->lit[i].separate ? 1 : occ[u];
        want.objects += copies;
        want.bytes += copies * s[u].len;
        u++;
    }
    engine_ref ref = {s, occ, u, 0, 0};
    workload_policy_cpython(&ref, v, &got);
    CHECKF(got.objects == want.objects && got.bytes == want.bytes,
           "CPython %s: the policy workload counts %llu objects, %llu bytes "
           "for the %zu literal values; the recorded answers give %llu, "
           "%llu",
           v->name, (unsigned long long)got.objects,
           (unsigned long long)got.bytes, u, (unsigned long long)want.objects,
           (unsigned long long)want.bytes);
    for (size_t i = 0; i < c->nlit; i++)
        free((void *)c->lit[i].s.bytes);
    free(c->lit);
    free(s);
    free(occ);
}

/* Every prefix of a probe, each in a buffer of exactly its size (so that
 * a sanitizer sees a read past the end): answered or refused; a crash
 * fails the test. */
static void vectors_check_prefixes(const cpython_version *v, const char *expr,
                                   size_t len) {
    if (len > VECTORS_PREFIX_MAX)
        return;
    for (size_t k = 0; k < len; k++) {
        char *copy = malloc(k ? k : 1);
        REQUIRE(copy != NULL);
        memcpy(copy, expr, k);
        cpython_answer a;
        char err[64];
        int rc = cpython_model_eval(v, copy, k, &a, err, sizeof err);
        CHECK(rc == 0 || rc == -1);
        free(copy);
    }
}

/* Splits a row into its 4 columns in place; returns false if it has not
 * exactly 4. */
static bool vectors_split(char *line, char *cols[4]) {
    char *p = line;
    int k;
    for (k = 0; k < 4 && p; k++) {
        cols[k] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = '\0';
    }
    return k == 4 && p == NULL;
}

/* Reads the answer columns: want[] gets 1, 0, -1 ('-'), or 2 for E, which
 * must fill all three columns. Returns false for anything else. */
static bool vectors_answers(char *const cols[4], int want[3]) {
    int e = 0;
    for (int k = 0; k < 3; k++) {
        if (strcmp(cols[k + 1], "E") == 0) {
            want[k] = 2;
            e++;
        } else if (vectors_tf(cols[k + 1], &want[k]) != 0) {
            return false;
        }
    }
    return e == 0 ? want[0] >= 0 && want[1] >= 0 : e == 3;
}

/* One row, the probe unescaped into expr[0..len). */
static void vectors_check_row(const cpython_version *v, const char *expr,
                              size_t len, unsigned long lineno,
                              const int want[3], vectors_counts *c) {
    c->rows++;
    vectors_check_prefixes(v, expr, len);
    if (want[0] == 2) {
        vectors_check_rejected(v, expr, len, lineno);
        c->rejected++;
        return;
    }
    cpython_answer a;
    char err[256];
    int rc = cpython_model_eval(v, expr, len, &a, err, sizeof err);
    CHECKF(rc == 0,
           "CPython %s line %lu: %.200s: model cannot read the "
           "probe: %s",
           v->name, lineno, expr, err);
    if (rc == 0)
        CHECKF(a.separate == (want[0] == 1) && a.unit == (want[1] == 1) &&
                   a.interned == want[2],
               "CPython %s line %lu: row %.200s\trecorded %s %s %s, model "
               "%s %s %s",
               v->name, lineno, expr, vectors_show(want[0]),
               vectors_show(want[1]), vectors_show(want[2]),
               vectors_show(a.separate), vectors_show(a.unit),
               vectors_show(a.interned));
    c->literals +=
        (unsigned long)vectors_check_literal(v, expr, len, lineno, want, c);
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
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = v ? fopen(path, "rb") : NULL;
    CHECKF(!v || f != NULL, "cannot open %s", path);
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    vectors_counts c = {0, 0, 0, NULL, 0, 0};
    while ((n = getline(&line, &cap, f)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (lineno++ == 0)
            CHECKF(strcmp(line, VECTORS_FORMAT) == 0,
                   "%s: the first line is not '" VECTORS_FORMAT "'", path);
        if (n == 0 || line[0] == '#')
            continue;
        char *cols[4];
        int want[3];
        bool ok = vectors_split(line, cols) && vectors_answers(cols, want);
        CHECKF(ok, "%s line %lu: not 4 columns, or bad answers", version,
               lineno);
        long elen = ok ? vectors_unescape(cols[0], strlen(cols[0])) : -1;
        CHECKF(!ok || elen >= 0, "%s line %lu: bad escape in the probe",
               version, lineno);
        if (elen >= 0)
            vectors_check_row(v, cols[0], (size_t)elen, lineno, want, &c);
    }
    free(line);
    fclose(f);
    vectors_check_policy(v, &c);
    /* a file without literal rows would hold the policy path to nothing */
    CHECKF(c.rows > 0 && c.literals > 0, "%s: no rows or no literal rows",
           path);
    printf("CPython %s: %lu rows checked (%lu string literals also through "
           "the byte-level functions, %lu rejected by CPython)\n",
           version, c.rows, c.literals, c.rejected);
    return c.rows;
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
