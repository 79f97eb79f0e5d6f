/* test_vector_file.c: a .vec that vector_write writes, vector_read reads
 * back field for field, whatever the length of the case's name (a
 * --lines path can be long); and vector_read's errors name the line. */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "internbench/vector.h"

static void fill(intern_vector *v) {
    memset(v, 0, sizeof *v);
    v->strings = 7;
    v->unique = 5;
    v->unique_bytes = 23;
    v->digest = 0x0123456789ABCDEFULL;
    for (int c = 0; c < CLASSIFY_COUNT; c++)
        v->cls[c] = (uint64_t)c % 5;
}

/* Writes a vector for a case named name and reads it back. */
static void round_trip(const char *path, const char *name) {
    intern_vector want, got;
    char err[1024] = "";
    fill(&want);
    REQUIRE(vector_write(path, name, &want) == 0);
    CHECKF(vector_read(path, &got, err, sizeof err) == 0, "%s", err);
    CHECK(memcmp(&want, &got, sizeof want) == 0);
}

/* A file of the given text gives an error naming want. */
static void bad_file(const char *path, const char *text, const char *want) {
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fputs(text, f);
    fclose(f);
    intern_vector v;
    char err[1024] = "";
    CHECK(vector_read(path, &v, err, sizeof err) != 0);
    CHECKF(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

int main(void) {
    char path[] = "/tmp/test_vector_file_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    round_trip(path, "json-keys");
    char name[2000];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    round_trip(path, name); /* lines longer than a fixed read buffer */
    bad_file(path, "# internbench vector v1\nstrings 5\n", ":2: expected");
    bad_file(path, "# internbench vector v1\nstrings: 5\nstrings: 5\n",
             ":3: repeated key 'strings'");
    bad_file(path, "# not a vector\n", ":1: not a vector file");
    bad_file(path, VECTOR_FORMAT_LINE "\nstrings: 1\n", "missing unique");
    unlink(path);
    return check_exit();
}
