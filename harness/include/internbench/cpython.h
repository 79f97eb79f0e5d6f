/* cpython.h: a model of when CPython shares string and int objects.
 *
 * For a CPython version the model answers: is a string literal interned,
 * is a string constant a shared singleton, does "S" * N fold at compile
 * time, is an int cached, and, for a small expression language (the probes
 * of vectors/cpython/VERSION.tsv), are two separately compiled results one
 * object, are two results in one compilation unit one object, and is the
 * result the interned instance. The rules come from vectors recorded on
 * real interpreters (vectors/record-cpython.py); vectors/README.md says
 * where they refine the project's notes on CPython (CPYTHON.md) and what
 * the model does not cover.
 *
 * What the model covers: str and int values of the expression language of
 * cpython_model_eval, compiled from source by compile() and run once, on
 * the recorded versions (3.6 to 3.13, default builds) and the 3.15 variant.
 * What it does not: constants inside tuples and frozensets, bytes, names
 * set with setattr(), code loaded from .pyc files (marshal), co_filename
 * (interned from 3.13), object lifetimes (immortality on 3.12 and 3.13),
 * other run-time string paths (slicing, str.replace, join, ...), 2.7,
 * 3.14, and free-threaded builds (which intern every string constant).
 *
 * Strings are passed as their UTF-8 bytes. A lone surrogate may appear in
 * its 3-byte encoding (as Python's "surrogatepass" writes it); any byte
 * that is not part of a well-formed sequence counts as one code point
 * U+DC80..U+DCFF (as Python's "surrogateescape" reads it), so every byte
 * string is a valid model string. */
#ifndef INTERN_CPYTHON_H
#define INTERN_CPYTHON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One modelled version. Invariants: small_int_min <= 0 <= small_int_max;
 * repeat_fold_max is the longest result, in code points, that compile-time
 * folding of "S" * N keeps; folded_merged is true when constants made by
 * folding are merged with equal constants of the same code object
 * (AST-level folding, 3.7 on) and false when each fold is a constant of
 * its own unless the operation returned its operand unchanged (the 3.6
 * peephole optimizer); static_chars is never NULL. */
typedef struct cpython_version {
    const char *name; /* "3.6" ... "3.13", "3.15" */
    int major;
    int minor;
    long small_int_min;     /* -5 */
    long small_int_max;     /* 256; 1024 for the 3.15 variant */
    size_t repeat_fold_max; /* 20 (3.6) or 4096 (3.7 on) */
    bool folded_merged;
    bool recorded; /* vectors were recorded from a real interpreter */
    /* An f-string without fields is an ordinary constant that folds with
     * its neighbours (3.6); from 3.7 it stays a JoinedStr node, which the
     * AST optimizer never folds. */
    bool fstring_folds;
    /* Equal constants of different code objects of one unit (a lambda's
     * and another lambda's) are merged (3.8 on). */
    bool nested_merged;
    /* async and await are keywords, not names (3.7 on). */
    bool async_keywords;
    /* ASCII characters whose one-character singleton is not the interned
     * instance: CPython also holds a static identifier object with that
     * value, and interning finds that one (3.11, 3.12). */
    const char *static_chars;
    /* The most digits a decimal int literal may have (4300 from 3.7.14,
     * 3.8.14, 3.9.14, 3.10.7 and 3.11: int_max_str_digits); 0: no limit
     * (3.6). */
    size_t int_max_digits;
} cpython_version;

/* Every modelled version, oldest first; *count receives the number. */
const cpython_version *cpython_versions(size_t *count);
/* The version named "3.11" etc., or NULL. */
const cpython_version *cpython_version_find(const char *name);

/* Rule 1 (all versions): every byte in [A-Za-z0-9_]; the empty string
 * passes. */
bool cpython_model_name_chars(const void *s, size_t len);
/* Is a string constant with these bytes interned when compiled? (rule 1:
 * ASCII name characters only, no length limit) */
bool cpython_model_literal_interned(const cpython_version *v, const void *s,
                                    size_t len);
/* Is a string CONSTANT with these bytes a singleton shared by every
 * compilation: empty, or exactly one code point U+0000..U+00FF? This holds
 * for literals, folded constants, and the results of +, * and % in the
 * language of cpython_model_eval. It does not hold for every string made
 * at run time: str(7), "a".upper() and "AB".replace("B", "") are new
 * one-character objects on every recorded version. */
bool cpython_model_singleton(const void *s, size_t len);
/* The length in code points, as Python's len() counts it. */
size_t cpython_model_str_chars(const void *s, size_t len);
/* Does "S" * count, S of operand_chars code points, fold at compile time?
 * An empty S always folds; a negative count never does; otherwise the
 * result must be at most repeat_fold_max code points. */
bool cpython_model_repeat_folds(const cpython_version *v, size_t operand_chars,
                                long long count);
/* Is the result of the expression "S" * count (S a literal) the interned
 * instance? False where CPython would raise (a count or a result too
 * large). */
bool cpython_model_repeat_interned(const cpython_version *v, const void *s,
                                   size_t len, long long count);
/* Is the int n a cached singleton? */
bool cpython_model_int_cached(const cpython_version *v, long long n);
/* Two equal string literals, each compiled by its own compile() call: one
 * object? (interned or singleton) */
bool cpython_model_literal_identical_separate(const cpython_version *v,
                                              const void *s, size_t len);
/* Two equal string literals in one compilation unit: one object? Always
 * true for plain literals (constants are merged). */
bool cpython_model_literal_identical_unit(const cpython_version *v,
                                          const void *s, size_t len);

/* The answers for one probe expression; interned is -1 where the result
 * is not a string. */
typedef struct cpython_answer {
    bool separate; /* two separately compiled results are one object */
    bool unit;     /* two results in one compilation unit are one object */
    int interned;  /* 1, 0, or -1: the result is the interned instance */
} cpython_answer;

/* Evaluates a probe expression (Python source, UTF-8) under v, compiled
 * in "eval" mode. The language, the probes' own:
 *   expr    := sum                     no leading whitespace
 *   sum     := product ('+' product)*
 *   product := postfix (('*' INT) | ('%' postfix))*
 *   postfix := atom ('.upper()' | '.lower()')*   ASCII strings only
 *   atom    := STRING+                 adjacent literals concatenate
 *            | INT
 *            | '(' sum ')'
 *            | '(lambda:' sum ')()'    evaluated in a nested code object
 *            | '(lambda:' NAME ').__code__.co_names[0]'
 *            | 'str(' sum ')'
 *   STRING  := ["f"|"F"] '"' ... '"'   Python escapes except \N{...};
 *                                      f-strings without fields only
 *   INT     := ['-'] digits            no leading zeros, at most
 *                                      int_max_digits
 *   NAME    := an identifier: ASCII, or Latin-1, Greek, Cyrillic and CJK
 *              letters (the non-ASCII letters NFKC leaves alone)
 * '+', '*' and '%' take strings (a '%' format is a STRING+ atom holding
 * one %s and any %%); int arithmetic is not modelled.
 * Returns 0 and fills *out, or -1 with a message in err (if errlen > 0)
 * for an expression outside the language. The language holds nothing
 * CPython rejects: a syntax error, or an expression that raises when it
 * runs, is refused too. Allocates nothing. */
int cpython_model_eval(const cpython_version *v, const char *src, size_t len,
                       cpython_answer *out, char *err, size_t errlen);

/* The value of src when src is string literals only (STRING+ above, plain
 * or f-strings without fields), as the bytes the byte-level functions
 * take: UTF-8, a lone surrogate U+DC80..U+DCFF as the one byte it stands
 * for (surrogateescape), other surrogates in their 3-byte form. Writes at
 * most cap bytes to buf and the full length to *out_len. Returns 0, or -1
 * with a message in err when src is anything else. Allocates nothing. */
int cpython_model_literal_value(const char *src, size_t len, char *buf,
                                size_t cap, size_t *out_len, char *err,
                                size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
