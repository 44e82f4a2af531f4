/*
 * run_scan.c - the `scan` command: rules, inputs, scanner, reporter.
 *
 * Records are reported in input order; each record's findings are counted
 * against --fail-on here, so the exit status and the report can never
 * disagree.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inputs.h"
#include "output.h"
#include "pipeline.h"
#include "reports.h"
#include "run.h"

struct scan_state {
    ipr_reporter *reporter;
    ipr_severity fail_on;
    uint64_t at_or_above; /* findings at or above --fail-on */
    struct output *out;
    bool line_buffered;
    unsigned shard_count; /* > 1: only records whose key hashes to shard_index */
    unsigned shard_index;
    uint64_t outside_shard;
    struct report_set reports; /* every report of the run, baseline and suppressions */
};

/* The one place scanned records reach the report, in input order. */
static bool deliver(const ipr_record *rec, const ipr_result *res, void *user)
{
    struct scan_state *ss = user;
    if (!reports_begin_record(&ss->reports, rec))
        return false;
    for (size_t i = 0; i < ipr_result_finding_count(res); i++) {
        const ipr_finding *f = ipr_result_finding(res, i);
        bool kept; /* not hidden by the baseline or a suppression */
        if (!reports_add_finding(&ss->reports, f, &kept))
            return false;
        if (kept && f->severity >= ss->fail_on)
            ss->at_or_above++;
    }
    const char *why = ipr_result_incomplete(res);
    if (why && !reports_set_incomplete(&ss->reports, why))
        return false;
    if (!reports_end_record(&ss->reports))
        return false;
    if (ss->line_buffered && fflush(ss->out->stream) != 0) {
        /* a reader that went away (`| head`) is an ordinary end */
        ss->out->failed = true;
        ss->out->error = errno;
        ss->out->broken_pipe = errno == EPIPE && !ss->out->path;
        return false;
    }
    return true;
}

/* Shards split records by a hash of the key, not by position, so every
 * shard sees the same records whatever order the input comes in. */
static bool in_shard(const struct scan_state *ss, const ipr_record *rec)
{
    if (ss->shard_count <= 1)
        return true;
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)ipr_record_key(rec); *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h % ss->shard_count == ss->shard_index;
}

static bool want_color(const struct cli_options *opts)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0])
        return false;
    if (opts->color == COLOR_ALWAYS)
        return true;
    if (opts->color == COLOR_NEVER || opts->output)
        return false;
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
}

static ipr_reader_options reader_options(const struct cli_options *opts, char *message,
                                         size_t message_len)
{
    ipr_reader_options ro = {.format = opts->input_format,
                             .profile = opts->profile,
                             .encoding = opts->encoding,
                             .message = message,
                             .message_len = message_len,
                             .max_field_bytes = opts->max_field_bytes,
                             .max_record_bytes = opts->max_record_bytes};
    message[0] = '\0';
    return ro;
}

/* Names the profile and encoding an input is read with, in every report,
 * and the columns of an unrecognized layout that no profile maps. */
static bool describe_input(struct report_set *set, const char *path, const ipr_reader *reader,
                           bool quiet)
{
    const char *d = ipr_reader_description(reader);
    size_t n = ipr_reader_unmapped_count(reader);
    if (n && !quiet) {
        reports_before_message(set); /* do not print through the progress line */
        fprintf(stderr, "iprcheck: %s: columns no profile maps:", path);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s %s", i ? "," : "", ipr_reader_unmapped(reader, i));
        fputc('\n', stderr);
    }
    return reports_add_input(set, path, d);
}

/* Reads one input into the pipeline; false when the report can no longer
 * be written or scanning failed. */
static bool scan_input(const char *path, const struct cli_options *opts, struct pipeline *pl,
                       struct scan_state *ss)
{
    ipr_reader *reader = NULL;
    char why[512];
    ipr_reader_options ro = reader_options(opts, why, sizeof(why));
    ipr_status st = ipr_reader_open_ex(path, &ro, &reader);
    if (st != IPR_OK) {
        char msg[768];
        const char *reason = st == IPR_EIO ? strerror(errno) : ipr_status_str(st);
        snprintf(msg, sizeof(msg), "cannot read input: %s", why[0] ? why : reason);
        return pipeline_flush(pl) && reports_add_input_error(&ss->reports, path, msg);
    }
    if (!pipeline_flush(pl) || !describe_input(&ss->reports, path, reader, opts->quiet)) {
        ipr_reader_free(reader);
        return false;
    }
    const ipr_record *rec = NULL;
    bool ok = true;
    bool threaded = pipeline_threaded(pl);
    while (ok) {
        /* with worker threads the reader hands its record to the batch */
        ipr_record **slot = threaded ? pipeline_slot(pl) : NULL;
        if (threaded && !slot) {
            ok = false;
            break;
        }
        st = slot ? ipr_reader_take(reader, slot) : ipr_reader_next(reader, &rec);
        if (st != IPR_OK)
            break;
        if (slot)
            rec = *slot;
        if (in_shard(ss, rec))
            ok = slot ? pipeline_push_slot(pl) : pipeline_push(pl, rec);
        else
            ss->outside_shard++; /* a taken record stays in the slot, to be replaced */
    }
    /* records of this input are delivered before anything about the next */
    ok = ok && pipeline_flush(pl);
    if (ok && st != IPR_DONE && st != IPR_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "input stopped: %s", ipr_status_str(st));
        ok = reports_add_input_error(&ss->reports, path, msg);
    }
    ipr_reader_free(reader);
    return ok;
}

int run_scan(const struct cli_options *opts)
{
    /* a closed pipe is an ordinary end for a filter: handle EPIPE, not SIGPIPE */
    signal(SIGPIPE, SIG_IGN);
    struct input_list inputs = {0};
    bool ok = true;
    if (opts->input_count == 0) {
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "iprcheck: no input (give files or folders, or pipe listings in)\n");
            return EXIT_NOT_RUN;
        }
        ok = inputs_add(&inputs, "-");
    }
    for (size_t i = 0; ok && i < opts->input_count; i++)
        ok = inputs_add(&inputs, opts->inputs[i]);
    if (!ok) {
        fprintf(stderr, "iprcheck: out of memory\n");
        inputs_release(&inputs);
        return EXIT_NOT_RUN;
    }
    char why[512];
    ipr_reader_options ro = reader_options(opts, why, sizeof(why));
    if (ipr_reader_options_check(&ro) != IPR_OK) {
        fprintf(stderr, "iprcheck: %s\n", why[0] ? why : "invalid --profile or --encoding");
        inputs_release(&inputs);
        return EXIT_NOT_RUN;
    }
    ipr_ruleset *rs = NULL;
    if (!load_rules(opts, &rs)) {
        inputs_release(&inputs);
        return EXIT_NOT_RUN;
    }
    struct output out;
    if (!output_open(&out, opts->output)) {
        fprintf(stderr, "iprcheck: cannot write '%s': %s\n", opts->output, strerror(errno));
        ipr_ruleset_free(rs);
        inputs_release(&inputs);
        return EXIT_NOT_RUN;
    }
    ipr_report_options ropts = {0, opts->fail_on};
    if (want_color(opts))
        ropts.flags |= IPR_REPORT_COLOR;
    if (opts->quiet)
        ropts.flags |= IPR_REPORT_QUIET;
    struct scan_state ss = {
        NULL, opts->fail_on, 0, &out, opts->line_buffered, opts->shard_count, opts->shard_index, 0,
        {0}};
    if (ss.shard_count > 1 && !opts->shard_index_set) {
        /* Kubernetes indexed jobs say which shard this pod is */
        const char *env = getenv("JOB_COMPLETION_INDEX");
        char *end = NULL;
        unsigned long v = env ? strtoul(env, &end, 10) : 0;
        ss.shard_index = env && end && !*end ? (unsigned)v : 0;
    }
    if (ss.shard_count > 1 && ss.shard_index >= ss.shard_count) {
        fprintf(stderr, "iprcheck: --shard-index %u is not below --shard-count %u\n",
                ss.shard_index, ss.shard_count);
        output_close(&out, false);
        ipr_ruleset_free(rs);
        inputs_release(&inputs);
        return EXIT_NOT_RUN;
    }
    struct pipeline *pl = NULL;
    ipr_status st = ipr_reporter_new(opts->format, rs, &ropts, output_write, &out, &ss.reporter);
    bool ready = st == IPR_OK && reports_open(&ss.reports, opts, rs, ss.reporter,
                                              (const char *const *)inputs.paths, inputs.count);
    if (ready)
        pl = pipeline_new(rs, cli_jobs(opts), opts->engine, &opts->scan_limits,
                          opts->line_buffered ? 1 : 0, deliver, &ss, &st);
    int status = EXIT_NOT_RUN;
    if (ready && st == IPR_OK) {
        bool written = true;
        for (size_t i = 0; written && i < inputs.count; i++)
            written = scan_input(inputs.paths[i], opts, pl, &ss);
        if (!written && pipeline_status(pl) != IPR_OK && pipeline_status(pl) != IPR_ECALLBACK)
            fprintf(stderr, "iprcheck: scan failed: %s\n", ipr_status_str(pipeline_status(pl)));
        if (written && ss.outside_shard)
            written = reports_add_outside_shard(&ss.reports, ss.outside_shard);
        if (written)
            written = ipr_reporter_finish(ss.reporter) == IPR_OK;
        bool extras_written = reports_finish(&ss.reports, written);
        bool closed = output_close(&out, written);
        ipr_report_totals totals;
        ipr_reporter_totals(ss.reporter, &totals);
        if (opts->format == IPR_REPORT_JSONL && !opts->quiet) {
            char *summary = NULL;
            if (ipr_reporter_summary_json(ss.reporter, &summary) == IPR_OK)
                fputs(summary, stderr);
            free(summary);
        }
        if (out.broken_pipe) {
            status = totals.error || totals.incomplete ? EXIT_INCOMPLETE
                                                       : (ss.at_or_above ? EXIT_FINDINGS : 0);
        } else if (!written || !closed) {
            fprintf(stderr, "iprcheck: cannot write the report%s%s: %s\n",
                    opts->output ? " to " : "", opts->output ? opts->output : "",
                    strerror(out.error ? out.error : EIO));
            status = EXIT_NOT_RUN;
        } else if (totals.error || totals.incomplete) {
            status = EXIT_INCOMPLETE;
        } else {
            status = ss.at_or_above ? EXIT_FINDINGS : EXIT_CLEAN;
        }
        if (!extras_written)
            status = EXIT_NOT_RUN;
    } else {
        if (st != IPR_OK) /* otherwise reports_open said what was wrong */
            fprintf(stderr, "iprcheck: %s\n", ipr_status_str(st));
        output_close(&out, false);
    }
    pipeline_free(pl);
    reports_release(&ss.reports);
    ipr_reporter_free(ss.reporter);
    ipr_ruleset_free(rs);
    inputs_release(&inputs);
    return status;
}
