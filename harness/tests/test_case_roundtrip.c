/* test_case_roundtrip.c: read(write(x)) == x for random byte strings,
 * under both encodings, and the writer's output is valid UTF-8 text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internbench/case.h"
#include "internbench/gen.h"

/* A random string biased toward the bytes that need care. */
static size_t random_bytes(gen_rng *r, unsigned char *buf, size_t max) {
    static const unsigned char special[] = {'\\', '\n', '\r', '\0', '#',
                                            '\t', 'x',  0x80, 0xC3, 0xE4,
                                            0xF0, 0xED, 0xFF, ' '};
    size_t len = (size_t)gen_rng_below(r, max + 1);
    for (size_t i = 0; i < len; i++) {
        uint64_t k = gen_rng_below(r, 4);
        buf[i] = k == 0 ? special[gen_rng_below(r, sizeof special)]
                        : (unsigned char)gen_rng_below(r, 256);
    }
    return len;
}

/* Valid UTF-8: random code points, specials mixed in. */
static size_t random_utf8(gen_rng *r, unsigned char *buf, size_t max) {
    size_t len = 0, want = (size_t)gen_rng_below(r, max + 1);
    while (len + 4 <= want) {
        uint32_t cp;
        switch (gen_rng_below(r, 5)) {
        case 0:
            cp = "\\\n\r\0#\t"[gen_rng_below(r, 6)];
            break;
        case 1:
            cp = (uint32_t)gen_rng_below(r, 0x80);
            break;
        case 2:
            cp = 0x80 + (uint32_t)gen_rng_below(r, 0x800 - 0x80);
            break;
        case 3:
            cp = 0x800 + (uint32_t)gen_rng_below(r, 0x10000 - 0x800);
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xE000;
            break;
        default:
            cp = 0x10000 + (uint32_t)gen_rng_below(r, 0x110000 - 0x10000);
        }
        if (cp < 0x80) {
            buf[len++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            buf[len++] = (unsigned char)(0xC0 | cp >> 6);
            buf[len++] = (unsigned char)(0x80 | (cp & 63));
        } else if (cp < 0x10000) {
            buf[len++] = (unsigned char)(0xE0 | cp >> 12);
            buf[len++] = (unsigned char)(0x80 | ((cp >> 6) & 63));
            buf[len++] = (unsigned char)(0x80 | (cp & 63));
        } else {
            buf[len++] = (unsigned char)(0xF0 | cp >> 18);
            buf[len++] = (unsigned char)(0x80 | ((cp >> 12) & 63));
            buf[len++] = (unsigned char)(0x80 | ((cp >> 6) & 63));
            buf[len++] = (unsigned char)(0x80 | (cp & 63));
        }
    }
    return len;
}

static void roundtrip(case_encoding enc, uint64_t seed, size_t count,
                      size_t max) {
    gen_rng r;
    gen_rng_seed(&r, seed);
    case_data want;
    case_data_init(&want, NULL);
    unsigned char *buf = malloc(max + 1);
    REQUIRE(buf);
    for (size_t i = 0; i < count; i++) {
        size_t n = enc == CASE_ENCODING_BYTES ? random_bytes(&r, buf, max)
                                              : random_utf8(&r, buf, max);
        REQUIRE(case_data_append(&want, buf, n) == CASE_OK);
    }
    free(buf);

    FILE *f = tmpfile();
    REQUIRE(f);
    case_error err;
    case_writer *w = case_writer_open(f, "tmp", enc, &err);
    REQUIRE(w);
    CHECK(case_writer_meta(w, "name", "round trip") == CASE_OK);
    char num[32];
    snprintf(num, sizeof num, "%zu", want.count);
    CHECK(case_writer_meta(w, "strings", num) == CASE_OK);
    for (size_t i = 0; i < want.count; i++)
        CHECK(case_writer_put(w, want.bytes + want.offset[i], want.len[i]) ==
              CASE_OK);
    CHECK(case_writer_close(w, &err) == CASE_OK);

    /* the whole file is valid UTF-8 text */
    long size = ftell(f);
    REQUIRE(size >= 0);
    char *text = malloc((size_t)size + 1);
    REQUIRE(text);
    rewind(f);
    CHECK(fread(text, 1, (size_t)size, f) == (size_t)size);
    CHECK(case_utf8_valid(text, (size_t)size, NULL));
    CHECK(memchr(text, '\0', (size_t)size) == NULL);
    CHECK(memchr(text, '\r', (size_t)size) == NULL);
    free(text);

    rewind(f);
    case_reader *rd = case_reader_open_stream(f, "tmp", NULL, &err);
    REQUIRE(rd);
    CHECK(case_reader_encoding(rd) == enc);
    const char *s;
    size_t n, i = 0;
    case_status st;
    size_t mismatches = 0;
    while ((st = case_reader_next(rd, &s, &n)) == CASE_OK) {
        if (i >= want.count || n != want.len[i] ||
            memcmp(s, want.bytes + want.offset[i], n) != 0)
            mismatches++;
        i++;
    }
    CHECKF(st == CASE_END, "%s", case_reader_error(rd)->message);
    CHECK(i == want.count);
    CHECKF(mismatches == 0, "%zu strings differ", mismatches);
    case_reader_close(rd);
    fclose(f);
    case_data_free(&want);
}

static void test_writer_rules(void) {
    char buf[64];
    /* exactly what is needed */
    CHECK(case_escape("#a#\\\n\r", 6, CASE_ENCODING_UTF8, buf, sizeof buf) ==
          12);
    CHECK(strcmp(buf, "\\x23a#\\\\\\n\\r") == 0);
    CHECK(case_escape("a\tb", 3, CASE_ENCODING_UTF8, buf, sizeof buf) == 3);
    CHECK(case_escape("\0", 1, CASE_ENCODING_BYTES, buf, sizeof buf) == 2 &&
          strcmp(buf, "\\0") == 0);
    CHECK(case_escape("\xc3\xa9\xff", 3, CASE_ENCODING_BYTES, buf,
                      sizeof buf) == 6 &&
          strcmp(buf, "\xc3\xa9\\xFF") == 0);
    /* the size is reported even when the buffer is short */
    CHECK(case_escape("\\\\", 2, CASE_ENCODING_UTF8, buf, 1) == 4);

    FILE *f = tmpfile();
    REQUIRE(f);
    case_error err;
    case_writer *w = case_writer_open(f, "tmp", CASE_ENCODING_UTF8, &err);
    REQUIRE(w);
    CHECK(case_writer_meta(w, "Bad Key", "v") == CASE_ERR_USAGE);
    case_writer_close(w, &err);
    w = case_writer_open(f, "tmp", CASE_ENCODING_UTF8, &err);
    REQUIRE(w);
    CHECK(case_writer_put(w, "ok", 2) == CASE_OK);
    CHECK(case_writer_meta(w, "late", "x") == CASE_ERR_USAGE);
    case_writer_close(w, &err);
    w = case_writer_open(f, "tmp", CASE_ENCODING_UTF8, &err);
    REQUIRE(w);
    CHECK(case_writer_put(w, "\xff", 1) == CASE_ERR_USAGE);
    CHECK(strstr(case_writer_error(w)->message, "not valid UTF-8") != NULL);
    CHECK(case_writer_close(w, &err) == CASE_ERR_USAGE);
    fclose(f);
}

int main(void) {
    test_writer_rules();
    roundtrip(CASE_ENCODING_BYTES, 1, 20000, 40);
    roundtrip(CASE_ENCODING_BYTES, 2, 300, 5000);
    roundtrip(CASE_ENCODING_UTF8, 3, 20000, 40);
    roundtrip(CASE_ENCODING_UTF8, 4, 300, 5000);
    return check_exit();
}
