/*
 * reports.c - one scan, several reports, findings filtered once (see
 * reports.h).
 *
 * A finding is filtered before any report sees it: first the suppressions
 * (an explained, owned decision), then the baseline (a snapshot).  The
 * fingerprints --write-baseline records are those not suppressed, so a new
 * baseline never takes over what an expiring suppression should bring
 * back.  The primary report's status is what the scan acts on; an extra
 * report keeps its own sticky failure and is judged at the end.
 */
#define _POSIX_C_SOURCE 200809L
#include "reports.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool same_path(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Two outputs on one path would each rename over the other. */
static bool check_paths(const struct cli_options *opts)
{
    for (size_t i = 0; i < opts->report_count; i++) {
        const char *p = opts->report_paths[i];
        bool clash = same_path(p, opts->output) || same_path(p, opts->write_baseline);
        for (size_t j = 0; j < i; j++)
            clash |= same_path(p, opts->report_paths[j]);
        if (clash) {
            fprintf(stderr, "iprcheck: two outputs would write '%s'\n", p);
            return false;
        }
    }
    if (same_path(opts->write_baseline, opts->output)) {
        fprintf(stderr, "iprcheck: two outputs would write '%s'\n", opts->output);
        return false;
    }
    return true;
}

/* --date, else the local date: what expiry dates are checked against. */
static void today(const struct cli_options *opts, char out[16])
{
    snprintf(out, 16, "%s", opts->date ? opts->date : "");
    if (opts->date)
        return;
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
        snprintf(out, 16, "0000-00-00");
}

static bool open_extras(struct report_set *set, const struct cli_options *opts,
                        const ipr_ruleset *rs)
{
    set->extras = calloc(opts->report_count ? opts->report_count : 1, sizeof *set->extras);
    if (!set->extras) {
        fprintf(stderr, "iprcheck: out of memory\n");
        return false;
    }
    /* files get neither colour nor the --quiet cut: they are read later, in full */
    ipr_report_options ropts = {0, opts->fail_on};
    for (size_t i = 0; i < opts->report_count; i++) {
        struct report_extra *x = &set->extras[set->extra_count++];
        x->format = opts->report_formats[i];
        x->path = opts->report_paths[i];
        if (!output_open(&x->out, x->path)) {
            fprintf(stderr, "iprcheck: cannot write '%s': %s\n", x->path, strerror(errno));
            return false;
        }
        x->out_open = true;
        ipr_status st =
            ipr_reporter_new(x->format, rs, &ropts, output_write, &x->out, &x->reporter);
        if (st != IPR_OK) {
            fprintf(stderr, "iprcheck: cannot make the %s report: %s\n",
                    ipr_report_format_name(x->format), ipr_status_str(st));
            return false;
        }
    }
    return true;
}

static void start_progress(struct report_set *set, const struct cli_options *opts,
                           const char *const *inputs, size_t input_count)
{
    bool on_terminal = (!opts->output || strcmp(opts->output, "-") == 0) && isatty(STDOUT_FILENO);
    if (!progress_wanted(isatty(STDERR_FILENO), getenv("CI"), opts->quiet, on_terminal))
        return;
    set->inputs = calloc(input_count ? input_count : 1, sizeof *set->inputs);
    if (!set->inputs) {
        progress_start(&set->progress, stderr, 0);
        return;
    }
    set->input_count = input_count;
    uint64_t total = 0;
    bool known = true;
    for (size_t i = 0; i < input_count; i++) {
        struct stat sb;
        set->inputs[i].path = inputs[i];
        if (strcmp(inputs[i], "-") == 0) {
            known = false; /* a pipe has no size: the share done is unknown */
        } else if (stat(inputs[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            set->inputs[i].bytes = (uint64_t)sb.st_size;
            total += (uint64_t)sb.st_size;
        }
    }
    progress_start(&set->progress, stderr, known ? total : 0);
}

bool reports_open(struct report_set *set, const struct cli_options *opts, const ipr_ruleset *rs,
                  ipr_reporter *primary, const char *const *inputs, size_t input_count)
{
    memset(set, 0, sizeof *set);
    set->primary = primary;
    set->write_baseline = opts->write_baseline;
    set->report_unused = opts->report_unused_suppressions;
    progress_start(&set->progress, NULL, 0);
    if (!check_paths(opts))
        return false;
    if (opts->baseline) {
        char err[512];
        if (!baseline_read(opts->baseline, &set->baseline, err, sizeof err)) {
            fprintf(stderr, "iprcheck: %s\n", err);
            return false;
        }
        set->has_baseline = true;
    }
    if (opts->suppressions) {
        char date[16];
        today(opts, date);
        if (!suppressions_load(&set->suppressions, opts->suppressions, date, stderr))
            return false;
        set->has_suppressions = true;
    }
    if (!open_extras(set, opts, rs))
        return false;
    start_progress(set, opts, inputs, input_count);
    return true;
}

/* Copies s into *dst, growing it; false when out of memory. */
static bool copy_into(char **dst, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *cap) {
        char *p = realloc(*dst, n);
        if (!p)
            return false;
        *dst = p;
        *cap = n;
    }
    memcpy(*dst, s, n);
    return true;
}

/* Records arrive input by input: a record from a later input means the
 * inputs before it were read to the end. */
static void track_input(struct report_set *set, const char *file)
{
    if (!set->progress.out || (set->last_file && strcmp(set->last_file, file) == 0))
        return;
    size_t cap = set->last_file ? strlen(set->last_file) + 1 : 0;
    if (!copy_into(&set->last_file, &cap, file))
        return;
    size_t i = set->input_next;
    while (i < set->input_count && strcmp(set->inputs[i].path, file) != 0)
        i++;
    if (i == set->input_count)
        return; /* not a path as given (standard input): nothing to count */
    for (; set->input_next < i; set->input_next++)
        progress_input_done(&set->progress, set->inputs[set->input_next].bytes);
}

bool reports_begin_record(struct report_set *set, const ipr_record *record)
{
    if (!copy_into(&set->key, &set->key_cap, ipr_record_key(record)))
        return false;
    track_input(set, ipr_record_file(record));
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_begin_record(set->extras[i].reporter, record);
    return ipr_reporter_begin_record(set->primary, record) == IPR_OK;
}

bool reports_add_finding(struct report_set *set, const ipr_finding *f, bool *kept)
{
    *kept = false;
    if (set->has_suppressions && suppressions_match(&set->suppressions, f->rule->id,
                                                    set->key ? set->key : "", f->fingerprint)) {
        set->by_suppressions++;
        return true;
    }
    uint64_t fp = 0;
    bool has_fp = f->fingerprint && fingerprint_parse(f->fingerprint, strlen(f->fingerprint), &fp);
    if (set->write_baseline && has_fp && !fingerprints_add(&set->seen, fp))
        set->seen_failed = true;
    if (set->has_baseline && has_fp && fingerprints_contains(&set->baseline, fp)) {
        set->by_baseline++;
        return true;
    }
    *kept = true;
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_add_finding(set->extras[i].reporter, f);
    return ipr_reporter_add_finding(set->primary, f) == IPR_OK;
}

bool reports_set_incomplete(struct report_set *set, const char *reason)
{
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_set_incomplete(set->extras[i].reporter, reason);
    return ipr_reporter_set_incomplete(set->primary, reason) == IPR_OK;
}

bool reports_end_record(struct report_set *set)
{
    progress_record(&set->progress);
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_end_record(set->extras[i].reporter);
    return ipr_reporter_end_record(set->primary) == IPR_OK;
}

bool reports_add_input_error(struct report_set *set, const char *file, const char *message)
{
    track_input(set, file);
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_add_input_error(set->extras[i].reporter, file, message);
    return ipr_reporter_add_input_error(set->primary, file, message) == IPR_OK;
}

bool reports_add_input(struct report_set *set, const char *file, const char *description)
{
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_add_input(set->extras[i].reporter, file, description);
    return ipr_reporter_add_input(set->primary, file, description) == IPR_OK;
}

void reports_before_message(struct report_set *set)
{
    progress_clear(&set->progress);
}

bool reports_add_outside_shard(struct report_set *set, uint64_t count)
{
    for (size_t i = 0; i < set->extra_count; i++)
        ipr_reporter_add_outside_shard(set->extras[i].reporter, count);
    return ipr_reporter_add_outside_shard(set->primary, count) == IPR_OK;
}

static bool finish_extras(struct report_set *set, bool written)
{
    bool ok = true;
    for (size_t i = 0; i < set->extra_count; i++) {
        struct report_extra *x = &set->extras[i];
        bool done = written && ipr_reporter_finish(x->reporter) == IPR_OK;
        bool closed = output_close(&x->out, done);
        x->out_open = false;
        if (written && (!done || !closed)) {
            fprintf(stderr, "iprcheck: cannot write the report to %s: %s\n", x->path,
                    strerror(x->out.error ? x->out.error : EIO));
            ok = false;
        }
    }
    return ok;
}

bool reports_finish(struct report_set *set, bool written)
{
    progress_end(&set->progress);
    bool ok = finish_extras(set, written);
    if (written && set->write_baseline) {
        char err[512];
        if (set->seen_failed) {
            fprintf(stderr, "iprcheck: cannot write baseline '%s': out of memory\n",
                    set->write_baseline);
            ok = false;
        } else if (!baseline_write(set->write_baseline, &set->seen, err, sizeof err)) {
            fprintf(stderr, "iprcheck: %s\n", err);
            ok = false;
        }
    }
    if (set->has_baseline || set->has_suppressions) {
        fprintf(stderr,
                "iprcheck: %" PRIu64 " finding%s suppressed (%" PRIu64 " by the baseline, %" PRIu64
                " by suppressions)\n",
                set->by_baseline + set->by_suppressions,
                set->by_baseline + set->by_suppressions == 1 ? "" : "s", set->by_baseline,
                set->by_suppressions);
    }
    if (set->report_unused && set->has_suppressions)
        suppressions_report_unused(&set->suppressions, stderr);
    return ok;
}

void reports_release(struct report_set *set)
{
    progress_end(&set->progress);
    for (size_t i = 0; i < set->extra_count; i++) {
        if (set->extras[i].out_open)
            output_close(&set->extras[i].out, false);
        ipr_reporter_free(set->extras[i].reporter);
    }
    free(set->extras);
    fingerprints_release(&set->baseline);
    fingerprints_release(&set->seen);
    suppressions_release(&set->suppressions);
    free(set->key);
    free(set->last_file);
    free(set->inputs);
    memset(set, 0, sizeof *set);
}
