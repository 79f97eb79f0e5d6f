/* test_case_reader.c: the case reader on every bad-input kind, the good
 * edge cases, --lines mode, the line limit and allocation failures.
 * argv[1]: the fixture directory (harness/tests/cases). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internbench/case.h"

static const char *fixture_dir;

static const char *fixture(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
    return path;
}

/* Loads a fixture that must fail with this line and message part. */
static void expect_bad(const char *name, uint64_t line, const char *part) {
    case_options opt;
    case_options_init(&opt);
    opt.display_name = name;
    case_error err;
    case_data d;
    case_status st = case_load(fixture(name), &opt, &d, &err);
    CHECKF(st == CASE_ERR_FORMAT, "%s: status %d", name, st);
    CHECKF(err.line == line, "%s: line %llu, want %llu", name,
           (unsigned long long)err.line, (unsigned long long)line);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s:%llu: ", name,
             (unsigned long long)line);
    CHECKF(strncmp(err.message, prefix, strlen(prefix)) == 0,
           "%s: message '%s' lacks FILE:LINE prefix '%s'", name, err.message,
           prefix);
    CHECKF(strstr(err.message, part) != NULL, "%s: message '%s' lacks '%s'",
           name, err.message, part);
    case_data_free(&d);

    /* the streaming reader reports the same, and stays failed */
    case_reader *r = case_reader_open(fixture(name), &opt, &err);
    if (r) {
        const char *s;
        size_t n;
        case_status last;
        while ((last = case_reader_next(r, &s, &n)) == CASE_OK)
            ;
        CHECKF(last == CASE_ERR_FORMAT, "%s: stream status %d", name, last);
        CHECK(case_reader_next(r, &s, &n) == last);
        CHECK(case_reader_error(r)->line == line);
        case_reader_close(r);
    } else {
        CHECK(err.status == CASE_ERR_FORMAT && err.line == line);
    }
}

static void test_bad(void) {
    expect_bad("bad-escape.case", 4, "unknown escape");
    expect_bad("bad-truncated-hex.case", 5, "truncated escape");
    expect_bad("bad-trailing-backslash.case", 3, "trailing backslash");
    expect_bad("bad-utf8.case", 4, "invalid UTF-8");
    expect_bad("bad-overlong.case", 3, "invalid UTF-8");
    expect_bad("bad-surrogate.case", 3, "invalid UTF-8");
    expect_bad("bad-above-max.case", 3, "invalid UTF-8");
    expect_bad("bad-escaped-utf8.case", 3, "invalid UTF-8");
    expect_bad("bad-crlf.case", 3, "CR before LF");
    expect_bad("bad-cr.case", 3, "raw CR");
    expect_bad("bad-nul.case", 4, "raw NUL");
    expect_bad("bad-bom.case", 1, "byte-order mark");
    expect_bad("bad-version.case", 1, "unknown case format version 'v2'");
    expect_bad("bad-no-version.case", 1, "not a case file");
    expect_bad("bad-hash.case", 4, "starts with '#'");
    expect_bad("bad-strings-count.case", 3, "strings: 5");
    expect_bad("bad-encoding.case", 3, "unknown encoding");
}

static void test_line_limit(void) {
    case_options opt;
    case_options_init(&opt);
    opt.line_max = 64;
    opt.display_name = "long-line.case";
    case_error err;
    case_data d;
    CHECK(case_load(fixture("long-line.case"), &opt, &d, &err) ==
          CASE_ERR_FORMAT);
    CHECK(err.line == 4);
    CHECK(strstr(err.message, "long-line.case:4: line longer than the limit "
                              "of 64 bytes") != NULL);
    case_data_free(&d);
    /* the exact limit passes; the default passes */
    opt.line_max = 100;
    CHECK(case_load(fixture("long-line.case"), &opt, &d, &err) == CASE_OK);
    CHECK(d.count == 2 && d.len[1] == 100);
    case_data_free(&d);
    opt.line_max = 99;
    CHECK(case_load(fixture("long-line.case"), &opt, &d, &err) ==
          CASE_ERR_FORMAT);
    case_data_free(&d);
    /* a line spanning many read chunks, past the limit */
    FILE *f = tmpfile();
    REQUIRE(f);
    fputs(CASE_VERSION_LINE "\n", f);
    for (int i = 0; i < 300000; i++)
        fputc('z', f);
    fputs("\nnext\n", f);
    rewind(f);
    opt.line_max = 200000;
    /* the first string line is read while looking for the header's end */
    case_reader *r = case_reader_open_stream(f, "big", &opt, &err);
    CHECK(r == NULL);
    CHECK(err.status == CASE_ERR_FORMAT && err.line == 2);
    case_reader_close(r);
    rewind(f);
    opt.line_max = 0; /* the default */
    r = case_reader_open_stream(f, "big", &opt, &err);
    REQUIRE(r);
    const char *s;
    size_t n;
    CHECK(case_reader_next(r, &s, &n) == CASE_OK && n == 300000);
    CHECK(case_reader_next(r, &s, &n) == CASE_OK && n == 4 &&
          memcmp(s, "next", 4) == 0);
    CHECK(case_reader_next(r, &s, &n) == CASE_END);
    case_reader_close(r);
    fclose(f);
}

static void test_good(void) {
    case_options opt;
    case_options_init(&opt);
    case_error err;
    case_data d;

    CHECK(case_load(fixture("good-empty.case"), &opt, &d, &err) == CASE_OK);
    CHECK(d.count == 0 && d.meta_count == 0);
    case_data_free(&d);

    CHECK(case_load(fixture("good-header-only.case"), &opt, &d, &err) ==
          CASE_OK);
    CHECK(d.count == 0);
    CHECK(d.meta_count == 3);
    CHECK(case_data_meta(&d, "kind") &&
          strcmp(case_data_meta(&d, "kind"), "mixed") == 0);
    CHECK(case_data_meta(&d, "absent") == NULL);
    case_data_free(&d);

    CHECK(case_load(fixture("good-no-final-newline.case"), &opt, &d, &err) ==
          CASE_OK);
    CHECK(d.count == 2 && d.len[1] == 4 &&
          memcmp(d.bytes + d.offset[1], "last", 5) == 0);
    case_data_free(&d);

    CHECK(case_load(fixture("good-crlf.case"), &opt, &d, &err) == CASE_OK);
    CHECK(d.count == 3);
    CHECK(d.len[0] == 3 && d.len[1] == 0 && d.len[2] == 5);
    case_data_free(&d);

    CHECK(case_load(fixture("good-bytes.case"), &opt, &d, &err) == CASE_OK);
    CHECK(d.encoding == CASE_ENCODING_BYTES);
    CHECK(d.count == 2 && d.len[0] == 6 &&
          (unsigned char)d.bytes[d.offset[0]] == 0xFF);
    CHECK(d.len[1] == 2 && memcmp(d.bytes + d.offset[1], "\xC0\xAF", 2) == 0);
    case_data_free(&d);

    CHECKF(case_load(fixture("good-escapes.case"), &opt, &d, &err) == CASE_OK,
           "%s", err.message);
    static const char s0[] = "\\ \n \r \t \0 A~";
    static const char s4[] = "utf-8 \xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80";
    CHECK(d.count == 7);
    if (d.count == 7) {
        CHECK(d.len[0] == sizeof s0 - 1 &&
              memcmp(d.bytes + d.offset[0], s0, sizeof s0 - 1) == 0);
        CHECK(d.len[1] == 5 && memcmp(d.bytes + d.offset[1], "#hash", 5) == 0);
        CHECK(d.len[2] == 0);
        CHECK(d.len[3] == 17 && d.bytes[d.offset[3]] == '\t');
        CHECK(d.len[4] == sizeof s4 - 1 &&
              memcmp(d.bytes + d.offset[4], s4, sizeof s4 - 1) == 0);
        CHECK(d.len[5] == 2 && memcmp(d.bytes + d.offset[5], "\xc3\xa9", 2) ==
                                   0); /* escapes that form valid UTF-8 */
        CHECK(d.len[6] == 1 && d.bytes[d.offset[6]] == '\0');
        for (size_t i = 0; i < d.count; i++)
            CHECK(d.bytes[d.offset[i] + d.len[i]] == '\0');
    }
    case_data_free(&d);

    /* a missing file is an I/O error naming it */
    CHECK(case_load(fixture("no-such-file.case"), &opt, &d, &err) ==
          CASE_ERR_IO);
    CHECK(err.line == 0 && strstr(err.message, "no-such-file.case: cannot "
                                               "open") != NULL);
    case_data_free(&d);
}

static void test_lines(void) {
    case_options opt;
    case_options_init(&opt);
    opt.lines = true;
    case_error err;
    case_data d;
    CHECK(case_load(fixture("lines.txt"), &opt, &d, &err) == CASE_OK);
    /* BOM skipped, CR before LF stripped, no escapes, '#' kept, NUL kept,
     * a final CR without LF kept */
    static const char *const want[] = {
        "one", "two\\n not an escape", "# not a header",
        "",    "nul\0inside",          "last\r"};
    static const size_t want_len[] = {3, 19, 14, 0, 10, 5};
    CHECK(d.count == 6);
    for (size_t i = 0; i < 6 && i < d.count; i++)
        CHECKF(d.len[i] == want_len[i] &&
                   memcmp(d.bytes + d.offset[i], want[i], want_len[i]) == 0,
               "--lines string %zu", i);
    case_data_free(&d);
    /* the limit holds in --lines mode too */
    opt.line_max = 10;
    CHECK(case_load(fixture("lines.txt"), &opt, &d, &err) == CASE_ERR_FORMAT);
    CHECK(err.line == 2);
    case_data_free(&d);
}

/* An allocator that refuses the Nth attempt and every one after. */
typedef struct failing {
    intern_allocator base;
    unsigned long attempts, fail_at;
} failing;

static void *failing_malloc(void *ctx, size_t n) {
    failing *f = ctx;
    if (++f->attempts >= f->fail_at)
        return NULL;
    return malloc(n);
}

static void *failing_realloc(void *ctx, void *p, size_t n) {
    failing *f = ctx;
    if (++f->attempts >= f->fail_at)
        return NULL;
    return realloc(p, n);
}

static void failing_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static void test_alloc_failure(void) {
    bool succeeded = false;
    for (unsigned long k = 1; k < 200 && !succeeded; k++) {
        failing f = {
            {failing_malloc, failing_realloc, failing_free, NULL}, 0, k};
        f.base.ctx = &f;
        case_options opt;
        case_options_init(&opt);
        opt.alloc = &f.base;
        case_error err;
        case_data d;
        case_status st =
            case_load(fixture("good-escapes.case"), &opt, &d, &err);
        if (st == CASE_OK) {
            succeeded = true;
            CHECK(d.count == 7);
        } else {
            CHECKF(st == CASE_ERR_NOMEM, "fail at %lu: status %d", k, st);
        }
        case_data_free(&d);
    }
    CHECK(succeeded);
}

int main(int argc, char **argv) {
    REQUIRE(argc == 2);
    fixture_dir = argv[1];
    test_bad();
    test_line_limit();
    test_good();
    test_lines();
    test_alloc_failure();
    return check_exit();
}
