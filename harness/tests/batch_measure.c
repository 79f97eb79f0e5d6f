/* batch_measure.c: scalar against batch interning on generated
 * identifiers, the measurements that chose the batch path's design
 * (window, layout). For each case (default gen-ident-1e3 .. gen-ident-1e7)
 * it prints the minimum over REPS passes of ns per string for:
 *   build, batch build       every key into a fresh table (no hint)
 *   hit, shuf hit            every key again, in file order and in a
 *                            seeded shuffled order (the keys copied into
 *                            that order, so only the table's reads are
 *                            random), one intern call per key
 *   batch hit, batch shuf    the same through intern_many
 *   miss, batch miss         keys with one byte changed, absent, through
 *                            find and intern_find_many
 *   floor                    xxh3 of the key plus one random 8-byte read
 *                            of an array with a slot per unique string
 *                            (rounded up to a power of two): what no table
 *                            beats
 * and the ratios that the batch targets are about. Passes of one rep run
 * side by side, so their ratios share the machine's state. Every pass is
 * checked (statuses, handles) outside its timing.
 * Usage: batch_measure [--case NAME]... [--max-n N] [--reps R]
 *                      [--window W] [--chunk C] [--table T]
 * CTest runs it tiny, to keep it working; time only the Release tree. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "check.h"
#include "conformance_keys.h"
#include "intern/intern.h"
#include "internbench/gen.h"
#include "internbench/measure.h"
#include "tables/hashed.h"

/* Keys as the batch calls take them. Invariant: ptr[i] points at len[i]
 * readable bytes inside bytes (or a case's buffer). */
typedef struct bm_keys {
    const void **ptr;
    size_t *len;
    size_t n;
    char *bytes; /* owned copy, or NULL when ptr points into a case */
} bm_keys;

static void bm_keys_alloc(bm_keys *k, size_t n, size_t bytes) {
    k->ptr = malloc((n ? n : 1) * sizeof *k->ptr);
    k->len = malloc((n ? n : 1) * sizeof *k->len);
    k->bytes = malloc(bytes ? bytes : 1);
    k->n = 0;
    REQUIRE(k->ptr && k->len && k->bytes);
}

static void bm_keys_free(bm_keys *k) {
    free(k->ptr);
    free(k->len);
    free(k->bytes);
}

/* Appends a copy of key to k (whose bytes has room). */
static void bm_keys_push(bm_keys *k, size_t *used, const void *key,
                         size_t len) {
    memcpy(k->bytes + *used, key, len);
    k->ptr[k->n] = k->bytes + *used;
    k->len[k->n++] = len;
    *used += len;
}

static int bm_collect(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

/* The case's keys in file order, copied into one buffer. */
static void bm_keys_from_case(bm_keys *k, const case_data *d) {
    bm_keys_alloc(k, d->count, d->bytes_used);
    size_t used = 0;
    for (size_t i = 0; i < d->count; i++)
        bm_keys_push(k, &used, d->bytes + d->offset[i], d->len[i]);
}

/* The keys of src in the order perm, copied so that they lie in that
 * order in memory as the file-order keys do. */
static void bm_keys_permuted(bm_keys *k, const bm_keys *src, const size_t *perm,
                             size_t bytes) {
    bm_keys_alloc(k, src->n, bytes);
    size_t used = 0;
    for (size_t i = 0; i < src->n; i++)
        bm_keys_push(k, &used, src->ptr[perm[i]], src->len[perm[i]]);
}

/* Miss keys: key i with byte i * 7 mod len flipped in its low bit, kept
 * when the table does not hold it. */
static void bm_keys_missing(bm_keys *k, const bm_keys *src, size_t bytes,
                            const intern_ops *ops, const intern_table *t) {
    bm_keys_alloc(k, src->n, bytes);
    size_t used = 0;
    char buf[1 << 16];
    for (size_t i = 0; i < src->n; i++) {
        size_t len = src->len[i];
        if (len == 0 || len > sizeof buf)
            continue;
        memcpy(buf, src->ptr[i], len);
        buf[i * 7 % len] ^= 1;
        if (!ops->find(t, buf, len))
            bm_keys_push(k, &used, buf, len);
    }
}

/* --no-check: builds skip their find check (for a profile of the build
 * alone). */
static bool bm_no_check;

/* --hint: builds start with capacity_hint = n (no growth). */
static size_t bm_hint;

static intern_table *bm_create(const intern_ops *ops, uint64_t seed) {
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.capacity_hint = bm_hint;
    cfg.seed_fixed = true;
    cfg.seed = seed;
    intern_table *t = ops->create(&cfg);
    REQUIRE(t);
    return t;
}

/* The clock: this thread's CPU time by default, so that time the
 * scheduler gives to other processes on a shared machine is not counted
 * (page faults the pass takes are); --wall: CLOCK_MONOTONIC, as run. */
static bool bm_wall;

static double bm_now(void) {
    if (bm_wall)
        return measure_now_ns();
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Page faults of this process so far (first touches of fresh memory). */
static long bm_faults(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt + ru.ru_majflt;
}

/* ns per first touch of a fresh page: a 64 MiB block (which the C
 * library maps fresh from the system, at the start of the program), each
 * 4 KiB page written once. What a build pays for every page its index and
 * arena grow into, however it is pipelined. */
static double bm_fault_cost(void) {
    size_t size = (size_t)64 << 20, pages = size / 4096;
    volatile char *p = malloc(size);
    REQUIRE(p);
    double t0 = bm_now();
    for (size_t i = 0; i < pages; i++)
        p[i * 4096] = 1;
    double ns = bm_now() - t0;
    free((void *)p);
    return ns / (double)pages;
}

/* The timed passes. Each returns its time in ns and leaves the handles
 * (or NULL for a miss) in out, to be checked after. */
static double bm_scalar_intern(const intern_ops *ops, intern_table *t,
                               const bm_keys *k, const intern_str **out,
                               intern_status *status) {
    double t0 = bm_now();
    for (size_t i = 0; i < k->n; i++)
        status[i] = ops->intern(t, k->ptr[i], k->len[i], &out[i]);
    return bm_now() - t0;
}

static double bm_batch_intern(const intern_ops *ops, intern_table *t,
                              const bm_keys *k, size_t chunk,
                              const intern_str **out, intern_status *status) {
    double t0 = bm_now();
    for (size_t i = 0; i < k->n; i += chunk) {
        size_t c = k->n - i < chunk ? k->n - i : chunk;
        REQUIRE(intern_many(ops, t, (const void *const *)k->ptr + i, k->len + i,
                            c, out + i, status + i) == c);
    }
    return bm_now() - t0;
}

static double bm_scalar_find(const intern_ops *ops, const intern_table *t,
                             const bm_keys *k, const intern_str **out) {
    double t0 = bm_now();
    for (size_t i = 0; i < k->n; i++)
        out[i] = ops->find(t, k->ptr[i], k->len[i]);
    return bm_now() - t0;
}

static double bm_batch_find(const intern_ops *ops, const intern_table *t,
                            const bm_keys *k, size_t chunk,
                            const intern_str **out) {
    double t0 = bm_now();
    for (size_t i = 0; i < k->n; i += chunk) {
        size_t c = k->n - i < chunk ? k->n - i : chunk;
        intern_find_many(ops, t, (const void *const *)k->ptr + i, k->len + i, c,
                         out + i);
    }
    return bm_now() - t0;
}

/* The floor: as measure_floor in the harness (xxh3 with seed 0x5eed, one
 * read of arr[hash & mask]), over these keys. */
static double bm_floor(const bm_keys *k, const uint64_t *arr, uint64_t mask,
                       uint64_t *sum) {
    uint64_t s = 0;
    double t0 = bm_now();
    for (size_t i = 0; i < k->n; i++)
        s += arr[intern_hash_bytes(INTERN_HASH_XXH3, 0x5eed, k->ptr[i],
                                   k->len[i]) &
                 mask];
    double ns = bm_now() - t0;
    *sum += s;
    return ns;
}

/* The floor with software prefetching, a window ahead as the batch path
 * has it: pf1, the same one read per key; pf2, that read and a second at
 * an independent random place of an array as big as the records (24
 * bytes a string), the two lines every hit of a hashed table must touch
 * (its index entry, then its record) when the keys come in random order.
 * What a pipeline can get from this machine's memory; rec NULL: pf1. */
static double bm_floor_pf(const bm_keys *k, const uint64_t *arr, uint64_t mask,
                          const uint64_t *rec, uint64_t rec_mask,
                          uint64_t *sum) {
    uint64_t ring[INTERN_BATCH_RING], s = 0;
    size_t w = intern_batch_window;
    double t0 = bm_now();
    for (size_t i = 0; i < k->n + w; i++) {
        if (i < k->n) {
            uint64_t h = intern_hash_bytes(INTERN_HASH_XXH3, 0x5eed, k->ptr[i],
                                           k->len[i]);
            ring[i % INTERN_BATCH_RING] = h;
            __builtin_prefetch(&arr[h & mask]);
            if (rec)
                __builtin_prefetch(&rec[(h >> 32) & rec_mask]);
        }
        if (i >= w) {
            uint64_t h = ring[(i - w) % INTERN_BATCH_RING];
            s += arr[h & mask] + (rec ? rec[(h >> 32) & rec_mask] : 0);
        }
    }
    double ns = bm_now() - t0;
    *sum += s;
    return ns;
}

enum {
    BM_BUILD,
    BM_BATCH_BUILD,
    BM_HIT,
    BM_SHUF_HIT,
    BM_BATCH_HIT,
    BM_BATCH_SHUF,
    BM_MISS,
    BM_BATCH_MISS,
    BM_FLOOR,
    BM_PF1,
    BM_PF2,
    BM_COUNT
};

static const char *const bm_names[BM_COUNT] = {
    "build", "b.build", "hit",   "shuf", "b.hit", "b.shuf",
    "miss",  "b.miss",  "floor", "pf1",  "pf2"};

/* What one case's passes share. */
typedef struct bm_case {
    const intern_ops *ops;
    bm_keys keys, shuf, miss;
    const intern_str **want;      /* handles of the scalar build */
    const intern_str **want_shuf; /* the same in the shuffled order */
    const intern_str **out;
    intern_status *status;
    uint64_t *floor_arr, *floor_rec;
    uint64_t floor_mask, floor_rec_mask;
    size_t chunk;
    const bool *on; /* the passes to run */
    long faults[2]; /* fewest page faults of a scalar, a batch build */
} bm_case;

static size_t bm_count_status(const intern_status *st, size_t n,
                              intern_status want) {
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += st[i] != want;
    return bad;
}

static size_t bm_count_diff(const intern_str *const *a,
                            const intern_str *const *b, size_t n) {
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += a[i] != (b ? b[i] : NULL);
    return bad;
}

/* One build of rep r into a fresh table, scalar or batch; checked (every
 * key new, then found with its handle) outside the timing. */
static double bm_build(bm_case *c, int r, bool batch) {
    size_t n = c->keys.n, lost = 0;
    intern_table *t = bm_create(c->ops, (uint64_t)r + 1);
    long faults = bm_faults();
    double ns =
        batch
            ? bm_batch_intern(c->ops, t, &c->keys, c->chunk, c->out, c->status)
            : bm_scalar_intern(c->ops, t, &c->keys, c->out, c->status);
    faults = bm_faults() - faults;
    if (r == 0 || faults < c->faults[batch])
        c->faults[batch] = faults;
    CHECK(bm_count_status(c->status, n, INTERN_NEW) == 0);
    for (size_t i = 0; i < n && !bm_no_check; i++)
        lost += c->ops->find(t, c->keys.ptr[i], c->keys.len[i]) != c->out[i];
    CHECK(lost == 0);
    c->ops->destroy(t);
    return ns;
}

/* The builds of rep r: scalar then batch, or batch then scalar in odd
 * reps, since the second finds memory the first freed (fewer page
 * faults) and the minimum should not favour either. */
static void bm_rep_builds(bm_case *c, int r, double *ns) {
    for (int k = 0; k < 2; k++) {
        bool batch = (k + r) % 2 == 1;
        int w = batch ? BM_BATCH_BUILD : BM_BUILD;
        if (c->on[w])
            ns[w] = bm_build(c, r, batch);
    }
}

/* One run of lookup pass w on t, checked; its time in ns. */
static double bm_lookup(bm_case *c, intern_table *t, int w, uint64_t *sum) {
    const intern_ops *ops = c->ops;
    size_t n = c->keys.n, bad = 0;
    const bm_keys *k =
        w == BM_SHUF_HIT || w == BM_BATCH_SHUF ? &c->shuf : &c->keys;
    const intern_str *const *want =
        w == BM_SHUF_HIT || w == BM_BATCH_SHUF ? c->want_shuf : c->want;
    double ns = 0;
    switch (w) {
    case BM_HIT:
    case BM_SHUF_HIT:
    case BM_BATCH_HIT:
    case BM_BATCH_SHUF:
        ns = w == BM_HIT || w == BM_SHUF_HIT
                 ? bm_scalar_intern(ops, t, k, c->out, c->status)
                 : bm_batch_intern(ops, t, k, c->chunk, c->out, c->status);
        bad = bm_count_diff(c->out, want, n) +
              bm_count_status(c->status, n, INTERN_FOUND);
        break;
    case BM_MISS:
    case BM_BATCH_MISS:
        ns = w == BM_MISS ? bm_scalar_find(ops, t, &c->miss, c->out)
                          : bm_batch_find(ops, t, &c->miss, c->chunk, c->out);
        bad = bm_count_diff(c->out, NULL, c->miss.n);
        break;
    case BM_FLOOR:
        ns = bm_floor(&c->keys, c->floor_arr, c->floor_mask, sum);
        break;
    case BM_PF1:
    case BM_PF2:
        ns = bm_floor_pf(&c->shuf, c->floor_arr, c->floor_mask,
                         w == BM_PF2 ? c->floor_rec : NULL, c->floor_rec_mask,
                         sum);
        break;
    }
    CHECKF(bad == 0, "%s: %zu wrong results", bm_names[w], bad);
    return ns;
}

static void bm_rep_lookups(bm_case *c, intern_table *t, double *ns,
                           uint64_t *sum) {
    bm_scalar_intern(c->ops, t, &c->keys, c->out, c->status);
    for (int w = BM_HIT; w < BM_COUNT; w++) {
        if (!c->on[w])
            continue;
        if (c->keys.n < 1000000)
            bm_lookup(c, t, w, sum);
        ns[w] = bm_lookup(c, t, w, sum);
    }
}

/* Generates the case, builds the shared table and the key sets. */
static intern_table *bm_case_setup(bm_case *c, const gen_spec *spec) {
    case_data d;
    case_data_init(&d, NULL);
    case_error err;
    REQUIRE(gen_run(spec, bm_collect, &d, &err) == CASE_OK);
    bm_keys_from_case(&c->keys, &d);
    size_t n = c->keys.n, bytes = d.bytes_used;
    case_data_free(&d);
    size_t *perm = malloc(n * sizeof *perm);
    c->want = malloc(n * sizeof *c->want);
    c->want_shuf = malloc(n * sizeof *c->want_shuf);
    c->out = malloc(n * sizeof *c->out);
    c->status = malloc(n * sizeof *c->status);
    REQUIRE(perm && c->want && c->want_shuf && c->out && c->status);
    keys_rng rng = {2};
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n - 1; i > 0 && n; i--) {
        size_t j = keys_rng_below(&rng, i + 1), tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    bm_keys_permuted(&c->shuf, &c->keys, perm, bytes);
    intern_table *t = bm_create(c->ops, 1);
    bm_scalar_intern(c->ops, t, &c->keys, c->want, c->status);
    REQUIRE(bm_count_status(c->status, n, INTERN_NEW) == 0);
    for (size_t i = 0; i < n; i++)
        c->want_shuf[i] = c->want[perm[i]];
    free(perm);
    bm_keys_missing(&c->miss, &c->keys, bytes, c->ops, t);
    uint64_t slots = 1;
    while (slots < n)
        slots <<= 1;
    c->floor_arr = malloc(slots * sizeof *c->floor_arr);
    REQUIRE(c->floor_arr);
    for (uint64_t i = 0; i < slots; i++)
        c->floor_arr[i] = i * 0x9E3779B97F4A7C15ull;
    c->floor_mask = slots - 1;
    uint64_t words = 1;
    while (words < 3 * (uint64_t)n)
        words <<= 1;
    c->floor_rec = malloc(words * sizeof *c->floor_rec);
    REQUIRE(c->floor_rec);
    for (uint64_t i = 0; i < words; i++)
        c->floor_rec[i] = i;
    c->floor_rec_mask = words - 1;
    return t;
}

static void bm_case_free(bm_case *c) {
    bm_keys_free(&c->keys);
    bm_keys_free(&c->shuf);
    bm_keys_free(&c->miss);
    free(c->want);
    free(c->want_shuf);
    free(c->out);
    free(c->status);
    free(c->floor_arr);
    free(c->floor_rec);
}

static void bm_run_case(const intern_ops *ops, const gen_spec *spec, int reps,
                        size_t chunk, const bool *on, bool hint) {
    bm_case c = {.ops = ops, .on = on};
    intern_table *t = bm_case_setup(&c, spec);
    if (hint)
        bm_hint = c.keys.n;
    size_t n = c.keys.n;
    c.chunk = chunk ? chunk : (n ? n : 1);
    double best[BM_COUNT], ns[BM_COUNT];
    uint64_t sum = 0;
    for (int w = 0; w < BM_COUNT; w++)
        best[w] = ns[w] = 0;
    for (int r = 0; r <= reps; r++) { /* rep 0 warms up */
        bm_rep_builds(&c, r, ns);
        bm_rep_lookups(&c, t, ns, &sum);
        for (int w = 0; r > 0 && w < BM_COUNT; w++) {
            size_t per = w == BM_MISS || w == BM_BATCH_MISS ? c.miss.n : n;
            double v = per ? ns[w] / (double)per : 0;
            best[w] = r == 1 || v < best[w] ? v : best[w];
        }
    }
    printf("%-9" PRIu64, spec->count);
    for (int w = 0; w < BM_COUNT; w++)
        printf(" %7.1f", best[w]);
    printf("  %5.2f %5.2f %5.2f %5.2f %5.2f %6.2f %6.2f\n",
           best[BM_BUILD] / best[BM_BATCH_BUILD],
           best[BM_HIT] / best[BM_BATCH_HIT],
           best[BM_SHUF_HIT] / best[BM_BATCH_SHUF],
           best[BM_BATCH_HIT] / best[BM_FLOOR],
           best[BM_BATCH_SHUF] / best[BM_FLOOR],
           n ? (double)c.faults[0] * 1000 / (double)n : 0,
           n ? (double)c.faults[1] * 1000 / (double)n : 0);
    fflush(stdout);
    ops->destroy(t);
    bm_case_free(&c);
    if (sum == 42)
        printf("(floor checksum %" PRIu64 ")\n", sum);
}

/* --pass P: the first one clears the others (a profile of one pass). */
static int bm_select(bool *on, const char *name, bool *chosen) {
    for (int w = 0; w < BM_COUNT; w++) {
        if (strcmp(bm_names[w], name) != 0)
            continue;
        if (!*chosen)
            for (int v = 0; v < BM_COUNT; v++)
                on[v] = false;
        *chosen = true;
        on[w] = true;
        return 0;
    }
    return -1;
}

static int bm_usage(void) {
    fprintf(stderr,
            "usage: batch_measure [--case NAME|N]... [--max-n N] [--reps R]\n"
            "         [--window W] [--min-index BYTES] [--chunk C] "
            "[--table T]\n"
            "         [--pass P]... [--hint] [--wall] [--no-check]\n"
            "  --case N: gen-ident's parameters with N strings\n");
    return 2;
}

/* The command line. */
typedef struct bm_options {
    const char *cases[16];
    size_t ncases, chunk;
    double max_n;
    int reps;
    const char *table;
    bool on[BM_COUNT], chosen, hint;
} bm_options;

static int bm_parse(bm_options *o, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--hint") == 0 || strcmp(a, "--wall") == 0 ||
            strcmp(a, "--no-check") == 0) {
            *(a[2] == 'h'   ? &o->hint
              : a[2] == 'w' ? &bm_wall
                            : &bm_no_check) = true;
            continue;
        }
        if (!v)
            return -1;
        i++;
        if (strcmp(a, "--case") == 0 && o->ncases < 16)
            o->cases[o->ncases++] = v;
        else if (strcmp(a, "--max-n") == 0)
            o->max_n = strtod(v, NULL);
        else if (strcmp(a, "--reps") == 0)
            o->reps = atoi(v);
        else if (strcmp(a, "--window") == 0)
            intern_batch_window = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--min-index") == 0)
            intern_batch_min_index = (size_t)strtod(v, NULL);
        else if (strcmp(a, "--chunk") == 0)
            o->chunk = strtoul(v, NULL, 10);
        else if (strcmp(a, "--table") == 0)
            o->table = v;
        else if (strcmp(a, "--pass") != 0 || bm_select(o->on, v, &o->chosen))
            return -1;
    }
    return 0;
}

/* A named generated case, or gen-ident's parameters with N strings. */
static bool bm_spec(gen_spec *spec, const char *name) {
    if (name[0] >= '0' && name[0] <= '9') {
        gen_spec_from_name(spec, "gen-ident-1e3");
        spec->count = (uint64_t)strtod(name, NULL);
        return spec->count > 0;
    }
    return gen_spec_from_name(spec, name);
}

int main(int argc, char **argv) {
    bm_options o = {.max_n = 1e7, .reps = 9, .table = "open"};
    for (int w = 0; w < BM_COUNT; w++)
        o.on[w] = true;
    if (bm_parse(&o, argc, argv) != 0)
        return bm_usage();
    const intern_table_info *info = intern_registry_find(o.table);
    if (!info || o.reps < 1 || o.reps > 101 || intern_batch_window < 1 ||
        intern_batch_window > INTERN_BATCH_WINDOW_MAX) {
        fprintf(stderr,
                "batch_measure: need a registered table, 1 <= reps "
                "<= 101, 1 <= window <= %d\n",
                INTERN_BATCH_WINDOW_MAX);
        return 2;
    }
    static const char *const sweep[] = {"gen-ident-1e3", "gen-ident-1e4",
                                        "gen-ident-1e5", "gen-ident-1e6",
                                        "gen-ident-1e7"};
    if (!o.ncases)
        for (; o.ncases < 5; o.ncases++)
            o.cases[o.ncases] = sweep[o.ncases];
    printf("%s, window %u, pipeline from %zu index bytes, min of %d reps, "
           "ns per string (%s)\n",
           o.table, intern_batch_window, intern_batch_min_index, o.reps,
           bm_wall ? "wall clock" : "CPU time");
    printf("first touch of a fresh 4 KiB page: %.0f ns; pf/1k, bpf/1k: page "
           "faults per 1000 strings of a build, a batch build\n",
           bm_fault_cost());
    printf("%-9s", "n");
    for (int w = 0; w < BM_COUNT; w++)
        printf(" %7s", bm_names[w]);
    printf("  %5s %5s %5s %5s %5s %6s %6s\n", "bld/b", "hit/b", "shf/b",
           "b/flr", "s/flr", "pf/1k", "bpf/1k");
    for (size_t i = 0; i < o.ncases; i++) {
        gen_spec spec;
        if (!bm_spec(&spec, o.cases[i])) {
            fprintf(stderr, "batch_measure: no generated case '%s'\n",
                    o.cases[i]);
            return 2;
        }
        if ((double)spec.count <= o.max_n)
            bm_run_case(info->ops, &spec, o.reps, o.chunk, o.on, o.hint);
    }
    return check_exit();
}
