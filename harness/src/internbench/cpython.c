/* cpython.c: the CPython sharing model (see internbench/cpython.h).
 *
 * Written from the rules in CPYTHON.md and the vectors recorded on
 * CPython 3.6 to 3.13; no CPython code is used. Where the recorded vectors
 * refine CPYTHON.md (vectors/README.md lists the places), the vectors win:
 *  - 3.6 folds "S" * N only up to 20 code points, but "+" with no limit;
 *  - 3.6 does not merge folded constants (e.g. -6, "a b" * 5) with equal
 *    ones in the same unit; 3.7 on does;
 *  - "%s" % X returns X itself at run time, and X * 1 returns X.
 */
#include "internbench/cpython.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const cpython_version cpython_version_table[] = {
    {"3.6", 3, 6, -5, 256, 20, false, true},
    {"3.7", 3, 7, -5, 256, 4096, true, true},
    {"3.8", 3, 8, -5, 256, 4096, true, true},
    {"3.9", 3, 9, -5, 256, 4096, true, true},
    {"3.10", 3, 10, -5, 256, 4096, true, true},
    {"3.11", 3, 11, -5, 256, 4096, true, true},
    {"3.12", 3, 12, -5, 256, 4096, true, true},
    {"3.13", 3, 13, -5, 256, 4096, true, true},
    /* CPython's main branch: the small-int cache reaches 1024. */
    {"3.15", 3, 15, -5, 1024, 4096, true, false},
};

#define CPYTHON_VERSION_COUNT                                                  \
    (sizeof cpython_version_table / sizeof cpython_version_table[0])

const cpython_version *cpython_versions(size_t *count) {
    *count = CPYTHON_VERSION_COUNT;
    return cpython_version_table;
}

const cpython_version *cpython_version_find(const char *name) {
    for (size_t i = 0; i < CPYTHON_VERSION_COUNT; i++)
        if (strcmp(cpython_version_table[i].name, name) == 0)
            return &cpython_version_table[i];
    return NULL;
}

/* ------------------------------------------------------------ strings */

static bool cpython_cp_name_char(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* Decodes one code point at s[*i] (see the header for ill-formed bytes:
 * one byte, U+DC00 + byte) and advances *i. Surrogates in their 3-byte
 * form are accepted as code points. */
static uint32_t cpython_decode_next(const unsigned char *s, size_t len,
                                    size_t *i) {
    unsigned char b = s[*i];
    size_t need;
    uint32_t cp, min;
    if (b < 0x80) {
        (*i)++;
        return b;
    } else if (b >= 0xC2 && b <= 0xDF) {
        need = 1, cp = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2, cp = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3, cp = b & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return 0xDC00 + b;
    }
    if (len - *i <= need) {
        (*i)++;
        return 0xDC00 + b;
    }
    for (size_t k = 1; k <= need; k++) {
        unsigned char c = s[*i + k];
        if ((c & 0xC0) != 0x80) {
            (*i)++;
            return 0xDC00 + b;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF) {
        (*i)++;
        return 0xDC00 + b;
    }
    *i += need + 1;
    return cp;
}

bool cpython_model_name_chars(const void *s, size_t len) {
    const unsigned char *p = s;
    for (size_t i = 0; i < len; i++)
        if (!cpython_cp_name_char(p[i]))
            return false;
    return true;
}

bool cpython_model_literal_interned(const cpython_version *v, const void *s,
                                    size_t len) {
    (void)v; /* rule 1 is the same in every modelled version */
    return cpython_model_name_chars(s, len);
}

bool cpython_model_singleton(const void *s, size_t len) {
    if (len == 0)
        return true;
    size_t i = 0;
    uint32_t cp = cpython_decode_next(s, len, &i);
    return i == len && cp <= 0xFF;
}

size_t cpython_model_str_chars(const void *s, size_t len) {
    size_t i = 0, n = 0;
    while (i < len) {
        cpython_decode_next(s, len, &i);
        n++;
    }
    return n;
}

/* The result length of S * count, saturated at SIZE_MAX. */
static size_t cpython_repeat_chars(size_t operand_chars, long long count) {
    if (count <= 0 || operand_chars == 0)
        return 0;
    if ((unsigned long long)count > SIZE_MAX / operand_chars)
        return SIZE_MAX;
    return operand_chars * (size_t)count;
}

bool cpython_model_repeat_folds(const cpython_version *v, size_t operand_chars,
                                long long count) {
    return cpython_repeat_chars(operand_chars, count) <= v->repeat_fold_max;
}

bool cpython_model_repeat_interned(const cpython_version *v, const void *s,
                                   size_t len, long long count) {
    size_t chars = cpython_model_str_chars(s, len);
    if (!cpython_model_repeat_folds(v, chars, count))
        return count == 1 && cpython_model_literal_interned(v, s, len);
    /* a folded constant follows rule 1; an empty result passes */
    return cpython_repeat_chars(chars, count) == 0 ||
           cpython_model_literal_interned(v, s, len);
}

bool cpython_model_int_cached(const cpython_version *v, long long n) {
    return n >= v->small_int_min && n <= v->small_int_max;
}

bool cpython_model_literal_identical_separate(const cpython_version *v,
                                              const void *s, size_t len) {
    return cpython_model_literal_interned(v, s, len) ||
           cpython_model_singleton(s, len);
}

bool cpython_model_literal_identical_unit(const cpython_version *v,
                                          const void *s, size_t len) {
    (void)v, (void)s, (void)len;
    return true; /* equal constants of one code object are merged */
}

/* ------------------------------------------------------------ expressions */

/* Where a value comes from, which decides whom it is shared with. */
typedef enum cpython_origin {
    CPYTHON_ORIGIN_LITERAL, /* a constant written in the source */
    CPYTHON_ORIGIN_FOLDED,  /* a constant made by the optimizer */
    CPYTHON_ORIGIN_RUNTIME, /* made when the code runs */
    CPYTHON_ORIGIN_NAME,    /* an identifier: always interned */
} cpython_origin;

/* What the model needs of a string value, without holding its bytes.
 * Invariant: first is the first code point when chars > 0; name_chars is
 * true when every code point is in [A-Za-z0-9_] (so for the empty
 * string). */
typedef struct cpython_str_props {
    size_t chars;
    bool name_chars;
    uint32_t first;
} cpython_str_props;

/* One evaluated sub-expression. Invariant: for a string, props describes
 * its value; lit/lit_len span the source of a single plain literal (NULL
 * otherwise), which % needs to read its format. */
typedef struct cpython_node {
    bool is_int;
    cpython_origin origin;
    long long ival;
    cpython_str_props props;
    const char *lit;
    size_t lit_len;
} cpython_node;

/* The parser's state. Invariant: pos <= len; err is set once, by the
 * first error. */
typedef struct cpython_parser {
    const cpython_version *v;
    const char *src;
    size_t len;
    size_t pos;
    char *err;
    size_t errlen;
    bool failed;
} cpython_parser;

static int cpython_fail(cpython_parser *p, const char *fmt, ...) {
    if (!p->failed && p->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        int n = snprintf(p->err, p->errlen, "at offset %zu: ", p->pos);
        if (n >= 0 && (size_t)n < p->errlen)
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    p->failed = true;
    return -1;
}

static void cpython_skip_space(cpython_parser *p) {
    while (p->pos < p->len && (p->src[p->pos] == ' ' || p->src[p->pos] == '\t'))
        p->pos++;
}

static bool cpython_accept(cpython_parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos >= n && memcmp(p->src + p->pos, word, n) == 0) {
        p->pos += n;
        return true;
    }
    return false;
}

static void cpython_props_add(cpython_str_props *pr, uint32_t cp) {
    if (pr->chars == 0)
        pr->first = cp;
    pr->chars++;
    if (!cpython_cp_name_char(cp))
        pr->name_chars = false;
}

static void cpython_props_concat(cpython_str_props *a,
                                 const cpython_str_props *b) {
    if (a->chars == 0)
        a->first = b->first;
    a->chars = a->chars > SIZE_MAX - b->chars ? SIZE_MAX : a->chars + b->chars;
    a->name_chars = a->name_chars && b->name_chars;
}

static bool cpython_props_singleton(const cpython_str_props *pr) {
    return pr->chars == 0 || (pr->chars == 1 && pr->first <= 0xFF);
}

static int cpython_hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Calls fn for each code point of the literal body s[0..len) (the text
 * between the quotes), decoding Python's escapes; in an f-string, {{ and
 * }} are braces and a field is an error. Returns 0 or -1. */
typedef int (*cpython_cp_fn)(cpython_parser *p, void *ctx, uint32_t cp);

static int cpython_literal_walk(cpython_parser *p, const char *s, size_t len,
                                bool fstring, cpython_cp_fn fn, void *ctx) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        if (s[i] == '\\') {
            if (i + 1 >= len)
                return cpython_fail(p, "truncated escape");
            char e = s[i + 1];
            i += 2;
            size_t digits = 0;
            switch (e) {
            case '\\':
                cp = '\\';
                break;
            case '\'':
                cp = '\'';
                break;
            case '"':
                cp = '"';
                break;
            case 'a':
                cp = 7;
                break;
            case 'b':
                cp = 8;
                break;
            case 'f':
                cp = 12;
                break;
            case 'n':
                cp = 10;
                break;
            case 'r':
                cp = 13;
                break;
            case 't':
                cp = 9;
                break;
            case 'v':
                cp = 11;
                break;
            case '\n':
                continue; /* line continuation */
            case 'x':
                digits = 2;
                break;
            case 'u':
                digits = 4;
                break;
            case 'U':
                digits = 8;
                break;
            default:
                if (e >= '0' && e <= '7') {
                    cp = (uint32_t)(e - '0');
                    for (int k = 0;
                         k < 2 && i < len && s[i] >= '0' && s[i] <= '7'; k++)
                        cp = cp * 8 + (uint32_t)(s[i++] - '0');
                    break;
                }
                if (e == 'N')
                    return cpython_fail(p, "\\N{...} is not modelled");
                /* an unknown escape keeps its backslash */
                if (fn(p, ctx, '\\') != 0)
                    return -1;
                i--;
                continue;
            }
            if (digits) {
                if (len - i < digits)
                    return cpython_fail(p, "truncated \\%c escape", e);
                cp = 0;
                for (size_t k = 0; k < digits; k++) {
                    int h = cpython_hex_value(s[i + k]);
                    if (h < 0)
                        return cpython_fail(p, "bad \\%c escape", e);
                    cp = cp * 16 + (uint32_t)h;
                }
                if (cp > 0x10FFFF)
                    return cpython_fail(p, "escape beyond U+10FFFF");
                i += digits;
            }
        } else if (fstring && (s[i] == '{' || s[i] == '}')) {
            if (i + 1 < len && s[i + 1] == s[i]) {
                cp = (unsigned char)s[i];
                i += 2;
            } else {
                return cpython_fail(p, "f-string fields are not modelled");
            }
        } else {
            size_t before = i;
            cp = cpython_decode_next(u, len, &i);
            if (cp >= 0xDC80 && cp <= 0xDCFF && i == before + 1 &&
                u[before] >= 0x80)
                return cpython_fail(p, "invalid UTF-8 in the source");
        }
        if (fn(p, ctx, cp) != 0)
            return -1;
    }
    return 0;
}

static int cpython_props_fn(cpython_parser *p, void *ctx, uint32_t cp) {
    (void)p;
    cpython_props_add(ctx, cp);
    return 0;
}

/* One literal token at p->pos: [fF]"...". Sets *body, *body_len, *fstr. */
static int cpython_parse_string_token(cpython_parser *p, const char **body,
                                      size_t *body_len, bool *fstr) {
    *fstr = false;
    if (p->pos < p->len && (p->src[p->pos] == 'f' || p->src[p->pos] == 'F')) {
        *fstr = true;
        p->pos++;
    }
    if (p->pos >= p->len || p->src[p->pos] != '"')
        return cpython_fail(p, "expected a string literal");
    size_t start = ++p->pos;
    while (p->pos < p->len && p->src[p->pos] != '"') {
        if (p->src[p->pos] == '\n')
            return cpython_fail(p, "newline in a string literal");
        if (p->src[p->pos] == '\\' && p->pos + 1 < p->len)
            p->pos++;
        p->pos++;
    }
    if (p->pos >= p->len)
        return cpython_fail(p, "unterminated string literal");
    *body = p->src + start;
    *body_len = p->pos - start;
    p->pos++;
    return 0;
}

static bool cpython_at_string(const cpython_parser *p) {
    size_t i = p->pos;
    if (i < p->len && (p->src[i] == 'f' || p->src[i] == 'F'))
        i++;
    return i < p->len && p->src[i] == '"';
}

static int cpython_parse_int(cpython_parser *p, long long *out, bool *neg) {
    *neg = false;
    if (p->pos < p->len && p->src[p->pos] == '-') {
        *neg = true;
        p->pos++;
        cpython_skip_space(p);
    }
    if (p->pos >= p->len || p->src[p->pos] < '0' || p->src[p->pos] > '9')
        return cpython_fail(p, "expected an integer");
    long long n = 0;
    while (p->pos < p->len && p->src[p->pos] >= '0' && p->src[p->pos] <= '9') {
        int d = p->src[p->pos++] - '0';
        n = n > (LLONG_MAX - d) / 10 ? LLONG_MAX : n * 10 + d;
    }
    *out = *neg ? -n : n;
    return 0;
}

/* atom := STRING+ (adjacent literals concatenate in the parser) */
static int cpython_parse_atom(cpython_parser *p, cpython_node *out) {
    memset(out, 0, sizeof *out);
    out->origin = CPYTHON_ORIGIN_LITERAL;
    out->props.name_chars = true;
    int tokens = 0;
    while (cpython_at_string(p)) {
        const char *body = NULL;
        size_t body_len = 0;
        bool fstr = false;
        if (cpython_parse_string_token(p, &body, &body_len, &fstr) != 0)
            return -1;
        if (cpython_literal_walk(p, body, body_len, fstr, cpython_props_fn,
                                 &out->props) != 0)
            return -1;
        if (tokens++ == 0 && !fstr) {
            out->lit = body;
            out->lit_len = body_len;
        } else {
            out->lit = NULL;
        }
        cpython_skip_space(p);
    }
    if (tokens == 0)
        return cpython_fail(p, "expected a string literal");
    return 0;
}

/* The state of a % format walk. Invariant: placeholders counts the %s
 * consumed; pieces counts what was written (literal runs and operands),
 * so "%s" alone has pieces == 1 and placeholders == 1. */
typedef struct cpython_format {
    const cpython_str_props *arg;
    cpython_str_props result;
    bool pending_percent;
    int placeholders;
    int literal_chars;
} cpython_format;

static int cpython_format_fn(cpython_parser *p, void *ctx, uint32_t cp) {
    cpython_format *f = ctx;
    if (f->pending_percent) {
        f->pending_percent = false;
        if (cp == '%') {
            cpython_props_add(&f->result, '%');
            f->literal_chars++;
        } else if (cp == 's') {
            if (f->placeholders++ > 0)
                return cpython_fail(p, "one %%s per format is modelled");
            cpython_props_concat(&f->result, f->arg);
        } else {
            return cpython_fail(p, "only %%s and %%%% are modelled");
        }
    } else if (cp == '%') {
        f->pending_percent = true;
    } else {
        cpython_props_add(&f->result, cp);
        f->literal_chars++;
    }
    return 0;
}

/* product := atom (('*' INT) | ('%' atom))* */
static int cpython_parse_product(cpython_parser *p, cpython_node *out) {
    const cpython_version *v = p->v;
    if (cpython_parse_atom(p, out) != 0)
        return -1;
    for (;;) {
        cpython_skip_space(p);
        if (cpython_accept(p, "*")) {
            cpython_skip_space(p);
            long long n;
            bool neg;
            if (cpython_parse_int(p, &n, &neg) != 0)
                return -1;
            bool constant = out->origin != CPYTHON_ORIGIN_RUNTIME;
            size_t chars = cpython_repeat_chars(out->props.chars, n);
            if (constant && chars <= v->repeat_fold_max) {
                out->origin = CPYTHON_ORIGIN_FOLDED;
            } else if (n == 1) {
                /* at run time S * 1 is S itself */
            } else {
                out->origin = CPYTHON_ORIGIN_RUNTIME;
            }
            if (chars == 0)
                out->props.name_chars = true;
            out->props.chars = chars;
            out->lit = NULL;
        } else if (cpython_accept(p, "%")) {
            cpython_skip_space(p);
            cpython_node arg;
            if (cpython_parse_atom(p, &arg) != 0)
                return -1;
            if (!out->lit)
                return cpython_fail(p, "%% needs a plain literal format");
            cpython_format f;
            memset(&f, 0, sizeof f);
            f.arg = &arg.props;
            f.result.name_chars = true;
            if (cpython_literal_walk(p, out->lit, out->lit_len, false,
                                     cpython_format_fn, &f) != 0)
                return -1;
            if (f.pending_percent || f.placeholders != 1)
                return cpython_fail(p, "a format needs exactly one %%s");
            /* % never folds; at run time "%s" % X is X itself */
            if (f.literal_chars == 0) {
                *out = arg;
            } else {
                memset(out, 0, sizeof *out);
                out->origin = CPYTHON_ORIGIN_RUNTIME;
                out->props = f.result;
            }
            out->lit = NULL;
        } else {
            return 0;
        }
    }
}

/* sum := product ('+' product)* ; + of two constants folds, no limit */
static int cpython_parse_sum(cpython_parser *p, cpython_node *out) {
    if (cpython_parse_product(p, out) != 0)
        return -1;
    while (cpython_accept(p, "+")) {
        cpython_skip_space(p);
        cpython_node rhs;
        if (cpython_parse_product(p, &rhs) != 0)
            return -1;
        bool constant = out->origin != CPYTHON_ORIGIN_RUNTIME &&
                        rhs.origin != CPYTHON_ORIGIN_RUNTIME;
        cpython_props_concat(&out->props, &rhs.props);
        out->origin = constant ? CPYTHON_ORIGIN_FOLDED : CPYTHON_ORIGIN_RUNTIME;
        out->lit = NULL;
    }
    return 0;
}

static int cpython_parse_name_probe(cpython_parser *p, cpython_node *out) {
    static const char prefix[] = "(lambda:";
    static const char suffix[] = ").__code__.co_names[0]";
    if (!cpython_accept(p, prefix))
        return cpython_fail(p, "expected (lambda: NAME)");
    cpython_skip_space(p);
    memset(out, 0, sizeof *out);
    out->origin = CPYTHON_ORIGIN_NAME;
    out->props.name_chars = true;
    const unsigned char *u = (const unsigned char *)p->src;
    while (p->pos < p->len && p->src[p->pos] != ')') {
        size_t before = p->pos;
        uint32_t cp = cpython_decode_next(u, p->len, &p->pos);
        if (cp < 0x80 && !cpython_cp_name_char(cp)) {
            p->pos = before;
            return cpython_fail(p, "a name may not hold '%c'", (char)cp);
        }
        cpython_props_add(&out->props, cp);
    }
    if (out->props.chars == 0)
        return cpython_fail(p, "empty name");
    if (!cpython_accept(p, suffix))
        return cpython_fail(p, "expected %s", suffix);
    return 0;
}

static void cpython_answer_of(const cpython_version *v, const cpython_node *n,
                              cpython_answer *out) {
    if (n->is_int) {
        bool cached = cpython_model_int_cached(v, n->ival);
        out->separate = cached;
        out->unit = cached || n->origin == CPYTHON_ORIGIN_LITERAL ||
                    (n->origin == CPYTHON_ORIGIN_FOLDED && v->folded_merged);
        out->interned = -1;
        return;
    }
    bool single = cpython_props_singleton(&n->props);
    bool interned;
    switch (n->origin) {
    case CPYTHON_ORIGIN_NAME:
        interned = true;
        break;
    case CPYTHON_ORIGIN_LITERAL:
    case CPYTHON_ORIGIN_FOLDED:
        interned = n->props.name_chars; /* rule 1, for folded results too */
        break;
    default:
        interned = false; /* run-time strings are never interned */
        break;
    }
    out->separate = interned || single;
    out->unit = out->separate || n->origin == CPYTHON_ORIGIN_LITERAL ||
                (n->origin == CPYTHON_ORIGIN_FOLDED && v->folded_merged);
    out->interned = out->separate ? 1 : 0;
}

int cpython_model_eval(const cpython_version *v, const char *src, size_t len,
                       cpython_answer *out, char *err, size_t errlen) {
    cpython_parser p = {v, src, len, 0, err, errlen, false};
    cpython_node node;
    if (errlen > 0)
        err[0] = '\0';
    cpython_skip_space(&p);
    if (p.pos < len && p.src[p.pos] == '(') {
        if (cpython_parse_name_probe(&p, &node) != 0)
            return -1;
    } else if (p.pos < len && (p.src[p.pos] == '-' ||
                               (p.src[p.pos] >= '0' && p.src[p.pos] <= '9'))) {
        bool neg;
        memset(&node, 0, sizeof node);
        node.is_int = true;
        if (cpython_parse_int(&p, &node.ival, &neg) != 0)
            return -1;
        /* -N is the constant N negated by the optimizer */
        node.origin = neg ? CPYTHON_ORIGIN_FOLDED : CPYTHON_ORIGIN_LITERAL;
    } else if (cpython_parse_sum(&p, &node) != 0) {
        return -1;
    }
    cpython_skip_space(&p);
    if (p.pos != len)
        return cpython_fail(&p, "unexpected text after the expression");
    cpython_answer_of(v, &node, out);
    return 0;
}
