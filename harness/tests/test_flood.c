/* test_flood.c: hash flooding, by probe counts (deterministic, never
 * timings). The FNV-1a collision flood (flood_keys.h) goes into every
 * registered hash table under each hash, at n = 1000, 2000, 4000, 8000:
 *   - with fnv1a the flood works: every key collides modulo 2^20, and the
 *     mean probes per hit grow with n (the quadratic blow-up: n keys each
 *     costing O(n));
 *   - with xxh3 and siphash13 (seeded) the mean probes per hit stay below
 *     a small constant at every n.
 * Tables that hash nothing (capacity 0 in their stats, the trie) are
 * skipped. Usage: test_flood [MAX_N] (default 8000, at least 2000). */
#include <inttypes.h>
#include <string.h>

#include "check.h"
#include "flood_keys.h"
#include "intern/alloc.h"
#include "intern/intern.h"

/* Mean probes per hit with xxh3 or siphash13 on the flood stays at or
 * below this at every n (a load of at most 1 gives about 1.5 records per
 * hit in a chained table, about 1 group in an open one). */
#define FLOOD_HIT_BOUND 2.0

typedef struct flood_result {
    double hit;  /* probe_hit_sum / strings */
    double miss; /* probe_miss_sum / probe_miss_samples */
    uint64_t hit_max;
    uint64_t capacity;
} flood_result;

static int flood_build(const intern_ops *ops, intern_hash_kind hash,
                       const case_data *keys, size_t n, flood_result *res) {
    intern_counting_alloc ca;
    intern_counting_alloc_init(&ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.hash = hash;
    cfg.seed_fixed = true; /* fixed for a repeatable test; the flood does
                              not depend on it */
    cfg.seed = 0x5eed;
    cfg.alloc = &ca.base;
    intern_table *t = ops->create(&cfg);
    REQUIRE(t);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const intern_str *s;
        if (ops->intern(t, keys->bytes + keys->offset[i], keys->len[i], &s) !=
            INTERN_NEW)
            bad++;
    }
    CHECKF(bad == 0, "%s/%s: %d flood keys not new", ops->name,
           intern_hash_name(hash), bad);
    intern_stats st;
    ops->stats(t, &st);
    res->hit = st.strings ? (double)st.probe_hit_sum / (double)st.strings : 0;
    res->miss = st.probe_miss_samples
                    ? (double)st.probe_miss_sum / (double)st.probe_miss_samples
                    : 0;
    res->hit_max = st.probe_hit_max;
    res->capacity = st.capacity;
    ops->destroy(t);
    CHECK(ca.live_bytes == 0);
    return bad;
}

int main(int argc, char **argv) {
    size_t max_n = argc > 1 ? strtoul(argv[1], NULL, 10) : 8000;
    REQUIRE(max_n >= 2000);
    case_data keys;
    REQUIRE(flood_keys_make(max_n, &keys) == 0);
    REQUIRE(keys.count == max_n);

    /* the flood is a flood: FNV-1a equal modulo 2^20 on every key */
    uint64_t low0 =
        intern_hash_bytes(INTERN_HASH_FNV1A, 0, keys.bytes, keys.len[0]) &
        0xfffff;
    size_t off_target = 0;
    for (size_t i = 0; i < keys.count; i++) {
        uint64_t h = intern_hash_bytes(
            INTERN_HASH_FNV1A, 12345, keys.bytes + keys.offset[i], keys.len[i]);
        off_target += (h & 0xfffff) != low0;
    }
    CHECKF(off_target == 0, "%zu flood keys miss the FNV-1a target",
           off_target);

    size_t count;
    const intern_table_info *all = intern_registry(&count);
    size_t tested = 0;
    printf("%-14s %-10s %8s %12s %12s %10s\n", "table", "hash", "n",
           "probes/hit", "probes/miss", "max/hit");
    for (size_t ti = 0; ti < count; ti++) {
        const intern_ops *ops = all[ti].ops;
        flood_result probe;
        flood_build(ops, INTERN_HASH_XXH3, &keys, 16, &probe);
        if (probe.capacity == 0)
            continue; /* hashes nothing */
        tested++;
        for (int h = 0; h < INTERN_HASH_COUNT; h++) {
            double first = 0, last = 0;
            for (size_t n = max_n / 8 ? max_n / 8 : 1; n <= max_n; n *= 2) {
                flood_result r;
                flood_build(ops, (intern_hash_kind)h, &keys, n, &r);
                printf("%-14s %-10s %8zu %12.2f %12.2f %10" PRIu64 "\n",
                       ops->name, intern_hash_name((intern_hash_kind)h), n,
                       r.hit, r.miss, r.hit_max);
                if (first == 0)
                    first = r.hit;
                last = r.hit;
                if (h != INTERN_HASH_FNV1A)
                    CHECKF(r.hit <= FLOOD_HIT_BOUND,
                           "%s/%s: %.2f probes per hit at n=%zu, bound %.1f",
                           ops->name, intern_hash_name((intern_hash_kind)h),
                           r.hit, n, FLOOD_HIT_BOUND);
            }
            if (h == INTERN_HASH_FNV1A) {
                /* n grew 8x; each hit's cost must grow with it (by about
                 * 8x when every key shares one chain or probe sequence) */
                CHECKF(last >= 4 * first && last > 10 * FLOOD_HIT_BOUND,
                       "%s/fnv1a: probes per hit %.2f -> %.2f: the flood "
                       "did not flood",
                       ops->name, first, last);
            }
        }
    }
    CHECKF(tested >= 2, "only %zu hash tables in the registry", tested);
    case_data_free(&keys);
    return check_exit();
}
