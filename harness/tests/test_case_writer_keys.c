/* test_case_writer_keys.c: the case writer writes only what the reader
 * reads back: a header key given twice is refused (the reader rejects a
 * duplicate key), and nothing is written after it. */
#include <string.h>

#include "check.h"
#include "internbench/case.h"

int main(void) {
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    REQUIRE(f);
    case_error err;
    case_writer *w = case_writer_open(f, "mem", CASE_ENCODING_UTF8, &err);
    REQUIRE(w);
    CHECK(case_writer_meta(w, "name", "twice") == CASE_OK);
    CHECK(case_writer_meta(w, "unique", "1") == CASE_OK);
    CHECK(case_writer_meta(w, "unique", "2") == CASE_ERR_USAGE);
    CHECK(strstr(case_writer_error(w)->message, "'unique'") != NULL);
    CHECK(case_writer_put(w, "x", 1) == CASE_ERR_USAGE);
    CHECK(case_writer_close(w, &err) == CASE_ERR_USAGE);
    fclose(f);
    CHECKF(strstr(text, "# unique: 2") == NULL, "%s", text);

    free(text);
    text = NULL;

    /* encoding, too, is written once */
    f = open_memstream(&text, &size);
    REQUIRE(f);
    w = case_writer_open(f, "mem", CASE_ENCODING_BYTES, &err);
    REQUIRE(w);
    CHECK(case_writer_meta(w, "name", "once") == CASE_OK);
    CHECK(case_writer_meta(w, "encoding", "bytes") == CASE_OK);
    CHECK(case_writer_meta(w, "encoding", "bytes") == CASE_ERR_USAGE);
    CHECK(case_writer_close(w, &err) == CASE_ERR_USAGE);
    fclose(f);
    free(text);
    return check_exit();
}
