/*
 * report_fixture.h - one hand-built scan for the report format tests
 * (sarif, junit, github, csv): three rules of two stages, and records that
 * cover every state a report must show.
 *
 *   listings.csv:2  SKU-1   flagged: two marketing findings (the second a
 *                           repeat of the first's evidence) and one payment
 *   listings.csv:3  SKU-2   clean
 *   listings.csv:4  "2"     error: the row did not parse
 *   missing.csv             error: the file could not be read (line 0)
 *   listings.csv:6  SKU-4   incomplete, with one low marketing finding
 *
 * Static inline functions only, so a test may use any subset of them.
 */
#ifndef IPR_TEST_REPORT_FIXTURE_H
#define IPR_TEST_REPORT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "report/report.h"

struct sink {
    struct buf out;
};

static inline int sink_write(const char *bytes, size_t len, void *user)
{
    struct sink *s = user;
    return buf_append(&s->out, bytes, len) == IPR_OK ? 0 : -1;
}

static const char *const fx_mk_refs[] = {"15 U.S.C. § 1114",
                                         "https://example.com/policy/counterfeit goods"};

static const ipr_rule_info fx_rule_mk = {
    .id = "MK-COUNTERFEIT",
    .title = "Counterfeit vocabulary in listing text",
    .description = "Words that *describe* the goods as a copy of a branded product.",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_CRITICAL,
    .message = "'{match}' in {field} describes a copy",
    .fix = "Remove the wording.",
    .references = fx_mk_refs,
    .reference_count = 2,
    .pack = "test-marketing",
};

static const ipr_rule_info fx_rule_pay = {
    .id = "PY-EMAIL",
    .title = "E-mail address in listing text",
    .description = "",
    .stage = IPR_STAGE_PAYMENT,
    .severity = IPR_SEV_HIGH,
    .message = "",
    .fix = NULL,
};

static const ipr_rule_info fx_rule_gift = {
    .id = "MK-GIFT",
    .title = "Gift wording",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_LOW,
    .message = "{match}",
    .fix = "",
};

static const ipr_rule_info *const fx_rules[] = {&fx_rule_mk, &fx_rule_pay, &fx_rule_gift};

static const char fx_sha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

struct run {
    struct sink sink;
    struct report_meta meta;
    struct ipr_reporter *r;
};

static inline void run_open_meta(struct run *run, ipr_report_format format,
                                 const ipr_rule_info *const *rules, size_t rule_count)
{
    memset(run, 0, sizeof *run);
    buf_init(&run->sink.out, 0);
    run->meta = (struct report_meta){
        .tool_version = "0.1.0",
        .rules_sha256 = fx_sha,
        .rules = rules,
        .rule_count = rule_count,
        .stage_rule_count = {[IPR_STAGE_MARKETING] = 2, [IPR_STAGE_PAYMENT] = 1},
        .fail_on = IPR_SEV_HIGH,
    };
    assert_int_equal(reporter_new(format, &run->meta, sink_write, &run->sink, &run->r), IPR_OK);
}

static inline void run_open(struct run *run, ipr_report_format format)
{
    run_open_meta(run, format, fx_rules, sizeof fx_rules / sizeof fx_rules[0]);
}

static inline void run_close(struct run *run)
{
    reporter_free(run->r);
    buf_release(&run->sink.out);
}

static const char fx_title[] = "Replica watch, replica box";
static const char fx_desc[] = "Mail seller@example.com";
static const char fx_gift[] = "Gift set";

/* SKU-1's findings: marketing, marketing (same evidence), payment. */
static inline void fx_findings(ipr_finding fs[3])
{
    fs[0] = (ipr_finding){
        .rule = &fx_rule_mk,
        .severity = IPR_SEV_CRITICAL,
        .confidence = 1.0,
        .field = "title",
        .value = fx_title,
        .value_len = sizeof fx_title - 1,
        .line = 2,
        .col = 7,
        .span_start = 0,
        .span_end = 7,
        .matched = fx_title,
        .matched_len = 7,
        .message = "'Replica' in title describes a copy",
        .fingerprint = "0123456789abcdef",
    };
    fs[1] = fs[0];
    fs[1].span_start = 15;
    fs[1].span_end = 22;
    fs[1].matched = fx_title + 15;
    fs[1].message = "'replica' in title describes a copy";
    fs[2] = (ipr_finding){
        .rule = &fx_rule_pay,
        .severity = IPR_SEV_HIGH,
        .confidence = 0.75,
        .field = "description",
        .value = fx_desc,
        .value_len = sizeof fx_desc - 1,
        .line = 2,
        .col = 0,
        .span_start = 5,
        .span_end = 23,
        .matched = fx_desc + 5,
        .matched_len = 18,
        .message = "description contains an e-mail address",
        .fingerprint = "fedcba9876543210",
        .mark = "Example",
        .owner = "Example, Inc.",
        .match_kind = "exact",
    };
}

static inline void fx_feed(struct run *run, const char *file, uint32_t line, uint64_t index,
                           const char *key, const char *error, const char *incomplete,
                           const ipr_finding *fs, size_t count)
{
    struct report_record rec = {
        .file = file, .line = line, .index = index, .key = key, .error = error};
    assert_int_equal(reporter_begin_record(run->r, &rec), IPR_OK);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(reporter_add_finding(run->r, &fs[i]), IPR_OK);
    if (incomplete)
        assert_int_equal(reporter_set_incomplete(run->r, incomplete), IPR_OK);
    assert_int_equal(reporter_end_record(run->r), IPR_OK);
}

static inline void fx_scenario(struct run *run)
{
    ipr_finding fs[3];
    fx_findings(fs);
    fx_feed(run, "listings.csv", 2, 0, "SKU-1", NULL, NULL, fs, 3);
    fx_feed(run, "listings.csv", 3, 1, "SKU-2", NULL, NULL, NULL, 0);
    fx_feed(run, "listings.csv", 4, 2, "2", "unterminated quoted field", NULL, NULL, 0);
    assert_int_equal(reporter_add_input_error(run->r, "missing.csv", "cannot read input: gone"),
                     IPR_OK);
    ipr_finding gift = {
        .rule = &fx_rule_gift,
        .severity = IPR_SEV_LOW,
        .confidence = 0.5,
        .field = "title",
        .value = fx_gift,
        .value_len = sizeof fx_gift - 1,
        .line = 6,
        .col = 7,
        .span_start = 0,
        .span_end = 4,
        .matched = fx_gift,
        .matched_len = 4,
        .message = "Gift",
        .fingerprint = "00000000000000ff",
    };
    fx_feed(run, "listings.csv", 6, 3, "SKU-4", NULL, "a regex hit its match limit", &gift, 1);
}

/* The report of the scenario, finished; the caller owns run. */
static const char *fx_report(struct run *run, ipr_report_format format)
{
    run_open(run, format);
    fx_scenario(run);
    assert_int_equal(reporter_finish(run->r), IPR_OK);
    return buf_str(&run->sink.out);
}

static inline size_t count_substr(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(s, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

#endif
