/* alloc.h: allocators that tests and measurements pass to tables. */
#ifndef INTERN_ALLOC_H
#define INTERN_ALLOC_H

#include <stdint.h>

#include "intern/intern.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The C library's malloc, realloc and free behind the interface. */
extern const intern_allocator intern_alloc_libc;

/* Counts every byte and block that passes through it, and can fail the
 * Nth allocation attempt (malloc or realloc) to test failure paths.
 * Invariant: live_bytes is the sum of the sizes of the blocks handed out
 * and not yet freed; each block carries its size in a hidden header, so
 * frees are counted exactly without the caller passing a size.
 * Pass &counter.base as intern_config.alloc. */
typedef struct intern_counting_alloc {
    intern_allocator base;
    uint64_t live_bytes;
    uint64_t peak_bytes;
    uint64_t live_blocks;
    uint64_t allocations; /* successful mallocs and reallocs */
    uint64_t attempts;    /* all mallocs and reallocs, failed ones too */
    uint64_t failures;    /* attempts refused, by fail_at or the system */
    uint64_t fail_at; /* refuse attempt number fail_at (1-based); 0: never */
    int fail_every_after; /* non-zero: refuse every attempt from fail_at on */
} intern_counting_alloc;

void intern_counting_alloc_init(intern_counting_alloc *ca);

#ifdef __cplusplus
}
#endif

#endif
