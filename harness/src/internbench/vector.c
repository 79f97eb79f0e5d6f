/* vector.c: the per-case vectors and the digest of a set of strings. */
#include "internbench/vector.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH64_state_t on the stack */
#include <xxhash.h>

int vector_str_compare(const void *pa, const void *pb) {
    const vector_str *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->bytes, b->bytes, n) : 0;
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

void vector_digest_add(XXH64_state_t *state, const void *bytes, size_t len) {
    unsigned char le[8];
    for (int k = 0; k < 8; k++)
        le[k] = (unsigned char)((uint64_t)len >> (8 * k));
    XXH64_update(state, le, sizeof le);
    if (len)
        XXH64_update(state, bytes, len);
}

uint64_t vector_digest(const vector_str *sorted, size_t n) {
    XXH64_state_t state;
    XXH64_reset(&state, 0);
    for (size_t i = 0; i < n; i++)
        vector_digest_add(&state, sorted[i].bytes, sorted[i].len);
    return XXH64_digest(&state);
}

int vector_summarize(const vector_str *s, size_t n, classify_set *set,
                     intern_vector *v) {
    XXH64_state_t state;
    XXH64_reset(&state, 0);
    v->unique = n;
    v->unique_bytes = 0;
    memset(v->cls, 0, sizeof v->cls);
    for (size_t i = 0; i < n; i++) {
        vector_digest_add(&state, s[i].bytes, s[i].len);
        v->unique_bytes += s[i].len;
        if (!set)
            continue;
        classify_mask m;
        if (classify_string(set, s[i].bytes, s[i].len, &m) != CLASSIFY_OK)
            return -1;
        for (int c = 0; c < CLASSIFY_COUNT; c++)
            if (m & (1u << c))
                v->cls[c]++;
    }
    v->digest = XXH64_digest(&state);
    return 0;
}

int vector_compute(const case_data *d, classify_set *set, intern_vector *v) {
    vector_str *s = malloc((d->count ? d->count : 1) * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < d->count; i++)
        s[i] = (vector_str){d->bytes + d->offset[i], d->len[i]};
    qsort(s, d->count, sizeof *s, vector_str_compare);
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        if (n == 0 || vector_str_compare(&s[n - 1], &s[i]) != 0)
            s[n++] = s[i];
    v->strings = d->count;
    int rc = vector_summarize(s, n, set, v);
    free(s);
    return rc;
}

int vector_count_unique(const case_data *d, uint64_t *unique) {
    size_t n;
    const intern_table_info *info = intern_registry(&n);
    if (n == 0)
        return -1;
    const intern_ops *ops = info[0].ops;
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    cfg.seed = 1;
    cfg.capacity_hint = d->count;
    intern_table *t = ops->create(&cfg);
    if (!t)
        return -1;
    uint64_t u = 0;
    int rc = 0;
    for (size_t i = 0; i < d->count && rc == 0; i++) {
        const intern_str *s;
        intern_status st =
            ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
        if (st == INTERN_NEW)
            u++;
        else if (st != INTERN_FOUND)
            rc = -1;
    }
    ops->destroy(t);
    *unique = u;
    return rc;
}

static int vector_parse_u64(const char *s, int base, uint64_t *out) {
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, base);
    if (errno || *end || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    *out = x;
    return 0;
}

static const char *vector_scalar_name(size_t k) {
    static const char *const names[] = {"strings", "unique", "unique_bytes",
                                        "digest"};
    return names[k];
}

/* Which fields a .vec has given: the 4 scalars, then the classes. */
enum { VECTOR_FIELDS = 4 + CLASSIFY_COUNT };

/* The field a key names (its slot, its place in v and the base of its
 * number), or -1. */
static int vector_field(intern_vector *v, const char *key, uint64_t **dst,
                        int *base) {
    uint64_t *scalars[] = {&v->strings, &v->unique, &v->unique_bytes,
                           &v->digest};
    for (int k = 0; k < 4; k++)
        if (strcmp(key, vector_scalar_name((size_t)k)) == 0) {
            *dst = scalars[k];
            *base = k == 3 ? 16 : 10;
            return k;
        }
    int c =
        strncmp(key, "class.", 6) == 0 ? classify_class_from_name(key + 6) : -1;
    if (c < 0)
        return -1;
    *dst = &v->cls[c];
    *base = 10;
    return 4 + c;
}

/* Reads one line (newline removed) of a .vec into v. */
static int vector_read_line(const char *path, unsigned lineno, char *line,
                            intern_vector *v, bool *seen, char *err,
                            size_t err_size) {
    if (lineno == 1 && strcmp(line, VECTOR_FORMAT_LINE) != 0) {
        snprintf(err, err_size, "%s:1: not a vector file (want '%s')", path,
                 VECTOR_FORMAT_LINE);
        return -1;
    }
    if (line[0] == '\0' || line[0] == '#')
        return 0;
    char *colon = strstr(line, ": ");
    if (!colon) {
        snprintf(err, err_size, "%s:%u: expected 'key: value'", path, lineno);
        return -1;
    }
    *colon = '\0';
    const char *key = line, *value = colon + 2;
    uint64_t *dst = NULL;
    int base = 10;
    int slot = vector_field(v, key, &dst, &base);
    if (slot < 0 || seen[slot] || vector_parse_u64(value, base, dst)) {
        snprintf(err, err_size, "%s:%u: %s key '%s' or bad value '%s'", path,
                 lineno, slot >= 0 && seen[slot] ? "repeated" : "unknown", key,
                 value);
        return -1;
    }
    seen[slot] = true;
    return 0;
}

int vector_read(const char *path, intern_vector *v, char *err,
                size_t err_size) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    memset(v, 0, sizeof *v);
    bool seen[VECTOR_FIELDS] = {false};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        rc = vector_read_line(path, ++lineno, line, v, seen, err, err_size);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, err_size, "%s: read error", path);
        rc = -1;
    }
    free(line);
    fclose(f);
    for (size_t k = 0; rc == 0 && k < VECTOR_FIELDS; k++)
        if (!seen[k]) {
            snprintf(err, err_size, "%s: missing %s%s", path,
                     k < 4 ? "" : "class.",
                     k < 4 ? vector_scalar_name(k)
                           : classify_class_name((classify_class)(k - 4)));
            rc = -1;
        }
    return rc;
}

int vector_write(const char *path, const char *name, const intern_vector *v) {
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n# case: %s\n", VECTOR_FORMAT_LINE, name);
    fprintf(f,
            "strings: %" PRIu64 "\nunique: %" PRIu64 "\nunique_bytes: %" PRIu64
            "\ndigest: %016" PRIx64 "\n",
            v->strings, v->unique, v->unique_bytes, v->digest);
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        fprintf(f, "class.%s: %" PRIu64 "\n", classify_class_name(c),
                v->cls[c]);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
