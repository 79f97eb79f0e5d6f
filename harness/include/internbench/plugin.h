/* plugin.h: tables brought at run time by a shared object (intern.h's
 * intern_plugin), beside the registered ones. `--load PATH.so` on run,
 * verify, metrics and the benchmark binary loads one; every command then
 * finds tables here, so a loaded table runs wherever ours do.
 *
 * A plugin stays loaded until the process ends (its tables' ops and code
 * must outlive every table made from them). Nothing here prints or
 * exits. */
#ifndef INTERNBENCH_PLUGIN_H
#define INTERNBENCH_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "intern/intern.h"
#include "internbench/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the plugin at path and adds its tables (each in the default set).
 * ENGINE_OK, or ENGINE_EINPUT with err naming path and why: it cannot be
 * opened, it exports no internbench_plugin, it was built against another
 * interface version (both versions named), it lists no table, a table has
 * no name or a required member, or a table's name is taken.
 * ENGINE_ENOMEM when the list cannot grow. */
engine_status plugin_load(const char *path, engine_error *err);

/* Every table: the registry's, then the loaded plugins', in load order.
 * Valid until the next plugin_load. */
const intern_table_info *plugin_tables(size_t *count);
/* The table of that name, or NULL. */
const intern_table_info *plugin_table_find(const char *name);
/* The plugin file a table came from, or NULL for one of ours. */
const char *plugin_table_origin(const intern_table_info *info);

#ifdef __cplusplus
}
#endif

#endif
