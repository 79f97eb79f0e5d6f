/* plugin.c: loading tables at run time (plugin.h). */
#include "internbench/plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every table, ours first. Invariant: tables[0..count) are distinct by
 * name; the first builtin are the registry's; origin[i] is the file
 * tables[i] came from (NULL for ours), a string the list owns. */
static struct {
    intern_table_info *tables;
    char **origin;
    size_t count, builtin;
    bool ready;
} plugin_list;

static engine_status plugin_fail(engine_error *err, engine_status st,
                                 const char *path, const char *why) {
    err->status = st;
    snprintf(err->message, sizeof err->message, "%.512s: %.480s", path, why);
    return st;
}

/* The registry's tables, the first time the list is needed. */
static bool plugin_list_ready(void) {
    if (plugin_list.ready)
        return true;
    size_t n;
    const intern_table_info *reg = intern_registry(&n);
    plugin_list.tables = malloc(n * sizeof *plugin_list.tables);
    plugin_list.origin = calloc(n, sizeof *plugin_list.origin);
    if (!plugin_list.tables || !plugin_list.origin) {
        free(plugin_list.tables);
        free(plugin_list.origin);
        plugin_list.tables = NULL;
        plugin_list.origin = NULL;
        return false;
    }
    memcpy(plugin_list.tables, reg, n * sizeof *reg);
    plugin_list.count = plugin_list.builtin = n;
    plugin_list.ready = true;
    return true;
}

const intern_table_info *plugin_tables(size_t *count) {
    if (!plugin_list_ready())
        return intern_registry(count);
    *count = plugin_list.count;
    return plugin_list.tables;
}

const intern_table_info *plugin_table_find(const char *name) {
    size_t n;
    const intern_table_info *all = plugin_tables(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].ops->name, name) == 0)
            return &all[i];
    return NULL;
}

const char *plugin_table_origin(const intern_table_info *info) {
    size_t i = (size_t)(info - plugin_list.tables);
    return plugin_list.ready && i < plugin_list.count ? plugin_list.origin[i]
                                                      : NULL;
}

/* What is wrong with a plugin's list of tables, or NULL. */
static const char *plugin_check(const intern_plugin *p, char *buf, size_t cap) {
    if (p->abi != INTERN_PLUGIN_ABI) {
        snprintf(buf, cap,
                 "built against interface version %u; this internbench has "
                 "version %d (rebuild the plugin with this intern.h)",
                 (unsigned)p->abi, INTERN_PLUGIN_ABI);
        return buf;
    }
    if (p->size < sizeof *p || !p->tables || p->count == 0)
        return "its intern_plugin lists no table";
    for (size_t i = 0; i < p->count; i++) {
        const intern_ops *o = p->tables[i];
        if (!o || !o->name || !o->name[0] || !o->create || !o->intern ||
            !o->find || !o->stats || !o->destroy) {
            snprintf(buf, cap,
                     "table %zu has no name or lacks create, intern, find, "
                     "stats or destroy",
                     i + 1);
            return buf;
        }
        if (plugin_table_find(o->name)) {
            snprintf(buf, cap, "a table named '%s' is already there", o->name);
            return buf;
        }
    }
    return NULL;
}

/* Appends p's tables, from path. */
static engine_status plugin_add(const intern_plugin *p, const char *path,
                                engine_error *err) {
    size_t n = plugin_list.count + p->count;
    intern_table_info *t = realloc(plugin_list.tables, n * sizeof *t);
    if (t)
        plugin_list.tables = t;
    char **o = realloc(plugin_list.origin, n * sizeof *o);
    if (o)
        plugin_list.origin = o;
    char *copy = t && o ? strdup(path) : NULL;
    if (!copy)
        return plugin_fail(err, ENGINE_ENOMEM, path, "out of memory");
    for (size_t i = 0; i < p->count; i++) {
        t[plugin_list.count] = (intern_table_info){p->tables[i], true};
        o[plugin_list.count++] = copy; /* shared by the plugin's tables */
    }
    return ENGINE_OK;
}

engine_status plugin_load(const char *path, engine_error *err) {
    if (!plugin_list_ready())
        return plugin_fail(err, ENGINE_ENOMEM, path, "out of memory");
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so)
        return plugin_fail(err, ENGINE_EINPUT, path, dlerror());
    intern_plugin_fn entry;
    /* dlsym gives an object pointer; C11 has no function-pointer cast for
     * it, so the bytes are copied (POSIX guarantees they are the same) */
    void *sym = dlsym(so, INTERN_PLUGIN_SYMBOL);
    memcpy(&entry, &sym, sizeof entry);
    if (!sym) {
        dlclose(so);
        return plugin_fail(err, ENGINE_EINPUT, path,
                           "exports no " INTERN_PLUGIN_SYMBOL
                           "() (see intern.h, plugins)");
    }
    const intern_plugin *p = entry();
    char buf[256];
    const char *why = p ? plugin_check(p, buf, sizeof buf)
                        : INTERN_PLUGIN_SYMBOL "() returned NULL";
    if (why) {
        dlclose(so);
        return plugin_fail(err, ENGINE_EINPUT, path, why);
    }
    return plugin_add(p, path, err); /* so stays open: see plugin.h */
}
