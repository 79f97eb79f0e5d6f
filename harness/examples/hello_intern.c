/* hello_intern.c: a program that interns with the installed table
 * library: equal strings come back as the same handle, so they compare
 * by pointer. Build it against an installed copy:
 *
 *   cc hello_intern.c $(pkg-config --cflags --libs intern) -o hello_intern
 *
 * or with CMake: find_package(intern) and target_link_libraries(...
 * intern::intern_shared) (see CMakeLists.txt beside this file). */
#include <stdio.h>
#include <string.h>

#include "intern/intern.h"

int main(void) {
    const intern_table_info *open = intern_registry_find("open");
    if (!open) {
        fprintf(stderr, "hello_intern: no table 'open'\n");
        return 1;
    }
    intern_table *t = open->ops->create(NULL);
    if (!t) {
        fprintf(stderr, "hello_intern: out of memory\n");
        return 1;
    }
    /* two copies of one key, read as a parser would: different buffers */
    char a[] = "user_id", b[] = "user_id";
    const intern_str *ha, *hb, *hc;
    int rc = 1;
    if (open->ops->intern(t, a, strlen(a), &ha) == INTERN_NEW &&
        open->ops->intern(t, b, strlen(b), &hb) == INTERN_FOUND &&
        open->ops->intern(t, "email", 5, &hc) == INTERN_NEW && ha == hb &&
        ha != hc && strcmp(intern_str_bytes(ha), "user_id") == 0) {
        intern_stats st;
        open->ops->stats(t, &st);
        printf("interned \"%s\" twice: one handle (%zu bytes); %llu strings, "
               "%llu bytes held\n",
               intern_str_bytes(ha), intern_str_len(ha),
               (unsigned long long)st.strings,
               (unsigned long long)st.total_bytes);
        rc = 0;
    } else {
        fprintf(stderr, "hello_intern: the table did not intern as it "
                        "should\n");
    }
    open->ops->destroy(t);
    return rc;
}
