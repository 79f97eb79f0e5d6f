/* test_arena.c: the arena's chunk policy and what it tells tables about
 * its chunks: slack stays a small fraction of what is held at every size,
 * intern_arena_new_chunk names each chunk a store made and whether later
 * records go into it, and undo gives back exactly what the store took. */
#include <string.h>

#include "arena.h"
#include "check.h"
#include "conformance_keys.h"
#include "intern/alloc.h"

/* The arena's slack: unused chunk bytes (arena.h's accounting). */
static uint64_t arena_slack(const intern_arena *a) {
    intern_stats st;
    memset(&st, 0, sizeof st);
    intern_arena_account(a, 0, &st);
    return st.slack_bytes;
}

/* Identifier-sized records, one at a time: slack never exceeds 1/8 of
 * what is held plus one minimum chunk (the policy's 1/16 plus the tails
 * left behind when a record did not fit), where chunks that double could
 * leave half of it unused. */
static void test_slack(void) {
    for (size_t align = 1; align <= 8; align *= 8) {
        intern_counting_alloc ca;
        intern_counting_alloc_init(&ca);
        intern_arena a;
        intern_arena_init(&a, &ca.base, align, align == 1 ? 0 : 8);
        keys_rng r = {align};
        char key[40];
        memset(key, 'k', sizeof key);
        uint64_t worst_excess = 0, worst_at = 0;
        for (size_t i = 0; i < 400000; i++) {
            size_t len = 3 + (size_t)keys_rng_below(&r, 18);
            REQUIRE(intern_arena_store(&a, key, len) != NULL);
            uint64_t slack = arena_slack(&a), bound = a.held_bytes / 8 + 1024;
            if (slack > bound && slack - bound > worst_excess) {
                worst_excess = slack - bound;
                worst_at = i;
            }
        }
        CHECKF(worst_excess == 0,
               "align %zu: slack above held/8 + 1 KiB by %" PRIu64
               " B after record %" PRIu64,
               align, worst_excess, worst_at);
        CHECK(a.held_bytes == ca.live_bytes);
        printf("slack: align %zu: %" PRIu64 " B held, %" PRIu64
               " B slack (%.2f%%)\n",
               align, a.held_bytes, arena_slack(&a),
               100.0 * (double)arena_slack(&a) / (double)a.held_bytes);
        intern_arena_release(&a);
        CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
    }
}

static int arena_contains(const void *chunk, size_t size, const void *p) {
    uintptr_t c = (uintptr_t)chunk, at = (uintptr_t)p;
    return at >= c && at < c + size;
}

/* intern_arena_new_chunk after each kind of store. */
static void test_new_chunk(void) {
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_arena a;
    intern_arena_init(&a, &ca.base, 1, 0);
    size_t size, size2;
    int current;
    static char big[5000];
    memset(big, 'b', sizeof big);

    /* a big record first: a chunk of its own, and no chunk to go on in */
    const intern_str *s = intern_arena_store(&a, big, sizeof big);
    const void *own = intern_arena_new_chunk(&a, &size, &current);
    CHECK(s && own && !current && size > sizeof big);
    CHECK(arena_contains(own, size, s));

    /* then a regular chunk, which the next records go into */
    s = intern_arena_store(&a, "abc", 3);
    const void *regular = intern_arena_new_chunk(&a, &size, &current);
    CHECK(s && regular && regular != own && current);
    CHECK(arena_contains(regular, size, s));
    s = intern_arena_store(&a, "defg", 4);
    CHECK(s && intern_arena_new_chunk(&a, &size2, &current) == NULL);
    CHECK(size2 == 0 && !current && arena_contains(regular, size, s));

    /* a big record now: its own chunk, and the regular one goes on */
    s = intern_arena_store(&a, big, sizeof big - 1);
    const void *own2 = intern_arena_new_chunk(&a, &size2, &current);
    CHECK(s && own2 && own2 != regular && !current);
    CHECK(arena_contains(own2, size2, s));
    s = intern_arena_store(&a, "hij", 3);
    CHECK(s && intern_arena_new_chunk(&a, &size2, &current) == NULL);
    CHECK(arena_contains(regular, size, s));

    /* undone: no chunk to report */
    s = intern_arena_store(&a, big, sizeof big - 2);
    CHECK(s && intern_arena_new_chunk(&a, &size2, &current) != NULL);
    intern_arena_undo(&a);
    CHECK(intern_arena_new_chunk(&a, &size2, &current) == NULL);
    intern_arena_release(&a);
    CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
}

/* Undo of a store that made a chunk: the bytes held and used, and the
 * size of the next chunk, are as if the store had not happened. */
static void test_undo(void) {
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_arena a;
    intern_arena_init(&a, &ca.base, 1, 0);
    char key[20];
    memset(key, 'u', sizeof key);
    size_t made = 0;
    for (size_t i = 0; i < 50000 && made < 40; i++) {
        uint64_t held = a.held_bytes, used = a.used_bytes;
        uint64_t live = ca.live_bytes;
        REQUIRE(intern_arena_store(&a, key, sizeof key) != NULL);
        size_t size, again;
        int current;
        if (!intern_arena_new_chunk(&a, &size, &current))
            continue;
        made++;
        intern_arena_undo(&a);
        CHECK(a.held_bytes == held && a.used_bytes == used &&
              ca.live_bytes == live);
        REQUIRE(intern_arena_store(&a, key, sizeof key) != NULL);
        CHECK(intern_arena_new_chunk(&a, &again, &current) && again == size);
    }
    CHECK(made == 40);
    intern_arena_release(&a);
    CHECK(ca.live_bytes == 0 && ca.live_blocks == 0);
}

int main(void) {
    test_slack();
    test_new_chunk();
    test_undo();
    return check_exit();
}
