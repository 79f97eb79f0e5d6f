/* catalog.c: a directory's case files and the summary of a case (see
 * internbench/catalog.h). */
#include "internbench/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internbench/vector.h"

static bool catalog_is_case(const char *name) {
    size_t l = strlen(name);
    return l > 5 && strcmp(name + l - 5, ".case") == 0;
}

/* Appends a copy of name; false out of memory. cap is the capacity. */
static bool catalog_add(catalog *c, size_t *cap, const char *name) {
    if (c->count == *cap) {
        size_t n = *cap ? *cap * 2 : 32;
        char **p = realloc(c->name, n * sizeof *p);
        if (!p)
            return false;
        c->name = p;
        *cap = n;
    }
    size_t l = strlen(name);
    if (!(c->name[c->count] = malloc(l + 1)))
        return false;
    memcpy(c->name[c->count++], name, l + 1);
    return true;
}

static int catalog_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int catalog_read(const char *dir, catalog *c) {
    c->name = NULL;
    c->count = 0;
    DIR *dh = opendir(dir);
    if (!dh)
        return -1;
    size_t cap = 0;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dh)) != NULL)
        ok = !catalog_is_case(e->d_name) || catalog_add(c, &cap, e->d_name);
    closedir(dh);
    if (!ok) {
        errno = ENOMEM;
        return -1;
    }
    if (c->count)
        qsort(c->name, c->count, sizeof *c->name, catalog_cmp);
    return 0;
}

void catalog_free(catalog *c) {
    for (size_t i = 0; i < c->count; i++)
        free(c->name[i]);
    free(c->name);
    c->name = NULL;
    c->count = 0;
}

int case_summarize(const case_data *d, bool count_unique, case_summary *s) {
    memset(s, 0, sizeof *s);
    s->strings = d->count;
    for (size_t i = 0; i < d->count; i++) {
        s->bytes += d->len[i];
        if (d->len[i] > s->longest)
            s->longest = d->len[i];
    }
    s->kind = case_data_meta(d, "kind");
    s->header_unique = case_data_meta(d, "unique");
    if (!count_unique)
        return 0;
    if (vector_count_unique(d, &s->unique) != 0)
        return -1;
    s->unique_counted = true;
    return 0;
}

bool case_summary_unique_ok(const case_summary *s, bool absent_ok) {
    if (!s->unique_counted)
        return true;
    if (!s->header_unique)
        return absent_ok;
    return strtoull(s->header_unique, NULL, 10) == s->unique;
}

case_status catalog_load(const char *path, case_data *d, long long *file_bytes,
                         case_error *err) {
    case_options opt;
    case_options_init(&opt);
    case_status st = case_load(path, &opt, d, err);
    struct stat sb;
    *file_bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
    return st;
}
