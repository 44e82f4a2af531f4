/*
 * reports.h - everything between a scan's findings and its report files:
 * the baseline and the suppressions that hide accepted findings, the extra
 * reports of --report FORMAT=FILE fed the same records as the primary one
 * (-o/--format), the fingerprints --write-baseline records, and the
 * progress line.
 *
 * Every report of a run sees exactly the same records and the same kept
 * findings, so they agree with each other and with the exit status, which
 * counts only kept findings.  Each extra file is written atomically and
 * kept only when the whole report was written.
 */
#ifndef IPR_CLI_REPORTS_H
#define IPR_CLI_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "baseline.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "suppress.h"

struct report_extra {
    ipr_report_format format;
    const char *path; /* borrowed from the options */
    struct output out;
    bool out_open;
    ipr_reporter *reporter; /* owned */
};

struct report_input_size {
    const char *path; /* borrowed from the input list */
    uint64_t bytes;
};

struct report_set {
    ipr_reporter *primary; /* borrowed: the caller creates and frees it */
    struct report_extra *extras;
    size_t extra_count;
    struct fingerprints baseline; /* --baseline, sealed */
    bool has_baseline;
    struct suppressions suppressions;
    bool has_suppressions;
    bool report_unused;
    const char *write_baseline; /* --write-baseline path, or NULL */
    struct fingerprints seen;   /* fingerprints for --write-baseline */
    bool seen_failed;           /* out of memory while collecting them */
    char *key;                  /* the current record's key, owned copy */
    size_t key_cap;
    uint64_t by_baseline;     /* findings the baseline hid */
    uint64_t by_suppressions; /* findings the suppressions hid */
    struct progress progress;
    struct report_input_size *inputs; /* for the progress line, in scan order */
    size_t input_count;
    size_t input_next; /* first input not yet known to be finished */
    char *last_file;   /* file of the last record seen, owned copy */
};

/* Loads --baseline and --suppressions, opens every --report file and its
 * reporter, and starts the progress line.  primary is the -o/--format
 * reporter.  Prints what went wrong and returns false when the scan cannot
 * run; reports_release() is needed either way. */
bool reports_open(struct report_set *set, const struct cli_options *opts, const ipr_ruleset *rs,
                  ipr_reporter *primary, const char *const *inputs, size_t input_count);

/* The ipr_reporter_* calls of a scan, for every report at once.  false
 * when the primary report failed; an extra report that fails is reported
 * at reports_finish() and does not stop the scan. */
bool reports_begin_record(struct report_set *set, const ipr_record *record);
/* Passes the finding on unless the baseline or a suppression hides it;
 * *kept tells which, for the --fail-on count. */
bool reports_add_finding(struct report_set *set, const ipr_finding *finding, bool *kept);
bool reports_set_incomplete(struct report_set *set, const char *reason);
bool reports_end_record(struct report_set *set);
bool reports_add_input_error(struct report_set *set, const char *file, const char *message);
/* How an input is read ("csv, profile amazon, encoding utf-8"). */
bool reports_add_input(struct report_set *set, const char *file, const char *description);
/* Call before printing a message on standard error during the scan: the
 * progress line is erased first and drawn again with the next record. */
void reports_before_message(struct report_set *set);
bool reports_add_outside_shard(struct report_set *set, uint64_t count);

/* After the primary report's finish: erases the progress line, finishes
 * and commits every extra report (discards them when written is false),
 * writes --write-baseline, and prints how many findings were suppressed,
 * the expired and (with --report-unused-suppressions) unused entries.
 * false when an extra report or the baseline could not be written. */
bool reports_finish(struct report_set *set, bool written);
void reports_release(struct report_set *set);

#endif
