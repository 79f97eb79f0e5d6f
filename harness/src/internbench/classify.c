/* classify.c: the string classes, as PCRE2 patterns (see
 * internbench/classify.h).
 *
 * py_identifier: PCRE2 10.42 has no XID_Start / XID_Continue properties,
 * so the pattern builds them from general categories as Unicode defines
 * them (UAX #31):
 *   ID_Start    = L + Nl + Other_ID_Start (U+1885, U+1886, U+2118, U+212E,
 *                 U+309B, U+309C), minus Pattern_Syntax/White_Space
 *   ID_Continue = ID_Start + Mn + Mc + Nd + Pc + Other_ID_Continue
 *                 (U+00B7, U+0387, U+1369..U+1371, U+19DA)
 *   XID_*       = ID_* minus the code points whose NFKC form breaks the
 *                 closure: listed below by hand for Unicode 14 (the
 *                 version of PCRE2 10.42 and of Python 3.11). U+309B and
 *                 U+309C are ID_Start but not XID_Start, so they are left
 *                 out; U+2E2F (Lm, Pattern_Syntax) is excluded.
 * No NFKC normalization is done: Python's parser normalizes identifiers
 * first, so a source identifier that is only valid after NFKC is not a
 * py_identifier here. For every single code point the class equals
 * Python 3.11's str.isidentifier() (test_classify checks it against
 * vectors/classify/xid-14.0.0.txt, recorded from that interpreter).
 */
#include "internbench/classify.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "intern/alloc.h"
#include "internbench/case.h"

/* Code points that general categories put in ID_Start but that XID_Start
 * leaves out (NFKC closure), or that are Pattern_Syntax (U+2E2F). */
#define CLASSIFY_NOT_XID_START                                                 \
    "\\x{37A}\\x{E33}\\x{EB3}\\x{2E2F}\\x{FC5E}-\\x{FC63}\\x{FDFA}\\x{FDFB}"   \
    "\\x{FE70}\\x{FE72}\\x{FE74}\\x{FE76}\\x{FE78}\\x{FE7A}\\x{FE7C}"          \
    "\\x{FE7E}\\x{FF9E}\\x{FF9F}"
/* The same for XID_Continue (U+0E33, U+0EB3, U+FF9E, U+FF9F continue). */
#define CLASSIFY_NOT_XID_CONTINUE                                              \
    "\\x{37A}\\x{2E2F}\\x{FC5E}-\\x{FC63}\\x{FDFA}\\x{FDFB}\\x{FE70}"          \
    "\\x{FE72}\\x{FE74}\\x{FE76}\\x{FE78}\\x{FE7A}\\x{FE7C}\\x{FE7E}"
#define CLASSIFY_ID_START "\\p{L}\\p{Nl}_\\x{1885}\\x{1886}\\x{2118}\\x{212E}"
#define CLASSIFY_ID_CONTINUE                                                   \
    CLASSIFY_ID_START "\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}\\x{B7}\\x{387}"            \
                      "\\x{1369}-\\x{1371}\\x{19DA}"

/* One pattern. cls is the class it decides, or, for the two helpers of
 * py_identifier, the class it vetoes (role). utf: compiled with PCRE2_UTF
 * and run only on valid UTF-8; whole: must match the whole string (else
 * the string need only hold a match; anchored: at its start).
 * Every pattern is one character class with a possessive or no
 * repetition, so matching never backtracks and never needs more than a
 * constant stack or heap, however long the string. */
typedef enum classify_role {
    CLASSIFY_ROLE_DECIDES, /* a match puts the string in cls */
    CLASSIFY_ROLE_VETOES,  /* a match takes the string out of cls */
} classify_role;

typedef struct classify_pattern_def {
    classify_class cls;
    classify_role role;
    const char *pattern;
    bool utf;
    bool whole;
    bool anchored;
} classify_pattern_def;

static const classify_pattern_def classify_defs[] = {
    {CLASSIFY_ASCII, CLASSIFY_ROLE_DECIDES, "[\\x00-\\x7F]*+", false, true,
     true},
    {CLASSIFY_NAME_CHARS, CLASSIFY_ROLE_DECIDES, "[A-Za-z0-9_]*+", false, true,
     true},
    {CLASSIFY_IDENTIFIER, CLASSIFY_ROLE_DECIDES, "[A-Za-z_][A-Za-z0-9_]*+",
     false, true, true},
    /* ID_Start ID_Continue*, then vetoes for what XID leaves out */
    {CLASSIFY_PY_IDENTIFIER, CLASSIFY_ROLE_DECIDES,
     "[" CLASSIFY_ID_START "][" CLASSIFY_ID_CONTINUE "]*+", true, true, true},
    {CLASSIFY_PY_IDENTIFIER, CLASSIFY_ROLE_VETOES,
     "[" CLASSIFY_NOT_XID_START "]", true, false, true},
    {CLASSIFY_PY_IDENTIFIER, CLASSIFY_ROLE_VETOES,
     "[" CLASSIFY_NOT_XID_CONTINUE "]", true, false, false},
    {CLASSIFY_LATIN1_CHAR, CLASSIFY_ROLE_DECIDES, "[\\x{00}-\\x{FF}]", true,
     true, true},
    {CLASSIFY_DIGITS, CLASSIFY_ROLE_DECIDES, "[0-9]++", false, true, true},
    {CLASSIFY_NUMBER, CLASSIFY_ROLE_DECIDES,
     "[+-]?+(?:(?:[0-9]++(?:\\.[0-9]*+)?+|\\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+"
     "|0[xX][0-9A-Fa-f]++)",
     false, true, true},
    {CLASSIFY_SPACE, CLASSIFY_ROLE_DECIDES, "[ \\t\\n\\r\\x0B\\x0C]", false,
     false, false},
    {CLASSIFY_CONTROL, CLASSIFY_ROLE_DECIDES, "[\\x00-\\x1F\\x7F]", false,
     false, false},
};

#define CLASSIFY_PATTERN_COUNT (sizeof classify_defs / sizeof classify_defs[0])

static const char *const classify_names[CLASSIFY_COUNT] = {
    "empty",      "ascii",         "utf8",        "binary", "name_chars",
    "identifier", "py_identifier", "latin1_char", "digits", "number",
    "space",      "control",       "nul",
};

static const char *const classify_summaries[CLASSIFY_COUNT] = {
    "no bytes",
    "every byte below 0x80",
    "valid UTF-8",
    "not valid UTF-8",
    "ASCII [A-Za-z0-9_]*: CPython interns such constants",
    "ASCII [A-Za-z_][A-Za-z0-9_]*",
    "PEP 3131 identifier (XID_Start XID_Continue*, no NFKC)",
    "one code point U+0000..U+00FF: a CPython singleton",
    "ASCII [0-9]+",
    "number-like: [+-]digits[.digits][e[+-]digits] or 0x hex",
    "holds ASCII whitespace",
    "holds an ASCII control character or DEL",
    "holds a NUL byte",
};

/* Every compiled pattern and the match data they share. Invariant: when
 * the set exists every code[i] is compiled, and jit is true only when
 * every pattern was JIT-compiled; all memory (the JIT's executable pages
 * aside) came from alloc through gctx. */
struct classify_set {
    const intern_allocator *alloc;
    pcre2_general_context *gctx;
    pcre2_compile_context *cctx;
    pcre2_code *code[CLASSIFY_PATTERN_COUNT];
    pcre2_match_data *match;
    bool jit;
    char jit_note[128];
};

static void *classify_pcre2_malloc(size_t size, void *ctx) {
    const intern_allocator *a = ctx;
    return a->malloc(a->ctx, size);
}

static void classify_pcre2_free(void *ptr, void *ctx) {
    const intern_allocator *a = ctx;
    a->free(a->ctx, ptr);
}

static void classify_message(char *message, size_t cap, const char *fmt,
                             const char *arg) {
    if (message && cap > 0)
        snprintf(message, cap, fmt, arg);
}

void classify_set_destroy(classify_set *set) {
    if (!set)
        return;
    for (size_t i = 0; i < CLASSIFY_PATTERN_COUNT; i++)
        pcre2_code_free(set->code[i]);
    pcre2_match_data_free(set->match);
    pcre2_compile_context_free(set->cctx);
    pcre2_general_context_free(set->gctx);
    set->alloc->free(set->alloc->ctx, set);
}

/* Compiles pattern i into set->code[i], then JIT-compiles it while the
 * JIT works (a pattern the JIT fails runs on the interpreter, and the
 * set notes why). */
static classify_status classify_compile(classify_set *set, size_t i,
                                        char *message, size_t cap) {
    const classify_pattern_def *d = &classify_defs[i];
    uint32_t options = d->utf ? PCRE2_UTF | PCRE2_UCP : 0;
    if (d->whole)
        options |= PCRE2_ENDANCHORED;
    if (d->anchored)
        options |= PCRE2_ANCHORED;
    int errcode;
    PCRE2_SIZE erroffset;
    set->code[i] = pcre2_compile((PCRE2_SPTR)d->pattern, PCRE2_ZERO_TERMINATED,
                                 options, &errcode, &erroffset, set->cctx);
    if (!set->code[i]) {
        if (message && cap > 0) {
            PCRE2_UCHAR text[160];
            pcre2_get_error_message(errcode, text, sizeof text);
            snprintf(message, cap, "pattern %s: %s at %zu",
                     classify_names[d->cls], (const char *)text,
                     (size_t)erroffset);
        }
        return errcode == PCRE2_ERROR_HEAP_FAILED ? CLASSIFY_ENOMEM
                                                  : CLASSIFY_EPATTERN;
    }
    int rc = set->jit ? pcre2_jit_compile(set->code[i], PCRE2_JIT_COMPLETE) : 0;
    if (rc != 0) {
        PCRE2_UCHAR text[80];
        pcre2_get_error_message(rc, text, sizeof text);
        snprintf(set->jit_note, sizeof set->jit_note, "JIT compile failed: %s",
                 (const char *)text);
        set->jit = false;
    }
    return CLASSIFY_OK;
}

/* An empty set whose PCRE2 contexts allocate through alloc, or NULL. */
static classify_set *classify_set_alloc(const intern_allocator *alloc) {
    classify_set *set = alloc->malloc(alloc->ctx, sizeof *set);
    if (!set)
        return NULL;
    memset(set, 0, sizeof *set);
    set->alloc = alloc;
    set->gctx = pcre2_general_context_create(
        classify_pcre2_malloc, classify_pcre2_free, (void *)alloc);
    if (set->gctx)
        set->cctx = pcre2_compile_context_create(set->gctx);
    if (set->cctx)
        set->match = pcre2_match_data_create(1, set->gctx);
    if (!set->match) {
        classify_set_destroy(set);
        return NULL;
    }
    uint32_t have_jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &have_jit);
    set->jit = have_jit != 0;
    if (!have_jit)
        snprintf(set->jit_note, sizeof set->jit_note,
                 "this PCRE2 was built without JIT");
    return set;
}

classify_status classify_set_create(classify_set **out,
                                    const intern_allocator *alloc,
                                    char *message, size_t cap) {
    *out = NULL;
    classify_set *set = classify_set_alloc(alloc ? alloc : &intern_alloc_libc);
    if (!set) {
        classify_message(message, cap, "%s", "out of memory");
        return CLASSIFY_ENOMEM;
    }
    for (size_t i = 0; i < CLASSIFY_PATTERN_COUNT; i++) {
        classify_status st = classify_compile(set, i, message, cap);
        if (st != CLASSIFY_OK) {
            classify_set_destroy(set);
            return st;
        }
    }
    *out = set;
    return CLASSIFY_OK;
}

bool classify_set_jit(const classify_set *set) {
    return set->jit;
}

void classify_set_describe(const classify_set *set, char *buf, size_t cap) {
    char version[64] = "?", unicode[32] = "?", target[96] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, version);
    pcre2_config(PCRE2_CONFIG_UNICODE_VERSION, unicode);
    uint32_t have_jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &have_jit);
    if (have_jit)
        pcre2_config(PCRE2_CONFIG_JITTARGET, target);
    if (set->jit)
        snprintf(buf, cap, "PCRE2 %s, Unicode %s, JIT (%s)", version, unicode,
                 target);
    else
        snprintf(buf, cap, "PCRE2 %s, Unicode %s, interpreter (%s)", version,
                 unicode, set->jit_note);
}

bool classify_utf8_valid(const void *bytes, size_t len) {
    return case_utf8_valid(bytes, len, NULL);
}

classify_status classify_string(classify_set *set, const void *bytes,
                                size_t len, classify_mask *out) {
    classify_mask m = 0;
    bool utf8 = classify_utf8_valid(bytes, len);
    if (len == 0)
        m |= 1u << CLASSIFY_EMPTY;
    m |= 1u << (utf8 ? CLASSIFY_UTF8 : CLASSIFY_BINARY);
    if (memchr(bytes, 0, len))
        m |= 1u << CLASSIFY_NUL;
    /* a NULL subject is allowed by PCRE2 only with length 0 from 10.43 */
    PCRE2_SPTR subject = len ? (PCRE2_SPTR)bytes : (PCRE2_SPTR) "";
    classify_mask vetoed = 0;
    for (size_t i = 0; i < CLASSIFY_PATTERN_COUNT; i++) {
        const classify_pattern_def *d = &classify_defs[i];
        if (d->utf && !utf8)
            continue;
        /* a veto matters only once its class matched (defs come after) */
        if (d->role == CLASSIFY_ROLE_VETOES && !(m & (1u << d->cls)))
            continue;
        int rc = pcre2_match(set->code[i], subject, len, 0,
                             d->utf ? PCRE2_NO_UTF_CHECK : 0, set->match, NULL);
        if (rc >= 0) {
            if (d->role == CLASSIFY_ROLE_DECIDES)
                m |= 1u << d->cls;
            else
                vetoed |= 1u << d->cls;
        } else if (rc == PCRE2_ERROR_NOMEMORY) {
            return CLASSIFY_ENOMEM;
        } else if (rc != PCRE2_ERROR_NOMATCH) {
            return CLASSIFY_EMATCH;
        }
    }
    m &= ~vetoed;
    *out = m;
    return CLASSIFY_OK;
}

const char *classify_class_name(classify_class c) {
    return (unsigned)c < CLASSIFY_COUNT ? classify_names[c] : "?";
}

int classify_class_from_name(const char *name) {
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        if (strcmp(classify_names[c], name) == 0)
            return c;
    return -1;
}

const char *classify_class_summary(classify_class c) {
    return (unsigned)c < CLASSIFY_COUNT ? classify_summaries[c] : "?";
}

void classify_counts_init(classify_counts *c) {
    memset(c, 0, sizeof *c);
}

void classify_counts_add(classify_counts *c, classify_mask mask, size_t len) {
    c->strings++;
    c->bytes += len;
    for (int k = 0; k < CLASSIFY_COUNT; k++)
        if (mask & (1u << k)) {
            c->count[k]++;
            c->bytes_of[k] += len;
        }
}
