/* radix.c: an adaptive radix trie (after Leis, Kemper and Neumann, "The
 * Adaptive Radix Tree: ARTful Indexing for Main-Memory Databases", ICDE
 * 2013), keyed on the string's bytes. It hashes nothing: every handle's
 * hash is 0. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "arena.h"
#include "tables/tables.h"

/* A reference to a child: a tagged pointer. Bit 0 set: a leaf, the
 * intern_str of an arena record (records are 8-aligned); bit 1 set on a
 * leaf: the leaf of the key that ends exactly at its node (the end
 * leaf). Bit 0 clear: an inner node (node blocks are cut 8-aligned from
 * the table's slabs), with its type in bits 1 and 2. 0 is no child. */
typedef uintptr_t radix_ref;

enum {
    RADIX_LEAF = 1,
    RADIX_END = 2,
    RADIX_TAG_MASK = 7,
};

enum { RADIX_N4 = 0, RADIX_N16 = 1, RADIX_N48 = 2, RADIX_N256 = 3 };

/* The four inner node types. Every one begins with prefix_len, the
 * number of key bytes the node compresses below its parent's branch
 * byte; the node branches on the byte after them.
 *
 * Path compression is optimistic (the paper's second variant, taken all
 * the way): a node stores only the length of its compressed path, never
 * its bytes. A lookup skips those bytes and compares the whole key with
 * the leaf it reaches, which it must do anyway because leaves are
 * reached as soon as a key is unique (lazy expansion). An insert that
 * misses takes any leaf below where it stopped as a witness of the
 * skipped bytes (every leaf below a node shares its whole path), finds
 * the first byte where key and witness differ, and walks down again to
 * the node whose compressed path or branch holds that byte. So a node
 * header costs 4 bytes whatever the prefix's length, and no lookup ever
 * loops over prefix bytes or recurses.
 *
 * Binary safety without a terminator byte: a key that ends exactly at a
 * node (a key that is a proper prefix of others, the empty key at the
 * root) is that node's end leaf, kept beside the 256 byte-keyed
 * children: in child[0], tagged RADIX_END, in node4, node16 and node48
 * (sorted first, which is bytewise order with the shorter key first),
 * and in an end field in node256. Every byte value, NUL included, is an
 * ordinary branch byte.
 *
 * Memory: leaves are tagged pointers to the arena records that are the
 * handles (no leaf nodes). Node4, node16 and node48 are sorted nodes.
 * Node4 and node16 are sized to the exact number of children they hold
 * (end leaf included) and replaced by a block one child larger on each
 * insert into them; node48 grows the same way, 8 slots at a time. Most
 * nodes of a large trie have far fewer children than their type allows:
 * on 10^6 random identifiers, fixed node16s would cost about 6 more bytes
 * per key than these; on 10^7, the nodes three bytes below the root have
 * about 33 children each, and the paper's node48 (a 256-byte index and
 * 48 slots, 656 bytes) for each of them cost 13.8 of the index's 20.45
 * bytes per key, where these node48s cost 7.5. Node256 has a fixed size.
 * Every node has at least one keyed child (nodes are made with two
 * children and never lose one), and no node is ever empty. */

/* Node4: up to 4 keyed children. keys[0..nkeys) are strictly ascending
 * and keys[nkeys..4) repeat keys[nkeys - 1], so nkeys is implied (1 + the
 * number of ascents) and the header stays 8 bytes; the first key equal
 * to a byte is its only real one. child holds the end leaf (if any)
 * then one child per key in key order, exactly that many slots. */
typedef struct radix_node4 {
    uint32_t prefix_len;
    uint8_t keys[4];
    radix_ref child[];
} radix_node4;

/* Node16: 5 to 16 keyed children, keys[0..nkeys) strictly ascending
 * (searched with SSE2 where available) and each of keys[nkeys..16) equal
 * to one of them, so the first key equal to a byte is its only real one
 * and a search needs no mask; child as in node4, exactly end + nkeys
 * slots. */
typedef struct radix_node16 {
    uint32_t prefix_len;
    uint8_t nkeys;
    uint8_t keys[16];
    radix_ref child[];
} radix_node16;

/* Node48: 17 to 48 keyed children, as node16 with room for 48 keys
 * (searched 16 at a time): keys[nkeys..48) each equal one of
 * keys[0..nkeys). child holds end + nkeys slots as in node4, in a block
 * with room for that many rounded up to a multiple of RADIX_N48_ROOM (49
 * at most: 48 keys and an end leaf); the slots past them are unused. */
typedef struct radix_node48 {
    uint32_t prefix_len;
    uint8_t nkeys;
    uint8_t keys[48];
    radix_ref child[];
} radix_node48;

/* A node48 grows 8 slots at a time, taking children in place in
 * between. Exact sizes (1 slot at a time) gave the smallest index
 * (13.5 bytes per key on gen-ident-1e7, against 14.1), but each node
 * left a free block of every size it grew through: 0.8 more bytes per
 * key in all on gen-ident-1e7, and on 2000 isolated nodes of 47
 * children filled in random order 56 bytes per key in all, against 39
 * (and 28 with the paper's fixed 656-byte node48). */
enum { RADIX_N48_ROOM = 8 };

/* Node256: 49 to 256 keyed children, child[b] for byte b, 0 if none. */
typedef struct radix_node256 {
    uint32_t prefix_len;
    uint16_t nkeys;
    radix_ref end;
    radix_ref child[256];
} radix_node256;

/* Node blocks come from slabs the table takes from the configured
 * allocator (1 KiB doubling to 256 KiB, newest first), cut in order; a
 * block a grown node leaves goes on the free list of its size (every
 * size up to RADIX_FREE_MAX, the largest node48; node256 never grows)
 * and is reused first, whole or split. So an insert rarely calls the
 * allocator, and destroy frees the slabs without walking the trie. */
typedef struct radix_slab {
    struct radix_slab *next;
    uint64_t size; /* header included; also keeps blocks 8-aligned */
} radix_slab;

enum {
    RADIX_SLAB_FIRST = 1024,
    RADIX_SLAB_MAX = 256 * 1024,
    /* the largest node48: 48 keyed children and an end leaf */
    RADIX_FREE_MAX = offsetof(radix_node48, child) + 49 * sizeof(radix_ref),
    /* the smallest node: a node4 with two children */
    RADIX_BLOCK_MIN = offsetof(radix_node4, child) + 2 * sizeof(radix_ref),
};
/* free_mask has a bit per free list */
_Static_assert(RADIX_FREE_MAX / 8 < 64, "more free lists than mask bits");

/* The slabs' state: everything taking a block may change, so a failed
 * insert restores it whole. */
typedef struct radix_slabs {
    radix_slab *head;
    char *cursor, *limit;
    size_t next_size;
    uint64_t held;    /* slab bytes, headers included */
    uint64_t headers; /* slab header bytes */
} radix_slabs;

/* The table: root is 0 (empty), a leaf (one string) or a node. Every
 * string is one arena record reached by exactly one leaf reference; the
 * counters are kept exact on every insert: node_bytes is the sum of the
 * sizes of the live nodes and nodes[] their number per type. The slab
 * bytes not in live nodes or slab headers are free blocks and the unused
 * tail of the newest slab (older tails too small for the block that
 * opened the next one stay unused): slack. */
struct intern_table {
    radix_ref root;
    const intern_allocator *alloc;
    uint64_t strings;
    uint64_t payload_bytes;
    uint64_t node_bytes;
    uint64_t nodes[4];
    uint64_t resizes; /* nodes replaced by a larger type */
    radix_slabs slabs;
    void *free_blocks[RADIX_FREE_MAX / 8 + 1]; /* by size / 8 */
    uint64_t free_mask; /* bit i set exactly when free_blocks[i] is not 0 */
    intern_arena arena;
};

#if defined(__GNUC__)
#define RADIX_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RADIX_ALWAYS_INLINE inline
#endif

/* The index of x's lowest set bit (x != 0). */
static inline unsigned radix_ctz64(uint64_t x) {
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* ---- references ---- */

static inline const intern_str *radix_leaf(radix_ref r) {
    return (const intern_str *)(r & ~(radix_ref)RADIX_TAG_MASK);
}

static inline radix_ref radix_leaf_ref(const intern_str *s, int end) {
    return (radix_ref)s | RADIX_LEAF | (end ? RADIX_END : 0);
}

static inline unsigned radix_type(radix_ref r) {
    return (unsigned)(r >> 1) & 3;
}

static inline void *radix_node(radix_ref r) {
    return (void *)(r & ~(radix_ref)RADIX_TAG_MASK);
}

static inline radix_ref radix_node_ref(void *n, unsigned type) {
    return (radix_ref)n | (radix_ref)(type << 1);
}

/* prefix_len is the first member of every node type. */
static inline uint32_t radix_prefix_len(radix_ref r) {
    return *(const uint32_t *)radix_node(r);
}

static inline void radix_prefix_set(radix_ref r, uint32_t len) {
    *(uint32_t *)radix_node(r) = len;
}

/* The size of a sorted node (node4, node16 or node48) of type with that
 * many child slots (end leaf included). */
static inline size_t radix_sorted_size(unsigned type, size_t slots) {
    size_t head = offsetof(radix_node48, child);
    if (type == RADIX_N4)
        head = offsetof(radix_node4, child);
    else if (type == RADIX_N16)
        head = offsetof(radix_node16, child);
    else /* room for a multiple of RADIX_N48_ROOM slots */
        slots = slots <= 48 ? (slots + RADIX_N48_ROOM - 1) &
                                  ~(size_t)(RADIX_N48_ROOM - 1)
                            : 49;
    return head + slots * sizeof(radix_ref);
}

static inline unsigned radix_n4_nkeys(const radix_node4 *n) {
    return 1u + (n->keys[1] > n->keys[0]) + (n->keys[2] > n->keys[1]) +
           (n->keys[3] > n->keys[2]);
}

/* 1 when child[0] of a sorted node is its end leaf. */
static inline unsigned radix_sorted_has_end(const radix_ref *child) {
    return (child[0] & (RADIX_LEAF | RADIX_END)) == (RADIX_LEAF | RADIX_END);
}

/* A sorted node's keys, their number and its child slots (end leaf, then
 * one per key). */
static inline radix_ref *radix_sorted_view(radix_ref r, const uint8_t **keys,
                                           unsigned *nkeys) {
    if (radix_type(r) == RADIX_N4) {
        radix_node4 *n = radix_node(r);
        *keys = n->keys;
        *nkeys = radix_n4_nkeys(n);
        return n->child;
    }
    if (radix_type(r) == RADIX_N16) {
        radix_node16 *n = radix_node(r);
        *keys = n->keys;
        *nkeys = n->nkeys;
        return n->child;
    }
    radix_node48 *n = radix_node(r);
    *keys = n->keys;
    *nkeys = n->nkeys;
    return n->child;
}

/* ---- node queries ---- */

#if defined(__SSE2__) && defined(__GNUC__)
/* The bits of the bytes equal to b among 16 at p. */
static inline uint64_t radix_match16(const uint8_t *p, __m128i b) {
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)p);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(k, b));
}
#endif

/* The index of byte b in the keys of a node16 (wide 0) or node48 (wide
 * 1), or -1: the first equal key, which is a real one. */
static inline int radix_keys_index(const uint8_t *keys, unsigned nkeys,
                                   int wide, uint8_t b) {
#if defined(__SSE2__) && defined(__GNUC__)
    (void)nkeys;
    __m128i want = _mm_set1_epi8((char)b);
    uint64_t mask = radix_match16(keys, want);
    if (wide)
        mask |= radix_match16(keys + 16, want) << 16 |
                radix_match16(keys + 32, want) << 32;
    return mask ? (int)radix_ctz64(mask) : -1;
#else
    (void)wide;
    for (unsigned i = 0; i < nkeys; i++)
        if (keys[i] == b)
            return (int)i;
    return -1;
#endif
}

/* The slot holding the child of byte b, or NULL. Always inlined, as are
 * radix_node_find, radix_node_end and radix_search: with node48's search
 * gcc -O2 made some of them calls, and a hit on gen-ident-1e5 took 10 to
 * 30% more instructions (callgrind, internbench metrics). */
static RADIX_ALWAYS_INLINE radix_ref *radix_node_slot(radix_ref r, uint8_t b) {
    switch (radix_type(r)) {
    case RADIX_N4: {
        radix_node4 *n = radix_node(r);
        for (unsigned i = 0; i < 4; i++)
            if (n->keys[i] == b)
                return &n->child[radix_sorted_has_end(n->child) + i];
        return NULL;
    }
    case RADIX_N16: {
        radix_node16 *n = radix_node(r);
        int i = radix_keys_index(n->keys, n->nkeys, 0, b);
        return i < 0 ? NULL : &n->child[radix_sorted_has_end(n->child) + i];
    }
    case RADIX_N48: {
        radix_node48 *n = radix_node(r);
        int i = radix_keys_index(n->keys, n->nkeys, 1, b);
        return i < 0 ? NULL : &n->child[radix_sorted_has_end(n->child) + i];
    }
    default: {
        radix_node256 *n = radix_node(r);
        return n->child[b] ? &n->child[b] : NULL;
    }
    }
}

static RADIX_ALWAYS_INLINE radix_ref radix_node_find(radix_ref r, uint8_t b) {
    const radix_ref *slot = radix_node_slot(r, b);
    return slot ? *slot : 0;
}

/* The end leaf, or 0. */
static RADIX_ALWAYS_INLINE radix_ref radix_node_end(radix_ref r) {
    if (radix_type(r) == RADIX_N256)
        return ((const radix_node256 *)radix_node(r))->end;
    const uint8_t *keys;
    unsigned nkeys;
    const radix_ref *child = radix_sorted_view(r, &keys, &nkeys);
    return radix_sorted_has_end(child) ? child[0] : 0;
}

/* The size of a node's block. */
static size_t radix_node_size(radix_ref r) {
    if (radix_type(r) == RADIX_N256)
        return sizeof(radix_node256);
    const uint8_t *keys;
    unsigned nkeys;
    const radix_ref *child = radix_sorted_view(r, &keys, &nkeys);
    return radix_sorted_size(radix_type(r),
                             radix_sorted_has_end(child) + nkeys);
}

/* The keyed child with the smallest byte greater than after (after -1:
 * the smallest of all), or 0. */
static radix_ref radix_node_after(radix_ref r, int after) {
    if (radix_type(r) == RADIX_N256) {
        const radix_node256 *n = radix_node(r);
        for (int b = after + 1; b < 256; b++)
            if (n->child[b])
                return n->child[b];
        return 0;
    }
    const uint8_t *keys;
    unsigned nkeys;
    const radix_ref *child = radix_sorted_view(r, &keys, &nkeys);
    unsigned e = radix_sorted_has_end(child);
    for (unsigned i = 0; i < nkeys; i++)
        if ((int)keys[i] > after)
            return child[e + i];
    return 0;
}

/* The keyed child with the largest byte (every node has one). */
static radix_ref radix_node_last(radix_ref r) {
    if (radix_type(r) == RADIX_N256) {
        const radix_node256 *n = radix_node(r);
        for (int b = 255; b > 0; b--)
            if (n->child[b])
                return n->child[b];
        return n->child[0];
    }
    const uint8_t *keys;
    unsigned nkeys;
    const radix_ref *child = radix_sorted_view(r, &keys, &nkeys);
    return child[radix_sorted_has_end(child) + nkeys - 1];
}

/* ---- leaves below a node ---- */

/* The smallest leaf at or below r (r != 0): the end leaf, else the
 * smallest keyed child's, all the way down. */
static const intern_str *radix_leaf_min(radix_ref r) {
    while (!(r & RADIX_LEAF)) {
        radix_ref end = radix_node_end(r);
        r = end ? end : radix_node_after(r, -1);
    }
    return radix_leaf(r);
}

/* The largest leaf at or below r (r != 0). */
static const intern_str *radix_leaf_max(radix_ref r) {
    while (!(r & RADIX_LEAF))
        r = radix_node_last(r);
    return radix_leaf(r);
}

/* Some leaf at or below r (r != 0), the cheapest to reach: a witness of
 * the bytes every key below r shares. */
static const intern_str *radix_leaf_any(radix_ref r) {
    while (!(r & RADIX_LEAF)) {
        if (radix_type(r) == RADIX_N256) {
            r = radix_node_after(r, -1);
        } else {
            const uint8_t *keys;
            unsigned nkeys;
            r = radix_sorted_view(r, &keys, &nkeys)[0];
        }
    }
    return radix_leaf(r);
}

enum { RADIX_PATH_KEPT = 64 };

/* The leaf after s in bytewise order (shorter first), or NULL; s must be
 * held. Walks down s's own path from the root: the successor is the
 * smallest leaf under the deepest node on it with a child after s's
 * branch. The first RADIX_PATH_KEPT nodes of the path are kept in a
 * fixed array and searched back from the deepest once the leaf is
 * reached; deeper ones (long chains of nested keys) are checked on the
 * way down. No recursion, no allocation, no parent pointers. *depth
 * receives the number of inner nodes on s's path. */
static const intern_str *radix_leaf_next(const intern_table *t,
                                         const intern_str *s, uint64_t *depth) {
    const unsigned char *k = (const unsigned char *)intern_str_bytes(s);
    radix_ref path[RADIX_PATH_KEPT];
    int branch[RADIX_PATH_KEPT]; /* -1: s is the node's end leaf */
    radix_ref r = t->root, later = 0;
    size_t pos = 0;
    uint64_t nodes = 0;
    while (!(r & RADIX_LEAF)) {
        pos += radix_prefix_len(r);
        int b = pos == intern_str_len(s) ? -1 : k[pos];
        if (nodes < RADIX_PATH_KEPT) {
            path[nodes] = r;
            branch[nodes] = b;
        } else {
            radix_ref after = radix_node_after(r, b);
            if (after)
                later = after;
        }
        nodes++;
        if (b < 0)
            break; /* s is r's end leaf */
        r = radix_node_find(r, (uint8_t)b);
        pos++;
    }
    if (depth)
        *depth = nodes;
    for (uint64_t i = nodes < RADIX_PATH_KEPT ? nodes : RADIX_PATH_KEPT;
         !later && i > 0; i--)
        later = radix_node_after(path[i - 1], branch[i - 1]);
    return later ? radix_leaf_min(later) : NULL;
}

/* ---- lookup ---- */

/* Bytes a and b have in common at the start, of the first n. */
static size_t radix_common(const unsigned char *a, const unsigned char *b,
                           size_t n) {
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            break;
        i += 8;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* Where a key the trie lacks leaves its paths: at is the first byte of
 * the key that no path shares, found against witness, a held string
 * sharing every byte of the path the search followed; when no node on
 * that path compressed any byte, the branch bytes alone matched the
 * path, at is where the child is missing and witness is NULL. */
typedef struct radix_miss {
    size_t at;
    const intern_str *witness;
} radix_miss;

static inline void radix_miss_set(radix_miss *m, const unsigned char *k,
                                  size_t len, const intern_str *w, size_t pos) {
    m->witness = w;
    m->at = w ? radix_common(k, (const unsigned char *)intern_str_bytes(w),
                             len < intern_str_len(w) ? len : intern_str_len(w))
              : pos;
}

/* The held string equal to key, or NULL; then, when miss is not NULL
 * and the table is not empty, where the key leaves the trie. */
static RADIX_ALWAYS_INLINE const intern_str *
radix_search(const intern_table *t, const unsigned char *k, size_t len,
             radix_miss *miss) {
    radix_ref r = t->root;
    size_t pos = 0;
    uint32_t skipped = 0;
    if (!r)
        return NULL;
    while (!(r & RADIX_LEAF)) {
        uint32_t skip = radix_prefix_len(r);
        radix_ref c = 0;
        skipped |= skip;
        if (len - pos >= skip) {
            pos += skip;
            c = pos == len ? radix_node_end(r) : radix_node_find(r, k[pos]);
        }
        if (!c) {
            if (miss)
                radix_miss_set(miss, k, len, skipped ? radix_leaf_any(r) : NULL,
                               pos);
            return NULL;
        }
        r = c;
        pos++;
    }
    const intern_str *s = radix_leaf(r);
    if (intern_str_len(s) == len &&
        (len == 0 || memcmp(intern_str_bytes(s), k, len) == 0))
        return s;
    if (miss)
        radix_miss_set(miss, k, len, s, pos);
    return NULL;
}

static const intern_str *radix_find(const intern_table *t, const void *key,
                                    size_t len) {
    if (len > INTERN_KEY_MAX)
        return NULL;
    return radix_search(t, key, len, NULL);
}

/* ---- node blocks ---- */

static inline size_t radix_round8(size_t n) {
    return (n + 7) & ~(size_t)7;
}

static void radix_free_push(intern_table *t, void *b, size_t size) {
    size_t i = size / 8;
    *(void **)b = t->free_blocks[i];
    t->free_blocks[i] = b;
    t->free_mask |= UINT64_C(1) << i;
}

/* What taking a block may change, to put back when an insert fails:
 * the slabs, or the list a free block came from and the one the rest of
 * it went to (NULL when none). */
typedef struct radix_undo {
    radix_slabs slabs;
    uint64_t free_mask;
    void **taken, *taken_head;
    void **rest, *rest_head;
} radix_undo;

/* A free block for size bytes, or NULL: one of exactly that size, else
 * the front of the smallest larger one whose rest a node can still use
 * (that rest goes on the list of its size). Splitting matters because a
 * growing node leaves a block of every size it grows through, which
 * whole would fit only a node growing through the same size: on
 * gen-ident-1e7, slack was 9.6 bytes per key with blocks reused only
 * whole, 4.4 with them split; on gen-ident-1e6, 5.0 and 1.9. */
static void *radix_free_take(intern_table *t, size_t size, radix_undo *u) {
    if (size > RADIX_FREE_MAX)
        return NULL;
    size_t i = size / 8;
    uint64_t fits =
        t->free_mask &
        ((UINT64_C(1) << i) | (~UINT64_C(0) << (i + RADIX_BLOCK_MIN / 8)));
    if (!fits)
        return NULL;
    size_t j = radix_ctz64(fits);
    void *b = t->free_blocks[j];
    u->taken = &t->free_blocks[j];
    u->taken_head = b;
    t->free_blocks[j] = *(void **)b;
    if (!t->free_blocks[j])
        t->free_mask &= ~(UINT64_C(1) << j);
    if (j > i) {
        u->rest = &t->free_blocks[j - i];
        u->rest_head = *u->rest;
        radix_free_push(t, (char *)b + size, (j - i) * 8);
    }
    return b;
}

/* A block of size bytes for a node, or NULL when the allocator fails
 * (nothing is changed then). Blocks are cut in multiples of 8, so every
 * node is 8-aligned (its reference's tag needs 3 bits) wherever pointers
 * are smaller; the padding counts as slack. */
static void *radix_block_take(intern_table *t, size_t size, radix_undo *u) {
    radix_slabs *sl = &t->slabs;
    size = radix_round8(size);
    u->slabs = *sl;
    u->free_mask = t->free_mask;
    u->taken = u->rest = NULL;
    u->taken_head = u->rest_head = NULL;
    void *b = radix_free_take(t, size, u);
    if (b)
        return b;
    if (!sl->cursor || (size_t)(sl->limit - sl->cursor) < size) {
        size_t n = sl->next_size;
        while (n - sizeof(radix_slab) < size)
            n *= 2;
        radix_slab *slab = t->alloc->malloc(t->alloc->ctx, n);
        if (!slab)
            return NULL;
        slab->next = sl->head;
        slab->size = n;
        sl->head = slab;
        sl->cursor = (char *)(slab + 1);
        sl->limit = (char *)slab + n;
        sl->held += n;
        sl->headers += sizeof *slab;
        if (sl->next_size < RADIX_SLAB_MAX)
            sl->next_size *= 2;
    }
    b = sl->cursor;
    sl->cursor += size;
    return b;
}

/* Puts back the block the last radix_block_take gave. */
static void radix_block_untake(intern_table *t, const radix_undo *u) {
    if (t->slabs.head != u->slabs.head) /* a slab made for this block */
        t->alloc->free(t->alloc->ctx, t->slabs.head);
    t->slabs = u->slabs;
    if (u->rest)
        *u->rest = u->rest_head;
    if (u->taken)
        *u->taken = u->taken_head;
    t->free_mask = u->free_mask;
}

/* Gives the block of a replaced node to its free list (node256 blocks
 * are never freed while the table lives). */
static void radix_block_give(intern_table *t, void *b, size_t size) {
    size = radix_round8(size);
    if (size <= RADIX_FREE_MAX)
        radix_free_push(t, b, size);
}

/* ---- insertion ---- */

/* The children of a sorted node, or of a node being made: end is the end
 * leaf or 0; keys[0..nkeys) ascending, child[i] the child of keys[i]. */
typedef struct radix_sorted {
    radix_ref end;
    unsigned nkeys;
    const uint8_t *keys;
    const radix_ref *child;
} radix_sorted;

static void radix_sorted_get(radix_ref r, radix_sorted *s) {
    const radix_ref *child = radix_sorted_view(r, &s->keys, &s->nkeys);
    unsigned e = radix_sorted_has_end(child);
    s->end = e ? child[0] : 0;
    s->child = child + e;
}

/* Writes s's children into block as a sorted node of type, plus child c
 * under byte b (absent from s) when c is not 0, and returns its
 * reference. The block is new, never s's own, so one pass copies
 * everything into place. The copies are loops, not memcpy, and the whole
 * is inlined: nodes are small, and a memcpy call per part cost a build of
 * gen-ident-1e4 about 60 more instructions per key, the call of this
 * function about 30 (callgrind). */
static RADIX_ALWAYS_INLINE radix_ref
radix_sorted_build(void *block, unsigned type, uint32_t prefix_len,
                   const radix_sorted *s, uint8_t b, radix_ref c) {
    unsigned add = c != 0, n = s->nkeys + add;
    uint8_t last = s->nkeys ? s->keys[s->nkeys - 1] : b;
    last = add && b > last ? b : last;
    uint8_t *keys;
    radix_ref *child;
    /* every key byte starts as the largest real key, which a search
     * never finds first; the real keys overwrite the front */
    if (type == RADIX_N4) {
        radix_node4 *m = block;
        memset(m->keys, last, sizeof m->keys);
        keys = m->keys;
        child = m->child;
    } else if (type == RADIX_N16) {
        radix_node16 *m = block;
        m->nkeys = (uint8_t)n;
        memset(m->keys, last, sizeof m->keys);
        keys = m->keys;
        child = m->child;
    } else {
        radix_node48 *m = block;
        m->nkeys = (uint8_t)n;
        memset(m->keys, last, sizeof m->keys);
        keys = m->keys;
        child = m->child;
    }
    *(uint32_t *)block = prefix_len;
    if (s->end)
        *child++ = s->end;
    unsigned i = 0, j = 0;
    for (; i < s->nkeys && (!add || s->keys[i] < b); i++, j++) {
        keys[j] = s->keys[i];
        child[j] = s->child[i];
    }
    if (add) {
        keys[j] = b;
        child[j++] = c;
    }
    for (; i < s->nkeys; i++, j++) {
        keys[j] = s->keys[i];
        child[j] = s->child[i];
    }
    return radix_node_ref(block, type);
}

/* The block adding a child to node r needs, and its type; 0 when the
 * child fits in place. */
static size_t radix_add_size(radix_ref r, int end, unsigned *type) {
    if (radix_type(r) == RADIX_N256) {
        *type = RADIX_N256;
        return 0;
    }
    const uint8_t *keys;
    unsigned nkeys;
    const radix_ref *child = radix_sorted_view(r, &keys, &nkeys);
    size_t slots = radix_sorted_has_end(child) + nkeys;
    static const unsigned cap[] = {4, 16, 48};
    *type = radix_type(r);
    if (!end && nkeys == cap[*type]) /* full: the next type up */
        ++*type;
    if (*type == RADIX_N256)
        return sizeof(radix_node256);
    size_t need = radix_sorted_size(*type, slots + 1);
    return *type == radix_type(r) && need == radix_sorted_size(*type, slots)
               ? 0
               : need;
}

/* Builds in block the node256 of s's children plus c under byte b. */
static radix_ref radix_n256_build(void *block, uint32_t prefix_len,
                                  const radix_sorted *s, uint8_t b,
                                  radix_ref c) {
    radix_node256 *m = block;
    memset(m, 0, sizeof *m);
    m->prefix_len = prefix_len;
    m->nkeys = (uint16_t)(s->nkeys + 1);
    m->end = s->end;
    for (unsigned i = 0; i < s->nkeys; i++)
        m->child[s->keys[i]] = s->child[i];
    m->child[b] = c;
    return radix_node_ref(m, RADIX_N256);
}

/* The number of a node48's keys less than b, which it lacks. */
static inline unsigned radix_n48_rank(const radix_node48 *n, uint8_t b) {
#if defined(__SSE2__) && defined(__GNUC__)
    /* bytes compare signed: flip the top bits to compare unsigned */
    __m128i flip = _mm_set1_epi8((char)0x80);
    __m128i want = _mm_set1_epi8((char)(b ^ 0x80));
    uint64_t above = 0;
    for (unsigned i = 0; i < 48; i += 16) {
        __m128i k =
            _mm_loadu_si128((const __m128i *)(const void *)(n->keys + i));
        k = _mm_xor_si128(k, flip);
        above |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(k, want))
                 << i;
    }
    above &= ((uint64_t)1 << n->nkeys) - 1;
    return above ? radix_ctz64(above) : n->nkeys;
#else
    unsigned at = 0;
    while (at < n->nkeys && n->keys[at] < b)
        at++;
    return at;
#endif
}

/* Adds c to node48 r, which has room for it: the end leaf when end, else
 * under byte b. */
static radix_ref radix_n48_insert(radix_ref r, int end, uint8_t b,
                                  radix_ref c) {
    radix_node48 *n = radix_node(r);
    unsigned e = radix_sorted_has_end(n->child);
    if (end) {
        memmove(n->child + 1, n->child, n->nkeys * sizeof(radix_ref));
        n->child[0] = c;
        return r;
    }
    unsigned at = radix_n48_rank(n, b);
    /* the keys past the new one still each repeat a real key */
    memmove(n->keys + at + 1, n->keys + at, n->nkeys - at);
    n->keys[at] = b;
    memmove(n->child + e + at + 1, n->child + e + at,
            (n->nkeys - at) * sizeof(radix_ref));
    n->child[e + at] = c;
    n->nkeys++;
    return r;
}

/* Adds leaf c to node r (the end leaf when end, else under byte b), in
 * place when block is NULL, else building the grown node of type in
 * block (r is left as it was, for the caller to free). Returns the
 * node's reference. */
static radix_ref radix_node_add(radix_ref r, void *block, unsigned type,
                                int end, uint8_t b, radix_ref c) {
    if (radix_type(r) == RADIX_N256) {
        radix_node256 *n = radix_node(r);
        if (end) {
            n->end = c;
        } else {
            n->child[b] = c;
            n->nkeys++;
        }
        return r;
    }
    if (!block)
        return radix_n48_insert(r, end, b, c);
    radix_sorted s;
    radix_sorted_get(r, &s);
    if (type == RADIX_N256) /* only a keyed child fills a node48 */
        return radix_n256_build(block, radix_prefix_len(r), &s, b, c);
    if (end) {
        s.end = c;
        c = 0;
    }
    return radix_sorted_build(block, type, radix_prefix_len(r), &s, b, c);
}

/* Where a missing key joins the trie: slot holds the reference to the
 * node whose compressed path or branch holds the key's byte at (or to
 * the leaf there), and pos is the number of key bytes above that node.
 * add: the node branches at that byte, and the key becomes one more
 * child of it; else a new node4 splits the path there. */
typedef struct radix_site {
    radix_ref *slot;
    size_t pos;
    int add;
} radix_site;

/* Walks down again, by the key's bytes, to where byte at is. */
static radix_site radix_site_of(intern_table *t, const unsigned char *k,
                                size_t at) {
    radix_site site = {&t->root, 0, 0};
    for (;;) {
        radix_ref r = *site.slot;
        if (r & RADIX_LEAF)
            break;
        uint32_t skip = radix_prefix_len(r);
        if (at < site.pos + skip)
            break;
        site.pos += skip;
        if (at == site.pos) {
            site.add = 1;
            break;
        }
        site.slot = radix_node_slot(r, k[site.pos]);
        site.pos++;
    }
    return site;
}

/* Adds leaf (the end leaf when end, else under byte b) to the node in
 * *slot: in place when block is NULL, else as the grown node of type
 * built in block (of need bytes), which replaces it. */
static void radix_add_leaf(intern_table *t, radix_ref *slot, void *block,
                           unsigned type, size_t need, int end, uint8_t b,
                           radix_ref leaf) {
    radix_ref r = *slot;
    unsigned old_type = radix_type(r);
    size_t old_size = block ? radix_node_size(r) : 0;
    radix_ref grown = radix_node_add(r, block, type, end, b, leaf);
    if (!block)
        return;
    *slot = grown;
    radix_block_give(t, radix_node(r), old_size);
    t->node_bytes += need - old_size;
    t->nodes[old_type]--;
    t->nodes[type]++;
    t->resizes += type != old_type;
}

/* Puts a new node4 (in block) at site, branching at miss->at over what
 * was there (a node, its compressed path cut at that byte, or the leaf
 * it replaces) and leaf. The witness is set: a key that left an
 * uncompressed path only adds a child. */
static void radix_split(intern_table *t, const radix_site *site,
                        const radix_miss *miss, void *block, int end, uint8_t b,
                        radix_ref leaf) {
    const intern_str *w = miss->witness;
    size_t d = miss->at;
    radix_ref r = *site->slot, old = r;
    int old_end = intern_str_len(w) == d; /* only when r is w's leaf */
    uint8_t old_b = old_end ? 0 : (uint8_t)intern_str_bytes(w)[d];
    if (r & RADIX_LEAF)
        old = radix_leaf_ref(radix_leaf(r), old_end);
    else
        radix_prefix_set(r,
                         (uint32_t)(radix_prefix_len(r) - (d - site->pos) - 1));
    radix_sorted s = {0, !old_end, &old_b, &old};
    if (old_end)
        s.end = old;
    if (end) { /* the two keys differ: at most one ends here */
        s.end = leaf;
        leaf = 0;
    }
    *site->slot = radix_sorted_build(block, RADIX_N4, (uint32_t)(d - site->pos),
                                     &s, b, leaf);
    t->node_bytes += radix_sorted_size(RADIX_N4, 2);
    t->nodes[RADIX_N4]++;
}

/* Stores key as a new string, the trie's first: the root is its leaf. */
static intern_status radix_insert_first(intern_table *t, const unsigned char *k,
                                        size_t len, const intern_str **out) {
    const intern_str *n = intern_arena_store(&t->arena, k, len);
    if (!n)
        return INTERN_ENOMEM;
    t->root = radix_leaf_ref(n, 0);
    t->strings++;
    t->payload_bytes += len;
    *out = n;
    return INTERN_NEW;
}

/* Stores key, which the trie lacks, where miss says it leaves the
 * trie. Everything is allocated first, so a failure changes nothing.
 * Always inlined: as a call (gcc -O2 makes one) it cost each insert about
 * 3% more instructions (callgrind, internbench metrics), though a hit
 * 6 to 8% fewer. */
static RADIX_ALWAYS_INLINE intern_status radix_insert(intern_table *t,
                                                      const unsigned char *k,
                                                      size_t len,
                                                      const radix_miss *miss,
                                                      const intern_str **out) {
    radix_site site = radix_site_of(t, k, miss->at);
    int end = miss->at == len;
    unsigned type = RADIX_N4;
    size_t need = site.add ? radix_add_size(*site.slot, end, &type)
                           : radix_sorted_size(RADIX_N4, 2);
    void *block = NULL;
    radix_undo undo;
    if (need && !(block = radix_block_take(t, need, &undo)))
        return INTERN_ENOMEM;
    const intern_str *n = intern_arena_store(&t->arena, k, len);
    if (!n) {
        if (block)
            radix_block_untake(t, &undo);
        return INTERN_ENOMEM;
    }
    radix_ref leaf = radix_leaf_ref(n, end);
    uint8_t b = end ? 0 : k[miss->at];
    if (site.add)
        radix_add_leaf(t, site.slot, block, type, need, end, b, leaf);
    else
        radix_split(t, &site, miss, block, end, b, leaf);
    t->strings++;
    t->payload_bytes += len;
    *out = n;
    return INTERN_NEW;
}

static intern_status radix_intern(intern_table *t, const void *key, size_t len,
                                  const intern_str **out) {
    if (len > INTERN_KEY_MAX)
        return INTERN_E2BIG;
    const unsigned char *k = len ? key : (const unsigned char *)"";
    if (!t->root)
        return radix_insert_first(t, k, len, out);
    radix_miss miss = {0, NULL}; /* gcc cannot see radix_search set it */
    const intern_str *s = radix_search(t, k, len, &miss);
    if (s) {
        *out = s;
        return INTERN_FOUND;
    }
    return radix_insert(t, k, len, &miss, out);
}

/* ---- walks ---- */

static int radix_each(const intern_table *t, intern_visit_fn fn, void *ctx) {
    if (!t->root)
        return 0;
    for (const intern_str *s = radix_leaf_min(t->root); s;
         s = radix_leaf_next(t, s, NULL)) {
        int rc = fn(ctx, s);
        if (rc)
            return rc;
    }
    return 0;
}

static int radix_each_prefix(const intern_table *t, const void *prefix,
                             size_t len, intern_visit_fn fn, void *ctx) {
    const unsigned char *p = prefix;
    radix_ref r = t->root;
    size_t pos = 0;
    /* down to the subtree whose paths are at least len bytes long */
    while (r && !(r & RADIX_LEAF)) {
        uint32_t skip = radix_prefix_len(r);
        if (len <= pos + skip)
            break;
        pos += skip;
        r = radix_node_find(r, p[pos]);
        pos++;
    }
    if (!r)
        return 0;
    /* every string below r shares its first len bytes: check one */
    const intern_str *s = radix_leaf_min(r), *last = radix_leaf_max(r);
    if (intern_str_len(s) < len ||
        (len && memcmp(intern_str_bytes(s), p, len) != 0))
        return 0;
    for (;;) {
        int rc = fn(ctx, s);
        if (rc)
            return rc;
        if (s == last)
            return 0;
        s = radix_leaf_next(t, s, NULL);
    }
}

/* ---- the rest of the interface ---- */

static intern_table *radix_create(const intern_config *cfg) {
    const intern_allocator *a = intern_config_allocator(cfg);
    intern_table *t = a->malloc(a->ctx, sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->alloc = a;
    t->slabs.next_size = RADIX_SLAB_FIRST;
    intern_arena_init(&t->arena, a, 8, 0);
    return t;
}

/* Depths and node visits are found by walking every string's path from
 * the root, so stats needs no memory. A lookup of a held string visits
 * the inner nodes of its path and then its record: depth + 1. */
static void radix_stats(const intern_table *t, intern_stats *st) {
    memset(st, 0, sizeof *st);
    st->strings = t->strings;
    intern_arena_account(&t->arena, t->payload_bytes, st);
    st->index_bytes = sizeof *t + t->node_bytes + t->slabs.headers;
    st->slack_bytes += t->slabs.held - t->slabs.headers - t->node_bytes;
    st->total_bytes = st->payload_bytes + st->header_bytes + st->index_bytes +
                      st->slack_bytes;
    st->resizes = t->resizes;
    memcpy(st->nodes, t->nodes, sizeof st->nodes);
    if (!t->root)
        return;
    const intern_str *s = radix_leaf_min(t->root);
    while (s) {
        uint64_t depth;
        const intern_str *next = radix_leaf_next(t, s, &depth);
        st->depth_sum += depth;
        if (depth > st->depth_max)
            st->depth_max = depth;
        s = next;
    }
    st->probe_hit_sum = st->depth_sum + st->strings;
    st->probe_hit_max = st->depth_max + 1;
}

static void radix_destroy(intern_table *t) {
    if (!t)
        return;
    radix_slab *slab = t->slabs.head;
    while (slab) {
        radix_slab *next = slab->next;
        t->alloc->free(t->alloc->ctx, slab);
        slab = next;
    }
    intern_arena_release(&t->arena);
    t->alloc->free(t->alloc->ctx, t);
}

const intern_ops intern_radix_ops = {
    .name = "radix",
    .settings = "adaptive radix trie on the key bytes, no hashing: nodes of "
                "4, 16, 48 (sorted, sized to their children, SSE2 search "
                "where available) and 256 children; optimistic path "
                "compression (length only, checked at the leaf); leaves are "
                "tagged pointers to the records",
    .create = radix_create,
    .intern = radix_intern,
    .find = radix_find,
    .stats = radix_stats,
    .destroy = radix_destroy,
    .each = radix_each,
    .each_prefix = radix_each_prefix,
};
