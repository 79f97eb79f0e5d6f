/* cpython.h: a model of when CPython shares string and int objects.
 *
 * For a CPython version the model answers: is a string literal interned,
 * is a string a shared singleton, does "S" * N fold at compile time, is an
 * int cached, and, for a small expression language (the probes of
 * vectors/cpython/VERSION.tsv), are two separately compiled results one
 * object, are two results in one compilation unit one object, and is the
 * result the interned instance. The rules come from vectors recorded on
 * real interpreters (vectors/record-cpython.py); see vectors/README.md
 * for where they refine the project's notes on CPython (CPYTHON.md).
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
 * folding are merged with equal constants of the same compilation unit
 * (AST-level folding, 3.7 on) and false when each folded occurrence stays
 * a separate object (the 3.6 peephole optimizer). */
typedef struct cpython_version {
    const char *name; /* "3.6" ... "3.13", "3.15" */
    int major;
    int minor;
    long small_int_min;     /* -5 */
    long small_int_max;     /* 256; 1024 for the 3.15 variant */
    size_t repeat_fold_max; /* 20 (3.6) or 4096 (3.7 on) */
    bool folded_merged;
    bool recorded; /* vectors were recorded from a real interpreter */
} cpython_version;

/* Every modelled version, oldest first; *count receives the number. */
const cpython_version *cpython_versions(size_t *count);
/* The version named "3.11" etc., or NULL. */
const cpython_version *cpython_version_find(const char *name);

/* Rule 1 (all versions): every byte in [A-Za-z0-9_]; the empty string
 * passes. */
bool cpython_model_name_chars(const void *s, size_t len);
/* Is a string constant with these bytes interned when compiled? */
bool cpython_model_literal_interned(const cpython_version *v, const void *s,
                                    size_t len);
/* Empty, or exactly one code point U+0000..U+00FF: one shared object. */
bool cpython_model_singleton(const void *s, size_t len);
/* The length in code points, as Python's len() counts it. */
size_t cpython_model_str_chars(const void *s, size_t len);
/* Does "S" * count, S of operand_chars code points, fold at compile time? */
bool cpython_model_repeat_folds(const cpython_version *v, size_t operand_chars,
                                long long count);
/* Is the result of the constant expression S * count interned? */
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

/* Evaluates a probe expression (Python source, UTF-8) under v. The
 * language, the probes' own:
 *   expr    := INT | NAMEPROBE | sum
 *   sum     := product ('+' product)*
 *   product := atom (('*' INT) | ('%' atom))*
 *   atom    := STRING+            adjacent literals concatenate
 *   STRING  := ["f"|"F"] '"' ... '"'   Python escapes; f-strings without
 *                                      fields only; % supports %s and %%
 *   INT     := ['-'] digits
 *   NAMEPROBE := '(lambda: ' IDENT ').__code__.co_names[0]'
 * Returns 0 and fills *out, or -1 with a message in err (if errlen > 0)
 * for an expression outside the language. Allocates nothing. */
int cpython_model_eval(const cpython_version *v, const char *src, size_t len,
                       cpython_answer *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
