/* test_case_stream.c: the case reader streams. Reads standard input
 * through case_reader (never case_load), checks every string and the
 * count, and checks that the peak RSS grew by at most a few MiB while
 * reading, however many strings go by: a reader that held the file (or
 * the strings) would grow by at least the input's size.
 *
 * Usage: test_case_stream lines|case COUNT [MAX_GROWTH_MIB]
 *   lines: every line is "y"     (yes | head -n COUNT)
 *   case:  a case file whose every string is written a\x41b, read as
 *          "aAb"                 ({ echo '# internbench case v1';
 *                                   yes 'a\x41b' | head -n COUNT; }) */
#include <inttypes.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "check.h"
#include "internbench/case.h"

static long stream_maxrss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

int main(int argc, char **argv) {
    if (argc < 3 ||
        (strcmp(argv[1], "lines") != 0 && strcmp(argv[1], "case") != 0)) {
        fprintf(stderr, "usage: test_case_stream lines|case COUNT "
                        "[MAX_GROWTH_MIB]\n");
        return 2;
    }
    bool lines = strcmp(argv[1], "lines") == 0;
    uint64_t want = strtoull(argv[2], NULL, 10);
    long max_growth_kib = (argc > 3 ? atol(argv[3]) : 16) * 1024;
    const char *expect = lines ? "y" : "aAb";
    size_t expect_len = strlen(expect);

    case_options opt;
    case_options_init(&opt);
    opt.lines = lines;
    case_error err;
    case_reader *r = case_reader_open("-", &opt, &err);
    if (!r) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    long rss_before = stream_maxrss_kib();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *s;
    size_t n;
    uint64_t count = 0, bytes = 0, wrong = 0;
    case_status st;
    while ((st = case_reader_next(r, &s, &n)) == CASE_OK) {
        count++;
        bytes += n;
        if (n != expect_len || memcmp(s, expect, n) != 0)
            wrong++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECKF(st == CASE_END, "%s", case_reader_error(r)->message);
    case_reader_close(r);
    long rss_after = stream_maxrss_kib();
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    CHECKF(count == want, "%" PRIu64 " strings read, %" PRIu64 " expected",
           count, want);
    CHECKF(wrong == 0, "%" PRIu64 " strings differ from '%s'", wrong, expect);
    CHECKF(rss_after - rss_before <= max_growth_kib,
           "peak RSS grew by %ld KiB reading %" PRIu64
           " strings (limit %ld KiB): the reader holds what it read",
           rss_after - rss_before, count, max_growth_kib);
    printf("%s: %" PRIu64 " strings, %" PRIu64 " bytes in %.2f s "
           "(%.1f M strings/s); peak RSS %ld KiB, grew %ld KiB while "
           "reading\n",
           argv[1], count, bytes, secs,
           secs > 0 ? (double)count / secs / 1e6 : 0, rss_after,
           rss_after - rss_before);
    return check_exit();
}
