/* batch.c: the batch entry points (intern.h). A table with a batch path
 * gets the call; any other table, the loop of single calls that defines
 * the semantics, so every caller (the engine, the benchmarks, users,
 * plugins) runs every table and the fallback lives here only. */
#include "intern/intern.h"
#include "tables/hashed.h"

size_t intern_many(const intern_ops *ops, intern_table *t,
                   const void *const *keys, const size_t *lens, size_t n,
                   const intern_str **out, intern_status *status) {
    if (ops->intern_many)
        return ops->intern_many(t, keys, lens, n, out, status);
    size_t i;
    for (i = 0; i < n; i++) {
        intern_status st = ops->intern(t, keys[i], lens[i], &out[i]);
        if (status)
            status[i] = st;
        if (st < 0)
            break;
    }
    return i;
}

size_t intern_find_many(const intern_ops *ops, const intern_table *t,
                        const void *const *keys, const size_t *lens, size_t n,
                        const intern_str **out) {
    if (ops->find_many)
        return ops->find_many(t, keys, lens, n, out);
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = ops->find(t, keys[i], lens[i]);
        found += out[i] != NULL;
    }
    return found;
}

intern_batch_tuning intern_batch_tuning_get(void) {
    return (intern_batch_tuning){intern_batch_window, intern_batch_min_index};
}

void intern_batch_tuning_set(intern_batch_tuning tuning) {
    intern_batch_window = tuning.window;
    intern_batch_min_index = tuning.min_index;
}
