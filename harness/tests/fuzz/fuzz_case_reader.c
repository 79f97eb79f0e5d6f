/* fuzz_case_reader.c: the case reader on any bytes.
 *
 * Input layout: byte 0 holds flags (bit 0: --lines mode; bit 1: a small
 * line limit of byte 1 + 1; bit 2: a failing allocator refusing attempt
 * byte 2 + 1; bit 3: and every attempt after it); bytes 3.. are the file.
 *
 * Checked on every input: the reader never crashes and returns OK, END
 * or an error naming the file; every string is NUL-terminated, within the
 * line limit and (case mode, utf-8) valid UTF-8; END and errors stay; the
 * count is the strings returned; nothing is leaked. Under a failing
 * allocator the run gives the same strings until an allocation fails,
 * then CASE_ERR_NOMEM (never a crash, never a format error). A file read
 * to its end is written back with the case writer and read again: the
 * same strings (the writer and reader are inverse). */
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "intern/alloc.h"
#include "internbench/case.h"

#define FUZZ_NAME "fuzz-input"

/* The strings of one run, the status it ended with and its message. */
typedef struct fuzz_run {
    case_data strings;
    case_status status;
    case_error err;
    case_encoding encoding;
} fuzz_run;

static FILE *fuzz_open_bytes(const uint8_t *data, size_t size) {
    /* fmemopen refuses a zero size on some libcs: an empty file is a
     * temporary file then */
    if (size == 0)
        return tmpfile();
    return fmemopen((void *)data, size, "rb");
}

/* Reads everything data holds; run->strings is initialised here and
 * freed by the caller. */
static void fuzz_read(const uint8_t *data, size_t size, const case_options *opt,
                      fuzz_run *run) {
    case_data_init(&run->strings, NULL);
    run->encoding = CASE_ENCODING_UTF8;
    FILE *f = fuzz_open_bytes(data, size);
    FUZZ_CHECK(f != NULL, "fmemopen of %zu bytes", size);
    case_reader *r = case_reader_open_stream(f, FUZZ_NAME, opt, &run->err);
    if (!r) {
        run->status = run->err.status;
        FUZZ_CHECK(run->status < 0, "open failed with status %d", run->status);
        fclose(f);
        return;
    }
    run->encoding = case_reader_encoding(r);
    size_t line_max = opt->line_max ? opt->line_max : CASE_LINE_MAX_DEFAULT;
    const char *s;
    size_t n;
    case_status st;
    while ((st = case_reader_next(r, &s, &n)) == CASE_OK) {
        FUZZ_CHECK(s[n] == '\0', "string %zu not NUL-terminated",
                   run->strings.count);
        FUZZ_CHECK(n <= line_max, "string of %zu bytes over the limit %zu", n,
                   line_max);
        if (!opt->lines && run->encoding == CASE_ENCODING_UTF8)
            FUZZ_CHECK(case_utf8_valid(s, n, NULL),
                       "string %zu is not UTF-8 in a utf-8 case",
                       run->strings.count);
        FUZZ_CHECK(case_data_append(&run->strings, s, n) == CASE_OK,
                   "out of memory in the test");
    }
    FUZZ_CHECK(st == CASE_END || st < 0, "next returned %d", st);
    FUZZ_CHECK(case_reader_next(r, &s, &n) == st, "status %d did not stay", st);
    FUZZ_CHECK(case_reader_count(r) == run->strings.count,
               "count %llu, strings returned %zu",
               (unsigned long long)case_reader_count(r), run->strings.count);
    run->status = st;
    if (st < 0) {
        run->err = *case_reader_error(r);
        FUZZ_CHECK(run->err.status == st, "error status %d, returned %d",
                   run->err.status, st);
    }
    case_reader_close(r);
    fclose(f);
}

static void fuzz_check_message(const fuzz_run *run) {
    if (run->status >= 0)
        return;
    FUZZ_CHECK(memchr(run->err.message, '\0', sizeof run->err.message),
               "message not terminated");
    FUZZ_CHECK(
        strncmp(run->err.message, FUZZ_NAME ":", strlen(FUZZ_NAME ":")) == 0,
        "message '%s' does not name the file", run->err.message);
}

static bool fuzz_same_string(const case_data *a, size_t i, const case_data *b,
                             size_t j) {
    return a->len[i] == b->len[j] &&
           memcmp(a->bytes + a->offset[i], b->bytes + b->offset[j],
                  a->len[i]) == 0;
}

/* Writes run's strings with the case writer and reads them back. */
static void fuzz_roundtrip(const fuzz_run *run) {
    char *buf = NULL;
    size_t buf_len = 0;
    FILE *out = open_memstream(&buf, &buf_len);
    FUZZ_CHECK(out != NULL, "open_memstream");
    case_error err;
    case_writer *w = case_writer_open(out, "roundtrip", run->encoding, &err);
    FUZZ_CHECK(w != NULL, "writer open: %s", err.message);
    for (size_t i = 0; i < run->strings.count; i++) {
        case_status st =
            case_writer_put(w, run->strings.bytes + run->strings.offset[i],
                            run->strings.len[i]);
        FUZZ_CHECK(st == CASE_OK, "writer refused string %zu: %s", i,
                   case_writer_error(w)->message);
    }
    FUZZ_CHECK(case_writer_close(w, &err) == CASE_OK, "writer close: %s",
               err.message);
    fclose(out);

    case_options opt;
    case_options_init(&opt);
    fuzz_run back;
    fuzz_read((const uint8_t *)buf, buf_len, &opt, &back);
    FUZZ_CHECK(back.status == CASE_END, "written case read back: %s",
               back.err.message);
    FUZZ_CHECK(back.strings.count == run->strings.count,
               "%zu strings written, %zu read back", run->strings.count,
               back.strings.count);
    for (size_t i = 0; i < back.strings.count; i++)
        FUZZ_CHECK(fuzz_same_string(&run->strings, i, &back.strings, i),
                   "string %zu changed through the writer", i);
    case_data_free(&back.strings);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size, 0};
    uint8_t flags = fuzz_byte(&in);
    uint8_t limit = fuzz_byte(&in);
    uint8_t fail = fuzz_byte(&in);
    const uint8_t *file = data + in.pos;
    size_t file_size = fuzz_left(&in);

    case_options opt;
    case_options_init(&opt);
    opt.lines = flags & 1;
    if (flags & 2)
        opt.line_max = (size_t)limit + 1;

    /* the plain run, through a counting allocator: nothing leaked */
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    opt.alloc = &ca.base;
    fuzz_run ref;
    fuzz_read(file, file_size, &opt, &ref);
    FUZZ_CHECK(ca.live_bytes == 0 && ca.live_blocks == 0, "%llu bytes leaked",
               (unsigned long long)ca.live_bytes);
    FUZZ_CHECK(ref.status == CASE_END || ref.status == CASE_ERR_FORMAT,
               "status %d (%s) on a memory file", ref.status, ref.err.message);
    fuzz_check_message(&ref);

    /* the same under a failing allocator */
    if (flags & 4) {
        intern_counting_alloc_init(&ca);
        ca.fail_at = (uint64_t)fail + 1;
        ca.fail_every_after = (flags & 8) != 0;
        fuzz_run got;
        fuzz_read(file, file_size, &opt, &got);
        FUZZ_CHECK(ca.live_bytes == 0 && ca.live_blocks == 0,
                   "%llu bytes leaked after failing attempt %u",
                   (unsigned long long)ca.live_bytes, fail + 1);
        fuzz_check_message(&got);
        if (got.status != ref.status) {
            FUZZ_CHECK(got.status == CASE_ERR_NOMEM && ca.failures > 0,
                       "status %d under a failing allocator, %d without",
                       got.status, ref.status);
            FUZZ_CHECK(got.strings.count <= ref.strings.count,
                       "more strings under a failing allocator");
        } else {
            FUZZ_CHECK(got.strings.count == ref.strings.count,
                       "%zu strings under a failing allocator, %zu without",
                       got.strings.count, ref.strings.count);
        }
        for (size_t i = 0; i < got.strings.count; i++)
            FUZZ_CHECK(fuzz_same_string(&got.strings, i, &ref.strings, i),
                       "string %zu differs under a failing allocator", i);
        case_data_free(&got.strings);
    }

    if (ref.status == CASE_END)
        fuzz_roundtrip(&ref);
    case_data_free(&ref.strings);
    return 0;
}
