/* fuzz_table.c: every registered table against a sorted array, under
 * intern and find sequences the fuzzer chooses.
 *
 * Input layout: byte 0 picks the table (modulo the registry's size; the
 * environment variable INTERNBENCH_FUZZ_TABLE=NAME pins one instead),
 * byte 1 the hash (modulo 3), byte 2 the capacity hint (0..255), then a
 * program of operations, one opcode byte each (low 3 bits):
 *   0     intern a key read from the input: a length byte L (255: two
 *         more bytes, little-endian), then L bytes
 *   1     a batch (intern_many, or with opcode bit 3 intern_find_many):
 *         a count byte (1..48 keys), then per key a selector byte: a new
 *         key (a length byte, then its bytes), an earlier key of the
 *         reference (an index byte), an earlier key of this batch (an
 *         index byte; the same pointer, or a copy with bit 2 of the
 *         selector); bit 4 makes one key too long (a position byte), bit
 *         5 passes no status array, bits 6-7 choose the batch path's
 *         window (1, 2, 5 or 16; its pipeline runs at any table size
 *         here). Checked as the loop of single calls:
 *         statuses, one handle per key, the count done and the entries
 *         past it untouched when an allocation fails part-way
 *   2     intern an earlier key again (an index byte): FOUND, same handle
 *   3     find a key read from the input: the reference decides
 *   4     intern an earlier key changed: the high opcode bits choose one
 *         byte appended, the last byte dropped, or one byte flipped
 *   5     the allocator fails from the next attempt on (high bits: one
 *         attempt or all of them), or stops failing
 *   6     find an earlier key (an index byte): its handle
 *   7     check everything: stats against the allocator, every handle,
 *         the ordered walks of a table that keeps an order (walks in the
 *         first four checks only, and at the end)
 *
 * Invariants (the interface's): intern gives the same pointer exactly
 * when the bytes are equal; a handle holds its key, NUL-terminated, and
 * stays put through every growth; INTERN_ENOMEM leaves the table as it
 * was and usable; stats' categories add up to what the allocator holds;
 * destroy frees every byte. */
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "tables/hashed.h"

/* The reference: every interned key with its handle, sorted bytewise
 * (shorter first on a shared prefix). Invariant: keys are distinct and
 * ent[0..count) is in that order; each key is a private copy. */
typedef struct fuzz_ref_entry {
    unsigned char *key;
    size_t len;
    const intern_str *handle;
} fuzz_ref_entry;

typedef struct fuzz_ref {
    fuzz_ref_entry *ent;
    size_t count, cap;
    uint64_t payload;
} fuzz_ref;

static int fuzz_key_cmp(const void *a, size_t alen, const void *b,
                        size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* The index of key, or of where it would go with *found false. */
static size_t fuzz_ref_search(const fuzz_ref *ref, const void *key, size_t len,
                              bool *found) {
    size_t lo = 0, hi = ref->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = fuzz_key_cmp(ref->ent[mid].key, ref->ent[mid].len, key, len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static void fuzz_ref_insert(fuzz_ref *ref, size_t at, const void *key,
                            size_t len, const intern_str *handle) {
    if (ref->count == ref->cap) {
        ref->cap = ref->cap ? 2 * ref->cap : 64;
        ref->ent = realloc(ref->ent, ref->cap * sizeof *ref->ent);
        FUZZ_CHECK(ref->ent != NULL, "out of memory in the test");
    }
    unsigned char *copy = malloc(len ? len : 1);
    FUZZ_CHECK(copy != NULL, "out of memory in the test");
    if (len)
        memcpy(copy, key, len);
    memmove(ref->ent + at + 1, ref->ent + at,
            (ref->count - at) * sizeof *ref->ent);
    ref->ent[at] = (fuzz_ref_entry){copy, len, handle};
    ref->count++;
    ref->payload += len;
}

static void fuzz_ref_free(fuzz_ref *ref) {
    for (size_t i = 0; i < ref->count; i++)
        free(ref->ent[i].key);
    free(ref->ent);
}

/* The table under test and what the test knows about it. */
typedef struct fuzz_state {
    const intern_ops *ops;
    intern_table *t;
    intern_counting_alloc ca;
    intern_hash_kind hash;
    uint64_t seed;
    fuzz_ref ref;
    unsigned char scratch[65536 + 2];
} fuzz_state;

static void fuzz_check_handle(const fuzz_state *s, const intern_str *h,
                              const void *key, size_t len) {
    FUZZ_CHECK(h != NULL, "%s: no handle", s->ops->name);
    FUZZ_CHECK(intern_str_len(h) == len, "%s: handle len %zu, key len %zu",
               s->ops->name, intern_str_len(h), len);
    FUZZ_CHECK(len == 0 || memcmp(intern_str_bytes(h), key, len) == 0,
               "%s: handle bytes differ from the key", s->ops->name);
    FUZZ_CHECK(intern_str_bytes(h)[len] == '\0',
               "%s: handle not NUL-terminated", s->ops->name);
}

static void fuzz_intern(fuzz_state *s, const void *key, size_t len) {
    bool found;
    size_t at = fuzz_ref_search(&s->ref, key, len, &found);
    const intern_str *out = NULL;
    intern_status st = s->ops->intern(s->t, key, len, &out);
    if (st == INTERN_ENOMEM) {
        FUZZ_CHECK(!found, "%s: ENOMEM for a key already held", s->ops->name);
        FUZZ_CHECK(s->ca.failures > 0, "%s: ENOMEM with no allocation refused",
                   s->ops->name);
        FUZZ_CHECK(s->ops->find(s->t, key, len) == NULL,
                   "%s: key present after ENOMEM", s->ops->name);
        return;
    }
    if (found) {
        FUZZ_CHECK(st == INTERN_FOUND, "%s: status %d for a held key",
                   s->ops->name, st);
        FUZZ_CHECK(out == s->ref.ent[at].handle,
                   "%s: equal bytes, different handles", s->ops->name);
        return;
    }
    FUZZ_CHECK(st == INTERN_NEW, "%s: status %d for a new key", s->ops->name,
               st);
    /* distinct from every other handle, since it holds other bytes
     * (fuzz_check_all checks that every handle still holds its key) */
    fuzz_check_handle(s, out, key, len);
    fuzz_ref_insert(&s->ref, at, key, len, out);
}

static void fuzz_find(fuzz_state *s, const void *key, size_t len) {
    bool found;
    size_t at = fuzz_ref_search(&s->ref, key, len, &found);
    const intern_str *h = s->ops->find(s->t, key, len);
    FUZZ_CHECK(h == (found ? s->ref.ent[at].handle : NULL),
               "%s: find gave %p for a key %s", s->ops->name, (void *)h,
               found ? "held" : "absent");
}

/* A batch under test: keys in a buffer of their own (so that a repeat
 * can be the same pointer or a copy), the results, and sentinels for the
 * entries a batch must not touch. */
enum { FUZZ_BATCH_MAX = 48, FUZZ_BATCH_KEY = 255 };

typedef struct fuzz_batch {
    const void *ptr[FUZZ_BATCH_MAX];
    size_t len[FUZZ_BATCH_MAX];
    const intern_str *out[FUZZ_BATCH_MAX];
    intern_status st[FUZZ_BATCH_MAX];
    unsigned char buf[FUZZ_BATCH_MAX][FUZZ_BATCH_KEY];
    size_t n;
} fuzz_batch;

static const char fuzz_untouched_bytes[2] = {0, 0};
#define FUZZ_UNTOUCHED                                                         \
    ((const intern_str *)(const void *)&fuzz_untouched_bytes[1])
#define FUZZ_UNTOUCHED_ST ((intern_status)77)

/* Reads a batch's keys from the input. */
static void fuzz_batch_read(const fuzz_state *s, fuzz_batch *b, fuzz_input *in,
                            uint8_t op) {
    b->n = 1 + fuzz_byte(in) % FUZZ_BATCH_MAX;
    for (size_t j = 0; j < b->n; j++) {
        uint8_t sel = fuzz_byte(in);
        size_t len = 0;
        const void *src = NULL;
        if ((sel & 3) == 1 && s->ref.count) {
            const fuzz_ref_entry *e = &s->ref.ent[fuzz_byte(in) % s->ref.count];
            len = e->len < FUZZ_BATCH_KEY ? e->len : FUZZ_BATCH_KEY;
            src = e->key;
        } else if ((sel & 3) >= 2 && j) {
            size_t k = fuzz_byte(in) % j;
            if (!(sel & 4)) { /* the same pointer */
                b->ptr[j] = b->ptr[k];
                b->len[j] = b->len[k];
                continue;
            }
            len = b->len[k] < FUZZ_BATCH_KEY ? b->len[k] : FUZZ_BATCH_KEY;
            src = b->ptr[k];
        } else {
            len = fuzz_byte(in);
            len = len < fuzz_left(in) ? len : fuzz_left(in);
            src = in->data + in->pos;
            in->pos += len;
        }
        if (len)
            memcpy(b->buf[j], src, len);
        b->ptr[j] = b->buf[j];
        b->len[j] = len;
    }
    if (op & 0x10) { /* too long: never read, so any pointer will do */
        size_t j = fuzz_byte(in) % b->n;
        b->ptr[j] = b->buf[j];
        b->len[j] = (size_t)INTERN_KEY_MAX + 1;
    }
    for (size_t j = 0; j < b->n; j++) {
        b->out[j] = FUZZ_UNTOUCHED;
        b->st[j] = FUZZ_UNTOUCHED_ST;
    }
}

/* intern_many against the loop of single calls, key by key. */
static void fuzz_batch_intern(fuzz_state *s, fuzz_batch *b, bool with_st) {
    size_t done = intern_many(s->ops, s->t, b->ptr, b->len, b->n, b->out,
                              with_st ? b->st : NULL);
    const char *name = s->ops->name;
    size_t j = 0;
    for (; j < b->n; j++) {
        if (b->len[j] > INTERN_KEY_MAX) {
            FUZZ_CHECK(!with_st || b->st[j] == INTERN_E2BIG,
                       "%s: batch key %zu too long: status %d", name, j,
                       b->st[j]);
            break;
        }
        bool found;
        size_t at = fuzz_ref_search(&s->ref, b->ptr[j], b->len[j], &found);
        if (j == done) { /* where the loop of single calls would stop */
            FUZZ_CHECK(!found && s->ca.failures > 0,
                       "%s: batch stopped at key %zu (%s, %llu failures)", name,
                       j, found ? "held" : "absent",
                       (unsigned long long)s->ca.failures);
            FUZZ_CHECK(!with_st || b->st[j] == INTERN_ENOMEM,
                       "%s: batch stopped at %zu with status %d", name, j,
                       b->st[j]);
            FUZZ_CHECK(s->ops->find(s->t, b->ptr[j], b->len[j]) == NULL,
                       "%s: key present after ENOMEM in a batch", name);
            break;
        }
        FUZZ_CHECK(!with_st || b->st[j] == (found ? INTERN_FOUND : INTERN_NEW),
                   "%s: batch key %zu: status %d for a key %s", name, j,
                   b->st[j], found ? "held" : "absent");
        if (found) {
            FUZZ_CHECK(b->out[j] == s->ref.ent[at].handle,
                       "%s: batch key %zu: equal bytes, other handle", name, j);
            continue;
        }
        fuzz_check_handle(s, b->out[j], b->ptr[j], b->len[j]);
        fuzz_ref_insert(&s->ref, at, b->ptr[j], b->len[j], b->out[j]);
    }
    FUZZ_CHECK(done == j, "%s: batch did %zu keys, the loop %zu", name, done,
               j);
    for (size_t k = done; k < b->n; k++)
        FUZZ_CHECK(b->out[k] == FUZZ_UNTOUCHED &&
                       (k == done || b->st[k] == FUZZ_UNTOUCHED_ST),
                   "%s: batch entry %zu past the stop (%zu) touched", name, k,
                   done);
}

/* find_many against the reference. */
static void fuzz_batch_find(const fuzz_state *s, fuzz_batch *b) {
    size_t found = intern_find_many(s->ops, s->t, b->ptr, b->len, b->n, b->out);
    size_t want = 0;
    for (size_t j = 0; j < b->n; j++) {
        bool held = false;
        size_t at = b->len[j] > INTERN_KEY_MAX
                        ? 0
                        : fuzz_ref_search(&s->ref, b->ptr[j], b->len[j], &held);
        FUZZ_CHECK(b->out[j] == (held ? s->ref.ent[at].handle : NULL),
                   "%s: find_many key %zu: %p for a key %s", s->ops->name, j,
                   (const void *)b->out[j], held ? "held" : "absent");
        want += held;
    }
    FUZZ_CHECK(found == want, "%s: find_many counted %zu of %zu", s->ops->name,
               found, want);
}

typedef struct fuzz_walk {
    const fuzz_state *s;
    size_t next, end;
} fuzz_walk;

static int fuzz_walk_visit(void *ctx, const intern_str *h) {
    fuzz_walk *w = ctx;
    FUZZ_CHECK(w->next < w->end, "%s: the walk visits too many strings",
               w->s->ops->name);
    FUZZ_CHECK(h == w->s->ref.ent[w->next].handle,
               "%s: the walk is out of order at %zu", w->s->ops->name, w->next);
    w->next++;
    return 0;
}

static void fuzz_check_all(const fuzz_state *s, bool walks) {
    const fuzz_ref *ref = &s->ref;
    for (size_t i = 0; i < ref->count; i++) {
        fuzz_check_handle(s, ref->ent[i].handle, ref->ent[i].key,
                          ref->ent[i].len);
        FUZZ_CHECK(s->ops->find(s->t, ref->ent[i].key, ref->ent[i].len) ==
                       ref->ent[i].handle,
                   "%s: handle %zu moved or lost", s->ops->name, i);
    }
    intern_stats st;
    s->ops->stats(s->t, &st);
    FUZZ_CHECK(st.strings == ref->count, "%s: stats strings %llu, held %zu",
               s->ops->name, (unsigned long long)st.strings, ref->count);
    FUZZ_CHECK(st.payload_bytes == ref->payload,
               "%s: stats payload %llu, held %llu", s->ops->name,
               (unsigned long long)st.payload_bytes,
               (unsigned long long)ref->payload);
    FUZZ_CHECK(st.payload_bytes + st.header_bytes + st.index_bytes +
                       st.slack_bytes ==
                   st.total_bytes,
               "%s: byte categories do not add up", s->ops->name);
    FUZZ_CHECK(st.total_bytes == s->ca.live_bytes,
               "%s: stats total %llu, allocator live %llu", s->ops->name,
               (unsigned long long)st.total_bytes,
               (unsigned long long)s->ca.live_bytes);
    FUZZ_CHECK(st.probe_hit_sum >= st.strings, "%s: probe_hit_sum %llu",
               s->ops->name, (unsigned long long)st.probe_hit_sum);
    if (!walks)
        return;
    if (s->ops->each) {
        fuzz_walk w = {s, 0, ref->count};
        FUZZ_CHECK(s->ops->each(s->t, fuzz_walk_visit, &w) == 0 &&
                       w.next == ref->count,
                   "%s: the walk visited %zu of %zu", s->ops->name, w.next,
                   ref->count);
    }
    if (s->ops->each_prefix && ref->count) {
        /* the prefixes of the middle key: each a run of the sorted keys */
        const fuzz_ref_entry *mid = &ref->ent[ref->count / 2];
        for (size_t plen = 0; plen <= mid->len && plen <= 3; plen++) {
            bool found;
            size_t lo = fuzz_ref_search(ref, mid->key, plen, &found);
            size_t hi = lo;
            while (hi < ref->count && ref->ent[hi].len >= plen &&
                   memcmp(ref->ent[hi].key, mid->key, plen) == 0)
                hi++;
            fuzz_walk w = {s, lo, hi};
            FUZZ_CHECK(s->ops->each_prefix(s->t, mid->key, plen,
                                           fuzz_walk_visit, &w) == 0 &&
                           w.next == hi,
                       "%s: prefix walk of %zu bytes visited %zu, want %zu",
                       s->ops->name, plen, w.next - lo, hi - lo);
        }
    }
}

/* A key read from the input into scratch; returns its length. */
static size_t fuzz_read_key(fuzz_state *s, fuzz_input *in) {
    size_t len = fuzz_byte(in);
    if (len == 255) {
        len = fuzz_byte(in);
        len |= (size_t)fuzz_byte(in) << 8;
    }
    if (len > fuzz_left(in))
        len = fuzz_left(in);
    if (len)
        memcpy(s->scratch, in->data + in->pos, len);
    in->pos += len;
    return len;
}

static const intern_ops *fuzz_pick_table(uint8_t b) {
    size_t n;
    const intern_table_info *all = intern_registry(&n);
    const char *pinned = getenv("INTERNBENCH_FUZZ_TABLE");
    if (pinned && *pinned) {
        const intern_table_info *info = intern_registry_find(pinned);
        FUZZ_CHECK(info != NULL, "no table '%s' in the registry", pinned);
        return info->ops;
    }
    return all[b % n].ops;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size, 0};
    static fuzz_state s; /* scratch is large: not on the stack */
    static fuzz_batch batch;
    memset(&s.ref, 0, sizeof s.ref);
    s.ops = fuzz_pick_table(fuzz_byte(&in));
    s.hash = (intern_hash_kind)(fuzz_byte(&in) % INTERN_HASH_COUNT);
    s.seed = 0x9e3779b97f4a7c15ULL;
    intern_counting_alloc_init(&s.ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.hash = s.hash;
    cfg.seed_fixed = true;
    cfg.seed = s.seed;
    cfg.capacity_hint = fuzz_byte(&in);
    cfg.alloc = &s.ca.base;
    s.t = s.ops->create(&cfg);
    FUZZ_CHECK(s.t != NULL, "%s: create failed", s.ops->name);

    unsigned checks = 0;
    while (fuzz_left(&in)) {
        uint8_t op = fuzz_byte(&in);
        switch (op & 7) {
        case 0: {
            size_t len = fuzz_read_key(&s, &in);
            fuzz_intern(&s, s.scratch, len);
            break;
        }
        case 1: {
            static const unsigned windows[4] = {1, 2, 5, 16};
            intern_batch_window = windows[op >> 6];
            intern_batch_min_index = 0;
            fuzz_batch_read(&s, &batch, &in, op);
            if (op & 8)
                fuzz_batch_find(&s, &batch);
            else
                fuzz_batch_intern(&s, &batch, !(op & 0x20));
            break;
        }
        case 2:
        case 6:
            if (s.ref.count) {
                size_t i = fuzz_byte(&in) % s.ref.count;
                /* from a copy, so that the table compares bytes */
                fuzz_ref_entry e = s.ref.ent[i];
                memcpy(s.scratch, e.key, e.len);
                if ((op & 7) == 2) {
                    fuzz_intern(&s, s.scratch, e.len);
                } else {
                    fuzz_find(&s, s.scratch, e.len);
                    FUZZ_CHECK(s.ops->find(s.t, s.scratch, e.len) == e.handle,
                               "%s: find lost a key", s.ops->name);
                }
            }
            break;
        case 3: {
            size_t len = fuzz_read_key(&s, &in);
            fuzz_find(&s, s.scratch, len);
            break;
        }
        case 4:
            if (s.ref.count) {
                fuzz_ref_entry e = s.ref.ent[fuzz_byte(&in) % s.ref.count];
                size_t len = e.len;
                memcpy(s.scratch, e.key, len);
                uint8_t b = fuzz_byte(&in);
                switch ((op >> 3) % 3) {
                case 0:
                    if (len < 65536)
                        s.scratch[len++] = b;
                    break;
                case 1:
                    if (len)
                        len--;
                    break;
                default:
                    if (len)
                        s.scratch[b % len] ^= (uint8_t)(1u << (op >> 5));
                    break;
                }
                fuzz_intern(&s, s.scratch, len);
            }
            break;
        case 5:
            if (s.ca.fail_at) {
                s.ca.fail_at = 0;
            } else {
                s.ca.fail_at = s.ca.attempts + 1;
                s.ca.fail_every_after = (op >> 3) & 1;
            }
            break;
        case 7:
            /* the ordered walks cost O(n) each: a few per input */
            fuzz_check_all(&s, ++checks <= 4);
            break;
        }
    }
    /* whatever happened, the table works once memory is back */
    s.ca.fail_at = 0;
    fuzz_intern(&s, "after the run", 13);
    fuzz_check_all(&s, true);
    s.ops->destroy(s.t);
    FUZZ_CHECK(s.ca.live_bytes == 0 && s.ca.live_blocks == 0,
               "%s: %llu bytes in %llu blocks leaked", s.ops->name,
               (unsigned long long)s.ca.live_bytes,
               (unsigned long long)s.ca.live_blocks);
    fuzz_ref_free(&s.ref);
    return 0;
}
