/* case.h: reading and writing case files (the *.case files under cases/)
 * and --lines files.
 *
 * A case file is text, one string per line, lossless for any bytes:
 *
 *   # internbench case v1          the version line (first line; required
 *   # name: python-identifiers     unless the file is empty)
 *   # key: value                   metadata; other '#' lines are comments
 *   first string                   after the header, every line is one
 *   second string                  string; an empty line the empty string
 *
 * Strings use the escapes \\ \n \r \t \0 \xHH; a string that begins with
 * '#' is written \x23... Everything else is raw bytes. Header keys the
 * reader interprets:
 *   encoding: utf-8 (the default) | bytes   whether strings (after
 *             unescaping) must be valid UTF-8: no overlongs, surrogates
 *             or code points above U+10FFFF
 *   newline:  lf (the default) | crlf       with crlf a CR right before
 *             each LF is part of the line terminator
 *   strings:  N                             checked at the end of the file
 *   unique:   N                             validated as a number only
 * The header itself is always UTF-8.
 *
 * Rejected, each with "FILE:LINE: what is wrong": an unknown, truncated
 * (\x with fewer than 2 hex digits) or trailing escape, invalid UTF-8
 * without "# encoding: bytes", a raw CR (anywhere, save the CR of CRLF
 * under "# newline: crlf"), a raw NUL byte, a UTF-8 byte-order mark, a
 * line longer than the limit, a missing or unknown version line, a raw
 * '#' starting a string line after the header, a "strings" count that
 * does not hold. An empty file and a header-only file are valid empty
 * cases; a missing final newline is accepted.
 *
 * --lines mode (case_options.lines) reads any plain text file: every line
 * is one string, no header, no escapes, any byte (NUL included) kept as
 * is, except that a CR right before LF is stripped (so a file saved with
 * Windows line endings gives the same strings) and a UTF-8 byte-order
 * mark at the very start of the file is skipped. The line limit holds.
 *
 * Memory: the reader streams; it holds one line (at most the limit) and
 * the header, never the whole file. Errors are returned, never raised:
 * nothing here aborts or exits, and an allocation failure is an error. */
#ifndef INTERN_CASE_H
#define INTERN_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "intern/intern.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default longest line (raw bytes, terminator excluded): 64 MiB. */
#define CASE_LINE_MAX_DEFAULT ((size_t)64 << 20)
/* The version line every non-empty case file starts with. */
#define CASE_VERSION_LINE "# internbench case v1"

typedef enum case_status {
    CASE_OK = 0,          /* a string was read, or the call succeeded */
    CASE_END = 1,         /* case_reader_next: no more strings */
    CASE_ERR_IO = -1,     /* open, read or write failed (errno in message) */
    CASE_ERR_NOMEM = -2,  /* an allocation failed */
    CASE_ERR_FORMAT = -3, /* malformed input: message is FILE:LINE: ... */
    CASE_ERR_USAGE = -4,  /* bad arguments (a bad header key, a string the
                             declared encoding cannot hold, ...) */
} case_status;

/* What went wrong, for the caller to print. line is the 1-based line of
 * the error (0 when it concerns no line, as for a failed open); message
 * is complete: "FILE:LINE: what is wrong" or "FILE: what is wrong". */
#define CASE_MESSAGE_MAX 1024
typedef struct case_error {
    case_status status;
    uint64_t line;
    char message[CASE_MESSAGE_MAX];
} case_error;

typedef enum case_encoding {
    CASE_ENCODING_UTF8 = 0, /* every string is valid UTF-8 */
    CASE_ENCODING_BYTES = 1 /* any bytes */
} case_encoding;

typedef struct case_options {
    bool lines;                    /* read as --lines: see above */
    size_t line_max;               /* 0: CASE_LINE_MAX_DEFAULT */
    const char *display_name;      /* the FILE in messages; NULL: the path */
    const intern_allocator *alloc; /* NULL: the C library's */
} case_options;

/* lines = false, the default limit, the path as name, the C allocator. */
void case_options_init(case_options *opt);

/* One header "key: value" pair, both NUL-terminated. */
typedef struct case_meta {
    const char *key;
    const char *value;
} case_meta;

/* ---- streaming reader ------------------------------------------------ */

typedef struct case_reader case_reader;

/* Opens path ("-" is standard input) and reads its header. NULL on
 * failure, with *err filled (err may be NULL). opt may be NULL. */
case_reader *case_reader_open(const char *path, const case_options *opt,
                              case_error *err);
/* The same on an open stream, read from its current position and not
 * closed by case_reader_close; name is the FILE in messages. */
case_reader *case_reader_open_stream(FILE *f, const char *name,
                                     const case_options *opt, case_error *err);
/* The next string: CASE_OK with *bytes and *len set (the bytes stay valid
 * until the next call and are followed by a '\0' not counted in len),
 * CASE_END after the last one, or an error (see case_reader_error). After
 * CASE_END or an error, further calls return the same status. */
case_status case_reader_next(case_reader *r, const char **bytes, size_t *len);
/* The error of the last failed call (status CASE_OK if none). */
const case_error *case_reader_error(const case_reader *r);
/* The header value for key, or NULL when absent. */
const char *case_reader_meta(const case_reader *r, const char *key);
/* Every header pair, in file order; *count receives the number. */
const case_meta *case_reader_meta_all(const case_reader *r, size_t *count);
case_encoding case_reader_encoding(const case_reader *r);
/* Strings returned so far; and the line number of the last line read. */
uint64_t case_reader_count(const case_reader *r);
uint64_t case_reader_line(const case_reader *r);
/* Closes the file (not standard input) and frees the reader; NULL is
 * allowed. */
void case_reader_close(case_reader *r);

/* The value of the hex digit c (either case), -1 for any other byte: the
 * digits of the case escapes, and of the CPython model's. */
int case_hex_digit(int c);

/* ---- whole case in memory -------------------------------------------- */

/* Every string of a case in one contiguous buffer, in file order.
 * Invariant: string i is bytes[offset[i] .. offset[i] + len[i]), followed
 * by a '\0' at bytes[offset[i] + len[i]]; strings are back to back in
 * order; bytes_used is the sum of (len[i] + 1). The header is copied in
 * meta (keys and values owned by the case_data). */
typedef struct case_data {
    char *bytes;
    uint64_t *offset;
    uint32_t *len;
    size_t count;
    size_t bytes_used;
    case_meta *meta;
    size_t meta_count;
    case_encoding encoding;
    /* private: capacities and the allocator */
    size_t bytes_cap, count_cap;
    const intern_allocator *alloc;
} case_data;

/* An empty case_data using alloc (NULL: the C library's). */
void case_data_init(case_data *d, const intern_allocator *alloc);
/* Appends one string (to build a case in memory, e.g. from a generator).
 * CASE_ERR_NOMEM, or CASE_ERR_USAGE for a string longer than
 * INTERN_KEY_MAX; d is unchanged on failure. */
case_status case_data_append(case_data *d, const void *bytes, size_t len);
/* Adds a header pair (copied). */
case_status case_data_meta_add(case_data *d, const char *key,
                               const char *value);
/* The header value for key, or NULL. */
const char *case_data_meta(const case_data *d, const char *key);
/* Frees everything d holds and leaves it empty; NULL is allowed. */
void case_data_free(case_data *d);

/* Reads a whole case (or --lines file) into *out, which the caller frees
 * with case_data_free (also after a failure). */
case_status case_load(const char *path, const case_options *opt, case_data *out,
                      case_error *err);

/* ---- writer ---------------------------------------------------------- */

/* The writer escapes exactly: backslash, LF, CR, NUL and a leading '#'.
 * Under encoding utf-8 nothing else (a string that is not valid UTF-8 is
 * refused with CASE_ERR_USAGE); under encoding bytes also every byte that
 * is not part of a valid UTF-8 sequence, as \xHH, so every file the writer
 * produces is valid UTF-8 text. Tabs and other bytes are written raw. */
typedef struct case_writer case_writer;

/* Writes to out (not closed by the writer); name is the FILE in messages.
 * The version line is written at once, then the header pairs given with
 * case_writer_meta in their order, then (under encoding bytes) an
 * "encoding: bytes" line when the header ends, at the first string or at
 * close; then the strings. NULL on allocation failure, err filled. */
case_writer *case_writer_open(FILE *out, const char *name,
                              case_encoding encoding, case_error *err);
/* key: [a-z][a-z0-9_-]*; value: valid UTF-8 without LF, CR or NUL.
 * Only before the first string; CASE_ERR_USAGE otherwise. An "encoding"
 * pair must name the writer's own encoding (it is then written here, not
 * again at the end of the header). */
case_status case_writer_meta(case_writer *w, const char *key,
                             const char *value);
case_status case_writer_put(case_writer *w, const void *bytes, size_t len);
/* The error of the last failed call. */
const case_error *case_writer_error(const case_writer *w);
/* Flushes, frees the writer; returns the first error met (I/O included). */
case_status case_writer_close(case_writer *w, case_error *err);

/* Escapes one string as the writer would (without the newline) into buf
 * of cap bytes; returns the length it needs (write happens only when it
 * fits, NUL-terminated). */
size_t case_escape(const void *bytes, size_t len, case_encoding encoding,
                   char *buf, size_t cap);

/* ---- helpers --------------------------------------------------------- */

/* Whether bytes are valid UTF-8 (strict: no overlongs, surrogates, code
 * points above U+10FFFF or truncated sequences). On false, *bad_at (if
 * not NULL) receives the offset of the first bad byte. */
bool case_utf8_valid(const void *bytes, size_t len, size_t *bad_at);

/* "ok", "end", "I/O error", "out of memory", "bad input", "bad usage" */
const char *case_status_text(case_status status);

#ifdef __cplusplus
}
#endif

#endif
