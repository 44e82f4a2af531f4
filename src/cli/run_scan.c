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
#include "run.h"

struct scan_state {
    ipr_reporter *reporter;
    ipr_severity fail_on;
    uint64_t at_or_above; /* findings at or above --fail-on */
    ipr_status report_status;
};

static int on_finding(const ipr_finding *f, void *user)
{
    struct scan_state *ss = user;
    if (f->severity >= ss->fail_on)
        ss->at_or_above++;
    ipr_status st = ipr_reporter_add_finding(ss->reporter, f);
    if (st != IPR_OK) {
        ss->report_status = st;
        return 1;
    }
    return 0;
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

/* Scans one input; returns false when the report can no longer be written. */
static bool scan_input(const char *path, const struct cli_options *opts, ipr_scanner *scanner,
                       struct scan_state *ss)
{
    ipr_reader *reader = NULL;
    ipr_status st = ipr_reader_open(path, opts->input_format, &reader);
    if (st != IPR_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "cannot read input: %s",
                 st == IPR_EIO ? strerror(errno) : ipr_status_str(st));
        return ipr_reporter_add_input_error(ss->reporter, path, msg) == IPR_OK;
    }
    const ipr_record *rec = NULL;
    bool ok = true;
    while (ok && (st = ipr_reader_next(reader, &rec)) == IPR_OK) {
        if (ipr_reporter_begin_record(ss->reporter, rec) != IPR_OK) {
            ok = false;
            break;
        }
        st = ipr_scanner_scan(scanner, rec, on_finding, ss);
        if (st != IPR_OK && st != IPR_ECALLBACK) {
            fprintf(stderr, "iprcheck: scan failed: %s\n", ipr_status_str(st));
            ok = false;
        }
        const char *why = ipr_scanner_incomplete(scanner);
        if (why && ss->report_status == IPR_OK &&
            ipr_reporter_set_incomplete(ss->reporter, why) != IPR_OK)
            ok = false;
        if (ss->report_status != IPR_OK || ipr_reporter_end_record(ss->reporter) != IPR_OK)
            ok = false;
    }
    if (ok && st != IPR_DONE && st != IPR_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "input stopped: %s", ipr_status_str(st));
        ok = ipr_reporter_add_input_error(ss->reporter, path, msg) == IPR_OK;
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
    struct scan_state ss = {NULL, opts->fail_on, 0, IPR_OK};
    ipr_scanner *scanner = NULL;
    ipr_status st = ipr_reporter_new(opts->format, rs, &ropts, output_write, &out, &ss.reporter);
    if (st == IPR_OK)
        st = ipr_scanner_new(rs, &scanner);
    int status = EXIT_NOT_RUN;
    if (st == IPR_OK) {
        bool written = true;
        for (size_t i = 0; written && i < inputs.count; i++)
            written = scan_input(inputs.paths[i], opts, scanner, &ss);
        if (written)
            written = ipr_reporter_finish(ss.reporter) == IPR_OK;
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
            status = totals.error || totals.incomplete ? EXIT_INCOMPLETE : (ss.at_or_above ? EXIT_FINDINGS : 0);
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
    } else {
        fprintf(stderr, "iprcheck: %s\n", ipr_status_str(st));
        output_close(&out, false);
    }
    ipr_scanner_free(scanner);
    ipr_reporter_free(ss.reporter);
    ipr_ruleset_free(rs);
    inputs_release(&inputs);
    return status;
}
