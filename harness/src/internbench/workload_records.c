/* workload_records.c: identity (b): R records sharing K keys, looked up
 * with private key copies or with interned handles (workloads.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern/alloc.h"
#include "internbench/workloads.h"

/* One field of a record: the key (private bytes, or a handle's bytes),
 * its hash and length, and the value. */
typedef struct records_field {
    const char *key;
    uint64_t hash;
    size_t len;
    uint64_t value;
} records_field;

/* Everything one measurement holds. Invariant: field f = r * keys + k is
 * key k of record r, with value r * 31 + k, in priv (its own copy,
 * copies[f]) and in intd (the handle's bytes); queries[k] is key k's
 * name and qh[k] its handle; want is the sum of every value. */
typedef struct records_state {
    const intern_ops *ops;
    intern_table *t;
    intern_counting_alloc ca;
    uint64_t records, keys, nf;
    records_field *priv, *intd;
    char **copies, **queries;
    const intern_str **qh;
    uint64_t want, sum;
} records_state;

static void records_key_name(uint64_t k, char *buf, size_t cap) {
    static const char *const names[] = {"id", "name", "email"};
    if (k < 3)
        snprintf(buf, cap, "%s", names[k]);
    else
        snprintf(buf, cap, "key%llu", (unsigned long long)k);
}

static char *records_dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* The records, as a parser would make them: each key read afresh. */
static int records_fill(records_state *s, workload_records_result *res) {
    char name[32];
    for (uint64_t r = 0; r < s->records; r++)
        for (uint64_t k = 0; k < s->keys; k++) {
            uint64_t f = r * s->keys + k;
            records_key_name(k, name, sizeof name);
            size_t len = strlen(name);
            if (!(s->copies[f] = records_dup(name)))
                return -1;
            res->private_bytes += len + 1;
            uint64_t h = intern_hash_bytes(INTERN_HASH_XXH3, 0, name, len);
            s->priv[f] = (records_field){s->copies[f], h, len, r * 31 + k};
            const intern_str *is;
            if (s->ops->intern(s->t, name, len, &is) < 0)
                return -1;
            s->intd[f] =
                (records_field){intern_str_bytes(is), h, len, r * 31 + k};
            s->want += r * 31 + k;
        }
    for (uint64_t k = 0; k < s->keys; k++) {
        records_key_name(k, name, sizeof name);
        if (!(s->queries[k] = records_dup(name)))
            return -1;
        s->qh[k] = s->ops->find(s->t, name, strlen(name));
        if (!s->qh[k])
            return -1;
    }
    return 0;
}

/* Every key of every record, asked by a query string: hash it, then
 * compare hash, length and bytes. */
static double records_private(void *ctx, int rep) {
    records_state *s = ctx;
    uint64_t got = 0;
    double t0 = measure_now_ns();
    for (uint64_t k = 0; k < s->keys; k++) {
        const char *q = s->queries[k];
        size_t qlen = strlen(q);
        for (uint64_t r = 0; r < s->records; r++) {
            uint64_t h = intern_hash_bytes(INTERN_HASH_XXH3, 0, q, qlen);
            const records_field *fs = s->priv + r * s->keys;
            for (uint64_t j = 0; j < s->keys; j++)
                if (fs[j].hash == h && fs[j].len == qlen &&
                    memcmp(fs[j].key, q, qlen) == 0) {
                    got += fs[j].value;
                    break;
                }
        }
    }
    double ns = measure_now_ns() - t0;
    (void)rep;
    s->sum += got;
    return got == s->want ? ns : -1;
}

/* The same lookups by handle: one pointer compare per field. */
static double records_interned(void *ctx, int rep) {
    records_state *s = ctx;
    uint64_t got = 0;
    double t0 = measure_now_ns();
    for (uint64_t k = 0; k < s->keys; k++) {
        const char *q = intern_str_bytes(s->qh[k]);
        for (uint64_t r = 0; r < s->records; r++) {
            const records_field *fs = s->intd + r * s->keys;
            for (uint64_t j = 0; j < s->keys; j++)
                if (fs[j].key == q) {
                    got += fs[j].value;
                    break;
                }
        }
    }
    double ns = measure_now_ns() - t0;
    (void)rep;
    s->sum += got;
    return got == s->want ? ns : -1;
}

static void records_free(records_state *s) {
    if (s->t)
        s->ops->destroy(s->t);
    for (uint64_t f = 0; s->copies && f < s->nf; f++)
        free(s->copies[f]);
    for (uint64_t k = 0; s->queries && k < s->keys; k++)
        free(s->queries[k]);
    free(s->priv);
    free(s->intd);
    free(s->copies);
    free(s->queries);
    free((void *)s->qh);
}

static int records_measure(records_state *s, int reps,
                           workload_records_result *res) {
    if (records_fill(s, res) != 0)
        return -1;
    intern_stats st;
    s->ops->stats(s->t, &st);
    res->private_strings = s->nf;
    res->interned_strings = st.strings;
    res->interned_bytes = st.total_bytes;
    if (engine_repeat(records_private, s, reps, s->nf, &res->private_ns) != 0 ||
        engine_repeat(records_interned, s, reps, s->nf, &res->interned_ns) != 0)
        return -1;
    res->checksum = s->sum;
    return 0;
}

int workload_records(const intern_ops *ops, uint64_t records, uint64_t keys,
                     int reps, workload_records_result *res) {
    memset(res, 0, sizeof *res);
    if (records == 0 || keys == 0 || records > UINT64_MAX / keys)
        return -1;
    records_state s = {.ops = ops, .records = records, .keys = keys};
    s.nf = records * keys;
    s.priv = calloc(s.nf, sizeof *s.priv);
    s.intd = calloc(s.nf, sizeof *s.intd);
    s.copies = calloc(s.nf, sizeof *s.copies);
    s.queries = calloc(keys, sizeof *s.queries);
    s.qh = calloc(keys, sizeof *s.qh);
    intern_counting_alloc_init(&s.ca);
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.alloc = &s.ca.base;
    int rc = -1;
    if (s.priv && s.intd && s.copies && s.queries && s.qh &&
        (s.t = ops->create(&cfg)) != NULL)
        rc = records_measure(&s, reps, res);
    res->records = records;
    res->keys = keys;
    records_free(&s);
    return rc;
}
