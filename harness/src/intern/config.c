/* config.c: table configuration defaults, seeds and status names. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "arena.h"
#include "intern/alloc.h"
#include "intern/intern.h"

void intern_config_init(intern_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->hash = INTERN_HASH_XXH3;
}

const intern_allocator *intern_config_allocator(const intern_config *cfg) {
    return cfg && cfg->alloc ? cfg->alloc : &intern_alloc_libc;
}

uint64_t intern_config_seed(const intern_config *cfg) {
    if (cfg && cfg->seed_fixed)
        return cfg->seed;
    uint64_t seed;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
        return seed;
    /* No entropy yet (early boot): the clock and an address, mixed. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    seed = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^
           (uint64_t)(uintptr_t)&ts;
    return seed;
}

const char *intern_status_text(intern_status status) {
    switch (status) {
    case INTERN_NEW:
        return "new";
    case INTERN_FOUND:
        return "found";
    case INTERN_ENOMEM:
        return "out of memory";
    case INTERN_E2BIG:
        return "key too long";
    }
    return "unknown status";
}
