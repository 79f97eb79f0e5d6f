/* cmd_extract.c: internbench extract — a case file from real files and a
 * PCRE2 pattern. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "internbench/case.h"

static void extract_usage(FILE *out) {
    fprintf(
        out,
        "usage: internbench extract --pattern RE [--group N] [OPTIONS] "
        "[FILE... | -]\n\n"
        "Writes a case file of every match of RE (or of its group N) in the "
        "given\nfiles, in order: files in bytewise order of their paths, "
        "matches in file\norder. The header records the name, kind, source "
        "and license given and\nthe exact command, so running it again "
        "gives the same bytes.\n\n"
        "  --pattern RE        a PCRE2 pattern; compiled with UTF, UCP and "
        "MATCH_INVALID_UTF\n"
        "                      (invalid UTF-8 in a file never matches) "
        "unless --bytes\n"
        "  --group N           the capture group to take (default 0, the "
        "whole match);\n"
        "                      a match whose group is unset gives no string\n"
        "  --bytes             no UTF mode; the case gets 'encoding: bytes'\n"
        "  --squash-space      replace each run of spaces, tabs, CR and LF in "
        "a string by\n"
        "                      one space\n"
        "  --unique            keep only the first occurrence of each "
        "string\n"
        "  --max N             stop after N strings\n"
        "  --dir DIR           every regular file under DIR (symbolic links "
        "not followed)\n"
        "  --files-from FILE   the paths listed in FILE, one a line "
        "(non-regular files skipped)\n"
        "  --glob GLOB         keep files whose base name matches GLOB "
        "(repeatable)\n"
        "  --exclude GLOB      drop files whose path matches GLOB "
        "(repeatable)\n"
        "  FILE... | -         files, or '-': a list of paths on standard "
        "input\n"
        "  --name, --kind, --source, --license TEXT   the header's fields\n"
        "  --meta KEY=VALUE    another header field (repeatable)\n"
        "  -o FILE             write to FILE instead of standard output\n");
}

/* A growing list of owned strings. */
typedef struct extract_list {
    char **item;
    size_t count, cap;
} extract_list;

static bool extract_list_add(extract_list *l, const char *s) {
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

static void extract_list_free(extract_list *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->item[i]);
    free(l->item);
}

typedef struct extract_opts {
    extract_list globs, excludes;
} extract_opts;

static bool extract_wanted(const extract_opts *o, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (o->globs.count) {
        bool any = false;
        for (size_t i = 0; i < o->globs.count && !any; i++)
            any = fnmatch(o->globs.item[i], base, 0) == 0;
        if (!any)
            return false;
    }
    for (size_t i = 0; i < o->excludes.count; i++)
        if (fnmatch(o->excludes.item[i], path, 0) == 0)
            return false;
    return true;
}

static bool extract_is_regular(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Adds every regular file under dir; false on an unreadable directory. */
static bool extract_walk(const char *dir, const extract_opts *o,
                         extract_list *files) {
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "internbench extract: %s: %s\n", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path) {
            ok = false;
            break;
        }
        snprintf(path, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                 e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                ok = extract_walk(path, o, files);
            else if (S_ISREG(st.st_mode) && extract_wanted(o, path))
                ok = extract_list_add(files, path);
        }
        free(path);
    }
    closedir(dh);
    return ok;
}

/* Adds the paths listed in f, one a line. */
static bool extract_read_list(FILE *f, const extract_opts *o,
                              extract_list *files) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool ok = true;
    while (ok && (n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n && extract_is_regular(line) && extract_wanted(o, line))
            ok = extract_list_add(files, line);
    }
    free(line);
    return ok;
}

static int extract_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole file in a malloc'd buffer. */
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
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Appends s[0..n) to out, runs of white space squashed if asked. */
static case_status extract_emit(case_data *out, const char *s, size_t n,
                                bool squash, char **tmp, size_t *tmp_cap) {
    if (!squash)
        return case_data_append(out, s, n);
    if (n + 1 > *tmp_cap) {
        char *p = realloc(*tmp, n + 1);
        if (!p)
            return CASE_ERR_NOMEM;
        *tmp = p;
        *tmp_cap = n + 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!ws)
            (*tmp)[k++] = c;
        else if (k == 0 || (*tmp)[k - 1] != ' ')
            (*tmp)[k++] = ' ';
    }
    return case_data_append(out, *tmp, k);
}

/* POSIX shell quoting of one argument, appended to buf. */
static void extract_quote(const char *a, char **buf, size_t *len, size_t *cap) {
    size_t need = *len + strlen(a) * 4 + 4;
    if (need > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < need)
            c *= 2;
        char *p = realloc(*buf, c);
        if (!p)
            return;
        *buf = p;
        *cap = c;
    }
    bool plain = *a != '\0';
    for (const char *p = a; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789-_./=:,+@%",
                       *p) != NULL;
    char *o = *buf + *len;
    if (plain) {
        o += sprintf(o, "%s", a);
    } else {
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
    }
    *len = (size_t)(o - *buf);
}

int cmd_extract(int argc, char **argv) {
    const char *pattern = NULL, *out_path = NULL;
    const char *name = NULL, *kind = NULL, *source = NULL, *license = NULL;
    unsigned long group = 0;
    unsigned long long max = 0;
    bool bytes_mode = false, squash = false, unique_only = false;
    extract_opts o = {{0}, {0}};
    extract_list files = {0}, dirs = {0}, lists = {0}, metas = {0};
    bool stdin_list = false;
    int rc = CLI_USAGE;
    case_data out;
    case_data_init(&out, NULL);
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
    pcre2_match_context *mctx = NULL;
    pcre2_jit_stack *jit_stack = NULL;
    char *cmdline = NULL, *tmp = NULL;
    size_t tmp_cap = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            extract_usage(stdout);
            rc = CLI_OK;
            goto done;
        }
        if (strcmp(a, "--bytes") == 0) {
            bytes_mode = true;
            continue;
        }
        if (strcmp(a, "--squash-space") == 0) {
            squash = true;
            continue;
        }
        if (strcmp(a, "--unique") == 0) {
            unique_only = true;
            continue;
        }
        if (strcmp(a, "-") == 0) {
            stdin_list = true;
            continue;
        }
        if (a[0] != '-') {
            if (!extract_list_add(&files, a))
                goto nomem;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "internbench extract: %s needs a value\n", a);
            goto done;
        }
        const char *v = argv[++i];
        char *end;
        if (strcmp(a, "--pattern") == 0) {
            pattern = v;
        } else if (strcmp(a, "--group") == 0) {
            group = strtoul(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "internbench extract: bad --group '%s'\n", v);
                goto done;
            }
        } else if (strcmp(a, "--max") == 0) {
            max = strtoull(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "internbench extract: bad --max '%s'\n", v);
                goto done;
            }
        } else if (strcmp(a, "-o") == 0) {
            out_path = v;
        } else if (strcmp(a, "--name") == 0) {
            name = v;
        } else if (strcmp(a, "--kind") == 0) {
            kind = v;
        } else if (strcmp(a, "--source") == 0) {
            source = v;
        } else if (strcmp(a, "--license") == 0) {
            license = v;
        } else if (strcmp(a, "--meta") == 0) {
            if (!strchr(v, '=')) {
                fprintf(stderr, "internbench extract: --meta wants "
                                "KEY=VALUE\n");
                goto done;
            }
            if (!extract_list_add(&metas, v))
                goto nomem;
        } else if (strcmp(a, "--dir") == 0) {
            if (!extract_list_add(&dirs, v))
                goto nomem;
        } else if (strcmp(a, "--files-from") == 0) {
            if (!extract_list_add(&lists, v))
                goto nomem;
        } else if (strcmp(a, "--glob") == 0) {
            if (!extract_list_add(&o.globs, v))
                goto nomem;
        } else if (strcmp(a, "--exclude") == 0) {
            if (!extract_list_add(&o.excludes, v))
                goto nomem;
        } else {
            fprintf(stderr, "internbench extract: unknown option '%s'\n", a);
            extract_usage(stderr);
            goto done;
        }
    }
    if (!pattern) {
        fprintf(stderr, "internbench extract: --pattern is required\n");
        extract_usage(stderr);
        goto done;
    }
    if (kind && strcmp(kind, "identifier") != 0 &&
        strcmp(kind, "non-identifier") != 0 && strcmp(kind, "mixed") != 0) {
        fprintf(stderr, "internbench extract: --kind is identifier, "
                        "non-identifier or mixed\n");
        goto done;
    }

    /* the file list */
    for (size_t i = 0; i < dirs.count; i++)
        if (!extract_walk(dirs.item[i], &o, &files))
            goto done;
    for (size_t i = 0; i < lists.count; i++) {
        FILE *f = fopen(lists.item[i], "r");
        if (!f) {
            fprintf(stderr, "internbench extract: %s: %s\n", lists.item[i],
                    strerror(errno));
            goto done;
        }
        bool ok = extract_read_list(f, &o, &files);
        fclose(f);
        if (!ok)
            goto nomem;
    }
    if (stdin_list && !extract_read_list(stdin, &o, &files))
        goto nomem;
    if (files.count)
        qsort(files.item, files.count, sizeof *files.item, extract_cmp);

    /* the pattern */
    int errcode;
    PCRE2_SIZE erroff;
    uint32_t flags =
        bytes_mode ? 0 : PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags,
                       &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR text[256];
        pcre2_get_error_message(errcode, text, sizeof text);
        fprintf(stderr, "internbench extract: bad pattern at offset %zu: %s\n",
                (size_t)erroff, (char *)text);
        goto done;
    }
    uint32_t groups;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (group > groups) {
        fprintf(stderr,
                "internbench extract: --group %lu but the pattern "
                "has %u groups\n",
                group, groups);
        goto done;
    }
    /* JIT is an optional speed-up; its stack may grow to 64 MiB, enough for
     * a long string literal or comment matched by a repetition */
    if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0) {
        jit_stack = pcre2_jit_stack_create(32 * 1024, 64 * 1024 * 1024, NULL);
        mctx = pcre2_match_context_create(NULL);
        if (!jit_stack || !mctx)
            goto nomem;
        pcre2_jit_stack_assign(mctx, NULL, jit_stack);
    }
    md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md)
        goto nomem;

    /* the matches */
    intern_table *seen = NULL;
    const intern_ops *ops = NULL;
    if (unique_only) {
        size_t n;
        const intern_table_info *info = intern_registry(&n);
        intern_config cfg;
        intern_config_init(&cfg);
        cfg.seed_fixed = true;
        ops = info[0].ops;
        seen = ops->create(&cfg);
        if (!seen)
            goto nomem;
    }
    bool full = false;
    for (size_t fi = 0; fi < files.count && !full; fi++) {
        size_t len;
        char *text = extract_slurp(files.item[fi], &len);
        if (!text) {
            fprintf(stderr, "internbench extract: %s: %s\n", files.item[fi],
                    strerror(errno));
            if (seen)
                ops->destroy(seen);
            goto done;
        }
        PCRE2_SIZE at = 0;
        while (at <= len && !full) {
            int m = pcre2_match(re, (PCRE2_SPTR)text, len, at, 0, md, mctx);
            if (m == PCRE2_ERROR_NOMATCH)
                break;
            if (m < 0) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(m, msg, sizeof msg);
                fprintf(stderr,
                        "internbench extract: %s: match failed at "
                        "byte %zu: %s\n",
                        files.item[fi], (size_t)at, (char *)msg);
                free(text);
                if (seen)
                    ops->destroy(seen);
                goto done;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            PCRE2_SIZE s = ov[2 * group], e = ov[2 * group + 1];
            if (s != PCRE2_UNSET) {
                bool keep = true;
                if (seen) {
                    const intern_str *h;
                    intern_status st = ops->intern(seen, text + s, e - s, &h);
                    if (st != INTERN_NEW && st != INTERN_FOUND) {
                        free(text);
                        ops->destroy(seen);
                        goto nomem;
                    }
                    keep = st == INTERN_NEW;
                }
                if (keep) {
                    if (extract_emit(&out, text + s, e - s, squash, &tmp,
                                     &tmp_cap) != CASE_OK) {
                        free(text);
                        if (seen)
                            ops->destroy(seen);
                        goto nomem;
                    }
                    full = max && out.count >= max;
                }
            }
            if (ov[1] > ov[0]) {
                at = ov[1];
            } else { /* an empty match: step one character on */
                at = ov[1] + 1;
                while (!bytes_mode && at < len &&
                       ((unsigned char)text[at] & 0xC0) == 0x80)
                    at++;
            }
        }
        free(text);
    }
    if (seen)
        ops->destroy(seen);

    /* unique count via a table */
    uint64_t unique = 0;
    {
        size_t n;
        const intern_table_info *info = intern_registry(&n);
        intern_config cfg;
        intern_config_init(&cfg);
        cfg.seed_fixed = true;
        cfg.capacity_hint = out.count;
        intern_table *t = info[0].ops->create(&cfg);
        if (!t)
            goto nomem;
        for (size_t i = 0; i < out.count; i++) {
            const intern_str *h;
            intern_status st = info[0].ops->intern(t, out.bytes + out.offset[i],
                                                   out.len[i], &h);
            if (st == INTERN_NEW)
                unique++;
            else if (st != INTERN_FOUND) {
                info[0].ops->destroy(t);
                goto nomem;
            }
        }
        info[0].ops->destroy(t);
    }

    /* the command that reproduces this */
    size_t cl = 0, cc = 0;
    extract_quote("internbench", &cmdline, &cl, &cc);
    for (int i = 0; i < argc; i++) {
        if (cmdline && cl + 1 < cc)
            cmdline[cl++] = ' ';
        extract_quote(argv[i], &cmdline, &cl, &cc);
    }
    if (!cmdline)
        goto nomem;

    FILE *f = stdout;
    if (out_path && strcmp(out_path, "-") != 0) {
        f = fopen(out_path, "wb");
        if (!f) {
            fprintf(stderr, "internbench extract: %s: %s\n", out_path,
                    strerror(errno));
            goto done;
        }
    }
    case_error err;
    case_writer *w = case_writer_open(
        f, out_path ? out_path : "<stdout>",
        bytes_mode ? CASE_ENCODING_BYTES : CASE_ENCODING_UTF8, &err);
    if (!w) {
        if (f != stdout)
            fclose(f);
        goto nomem;
    }
    char num[32];
    if (name)
        case_writer_meta(w, "name", name);
    if (kind)
        case_writer_meta(w, "kind", kind);
    if (source)
        case_writer_meta(w, "source", source);
    if (license)
        case_writer_meta(w, "license", license);
    for (size_t i = 0; i < metas.count; i++) {
        char *eq = strchr(metas.item[i], '=');
        *eq = '\0';
        case_writer_meta(w, metas.item[i], eq + 1);
        *eq = '=';
    }
    case_writer_meta(w, "command", cmdline);
    snprintf(num, sizeof num, "%zu", out.count);
    case_writer_meta(w, "strings", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)unique);
    case_writer_meta(w, "unique", num);
    for (size_t i = 0; i < out.count; i++)
        if (case_writer_put(w, out.bytes + out.offset[i], out.len[i]) !=
            CASE_OK)
            break;
    case_status st = case_writer_close(w, &err);
    if (f != stdout && fclose(f) != 0 && st == CASE_OK) {
        fprintf(stderr, "internbench extract: %s: %s\n", out_path,
                strerror(errno));
        goto done;
    }
    if (st != CASE_OK) {
        fprintf(stderr, "%s\n", err.message);
        goto done;
    }
    fprintf(stderr,
            "internbench extract: %zu files, %zu strings, %llu "
            "unique\n",
            files.count, out.count, (unsigned long long)unique);
    rc = CLI_OK;
    goto done;
nomem:
    fprintf(stderr, "internbench extract: out of memory\n");
    rc = CLI_USAGE;
done:
    pcre2_match_data_free(md);
    pcre2_match_context_free(mctx);
    pcre2_jit_stack_free(jit_stack);
    pcre2_code_free(re);
    extract_list_free(&files);
    extract_list_free(&dirs);
    extract_list_free(&lists);
    extract_list_free(&metas);
    extract_list_free(&o.globs);
    extract_list_free(&o.excludes);
    case_data_free(&out);
    free(cmdline);
    free(tmp);
    return rc;
}
