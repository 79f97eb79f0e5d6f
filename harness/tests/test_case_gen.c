/* test_case_gen.c: the generators are deterministic (digests computed once
 * and committed here on purpose: a change to a generator must show), the
 * FNV-1a flood collides, the parameters mean what they say.
 * argv[1]: the cases directory (for a corpus-length spec). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "check.h"
#include "internbench/gen.h"

static const char *cases_dir;

static int collect(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

/* XXH64 over the strings, each preceded by its 8-byte LE length: the
 * digest 'internbench gen --digest' prints. */
static uint64_t digest(const case_data *d) {
    XXH64_state_t *h = XXH64_createState();
    REQUIRE(h);
    XXH64_reset(h, 0);
    for (size_t i = 0; i < d->count; i++) {
        unsigned char n[8];
        for (int k = 0; k < 8; k++)
            n[k] = (unsigned char)((uint64_t)d->len[i] >> (8 * k));
        XXH64_update(h, n, 8);
        XXH64_update(h, d->bytes + d->offset[i], d->len[i]);
    }
    uint64_t v = XXH64_digest(h);
    XXH64_freeState(h);
    return v;
}

static uint64_t count_unique(const case_data *d) {
    size_t n;
    const intern_table_info *info = intern_registry(&n);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    intern_table *t = info[0].ops->create(&cfg);
    REQUIRE(t);
    uint64_t u = 0;
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s;
        u += info[0].ops->intern(t, d->bytes + d->offset[i], d->len[i], &s) ==
             INTERN_NEW;
    }
    info[0].ops->destroy(t);
    return u;
}

static bool run_spec(gen_spec *s, case_data *d) {
    case_data_init(d, NULL);
    case_error err;
    case_status st = gen_run(s, collect, d, &err);
    CHECKF(st == CASE_OK, "%s", err.message);
    return st == CASE_OK;
}

static bool run_named(const char *name, case_data *d) {
    gen_spec s;
    REQUIRE(gen_spec_from_name(&s, name));
    return run_spec(&s, d);
}

/* The committed digests. */
static const struct {
    const char *name;
    uint64_t digest;
} expected[] = {
    {"gen-ident-1e4", 0x77111056c04b47bfULL},
    {"gen-zipf", 0xd4f53e6bb1888717ULL},
    {"gen-prefix", 0xe70ff6e0295a84b8ULL},
    {"gen-fnv-flood", 0x2796a3a154f839d3ULL},
    {"gen-utf8", 0xf94cb28369ad1b36ULL},
    {"gen-binary", 0x9cf907e90a1f0114ULL},
    {"gen-cpython-limits", 0x086c6eda20264adfULL},
};

static void test_digests(void) {
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        case_data a, b;
        run_named(expected[i].name, &a);
        run_named(expected[i].name, &b);
        uint64_t da = digest(&a);
        CHECK(da == digest(&b)); /* the same run twice */
        CHECKF(da == expected[i].digest, "%s: digest 0x%016llx",
               expected[i].name, (unsigned long long)da);
        gen_spec s;
        gen_spec_from_name(&s, expected[i].name);
        CHECK(a.count == s.count);
        CHECKF(count_unique(&a) == gen_spec_unique(&s), "%s: unique",
               expected[i].name);
        case_data_free(&a);
        case_data_free(&b);
    }
}

static void test_flood(void) {
    for (unsigned bits = 8; bits <= 20; bits += 4) {
        gen_spec s;
        gen_spec_init(&s);
        char opt[16];
        snprintf(opt, sizeof opt, "%u", bits);
        REQUIRE(gen_spec_set(&s, "flood-bits", opt, NULL, 0));
        REQUIRE(gen_spec_set(&s, "count", "3000", NULL, 0));
        REQUIRE(gen_spec_set(&s, "seed", "99", NULL, 0));
        case_data d;
        if (!run_spec(&s, &d))
            continue;
        uint64_t mask = ((uint64_t)1 << bits) - 1, first = 0;
        size_t bad = 0;
        for (size_t i = 0; i < d.count; i++) {
            /* FNV-1a is unkeyed: any seed gives the same hash */
            uint64_t h = intern_hash_bytes(INTERN_HASH_FNV1A, i,
                                           d.bytes + d.offset[i], d.len[i]);
            if (i == 0)
                first = h & mask;
            bad += (h & mask) != first;
        }
        CHECKF(bad == 0, "%zu of %zu keys miss the %u-bit target", bad, d.count,
               bits);
        CHECK(count_unique(&d) == d.count); /* distinct keys */
        case_data_free(&d);
    }
}

static void test_parameters(void) {
    case_data d;
    /* uniform lengths stay in range, identifiers stay identifiers */
    if (run_named("gen-ident-1e4", &d)) {
        size_t bad = 0;
        for (size_t i = 0; i < d.count; i++) {
            const char *p = d.bytes + d.offset[i];
            bad += d.len[i] < 3 || d.len[i] > 20;
            bad += !((p[0] >= 'A' && p[0] <= 'Z') ||
                     (p[0] >= 'a' && p[0] <= 'z') || p[0] == '_');
            bad +=
                strspn(p,
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
                       "0123456789") != d.len[i];
        }
        CHECK(bad == 0);
        case_data_free(&d);
    }
    /* the list lengths only */
    if (run_named("gen-cpython-limits", &d)) {
        size_t bad = 0;
        static const uint32_t ok[] = {1, 19, 20, 21, 22, 4095, 4096, 4097};
        for (size_t i = 0; i < d.count; i++) {
            bool found = false;
            for (size_t k = 0; k < 8; k++)
                found |= d.len[i] == ok[k];
            bad += !found;
        }
        CHECK(bad == 0);
        case_data_free(&d);
    }
    /* utf8: valid, 1..32 bytes */
    if (run_named("gen-utf8", &d)) {
        size_t bad = 0;
        for (size_t i = 0; i < d.count; i++)
            bad += !case_utf8_valid(d.bytes + d.offset[i], d.len[i], NULL) ||
                   d.len[i] < 1 || d.len[i] > 32;
        CHECK(bad == 0);
        case_data_free(&d);
    }
    /* shared prefixes: at most 8 distinct 48-byte prefixes */
    if (run_named("gen-prefix", &d)) {
        size_t distinct = 0, bad = 0;
        const char *seen[8];
        for (size_t i = 0; i < d.count; i++) {
            const char *p = d.bytes + d.offset[i];
            bad += d.len[i] < 49 || d.len[i] > 54;
            size_t k;
            for (k = 0; k < distinct; k++)
                if (memcmp(seen[k], p, 48) == 0)
                    break;
            if (k == distinct) {
                if (distinct == 8) {
                    bad++;
                    continue;
                }
                seen[distinct++] = p;
            }
        }
        CHECK(bad == 0 && distinct == 8);
        case_data_free(&d);
    }
    /* Zipf: rank 0 is the most repeated string, by far */
    if (run_named("gen-zipf", &d)) {
        size_t first = 0, second = 0;
        for (size_t i = 0; i < d.count; i++) {
            if (d.len[i] == d.len[0] &&
                memcmp(d.bytes + d.offset[i], d.bytes, d.len[0]) == 0)
                first++;
        }
        /* the second string made */
        size_t i2 = 1;
        while (i2 < d.count && d.len[i2] == d.len[0] &&
               memcmp(d.bytes + d.offset[i2], d.bytes, d.len[0]) == 0)
            i2++;
        for (size_t i = 0; i < d.count; i++)
            if (d.len[i] == d.len[i2] &&
                memcmp(d.bytes + d.offset[i], d.bytes + d.offset[i2],
                       d.len[i2]) == 0)
                second++;
        /* 900000 repeats over H(100000) ~ 12.09: rank 0 ~ 74000 times */
        CHECKF(first > 60000 && first < 90000, "rank 0 seen %zu times", first);
        CHECKF(second > 30000 && second < 45000, "rank 1 seen %zu times",
               second);
        case_data_free(&d);
    }
    /* lengths from a shipped corpus */
    {
        gen_spec s;
        gen_spec_init(&s);
        REQUIRE(
            gen_spec_set(&s, "length", "corpus:python-identifiers", NULL, 0));
        char path[4096];
        snprintf(path, sizeof path, "%s/python-identifiers.case", cases_dir);
        s.corpus_path = path;
        if (run_spec(&s, &d)) {
            CHECK(d.count == 1000);
            case_data_free(&d);
        }
    }
    /* impossible: 100 distinct identifiers of one character */
    {
        gen_spec s;
        gen_spec_init(&s);
        REQUIRE(gen_spec_set(&s, "count", "100", NULL, 0));
        REQUIRE(gen_spec_set(&s, "length", "fixed:1", NULL, 0));
        case_data_init(&d, NULL);
        case_error err;
        CHECK(gen_run(&s, collect, &d, &err) == CASE_ERR_USAGE);
        CHECK(strstr(err.message, "distinct") != NULL);
        case_data_free(&d);
    }
    /* bad values are refused with a message */
    {
        gen_spec s;
        gen_spec_init(&s);
        char msg[128];
        CHECK(!gen_spec_set(&s, "dup", "1.5", msg, sizeof msg));
        CHECK(!gen_spec_set(&s, "length", "uniform:5..2", msg, sizeof msg));
        CHECK(!gen_spec_set(&s, "alphabet", "klingon", msg, sizeof msg));
        CHECK(!gen_spec_set(&s, "flood-bits", "40", msg, sizeof msg));
        CHECK(!gen_spec_set(&s, "colour", "red", msg, sizeof msg));
        CHECK(gen_spec_set(&s, "count", "2.5e3", msg, sizeof msg) &&
              s.count == 2500);
    }
}

/* format, then parse back: the same spec */
static void test_format(void) {
    size_t n;
    const gen_named *all = gen_named_all(&n);
    for (size_t i = 0; i < n; i++) {
        gen_spec a, b;
        REQUIRE(gen_spec_from_name(&a, all[i].name));
        char text[1024], again[1024];
        gen_spec_format(&a, text, sizeof text);
        gen_spec_init(&b);
        char copy[1024];
        snprintf(copy, sizeof copy, "%s", text);
        bool ok = true;
        for (char *k = strtok(copy, " "); k && ok; k = strtok(NULL, " ")) {
            char *v = strtok(NULL, " ");
            ok = v && gen_spec_set(&b, k + 2, v, NULL, 0);
        }
        CHECKF(ok, "%s: '%s' does not parse back", all[i].name, text);
        gen_spec_format(&b, again, sizeof again);
        CHECKF(strcmp(text, again) == 0, "%s: '%s' vs '%s'", all[i].name, text,
               again);
    }
}

/* the written case reads back to the same strings */
static void test_write(void) {
    gen_spec s;
    REQUIRE(gen_spec_from_name(&s, "gen-binary"));
    FILE *f = tmpfile();
    REQUIRE(f);
    case_error err;
    CHECKF(gen_write_case(&s, f, "tmp", &err) == CASE_OK, "%s", err.message);
    rewind(f);
    case_reader *r = case_reader_open_stream(f, "tmp", NULL, &err);
    REQUIRE(r);
    case_data back;
    case_data_init(&back, NULL);
    const char *p;
    size_t n;
    while (case_reader_next(r, &p, &n) == CASE_OK)
        REQUIRE(case_data_append(&back, p, n) == CASE_OK);
    CHECKF(case_reader_error(r)->status == CASE_OK, "%s",
           case_reader_error(r)->message);
    CHECK(case_reader_encoding(r) == CASE_ENCODING_BYTES);
    CHECK(strcmp(case_reader_meta(r, "name"), "gen-binary") == 0);
    case_reader_close(r);
    fclose(f);
    case_data d;
    if (run_spec(&s, &d)) {
        CHECK(digest(&d) == digest(&back));
        case_data_free(&d);
    }
    case_data_free(&back);
}

int main(int argc, char **argv) {
    REQUIRE(argc == 2);
    cases_dir = argv[1];
    test_digests();
    test_flood();
    test_parameters();
    test_format();
    test_write();
    return check_exit();
}
