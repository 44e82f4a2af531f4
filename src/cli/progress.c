/*
 * progress.c - the progress line (see progress.h).
 *
 * The share done is counted in bytes of inputs read to the end, because a
 * record does not say where it sits in its file: with several inputs the
 * percentage and the time left move file by file, with one input only the
 * record count and the rate do.  The line is drawn with a carriage return
 * and erased with CR + EL, the one escape sequence every terminal knows.
 */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#define REDRAW_S   0.1 /* at most ten redraws a second */
#define ERASE_LINE "\r\x1b[K"

bool progress_wanted(bool stderr_is_tty, const char *ci_env, bool quiet, bool report_on_terminal)
{
    return stderr_is_tty && !ci_env && !quiet && !report_on_terminal;
}

static double now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "0:07", "12:30", "3:05:09" */
static void format_duration(char *out, size_t cap, double s)
{
    uint64_t t = s < 0 ? 0 : (uint64_t)(s + 0.5);
    if (t >= 3600)
        snprintf(out, cap, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, cap, "%" PRIu64 ":%02" PRIu64, t / 60, t % 60);
}

void progress_format(char *out, size_t cap, uint64_t records, double elapsed_s, uint64_t done_bytes,
                     uint64_t total_bytes)
{
    if (cap == 0)
        return;
    uint64_t rate = elapsed_s > 0 ? (uint64_t)((double)records / elapsed_s) : 0;
    int n = snprintf(out, cap, "iprcheck: %" PRIu64 " record%s, %" PRIu64 "/s", records,
                     records == 1 ? "" : "s", rate);
    if (n < 0 || (size_t)n >= cap || total_bytes == 0 || done_bytes == 0)
        return;
    if (done_bytes > total_bytes)
        done_bytes = total_bytes; /* a file grew while it was read */
    unsigned percent = (unsigned)(done_bytes * 100.0 / (double)total_bytes);
    char left[32];
    format_duration(left, sizeof left,
                    elapsed_s * (double)(total_bytes - done_bytes) / (double)done_bytes);
    snprintf(out + n, cap - (size_t)n, ", %u%%, %s left", percent, left);
}

void progress_start(struct progress *p, FILE *out, uint64_t total_bytes)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->total_bytes = total_bytes;
    p->start_s = now_s();
    p->drawn_s = p->start_s; /* a scan shorter than one interval never shows a line */
}

static void draw(struct progress *p, double t)
{
    char line[128];
    progress_format(line, sizeof line, p->records, t - p->start_s, p->done_bytes, p->total_bytes);
    fprintf(p->out, ERASE_LINE "%s", line);
    fflush(p->out);
    p->drawn_s = t;
    p->on_screen = true;
}

void progress_record(struct progress *p)
{
    if (!p->out)
        return;
    p->records++;
    double t = now_s();
    if (t - p->drawn_s >= REDRAW_S)
        draw(p, t);
}

void progress_input_done(struct progress *p, uint64_t bytes)
{
    if (p->out)
        p->done_bytes += bytes;
}

void progress_clear(struct progress *p)
{
    if (p->out && p->on_screen) {
        fputs(ERASE_LINE, p->out);
        fflush(p->out);
        p->on_screen = false;
    }
}

void progress_end(struct progress *p)
{
    if (p->out && p->on_screen) {
        fputs(ERASE_LINE, p->out);
        fflush(p->out);
    }
    p->on_screen = false;
    p->out = NULL;
}
