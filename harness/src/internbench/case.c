/* case.c: the case file reader, loader and writer (see internbench/case.h). */
#include "internbench/case.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocation ------------------------------------------------------ */

static void *case_libc_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size ? size : 1);
}

static void *case_libc_realloc(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    return realloc(ptr, size ? size : 1);
}

static void case_libc_free(void *ctx, void *ptr) {
    (void)ctx;
    free(ptr);
}

static const intern_allocator case_alloc_libc = {
    case_libc_malloc, case_libc_realloc, case_libc_free, NULL};

static const intern_allocator *case_alloc_or_libc(const intern_allocator *a) {
    return a ? a : &case_alloc_libc;
}

static void *case_malloc(const intern_allocator *a, size_t size) {
    return a->malloc(a->ctx, size);
}

static void case_free(const intern_allocator *a, void *p) {
    if (p)
        a->free(a->ctx, p);
}

/* Grows *buf (of *cap bytes) to hold at least need bytes; false on
 * failure, leaving it as it was. */
static bool case_grow(const intern_allocator *a, void *buf_, size_t *cap,
                      size_t need, size_t elem) {
    void **buf = buf_;
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return false;
    void *p =
        *buf ? a->realloc(a->ctx, *buf, n * elem) : a->malloc(a->ctx, n * elem);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

static char *case_strdup(const intern_allocator *a, const char *s, size_t len) {
    char *p = case_malloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ---- messages and UTF-8 ---------------------------------------------- */

const char *case_status_text(case_status status) {
    switch (status) {
    case CASE_OK:
        return "ok";
    case CASE_END:
        return "end";
    case CASE_ERR_IO:
        return "I/O error";
    case CASE_ERR_NOMEM:
        return "out of memory";
    case CASE_ERR_FORMAT:
        return "bad input";
    case CASE_ERR_USAGE:
        return "bad usage";
    }
    return "unknown status";
}

/* Fills err: "NAME:LINE: text" (or "NAME: text" when line is 0). */
static case_status case_error_set(case_error *err, case_status status,
                                  const char *name, uint64_t line,
                                  const char *fmt, ...) {
    if (!err)
        return status;
    err->status = status;
    err->line = line;
    int k;
    if (line)
        k = snprintf(err->message, sizeof err->message, "%s:%llu: ", name,
                     (unsigned long long)line);
    else
        k = snprintf(err->message, sizeof err->message, "%s: ", name);
    if (k < 0)
        k = 0;
    if ((size_t)k < sizeof err->message) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message + k, sizeof err->message - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return status;
}

static void case_error_clear(case_error *err) {
    if (err) {
        err->status = CASE_OK;
        err->line = 0;
        err->message[0] = '\0';
    }
}

/* The length of the valid UTF-8 sequence at p (1..4), or 0 if the bytes
 * at p start no valid sequence. */
static size_t case_utf8_seq(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && p[1] >= 0xA0) /* surrogate */
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xF4 && p[1] >= 0x90) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

bool case_utf8_valid(const void *bytes, size_t len, size_t *bad_at) {
    const unsigned char *p = bytes;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = case_utf8_seq(p + i, len - i);
        if (!n) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* ---- reader ---------------------------------------------------------- */

#define CASE_CHUNK (64 * 1024)

/* A reader holds one chunk of the file, the line being assembled when a
 * line spans chunks (at most line_max bytes), and the decoded string.
 * Invariant: chunk[chunk_pos .. chunk_len) are the bytes not yet
 * consumed; lineno is the number of lines consumed so far; once state is
 * not CASE_OK it never changes back. The header is read by open; the
 * first string line, read to find the header's end, waits in pending. */
struct case_reader {
    const intern_allocator *alloc;
    FILE *f;
    bool own_file;
    char *name;
    bool lines;
    size_t line_max;
    bool eof;
    unsigned char *chunk;
    size_t chunk_pos, chunk_len;
    char *line;
    size_t line_cap;
    char *str;
    size_t str_cap;
    uint64_t lineno;
    uint64_t count;
    case_status state;
    case_error err;
    /* the pending first string line */
    bool pending;
    const char *pending_ptr;
    size_t pending_len;
    bool pending_lf;
    /* header */
    case_meta *meta;
    uint64_t *meta_line;
    size_t meta_count, meta_cap, meta_line_cap;
    case_encoding encoding;
    bool crlf;
    bool has_strings;
    uint64_t strings_expected;
    uint64_t strings_line;
};

static case_status reader_fail(case_reader *r, case_status status,
                               uint64_t line, const char *fmt, ...) {
    char text[CASE_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->state = status;
    return case_error_set(&r->err, status, r->name, line, "%s", text);
}

/* Reads one raw line (terminator removed). 1: a line in *p, *n, with
 * *lf telling whether an LF ended it; 0: end of file; < 0: an error. */
/* Makes sure the chunk holds unread bytes: 1 it does, 0 end of file,
 * < 0 a read error. */
static int reader_fill(case_reader *r) {
    if (r->chunk_pos < r->chunk_len)
        return 1;
    if (r->eof)
        return 0;
    size_t got = fread(r->chunk, 1, CASE_CHUNK, r->f);
    if (got == 0) {
        if (ferror(r->f))
            return reader_fail(r, CASE_ERR_IO, r->lineno + 1, "read failed: %s",
                               strerror(errno));
        r->eof = true;
        return 0;
    }
    r->chunk_pos = 0;
    r->chunk_len = got;
    return 1;
}

static int reader_line(case_reader *r, const char **p, size_t *n, bool *lf) {
    size_t len = 0;
    bool started = false;
    int filled;
    while ((filled = reader_fill(r)) > 0) {
        started = true;
        unsigned char *start = r->chunk + r->chunk_pos;
        size_t avail = r->chunk_len - r->chunk_pos;
        unsigned char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        if (take > r->line_max - len)
            return reader_fail(r, CASE_ERR_FORMAT, r->lineno + 1,
                               "line longer than the limit of %zu bytes",
                               r->line_max);
        if (nl && len == 0) { /* the whole line is in the chunk */
            r->chunk_pos += take + 1;
            r->lineno++;
            *p = (const char *)start;
            *n = take;
            *lf = true;
            return 1;
        }
        if (!case_grow(r->alloc, &r->line, &r->line_cap, len + take + 1, 1))
            return reader_fail(r, CASE_ERR_NOMEM, r->lineno + 1,
                               "out of memory reading a line of %zu bytes",
                               len + take);
        memcpy(r->line + len, start, take);
        len += take;
        r->chunk_pos += take + (nl != NULL);
        if (nl)
            break;
    }
    if (filled < 0)
        return filled;
    if (!started)
        return 0;
    r->lineno++;
    *p = r->line ? r->line : "";
    *n = len;
    *lf = filled > 0;
    return 1;
}

static bool reader_str_room(case_reader *r, size_t need) {
    return case_grow(r->alloc, &r->str, &r->str_cap, need, 1);
}

int case_hex_digit(int c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A --lines line as it is, but for a byte-order mark at the very start
 * and the CR of a CRLF. */
static case_status reader_decode_plain(case_reader *r, const char *p, size_t n,
                                       bool lf, size_t *out_len) {
    if (r->lineno == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    if (lf && n > 0 && p[n - 1] == '\r')
        n--;
    if (!reader_str_room(r, n + 1))
        return reader_fail(r, CASE_ERR_NOMEM, r->lineno, "out of memory");
    memcpy(r->str, p, n);
    r->str[n] = '\0';
    *out_len = n;
    return CASE_OK;
}

/* The byte a one-letter escape (\\ \n \r \t \0) stands for, or -1. */
static int reader_simple_escape(unsigned e) {
    switch (e) {
    case '\\':
        return '\\';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case '0':
        return '\0';
    default:
        return -1;
    }
}

/* The byte the escape at s[*i] (just after its backslash; *i < n)
 * stands for, in *out; *i is left on its last byte. */
static case_status reader_escape(case_reader *r, const unsigned char *s,
                                 size_t n, size_t *i, char *out) {
    unsigned e = s[*i];
    int simple = reader_simple_escape(e);
    if (simple >= 0) {
        *out = (char)simple;
        return CASE_OK;
    }
    if (e == 'x') {
        int hi = *i + 1 < n ? case_hex_digit((unsigned char)s[*i + 1]) : -1;
        int lo = *i + 2 < n ? case_hex_digit((unsigned char)s[*i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                               "truncated escape at byte %zu: \\x needs two "
                               "hex digits",
                               *i);
        *out = (char)(hi * 16 + lo);
        *i += 2;
        return CASE_OK;
    }
    if (e >= 0x21 && e < 0x7F)
        return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                           "unknown escape '\\%c' at byte %zu (known: \\\\ "
                           "\\n \\r \\t \\0 \\xHH)",
                           (int)e, *i);
    return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                       "unknown escape: backslash followed by byte 0x%02X at "
                       "byte %zu (known: \\\\ \\n \\r \\t \\0 \\xHH)",
                       e, *i);
}

/* Unescapes s[0..n) into r->str (room for n + 1 bytes is there); raw
 * NUL and CR bytes are errors. */
static case_status reader_unescape(case_reader *r, const unsigned char *s,
                                   size_t n, bool lf, size_t *out_len) {
    char *o = r->str;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == '\\') {
            if (i + 1 == n)
                return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                                   "trailing backslash at byte %zu (a "
                                   "backslash is written \\\\)",
                                   i + 1);
            i++;
            if (reader_escape(r, s, n, &i, &o[k++]) != CASE_OK)
                return r->state;
        } else if (c == '\0') {
            return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                               "raw NUL byte at byte %zu (write \\0)", i + 1);
        } else if (c == '\r') {
            if (i + 1 == n && lf)
                return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                                   "CR before LF (a CRLF line ending): "
                                   "declare '# newline: crlf' or convert "
                                   "the file");
            return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                               "raw CR at byte %zu (write \\r)", i + 1);
        } else {
            o[k++] = (char)c;
        }
    }
    o[k] = '\0';
    *out_len = k;
    return CASE_OK;
}

/* Turns the raw line p[0..n) into the string in r->str. */
static case_status reader_decode(case_reader *r, const char *p, size_t n,
                                 bool lf, size_t *out_len) {
    if (r->lines)
        return reader_decode_plain(r, p, n, lf, out_len);
    if (r->crlf && lf && n > 0 && p[n - 1] == '\r')
        n--;
    if (n > 0 && p[0] == '#')
        return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                           "a string line starts with '#' after the header "
                           "(a string that begins with '#' is written "
                           "\\x23)");
    if (!reader_str_room(r, n + 1))
        return reader_fail(r, CASE_ERR_NOMEM, r->lineno, "out of memory");
    size_t k = 0, bad;
    if (reader_unescape(r, (const unsigned char *)p, n, lf, &k) != CASE_OK)
        return r->state;
    if (r->encoding == CASE_ENCODING_UTF8 && !case_utf8_valid(r->str, k, &bad))
        return reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                           "invalid UTF-8 at byte %zu of the string (declare "
                           "'# encoding: bytes' to allow any bytes)",
                           bad + 1);
    *out_len = k;
    return CASE_OK;
}

static bool meta_key_valid(const char *k, size_t n) {
    if (n == 0 || !(k[0] >= 'a' && k[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

static bool parse_count(const char *s, uint64_t *out) {
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

/* Adds the header pair key[0..klen) = v[0..vlen) read on line ln; a
 * key given twice is an error. */
static case_status reader_meta_add(case_reader *r, const char *k, size_t klen,
                                   const char *v, size_t vlen, uint64_t ln) {
    for (size_t i = 0; i < r->meta_count; i++)
        if (strlen(r->meta[i].key) == klen &&
            memcmp(r->meta[i].key, k, klen) == 0)
            return reader_fail(r, CASE_ERR_FORMAT, ln,
                               "duplicate header key '%.*s' (first on line "
                               "%llu)",
                               (int)klen, k,
                               (unsigned long long)r->meta_line[i]);
    if (!case_grow(r->alloc, &r->meta, &r->meta_cap, r->meta_count + 1,
                   sizeof *r->meta) ||
        !case_grow(r->alloc, &r->meta_line, &r->meta_line_cap,
                   r->meta_count + 1, sizeof *r->meta_line))
        return reader_fail(r, CASE_ERR_NOMEM, ln, "out of memory");
    char *key = case_strdup(r->alloc, k, klen);
    char *value = key ? case_strdup(r->alloc, v, vlen) : NULL;
    if (!value) {
        case_free(r->alloc, key);
        return reader_fail(r, CASE_ERR_NOMEM, ln, "out of memory");
    }
    r->meta[r->meta_count].key = key;
    r->meta[r->meta_count].value = value;
    r->meta_line[r->meta_count] = ln;
    r->meta_count++;
    return CASE_OK;
}

/* Acts on the header keys the reader interprets (the pair just added). */
static case_status reader_meta_apply(case_reader *r, const char *key,
                                     const char *value, uint64_t ln) {
    if (strcmp(key, "encoding") == 0) {
        if (strcmp(value, "utf-8") == 0)
            r->encoding = CASE_ENCODING_UTF8;
        else if (strcmp(value, "bytes") == 0)
            r->encoding = CASE_ENCODING_BYTES;
        else
            return reader_fail(r, CASE_ERR_FORMAT, ln,
                               "unknown encoding '%s' (utf-8 or bytes)", value);
    } else if (strcmp(key, "newline") == 0) {
        if (strcmp(value, "lf") == 0)
            r->crlf = false;
        else if (strcmp(value, "crlf") == 0)
            r->crlf = true;
        else
            return reader_fail(r, CASE_ERR_FORMAT, ln,
                               "unknown newline '%s' (lf or crlf)", value);
    } else if (strcmp(key, "strings") == 0 || strcmp(key, "unique") == 0) {
        uint64_t count;
        if (!parse_count(value, &count))
            return reader_fail(r, CASE_ERR_FORMAT, ln,
                               "'%s' must be a decimal count, not '%s'", key,
                               value);
        if (key[0] == 's') {
            r->has_strings = true;
            r->strings_expected = count;
            r->strings_line = ln;
        }
    }
    return CASE_OK;
}

/* Interprets one header line (terminator and CRLF CR removed): "# key:
 * value" is a pair, anything else a comment. */
static case_status reader_header_line(case_reader *r, const char *p, size_t n) {
    uint64_t ln = r->lineno;
    if (memchr(p, '\0', n))
        return reader_fail(r, CASE_ERR_FORMAT, ln,
                           "raw NUL byte in the header");
    size_t bad;
    if (!case_utf8_valid(p, n, &bad))
        return reader_fail(r, CASE_ERR_FORMAT, ln,
                           "invalid UTF-8 in the header at byte %zu", bad + 1);
    if (n < 2 || p[1] != ' ')
        return CASE_OK;
    const char *k = p + 2;
    const char *colon = memchr(k, ':', n - 2);
    if (!colon || !meta_key_valid(k, (size_t)(colon - k)))
        return CASE_OK;
    const char *v = colon + 1;
    size_t vlen = n - (size_t)(v - p);
    if (vlen > 0 && *v != ' ')
        return CASE_OK; /* "# word:text" reads as a comment */
    if (vlen > 0) {
        v++;
        vlen--;
    }
    if (reader_meta_add(r, k, (size_t)(colon - k), v, vlen, ln) != CASE_OK)
        return r->state;
    const case_meta *m = &r->meta[r->meta_count - 1];
    return reader_meta_apply(r, m->key, m->value, ln);
}

/* Reads the header: the version line and the '#' lines after it. */
/* Checks the first line (its CR, if any, removed) is the version line. */
static case_status reader_version(case_reader *r, const char *p, size_t n) {
    const char *prefix = "# internbench case ";
    size_t plen = strlen(prefix);
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        return reader_fail(r, CASE_ERR_FORMAT, 1,
                           "the file starts with a UTF-8 byte-order mark (EF "
                           "BB BF); case files have none: remove it");
    if (n == strlen(CASE_VERSION_LINE) && memcmp(p, CASE_VERSION_LINE, n) == 0)
        return CASE_OK;
    if (n >= plen && memcmp(p, prefix, plen) == 0)
        return reader_fail(r, CASE_ERR_FORMAT, 1,
                           "unknown case format version '%.*s' (this reader "
                           "reads v1)",
                           (int)(n - plen < 64 ? n - plen : 64), p + plen);
    return reader_fail(r, CASE_ERR_FORMAT, 1,
                       "not a case file: the first line must be '%s' (read a "
                       "plain text file with --lines)",
                       CASE_VERSION_LINE);
}

/* Reads the header: the version line and the '#' lines after it. CR
 * line endings are judged once the header has said "newline". */
static case_status reader_header(case_reader *r) {
    const char *p;
    size_t n;
    bool lf;
    uint64_t first_cr_line = 0;
    for (int got; (got = reader_line(r, &p, &n, &lf)) != 0;) {
        if (got < 0)
            return r->state;
        if (r->lineno > 1 && (n == 0 || p[0] != '#')) {
            r->pending = true; /* the first string */
            r->pending_ptr = p;
            r->pending_len = n;
            r->pending_lf = lf;
            break;
        }
        if (lf && n > 0 && p[n - 1] == '\r') {
            n--;
            if (!first_cr_line)
                first_cr_line = r->lineno;
        }
        case_status st = r->lineno == 1 ? reader_version(r, p, n)
                                        : reader_header_line(r, p, n);
        if (st != CASE_OK)
            return st;
    }
    if (first_cr_line && !r->crlf)
        return reader_fail(r, CASE_ERR_FORMAT, first_cr_line,
                           "CR before LF (a CRLF line ending): declare '# "
                           "newline: crlf' or convert the file");
    return CASE_OK;
}

void case_options_init(case_options *opt) {
    opt->lines = false;
    opt->line_max = CASE_LINE_MAX_DEFAULT;
    opt->display_name = NULL;
    opt->alloc = NULL;
}

/* Opens path, or uses f when path is NULL. */
static case_reader *reader_open(const char *path, FILE *f, const char *name,
                                const case_options *opt, case_error *err) {
    case_options defaults;
    if (!opt) {
        case_options_init(&defaults);
        opt = &defaults;
    }
    case_error_clear(err);
    const intern_allocator *a = case_alloc_or_libc(opt->alloc);
    case_reader *r = case_malloc(a, sizeof *r);
    if (!r) {
        case_error_set(err, CASE_ERR_NOMEM, name, 0, "out of memory");
        return NULL;
    }
    memset(r, 0, sizeof *r);
    r->alloc = a;
    r->lines = opt->lines;
    r->line_max = opt->line_max ? opt->line_max : CASE_LINE_MAX_DEFAULT;
    r->encoding = opt->lines ? CASE_ENCODING_BYTES : CASE_ENCODING_UTF8;
    r->name = case_strdup(a, name, strlen(name));
    r->chunk = case_malloc(a, CASE_CHUNK);
    if (!r->name || !r->chunk) {
        case_error_set(err, CASE_ERR_NOMEM, name, 0, "out of memory");
        case_reader_close(r);
        return NULL;
    }
    if (!path) {
        r->f = f;
    } else {
        r->f = fopen(path, "rb");
        if (!r->f) {
            case_error_set(err, CASE_ERR_IO, name, 0, "cannot open: %s",
                           strerror(errno));
            case_reader_close(r);
            return NULL;
        }
        r->own_file = true;
    }
    if (!r->lines && reader_header(r) != CASE_OK) {
        if (err)
            *err = r->err;
        case_reader_close(r);
        return NULL;
    }
    return r;
}

case_reader *case_reader_open(const char *path, const case_options *opt,
                              case_error *err) {
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = opt && opt->display_name ? opt->display_name
                       : is_stdin               ? "<stdin>"
                                                : path;
    return reader_open(is_stdin ? NULL : path, stdin, name, opt, err);
}

case_reader *case_reader_open_stream(FILE *f, const char *name,
                                     const case_options *opt, case_error *err) {
    return reader_open(NULL, f, name, opt, err);
}

case_status case_reader_next(case_reader *r, const char **bytes, size_t *len) {
    if (r->state != CASE_OK)
        return r->state;
    const char *p;
    size_t n;
    bool lf;
    if (r->pending) {
        r->pending = false;
        p = r->pending_ptr;
        n = r->pending_len;
        lf = r->pending_lf;
    } else {
        int got = reader_line(r, &p, &n, &lf);
        if (got < 0)
            return r->state;
        if (got == 0) {
            if (r->has_strings && r->strings_expected != r->count)
                return reader_fail(r, CASE_ERR_FORMAT, r->strings_line,
                                   "the header says strings: %llu but the "
                                   "file holds %llu",
                                   (unsigned long long)r->strings_expected,
                                   (unsigned long long)r->count);
            r->state = CASE_END;
            return CASE_END;
        }
    }
    size_t out = 0;
    if (reader_decode(r, p, n, lf, &out) != CASE_OK)
        return r->state;
    r->count++;
    *bytes = r->str;
    *len = out;
    return CASE_OK;
}

const case_error *case_reader_error(const case_reader *r) {
    return &r->err;
}

const char *case_reader_meta(const case_reader *r, const char *key) {
    for (size_t i = 0; i < r->meta_count; i++)
        if (strcmp(r->meta[i].key, key) == 0)
            return r->meta[i].value;
    return NULL;
}

const case_meta *case_reader_meta_all(const case_reader *r, size_t *count) {
    *count = r->meta_count;
    return r->meta;
}

case_encoding case_reader_encoding(const case_reader *r) {
    return r->encoding;
}

uint64_t case_reader_count(const case_reader *r) {
    return r->count;
}

uint64_t case_reader_line(const case_reader *r) {
    return r->lineno;
}

void case_reader_close(case_reader *r) {
    if (!r)
        return;
    const intern_allocator *a = r->alloc;
    if (r->own_file && r->f)
        fclose(r->f);
    for (size_t i = 0; i < r->meta_count; i++) {
        case_free(a, (void *)r->meta[i].key);
        case_free(a, (void *)r->meta[i].value);
    }
    case_free(a, r->meta);
    case_free(a, r->meta_line);
    case_free(a, r->chunk);
    case_free(a, r->line);
    case_free(a, r->str);
    case_free(a, r->name);
    case_free(a, r);
}

/* ---- case_data ------------------------------------------------------- */

void case_data_init(case_data *d, const intern_allocator *alloc) {
    memset(d, 0, sizeof *d);
    d->alloc = case_alloc_or_libc(alloc);
}

case_status case_data_append(case_data *d, const void *bytes, size_t len) {
    if (!d->alloc)
        d->alloc = &case_alloc_libc;
    if (len > INTERN_KEY_MAX || len + 1 > SIZE_MAX - d->bytes_used)
        return CASE_ERR_USAGE;
    if (!case_grow(d->alloc, &d->bytes, &d->bytes_cap, d->bytes_used + len + 1,
                   1))
        return CASE_ERR_NOMEM;
    if (d->count == d->count_cap) {
        size_t cap_off = d->count_cap, cap_len = d->count_cap;
        if (!case_grow(d->alloc, &d->offset, &cap_off, d->count + 1,
                       sizeof *d->offset))
            return CASE_ERR_NOMEM;
        if (!case_grow(d->alloc, &d->len, &cap_len, d->count + 1,
                       sizeof *d->len))
            return CASE_ERR_NOMEM; /* offset may have grown: harmless, as
                                      count_cap stays the smaller size */
        d->count_cap = cap_off < cap_len ? cap_off : cap_len;
    }
    if (len)
        memcpy(d->bytes + d->bytes_used, bytes, len);
    d->bytes[d->bytes_used + len] = '\0';
    d->offset[d->count] = d->bytes_used;
    d->len[d->count] = (uint32_t)len;
    d->count++;
    d->bytes_used += len + 1;
    return CASE_OK;
}

case_status case_data_meta_add(case_data *d, const char *key,
                               const char *value) {
    if (!d->alloc)
        d->alloc = &case_alloc_libc;
    size_t cap = d->meta_count;
    if (!case_grow(d->alloc, &d->meta, &cap, d->meta_count + 1,
                   sizeof *d->meta))
        return CASE_ERR_NOMEM;
    char *k = case_strdup(d->alloc, key, strlen(key));
    char *v = k ? case_strdup(d->alloc, value, strlen(value)) : NULL;
    if (!v) {
        case_free(d->alloc, k);
        return CASE_ERR_NOMEM;
    }
    d->meta[d->meta_count].key = k;
    d->meta[d->meta_count].value = v;
    d->meta_count++;
    return CASE_OK;
}

const char *case_data_meta(const case_data *d, const char *key) {
    for (size_t i = 0; i < d->meta_count; i++)
        if (strcmp(d->meta[i].key, key) == 0)
            return d->meta[i].value;
    return NULL;
}

void case_data_free(case_data *d) {
    if (!d)
        return;
    const intern_allocator *a = case_alloc_or_libc(d->alloc);
    for (size_t i = 0; i < d->meta_count; i++) {
        case_free(a, (void *)d->meta[i].key);
        case_free(a, (void *)d->meta[i].value);
    }
    case_free(a, d->meta);
    case_free(a, d->bytes);
    case_free(a, d->offset);
    case_free(a, d->len);
    case_data_init(d, a == &case_alloc_libc ? NULL : a);
}

case_status case_load(const char *path, const case_options *opt, case_data *out,
                      case_error *err) {
    case_data_init(out, opt ? opt->alloc : NULL);
    case_reader *r = case_reader_open(path, opt, err);
    if (!r)
        return err ? err->status : CASE_ERR_IO;
    case_status st = CASE_OK;
    for (size_t i = 0; i < r->meta_count && st == CASE_OK; i++)
        st = case_data_meta_add(out, r->meta[i].key, r->meta[i].value);
    if (st != CASE_OK)
        reader_fail(r, st, 0, "out of memory");
    out->encoding = r->encoding;
    const char *s = NULL;
    size_t n = 0;
    while (st == CASE_OK && (st = case_reader_next(r, &s, &n)) == CASE_OK) {
        case_status a = case_data_append(out, s, n);
        if (a == CASE_ERR_NOMEM)
            st = reader_fail(r, a, r->lineno,
                             "out of memory holding %zu strings",
                             out->count + 1);
        else if (a != CASE_OK)
            st = reader_fail(r, CASE_ERR_FORMAT, r->lineno,
                             "string longer than %llu bytes",
                             (unsigned long long)INTERN_KEY_MAX);
    }
    if (st == CASE_END)
        st = CASE_OK;
    if (st != CASE_OK && err)
        *err = r->err;
    case_reader_close(r);
    return st;
}

/* ---- writer ---------------------------------------------------------- */

size_t case_escape(const void *bytes, size_t len, case_encoding encoding,
                   char *buf, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = bytes;
    size_t k = 0;
#define CASE_EMIT(c)                                                           \
    do {                                                                       \
        if (k < cap)                                                           \
            buf[k] = (char)(c);                                                \
        k++;                                                                   \
    } while (0)
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        const char *esc = NULL;
        if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\0')
            esc = "\\0";
        else if (c == '#' && i == 0)
            esc = "\\x23";
        if (esc) {
            for (; *esc; esc++)
                CASE_EMIT(*esc);
            continue;
        }
        if (c < 0x80 || encoding == CASE_ENCODING_UTF8) {
            CASE_EMIT(c);
            continue;
        }
        size_t seq = case_utf8_seq(s + i, len - i);
        if (seq == 0) {
            CASE_EMIT('\\');
            CASE_EMIT('x');
            CASE_EMIT(hex[c >> 4]);
            CASE_EMIT(hex[c & 15]);
            continue;
        }
        for (size_t j = 0; j < seq; j++)
            CASE_EMIT(s[i + j]);
        i += seq - 1;
    }
#undef CASE_EMIT
    if (k < cap)
        buf[k] = '\0';
    return k;
}

/* A writer writes the header as it is given, then strings. Invariant:
 * header_done is set once the first string or close has ended the header
 * (no meta after that); keys[0..nkeys) are the header keys written, each
 * once (the reader refuses a repeated key); state holds the first error,
 * and once it is set nothing more is written. */
struct case_writer {
    const intern_allocator *alloc;
    FILE *out;
    char *name;
    case_encoding encoding;
    bool encoding_written;
    bool header_done;
    char **keys;
    size_t nkeys, keys_cap;
    uint64_t count;
    char *buf;
    size_t cap;
    case_status state;
    case_error err;
};

static case_status writer_io(case_writer *w) {
    w->state = CASE_ERR_IO;
    return case_error_set(&w->err, CASE_ERR_IO, w->name, 0, "write failed: %s",
                          strerror(errno));
}

case_writer *case_writer_open(FILE *out, const char *name,
                              case_encoding encoding, case_error *err) {
    case_error_clear(err);
    const intern_allocator *a = &case_alloc_libc;
    case_writer *w = case_malloc(a, sizeof *w);
    if (!w) {
        case_error_set(err, CASE_ERR_NOMEM, name, 0, "out of memory");
        return NULL;
    }
    memset(w, 0, sizeof *w);
    w->alloc = a;
    w->out = out;
    w->encoding = encoding;
    w->name = case_strdup(a, name, strlen(name));
    if (!w->name) {
        case_free(a, w);
        case_error_set(err, CASE_ERR_NOMEM, name, 0, "out of memory");
        return NULL;
    }
    if (fputs(CASE_VERSION_LINE "\n", out) == EOF)
        writer_io(w);
    return w;
}

static case_status writer_usage(case_writer *w, const char *fmt,
                                const char *arg) {
    w->state = CASE_ERR_USAGE;
    return case_error_set(&w->err, CASE_ERR_USAGE, w->name, 0, fmt, arg);
}

/* Records key as written; CASE_ERR_USAGE when it was already. */
static case_status writer_key_once(case_writer *w, const char *key) {
    for (size_t i = 0; i < w->nkeys; i++)
        if (strcmp(w->keys[i], key) == 0)
            return writer_usage(w, "header key '%s' given twice", key);
    char *copy = case_strdup(w->alloc, key, strlen(key));
    if (!copy || !case_grow(w->alloc, &w->keys, &w->keys_cap, w->nkeys + 1,
                            sizeof *w->keys)) {
        case_free(w->alloc, copy);
        w->state = CASE_ERR_NOMEM;
        return case_error_set(&w->err, CASE_ERR_NOMEM, w->name, 0,
                              "out of memory");
    }
    w->keys[w->nkeys++] = copy;
    return CASE_OK;
}

case_status case_writer_meta(case_writer *w, const char *key,
                             const char *value) {
    if (w->state != CASE_OK)
        return w->state;
    if (w->header_done)
        return writer_usage(w, "header key '%s' after the first string", key);
    if (!meta_key_valid(key, strlen(key)) || strpbrk(value, "\r\n") ||
        !case_utf8_valid(value, strlen(value), 0))
        return writer_usage(w, "bad header pair for key '%s'", key);
    if (strcmp(key, "encoding") == 0) {
        const char *mine =
            w->encoding == CASE_ENCODING_BYTES ? "bytes" : "utf-8";
        if (strcmp(value, mine) != 0 || w->encoding_written)
            return writer_usage(w,
                                "encoding '%s' differs from the writer's or "
                                "is repeated",
                                value);
        w->encoding_written = true;
    }
    if (writer_key_once(w, key) != CASE_OK)
        return w->state;
    if (fprintf(w->out, "# %s:%s%s\n", key, *value ? " " : "", value) < 0)
        return writer_io(w);
    return CASE_OK;
}

static case_status writer_end_header(case_writer *w) {
    if (w->header_done)
        return CASE_OK;
    w->header_done = true;
    if (w->encoding == CASE_ENCODING_BYTES && !w->encoding_written) {
        w->encoding_written = true;
        if (fputs("# encoding: bytes\n", w->out) == EOF)
            return writer_io(w);
    }
    return CASE_OK;
}

case_status case_writer_put(case_writer *w, const void *bytes, size_t len) {
    if (w->state != CASE_OK)
        return w->state;
    if (writer_end_header(w) != CASE_OK)
        return w->state;
    size_t bad;
    if (w->encoding == CASE_ENCODING_UTF8 &&
        !case_utf8_valid(bytes, len, &bad)) {
        w->state = CASE_ERR_USAGE;
        return case_error_set(&w->err, CASE_ERR_USAGE, w->name, 0,
                              "string %llu is not valid UTF-8 (byte %zu); "
                              "write it with encoding bytes",
                              (unsigned long long)w->count + 1, bad + 1);
    }
    if (len > SIZE_MAX / 4 - 2) {
        w->state = CASE_ERR_NOMEM;
        return case_error_set(&w->err, CASE_ERR_NOMEM, w->name, 0,
                              "string too long");
    }
    if (!case_grow(w->alloc, &w->buf, &w->cap, len * 4 + 2, 1)) {
        w->state = CASE_ERR_NOMEM;
        return case_error_set(&w->err, CASE_ERR_NOMEM, w->name, 0,
                              "out of memory");
    }
    size_t k = case_escape(bytes, len, w->encoding, w->buf, w->cap);
    w->buf[k] = '\n';
    if (fwrite(w->buf, 1, k + 1, w->out) != k + 1)
        return writer_io(w);
    w->count++;
    return CASE_OK;
}

const case_error *case_writer_error(const case_writer *w) {
    return &w->err;
}

case_status case_writer_close(case_writer *w, case_error *err) {
    if (!w)
        return CASE_OK;
    if (w->state == CASE_OK)
        writer_end_header(w);
    if (w->state == CASE_OK && fflush(w->out) == EOF)
        writer_io(w);
    case_status st = w->state;
    if (err)
        *err = w->err;
    for (size_t i = 0; i < w->nkeys; i++)
        case_free(w->alloc, w->keys[i]);
    case_free(w->alloc, w->keys);
    case_free(w->alloc, w->buf);
    case_free(w->alloc, w->name);
    case_free(w->alloc, w);
    return st;
}
