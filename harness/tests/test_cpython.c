/* test_cpython.c: unit tests of the CPython model's rules, version by
 * version, beside the recorded vectors (test_cpython_vectors). */
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
    CHECK(cpython_model_repeat_folds(v311, 5, -3));
    CHECK(cpython_model_repeat_folds(v311, 1000, (long long)1 << 62) == false);
    CHECK(cpython_model_repeat_interned(v311, S("K"), 4096));
    CHECK(!cpython_model_repeat_interned(v311, S("K"), 4097));
    CHECK(cpython_model_repeat_interned(v36, S("K"), 20));
    CHECK(!cpython_model_repeat_interned(v36, S("K"), 21));
    CHECK(!cpython_model_repeat_interned(v311, S("a b"), 3));
    CHECK(cpython_model_repeat_interned(v311, S("a b"), 0));
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
    return check_exit();
}
