/* cpython.c: the CPython sharing model (see internbench/cpython.h).
 *
 * Written from the rules in CPYTHON.md and the vectors recorded on
 * CPython 3.6 to 3.13; no CPython code is used. Where the recorded vectors
 * refine CPYTHON.md (vectors/README.md lists the places), the vectors win.
 *
 * The evaluator follows each value's object, not only its text: whether it
 * is a constant the optimizer may still fold, whether every compilation
 * shares it (interned, singleton, cached int), and otherwise where it
 * lives (made at run time; a constant of its own; a constant of the top
 * code object or of a nested one). Two results in one unit are one object
 * when they are shared or are the same merged constant. The byte-level
 * functions build the same values, so they answer by the same rules. */
#include "internbench/cpython.h"
#include "internbench/case.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The static identifier objects that interning prefers to the singletons
 * of these characters (recorded: Debian's 3.11.2 and 3.11.7 agree). */
#define CPYTHON_STATIC_311 "BCLST_abcdefhijklmnopqrstvwxy"
#define CPYTHON_STATIC_312 "_abcdenprsx"

#define CPYTHON_V(nm, mi, imax, fold, rec, fstr, nest, statics)                \
    {                                                                          \
        .name = nm, .major = 3, .minor = mi, .small_int_min = -5,              \
        .small_int_max = imax, .repeat_fold_max = fold,                        \
        .folded_merged = mi >= 7, .recorded = rec, .fstring_folds = fstr,      \
        .nested_merged = nest, .async_keywords = mi >= 7,                      \
        .static_chars = statics, .int_max_digits = mi >= 7 ? 4300 : 0          \
    }

static const cpython_version cpython_version_table[] = {
    CPYTHON_V("3.6", 6, 256, 20, true, true, false, ""),
    CPYTHON_V("3.7", 7, 256, 4096, true, false, false, ""),
    CPYTHON_V("3.8", 8, 256, 4096, true, false, true, ""),
    CPYTHON_V("3.9", 9, 256, 4096, true, false, true, ""),
    CPYTHON_V("3.10", 10, 256, 4096, true, false, true, ""),
    CPYTHON_V("3.11", 11, 256, 4096, true, false, true, CPYTHON_STATIC_311),
    CPYTHON_V("3.12", 12, 256, 4096, true, false, true, CPYTHON_STATIC_312),
    CPYTHON_V("3.13", 13, 256, 4096, true, false, true, ""),
    /* CPython's main branch: the small-int cache reaches 1024. */
    CPYTHON_V("3.15", 15, 1024, 4096, false, false, true, ""),
};

#define CPYTHON_VERSION_COUNT                                                  \
    (sizeof cpython_version_table / sizeof cpython_version_table[0])

/* Results longer than this are refused: CPython needs gigabytes for them,
 * or raises MemoryError or OverflowError, and no probe comes near. */
#define CPYTHON_MAX_CHARS ((size_t)1 << 31)
/* Brackets and calls nested deeper are refused, so that the recursive
 * parser's stack stays small whatever the input. */
#define CPYTHON_MAX_NESTING 64

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

/* What the model needs of a string value, without holding its bytes.
 * Invariant: first is the first code point when chars > 0; name_chars and
 * ascii are true when every code point is in [A-Za-z0-9_], resp. below
 * U+0080 (so both are true for the empty string). */
typedef struct cpython_str_props {
    size_t chars;
    bool name_chars;
    bool ascii;
    uint32_t first;
} cpython_str_props;

static const cpython_str_props cpython_empty_props = {0, true, true, 0};

static void cpython_props_add(cpython_str_props *pr, uint32_t cp) {
    if (pr->chars == 0)
        pr->first = cp;
    pr->chars++;
    pr->name_chars = pr->name_chars && cpython_cp_name_char(cp);
    pr->ascii = pr->ascii && cp < 0x80;
}

static void cpython_props_concat(cpython_str_props *a,
                                 const cpython_str_props *b) {
    if (a->chars == 0)
        a->first = b->first;
    a->chars = a->chars > SIZE_MAX - b->chars ? SIZE_MAX : a->chars + b->chars;
    a->name_chars = a->name_chars && b->name_chars;
    a->ascii = a->ascii && b->ascii;
}

static cpython_str_props cpython_props_of(const void *s, size_t len) {
    cpython_str_props pr = cpython_empty_props;
    size_t i = 0;
    while (i < len)
        cpython_props_add(&pr, cpython_decode_next(s, len, &i));
    return pr;
}

/* Rule 1: the compiler interns a string constant made of name characters
 * (all_name_chars to 3.12, should_intern_string in 3.13), any length. */
static bool cpython_rule_interned(const cpython_version *v,
                                  const cpython_str_props *pr) {
    (void)v; /* the same in every modelled version */
    return pr->name_chars;
}

/* Rule 3: the empty string and one code point up to U+00FF are singletons
 * wherever CPython's string builders end in unicode_result(). */
static bool cpython_rule_singleton(const cpython_str_props *pr) {
    return pr->chars == 0 || (pr->chars == 1 && pr->first <= 0xFF);
}

/* Is the singleton of this value the interned instance? Not where a static
 * identifier object of the same value was interned first (3.11, 3.12). */
static bool cpython_singleton_interned(const cpython_version *v,
                                       const cpython_str_props *pr) {
    if (pr->chars == 0)
        return true;
    return !(pr->first > 0 && pr->first < 0x80 &&
             strchr(v->static_chars, (int)pr->first) != NULL);
}

bool cpython_model_name_chars(const void *s, size_t len) {
    const unsigned char *p = s;
    for (size_t i = 0; i < len; i++)
        if (!cpython_cp_name_char(p[i]))
            return false;
    return true;
}

size_t cpython_model_str_chars(const void *s, size_t len) {
    return cpython_props_of(s, len).chars;
}

bool cpython_model_singleton(const void *s, size_t len) {
    cpython_str_props pr = cpython_props_of(s, len);
    return cpython_rule_singleton(&pr);
}

bool cpython_model_literal_interned(const cpython_version *v, const void *s,
                                    size_t len) {
    cpython_str_props pr = cpython_props_of(s, len);
    return cpython_rule_interned(v, &pr);
}

/* The result length of S * count, saturated at SIZE_MAX. */
static size_t cpython_repeat_chars(size_t operand_chars, long long count) {
    if (count <= 0 || operand_chars == 0)
        return 0;
    if ((unsigned long long)count > SIZE_MAX / operand_chars)
        return SIZE_MAX;
    return operand_chars * (size_t)count;
}

/* 3.7's safe_multiply, and what 3.6's peephole does too: an empty operand
 * folds whatever the count, a negative count never folds. */
bool cpython_model_repeat_folds(const cpython_version *v, size_t operand_chars,
                                long long count) {
    if (operand_chars == 0)
        return true;
    if (count < 0)
        return false;
    return cpython_repeat_chars(operand_chars, count) <= v->repeat_fold_max;
}

bool cpython_model_int_cached(const cpython_version *v, long long n) {
    return n >= v->small_int_min && n <= v->small_int_max;
}

/* ------------------------------------------------------------ values */

/* Where an object lives, which decides who else holds the very same one
 * when it is not shared by every compilation. */
typedef enum cpython_home {
    CPYTHON_HOME_FRESH,  /* made when the code ran: nobody else holds it */
    CPYTHON_HOME_OWN,    /* a constant of its own (3.6 appends each fold) */
    CPYTHON_HOME_CODE,   /* a constant of the top code object, merged with
                            every equal constant there */
    CPYTHON_HOME_NESTED, /* a constant of a nested code object (a lambda);
                            merged across the unit from 3.8 */
} cpython_home;

/* One evaluated sub-expression. Invariants: props describes a string's
 * value (and is unused for an int); shared means every compilation gets
 * this very object (an interned string, a singleton, a cached int),
 * whatever home says; interned is meaningful for strings only; foldable
 * is true only for a compile-time constant that the optimizer may fold
 * further; fmt_len > 0 only for a STRING+ atom (parenthesised or not),
 * whose source [fmt_at, fmt_at + fmt_len) % reads as its format. */
typedef struct cpython_value {
    bool is_int;
    long long ival; /* saturated beyond a long long */
    size_t digits;  /* an int's decimal digits */
    cpython_str_props props;
    bool foldable;
    bool shared;
    bool interned;
    cpython_home home;
    size_t fmt_at;
    size_t fmt_len;
} cpython_value;

/* A string constant of the code being compiled, in home. */
static void cpython_value_const(const cpython_version *v, cpython_value *out,
                                const cpython_str_props *pr,
                                cpython_home home) {
    bool interned = cpython_rule_interned(v, pr);
    memset(out, 0, sizeof *out);
    out->props = *pr;
    out->shared = interned || cpython_rule_singleton(pr);
    out->interned = interned || (cpython_rule_singleton(pr) &&
                                 cpython_singleton_interned(v, pr));
    out->home = home;
    out->foldable = true;
}

/* A string built at run time. Builders that end in unicode_result()
 * (formatting, concatenation, repetition) give the singleton of a short
 * enough result; str() of an int and upper()/lower() give a new object
 * for a one-character result too, and the singleton only when empty. */
static void cpython_value_runtime(const cpython_version *v, cpython_value *out,
                                  const cpython_str_props *pr,
                                  bool one_char_singleton) {
    bool single =
        pr->chars == 0 || (one_char_singleton && cpython_rule_singleton(pr));
    memset(out, 0, sizeof *out);
    out->props = *pr;
    out->home = CPYTHON_HOME_FRESH;
    out->shared = single;
    out->interned = single && cpython_singleton_interned(v, pr);
}

/* The operation returned its operand unchanged, at run time: the same
 * object, but no longer a constant the optimizer sees. */
static void cpython_value_same(cpython_value *out, const cpython_value *same) {
    cpython_value tmp = *same;
    tmp.foldable = false;
    tmp.fmt_len = 0;
    *out = tmp;
}

static void cpython_answer_of(const cpython_version *v, const cpython_value *x,
                              cpython_answer *out) {
    out->separate = x->shared;
    out->unit = x->shared || x->home == CPYTHON_HOME_CODE ||
                (x->home == CPYTHON_HOME_NESTED && v->nested_merged);
    out->interned = x->is_int ? -1 : x->interned ? 1 : 0;
}

/* ------------------------------------------------------------ parser */

/* The parser's state. Invariants: pos <= len; err is set once, by the
 * first error; depth counts the lambda bodies around pos, nesting every
 * open bracket (at most CPYTHON_MAX_NESTING). */
typedef struct cpython_parser {
    const cpython_version *v;
    const char *src;
    size_t len;
    size_t pos;
    int depth;
    int nesting;
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

static cpython_home cpython_const_home(const cpython_parser *p) {
    return p->depth > 0 ? CPYTHON_HOME_NESTED : CPYTHON_HOME_CODE;
}

/* The constant a fold makes. same: the operand the operation returned
 * unchanged (S * 1, S + "", "" + S), or NULL. From 3.7 (AST folding) the
 * result is an ordinary constant, merged with its equals; 3.6's peephole
 * appends each result as a constant of its own, unless the operation
 * returned its operand, which stays the object it was. */
static void cpython_value_folded(cpython_parser *p, cpython_value *out,
                                 const cpython_str_props *pr,
                                 const cpython_value *same) {
    if (p->v->folded_merged) {
        cpython_value_const(p->v, out, pr, cpython_const_home(p));
    } else if (same) {
        cpython_value tmp = *same;
        tmp.fmt_len = 0;
        *out = tmp; /* still a constant: foldable as before */
    } else {
        cpython_value_const(p->v, out, pr, CPYTHON_HOME_OWN);
    }
}

static int cpython_need_str(cpython_parser *p, const cpython_value *x,
                            const char *op) {
    if (x->is_int)
        return cpython_fail(p, "%s on an int is not modelled", op);
    return 0;
}

static int cpython_check_size(cpython_parser *p, size_t chars) {
    if (chars > CPYTHON_MAX_CHARS)
        return cpython_fail(p, "a result of more than 2^31 code points is "
                               "not modelled (CPython needs gigabytes, or "
                               "raises MemoryError or OverflowError)");
    return 0;
}

/* x * n. At run time unicode_repeat returns its operand for n == 1 and
 * the empty singleton for n <= 0. */
static int cpython_repeat(cpython_parser *p, cpython_value *x, long long n) {
    if (cpython_need_str(p, x, "*") != 0)
        return -1;
    size_t chars = cpython_repeat_chars(x->props.chars, n);
    if (cpython_check_size(p, chars) != 0)
        return -1;
    cpython_str_props pr = x->props;
    pr.chars = chars;
    if (chars == 0)
        pr = cpython_empty_props;
    if (x->foldable && cpython_model_repeat_folds(p->v, x->props.chars, n))
        cpython_value_folded(p, x, &pr, n == 1 ? x : NULL);
    else if (n == 1)
        cpython_value_same(x, x);
    else
        cpython_value_runtime(p->v, x, &pr, true);
    return 0;
}

/* a + b. PyUnicode_Concat returns one operand unchanged when the other is
 * empty (the left one is looked at first); + of constants folds with no
 * length limit in every version. */
static int cpython_concat(cpython_parser *p, cpython_value *a,
                          const cpython_value *b) {
    if (cpython_need_str(p, a, "+") != 0 || cpython_need_str(p, b, "+") != 0)
        return -1;
    cpython_str_props pr = a->props;
    cpython_props_concat(&pr, &b->props);
    if (cpython_check_size(p, pr.chars) != 0)
        return -1;
    const cpython_value *same = a->props.chars == 0   ? b
                                : b->props.chars == 0 ? a
                                                      : NULL;
    if (a->foldable && b->foldable)
        cpython_value_folded(p, a, &pr, same);
    else if (same)
        cpython_value_same(a, same);
    else
        cpython_value_runtime(p->v, a, &pr, true);
    return 0;
}

/* ------------------------------------------------------------ tokens */

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

/* The escapes with one fixed meaning, "\\" and the quotes included. */
static int cpython_simple_escape(char e) {
    static const char from[] = "\\'\"abfnrtv";
    static const char to[] = {'\\', '\'', '"', 7, 8, 12, 10, 13, 9, 11};
    const char *hit = e ? strchr(from, e) : NULL;
    return hit ? to[hit - from] : -1;
}

/* \xHH, \uHHHH, \UHHHHHHHH: digits hex digits at s[*i]. */
static int cpython_hex_escape(cpython_parser *p, const char *s, size_t len,
                              size_t *i, size_t digits, uint32_t *cp) {
    if (len - *i < digits)
        return cpython_fail(p, "truncated escape");
    *cp = 0;
    for (size_t k = 0; k < digits; k++) {
        int h = case_hex_digit((unsigned char)s[*i + k]);
        if (h < 0)
            return cpython_fail(p, "bad hex escape");
        *cp = *cp * 16 + (uint32_t)h;
    }
    if (*cp > 0x10FFFF)
        return cpython_fail(p, "escape beyond U+10FFFF");
    *i += digits;
    return 1;
}

/* Decodes the escape at s[*i] == '\\' by Python's rules for str literals.
 * Returns 1 with *cp set and *i past the escape, 0 for a line
 * continuation, -1 on an error. An unknown escape keeps its backslash:
 * *cp is '\\' and *i moves past the backslash only. */
static int cpython_escape(cpython_parser *p, const char *s, size_t len,
                          size_t *i, uint32_t *cp) {
    if (*i + 1 >= len)
        return cpython_fail(p, "truncated escape");
    char e = s[*i + 1];
    int simple = cpython_simple_escape(e);
    if (simple >= 0) {
        *cp = (uint32_t)simple;
        *i += 2;
        return 1;
    }
    if (e == '\n') {
        *i += 2;
        return 0;
    }
    if (e == 'x' || e == 'u' || e == 'U') {
        *i += 2;
        return cpython_hex_escape(p, s, len, i,
                                  e == 'x'   ? 2
                                  : e == 'u' ? 4
                                             : 8,
                                  cp);
    }
    if (e >= '0' && e <= '7') {
        *i += 2;
        *cp = (uint32_t)(e - '0');
        for (int k = 0; k < 2 && *i < len && s[*i] >= '0' && s[*i] <= '7'; k++)
            *cp = *cp * 8 + (uint32_t)(s[(*i)++] - '0');
        return 1;
    }
    if (e == 'N')
        return cpython_fail(p, "\\N{...} is not modelled");
    *cp = '\\';
    (*i)++;
    return 1;
}

/* One raw character of a literal's body. CPython reads the source as
 * UTF-8 text: a NUL, a lone surrogate or an ill-formed byte is an error,
 * and a CR ends the line (so ends the literal too soon). */
static int cpython_source_char(cpython_parser *p, const char *s, size_t len,
                               size_t *i, uint32_t *cp) {
    size_t before = *i;
    *cp = cpython_decode_next((const unsigned char *)s, len, i);
    if (*cp == 0)
        return cpython_fail(p, "a NUL in the source");
    if (*cp == '\r')
        return cpython_fail(p, "a CR in a string literal");
    if (*cp >= 0xD800 && *cp <= 0xDFFF)
        return cpython_fail(p, *i == before + 1 ? "invalid UTF-8 in the source"
                                                : "a surrogate in the source");
    return 1;
}

/* Calls fn for each code point of the literal body s[0..len) (the text
 * between the quotes), decoding Python's escapes; in an f-string, {{ and
 * }} are braces and a field is an error. Returns 0 or -1. */
typedef int (*cpython_cp_fn)(cpython_parser *p, void *ctx, uint32_t cp);

static int cpython_literal_walk(cpython_parser *p, const char *s, size_t len,
                                bool fstring, cpython_cp_fn fn, void *ctx) {
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        int r;
        if (s[i] == '\\') {
            r = cpython_escape(p, s, len, &i, &cp);
        } else if (fstring && (s[i] == '{' || s[i] == '}')) {
            if (i + 1 >= len || s[i + 1] != s[i])
                return cpython_fail(p, "f-string fields are not modelled");
            cp = (unsigned char)s[i];
            i += 2;
            r = 1;
        } else {
            r = cpython_source_char(p, s, len, &i, &cp);
        }
        if (r < 0 || (r > 0 && fn(p, ctx, cp) != 0))
            return -1;
    }
    return 0;
}

static int cpython_props_fn(cpython_parser *p, void *ctx, uint32_t cp) {
    (void)p;
    cpython_props_add(ctx, cp);
    return 0;
}

static bool cpython_at_string(const cpython_parser *p) {
    size_t i = p->pos;
    if (i < p->len && (p->src[i] == 'f' || p->src[i] == 'F'))
        i++;
    return i < p->len && p->src[i] == '"';
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

/* Walks every token of the STRING+ run [at, at + span) with fn. */
static int cpython_span_walk(cpython_parser *p, size_t at, size_t span,
                             cpython_cp_fn fn, void *ctx) {
    size_t save_pos = p->pos, save_len = p->len;
    int rc = 0;
    p->pos = at;
    p->len = at + span;
    while (rc == 0 && p->pos < p->len) {
        const char *body = NULL;
        size_t body_len = 0;
        bool fstr = false;
        rc = cpython_parse_string_token(p, &body, &body_len, &fstr);
        if (rc == 0)
            rc = cpython_literal_walk(p, body, body_len, fstr, fn, ctx);
        cpython_skip_space(p);
    }
    p->pos = save_pos;
    p->len = save_len;
    return rc;
}

/* STRING+: adjacent literals, which the parser joins into one. Sets the
 * value's props, the run's source span and whether an f-string is in it. */
static int cpython_parse_strings(cpython_parser *p, cpython_str_props *pr,
                                 size_t *at, size_t *span, bool *has_f) {
    *pr = cpython_empty_props;
    *at = p->pos;
    *span = 0;
    *has_f = false;
    while (cpython_at_string(p)) {
        const char *body = NULL;
        size_t body_len = 0;
        bool fstr = false;
        if (cpython_parse_string_token(p, &body, &body_len, &fstr) != 0)
            return -1;
        if (cpython_literal_walk(p, body, body_len, fstr, cpython_props_fn,
                                 pr) != 0)
            return -1;
        *has_f = *has_f || fstr;
        *span = p->pos - *at;
        cpython_skip_space(p);
    }
    if (*span == 0)
        return cpython_fail(p, "expected a string literal");
    return 0;
}

/* The state of a % format walk. Invariant: placeholders counts the %s
 * consumed, literal_chars the characters the format itself writes (%%
 * included), so "%s" alone has literal_chars == 0, placeholders == 1. */
typedef struct cpython_fmt_state {
    const cpython_str_props *arg;
    cpython_str_props result;
    bool pending_percent;
    int placeholders;
    size_t literal_chars;
} cpython_fmt_state;

static int cpython_format_fn(cpython_parser *p, void *ctx, uint32_t cp) {
    cpython_fmt_state *f = ctx;
    if (f->pending_percent) {
        f->pending_percent = false;
        if (cp == '%') {
            cpython_props_add(&f->result, '%');
            f->literal_chars++;
        } else if (cp == 's') {
            if (f->placeholders++ > 0)
                return cpython_fail(p, "not enough arguments for the format");
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

/* fmt % arg. % never folds on strings; at run time PyUnicode_Format hands
 * back the argument itself when the format is exactly "%s". */
static int cpython_format(cpython_parser *p, cpython_value *fmt,
                          const cpython_value *arg) {
    if (cpython_need_str(p, fmt, "%") != 0 ||
        cpython_need_str(p, arg, "%") != 0)
        return -1;
    if (fmt->fmt_len == 0)
        return cpython_fail(p, "%% needs a string literal as its format");
    cpython_fmt_state f;
    memset(&f, 0, sizeof f);
    f.arg = &arg->props;
    f.result = cpython_empty_props;
    if (cpython_span_walk(p, fmt->fmt_at, fmt->fmt_len, cpython_format_fn,
                          &f) != 0)
        return -1;
    if (f.pending_percent)
        return cpython_fail(p, "incomplete format");
    if (f.placeholders != 1)
        return cpython_fail(p, "not all arguments converted");
    if (cpython_check_size(p, f.result.chars) != 0)
        return -1;
    if (f.literal_chars == 0)
        cpython_value_same(fmt, arg);
    else
        cpython_value_runtime(p->v, fmt, &f.result, true);
    return 0;
}

/* ------------------------------------------------------------ grammar */

/* An INT as written. Invariant: digits counts the digits written (no
 * leading zeros unless the value is 0); when overflow is set the
 * magnitude does not fit in a long long and value is saturated. */
typedef struct cpython_int_lit {
    long long value;
    bool neg;
    bool overflow;
    size_t digits;
} cpython_int_lit;

/* INT := ['-'] digits */
static int cpython_parse_int(cpython_parser *p, cpython_int_lit *out) {
    memset(out, 0, sizeof *out);
    if (p->pos < p->len && p->src[p->pos] == '-') {
        out->neg = true;
        p->pos++;
        cpython_skip_space(p);
    }
    size_t start = p->pos;
    long long n = 0;
    while (p->pos < p->len && p->src[p->pos] >= '0' && p->src[p->pos] <= '9') {
        int d = p->src[p->pos++] - '0';
        out->overflow = out->overflow || n > (LLONG_MAX - d) / 10;
        n = out->overflow ? LLONG_MAX : n * 10 + d;
    }
    out->digits = p->pos - start;
    if (out->digits == 0)
        return cpython_fail(p, "expected an integer");
    if (p->src[start] == '0' && n != 0)
        return cpython_fail(p, "leading zeros in an integer are a syntax "
                               "error");
    if (p->pos < p->len &&
        (cpython_cp_name_char((unsigned char)p->src[p->pos]) ||
         p->src[p->pos] == '.'))
        return cpython_fail(p, "only plain decimal integers are modelled");
    if (n == 0)
        out->digits = 1;
    out->value = out->neg ? -n : n;
    return 0;
}

/* An int constant: a literal is a constant of its code object; 3.6's
 * peephole makes -N a constant of its own, 3.7's AST optimizer an ordinary
 * one. */
static int cpython_parse_int_atom(cpython_parser *p, cpython_value *out) {
    cpython_int_lit lit;
    memset(out, 0, sizeof *out);
    if (cpython_parse_int(p, &lit) != 0)
        return -1;
    if (p->v->int_max_digits && lit.digits > p->v->int_max_digits)
        return cpython_fail(p,
                            "an int of more than %zu digits (CPython "
                            "raises SyntaxError: int_max_str_digits)",
                            p->v->int_max_digits);
    out->is_int = true;
    out->ival = lit.value;
    out->digits = lit.digits;
    out->shared = !lit.overflow && cpython_model_int_cached(p->v, lit.value);
    out->home = lit.neg && !p->v->folded_merged ? CPYTHON_HOME_OWN
                                                : cpython_const_home(p);
    out->foldable = true;
    return 0;
}

/* The non-ASCII letters a modelled name may hold: Latin-1 letters, Greek,
 * Cyrillic and CJK ideographs, all XID_Start in every Unicode version the
 * recorded interpreters use and left alone by NFKC. Other code points are
 * refused, not guessed. */
static bool cpython_name_letter(uint32_t cp) {
    return (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) ||
           (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x410 && cp <= 0x44F) ||
           (cp >= 0x4E00 && cp <= 0x9FA5);
}

static int cpython_check_keyword(cpython_parser *p, const char *name,
                                 size_t len) {
    static const char *const words[] = {
        "False", "None",   "True",     "and",   "as",     "assert",
        "break", "class",  "continue", "def",   "del",    "elif",
        "else",  "except", "finally",  "for",   "from",   "global",
        "if",    "import", "in",       "is",    "lambda", "nonlocal",
        "not",   "or",     "pass",     "raise", "return", "try",
        "while", "with",   "yield",    "async", "await"};
    size_t n = sizeof words / sizeof words[0];
    if (!p->v->async_keywords)
        n -= 2; /* async and await are names on 3.6 */
    for (size_t k = 0; k < n; k++)
        if (strlen(words[k]) == len && memcmp(words[k], name, len) == 0)
            return cpython_fail(p, "'%s' is a keyword, not a name", words[k]);
    if (len == 9 && memcmp(name, "__debug__", 9) == 0)
        return cpython_fail(p, "__debug__ compiles to a constant, not a name");
    return 0;
}

/* NAME at p->pos; on success *end is the offset just past it. */
static int cpython_scan_name(cpython_parser *p, cpython_str_props *pr,
                             size_t *end) {
    const unsigned char *u = (const unsigned char *)p->src;
    size_t i = p->pos;
    *pr = cpython_empty_props;
    while (i < p->len) {
        size_t before = i;
        uint32_t cp = cpython_decode_next(u, p->len, &i);
        bool ok =
            cp < 0x80 ? cpython_cp_name_char(cp) : cpython_name_letter(cp);
        if (!ok) {
            i = before;
            break;
        }
        cpython_props_add(pr, cp);
    }
    *end = i;
    if (pr->chars == 0)
        return cpython_fail(p, "expected a name");
    return 0;
}

/* After '(lambda:' and spaces: NAME ').__code__.co_names[0]', if that is
 * what follows. Returns 1 with *out set, 0 (pos unchanged) when it is not
 * a name probe, -1 on an error. */
static int cpython_parse_name_probe(cpython_parser *p, cpython_value *out) {
    static const char suffix[] = ").__code__.co_names[0]";
    size_t start = p->pos, end;
    cpython_str_props pr;
    if (p->pos >= p->len || cpython_at_string(p))
        return 0;
    unsigned char c = (unsigned char)p->src[p->pos];
    if (!(c >= 0x80 || cpython_cp_name_char(c)))
        return 0;
    if (c >= '0' && c <= '9')
        return 0; /* an int: the lambda's body */
    if (cpython_scan_name(p, &pr, &end) != 0)
        return -1;
    p->pos = end;
    cpython_skip_space(p);
    if (!cpython_accept(p, suffix)) {
        p->pos = start;
        return 0;
    }
    if (cpython_check_keyword(p, p->src + start, end - start) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    out->props = pr;
    out->shared = out->interned = true; /* rule 2: names are interned */
    out->home = CPYTHON_HOME_FRESH;
    return 1;
}

static int cpython_parse_sum(cpython_parser *p, cpython_value *out);

/* STRING+ as a value: a constant. From 3.7 a run holding an f-string is a
 * JoinedStr node: compiled to the same constant, but never folded. */
static int cpython_parse_string_atom(cpython_parser *p, cpython_value *out) {
    cpython_str_props pr;
    size_t at, span;
    bool has_f;
    if (cpython_parse_strings(p, &pr, &at, &span, &has_f) != 0)
        return -1;
    if (cpython_check_size(p, pr.chars) != 0)
        return -1;
    cpython_value_const(p->v, out, &pr, cpython_const_home(p));
    out->foldable = !has_f || p->v->fstring_folds;
    out->fmt_at = at;
    out->fmt_len = span;
    return 0;
}

/* str(x): an int's decimal digits in a new object (even one digit); a
 * str argument comes back unchanged. */
static int cpython_parse_str_call(cpython_parser *p, cpython_value *out) {
    cpython_value arg;
    if (cpython_parse_sum(p, &arg) != 0)
        return -1;
    cpython_skip_space(p);
    if (!cpython_accept(p, ")"))
        return cpython_fail(p, "expected ')'");
    if (!arg.is_int) {
        cpython_value_same(out, &arg);
        return 0;
    }
    cpython_str_props pr = cpython_empty_props;
    if (arg.ival < 0)
        cpython_props_add(&pr, '-');
    for (size_t k = 0; k < arg.digits; k++)
        cpython_props_add(&pr, '1'); /* only the length matters */
    cpython_value_runtime(p->v, out, &pr, false);
    return 0;
}

/* '(lambda:' then a name probe or a body called at once. The body is
 * compiled into a nested code object; its value is a run-time result. */
static int cpython_parse_lambda(cpython_parser *p, cpython_value *out) {
    cpython_skip_space(p);
    int r = cpython_parse_name_probe(p, out);
    if (r != 0)
        return r < 0 ? -1 : 0;
    p->depth++;
    r = cpython_parse_sum(p, out);
    p->depth--;
    if (r != 0)
        return -1;
    cpython_skip_space(p);
    if (!cpython_accept(p, ")()"))
        return cpython_fail(p, "expected ')()' after the lambda's body");
    cpython_value_same(out, out);
    return 0;
}

static int cpython_parse_bracketed(cpython_parser *p, cpython_value *out) {
    if (++p->nesting > CPYTHON_MAX_NESTING)
        return cpython_fail(p, "nested too deeply");
    int r;
    if (cpython_accept(p, "(lambda:")) {
        r = cpython_parse_lambda(p, out);
    } else if (cpython_accept(p, "str(")) {
        r = cpython_parse_str_call(p, out);
    } else {
        p->pos++; /* '(' */
        cpython_skip_space(p);
        r = cpython_parse_sum(p, out);
        cpython_skip_space(p);
        if (r == 0 && !cpython_accept(p, ")"))
            r = cpython_fail(p, "expected ')'");
    }
    p->nesting--;
    return r;
}

static int cpython_parse_atom(cpython_parser *p, cpython_value *out) {
    char c = p->pos < p->len ? p->src[p->pos] : '\0';
    if (cpython_at_string(p))
        return cpython_parse_string_atom(p, out);
    if (c == '-' || (c >= '0' && c <= '9'))
        return cpython_parse_int_atom(p, out);
    if (c == '(' ||
        (p->len - p->pos >= 4 && memcmp(p->src + p->pos, "str(", 4) == 0))
        return cpython_parse_bracketed(p, out);
    return cpython_fail(p, "expected a string, an int, '(' or str(");
}

/* postfix := atom ('.upper()' | '.lower()')*. ASCII case mapping builds a
 * new string of the same length: a one-character result is not the
 * singleton. Non-ASCII case mapping is not modelled. */
static int cpython_parse_postfix(cpython_parser *p, cpython_value *out) {
    if (cpython_parse_atom(p, out) != 0)
        return -1;
    while (cpython_accept(p, ".upper()") || cpython_accept(p, ".lower()")) {
        if (cpython_need_str(p, out, "upper()/lower()") != 0)
            return -1;
        if (!out->props.ascii)
            return cpython_fail(p, "upper()/lower() of non-ASCII text is "
                                   "not modelled");
        cpython_str_props pr = out->props;
        cpython_value_runtime(p->v, out, &pr, false);
    }
    return 0;
}

/* product := postfix (('*' INT) | ('%' postfix))* */
static int cpython_parse_product(cpython_parser *p, cpython_value *out) {
    if (cpython_parse_postfix(p, out) != 0)
        return -1;
    for (;;) {
        cpython_skip_space(p);
        if (cpython_accept(p, "*")) {
            cpython_skip_space(p);
            cpython_int_lit n;
            if (cpython_parse_int(p, &n) != 0)
                return -1;
            if (n.overflow)
                return cpython_fail(p, "a count beyond 2^63 (CPython raises "
                                       "OverflowError)");
            if (cpython_repeat(p, out, n.value) != 0)
                return -1;
        } else if (cpython_accept(p, "%")) {
            cpython_skip_space(p);
            cpython_value arg;
            if (cpython_parse_postfix(p, &arg) != 0 ||
                cpython_format(p, out, &arg) != 0)
                return -1;
        } else {
            return 0;
        }
    }
}

/* sum := product ('+' product)* */
static int cpython_parse_sum(cpython_parser *p, cpython_value *out) {
    if (cpython_parse_product(p, out) != 0)
        return -1;
    for (;;) {
        cpython_skip_space(p);
        if (!cpython_accept(p, "+"))
            return 0;
        cpython_skip_space(p);
        cpython_value rhs;
        if (cpython_parse_product(p, &rhs) != 0 ||
            cpython_concat(p, out, &rhs) != 0)
            return -1;
    }
}

int cpython_model_eval(const cpython_version *v, const char *src, size_t len,
                       cpython_answer *out, char *err, size_t errlen) {
    cpython_parser p = {v, src, len, 0, 0, 0, err, errlen, false};
    cpython_value x;
    if (errlen > 0)
        err[0] = '\0';
    if (!v)
        return cpython_fail(&p, "no version");
    if (len > 0 && (src[0] == ' ' || src[0] == '\t'))
        return cpython_fail(&p, "leading whitespace (CPython raises "
                                "IndentationError)");
    if (cpython_parse_sum(&p, &x) != 0)
        return -1;
    cpython_skip_space(&p);
    if (p.pos != len)
        return cpython_fail(&p, "unexpected text after the expression");
    cpython_answer_of(v, &x, out);
    return 0;
}

/* ------------------------------------------------------------ bytes */

/* Literal strings with the given bytes, as the evaluator builds them. */
static cpython_value cpython_literal_of(const cpython_version *v, const void *s,
                                        size_t len) {
    cpython_value x;
    cpython_str_props pr = cpython_props_of(s, len);
    cpython_value_const(v, &x, &pr, CPYTHON_HOME_CODE);
    return x;
}

static cpython_answer cpython_literal_answer(const cpython_version *v,
                                             const void *s, size_t len) {
    cpython_answer a;
    cpython_value x = cpython_literal_of(v, s, len);
    cpython_answer_of(v, &x, &a);
    return a;
}

bool cpython_model_literal_identical_separate(const cpython_version *v,
                                              const void *s, size_t len) {
    return cpython_literal_answer(v, s, len).separate;
}

bool cpython_model_literal_identical_unit(const cpython_version *v,
                                          const void *s, size_t len) {
    return cpython_literal_answer(v, s, len).unit;
}

bool cpython_model_repeat_interned(const cpython_version *v, const void *s,
                                   size_t len, long long count) {
    cpython_parser p = {v, "", 0, 0, 0, 0, NULL, 0, false};
    cpython_value x = cpython_literal_of(v, s, len);
    return cpython_repeat(&p, &x, count) == 0 && x.interned;
}

/* The state of a literal_value walk. Invariant: n counts every byte of
 * the value so far, of which the first min(n, cap) are in buf. */
typedef struct cpython_value_buf {
    unsigned char *buf;
    size_t cap;
    size_t n;
} cpython_value_buf;

static void cpython_buf_put(cpython_value_buf *b, unsigned char c) {
    if (b->n < b->cap)
        b->buf[b->n] = c;
    b->n++;
}

static int cpython_encode_fn(cpython_parser *p, void *ctx, uint32_t cp) {
    cpython_value_buf *b = ctx;
    (void)p;
    if (cp < 0x80 || (cp >= 0xDC80 && cp <= 0xDCFF)) {
        cpython_buf_put(b, (unsigned char)(cp < 0x80 ? cp : cp - 0xDC00));
    } else if (cp < 0x800) {
        cpython_buf_put(b, (unsigned char)(0xC0 | (cp >> 6)));
        cpython_buf_put(b, (unsigned char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        cpython_buf_put(b, (unsigned char)(0xE0 | (cp >> 12)));
        cpython_buf_put(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        cpython_buf_put(b, (unsigned char)(0x80 | (cp & 0x3F)));
    } else {
        cpython_buf_put(b, (unsigned char)(0xF0 | (cp >> 18)));
        cpython_buf_put(b, (unsigned char)(0x80 | ((cp >> 12) & 0x3F)));
        cpython_buf_put(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        cpython_buf_put(b, (unsigned char)(0x80 | (cp & 0x3F)));
    }
    return 0;
}

int cpython_model_literal_value(const char *src, size_t len, char *buf,
                                size_t cap, size_t *out_len, char *err,
                                size_t errlen) {
    cpython_parser p = {NULL, src, len, 0, 0, 0, err, errlen, false};
    cpython_value_buf b = {(unsigned char *)buf, buf ? cap : 0, 0};
    cpython_str_props pr;
    size_t at, span;
    bool has_f;
    if (errlen > 0)
        err[0] = '\0';
    if (cpython_parse_strings(&p, &pr, &at, &span, &has_f) != 0)
        return -1;
    if (p.pos != len)
        return cpython_fail(&p, "not string literals only");
    if (cpython_span_walk(&p, at, span, cpython_encode_fn, &b) != 0)
        return -1;
    *out_len = b.n;
    return 0;
}
