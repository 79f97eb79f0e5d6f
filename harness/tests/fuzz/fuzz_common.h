/* fuzz_common.h: what the fuzz targets share. A target defines
 * LLVMFuzzerTestOneInput; libFuzzer drives it in the fuzz build, and
 * fuzz_replay.c drives it over a corpus in every build. A broken
 * invariant prints what broke and aborts, which libFuzzer records as a
 * crash (with the input) and the replay test reports as a failure. */
#ifndef INTERN_TESTS_FUZZ_COMMON_H
#define INTERN_TESTS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: fuzz invariant broken: %s: ", __FILE__,    \
                    __LINE__, #cond);                                          \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Reads the input front to back; past the end every read gives 0. */
typedef struct fuzz_input {
    const uint8_t *data;
    size_t size, pos;
} fuzz_input;

static inline uint8_t fuzz_byte(fuzz_input *in) {
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline size_t fuzz_left(const fuzz_input *in) {
    return in->size - in->pos;
}

#endif
