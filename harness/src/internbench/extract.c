/* extract.c: a case from files and a PCRE2 pattern (see
 * internbench/extract.h). */
#include "internbench/extract.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int extract_fail(char *msg, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- lists of strings ------------------------------------------------- */

bool extract_list_add(extract_list *l, const char *s) {
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->item, cap * sizeof *p);
        if (!p)
            return false;
        l->item = p;
        l->cap = cap;
    }
    size_t n = strlen(s);
    l->item[l->count] = malloc(n + 1);
    if (!l->item[l->count])
        return false;
    memcpy(l->item[l->count++], s, n + 1);
    return true;
}

void extract_list_free(extract_list *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->item[i]);
    free(l->item);
    memset(l, 0, sizeof *l);
}

void extract_sources_free(extract_sources *src) {
    extract_list_free(&src->files);
    extract_list_free(&src->dirs);
    extract_list_free(&src->lists);
    extract_list_free(&src->globs);
    extract_list_free(&src->excludes);
}

/* ---- the files -------------------------------------------------------- */

static bool extract_wanted(const extract_sources *src, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool any = src->globs.count == 0;
    for (size_t i = 0; i < src->globs.count && !any; i++)
        any = fnmatch(src->globs.item[i], base, 0) == 0;
    for (size_t i = 0; i < src->excludes.count && any; i++)
        any = fnmatch(src->excludes.item[i], path, 0) != 0;
    return any;
}

/* dir/name, with one '/' between; NULL out of memory. */
static char *extract_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s%s%s", dir,
                 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return path;
}

/* Adds every wanted regular file under dir. */
static int extract_walk(const extract_sources *src, const char *dir,
                        extract_list *files, char *msg, size_t cap) {
    DIR *dh = opendir(dir);
    if (!dh)
        return extract_fail(msg, cap, "%s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = extract_join(dir, e->d_name);
        struct stat st;
        if (!path)
            rc = extract_fail(msg, cap, "out of memory");
        else if (lstat(path, &st) != 0)
            ; /* gone since readdir: nothing to read */
        else if (S_ISDIR(st.st_mode))
            rc = extract_walk(src, path, files, msg, cap);
        else if (S_ISREG(st.st_mode) && extract_wanted(src, path) &&
                 !extract_list_add(files, path))
            rc = extract_fail(msg, cap, "out of memory");
        free(path);
    }
    closedir(dh);
    return rc;
}

static bool extract_is_regular(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Adds the wanted regular files whose paths f lists, one a line. */
static int extract_read_list(const extract_sources *src, FILE *f,
                             extract_list *files, char *msg, size_t cap) {
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    bool ok = true;
    while (ok && (n = getline(&line, &line_cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n && extract_is_regular(line) && extract_wanted(src, line))
            ok = extract_list_add(files, line);
    }
    free(line);
    return ok ? 0 : extract_fail(msg, cap, "out of memory");
}

static int extract_read_list_file(const extract_sources *src, const char *path,
                                  extract_list *files, char *msg, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f)
        return extract_fail(msg, cap, "%s: %s", path, strerror(errno));
    int rc = extract_read_list(src, f, files, msg, cap);
    fclose(f);
    return rc;
}

static int extract_path_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int extract_collect(const extract_sources *src, extract_list *files, char *msg,
                    size_t cap) {
    for (size_t i = 0; i < src->files.count; i++)
        if (!extract_list_add(files, src->files.item[i]))
            return extract_fail(msg, cap, "out of memory");
    for (size_t i = 0; i < src->dirs.count; i++)
        if (extract_walk(src, src->dirs.item[i], files, msg, cap) != 0)
            return -1;
    for (size_t i = 0; i < src->lists.count; i++)
        if (extract_read_list_file(src, src->lists.item[i], files, msg, cap))
            return -1;
    if (src->stdin_list && extract_read_list(src, stdin, files, msg, cap))
        return -1;
    if (files->count)
        qsort(files->item, files->count, sizeof *files->item, extract_path_cmp);
    return 0;
}

/* The whole file in a malloc'd buffer; NULL with errno set. */
static char *extract_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 && ferror(f)) {
            free(buf);
            buf = NULL;
        }
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- the matches ------------------------------------------------------ */

/* One run's matcher. Invariant: re, md (and, when the JIT compiled the
 * pattern, mctx with its jit_stack) are ready; seen is NULL or a table
 * holding every string kept so far (--unique); tmp is scratch space for
 * squashing white space; full once max strings are kept. */
typedef struct extract_state {
    const extract_spec *spec;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    const intern_ops *ops;
    intern_table *seen;
    char *tmp;
    size_t tmp_cap;
    bool full;
} extract_state;

/* Compiles the pattern; checks the group exists. */
static int extract_compile(extract_state *x, char *msg, size_t cap) {
    int errcode;
    PCRE2_SIZE erroff;
    uint32_t flags =
        x->spec->bytes ? 0 : PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    x->re = pcre2_compile((PCRE2_SPTR)x->spec->pattern, PCRE2_ZERO_TERMINATED,
                          flags, &errcode, &erroff, NULL);
    if (!x->re) {
        PCRE2_UCHAR text[256];
        pcre2_get_error_message(errcode, text, sizeof text);
        return extract_fail(msg, cap, "bad pattern at offset %zu: %s",
                            (size_t)erroff, (char *)text);
    }
    uint32_t groups;
    pcre2_pattern_info(x->re, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (x->spec->group > groups)
        return extract_fail(msg, cap,
                            "--group %u but the pattern has %u groups",
                            x->spec->group, groups);
    return 0;
}

/* The matcher around the compiled pattern. JIT is an optional
 * speed-up; its stack may grow to 64 MiB, enough for a long string
 * literal or comment matched by a repetition. */
static int extract_matcher(extract_state *x, char *msg, size_t cap) {
    if (pcre2_jit_compile(x->re, PCRE2_JIT_COMPLETE) == 0) {
        x->jit_stack =
            pcre2_jit_stack_create(32 * 1024, 64 * 1024 * 1024, NULL);
        x->mctx = pcre2_match_context_create(NULL);
        if (!x->jit_stack || !x->mctx)
            return extract_fail(msg, cap, "out of memory");
        pcre2_jit_stack_assign(x->mctx, NULL, x->jit_stack);
    }
    x->md = pcre2_match_data_create_from_pattern(x->re, NULL);
    if (!x->md)
        return extract_fail(msg, cap, "out of memory");
    if (!x->spec->unique)
        return 0;
    size_t n;
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    x->ops = intern_registry(&n)[0].ops;
    x->seen = x->ops->create(&cfg);
    return x->seen ? 0 : extract_fail(msg, cap, "out of memory");
}

static void extract_state_free(extract_state *x) {
    if (x->seen)
        x->ops->destroy(x->seen);
    pcre2_match_data_free(x->md);
    pcre2_match_context_free(x->mctx);
    pcre2_jit_stack_free(x->jit_stack);
    pcre2_code_free(x->re);
    free(x->tmp);
}

/* s[0..n) with each run of white space squashed to one space, in
 * x->tmp; NULL out of memory. */
static const char *extract_squash(extract_state *x, const char *s, size_t n,
                                  size_t *out_len) {
    if (n + 1 > x->tmp_cap) {
        char *p = realloc(x->tmp, n + 1);
        if (!p)
            return NULL;
        x->tmp = p;
        x->tmp_cap = n + 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!ws)
            x->tmp[k++] = c;
        else if (k == 0 || x->tmp[k - 1] != ' ')
            x->tmp[k++] = ' ';
    }
    *out_len = k;
    return x->tmp;
}

/* Keeps one matched string s[0..n) unless --unique has seen it. */
static int extract_keep(extract_state *x, const char *s, size_t n,
                        case_data *out) {
    if (x->seen) {
        const intern_str *h;
        intern_status st = x->ops->intern(x->seen, s, n, &h);
        if (st == INTERN_FOUND)
            return 0;
        if (st != INTERN_NEW)
            return -1;
    }
    if (x->spec->squash_space && !(s = extract_squash(x, s, n, &n)))
        return -1;
    if (case_data_append(out, s, n) != CASE_OK)
        return -1;
    x->full = x->spec->max && out->count >= x->spec->max;
    return 0;
}

/* Where the next match is searched after one ending at end: an empty
 * match steps one character on (outside bytes mode, past the UTF-8
 * continuation bytes of that character). */
static size_t extract_next(const extract_state *x, const char *text, size_t len,
                           const PCRE2_SIZE *ov) {
    if (ov[1] > ov[0])
        return ov[1];
    size_t at = ov[1] + 1;
    while (!x->spec->bytes && at < len &&
           ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* Every match in one file's text, kept in order. */
static int extract_matches(extract_state *x, const char *path, const char *text,
                           size_t len, case_data *out, char *msg, size_t cap) {
    uint32_t g = x->spec->group;
    PCRE2_SIZE at = 0;
    while (at <= len && !x->full) {
        int m =
            pcre2_match(x->re, (PCRE2_SPTR)text, len, at, 0, x->md, x->mctx);
        if (m == PCRE2_ERROR_NOMATCH)
            break;
        if (m < 0) {
            PCRE2_UCHAR text_msg[256];
            pcre2_get_error_message(m, text_msg, sizeof text_msg);
            return extract_fail(msg, cap, "%s: match failed at byte %zu: %s",
                                path, (size_t)at, (char *)text_msg);
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        if (ov[2 * g] != PCRE2_UNSET &&
            extract_keep(x, text + ov[2 * g], ov[2 * g + 1] - ov[2 * g], out) !=
                0)
            return extract_fail(msg, cap, "out of memory");
        at = extract_next(x, text, len, ov);
    }
    return 0;
}

int extract_run(const extract_spec *spec, const extract_list *files,
                case_data *out, char *msg, size_t cap) {
    extract_state x;
    memset(&x, 0, sizeof x);
    x.spec = spec;
    int rc = extract_compile(&x, msg, cap);
    if (rc == 0)
        rc = extract_matcher(&x, msg, cap);
    for (size_t i = 0; rc == 0 && i < files->count && !x.full; i++) {
        size_t len;
        char *text = extract_slurp(files->item[i], &len);
        if (!text)
            rc = extract_fail(msg, cap, "%s: %s", files->item[i],
                              strerror(errno));
        else
            rc = extract_matches(&x, files->item[i], text, len, out, msg, cap);
        free(text);
    }
    extract_state_free(&x);
    return rc;
}

/* ---- the case file ---------------------------------------------------- */

/* The header's pairs, in order. */
static void extract_write_header(case_writer *w, const extract_header *h,
                                 size_t strings, uint64_t unique) {
    const char *keys[] = {"name", "kind", "source", "license"};
    const char *values[] = {h->name, h->kind, h->source, h->license};
    char num[32];
    for (size_t i = 0; i < 4; i++)
        if (values[i])
            case_writer_meta(w, keys[i], values[i]);
    for (size_t i = 0; h->metas && i < h->metas->count; i++) {
        char *eq = strchr(h->metas->item[i], '=');
        *eq = '\0';
        case_writer_meta(w, h->metas->item[i], eq + 1);
        *eq = '=';
    }
    case_writer_meta(w, "command", h->command);
    snprintf(num, sizeof num, "%zu", strings);
    case_writer_meta(w, "strings", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)unique);
    case_writer_meta(w, "unique", num);
}

case_status extract_write(const extract_spec *spec, const extract_header *h,
                          const case_data *strings, uint64_t unique, FILE *out,
                          const char *out_name, case_error *err) {
    case_writer *w = case_writer_open(
        out, out_name, spec->bytes ? CASE_ENCODING_BYTES : CASE_ENCODING_UTF8,
        err);
    if (!w)
        return err->status;
    extract_write_header(w, h, strings->count, unique);
    for (size_t i = 0; i < strings->count; i++)
        if (case_writer_put(w, strings->bytes + strings->offset[i],
                            strings->len[i]) != CASE_OK)
            break;
    return case_writer_close(w, err);
}

/* Appends a quoted for a POSIX shell to buf (with room for it); a word
 * of safe characters only goes as it is. */
static size_t extract_quote(char *buf, const char *a) {
    static const char safe[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
        "WXYZ0123456789-_./=:,+@%";
    char *o = buf;
    if (*a && strspn(a, safe) == strlen(a))
        return (size_t)sprintf(o, "%s", a);
    *o++ = '\'';
    for (const char *p = a; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return (size_t)(o - buf);
}

char *extract_command_line(const char *first, int argc, char *const *argv) {
    size_t need = strlen(first) * 4 + 3;
    for (int i = 0; i < argc; i++)
        need += strlen(argv[i]) * 4 + 3;
    char *buf = malloc(need);
    if (!buf)
        return NULL;
    size_t len = extract_quote(buf, first);
    for (int i = 0; i < argc; i++) {
        buf[len++] = ' ';
        len += extract_quote(buf + len, argv[i]);
    }
    return buf;
}
