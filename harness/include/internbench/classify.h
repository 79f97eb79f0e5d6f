/* classify.h: the string classes of a case, named by PCRE2 patterns.
 *
 * A classify_set holds every pattern, compiled once (with the JIT where
 * PCRE2 has it, else the interpreter) and matches any bytes safely:
 * patterns on bytes run in PCRE2's byte mode, and the Unicode patterns
 * run only on strings already found to be valid UTF-8.
 *
 * The classes (a string may be in several; each is a whole-string test):
 *   empty          no bytes
 *   ascii          every byte < 0x80 (the empty string included)
 *   utf8           valid UTF-8 (strict: no overlongs, surrogates, code
 *                  points above U+10FFFF, truncated sequences)
 *   binary         not valid UTF-8 (exactly the strings not in utf8)
 *   name_chars     ASCII [A-Za-z0-9_]*: CPython's rule for interning
 *                  string constants (the empty string included)
 *   identifier     ASCII [A-Za-z_][A-Za-z0-9_]*
 *   py_identifier  PEP 3131 without NFKC: XID_Start XID_Continue*,
 *                  approximated in PCRE2 10.42 (which has no XID
 *                  properties) as [\p{L}\p{Nl}_ + Other_ID_Start]
 *                  [\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc} + Other_ID_Start
 *                  + Other_ID_Continue]* minus the code points that
 *                  NFKC closure removes from XID (U+037A, U+0E33, ...);
 *                  see classify.c. Equal to Python's str.isidentifier()
 *                  for every code point when both use the same Unicode
 *                  version (checked against vectors/classify/xid-*.txt)
 *   latin1_char    exactly one code point U+0000..U+00FF (valid UTF-8):
 *                  a CPython singleton with the empty string
 *   digits         ASCII [0-9]+
 *   number         number-like: decimal integer or float with optional
 *                  sign and exponent, or 0x hex
 *   space          holds an ASCII space, tab, LF, CR, VT or FF
 *   control        holds an ASCII control (0x00-0x1F) or DEL
 *   nul            holds a NUL byte
 */
#ifndef INTERN_CLASSIFY_H
#define INTERN_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intern/intern.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum classify_class {
    CLASSIFY_EMPTY = 0,
    CLASSIFY_ASCII,
    CLASSIFY_UTF8,
    CLASSIFY_BINARY,
    CLASSIFY_NAME_CHARS,
    CLASSIFY_IDENTIFIER,
    CLASSIFY_PY_IDENTIFIER,
    CLASSIFY_LATIN1_CHAR,
    CLASSIFY_DIGITS,
    CLASSIFY_NUMBER,
    CLASSIFY_SPACE,
    CLASSIFY_CONTROL,
    CLASSIFY_NUL,
    CLASSIFY_COUNT
} classify_class;

/* A set of classes, bit (1u << class) for each. */
typedef uint32_t classify_mask;

typedef enum classify_status {
    CLASSIFY_OK = 0,
    CLASSIFY_ENOMEM = -1,   /* an allocation failed */
    CLASSIFY_EPATTERN = -2, /* a pattern did not compile (a bug) */
    CLASSIFY_EMATCH = -3,   /* PCRE2 failed while matching (a limit) */
} classify_status;

typedef struct classify_set classify_set;

/* Compiles every pattern; memory from alloc (NULL: the C library's), the
 * JIT's executable memory aside. On failure *out is NULL, nothing is
 * held, and message (if not NULL, cap > 0) explains. */
classify_status classify_set_create(classify_set **out,
                                    const intern_allocator *alloc,
                                    char *message, size_t cap);
/* NULL is allowed. */
void classify_set_destroy(classify_set *set);
/* True when the patterns run JIT-compiled, false on the interpreter. */
bool classify_set_jit(const classify_set *set);
/* "PCRE2 10.42 2022-12-11, Unicode 14.0.0, JIT (x86 64bit (little endian
 * + unaligned))" or "..., interpreter (no JIT: ...)", into buf. */
void classify_set_describe(const classify_set *set, char *buf, size_t cap);

/* The classes of one string (any bytes). A set is not thread-safe: it
 * holds the match data its calls share. */
classify_status classify_string(classify_set *set, const void *bytes,
                                size_t len, classify_mask *out);

/* "empty", "ascii", ..., and back (-1 for an unknown name). */
const char *classify_class_name(classify_class c);
int classify_class_from_name(const char *name);
/* One line describing the class. */
const char *classify_class_summary(classify_class c);

/* Counts over many strings. Invariant: count[c] <= strings and
 * bytes_of[c] <= bytes for every class; count[UTF8] + count[BINARY] ==
 * strings. */
typedef struct classify_counts {
    uint64_t strings;
    uint64_t bytes;
    uint64_t count[CLASSIFY_COUNT];
    uint64_t bytes_of[CLASSIFY_COUNT];
} classify_counts;

void classify_counts_init(classify_counts *c);
void classify_counts_add(classify_counts *c, classify_mask mask, size_t len);

/* Strict UTF-8 validity (see utf8 above). */
bool classify_utf8_valid(const void *bytes, size_t len);

#ifdef __cplusplus
}
#endif

#endif
