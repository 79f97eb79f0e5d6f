/* test_cpython.c: unit tests of the CPython model's rules, version by
 * version, beside the recorded vectors (test_cpython_vectors). Each
 * expression here was run on the interpreters of vectors/cpython/ with
 * record-cpython.py's method; the answers are theirs. */
#include <string.h>

#include "check.h"
#include "internbench/cpython.h"

#define S(lit) lit, sizeof lit - 1

static cpython_answer eval_ok(const cpython_version *v, const char *expr) {
    cpython_answer a = {false, false, -2};
    char err[200];
    int rc = cpython_model_eval(v, expr, strlen(expr), &a, err, sizeof err);
    CHECKF(rc == 0, "%s: %s", expr, err);
    return a;
}

static void check_answer(const char *version, const char *expr, bool sep,
                         bool unit, int interned) {
    const cpython_version *v = cpython_version_find(version);
    REQUIRE(v != NULL);
    cpython_answer a = eval_ok(v, expr);
    CHECKF(a.separate == sep && a.unit == unit && a.interned == interned,
           "%s under %s: got %d %d %d, want %d %d %d", expr, version,
           a.separate, a.unit, a.interned, sep, unit, interned);
}

/* Checks expr on every recorded version: want36 on 3.6, want37 from 3.7
 * on, each three characters "TTT", "FTF" ... for separate, unit,
 * interned ('-' for an int). */
static void check_all(const char *expr, const char *want36,
                      const char *want37) {
    size_t n;
    const cpython_version *all = cpython_versions(&n);
    for (size_t i = 0; i < n; i++) {
        if (!all[i].recorded)
            continue;
        const char *w = all[i].minor == 6 ? want36 : want37;
        int interned = w[2] == '-' ? -1 : w[2] == 'T';
        check_answer(all[i].name, expr, w[0] == 'T', w[1] == 'T', interned);
    }
}

static void check_refused(const char *version, const char *expr, size_t len) {
    const cpython_version *v = cpython_version_find(version);
    REQUIRE(v != NULL);
    cpython_answer a;
    char err[200] = "";
    CHECKF(cpython_model_eval(v, expr, len, &a, err, sizeof err) == -1 &&
               err[0] != '\0',
           "%s under %s: accepted, or refused without a message", expr,
           version);
}

static void test_versions(void) {
    size_t n;
    const cpython_version *all = cpython_versions(&n);
    CHECK(n == 9);
    CHECK(strcmp(all[0].name, "3.6") == 0);
    CHECK(strcmp(all[n - 1].name, "3.15") == 0);
    CHECK(!all[n - 1].recorded);
    for (size_t i = 0; i < n; i++) {
        CHECK(cpython_version_find(all[i].name) == &all[i]);
        CHECK(all[i].small_int_min <= 0 && all[i].small_int_max > 0);
        CHECK(all[i].static_chars != NULL);
        CHECK(all[i].fstring_folds == (all[i].minor == 6));
        CHECK(all[i].folded_merged == (all[i].minor >= 7));
        CHECK(all[i].nested_merged == (all[i].minor >= 8));
    }
    CHECK(cpython_version_find("3.14") == NULL);
    CHECK(cpython_version_find("2.7") == NULL);
    CHECK(cpython_version_find("") == NULL);
}

static void test_rules(void) {
    const cpython_version *v36 = cpython_version_find("3.6");
    const cpython_version *v311 = cpython_version_find("3.11");
    const cpython_version *v315 = cpython_version_find("3.15");
    REQUIRE(v36 && v311 && v315);
    /* rule 1 */
    CHECK(cpython_model_literal_interned(v311, S("hello_world")));
    CHECK(cpython_model_literal_interned(v311, S("123abc")));
    CHECK(cpython_model_literal_interned(v311, S("")));
    CHECK(!cpython_model_literal_interned(v311, S("hello world")));
    CHECK(!cpython_model_literal_interned(v311, S("caf\xc3\xa9")));
    CHECK(!cpython_model_literal_interned(v311, S("a\0b")));
    CHECK(!cpython_model_literal_interned(v311, S("a-b")));
    /* no length limit: a 5000-character literal is interned */
    static char long_lit[5000];
    memset(long_lit, 'a', sizeof long_lit);
    CHECK(cpython_model_literal_interned(v36, long_lit, sizeof long_lit));
    CHECK(cpython_model_literal_identical_separate(v311, long_lit,
                                                   sizeof long_lit));
    /* rule 3 */
    CHECK(cpython_model_singleton(S("")));
    CHECK(cpython_model_singleton(S("a")));
    CHECK(cpython_model_singleton(S("\0")));
    CHECK(cpython_model_singleton(S("\xc3\xa9")));      /* é */
    CHECK(cpython_model_singleton(S("\xc3\xbf")));      /* ÿ */
    CHECK(!cpython_model_singleton(S("\xc4\x80")));     /* Ā */
    CHECK(!cpython_model_singleton(S("\xe2\x82\xac"))); /* € */
    CHECK(!cpython_model_singleton(S("\xf0\x9f\x98\x80")));
    CHECK(!cpython_model_singleton(S("\xe9"))); /* invalid byte: U+DCE9 */
    CHECK(!cpython_model_singleton(S("ab")));
    CHECK(cpython_model_str_chars(S("caf\xc3\xa9")) == 4);
    CHECK(cpython_model_str_chars(S("\xf0\x9f\x98\x80")) == 1);
    CHECK(cpython_model_str_chars(S("\xff\xfe")) == 2);
    CHECK(cpython_model_str_chars(S("\xed\xb3\xbf")) == 1); /* U+DCFF */
    CHECK(cpython_model_str_chars(S("\xe2\x82")) == 2);     /* truncated */
    /* rule 4 */
    CHECK(cpython_model_repeat_folds(v36, 1, 20));
    CHECK(!cpython_model_repeat_folds(v36, 1, 21));
    CHECK(cpython_model_repeat_folds(v311, 1, 4096));
    CHECK(!cpython_model_repeat_folds(v311, 1, 4097));
    CHECK(cpython_model_repeat_folds(v311, 2, 2048));
    CHECK(!cpython_model_repeat_folds(v311, 2, 2049));
    /* a negative count never folds (3.7's safe_multiply; 3.6's dis shows
     * "K" * -3 unfolded), an empty operand always does */
    CHECK(!cpython_model_repeat_folds(v311, 5, -3));
    CHECK(!cpython_model_repeat_folds(v36, 1, -1));
    CHECK(cpython_model_repeat_folds(v311, 0, -3));
    CHECK(cpython_model_repeat_folds(v36, 0, 1000));
    CHECK(cpython_model_repeat_folds(v36, 0, -5));
    CHECK(cpython_model_repeat_folds(v311, 1000, (long long)1 << 62) == false);
    CHECK(cpython_model_repeat_interned(v311, S("K"), 4096));
    CHECK(!cpython_model_repeat_interned(v311, S("K"), 4097));
    CHECK(cpython_model_repeat_interned(v36, S("K"), 20));
    CHECK(!cpython_model_repeat_interned(v36, S("K"), 21));
    CHECK(!cpython_model_repeat_interned(v311, S("a b"), 3));
    CHECK(cpython_model_repeat_interned(v311, S("a b"), 0));
    CHECK(cpython_model_repeat_interned(v311, S("\xc3\xa9"), 1)); /* é */
    CHECK(cpython_model_repeat_interned(v36, S("xxxxxxxxxxxxxxxxxxxxxxxxx"),
                                        1)); /* not folded: S itself */
    CHECK(!cpython_model_repeat_interned(v311, S("ab"), 1LL << 62));
    /* rule 6 */
    CHECK(!cpython_model_int_cached(v311, -6));
    CHECK(cpython_model_int_cached(v311, -5));
    CHECK(cpython_model_int_cached(v311, 256));
    CHECK(!cpython_model_int_cached(v311, 257));
    CHECK(!cpython_model_int_cached(v311, 1024));
    CHECK(cpython_model_int_cached(v315, 257));
    CHECK(cpython_model_int_cached(v315, 1024));
    CHECK(!cpython_model_int_cached(v315, 1025));
    CHECK(!cpython_model_int_cached(v315, -6));
    /* rule 7 */
    CHECK(cpython_model_literal_identical_separate(v311, S("abc")));
    CHECK(!cpython_model_literal_identical_separate(v311, S("a c")));
    CHECK(cpython_model_literal_identical_separate(v311, S("\xc3\xa9")));
    CHECK(cpython_model_literal_identical_unit(v311, S("a c")));
}

/* `"%s" % X` is X at run time, but never a constant: what follows is not
 * folded (dis: BINARY_MODULO, then BINARY_MULTIPLY). */
static void test_percent_not_folded(void) {
    check_all("\"%s\" % \"ab\" * 2", "FFF", "FFF");
    check_all("\"%s\" % \"ab\" + \"cd\"", "FFF", "FFF");
    check_all("\"cd\" + \"%s\" % \"ab\"", "FFF", "FFF");
    check_all("\"%s\" % \"ab\" * 1", "TTT", "TTT");
    check_all("\"%s\" % \"a b\" * 1", "FTF", "FTF");
    check_all("\"%s\" % (\"ab\" * 2)", "TTT", "TTT");
    check_all("\"%s\" % (\"a b\" * 2)", "FFF", "FTF");
    check_all("\"%s\" % \"\" + \"a b\"", "FTF", "FTF");
}

/* From 3.7 an f-string is a JoinedStr node, never folded with its
 * neighbours; only 3.6 folds it like a plain literal. */
static void test_fstrings_fold_on_36_only(void) {
    check_all("f\"ab\" + \"cd\"", "TTT", "FFF");
    check_all("f\"ab\" * 3", "TTT", "FFF");
    check_all("\"cd\" + f\"ab\"", "TTT", "FFF");
    check_all("f\"ab\" * 1", "TTT", "TTT");
    check_all("f\"a b\" * 1", "FTF", "FTF");
    check_all("f\"ab\" \"cd\"", "TTT", "TTT");
    check_all("f\"a b\" + \"\"", "FTF", "FTF");
}

/* 3.6's peephole folds S * 1, S + "" and "" + S to S's own constant, which
 * the unit shares; a fold that makes a new string is a constant of its
 * own. */
static void test_36_identity_folds(void) {
    check_all("\"a b\" * 1", "FTF", "FTF");
    check_all("\"a b\" + \"\"", "FTF", "FTF");
    check_all("\"\" + \"a b\"", "FTF", "FTF");
    check_all("\"a b\" * 2 * 1", "FFF", "FTF");
    check_all("\"\" + \"a b\" * 2", "FFF", "FTF");
    check_all("\"a b\" * 21 * 1", "FFF", "FTF");
    check_all("\"a b\" * -1 + \"c d\"", "FTF", "FTF");
}

/* One-character singletons hold for constants and for formatting, not for
 * every run-time path; on 3.11 and 3.12 some singletons are not the
 * interned instance. */
static void test_singleton_scope(void) {
    const cpython_version *v311 = cpython_version_find("3.11");
    REQUIRE(v311 != NULL);
    check_all("str(7)", "FFF", "FFF");
    check_all("\"a\".upper()", "FFF", "FFF");
    check_all("\"!\".lower()", "FFF", "FFF");
    check_all("\"\".upper()", "TTT", "TTT");
    check_all("str(\"a b\")", "FTF", "FTF");
    check_all("\"%s!\" % \"\"", "TTT", "TTT");
    check_all("\"%s\\u20ac\" % \"\"", "FFF", "FFF");
    check_answer("3.10", "\"%sa\" % \"\"", true, true, 1);
    check_answer("3.11", "\"%sa\" % \"\"", true, true, 0);
    check_answer("3.12", "\"%sa\" % \"\"", true, true, 0);
    check_answer("3.13", "\"%sa\" % \"\"", true, true, 1);
    check_answer("3.11", "\"%sg\" % \"\"", true, true, 1);
    check_answer("3.12", "\"%sB\" % \"\"", true, true, 1);
    check_answer("3.11", "\"a\"", true, true, 1); /* the static one */
    /* the byte-level rule is about constants, and says so */
    CHECK(cpython_model_singleton(S("a")));
    CHECK(cpython_model_literal_identical_separate(v311, S("!")));
}

/* Constants of nested code objects are merged across the unit from 3.8. */
static void test_nested_code(void) {
    check_answer("3.6", "(lambda: \"a b\")()", false, false, 0);
    check_answer("3.13", "(lambda: \"a b\")()", false, true, 0);
    check_answer("3.7", "(lambda: \"a b\")()", false, false, 0);
    check_answer("3.7", "(lambda: 257)()", false, false, -1);
    check_answer("3.8", "(lambda: 257)()", false, true, -1);
    check_answer("3.8", "(lambda: \"a b\" * 2)()", false, true, 0);
    check_all("(lambda: \"ab\")()", "TTT", "TTT");
    check_all("(lambda: \"a b\")() * 2", "FFF", "FFF");
}

/* What CPython rejects the model refuses, with a message. */
static void test_refusals(void) {
    check_refused("3.11", S("(lambda: 1a).__code__.co_names[0]"));
    check_refused("3.11", S("(lambda: if).__code__.co_names[0]"));
    check_refused("3.11", S("(lambda: None).__code__.co_names[0]"));
    check_refused("3.6", S("(lambda: __debug__).__code__.co_names[0]"));
    check_refused("3.7", S("(lambda: async).__code__.co_names[0]"));
    check_answer("3.6", "(lambda: async).__code__.co_names[0]", true, true, 1);
    check_refused("3.11", S("(lambda: a\xe2\x82\xac).__code__.co_names[0]"));
    check_refused("3.11", S("(lambda: abc)()"));
    check_refused("3.11", S(" \"ab\""));
    {
        char err[200] = "";
        cpython_answer a;
        cpython_model_eval(cpython_version_find("3.11"), S("\t\"ab\""), &a, err,
                           sizeof err);
        CHECKF(strstr(err, "IndentationError") != NULL, "message: %s", err);
    }
    check_refused("3.11", S("\"a\rb\""));
    check_refused("3.11", S("\"a\0b\""));
    check_refused("3.11", S("\"a\xed\xb3\xbf\"")); /* a raw surrogate */
    check_refused("3.11", S("\"a\xff"
                            "b\"")); /* invalid UTF-8 */
    check_refused("3.11", S("007"));
    check_refused("3.11", S("\"a\" * 007"));
    check_refused("3.11", S("\"\" * -99999999999999999999"));
    check_refused("3.11", S("\"a\" * 2147483648 * 2"));
    check_refused("3.11", S("\"%s %s\" % \"a\""));
    check_refused("3.11", S("\"%\" % \"a\""));
    check_refused("3.11", S("\"ab\" % \"c\""));
    check_refused("3.11", S("\"a\" + 1"));
    check_refused("3.11", S("-\"a\""));
    check_refused("3.11", S("(\"a\") \"b\""));
    check_refused("3.11", S("(lambda: \"a\")()()"));
    check_refused("3.11", S("(5).upper()"));
    check_refused("3.11", S("\"\\U00110000\""));
    /* deep nesting is refused, not a deep recursion */
    static char deep[4001];
    memset(deep, '(', 2000);
    deep[2000] = '"';
    deep[2001] = '"';
    memset(deep + 2002, ')', 1999);
    check_refused("3.11", deep, 4001);
    /* int_max_str_digits: a long decimal literal is a SyntaxError from
     * 3.7.14, a number on 3.6 */
    static char digits[4302];
    memset(digits, '1', 4301);
    check_refused("3.7", digits, 4301);
    check_answer("3.6", digits, false, true, -1);
    check_answer("3.7", digits + 1, false, true, -1);
    /* what CPython accepts still answers */
    check_answer("3.11", "(lambda: match).__code__.co_names[0]", true, true, 1);
    check_answer("3.11", "00", true, true, -1);
    check_answer("3.11", "\"a\" ", true, true, 1);
}

/* literal_value gives the bytes the byte-level functions take. */
static void test_literal_value(void) {
    char buf[16];
    size_t n = 0;
    CHECK(cpython_model_literal_value(S("\"a\\udcffb\""), buf, sizeof buf, &n,
                                      NULL, 0) == 0);
    CHECK(n == 3 && memcmp(buf,
                           "a\xff"
                           "b",
                           3) == 0);
    CHECK(cpython_model_literal_value(S("\"\\ud800\" f\"{{x}}\""), buf,
                                      sizeof buf, &n, NULL, 0) == 0);
    CHECK(n == 6 && memcmp(buf, "\xed\xa0\x80{x}", 6) == 0);
    CHECK(cpython_model_literal_value(S("\"\\u20ac\\U0001F600\""), buf, 2, &n,
                                      NULL, 0) == 0);
    CHECK(n == 7 && memcmp(buf, "\xe2\x82", 2) == 0);
    char err[100];
    CHECK(cpython_model_literal_value(S("\"a\" * 1"), buf, sizeof buf, &n, err,
                                      sizeof err) == -1 &&
          err[0] != '\0');
    CHECK(cpython_model_literal_value(S("5"), buf, sizeof buf, &n, NULL, 0) ==
          -1);
}

static void test_expressions(void) {
    check_answer("3.11", "\"hello\"", true, true, 1);
    check_answer("3.11", "\"hello world\"", false, true, 0);
    check_answer("3.11", "\"\\u00e9\"", true, true, 1);
    check_answer("3.11", "\"\\u0100\"", false, true, 0);
    check_answer("3.11", "\"\\udcff\"", false, true, 0);
    check_answer("3.11", "\"K\" * 4096", true, true, 1);
    check_answer("3.11", "\"K\" * 4097", false, false, 0);
    check_answer("3.6", "\"K\" * 20", true, true, 1);
    check_answer("3.6", "\"K\" * 21", false, false, 0);
    check_answer("3.6", "\"a b\" * 5", false, false, 0);
    check_answer("3.7", "\"a b\" * 5", false, true, 0);
    check_answer("3.11", "\"ab\" \"cd\"", true, true, 1);
    check_answer("3.11", "\"a\" + \"b c\"", false, true, 0);
    check_answer("3.11", "\"%s!\" % \"ab\"", false, false, 0);
    check_answer("3.11", "\"%s\" % \"ab\"", true, true, 1);
    check_answer("3.11", "\"%%%s\" % \"\"", true, true, 1); /* "%" */
    check_answer("3.11", "f\"a{{b}}\"", false, true, 0);
    check_answer("3.11", "(lambda: caf\xc3\xa9).__code__.co_names[0]", true,
                 true, 1);
    check_answer("3.6", "-6", false, false, -1);
    check_answer("3.7", "-6", false, true, -1);
    check_answer("3.11", "-5", true, true, -1);
    check_answer("3.11", "1024", false, true, -1);
    check_answer("3.15", "1024", true, true, -1);
    check_answer("3.15", "1025", false, true, -1);

    /* outside the language: an error, never a guess */
    const cpython_version *v = cpython_version_find("3.11");
    const char *bad[] = {"",
                         "\"abc",
                         "f\"{x}\"",
                         "x",
                         "\"a\" * x",
                         "\"%d\" % \"a\"",
                         "\"\\N{DASH}\"",
                         "\"a\" -",
                         "(lambda: a b).__code__.co_names[0]",
                         "\"\\x4\"",
                         "\"a\" \"b\" % \"c\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cpython_answer a;
        char err[100];
        CHECKF(cpython_model_eval(v, bad[i], strlen(bad[i]), &a, err,
                                  sizeof err) == -1,
               "accepted %s", bad[i]);
        CHECKF(err[0] != '\0', "no message for %s", bad[i]);
        /* a zero-size message buffer is allowed */
        CHECK(cpython_model_eval(v, bad[i], strlen(bad[i]), &a, NULL, 0) == -1);
    }
}

int main(void) {
    test_versions();
    test_rules();
    test_expressions();
    test_percent_not_folded();
    test_fstrings_fold_on_36_only();
    test_36_identity_folds();
    test_singleton_scope();
    test_nested_code();
    test_refusals();
    test_literal_value();
    return check_exit();
}
