/* test_engine_keys.c: the engine's shuffled hit pass reads the key list
 * its batch pass reads (c->batch[ENGINE_KEYS_SHUFFLED]), so that the two
 * differ only in how the table is called (had it gone through c->order
 * and the case's offsets, it would pay two random reads a key that the
 * batch pass does not, and run's shuffled/batch ratio would measure the
 * harness); and it refuses a case whose lists were not made. */
#include <string.h>

#include "check.h"
#include "intern/intern.h"
#include "internbench/engine.h"

static engine_status load(engine_case *c, bool lists) {
    engine_case_spec spec = {.value = "gen-ident-1e3"};
    engine_dirs dirs = {0};
    engine_error err;
    engine_status st = engine_case_load(&spec, &dirs, c, &err);
    if (st == ENGINE_OK && lists)
        st = engine_case_prepare_batch(c, &err);
    if (st != ENGINE_OK)
        fprintf(stderr, "load: %s\n", err.message);
    return st;
}

static engine_status shuffled(const engine_case *c, engine_table_result *r) {
    engine_options o = {.reps = 1, .seed_fixed = true, .seed = 7};
    o.pass[ENGINE_HIT_SHUFFLED] = true;
    const intern_table_info *open = intern_registry_find("open");
    REQUIRE(open);
    return engine_measure(open->ops, c, &o, r);
}

int main(void) {
    static engine_table_result r;
    engine_case c;
    REQUIRE(load(&c, true) == ENGINE_OK);
    REQUIRE(c.miss.count == c.d.count);

    /* the pass runs, and returns the build's handles */
    CHECK(shuffled(&c, &r) == ENGINE_OK);
    CHECK(r.have[ENGINE_HIT_SHUFFLED]);
    CHECK(r.checksum[ENGINE_HIT_SHUFFLED] == r.checksum[ENGINE_BUILD]);

    /* it reads the list: pointed at the miss keys, its hits are not found
     * and the pass fails its check */
    struct engine_keys keep = c.batch[ENGINE_KEYS_SHUFFLED];
    c.batch[ENGINE_KEYS_SHUFFLED] = c.batch[ENGINE_KEYS_MISS];
    CHECKF(shuffled(&c, &r) == ENGINE_ECHECK,
           "the shuffled pass did not read the shuffled key list");
    c.batch[ENGINE_KEYS_SHUFFLED] = keep;
    engine_case_free(&c);

    /* without the lists: a clear refusal, not a crash */
    REQUIRE(load(&c, false) == ENGINE_OK);
    CHECK(shuffled(&c, &r) == ENGINE_ECHECK);
    CHECKF(strstr(r.error.message, "engine_case_prepare_batch") != NULL,
           "message: %s", r.error.message);
    engine_case_free(&c);
    return check_exit();
}
