/* test_conformance_broken.c: the conformance suite (conformance.h) must
 * fail a broken table and say which aspect and table: tables that wrap
 * the registry's chained table and break one invariant each, and one
 * that lacks a required member; and the suite's own memory running out.
 * The same wrapper unbroken passes, so a failure comes from the break. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"
#include "intern/intern.h"
#include "internbench/conformance.h"

/* How a wrapper breaks the table it wraps. */
typedef enum wrap_break {
    WRAP_NONE,
    WRAP_STALE,  /* every 1000th new key's handle: an equal copy */
    WRAP_NOTERM, /* no NUL after a new key's bytes */
    WRAP_LEAK,   /* a block kept, never freed, when an intern fails */
    /* not a break: six allocations of its own in each intern of a new
     * key, freed at once, more than the suite expects of one intern
     * when it takes the stats before a failing one (it runs the point
     * again) */
    WRAP_BUSY,
    /* WRAP_BUSY, and a failed intern leaves a mark in the stats (only
     * the comparison to the byte, with stats taken just before the
     * intern, sees it) */
    WRAP_BUSY_MARK,
} wrap_break;

/* A wrapped table: inner holds the strings; shadow (the C allocator)
 * holds the copies WRAP_STALE hands out. Invariant: alloc is the
 * configured allocator, through which the leaked blocks of WRAP_LEAK
 * went; news counts the keys inner took as new. */
struct intern_table {
    const intern_ops *ops;
    intern_table *inner, *shadow;
    const intern_allocator *alloc;
    wrap_break brk;
    uint64_t news, marks;
};

static wrap_break wrap_next_break;

/* The blocks WRAP_LEAK leaked, still pointed at, so that the leak
 * checkers of the sanitizer builds see them reachable: the leak is the
 * counting allocator's to see. */
static void *wrap_leaked[4096];
static size_t wrap_leaks;

static intern_table *wrap_create(const intern_config *cfg) {
    intern_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ops = intern_registry_find("chained")->ops;
    t->brk = wrap_next_break;
    t->alloc = cfg->alloc;
    intern_config plain = *cfg;
    plain.alloc = NULL;
    t->inner = t->ops->create(cfg);
    t->shadow = t->inner ? t->ops->create(&plain) : NULL;
    if (!t->shadow) {
        if (t->inner)
            t->ops->destroy(t->inner);
        free(t);
        return NULL;
    }
    return t;
}

static void wrap_break_new(intern_table *t, const void *key, size_t len,
                           const intern_str **out) {
    t->news++;
    if (t->brk == WRAP_STALE && t->news % 1000 == 0)
        t->ops->intern(t->shadow, key, len, out);
    else if (t->brk == WRAP_NOTERM)
        ((char *)intern_str_bytes(*out))[len] = 'x';
}

/* WRAP_BUSY's allocations; false when one failed. */
static bool wrap_busy(intern_table *t) {
    for (int k = 0; k < 6; k++) {
        void *p = t->alloc->malloc(t->alloc->ctx, 8);
        if (!p)
            return false;
        t->alloc->free(t->alloc->ctx, p);
    }
    return true;
}

static intern_status wrap_intern(intern_table *t, const void *key, size_t len,
                                 const intern_str **out) {
    if ((t->brk == WRAP_BUSY || t->brk == WRAP_BUSY_MARK) &&
        len <= INTERN_KEY_MAX && !t->ops->find(t->inner, key, len) &&
        !wrap_busy(t))
        return INTERN_ENOMEM;
    void *block = NULL;
    if (t->brk == WRAP_LEAK && len <= INTERN_KEY_MAX &&
        !t->ops->find(t->inner, key, len) &&
        !(block = t->alloc->malloc(t->alloc->ctx, 16)))
        return INTERN_ENOMEM;
    intern_status st = t->ops->intern(t->inner, key, len, out);
    t->marks += st == INTERN_ENOMEM && t->brk == WRAP_BUSY_MARK;
    if (st == INTERN_NEW)
        wrap_break_new(t, key, len, out);
    if (st == INTERN_ENOMEM && block && wrap_leaks < 4096)
        wrap_leaked[wrap_leaks++] = block;
    else if (block)
        t->alloc->free(t->alloc->ctx, block);
    return st;
}

static const intern_str *wrap_find(const intern_table *t, const void *key,
                                   size_t len) {
    return t->ops->find(t->inner, key, len);
}

static void wrap_stats(const intern_table *t, intern_stats *st) {
    t->ops->stats(t->inner, st);
    st->probe_miss_samples += t->marks;
}

static void wrap_destroy(intern_table *t) {
    t->ops->destroy(t->inner);
    t->ops->destroy(t->shadow);
    free(t);
}

static const intern_ops wrap_ops = {
    .name = "wrapped",
    .settings = "the chained table, wrapped (and broken on purpose)",
    .create = wrap_create,
    .intern = wrap_intern,
    .find = wrap_find,
    .stats = wrap_stats,
    .destroy = wrap_destroy,
};

/* Reads the log back: its first cap - 1 bytes as a string. */
static void read_log(FILE *log, char *buf, size_t cap) {
    rewind(log);
    size_t n = fread(buf, 1, cap - 1, log);
    buf[n] = '\0';
}

/* Runs aspect a on the wrapper broken by brk: want 0 (passes) or 1 (the
 * first failure starts "ASPECT: wrapped: ", and a failure in the log
 * holds phrase). */
static void expect(wrap_break brk, conformance_aspect a, int want,
                   const char *phrase) {
    static char text[1 << 16];
    FILE *log = tmpfile();
    REQUIRE(log);
    conformance_options o = {
        .identity_keys = 20000, .batch_keys = 2000, .log = log};
    conformance_result r;
    wrap_next_break = brk;
    int rc = conformance_run(&wrap_ops, a, &o, &r);
    read_log(log, text, sizeof text);
    fclose(log);
    char prefix[64];
    snprintf(prefix, sizeof prefix,
             "%s: wrapped: ", conformance_aspect_name(a));
    CHECKF(rc == want, "%s, break %d: exit %d, want %d (%s)",
           conformance_aspect_name(a), (int)brk, rc, want, r.first);
    if (want == 0)
        CHECKF(r.failed == 0 && r.passed > 0 && r.first[0] == '\0' &&
                   text[0] == '\0',
               "%s: %" PRIu64 " passed, %" PRIu64 " failed",
               conformance_aspect_name(a), r.passed, r.failed);
    else
        CHECKF(r.failed > 0 && strncmp(r.first, prefix, strlen(prefix)) == 0 &&
                   strncmp(text, r.first, strlen(r.first)) == 0 &&
                   strstr(text, phrase),
               "first failure '%s', want '%s' and '%s' in the log", r.first,
               prefix, phrase);
    printf("%s, break %d: %d (%s)\n", conformance_aspect_name(a), (int)brk, rc,
           r.first);
}

/* Address-space limits cannot run under AddressSanitizer (its shadow
 * memory). */
#if defined(__SANITIZE_ADDRESS__)
#define NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_AS_LIMIT 1
#endif
#endif

/* Memory for the suite itself running out (an address-space limit, and
 * an identity aspect of 2 * 10^8 keys): -1 and a message, no abort. */
static void expect_suite_nomem(void) {
#ifndef NO_AS_LIMIT
    struct rlimit old, lim;
    REQUIRE(getrlimit(RLIMIT_AS, &old) == 0);
    lim = old;
    lim.rlim_cur = (rlim_t)256 << 20;
    if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur <= lim.rlim_cur)
        return;
    REQUIRE(setrlimit(RLIMIT_AS, &lim) == 0);
    conformance_options o = {.identity_keys = 200000000};
    conformance_result r;
    int rc = conformance_run(intern_registry_find("chained")->ops,
                             CONFORMANCE_IDENTITY, &o, &r);
    REQUIRE(setrlimit(RLIMIT_AS, &old) == 0);
    CHECKF(
        rc == -1 &&
            strcmp(r.first,
                   "identity: chained: out of memory for the suite itself") ==
                0,
        "the suite out of memory: %d (%s)", rc, r.first);
    printf("identity under a 256 MiB address space: %d (%s)\n", rc, r.first);
#endif
}

int main(void) {
    for (int a = 0; a < CONFORMANCE_ASPECTS; a++)
        CHECK(conformance_aspect_from_name(conformance_aspect_name(a)) == a);
    CHECK(conformance_aspect_from_name("nope") == -1);
    expect(WRAP_NONE, CONFORMANCE_IDENTITY, 0, NULL);
    expect(WRAP_NONE, CONFORMANCE_FAULTS, 0, NULL);
    expect(WRAP_NONE, CONFORMANCE_BATCH, 0, NULL);
    expect(WRAP_STALE, CONFORMANCE_IDENTITY, 1, "handle different");
    expect(WRAP_NOTERM, CONFORMANCE_IDENTITY, 1, "no NUL after");
    expect(WRAP_NOTERM, CONFORMANCE_BIGKEY, 1, "lacks the NUL");
    expect(WRAP_LEAK, CONFORMANCE_FAULTS, 1, "left after destroy");
    expect(WRAP_BUSY, CONFORMANCE_FAULTS, 0, NULL);
    expect(WRAP_BUSY_MARK, CONFORMANCE_FAULTS, 1, "the table changed");
    expect_suite_nomem();
    /* a table without find: refused before anything is called */
    intern_ops partial = wrap_ops;
    partial.find = NULL;
    conformance_result r;
    CHECK(conformance_run(&partial, CONFORMANCE_STATS, NULL, &r) == 1 &&
          strstr(r.first, "stats: wrapped: the ops lack") == r.first);
    return check_exit();
}
