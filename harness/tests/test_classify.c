/* test_classify.c: the classifier on hand-picked strings (invalid UTF-8,
 * NUL bytes, one latin-1 character, emoji, ...), its allocation failures,
 * and py_identifier against Python's str.isidentifier() for every code
 * point (vectors/classify/xid-UNICODE.txt, when PCRE2 uses that Unicode
 * version).
 *
 *   test_classify [VECTORS_CLASSIFY_DIR]
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intern/alloc.h"
#include "internbench/classify.h"

#define M(c) (1u << CLASSIFY_##c)

typedef struct classify_case {
    const char *bytes;
    size_t len;
    classify_mask want;
} classify_case;

#define C(lit, mask)                                                           \
    { lit, sizeof lit - 1, mask }

static const classify_case cases[] = {
    C("", M(EMPTY) | M(ASCII) | M(UTF8) | M(NAME_CHARS)),
    C("hello",
      M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(IDENTIFIER) | M(PY_IDENTIFIER)),
    C("_x9",
      M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(IDENTIFIER) | M(PY_IDENTIFIER)),
    C("a", M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(IDENTIFIER) |
               M(PY_IDENTIFIER) | M(LATIN1_CHAR)),
    C("7", M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(LATIN1_CHAR) | M(DIGITS) |
               M(NUMBER)),
    C("123abc", M(ASCII) | M(UTF8) | M(NAME_CHARS)),
    C("0123", M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(DIGITS) | M(NUMBER)),
    C("-3.5e10", M(ASCII) | M(UTF8) | M(NUMBER)),
    C(".5", M(ASCII) | M(UTF8) | M(NUMBER)),
    C("0x1F", M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(NUMBER)),
    C("1e", M(ASCII) | M(UTF8) | M(NAME_CHARS)),
    C("+", M(ASCII) | M(UTF8) | M(LATIN1_CHAR)),
    C("hello world", M(ASCII) | M(UTF8) | M(SPACE)),
    C("a-b", M(ASCII) | M(UTF8)),
    C("tab\there", M(ASCII) | M(UTF8) | M(SPACE) | M(CONTROL)),
    C("nul\0byte", M(ASCII) | M(UTF8) | M(CONTROL) | M(NUL)),
    C("\0", M(ASCII) | M(UTF8) | M(CONTROL) | M(NUL) | M(LATIN1_CHAR)),
    C("\x7f", M(ASCII) | M(UTF8) | M(CONTROL) | M(LATIN1_CHAR)),
    C("\xc3\xa9", M(UTF8) | M(PY_IDENTIFIER) | M(LATIN1_CHAR)), /* é */
    C("\xc2\xa0", M(UTF8) | M(LATIN1_CHAR)),                    /* NBSP */
    C("\xc3\xbf", M(UTF8) | M(PY_IDENTIFIER) | M(LATIN1_CHAR)), /* ÿ */
    C("\xc4\x80", M(UTF8) | M(PY_IDENTIFIER)),                  /* Ā */
    C("caf\xc3\xa9", M(UTF8) | M(PY_IDENTIFIER)),
    C("\xe5\x90\x8d\xe5\x89\x8d", M(UTF8) | M(PY_IDENTIFIER)), /* 名前 */
    /* x₀: U+2080 is No, not XID_Continue; Python's parser accepts x₀ as
     * a name only because NFKC makes it x0, which this class skips */
    C("x\xe2\x82\x80", M(UTF8)),
    C("\xe2\x82\x80", M(UTF8)),                     /* ₀ cannot start */
    C("\xe2\x82\xac", M(UTF8)),                     /* € */
    C("\xf0\x9f\x98\x80", M(UTF8)),                 /* emoji */
    C("ab\xf0\x9f\x98\x80", M(UTF8)),               /* identifier + emoji */
    C("\xcd\xba", M(UTF8)),                         /* U+037A: not XID */
    C("a\xcd\xba", M(UTF8)),                        /* nor XID_Continue */
    C("\xe0\xb8\xb3", M(UTF8)),                     /* U+0E33 not start */
    C("a\xe0\xb8\xb3", M(UTF8) | M(PY_IDENTIFIER)), /* but continues */
    C("\xe2\x84\x98", M(UTF8) | M(PY_IDENTIFIER)),  /* ℘ Other_ID_Start */
    C("\xe3\x82\x9b", M(UTF8)),                     /* U+309B not XID */
    C("a\xc2\xb7", M(UTF8) | M(PY_IDENTIFIER)),     /* Other_ID_Continue */
    /* invalid UTF-8: never a Unicode class, never a crash */
    C("\xff", M(BINARY)),
    C("\xe9", M(BINARY)),
    C("ab\xff"
      "cd",
      M(BINARY)),
    C("\xc0\x80", M(BINARY)),         /* overlong NUL */
    C("\xed\xa0\x80", M(BINARY)),     /* surrogate */
    C("\xf4\x90\x80\x80", M(BINARY)), /* above U+10FFFF */
    C("\xe2\x82", M(BINARY)),         /* truncated */
    C("\x80", M(BINARY)),             /* lone continuation */
    C("\xff\0", M(BINARY) | M(CONTROL) | M(NUL)),
};

static void test_cases(classify_set *set) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        classify_mask got = 0;
        CHECK(classify_string(set, cases[i].bytes, cases[i].len, &got) ==
              CLASSIFY_OK);
        if (got != cases[i].want) {
            char shown[64] = "";
            for (size_t k = 0; k < cases[i].len && k < 12; k++)
                snprintf(shown + strlen(shown), sizeof shown - strlen(shown),
                         "%02x", (unsigned char)cases[i].bytes[k]);
            for (int c = 0; c < CLASSIFY_COUNT; c++)
                CHECKF(((got ^ cases[i].want) & (1u << c)) == 0,
                       "case %zu (%s): %s should be %s", i, shown,
                       classify_class_name(c),
                       (cases[i].want >> c) & 1 ? "set" : "clear");
        }
    }
}

static void test_long(classify_set *set) {
    /* 16 MiB: the patterns never backtrack, so no stack or heap limit */
    size_t n = (size_t)16 << 20;
    char *s = malloc(n);
    REQUIRE(s != NULL);
    memset(s, 'a', n);
    classify_mask m = 0;
    CHECK(classify_string(set, s, n, &m) == CLASSIFY_OK);
    CHECK(m == (M(ASCII) | M(UTF8) | M(NAME_CHARS) | M(IDENTIFIER) |
                M(PY_IDENTIFIER)));
    /* é repeated: a long py_identifier of 2-byte characters */
    for (size_t i = 0; i + 1 < n; i += 2)
        s[i] = (char)0xc3, s[i + 1] = (char)0xa9;
    CHECK(classify_string(set, s, n, &m) == CLASSIFY_OK);
    CHECK(m == (M(UTF8) | M(PY_IDENTIFIER)));
    s[n - 1] = ' ';
    CHECK(classify_string(set, s, n, &m) == CLASSIFY_OK);
    CHECK(m == M(BINARY) + M(SPACE));
    free(s);
}

static void test_names(void) {
    for (int c = 0; c < CLASSIFY_COUNT; c++) {
        CHECK(classify_class_from_name(classify_class_name(c)) == c);
        CHECK(strlen(classify_class_summary(c)) > 0);
    }
    CHECK(classify_class_from_name("nope") == -1);
    classify_counts k;
    classify_counts_init(&k);
    classify_counts_add(&k, M(UTF8) | M(EMPTY), 0);
    classify_counts_add(&k, M(BINARY), 3);
    CHECK(k.strings == 2 && k.bytes == 3);
    CHECK(k.count[CLASSIFY_UTF8] + k.count[CLASSIFY_BINARY] == k.strings);
    CHECK(k.bytes_of[CLASSIFY_BINARY] == 3 && k.count[CLASSIFY_EMPTY] == 1);
}

/* Every allocation failure during create is reported, and leaks nothing. */
static void test_alloc_failure(void) {
    unsigned long failures_seen = 0;
    for (uint64_t at = 1; at < 1000; at++) {
        intern_counting_alloc ca;
        intern_counting_alloc_init(&ca);
        ca.fail_at = at;
        classify_set *set = NULL;
        char msg[200];
        classify_status st =
            classify_set_create(&set, &ca.base, msg, sizeof msg);
        if (st == CLASSIFY_OK) {
            classify_mask m;
            CHECK(classify_string(set, "abc", 3, &m) == CLASSIFY_OK);
            classify_set_destroy(set);
            CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
            if (ca.failures == 0)
                break; /* got past every allocation */
            continue;
        }
        failures_seen++;
        CHECKF(st == CLASSIFY_ENOMEM, "fail_at %llu gave %d: %s",
               (unsigned long long)at, (int)st, msg);
        CHECK(set == NULL);
        CHECKF(ca.live_bytes == 0 && ca.live_blocks == 0,
               "fail_at %llu leaked %llu bytes", (unsigned long long)at,
               (unsigned long long)ca.live_bytes);
    }
    CHECK(failures_seen > 0);
}

/* py_identifier against the recorded XID tables, code point by code
 * point, for the Unicode version PCRE2 uses. */
static void test_xid(classify_set *set, const char *dir) {
    char unicode[32] = "";
    pcre2_config(PCRE2_CONFIG_UNICODE_VERSION, unicode);
    char path[4096];
    snprintf(path, sizeof path, "%s/xid-%s.txt", dir, unicode);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("NOTE: no %s (PCRE2 uses Unicode %s): exhaustive "
               "py_identifier check not run\n",
               path, unicode);
        return;
    }
    static unsigned char start[0x110000], cont[0x110000];
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char kind[16];
        unsigned a, b;
        REQUIRE(sscanf(line, "%15s %x %x", kind, &a, &b) == 3);
        REQUIRE(a <= b && b < 0x110000);
        unsigned char *t = strcmp(kind, "start") == 0 ? start : cont;
        for (unsigned cp = a; cp <= b; cp++)
            t[cp] = 1;
    }
    fclose(f);
    unsigned long wrong = 0;
    for (unsigned cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        unsigned char u[5];
        size_t n;
        if (cp < 0x80)
            u[0] = (unsigned char)cp, n = 1;
        else if (cp < 0x800)
            u[0] = (unsigned char)(0xC0 | cp >> 6),
            u[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
        else if (cp < 0x10000)
            u[0] = (unsigned char)(0xE0 | cp >> 12),
            u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
            u[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
        else
            u[0] = (unsigned char)(0xF0 | cp >> 18),
            u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F)),
            u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
            u[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
        classify_mask m1 = 0, m2 = 0;
        unsigned char pre[5] = {'a'};
        memcpy(pre + 1, u, n);
        REQUIRE(classify_string(set, u, n, &m1) == CLASSIFY_OK);
        REQUIRE(classify_string(set, pre, n + 1, &m2) == CLASSIFY_OK);
        bool s = (m1 >> CLASSIFY_PY_IDENTIFIER) & 1;
        bool c = (m2 >> CLASSIFY_PY_IDENTIFIER) & 1;
        if (s != start[cp] || c != cont[cp]) {
            if (wrong++ < 20)
                fprintf(stderr,
                        "U+%04X: py_identifier start %d continue %d, "
                        "Python %d %d\n",
                        cp, s, c, start[cp], cont[cp]);
        }
    }
    CHECKF(wrong == 0, "%lu code points differ from %s", wrong, path);
    printf("py_identifier matches %s for every code point\n", path);
}

int main(int argc, char **argv) {
    classify_set *set = NULL;
    char msg[200];
    REQUIRE(classify_set_create(&set, NULL, msg, sizeof msg) == CLASSIFY_OK);
    char desc[256];
    classify_set_describe(set, desc, sizeof desc);
    printf("%s\n", desc);
    test_names();
    test_cases(set);
    test_long(set);
    test_alloc_failure();
    if (argc > 1)
        test_xid(set, argv[1]);
    classify_set_destroy(set);
    return check_exit();
}
