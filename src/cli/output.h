/*
 * output.h - where a report goes: standard output, or a file replaced
 * atomically (written to a temporary file beside it, renamed on success), so
 * no reader ever sees half a report.
 */
#ifndef IPR_CLI_OUTPUT_H
#define IPR_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct output {
    FILE *stream;     /* stdout or the temporary file */
    const char *path; /* final path; NULL for stdout */
    char *tmp_path;   /* owned; NULL when path is not a regular file */
    bool failed;      /* a write failed */
    bool broken_pipe; /* stdout's reader went away: end quietly */
    int error;        /* errno of the failure */
};

/* Opens the output; false with errno set when the temporary file cannot be
 * created. */
bool output_open(struct output *out, const char *path);
/* ipr_write_fn for reporters; user is a struct output *. */
int output_write(const char *bytes, size_t len, void *user);
/* Flushes and, for a file, renames it into place (commit) or removes it.
 * Returns false when anything failed (errno in out->error). */
bool output_close(struct output *out, bool commit);

#endif
