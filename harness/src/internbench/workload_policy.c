/* workload_policy.c: what an interning policy costs in objects and bytes:
 * no interning, CPython's implicit rule, intern-all (workloads.h). */
#include "internbench/workloads.h"

void workload_policy_none(const engine_ref *ref, workload_policy_result *r) {
    r->objects = r->bytes = 0;
    for (size_t i = 0; i < ref->unique; i++) {
        r->objects += ref->occurrences[i];
        r->bytes += ref->occurrences[i] * ref->s[i].len;
    }
}

void workload_policy_cpython(const engine_ref *ref, const cpython_version *v,
                             workload_policy_result *r) {
    r->objects = r->bytes = 0;
    for (size_t i = 0; i < ref->unique; i++) {
        const vector_str *s = &ref->s[i];
        uint64_t copies =
            cpython_model_literal_identical_separate(v, s->bytes, s->len)
                ? 1
                : ref->occurrences[i];
        r->objects += copies;
        r->bytes += copies * s->len;
    }
}

void workload_policy_all(const engine_ref *ref, workload_policy_result *r) {
    r->objects = ref->unique;
    r->bytes = ref->unique_bytes;
}
