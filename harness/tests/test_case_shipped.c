/* test_case_shipped.c: every shipped case parses, has the header fields
 * cases/README.md promises, and its "strings" and "unique" hold.
 * argv[1]: the cases directory. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internbench/case.h"

static uint64_t count_unique(const case_data *d) {
    const intern_table_info *info = intern_registry_find("chained");
    if (!info) {
        size_t n;
        info = intern_registry(&n);
    }
    intern_config cfg;
    intern_config_init(&cfg);
    cfg.seed_fixed = true;
    intern_table *t = info->ops->create(&cfg);
    REQUIRE(t);
    uint64_t u = 0;
    for (size_t i = 0; i < d->count; i++) {
        const intern_str *s;
        intern_status st =
            info->ops->intern(t, d->bytes + d->offset[i], d->len[i], &s);
        REQUIRE(st == INTERN_NEW || st == INTERN_FOUND);
        u += st == INTERN_NEW;
    }
    info->ops->destroy(t);
    return u;
}

int main(int argc, char **argv) {
    REQUIRE(argc == 2);
    DIR *dh = opendir(argv[1]);
    REQUIRE(dh);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(dh)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".case") != 0)
            continue;
        files++;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        case_error err;
        case_data d;
        case_status st = case_load(path, NULL, &d, &err);
        CHECKF(st == CASE_OK, "%s", err.message);
        static const char *const keys[] = {"name",    "kind",    "source",
                                           "license", "command", "strings",
                                           "unique"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            CHECKF(case_data_meta(&d, keys[k]) != NULL, "%s: no '%s'",
                   e->d_name, keys[k]);
        const char *kind = case_data_meta(&d, "kind");
        CHECKF(kind && (strcmp(kind, "identifier") == 0 ||
                        strcmp(kind, "non-identifier") == 0 ||
                        strcmp(kind, "mixed") == 0),
               "%s: kind '%s'", e->d_name, kind ? kind : "");
        const char *hs = case_data_meta(&d, "strings");
        const char *hu = case_data_meta(&d, "unique");
        CHECKF(hs && strtoull(hs, NULL, 10) == d.count, "%s: strings",
               e->d_name);
        uint64_t u = count_unique(&d);
        CHECKF(hu && strtoull(hu, NULL, 10) == u,
               "%s: header unique %s, counted %llu", e->d_name,
               hu ? hu : "(none)", (unsigned long long)u);
        CHECKF(d.count > 0, "%s: empty", e->d_name);
        /* no machine paths of the build in headers */
        for (size_t k = 0; k < d.meta_count; k++)
            CHECKF(!strstr(d.meta[k].value, "/tmp/") &&
                       !strstr(d.meta[k].value, "/work/") &&
                       !strstr(d.meta[k].value, "/home/"),
                   "%s: machine path in '%s'", e->d_name, d.meta[k].key);
        printf("%-28s %8zu strings %8llu unique\n", e->d_name, d.count,
               (unsigned long long)u);
        case_data_free(&d);
    }
    closedir(dh);
    CHECKF(files >= 10, "only %zu shipped cases", files);
    return check_exit();
}
