/*
 * progress.h - the progress line on standard error during a scan: records,
 * records per second and, once part of the input has been read, the share
 * done and the time left.
 *
 * It is drawn only for a person watching: standard error is a terminal,
 * the CI environment variable is not set, --quiet is off, and the report
 * itself is not being printed on the terminal (the line would tear it).
 * It is redrawn at most ten times a second and erased at the end, so it
 * never stays in a log.
 */
#ifndef IPR_CLI_PROGRESS_H
#define IPR_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The decision, as a pure function of the environment: ci_env is the
 * value of $CI (NULL when unset; any value, even empty, means CI). */
bool progress_wanted(bool stderr_is_tty, const char *ci_env, bool quiet, bool report_on_terminal);

/* The line for the given counters, without the carriage return, cut to
 * cap - 1 bytes.  total_bytes 0: the input size is unknown; done_bytes 0:
 * nothing measurable is finished yet.  Either way only records and the
 * rate are shown. */
void progress_format(char *out, size_t cap, uint64_t records, double elapsed_s, uint64_t done_bytes,
                     uint64_t total_bytes);

struct progress {
    FILE *out;            /* NULL: not drawing */
    uint64_t records;     /* records seen so far */
    uint64_t done_bytes;  /* bytes of the inputs read to the end */
    uint64_t total_bytes; /* sum of the input sizes; 0 when one is not a regular file */
    double start_s;       /* monotonic clock at the start */
    double drawn_s;       /* when the line was last drawn */
    bool on_screen;       /* a line is showing and must be erased */
};

/* out NULL disables every later call. */
void progress_start(struct progress *p, FILE *out, uint64_t total_bytes);
/* One more record; redraws when a tenth of a second has passed. */
void progress_record(struct progress *p);
/* An input was read to its end. */
void progress_input_done(struct progress *p, uint64_t bytes);
/* Erases the line so that a message can be printed; the next redraw
 * brings it back. */
void progress_clear(struct progress *p);
/* Erases the line for good. */
void progress_end(struct progress *p);

#endif
