/* engine_case.c: a case as the engine runs it (engine.h): the strings
 * from a case file, a --lines file or a generator, then what every pass
 * needs, made once: the reference, the expected vector, the miss keys
 * and the shuffled order. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internbench/engine.h"

#ifndef INTERNBENCH_CASES_DIR
#define INTERNBENCH_CASES_DIR "cases"
#endif

/* The seed of every case's shuffled hit order. */
#define ENGINE_ORDER_SEED UINT64_C(0x5eed0fde)

static engine_status engine_fail(engine_error *err, engine_status st,
                                 const char *fmt, const char *a,
                                 const char *b) {
    if (err) {
        err->status = st;
        snprintf(err->message, sizeof err->message, fmt, a, b);
    }
    return st;
}

const char *engine_source_name(engine_source s) {
    static const char *const names[] = {"case", "lines", "generated"};
    return s <= ENGINE_SOURCE_GENERATED ? names[s] : "?";
}

const char *engine_cases_dir(const engine_dirs *dirs) {
    if (dirs && dirs->cases)
        return dirs->cases;
    const char *env = getenv("INTERNBENCH_CASES_DIR");
    return env && *env ? env : INTERNBENCH_CASES_DIR;
}

const char *engine_vectors_dir(const engine_dirs *dirs, char *buf, size_t cap) {
    const char *env = getenv("INTERNBENCH_VECTORS_DIR");
    if (dirs && dirs->vectors)
        snprintf(buf, cap, "%s", dirs->vectors);
    else if (env && *env)
        snprintf(buf, cap, "%s", env);
    else
        snprintf(buf, cap, "%s/../vectors/cases", engine_cases_dir(dirs));
    return buf;
}

static bool engine_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file a case name or path refers to, in buf (NULL if none). */
static const char *engine_case_path(const engine_dirs *dirs, const char *spec,
                                    char *buf, size_t cap) {
    if (strcmp(spec, "-") == 0 || strchr(spec, '/') || engine_is_file(spec))
        return spec;
    snprintf(buf, cap, "%s/%s.case", engine_cases_dir(dirs), spec);
    return engine_is_file(buf) ? buf : NULL;
}

static int engine_gen_append(void *ctx, const void *bytes, size_t len) {
    return case_data_append(ctx, bytes, len) != CASE_OK;
}

/* Runs a generator into d, with the header a generated case file has. */
static engine_status engine_generate(gen_spec *spec, const engine_dirs *dirs,
                                     case_data *d, engine_error *err) {
    char corpus[4096];
    if (spec->length == GEN_LENGTH_CORPUS) {
        spec->corpus_path =
            engine_case_path(dirs, spec->corpus, corpus, sizeof corpus);
        if (!spec->corpus_path)
            return engine_fail(err, ENGINE_EINPUT, "no corpus case '%s' in %s",
                               spec->corpus, engine_cases_dir(dirs));
    }
    char num[32];
    snprintf(num, sizeof num, "%" PRIu64, gen_spec_unique(spec));
    case_status st = CASE_OK;
    if (spec->name[0])
        st = case_data_meta_add(d, "name", spec->name);
    if (st == CASE_OK)
        st = case_data_meta_add(d, "kind", gen_spec_kind(spec));
    if (st == CASE_OK)
        st = case_data_meta_add(d, "unique", num);
    if (st != CASE_OK)
        return engine_fail(err, ENGINE_ENOMEM, "%s: out of memory",
                           spec->name[0] ? spec->name : "gen", "");
    if (spec->alphabet == GEN_ALPHABET_BINARY)
        d->encoding = CASE_ENCODING_BYTES;
    case_error cerr;
    st = gen_run(spec, engine_gen_append, d, &cerr);
    if (st == CASE_ERR_NOMEM || st == CASE_ERR_IO)
        return engine_fail(err, ENGINE_ENOMEM, "%s: out of memory",
                           spec->name[0] ? spec->name : "gen", "");
    if (st != CASE_OK)
        return engine_fail(err, ENGINE_EINPUT, "%s", cerr.message, "");
    return ENGINE_OK;
}

static engine_status engine_read_file(const char *path, bool lines,
                                      case_data *d, engine_error *err) {
    case_options opt;
    case_options_init(&opt);
    opt.lines = lines;
    case_error cerr;
    case_status st = case_load(path, &opt, d, &cerr);
    if (st == CASE_OK)
        return ENGINE_OK;
    return engine_fail(err,
                       st == CASE_ERR_NOMEM ? ENGINE_ENOMEM : ENGINE_EINPUT,
                       "%s", cerr.message, "");
}

engine_status engine_case_read(const engine_case_spec *spec,
                               const engine_dirs *dirs, case_data *d,
                               engine_error *err) {
    case_data_init(d, NULL);
    if (spec->gen) {
        gen_spec g = *spec->gen;
        return engine_generate(&g, dirs, d, err);
    }
    if (!spec->value)
        return engine_fail(err, ENGINE_EINPUT,
                           "no case given (--case or --lines)", "", "");
    if (spec->lines)
        return engine_read_file(spec->value, true, d, err);
    gen_spec g;
    if (gen_spec_from_name(&g, spec->value))
        return engine_generate(&g, dirs, d, err);
    char buf[4096];
    const char *path = engine_case_path(dirs, spec->value, buf, sizeof buf);
    if (!path)
        return engine_fail(err, ENGINE_EINPUT,
                           "no case '%s': not a file, not in %s, not a "
                           "generated case",
                           spec->value, engine_cases_dir(dirs));
    return engine_read_file(path, false, d, err);
}

/* The case's name in results: given, or a path's file name without
 * ".case" (a --lines file keeps its whole file name): no machine paths. */
void engine_case_name(const engine_case_spec *spec, char *buf, size_t cap) {
    if (spec->name) {
        snprintf(buf, cap, "%s", spec->name);
        return;
    }
    const char *v = spec->value ? spec->value : "";
    const char *base = strrchr(v, '/');
    base = base ? base + 1 : v;
    size_t n = strlen(base);
    if (!spec->lines && n > 5 && strcmp(base + n - 5, ".case") == 0)
        n -= 5;
    snprintf(buf, cap, "%.*s", (int)n, base);
}

/* ---- the reference ------------------------------------------------------ */

static int engine_ref_build(const case_data *d, engine_ref *ref) {
    memset(ref, 0, sizeof *ref);
    size_t cap = d->count ? d->count : 1;
    vector_str *s = malloc(cap * sizeof *s);
    uint64_t *occ = malloc(cap * sizeof *occ);
    if (!s || !occ) {
        free(s);
        free(occ);
        return -1;
    }
    for (size_t i = 0; i < d->count; i++)
        s[i] = (vector_str){d->bytes + d->offset[i], d->len[i]};
    qsort(s, d->count, sizeof *s, vector_str_compare);
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (n > 0 && vector_str_compare(&s[n - 1], &s[i]) == 0) {
            occ[n - 1]++;
        } else {
            s[n] = s[i];
            occ[n++] = 1;
        }
    }
    ref->s = s;
    ref->occurrences = occ;
    ref->unique = n;
    for (size_t i = 0; i < n; i++)
        ref->unique_bytes += s[i].len;
    ref->digest = vector_digest(s, n);
    return 0;
}

bool engine_ref_contains(const engine_ref *ref, const void *key, size_t len) {
    vector_str k = {key, len};
    return ref->unique &&
           bsearch(&k, ref->s, ref->unique, sizeof k, vector_str_compare);
}

static void engine_ref_free(engine_ref *ref) {
    free(ref->s);
    free(ref->occurrences);
    memset(ref, 0, sizeof *ref);
}

/* ---- what the tables must give --------------------------------------------
 */

/* The case's vector when it has one (the strings must agree with it: a
 * disagreement is noted for the caller to report), else the reference. */
static engine_status engine_expect(engine_case *c, const engine_case_spec *spec,
                                   const engine_dirs *dirs, engine_error *err) {
    memset(&c->want, 0, sizeof c->want);
    c->want.strings = c->d.count;
    c->want.unique = c->ref.unique;
    c->want.unique_bytes = c->ref.unique_bytes;
    c->want.digest = c->ref.digest;
    if (spec->lines || spec->gen)
        return ENGINE_OK;
    char dir[4096], path[4400];
    snprintf(path, sizeof path, "%s/%s.vec",
             engine_vectors_dir(dirs, dir, sizeof dir), c->name);
    if (!engine_is_file(path))
        return ENGINE_OK;
    intern_vector v;
    char msg[512];
    if (vector_read(path, &v, msg, sizeof msg) != 0)
        return engine_fail(err, ENGINE_EINPUT, "%s", msg, "");
    c->want = v;
    c->from_vector = true;
    /* the first field that disagrees with the strings, by name */
    const struct {
        const char *name;
        uint64_t want, got;
    } f[] = {{"strings", v.strings, c->d.count},
             {"unique", v.unique, c->ref.unique},
             {"unique_bytes", v.unique_bytes, c->ref.unique_bytes},
             {"digest", v.digest, c->ref.digest}};
    for (size_t i = 0; i < 4 && !c->vector_note[0]; i++)
        if (f[i].want != f[i].got)
            snprintf(c->vector_note, sizeof c->vector_note,
                     i == 3 ? "%s: expected %016" PRIx64 ", got %016" PRIx64
                            : "%s: expected %" PRIu64 ", got %" PRIu64,
                     f[i].name, f[i].want, f[i].got);
    return ENGINE_OK;
}

/* ---- miss keys and the shuffled order -------------------------------------
 */

/* Appends string i with one byte flipped (see engine_case), or counts it
 * skipped. buf holds at least len bytes. */
static int engine_miss_one(engine_case *c, size_t i, char *buf) {
    size_t len = c->d.len[i];
    if (len == 0) {
        c->miss_skipped_empty++;
        return 0;
    }
    memcpy(buf, c->d.bytes + c->d.offset[i], len);
    size_t at = (i * 7) % len;
    unsigned char orig = (unsigned char)buf[at];
    for (unsigned bit = 0; bit < 8; bit++) {
        buf[at] = (char)(orig ^ (1u << bit));
        if (!engine_ref_contains(&c->ref, buf, len)) {
            c->miss_key_bytes += len;
            return case_data_append(&c->miss, buf, len) == CASE_OK ? 0 : -1;
        }
    }
    c->miss_skipped_present++;
    return 0;
}

static int engine_miss_make(engine_case *c) {
    size_t cap = 1;
    for (size_t i = 0; i < c->d.count; i++)
        if (c->d.len[i] > cap)
            cap = c->d.len[i];
    char *buf = malloc(cap);
    if (!buf)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < c->d.count && rc == 0; i++)
        rc = engine_miss_one(c, i, buf);
    free(buf);
    return rc;
}

static int engine_order_make(engine_case *c) {
    size_t n = c->d.count;
    c->order = malloc((n ? n : 1) * sizeof *c->order);
    if (!c->order)
        return -1;
    for (size_t i = 0; i < n; i++)
        c->order[i] = (uint32_t)i;
    gen_rng r;
    gen_rng_seed(&r, ENGINE_ORDER_SEED);
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)gen_rng_below(&r, i);
        uint32_t t = c->order[i - 1];
        c->order[i - 1] = c->order[j];
        c->order[j] = t;
    }
    return 0;
}

engine_status engine_case_load(const engine_case_spec *spec,
                               const engine_dirs *dirs, engine_case *c,
                               engine_error *err) {
    memset(c, 0, sizeof *c);
    case_data_init(&c->miss, NULL);
    engine_case_name(spec, c->name, sizeof c->name);
    c->source = spec->lines ? ENGINE_SOURCE_LINES
                : spec->gen ? ENGINE_SOURCE_GENERATED
                            : ENGINE_SOURCE_CASE;
    engine_status st = engine_case_read(spec, dirs, &c->d, err);
    if (st != ENGINE_OK)
        return st;
    gen_spec g;
    if (!spec->lines && !spec->gen && spec->value &&
        gen_spec_from_name(&g, spec->value))
        c->source = ENGINE_SOURCE_GENERATED;
    if (c->d.count > UINT32_MAX)
        return engine_fail(err, ENGINE_EINPUT, "%s: more than 2^32-1 strings",
                           c->name, "");
    for (size_t i = 0; i < c->d.count; i++)
        c->key_bytes += c->d.len[i];
    if (engine_ref_build(&c->d, &c->ref) != 0 || engine_miss_make(c) != 0 ||
        engine_order_make(c) != 0)
        return engine_fail(err, ENGINE_ENOMEM, "%s: out of memory", c->name,
                           "");
    return engine_expect(c, spec, dirs, err);
}

void engine_case_free(engine_case *c) {
    case_data_free(&c->d);
    case_data_free(&c->miss);
    engine_ref_free(&c->ref);
    free(c->order);
    c->order = NULL;
    for (int k = 0; k < 3; k++) {
        free((void *)c->batch[k].ptr);
        free(c->batch[k].len);
        c->batch[k].ptr = NULL;
        c->batch[k].len = NULL;
    }
}

/* The keys of d, in order when order is not NULL. */
static int engine_keys_make(struct engine_keys *k, const case_data *d,
                            const uint32_t *order) {
    size_t n = d->count ? d->count : 1;
    k->ptr = malloc(n * sizeof *k->ptr);
    k->len = malloc(n * sizeof *k->len);
    if (!k->ptr || !k->len)
        return -1;
    for (size_t i = 0; i < d->count; i++) {
        size_t j = order ? order[i] : i;
        k->ptr[i] = d->bytes + d->offset[j];
        k->len[i] = d->len[j];
    }
    return 0;
}

engine_status engine_case_prepare_batch(engine_case *c, engine_error *err) {
    if (c->batch[0].ptr)
        return ENGINE_OK;
    if (engine_keys_make(&c->batch[ENGINE_KEYS_FILE], &c->d, NULL) != 0 ||
        engine_keys_make(&c->batch[ENGINE_KEYS_SHUFFLED], &c->d, c->order) !=
            0 ||
        engine_keys_make(&c->batch[ENGINE_KEYS_MISS], &c->miss, NULL) != 0)
        return engine_fail(err, ENGINE_ENOMEM, "%s: out of memory", c->name,
                           "");
    return ENGINE_OK;
}
