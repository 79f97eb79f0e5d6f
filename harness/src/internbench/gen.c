/* gen.c: seeded case generators (see internbench/gen.h). */
#include "internbench/gen.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "internbench/vector.h"

/* ---- PRNG ------------------------------------------------------------ */

static uint64_t gen_splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = gen_splitmix64(&x);
}

static inline uint64_t gen_rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_rng_next(gen_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

uint64_t gen_rng_below(gen_rng *r, uint64_t n) {
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = gen_rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

/* Uniform in [0, 1) with 53 random bits: exact on every machine. */
static double gen_rng_unit(gen_rng *r) {
    return (double)(gen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- exp and log from + - * / only ----------------------------------- */
/* frexp, ldexp and floor are exact, and the series use only correctly
 * rounded IEEE operations, so these give the same bits everywhere (they
 * are not libm's and need not be; they only shape the Zipf weights). */

#define GEN_LN2 0.69314718055994530942

static double gen_log(double x) { /* x > 0 */
    int e;
    double m = frexp(x, &e); /* x = m * 2^e, m in [0.5, 1) */
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e--;
    }
    double z = (m - 1.0) / (m + 1.0), z2 = z * z, term = z, sum = 0.0;
    for (int k = 1; k < 60; k += 2) {
        sum += term / k;
        term *= z2;
    }
    return 2.0 * sum + e * GEN_LN2;
}

static double gen_exp(double y) {
    double n = floor(y / GEN_LN2 + 0.5);
    double r = y - n * GEN_LN2, term = 1.0, sum = 1.0;
    for (int k = 1; k < 30; k++) {
        term *= r / k;
        sum += term;
    }
    return ldexp(sum, (int)n);
}

/* ---- spec ------------------------------------------------------------ */

void gen_spec_init(gen_spec *s) {
    memset(s, 0, sizeof *s);
    s->seed = 1;
    s->count = 1000;
    s->alphabet = GEN_ALPHABET_IDENT;
    s->length = GEN_LENGTH_UNIFORM;
    s->len_min = 1;
    s->len_max = 16;
    s->prefix_count = 1;
}

static const char *const gen_alphabet_names[] = {"ident", "printable", "utf8",
                                                 "binary"};

static bool gen_msg(char *msg, size_t cap, const char *fmt, ...) {
    if (msg && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool gen_parse_count(const char *v, uint64_t max, uint64_t *out) {
    uint64_t mant = 0, scale_down = 0;
    bool digits = false, dot = false;
    const char *p = v;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return false;
        if (mant > (UINT64_MAX - 9) / 10)
            return false;
        mant = mant * 10 + (uint64_t)(*p - '0');
        digits = true;
        if (dot)
            scale_down++;
    }
    if (!digits)
        return false;
    uint64_t exp10 = 0;
    if (*p) {
        p++;
        if (!*p)
            return false;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || exp10 > 100)
                return false;
            exp10 = exp10 * 10 + (uint64_t)(*p - '0');
        }
    }
    for (; scale_down > 0 && exp10 > 0; scale_down--, exp10--)
        ;
    for (; scale_down > 0; scale_down--) {
        if (mant % 10)
            return false;
        mant /= 10;
    }
    for (; exp10 > 0; exp10--) {
        if (mant > UINT64_MAX / 10)
            return false;
        mant *= 10;
    }
    if (mant > max)
        return false;
    *out = mant;
    return true;
}

/* A decimal fraction "0.85" into units of 1/denom (denom a power of ten);
 * false for more digits than denom holds. */
static bool gen_parse_fixed(const char *v, uint32_t denom, uint64_t max,
                            uint32_t *out) {
    uint64_t whole = 0, frac = 0, scale = denom;
    const char *p = v;
    bool digits = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        whole = whole * 10 + (uint64_t)(*p - '0');
        digits = true;
        if (whole > max)
            return false;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (scale == 1)
                return false;
            scale /= 10;
            frac += (uint64_t)(*p - '0') * scale;
            digits = true;
        }
    }
    if (*p || !digits)
        return false;
    uint64_t value = whole * denom + frac;
    if (value > max * denom)
        return false;
    *out = (uint32_t)value;
    return true;
}

/* "fixed:L" */
static bool gen_length_fixed(gen_spec *s, const char *v, const char *arg,
                             char *msg, size_t cap) {
    uint64_t a;
    if (!gen_parse_count(arg, UINT32_MAX / 2, &a))
        return gen_msg(msg, cap, "length '%s': bad number", v);
    s->length = GEN_LENGTH_FIXED;
    s->len_min = s->len_max = (uint32_t)a;
    return true;
}

/* "uniform:MIN..MAX" */
static bool gen_length_uniform(gen_spec *s, const char *v, const char *arg,
                               char *msg, size_t cap) {
    uint64_t a, b;
    char tmp[64];
    const char *dots = strstr(arg, "..");
    if (!dots || (size_t)(dots - arg) >= sizeof tmp)
        return gen_msg(msg, cap, "length '%s': want uniform:MIN..MAX", v);
    memcpy(tmp, arg, (size_t)(dots - arg));
    tmp[dots - arg] = '\0';
    if (!gen_parse_count(tmp, UINT32_MAX / 2, &a) ||
        !gen_parse_count(dots + 2, UINT32_MAX / 2, &b) || a > b)
        return gen_msg(msg, cap, "length '%s': want MIN <= MAX", v);
    s->length = GEN_LENGTH_UNIFORM;
    s->len_min = (uint32_t)a;
    s->len_max = (uint32_t)b;
    return true;
}

/* "list:A,B,C": the lengths, then their least and greatest. */
static bool gen_length_list(gen_spec *s, const char *v, const char *arg,
                            char *msg, size_t cap) {
    size_t n = 0;
    char tmp[64];
    for (const char *p = arg; *p;) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        uint64_t a;
        if (l == 0 || l >= sizeof tmp || n == GEN_LENGTH_LIST_MAX)
            return gen_msg(msg, cap, "length '%s': want 1 to %d numbers", v,
                           GEN_LENGTH_LIST_MAX);
        memcpy(tmp, p, l);
        tmp[l] = '\0';
        if (!gen_parse_count(tmp, UINT32_MAX / 2, &a))
            return gen_msg(msg, cap, "length '%s': bad number '%s'", v, tmp);
        s->len_list[n++] = (uint32_t)a;
        p += l + (end ? 1 : 0);
        if (end && !*p)
            return gen_msg(msg, cap, "length '%s': trailing comma", v);
    }
    if (n == 0)
        return gen_msg(msg, cap, "length '%s': empty list", v);
    s->length = GEN_LENGTH_LIST;
    s->len_list_count = n;
    s->len_min = s->len_max = s->len_list[0];
    for (size_t i = 1; i < n; i++) {
        if (s->len_list[i] < s->len_min)
            s->len_min = s->len_list[i];
        if (s->len_list[i] > s->len_max)
            s->len_max = s->len_list[i];
    }
    return true;
}

/* "corpus:CASE" */
static bool gen_length_corpus(gen_spec *s, const char *v, const char *arg,
                              char *msg, size_t cap) {
    if (!*arg || strlen(arg) >= sizeof s->corpus)
        return gen_msg(msg, cap, "length '%s': bad corpus name", v);
    s->length = GEN_LENGTH_CORPUS;
    strcpy(s->corpus, arg);
    return true;
}

static bool gen_parse_length(gen_spec *s, const char *v, char *msg,
                             size_t cap) {
    static const struct {
        const char *kind;
        bool (*parse)(gen_spec *s, const char *v, const char *arg, char *msg,
                      size_t cap);
    } kinds[] = {{"fixed", gen_length_fixed},
                 {"uniform", gen_length_uniform},
                 {"list", gen_length_list},
                 {"corpus", gen_length_corpus}};
    const char *colon = strchr(v, ':');
    if (!colon)
        return gen_msg(msg, cap,
                       "length '%s': want fixed:L, uniform:MIN..MAX, "
                       "list:A,B,.. or corpus:CASE",
                       v);
    size_t kl = (size_t)(colon - v);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i].kind) == kl && memcmp(v, kinds[i].kind, kl) == 0)
            return kinds[i].parse(s, v, colon + 1, msg, cap);
    return gen_msg(msg, cap, "length '%s': unknown kind '%.*s'", v, (int)kl, v);
}

bool gen_spec_set(gen_spec *s, const char *key, const char *value, char *msg,
                  size_t cap) {
    uint64_t n;
    uint32_t f;
    if (strcmp(key, "seed") == 0) {
        if (!gen_parse_count(value, UINT64_MAX, &n))
            return gen_msg(msg, cap, "seed '%s': want a number", value);
        s->seed = n;
    } else if (strcmp(key, "count") == 0) {
        if (!gen_parse_count(value, (uint64_t)1 << 40, &n))
            return gen_msg(msg, cap, "count '%s': want a number up to 2^40",
                           value);
        s->count = n;
    } else if (strcmp(key, "alphabet") == 0) {
        size_t i;
        for (i = 0; i < 4; i++)
            if (strcmp(value, gen_alphabet_names[i]) == 0)
                break;
        if (i == 4)
            return gen_msg(msg, cap,
                           "alphabet '%s': want ident, printable, utf8 or "
                           "binary",
                           value);
        s->alphabet = (gen_alphabet)i;
    } else if (strcmp(key, "length") == 0) {
        return gen_parse_length(s, value, msg, cap);
    } else if (strcmp(key, "dup") == 0) {
        if (!gen_parse_fixed(value, 1000000, 1, &f) || f >= 1000000)
            return gen_msg(msg, cap,
                           "dup '%s': want a ratio in [0, 1) with at most 6 "
                           "decimals",
                           value);
        s->dup_ppm = f;
    } else if (strcmp(key, "zipf") == 0) {
        if (!gen_parse_fixed(value, 1000, 100, &f))
            return gen_msg(msg, cap,
                           "zipf '%s': want an exponent in [0, 100] with at "
                           "most 3 decimals",
                           value);
        s->zipf_milli = f;
    } else if (strcmp(key, "prefix-depth") == 0) {
        if (!gen_parse_count(value, 1 << 20, &n))
            return gen_msg(msg, cap, "prefix-depth '%s': want 0..2^20", value);
        s->prefix_depth = (uint32_t)n;
    } else if (strcmp(key, "prefix-count") == 0) {
        if (!gen_parse_count(value, 1 << 20, &n) || n == 0)
            return gen_msg(msg, cap, "prefix-count '%s': want 1..2^20", value);
        s->prefix_count = (uint32_t)n;
    } else if (strcmp(key, "flood-bits") == 0) {
        if (!gen_parse_count(value, GEN_FLOOD_BITS_MAX, &n))
            return gen_msg(msg, cap, "flood-bits '%s': want 0..%d", value,
                           GEN_FLOOD_BITS_MAX);
        s->flood_bits = (uint32_t)n;
    } else {
        return gen_msg(msg, cap, "unknown generator parameter '%s'", key);
    }
    return true;
}

uint64_t gen_spec_unique(const gen_spec *s) {
    if (s->count == 0)
        return 0;
    uint64_t dups = s->count * s->dup_ppm / 1000000;
    uint64_t u = s->count - dups;
    return u ? u : 1;
}

bool gen_spec_check(const gen_spec *s, char *msg, size_t cap) {
    if (s->alphabet == GEN_ALPHABET_IDENT && s->flood_bits &&
        s->prefix_depth == 0 && s->len_min == 0 &&
        s->length != GEN_LENGTH_CORPUS)
        return gen_msg(msg, cap,
                       "an ident flood needs bodies of at least 1 character");
    if (s->prefix_count > 1 && s->prefix_depth == 0)
        return gen_msg(msg, cap, "prefix-count needs a prefix-depth");
    return true;
}

static size_t gen_format_fixed(char *buf, size_t cap, uint32_t v,
                               uint32_t denom) {
    char frac[16];
    uint32_t f = v % denom;
    int digits = denom == 1000 ? 3 : 6;
    if (!f)
        return (size_t)snprintf(buf, cap, "%u", v / denom);
    snprintf(frac, sizeof frac, "%0*u", digits, f);
    for (int i = digits - 1; i > 0 && frac[i] == '0'; i--)
        frac[i] = '\0';
    return (size_t)snprintf(buf, cap, "%u.%s", v / denom, frac);
}

size_t gen_spec_format(const gen_spec *s, char *buf, size_t cap) {
    char len[GEN_NAME_MAX + 200], dup[32], zipf[32];
    switch (s->length) {
    case GEN_LENGTH_FIXED:
        snprintf(len, sizeof len, "fixed:%u", s->len_min);
        break;
    case GEN_LENGTH_UNIFORM:
        snprintf(len, sizeof len, "uniform:%u..%u", s->len_min, s->len_max);
        break;
    case GEN_LENGTH_LIST: {
        size_t k = (size_t)snprintf(len, sizeof len, "list:");
        for (size_t i = 0; i < s->len_list_count && k < sizeof len; i++)
            k += (size_t)snprintf(len + k, sizeof len - k, "%s%u", i ? "," : "",
                                  s->len_list[i]);
        break;
    }
    case GEN_LENGTH_CORPUS:
        snprintf(len, sizeof len, "corpus:%s", s->corpus);
        break;
    }
    gen_format_fixed(dup, sizeof dup, s->dup_ppm, 1000000);
    gen_format_fixed(zipf, sizeof zipf, s->zipf_milli, 1000);
    return (size_t)snprintf(
        buf, cap,
        "--count %llu --alphabet %s --length %s --dup %s --zipf %s "
        "--prefix-depth %u --prefix-count %u --flood-bits %u --seed %llu",
        (unsigned long long)s->count, gen_alphabet_names[s->alphabet], len, dup,
        zipf, s->prefix_depth, s->prefix_count, s->flood_bits,
        (unsigned long long)s->seed);
}

const char *gen_spec_kind(const gen_spec *s) {
    if (s->alphabet != GEN_ALPHABET_IDENT)
        return "non-identifier";
    bool nonempty = s->prefix_depth > 0 ||
                    (s->length != GEN_LENGTH_CORPUS && s->len_min > 0);
    return nonempty ? "identifier" : "mixed";
}

/* ---- named cases ----------------------------------------------------- */

static const gen_named gen_named_cases[] = {
    {"gen-ident-1e3", "10^3 distinct identifiers of 3..20 characters",
     "count=1e3 alphabet=ident length=uniform:3..20 seed=1"},
    {"gen-ident-1e4", "10^4 distinct identifiers of 3..20 characters",
     "count=1e4 alphabet=ident length=uniform:3..20 seed=1"},
    {"gen-ident-1e5", "10^5 distinct identifiers of 3..20 characters",
     "count=1e5 alphabet=ident length=uniform:3..20 seed=1"},
    {"gen-ident-1e6", "10^6 distinct identifiers of 3..20 characters",
     "count=1e6 alphabet=ident length=uniform:3..20 seed=1"},
    {"gen-ident-1e7", "10^7 distinct identifiers of 3..20 characters",
     "count=1e7 alphabet=ident length=uniform:3..20 seed=1"},
    {"gen-zipf",
     "10^6 identifiers, 90% repeats drawn by Zipf rank (exponent 1)",
     "count=1e6 alphabet=ident length=uniform:3..20 dup=0.9 zipf=1 seed=2"},
    {"gen-prefix",
     "2*10^5 printable strings behind 8 shared 48-character prefixes "
     "(the trie's hard case)",
     "count=2e5 alphabet=printable length=uniform:1..6 prefix-depth=48 "
     "prefix-count=8 seed=3"},
    {"gen-fnv-flood",
     "2*10^4 distinct identifiers whose 64-bit FNV-1a hashes are all equal "
     "modulo 2^16",
     "count=2e4 alphabet=ident length=uniform:4..12 flood-bits=16 seed=4"},
    {"gen-utf8",
     "10^5 UTF-8 strings of 1..32 bytes (Latin, Greek, CJK, "
     "emoji)",
     "count=1e5 alphabet=utf8 length=uniform:1..32 seed=5"},
    {"gen-binary", "10^5 strings of 0..32 arbitrary bytes",
     "count=1e5 alphabet=binary length=uniform:0..32 seed=6"},
    {"gen-cpython-limits",
     "identifiers of CPython's limits: lengths 1, 19..22 and 4095..4097, 30% "
     "repeats",
     "count=300 alphabet=ident length=list:1,19,20,21,22,4095,4096,4097 "
     "dup=0.3 seed=7"},
};

const gen_named *gen_named_all(size_t *count) {
    *count = sizeof gen_named_cases / sizeof gen_named_cases[0];
    return gen_named_cases;
}

bool gen_spec_from_name(gen_spec *s, const char *name) {
    size_t n;
    const gen_named *all = gen_named_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].name, name) != 0)
            continue;
        gen_spec_init(s);
        snprintf(s->name, sizeof s->name, "%s", name);
        char opts[512];
        snprintf(opts, sizeof opts, "%s", all[i].options);
        for (char *tok = strtok(opts, " "); tok; tok = strtok(NULL, " ")) {
            char *eq = strchr(tok, '=');
            if (!eq)
                return false;
            *eq = '\0';
            if (!gen_spec_set(s, tok, eq + 1, NULL, 0))
                return false;
        }
        return true;
    }
    return false;
}

/* ---- the distinct-string store --------------------------------------- */

/* The unique strings made so far, in order, and an open-addressing set
 * over them. Invariant: slot[i] is 0 (empty) or 1 + the index in data of
 * a string whose XXH3 hash maps to a probe sequence through i; the set
 * is at most half full. */
typedef struct gen_store {
    case_data data;
    uint32_t *slot;
    size_t slot_mask;
} gen_store;

static bool gen_store_init(gen_store *st, uint64_t expect) {
    case_data_init(&st->data, NULL);
    size_t n = 16;
    while (n < expect * 2 + 2)
        n *= 2;
    st->slot = calloc(n, sizeof *st->slot);
    st->slot_mask = n - 1;
    return st->slot != NULL;
}

static void gen_store_free(gen_store *st) {
    case_data_free(&st->data);
    free(st->slot);
}

/* 1: added, 0: already there, -1: out of memory. */
static int gen_store_add(gen_store *st, const char *b, size_t len) {
    uint64_t h = XXH3_64bits(b, len);
    size_t i = (size_t)h & st->slot_mask;
    while (st->slot[i]) {
        uint32_t k = st->slot[i] - 1;
        if (st->data.len[k] == len &&
            memcmp(st->data.bytes + st->data.offset[k], b, len) == 0)
            return 0;
        i = (i + 1) & st->slot_mask;
    }
    if (st->data.count >= UINT32_MAX - 1 ||
        case_data_append(&st->data, b, len) != CASE_OK)
        return -1;
    st->slot[i] = (uint32_t)st->data.count;
    return 1;
}

/* ---- string bodies --------------------------------------------------- */

static const char gen_ident_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789";
#define GEN_IDENT_FIRST 53 /* letters and '_' */
#define GEN_IDENT_ALL   63

/* Appends one character of the alphabet, at most room bytes (>= 1);
 * returns the bytes written. at_start: the first byte of the string. */
static size_t gen_char(gen_rng *r, gen_alphabet a, bool at_start, size_t room,
                       unsigned char *out) {
    switch (a) {
    case GEN_ALPHABET_IDENT:
        out[0] = (unsigned char)gen_ident_chars[gen_rng_below(
            r, at_start ? GEN_IDENT_FIRST : GEN_IDENT_ALL)];
        return 1;
    case GEN_ALPHABET_PRINTABLE:
        out[0] = (unsigned char)(0x20 + gen_rng_below(r, 95));
        return 1;
    case GEN_ALPHABET_BINARY:
        out[0] = (unsigned char)gen_rng_below(r, 256);
        return 1;
    case GEN_ALPHABET_UTF8:
        break;
    }
    /* one block per encoded size: ASCII letters; U+00C0..U+03CF (Latin,
     * IPA, combining marks, Greek); CJK unified ideographs; the emoji
     * blocks U+1F300..U+1FAFF */
    static const uint32_t lo[4] = {0x61, 0xC0, 0x4E00, 0x1F300};
    static const uint32_t span[4] = {26, 0x3D0 - 0xC0, 0x9FFF - 0x4E00 + 1,
                                     0x1FAFF - 0x1F300 + 1};
    size_t kinds = room < 4 ? room : 4;
    size_t k = (size_t)gen_rng_below(r, kinds);
    uint32_t cp = lo[k] + (uint32_t)gen_rng_below(r, span[k]);
    if (k == 1 && (cp == 0xD7 || cp == 0xF7)) /* keep to letters */
        cp++;
    switch (k) {
    case 0:
        out[0] = (unsigned char)cp;
        return 1;
    case 1:
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    case 2:
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    default:
        out[0] = (unsigned char)(0xF0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
}

/* Appends len bytes of the alphabet to buf at *at. */
static void gen_fill(gen_rng *r, gen_alphabet a, unsigned char *buf, size_t *at,
                     size_t len) {
    size_t end = *at + len;
    while (*at < end)
        *at += gen_char(r, a, *at == 0, end - *at, buf + *at);
}

/* ---- FNV-1a flood ---------------------------------------------------- */

#define GEN_FNV_PRIME 0x100000001b3ULL

/* Suffixes that carry any FNV-1a state modulo 2^bits to target. The
 * state after the prefix is the hash of the prefix (FNV-1a has no
 * finalizer), and modulo 2^bits a step depends on the low bits only, so
 * a suffix found for a low-bits state works for every prefix with those
 * low bits. Invariant: code[s] is 0 or 1 + the base-63 number of an
 * m-character suffix of [A-Za-z0-9_] taking state s to target. */
typedef struct gen_flood {
    uint32_t *code;
    uint64_t mask;
    uint64_t target;
    unsigned m;
    uint64_t basis;
} gen_flood;

/* Walks back from state s with depth more characters to choose: the
 * character chosen at depth j (from the end) is digit j of the code. */
static void gen_flood_walk(gen_flood *f, uint64_t inv, uint64_t s, unsigned j,
                           uint64_t code, uint64_t weight, uint64_t *covered) {
    if (j == f->m) {
        if (!f->code[s]) {
            f->code[s] = (uint32_t)(code + 1);
            ++*covered;
        }
        return;
    }
    uint64_t before = (s * inv) & f->mask;
    for (unsigned c = 0; c < GEN_IDENT_ALL && *covered <= f->mask; c++)
        gen_flood_walk(f, inv, before ^ (unsigned char)gen_ident_chars[c],
                       j + 1, code + c * weight, weight * GEN_IDENT_ALL,
                       covered);
}

static bool gen_flood_init(gen_flood *f, unsigned bits, uint64_t target) {
    f->mask = ((uint64_t)1 << bits) - 1;
    f->target = target & f->mask;
    f->basis = intern_hash_bytes(INTERN_HASH_FNV1A, 0, "", 0);
    uint64_t inv = GEN_FNV_PRIME; /* Newton's iteration: inverse mod 2^64 */
    for (int i = 0; i < 6; i++)
        inv *= 2 - GEN_FNV_PRIME * inv;
    uint64_t total = 1;
    f->m = 0;
    while (total < 4 * (f->mask + 1)) {
        total *= GEN_IDENT_ALL;
        f->m++;
    }
    f->code = calloc(f->mask + 1, sizeof *f->code);
    if (!f->code)
        return false;
    /* the state before byte c is ((s * inv) ^ c) modulo 2^bits, since
     * the low bits of a product depend on the low bits of its factors;
     * stops early once every state has a suffix */
    uint64_t covered = 0;
    gen_flood_walk(f, inv, f->target, 0, 0, 1, &covered);
    return true;
}

/* Appends the suffix for buf[0..*at) if there is one. */
static bool gen_flood_finish(const gen_flood *f, unsigned char *buf,
                             size_t *at) {
    uint64_t h = f->basis;
    for (size_t i = 0; i < *at; i++)
        h = (h ^ buf[i]) * GEN_FNV_PRIME;
    uint32_t code = f->code[h & f->mask];
    if (!code)
        return false;
    uint64_t d = code - 1;
    for (unsigned j = 0; j < f->m; j++) {
        buf[*at + f->m - 1 - j] = (unsigned char)gen_ident_chars[d % 63];
        d /= 63;
    }
    *at += f->m;
    return true;
}

/* ---- the run --------------------------------------------------------- */

/* One run's state. Invariant: store holds the distinct strings made so
 * far in order; cdf is NULL (repeats drawn uniformly) or holds, for
 * every rank k < unique, the sum of the Zipf weights of ranks 0..k. */
typedef struct gen_state {
    const gen_spec *spec;
    gen_rng rng;
    uint64_t unique;
    uint32_t *corpus_len;
    size_t corpus_count;
    unsigned char *prefixes; /* prefix_count * prefix_depth bytes */
    gen_flood flood;
    bool has_flood;
    unsigned char *buf;
    size_t buf_cap;
    gen_store store;
    double *cdf;
} gen_state;

static size_t gen_draw_length(gen_state *g) {
    const gen_spec *s = g->spec;
    switch (s->length) {
    case GEN_LENGTH_FIXED:
        return s->len_min;
    case GEN_LENGTH_UNIFORM:
        return s->len_min + (size_t)gen_rng_below(
                                &g->rng, (uint64_t)s->len_max - s->len_min + 1);
    case GEN_LENGTH_LIST:
        return s->len_list[gen_rng_below(&g->rng, s->len_list_count)];
    case GEN_LENGTH_CORPUS:
        return g->corpus_len[gen_rng_below(&g->rng, g->corpus_count)];
    }
    return 0;
}

/* Makes one candidate string in g->buf; returns its length, or
 * (size_t)-1 when a flood suffix was not found (draw again). */
static size_t gen_candidate(gen_state *g) {
    const gen_spec *s = g->spec;
    size_t at = 0;
    if (s->prefix_depth) {
        uint64_t p = gen_rng_below(&g->rng, s->prefix_count);
        memcpy(g->buf, g->prefixes + p * s->prefix_depth, s->prefix_depth);
        at = s->prefix_depth;
    }
    gen_fill(&g->rng, s->alphabet, g->buf, &at, gen_draw_length(g));
    if (g->has_flood && !gen_flood_finish(&g->flood, g->buf, &at))
        return (size_t)-1;
    return at;
}

static case_status gen_fail(case_error *err, case_status st, const char *fmt,
                            ...) {
    if (err) {
        err->status = st;
        err->line = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* Reads the lengths of the corpus case's strings into g; *longest
 * receives the greatest. */
static case_status gen_load_corpus(gen_state *g, size_t *longest,
                                   case_error *err) {
    const gen_spec *s = g->spec;
    case_options opt;
    case_options_init(&opt);
    case_data d;
    const char *path = s->corpus_path ? s->corpus_path : s->corpus;
    case_status st = case_load(path, &opt, &d, err);
    if (st == CASE_OK && d.count == 0)
        st = gen_fail(err, CASE_ERR_USAGE, "gen: corpus '%s' has no strings",
                      s->corpus);
    if (st == CASE_OK && !(g->corpus_len = malloc(d.count * sizeof(uint32_t))))
        st = gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
    if (st == CASE_OK) {
        *longest = 0;
        for (size_t i = 0; i < d.count; i++) {
            g->corpus_len[i] = d.len[i];
            if (d.len[i] > *longest)
                *longest = d.len[i];
        }
        g->corpus_count = d.count;
    }
    case_data_free(&d);
    return st;
}

/* Draws the shared prefixes, each built in g->buf so that its first
 * byte follows the alphabet's first-character rule. */
static bool gen_make_prefixes(gen_state *g) {
    const gen_spec *s = g->spec;
    g->prefixes = malloc((size_t)s->prefix_count * s->prefix_depth);
    if (!g->prefixes)
        return false;
    for (uint32_t p = 0; p < s->prefix_count; p++) {
        size_t at = 0;
        gen_fill(&g->rng, s->alphabet, g->buf, &at, s->prefix_depth);
        memcpy(g->prefixes + (size_t)p * s->prefix_depth, g->buf,
               s->prefix_depth);
    }
    return true;
}

/* The cumulative Zipf weights of the ranks, or NULL when repeats are
 * uniform (*ok false: out of memory). */
static double *gen_zipf_cdf(const gen_spec *s, uint64_t unique, bool *ok) {
    *ok = true;
    if (unique >= s->count || !s->zipf_milli)
        return NULL;
    double *cdf = malloc(unique * sizeof *cdf);
    if (!cdf) {
        *ok = false;
        return NULL;
    }
    double neg_s = -(double)s->zipf_milli / 1000.0, total = 0.0;
    for (uint64_t k = 0; k < unique; k++) {
        total += gen_exp(neg_s * gen_log((double)(k + 1)));
        cdf[k] = total;
    }
    return cdf;
}

/* Everything a run needs before its first string, drawn from the PRNG
 * in a fixed order: prefixes, then the flood's target. */
static case_status gen_prepare(gen_state *g, case_error *err) {
    const gen_spec *s = g->spec;
    char msg[256];
    if (!gen_spec_check(s, msg, sizeof msg))
        return gen_fail(err, CASE_ERR_USAGE, "gen: %s", msg);
    size_t longest = s->len_max;
    if (s->length == GEN_LENGTH_CORPUS) {
        case_status st = gen_load_corpus(g, &longest, err);
        if (st != CASE_OK)
            return st;
    }
    g->buf_cap = (size_t)s->prefix_depth + longest + 16;
    g->buf = malloc(g->buf_cap);
    if (!g->buf || (s->prefix_depth && !gen_make_prefixes(g)))
        return gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
    if (s->flood_bits) {
        uint64_t target = gen_rng_next(&g->rng);
        if (!gen_flood_init(&g->flood, s->flood_bits, target))
            return gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
        g->has_flood = true;
    }
    bool ok;
    g->cdf = gen_zipf_cdf(s, g->unique, &ok);
    if (!ok || !gen_store_init(&g->store, g->unique))
        return gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
    return CASE_OK;
}

static void gen_state_free(gen_state *g) {
    free(g->cdf);
    if (g->store.slot)
        gen_store_free(&g->store);
    free(g->flood.code);
    free(g->corpus_len);
    free(g->prefixes);
    free(g->buf);
}

/* Adds a string not made before to the store, drawing candidates until
 * one is new. */
static case_status gen_make_fresh(gen_state *g, case_error *err) {
    for (unsigned tries = 0; tries < 10000; tries++) {
        size_t len = gen_candidate(g);
        if (len == (size_t)-1)
            continue;
        int added = gen_store_add(&g->store, (const char *)g->buf, len);
        if (added < 0)
            return gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
        if (added)
            return CASE_OK;
    }
    return gen_fail(err, CASE_ERR_USAGE,
                    "gen: cannot make %llu distinct strings with this "
                    "alphabet and length (stuck after %zu)",
                    (unsigned long long)g->unique, g->store.data.count);
}

/* The rank of a repeat among the strings made so far: by the Zipf
 * weights (the first k with cdf[k] > u) or uniform. */
static size_t gen_pick_repeat(gen_state *g) {
    size_t made = g->store.data.count;
    if (!g->cdf)
        return (size_t)gen_rng_below(&g->rng, made);
    double u = gen_rng_unit(&g->rng) * g->cdf[made - 1];
    size_t lo = 0, hi = made - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Emits count strings: each position new with probability (news left) /
 * (positions left), else a repeat, so that the totals are exact. */
static case_status gen_stream(gen_state *g, gen_emit_fn emit, void *ctx,
                              case_error *err) {
    const gen_spec *s = g->spec;
    const case_data *made = &g->store.data;
    uint64_t news_left = g->unique, repeats_left = s->count - g->unique;
    for (uint64_t pos = 0; pos < s->count; pos++) {
        bool fresh =
            made->count == 0 || repeats_left == 0 ||
            (news_left > 0 &&
             gen_rng_below(&g->rng, news_left + repeats_left) < news_left);
        size_t idx;
        if (fresh) {
            case_status st = gen_make_fresh(g, err);
            if (st != CASE_OK)
                return st;
            idx = made->count - 1;
            news_left--;
        } else {
            idx = gen_pick_repeat(g);
            repeats_left--;
        }
        if (emit(ctx, made->bytes + made->offset[idx], made->len[idx]) != 0)
            return gen_fail(err, CASE_ERR_IO, "gen: output failed");
    }
    return CASE_OK;
}

case_status gen_run(const gen_spec *s, gen_emit_fn emit, void *ctx,
                    case_error *err) {
    gen_state g;
    memset(&g, 0, sizeof g);
    g.spec = s;
    g.unique = gen_spec_unique(s);
    gen_rng_seed(&g.rng, s->seed);
    case_status st = gen_prepare(&g, err);
    if (st == CASE_OK)
        st = gen_stream(&g, emit, ctx, err);
    gen_state_free(&g);
    return st;
}

static int gen_digest_emit(void *ctx, const void *bytes, size_t len) {
    vector_digest_add(ctx, bytes, len);
    return 0;
}

case_status gen_digest(const gen_spec *s, uint64_t *digest, case_error *err) {
    XXH64_state_t *h = XXH64_createState();
    if (!h)
        return gen_fail(err, CASE_ERR_NOMEM, "gen: out of memory");
    XXH64_reset(h, 0);
    case_status st = gen_run(s, gen_digest_emit, h, err);
    *digest = XXH64_digest(h);
    XXH64_freeState(h);
    return st;
}

void gen_spec_find_corpus(gen_spec *s, const char *cases_dir, char *buf,
                          size_t cap) {
    if (s->length != GEN_LENGTH_CORPUS || strchr(s->corpus, '/'))
        return;
    FILE *probe = fopen(s->corpus, "rb");
    if (probe) { /* a file of that name here wins */
        fclose(probe);
        return;
    }
    snprintf(buf, cap, "%s/%s.case", cases_dir, s->corpus);
    s->corpus_path = buf;
}

/* ---- writing a case -------------------------------------------------- */

static int gen_emit_writer(void *ctx, const void *bytes, size_t len) {
    return case_writer_put(ctx, bytes, len) != CASE_OK;
}

case_status gen_write_case(const gen_spec *s, FILE *out, const char *out_name,
                           case_error *err) {
    char msg[256];
    if (!gen_spec_check(s, msg, sizeof msg))
        return gen_fail(err, CASE_ERR_USAGE, "gen: %s", msg);
    case_encoding enc = s->alphabet == GEN_ALPHABET_BINARY ? CASE_ENCODING_BYTES
                                                           : CASE_ENCODING_UTF8;
    case_writer *w = case_writer_open(out, out_name, enc, err);
    if (!w)
        return err ? err->status : CASE_ERR_NOMEM;
    char opts[1024], text[1400], num[32];
    gen_spec_format(s, opts, sizeof opts);
    if (s->name[0])
        snprintf(text, sizeof text, "internbench gen --name %s", s->name);
    else
        snprintf(text, sizeof text, "internbench gen %s", opts);
    case_writer_meta(w, "name", s->name[0] ? s->name : "generated");
    case_writer_meta(w, "kind", gen_spec_kind(s));
    case_writer_meta(w, "source",
                     "generated by internbench gen (harness/src/gen.c)");
    case_writer_meta(w, "command", text);
    snprintf(text, sizeof text, "internbench gen %s", opts);
    case_writer_meta(w, "generator", text);
    case_writer_meta(w, "license",
                     "none needed: generated data (CC0-1.0 if one is asked)");
    snprintf(num, sizeof num, "%llu", (unsigned long long)s->count);
    case_writer_meta(w, "strings", num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)gen_spec_unique(s));
    case_status st = case_writer_meta(w, "unique", num);
    if (st == CASE_OK)
        st = gen_run(s, gen_emit_writer, w, err);
    if (st == CASE_ERR_IO && case_writer_error(w)->status != CASE_OK) {
        if (err)
            *err = *case_writer_error(w);
    }
    case_error werr;
    case_status wst = case_writer_close(w, &werr);
    if (st == CASE_OK && wst != CASE_OK) {
        st = wst;
        if (err)
            *err = werr;
    }
    return st;
}
