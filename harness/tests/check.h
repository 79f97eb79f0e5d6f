/* check.h: the assertions every C test uses. A failed check prints the
 * file, line and expression and counts a failure; check_exit() prints the
 * closing line "N passed, N failed" and returns the exit code. */
#ifndef INTERN_TESTS_CHECK_H
#define INTERN_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long check_passed_count;
static unsigned long check_failed_count;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed_count++;                                              \
        } else {                                                               \
            check_failed_count++;                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

/* CHECK with a printf-style explanation on failure. */
#define CHECKF(cond, ...)                                                      \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed_count++;                                              \
        } else {                                                               \
            check_failed_count++;                                              \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__,   \
                    #cond);                                                    \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

/* Stops the test at once: for a failure that makes what follows moot. */
#define REQUIRE(cond)                                                          \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: required: %s\n", __FILE__, __LINE__,       \
                    #cond);                                                    \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static inline int check_exit(void) {
    printf("%lu passed, %lu failed\n", check_passed_count, check_failed_count);
    return check_failed_count ? 1 : 0;
}

#endif
