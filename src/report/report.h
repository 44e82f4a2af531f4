/*
 * report.h - stage report/ of the pipeline: findings and record states in,
 * report bytes out through a write callback.
 *
 * reporter.c owns what every format shares: the record state machine
 * (begin, findings, end), copies of the borrowed findings, the accounting
 * (records = clean + flagged + error, per-stage passed/flagged) and the
 * sticky write error.  Each format is one file with one `struct
 * reporter_ops`, registered in reporter.c; a format sees whole records, in
 * input order, and never the ruleset or the input structs.  Output depends
 * only on what was passed in: no clock, no locale, no hash order.
 */
#ifndef IPR_REPORT_REPORT_H
#define IPR_REPORT_REPORT_H

#include "../base/buf.h"
#include "../base/common.h"

struct report_meta {                   /* everything a report says about the run */
    const char *tool_version;          /* "0.1.0" */
    const char *rules_sha256;          /* 64 hex */
    const ipr_rule_info *const *rules; /* every rule that ran, in ruleset order */
    size_t rule_count;
    size_t stage_rule_count[IPR_STAGE_COUNT]; /* checks run per stage */
    unsigned flags;                           /* enum ipr_report_flags */
    ipr_severity fail_on;
};

struct report_record { /* provenance of one record */
    const char *file;
    uint32_t line; /* 1-based; 0 when unknown (a whole-input error) */
    uint64_t index;
    const char *key;
    const char *error;      /* NULL when the record parsed */
    const char *incomplete; /* NULL when fully checked; else why not */
};

struct ipr_reporter; /* opaque; defined in reporter.c */

/* The meta struct, its strings and its rules array are copied; the rule
 * infos they point to must outlive the reporter, as for findings.
 * IPR_EUNSUPPORTED for a format without a reporter. */
ipr_status reporter_new(ipr_report_format format, const struct report_meta *meta,
                        ipr_write_fn write, void *user, struct ipr_reporter **out);
void reporter_free(struct ipr_reporter *r);

/* Per record, in input order: begin, its findings, end.  The record and the
 * findings are borrowed for the call only; the reporter copies them.
 * Calls out of order, and findings for a record whose error is set, are
 * IPR_EINVAL and change nothing.  After a write error (IPR_EIO) or an
 * allocation failure every later call returns that status again: the
 * report is incomplete, but the reporter stays safe to free. */
ipr_status reporter_begin_record(struct ipr_reporter *r, const struct report_record *rec);
ipr_status reporter_add_finding(struct ipr_reporter *r, const ipr_finding *f);
ipr_status reporter_end_record(struct ipr_reporter *r);
/* A whole input could not be read: one error record with line 0, index 0
 * and an empty key.  Not allowed between begin and end. */
ipr_status reporter_add_input_error(struct ipr_reporter *r, const char *file, const char *message);
/* Between begin and end: the record was not fully checked (reason copied). */
ipr_status reporter_set_incomplete(struct ipr_reporter *r, const char *reason);
/* Counts records that belong to other shards. */
ipr_status reporter_add_outside_shard(struct ipr_reporter *r, uint64_t count);
/* Records how an input was read ("csv, profile amazon, encoding utf-8"). */
ipr_status reporter_add_input(struct ipr_reporter *r, const char *file, const char *description);

/* One input as described by the reader, in the order they were added. */
struct report_input {
    const char *file;
    const char *description;
};
size_t reporter_input_count(const struct ipr_reporter *r);
const struct report_input *reporter_input(const struct ipr_reporter *r, size_t i);
/* Writes the summary (text) or the whole document (json); once. */
ipr_status reporter_finish(struct ipr_reporter *r);
/* Valid at any time, also after a failure. */
void reporter_totals(const struct ipr_reporter *r, ipr_report_totals *out);

/* The summary object of the json format, compact, as one line ending in a
 * newline; appended to out.  The jsonl format has no summary line, so a
 * program that wants one prints this where it likes. */
ipr_status report_summary_json(const struct ipr_reporter *r, struct buf *out);

/* ---- for the format files ------------------------------------------------ */

enum report_status {
    REPORT_CLEAN = 0,
    REPORT_FLAGGED = 1,
    REPORT_ERROR = 2,
    REPORT_INCOMPLETE = 3 /* scanned, not fully checked; findings may be missing */
};

/* "clean", "flagged", "error", "incomplete". */
const char *report_status_name(enum report_status status);

/* One finished record as a format sees it; everything is owned by the
 * reporter and valid until the format's record() returns.  Strings are
 * never NULL, except the record's error and a finding's mark, owner and
 * match_kind. */
struct report_entry {
    const struct report_record *rec;
    enum report_status status;
    const ipr_finding *findings; /* in the order they were added */
    size_t finding_count;
};

struct report_stage_counts {
    size_t checks;   /* rules of the stage that ran */
    uint64_t passed; /* records without a finding of the stage */
    uint64_t flagged;
};

struct reporter_ops {
    /* Sets *state (may stay NULL); writes nothing. */
    ipr_status (*begin)(struct ipr_reporter *r, void **state);
    /* Called at the end of each record, error records included. */
    ipr_status (*record)(struct ipr_reporter *r, void *state, const struct report_entry *e);
    /* Called once, after the last record. */
    ipr_status (*finish)(struct ipr_reporter *r, void *state);
    void (*free)(void *state);
};

extern const struct reporter_ops report_text_ops;
extern const struct reporter_ops report_json_ops;
extern const struct reporter_ops report_jsonl_ops;
extern const struct reporter_ops report_html_ops;
extern const struct reporter_ops report_sarif_ops;
extern const struct reporter_ops report_csv_ops;
extern const struct reporter_ops report_junit_ops;
extern const struct reporter_ops report_github_ops;

const struct report_meta *reporter_meta(const struct ipr_reporter *r);
void reporter_stage_counts(const struct ipr_reporter *r, ipr_stage stage,
                           struct report_stage_counts *out);
/* Hands bytes to the write callback; IPR_EIO when it reports a failure. */
ipr_status reporter_write(struct ipr_reporter *r, const char *bytes, size_t len);

/* JSON pieces shared by the json and jsonl formats (json.c).  struct json_t
 * is jansson's json_t; the functions return a new reference, NULL when out
 * of memory. */
struct json_t;
/* A JSON string from listing text; each byte that is not valid UTF-8
 * becomes U+FFFD, so a value is never dropped. */
struct json_t *report_json_text(const char *s, size_t len);
/* One finding object, keys in the documented order. */
struct json_t *report_json_finding(const struct report_record *rec, const ipr_finding *f);
/* Serialises value (jansson dump flags, order preserved) onto out as one
 * text ending in a newline, with terminal-active code points escaped. */
ipr_status report_json_dump(const struct json_t *value, size_t flags, struct buf *out);
/* The jsonl line of one record, ending in a newline, appended to out; raw
 * is scratch.  The same bytes as report_json_dump(JSON_COMPACT) of the
 * record object built with jansson. */
ipr_status report_jsonl_line(const struct report_entry *e, struct buf *raw, struct buf *out);

#endif
