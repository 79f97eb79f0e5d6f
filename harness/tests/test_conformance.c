/* test_conformance.c: the conformance suite (internbench/conformance.h)
 * on every registered table, one aspect a run so that CTest runs the
 * aspects in parallel. Usage: test_conformance ASPECT [N], where ASPECT
 * is identity, growth, stats, faults, bigkey or batch, and N the keys of
 * the identity or batch aspect. Every failed check is printed on stderr;
 * the exit is 1 when one failed. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intern/intern.h"
#include "internbench/conformance.h"

static int conf_usage(void) {
    fprintf(stderr, "usage: test_conformance identity|growth|stats|faults|"
                    "bigkey|batch [KEYS]\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3)
        return conf_usage();
    int aspect = conformance_aspect_from_name(argv[1]);
    if (aspect < 0) {
        fprintf(stderr, "test_conformance: unknown aspect '%s'\n", argv[1]);
        return conf_usage();
    }
    conformance_options o = {
        .log = stderr, .notes = stdout, .cache = conformance_cache_new()};
    REQUIRE(o.cache);
    if (argc == 3) {
        char *end;
        unsigned long n = strtoul(argv[2], &end, 10);
        if (*end || n == 0)
            return conf_usage();
        o.identity_keys = o.batch_keys = n;
    }
    size_t count;
    const intern_table_info *all = intern_registry(&count);
    REQUIRE(count >= 2);
    for (size_t i = 0; i < count; i++)
        REQUIRE(intern_registry_find(all[i].ops->name) == &all[i]);
    for (size_t i = 0; i < count; i++) {
        conformance_result r;
        int rc = conformance_run(all[i].ops, aspect, &o, &r);
        check_passed_count += r.passed;
        check_failed_count += r.failed;
        if (rc < 0) {
            fprintf(stderr, "%s\n", r.first);
            check_failed_count++;
        }
        printf("%s: %s: %" PRIu64 " passed, %" PRIu64 " failed\n", argv[1],
               all[i].ops->name, r.passed, r.failed);
        fflush(stdout);
    }
    conformance_cache_free(o.cache);
    return check_exit();
}
