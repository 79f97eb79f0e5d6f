/* compact.c: the memory-first hashed table.
 *
 * Where open spends 8 bytes of cached hash per record and 8 bytes per
 * slot, compact keeps records as small as the handle allows (the 1-byte
 * length header, the bytes, the NUL: no prefix, no alignment) and slots
 * of 5 bytes: a control byte and a 32-bit reference into the arena.
 * Without a cached hash a lookup compares the 7-bit tag, then the length
 * and the bytes, and a growth hashes every string again from its bytes.
 *
 * That rehash is why the index doubles, as open's does, rather than grow
 * x1.5 over a group count that is not a power of two (which would keep
 * the load in 7/12..7/8 instead of 7/16..7/8): x1.5 hashes each string
 * about 2.3 times over a build against about 1.2 for x2, and on 10^5 and
 * 4*10^5 distinct identifiers that made the build 1.8 and 1.9 times
 * open's, where doubling keeps it at 1.3 and 1.1 (issue 15's note). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tables/hashed.h"
#include "tables/tables.h"

/* The reference space: 2^32 bytes in pages of COMPACT_PAGE bytes. Every
 * arena chunk starts a page, so a chunk of its own for one record of a
 * little over 1 KiB (arena.c) leaves most of a page unused: 4 KiB pages
 * keep at least a quarter of the space in use there, and the page table
 * at 8 bytes per 4 KiB of arena. */
enum {
    COMPACT_PAGE_SHIFT = 12,
    COMPACT_PAGES = 1 << (32 - COMPACT_PAGE_SHIFT),
    COMPACT_FIRST_PAGE_SLOTS = 16, /* first size of the page table */
};
#define COMPACT_PAGE ((size_t)1 << COMPACT_PAGE_SHIFT)

/* The most groups: the reference space holds fewer than 2^31 records (at
 * least 2 bytes each), which 2^28 groups hold at load 1/2. */
#define COMPACT_MAX_GROUPS ((size_t)1 << 28)

/* Invariant, index: capacity = INTERN_GROUP * groups, groups a power of
 * two. ctrl[i] is INTERN_CTRL_EMPTY or the tag (hash & INTERN_TAG_MASK)
 * of the string whose reference is refs[i]. A key's home group is
 * (hash >> 7) mod groups, as in open, and its probe sequence the groups
 * home, home + 1, ... modulo groups; every held key
 * sits in the first group of its sequence that had an empty slot when it
 * was inserted. Nothing is deleted, so a lookup stops at the first group
 * with an empty slot. count < capacity always (every probe ends), and
 * count <= 7/8 of capacity unless a growth failed.
 *
 * Invariant, references: a reference r is an offset in a 2^32-byte space
 * of pages; pages[0 .. npages) say where each page is, and the string of
 * r is at pages[r >> COMPACT_PAGE_SHIFT] + (r % COMPACT_PAGE). Each arena
 * chunk, when the arena makes it, takes the next ceil(size / page) pages,
 * page k of the chunk mapping to its base + k pages, so a record's
 * reference is its chunk's first page times the page size plus the
 * handle's offset in the chunk. npages <= page_limit (COMPACT_PAGES, less
 * in tests) and npages <= pages_cap. cur_base is the chunk the arena's
 * next records go into, mapped from page cur_page (NULL before any).
 * Chunks never move, so references stay valid until destroy. */
struct intern_table {
    intern_hashed base;
    uint8_t *ctrl;  /* capacity control bytes, then the references */
    uint32_t *refs; /* inside the same block as ctrl */
    size_t groups;
    const char **pages;
    size_t npages, pages_cap, page_limit;
    const char *cur_base;
    size_t cur_page;
};

static inline size_t compact_capacity(const intern_table *t) {
    return t->groups * INTERN_GROUP;
}

static inline size_t compact_home(size_t groups, uint64_t h) {
    return (size_t)(h >> 7) & (groups - 1);
}

static inline const intern_str *compact_resolve(const intern_table *t,
                                                uint32_t ref) {
    const char *p =
        t->pages[ref >> COMPACT_PAGE_SHIFT] + (ref & (COMPACT_PAGE - 1));
    return (const intern_str *)(const void *)p;
}

static inline uint64_t compact_rehash(const intern_table *t,
                                      const intern_str *s) {
    return intern_hashed_hash(&t->base, intern_str_bytes(s), intern_str_len(s));
}

/* Allocates ctrl and refs for groups groups in one block, all empty. */
static int compact_index_new(const intern_allocator *alloc, size_t groups,
                             uint8_t **ctrl, uint32_t **refs) {
    if (groups > COMPACT_MAX_GROUPS ||
        groups > SIZE_MAX / INTERN_GROUP / (1 + sizeof **refs))
        return -1;
    size_t cap = groups * INTERN_GROUP;
    uint8_t *block = alloc->malloc(alloc->ctx, cap * (1 + sizeof **refs));
    if (!block)
        return -1;
    memset(block, INTERN_CTRL_EMPTY, cap);
    memset(block + cap, 0, cap * sizeof **refs);
    *ctrl = block;
    *refs = (uint32_t *)(void *)(block + cap);
    return 0;
}

/* The fewest groups, a power of two, that hold want strings at load
 * 7/8. */
static size_t compact_groups_for(size_t want) {
    size_t groups = 1;
    while (groups * (INTERN_GROUP / 8 * 7) < want &&
           groups < COMPACT_MAX_GROUPS)
        groups *= 2;
    return groups;
}

static intern_table *compact_create(const intern_config *cfg) {
    size_t want = cfg ? cfg->capacity_hint : 0;
    size_t groups = compact_groups_for(want);
    intern_table *t = intern_hashed_create(cfg, sizeof *t, 1, 0);
    if (!t)
        return NULL;
    if (compact_index_new(t->base.alloc, groups, &t->ctrl, &t->refs) != 0) {
        intern_hashed_destroy(&t->base);
        errno = ENOMEM;
        return NULL;
    }
    t->groups = groups;
    t->page_limit = COMPACT_PAGES;
    return t;
}

static const intern_str *compact_lookup(const intern_table *t, uint64_t h,
                                        const void *key, size_t len) {
    uint8_t tag = (uint8_t)(h & INTERN_TAG_MASK);
    size_t g = compact_home(t->groups, h);
    for (;;) {
        const uint8_t *ctrl = t->ctrl + g * INTERN_GROUP;
        for (intern_group_mask m = intern_group_match(ctrl, tag); m;
             m &= m - 1) {
            const intern_str *s = compact_resolve(
                t, t->refs[g * INTERN_GROUP + (size_t)__builtin_ctz(m)]);
            if (intern_str_len(s) == len &&
                memcmp(intern_str_bytes(s), key, len) == 0)
                return s;
        }
        if (intern_group_match_high(ctrl))
            return NULL;
        g = (g + 1) & (t->groups - 1);
    }
}

/* Puts ref in the first empty slot of its probe sequence. */
static void compact_place(uint8_t *ctrl, uint32_t *refs, size_t groups,
                          uint32_t ref, uint64_t h) {
    size_t g = compact_home(groups, h);
    for (;;) {
        intern_group_mask m = intern_group_match_high(ctrl + g * INTERN_GROUP);
        if (m) {
            size_t i = g * INTERN_GROUP + (size_t)__builtin_ctz(m);
            ctrl[i] = (uint8_t)(h & INTERN_TAG_MASK);
            refs[i] = ref;
            return;
        }
        g = (g + 1) & (groups - 1);
    }
}

/* What an insert allocates before it changes anything, so that any
 * failure can leave the table exactly as it was: a larger index (ctrl
 * NULL if none), a larger page table (pages NULL if none), and the arena
 * chunk the new record made (chunk NULL if none). */
typedef struct compact_pending {
    uint8_t *ctrl;
    uint32_t *refs;
    size_t groups;
    const char **pages;
    size_t pages_cap;
    const char *chunk;
    size_t chunk_pages;
    int chunk_current;
} compact_pending;

/* The steps of an insert below, and compact_intern_hashed, are forced
 * inline: with the batch path as a second caller GCC would otherwise call
 * them out of line, and the single call's insert would pay for the calls.
 * Forced, the single call compiles to the instructions it had before the
 * batch path, and the batch path has its own copy. */

/* The larger index the next insert needs, if it needs one. -1 when the
 * table cannot take another string: the growth failed and without it no
 * slot would stay empty. */
static INTERN_ALWAYS_INLINE int compact_prepare_index(const intern_table *t,
                                                      compact_pending *p) {
    size_t cap = compact_capacity(t);
    /* a growth is rare: GCC laid it off the insert's straight path
     * before the batch path came, and is told so now */
    if (__builtin_expect((t->base.count + 1) * 8 <= cap * 7, 1))
        return 0;
    size_t groups = t->groups * 2;
    if (compact_index_new(t->base.alloc, groups, &p->ctrl, &p->refs) == 0) {
        p->groups = groups;
        return 0;
    }
    p->ctrl = NULL;
    return t->base.count + 2 > cap ? -1 : 0;
}

/* Pages for the chunk the last arena store made, if it made one: -1 when
 * the reference space is full or a larger page table cannot be had. */
static INTERN_ALWAYS_INLINE int compact_prepare_pages(const intern_table *t,
                                                      compact_pending *p) {
    size_t size;
    p->chunk = intern_arena_new_chunk(&t->base.arena, &size, &p->chunk_current);
    if (!p->chunk)
        return 0;
    p->chunk_pages = size / COMPACT_PAGE + (size % COMPACT_PAGE != 0);
    if (p->chunk_pages > t->page_limit - t->npages)
        return -1;
    size_t need = t->npages + p->chunk_pages;
    if (need <= t->pages_cap)
        return 0;
    size_t cap = t->pages_cap ? t->pages_cap : COMPACT_FIRST_PAGE_SLOTS;
    while (cap < need)
        cap *= 2;
    if (cap > COMPACT_PAGES)
        cap = COMPACT_PAGES; /* need <= page_limit <= COMPACT_PAGES */
    p->pages = t->base.alloc->malloc(t->base.alloc->ctx, cap * sizeof(char *));
    if (!p->pages)
        return -1;
    p->pages_cap = cap;
    return 0;
}

static INTERN_ALWAYS_INLINE void compact_pending_free(const intern_table *t,
                                                      compact_pending *p) {
    t->base.alloc->free(t->base.alloc->ctx, p->ctrl);
    t->base.alloc->free(t->base.alloc->ctx, (void *)p->pages);
}

/* Maps the new chunk, if any; returns the reference of handle s. */
static INTERN_ALWAYS_INLINE uint32_t compact_commit_pages(intern_table *t,
                                                          compact_pending *p,
                                                          const intern_str *s) {
    if (p->pages) {
        if (t->npages)
            memcpy((void *)p->pages, (const void *)t->pages,
                   t->npages * sizeof *t->pages);
        t->base.alloc->free(t->base.alloc->ctx, (void *)t->pages);
        t->pages = p->pages;
        t->pages_cap = p->pages_cap;
    }
    const char *at = intern_str_bytes(s);
    size_t first = t->cur_page;
    const char *base = t->cur_base;
    if (p->chunk) {
        first = t->npages;
        base = p->chunk;
        for (size_t k = 0; k < p->chunk_pages; k++)
            t->pages[t->npages++] = p->chunk + k * COMPACT_PAGE;
        if (p->chunk_current) {
            t->cur_base = p->chunk;
            t->cur_page = first;
        }
    }
    return (uint32_t)(first * COMPACT_PAGE + (size_t)(at - base));
}

/* Moves every held string into the prepared larger index. */
static INTERN_ALWAYS_INLINE void compact_commit_index(intern_table *t,
                                                      compact_pending *p) {
    if (!p->ctrl)
        return;
    size_t cap = compact_capacity(t);
    for (size_t i = 0; i < cap; i++) {
        /* the records are read in hash order, not arena order: ask for
         * one a group ahead while this one is hashed */
        size_t ahead = i + INTERN_GROUP;
        if (ahead < cap && t->ctrl[ahead] != INTERN_CTRL_EMPTY)
            __builtin_prefetch(
                intern_str_bytes(compact_resolve(t, t->refs[ahead])) - 1);
        if (t->ctrl[i] != INTERN_CTRL_EMPTY)
            compact_place(p->ctrl, p->refs, p->groups, t->refs[i],
                          compact_rehash(t, compact_resolve(t, t->refs[i])));
    }
    t->base.alloc->free(t->base.alloc->ctx, t->ctrl);
    t->ctrl = p->ctrl;
    t->refs = p->refs;
    t->groups = p->groups;
    t->base.resizes++;
}

/* Interns a key whose hash is h (and whose length is at most
 * INTERN_KEY_MAX): the single call's work, and the batch path's. */
static INTERN_ALWAYS_INLINE intern_status
compact_intern_hashed(intern_table *t, uint64_t h, const void *key, size_t len,
                      const intern_str **out) {
    const intern_str *found = compact_lookup(t, h, key, len);
    if (found) {
        *out = found;
        return INTERN_FOUND;
    }
    compact_pending p = {0};
    if (compact_prepare_index(t, &p) != 0)
        return INTERN_ENOMEM;
    const intern_str *s = intern_arena_store(&t->base.arena, key, len);
    if (!s || compact_prepare_pages(t, &p) != 0) {
        if (s)
            intern_arena_undo(&t->base.arena);
        compact_pending_free(t, &p);
        return INTERN_ENOMEM;
    }
    /* nothing can fail from here on */
    uint32_t ref = compact_commit_pages(t, &p, s);
    compact_commit_index(t, &p);
    compact_place(t->ctrl, t->refs, t->groups, ref, h);
    t->base.count++;
    t->base.payload_bytes += len;
    *out = s;
    return INTERN_NEW;
}

static intern_status compact_intern(intern_table *t, const void *key,
                                    size_t len, const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    return compact_intern_hashed(t, intern_hashed_hash(&t->base, key, len), key,
                                 len, out);
}

static const intern_str *compact_find(const intern_table *t, const void *key,
                                      size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return compact_lookup(t, intern_hashed_hash(&t->base, key, len), key, len);
}

/* ---- batch operations (the driver is hashed.h's) --------------------- */

/* A hit touches three lines the others do not share: the home group's
 * control bytes, the line of its references that holds the slot, and
 * the record (the page table, 8 bytes per 4 KiB of records, stays in
 * cache). start asks for the first two, probe for the record. */

/* start: the hash, the home group's control bytes and its references
 * (64 bytes, on one line or across two). */
static inline void compact_batch_start(const void *tv, intern_batch_key *k,
                                       const void *key, size_t len) {
    const intern_table *t = tv;
    k->h = intern_hashed_hash(&t->base, key, len);
    size_t at = compact_home(t->groups, k->h) * INTERN_GROUP;
    __builtin_prefetch(t->ctrl + at);
    __builtin_prefetch(t->refs + at);
    __builtin_prefetch(t->refs + at + INTERN_GROUP - 1);
}

/* probe: the first slot of the home group whose tag matches (nearly
 * always the key, if it is held), resolved to its record, which is
 * prefetched: its header and the end of its bytes. */
static inline void compact_batch_probe(const void *tv, intern_batch_key *k,
                                       size_t len) {
    const intern_table *t = tv;
    size_t at = compact_home(t->groups, k->h) * INTERN_GROUP;
    intern_group_mask m =
        intern_group_match(t->ctrl + at, (uint8_t)(k->h & INTERN_TAG_MASK));
    k->cand = NULL;
    if (m) {
        k->cand = compact_resolve(t, t->refs[at + (size_t)__builtin_ctz(m)]);
        __builtin_prefetch(intern_str_bytes(k->cand) - 1);
        __builtin_prefetch(intern_str_bytes(k->cand) + len);
    }
}

/* Whether the held string s is the len bytes at key (records never move,
 * so a candidate found a window ago still is, or is not, the key). */
static inline int compact_is(const intern_str *s, const void *key, size_t len) {
    return intern_str_len(s) == len &&
           intern_bytes_equal(intern_str_bytes(s), key, len);
}

static inline intern_status compact_batch_intern(void *tv,
                                                 const intern_batch_key *k,
                                                 const void *key, size_t len,
                                                 const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    if (k->cand && compact_is(k->cand, key, len)) {
        *out = k->cand;
        return INTERN_FOUND;
    }
    /* the key may have come in since it was probed: look again */
    return compact_intern_hashed(tv, k->h, key, len, out);
}

static inline intern_status compact_batch_find(void *tv,
                                               const intern_batch_key *k,
                                               const void *key, size_t len,
                                               const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        *out = NULL;
    else if (k->cand && compact_is(k->cand, key, len))
        *out = k->cand;
    else
        *out = compact_lookup(tv, k->h, key, len);
    return *out ? INTERN_FOUND : INTERN_NEW;
}

static inline intern_status compact_batch_intern_one(void *tv, const void *key,
                                                     size_t len,
                                                     const intern_str **out) {
    return compact_intern(tv, key, len, out);
}

static inline intern_status compact_batch_find_one(void *tv, const void *key,
                                                   size_t len,
                                                   const intern_str **out) {
    *out = compact_find(tv, key, len);
    return *out ? INTERN_FOUND : INTERN_NEW;
}

/* For the driver's choice between the pipeline and the single calls: the
 * bytes a lookup reaches into at random, the index and the records. With
 * the index alone (5 B a slot, against open's 9) the pipeline would start
 * at twice as many strings as open's, but it measured faster from about
 * the same count (2*10^5 identifiers: batch hit 18 against 21 ns, batch
 * shuffled 21 against 32; batch_measure --min-index 0 and 1e12). */
static size_t compact_index_bytes(const void *tv) {
    const intern_table *t = tv;
    return compact_capacity(t) * (1 + sizeof *t->refs) +
           (size_t)t->base.arena.used_bytes;
}

static size_t compact_intern_many(intern_table *t, const void *const *keys,
                                  const size_t *lens, size_t n,
                                  const intern_str **out,
                                  intern_status *status) {
    static const intern_batch_stages stages = {
        compact_batch_start, compact_batch_probe, compact_batch_intern,
        compact_batch_intern_one, compact_index_bytes};
    size_t found = 0;
    return intern_batch_run(t, &stages, keys, lens, n, out, status, &found);
}

static size_t compact_find_many(const intern_table *t, const void *const *keys,
                                const size_t *lens, size_t n,
                                const intern_str **out) {
    static const intern_batch_stages stages = {
        compact_batch_start, compact_batch_probe, compact_batch_find,
        compact_batch_find_one, compact_index_bytes};
    size_t found = 0;
    /* the find stages never change the table */
    intern_batch_run((void *)(uintptr_t)t, &stages, keys, lens, n, out, NULL,
                     &found);
    return found;
}

static void compact_stats(const intern_table *t, intern_stats *st) {
    size_t cap = compact_capacity(t);
    intern_hashed_account(
        &t->base, sizeof *t,
        cap * (1 + sizeof *t->refs) + t->pages_cap * sizeof *t->pages, cap, st);
    /* groups a hit visits: from its home group to the group it sits in */
    for (size_t i = 0; i < cap; i++) {
        if (t->ctrl[i] == INTERN_CTRL_EMPTY)
            continue;
        size_t home = compact_home(
            t->groups, compact_rehash(t, compact_resolve(t, t->refs[i])));
        size_t g = i / INTERN_GROUP;
        uint64_t visits = ((g - home) & (t->groups - 1)) + 1;
        st->probe_hit_sum += visits;
        if (visits > st->probe_hit_max)
            st->probe_hit_max = visits;
    }
    /* groups a miss visits, from each home group */
    for (size_t home = 0; home < t->groups; home++) {
        size_t g = home;
        uint64_t visits = 1;
        while (!intern_group_match_high(t->ctrl + g * INTERN_GROUP)) {
            g = (g + 1) & (t->groups - 1);
            visits++;
        }
        st->probe_miss_sum += visits;
    }
    st->probe_miss_samples = t->groups;
}

static void compact_destroy(intern_table *t) {
    if (!t)
        return;
    t->base.alloc->free(t->base.alloc->ctx, t->ctrl);
    t->base.alloc->free(t->base.alloc->ctx, (void *)t->pages);
    intern_hashed_destroy(&t->base);
}

void intern_compact_limit_pages(intern_table *t, size_t pages) {
    if (pages > COMPACT_PAGES)
        pages = COMPACT_PAGES;
    t->page_limit = pages < t->npages ? t->npages : pages;
}

const intern_ops intern_compact_ops = {
    .name = "compact",
    .settings = "memory first: records of 1-byte header + bytes + NUL, no "
                "cached hash; 7-bit tags in 16-slot groups matched "
                "with " INTERN_GROUP_MATCH_PATH
                ", 32-bit references into the arena (5 B a slot), load "
                "at most 7/8, grows x2; a prefetching batch path",
    .create = compact_create,
    .intern = compact_intern,
    .find = compact_find,
    .stats = compact_stats,
    .destroy = compact_destroy,
    .intern_many = compact_intern_many,
    .find_many = compact_find_many,
};
