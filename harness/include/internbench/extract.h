/* extract.h: a case from real files and a PCRE2 pattern (internbench
 * extract): the files (named, found under directories, listed in files),
 * in bytewise order of their paths; every match of the pattern, or of
 * one capture group, in file order; and the case file, whose header
 * records the command that made it so that running it again gives the
 * same bytes. Errors are returned with a message, never raised. */
#ifndef INTERN_EXTRACT_H
#define INTERN_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "internbench/case.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growing list of owned strings. Invariant: item[0..count) are
 * malloc'd NUL-terminated copies; cap is item's capacity. */
typedef struct extract_list {
    char **item;
    size_t count, cap;
} extract_list;

/* Appends a copy of s; false out of memory. */
bool extract_list_add(extract_list *l, const char *s);
void extract_list_free(extract_list *l);

/* Where the files come from, and which are kept: a file found under a
 * directory or listed in a file is kept when its base name matches one
 * of globs (any, when there are none) and its path none of excludes;
 * only regular files count there (symbolic links are not followed).
 * Files named directly are taken as they are. */
typedef struct extract_sources {
    extract_list files;    /* named on the command line */
    extract_list dirs;     /* walked, every regular file below */
    extract_list lists;    /* files of paths, one a line */
    bool stdin_list;       /* a list of paths on standard input too */
    extract_list globs;    /* fnmatch patterns on the base name */
    extract_list excludes; /* fnmatch patterns on the whole path */
} extract_sources;

void extract_sources_free(extract_sources *src);

/* Every file of src, in bytewise order of their paths, into files (to
 * be freed by the caller, also after a failure). Returns 0, or -1 with
 * the reason in msg. */
int extract_collect(const extract_sources *src, extract_list *files, char *msg,
                    size_t cap);

/* What is taken from the files. */
typedef struct extract_spec {
    const char *pattern; /* PCRE2; UTF, UCP and MATCH_INVALID_UTF unless
                            bytes */
    uint32_t group;      /* the capture group taken; 0 the whole match; a
                            match whose group is unset gives no string */
    bool bytes;          /* no UTF mode: the case has encoding bytes */
    bool squash_space;   /* each run of spaces, tabs, CR and LF becomes
                            one space */
    bool unique;         /* only the first occurrence of each string */
    uint64_t max;        /* stop after max strings; 0: no limit */
} extract_spec;

/* Appends every string spec takes from files, in order, to out.
 * Returns 0, or -1 with the reason in msg (a bad pattern, an unreadable
 * file, a failed match, out of memory). */
int extract_run(const extract_spec *spec, const extract_list *files,
                case_data *out, char *msg, size_t cap);

/* The header of an extracted case, in the order written: the fields
 * given (NULL: left out), then metas ("KEY=VALUE" each), command, and
 * the counts. */
typedef struct extract_header {
    const char *name, *kind, *source, *license;
    const extract_list *metas;
    const char *command;
} extract_header;

/* Writes the case: header h, strings and unique counts, the strings.
 * The encoding is bytes when spec->bytes. out_name names out in
 * messages. CASE_OK, or an error with err filled. */
case_status extract_write(const extract_spec *spec, const extract_header *h,
                          const case_data *strings, uint64_t unique, FILE *out,
                          const char *out_name, case_error *err);

/* args quoted for a POSIX shell, each preceded by a space, after
 * first: the command a case's header records. malloc'd; NULL out of
 * memory. */
char *extract_command_line(const char *first, int argc, char *const *argv);

#ifdef __cplusplus
}
#endif

#endif
