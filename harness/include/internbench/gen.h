/* gen.h: seeded case generators, identical on every machine.
 *
 * A gen_spec says how many strings to make and how; gen_run calls a
 * function for each string in order. Every random draw comes from
 * xoshiro256** seeded through splitmix64 (no rand(), no libm: the Zipf
 * weights use exp and log written here with + - * / only), so a spec and
 * a seed give the same bytes everywhere.
 *
 * The stream: U = count - round_down(count * dup) unique strings (at least
 * one when count > 0), each first appearing in the order it was made; the
 * other count - U positions repeat an earlier string, chosen by rank
 * (rank 0 = the first string made) with probability proportional to
 * 1 / (rank + 1)^zipf among the strings made so far (zipf 0: uniform).
 * Whether a position is new or a repeat is drawn so that the totals are
 * exact: new with probability (news left) / (positions left).
 *
 * A unique string is: [one of prefix_count shared prefixes of
 * prefix_depth characters] + a body whose length is drawn from the length
 * distribution + [under flood: a suffix of a few [A-Za-z0-9_] characters
 * chosen so that the 64-bit FNV-1a hash of the whole string is equal to a
 * target modulo 2^flood_bits]. Strings are redrawn until distinct.
 *
 * Alphabets: ident (first character [A-Za-z_], then [A-Za-z0-9_]),
 * printable (ASCII 0x20..0x7E), utf8 (code points of 1 to 4 bytes from
 * Latin, Greek, CJK and emoji blocks; length counts bytes, exactly),
 * binary (any byte; the case is written with "encoding: bytes"). */
#ifndef INTERN_GEN_H
#define INTERN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internbench/case.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gen_alphabet {
    GEN_ALPHABET_IDENT,
    GEN_ALPHABET_PRINTABLE,
    GEN_ALPHABET_UTF8,
    GEN_ALPHABET_BINARY,
} gen_alphabet;

typedef enum gen_length_kind {
    GEN_LENGTH_FIXED,   /* "fixed:L" */
    GEN_LENGTH_UNIFORM, /* "uniform:MIN..MAX" */
    GEN_LENGTH_LIST,    /* "list:A,B,C" each equally likely */
    GEN_LENGTH_CORPUS,  /* "corpus:CASE" the lengths of a case's strings */
} gen_length_kind;

#define GEN_LENGTH_LIST_MAX 16
#define GEN_NAME_MAX        128
#define GEN_FLOOD_BITS_MAX  20

/* One generator configuration. Ratios are fixed-point so that a spec
 * prints and parses back exactly: dup_ppm is the duplicate ratio in
 * millionths, zipf_milli the Zipf exponent in thousandths. */
typedef struct gen_spec {
    char name[GEN_NAME_MAX]; /* the named case it came from, or "" */
    uint64_t seed;
    uint64_t count;
    gen_alphabet alphabet;
    gen_length_kind length;
    uint32_t len_min, len_max; /* fixed: len_min == len_max */
    uint32_t len_list[GEN_LENGTH_LIST_MAX];
    size_t len_list_count;
    char corpus[GEN_NAME_MAX]; /* corpus: the case as named in the spec */
    const char *corpus_path;   /* where to read it (not part of the spec);
                                  NULL: corpus is a path */
    uint32_t dup_ppm;
    uint32_t zipf_milli;
    uint32_t prefix_depth;
    uint32_t prefix_count;
    uint32_t flood_bits; /* 0: no flood; else 1..GEN_FLOOD_BITS_MAX */
} gen_spec;

/* seed 1, count 1000, ident, uniform 1..16, no duplicates, no prefix. */
void gen_spec_init(gen_spec *s);
/* Sets one parameter from text, as the command line gives it: "seed",
 * "count", "alphabet", "length", "dup", "zipf", "prefix-depth",
 * "prefix-count", "flood-bits". false with a message in msg on a bad
 * key or value. Counts accept 1e6 as well as 1000000. */
bool gen_spec_set(gen_spec *s, const char *key, const char *value, char *msg,
                  size_t msg_cap);
/* A count as gen_spec_set and the commands read it: decimal digits, or
 * a form like "1e6" or "2.5e3" that names an integer; at most max.
 * false when text is anything else. */
bool gen_parse_count(const char *text, uint64_t max, uint64_t *out);
/* Checks the parameters together; false with a message. */
bool gen_spec_check(const gen_spec *s, char *msg, size_t msg_cap);
/* The spec as command-line options ("--count 1000 --alphabet ident ...")
 * that gen_spec_set reads back; returns the length needed (snprintf
 * style). */
size_t gen_spec_format(const gen_spec *s, char *buf, size_t cap);
/* The exact number of unique strings the spec produces. */
uint64_t gen_spec_unique(const gen_spec *s);
/* "identifier" for the ident alphabet without flood suffix issues,
 * "non-identifier" otherwise (the kind header). */
const char *gen_spec_kind(const gen_spec *s);

/* A named case: fixed parameters defined in gen.c. */
typedef struct gen_named {
    const char *name;
    const char *summary;
    const char *options; /* as gen_spec_set reads them: "count=1e6 ..." */
} gen_named;

const gen_named *gen_named_all(size_t *count);
/* Fills s from a named case; false if the name is unknown. */
bool gen_spec_from_name(gen_spec *s, const char *name);

/* Called for each string; a non-zero return stops gen_run. */
typedef int (*gen_emit_fn)(void *ctx, const void *bytes, size_t len);

/* Runs the generator. CASE_OK; CASE_ERR_NOMEM; CASE_ERR_USAGE for a spec
 * that cannot be met (too few distinct strings of that length); the
 * corpus's own errors; CASE_ERR_IO when emit stopped the run. err (may
 * be NULL) receives the message. */
case_status gen_run(const gen_spec *s, gen_emit_fn emit, void *ctx,
                    case_error *err);

/* The digest of the strings the spec makes, in order, duplicates
 * included: XXH64 (seed 0) over each string preceded by its length as 8
 * bytes little-endian (as vector_digest_add). */
case_status gen_digest(const gen_spec *s, uint64_t *digest, case_error *err);

/* Where corpus:CASE is read from when CASE has no '/': a file of that
 * name in the current directory, else CASES_DIR/CASE.case (written to
 * buf, which must outlive the runs, and set as s->corpus_path). Does
 * nothing for other length kinds. */
void gen_spec_find_corpus(gen_spec *s, const char *cases_dir, char *buf,
                          size_t cap);

/* Writes the whole case, header included, to out. */
case_status gen_write_case(const gen_spec *s, FILE *out, const char *out_name,
                           case_error *err);

/* The PRNG, exposed for tests: xoshiro256** seeded by splitmix64. */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;
void gen_rng_seed(gen_rng *r, uint64_t seed);
uint64_t gen_rng_next(gen_rng *r);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t gen_rng_below(gen_rng *r, uint64_t n);

#ifdef __cplusplus
}
#endif

#endif
