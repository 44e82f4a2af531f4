/*
 * test_report_json_write.c - the jsonl line written without jansson's tree
 * against the same line built with jansson and dumped.
 *
 * The reference builds the record object as the jsonl format did before it
 * wrote its lines by hand: report_json_text for listing text,
 * report_json_finding for each finding, report_json_dump with
 * JSON_COMPACT.  Every entry below must come out byte for byte the same:
 * hostile text (quotes, backslashes, every control byte, DEL, invalid
 * UTF-8, bidi controls, U+2028, a NUL inside the evidence), optional keys
 * present and absent, and confidences from 0 to 1 and beyond.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/json_write.h"
#include "report/report.h"

/* ---- the reference: jansson ------------------------------------------------ */

static void set(json_t *o, const char *key, json_t *value)
{
    assert_non_null(value);
    assert_int_equal(json_object_set_new(o, key, value), 0);
}

static json_t *reference_record(const struct report_entry *e)
{
    const struct report_record *rec = e->rec;
    json_t *o = json_object(), *findings = json_array();
    set(o, "key", report_json_text(rec->key, strlen(rec->key)));
    set(o, "file", report_json_text(rec->file, strlen(rec->file)));
    set(o, "line", json_integer(rec->line));
    set(o, "index", json_integer((json_int_t)rec->index));
    set(o, "status", json_string(report_status_name(e->status)));
    if (rec->error)
        set(o, "error", report_json_text(rec->error, strlen(rec->error)));
    if (rec->incomplete)
        set(o, "incomplete", report_json_text(rec->incomplete, strlen(rec->incomplete)));
    for (size_t i = 0; i < e->finding_count; i++)
        assert_int_equal(json_array_append_new(findings, report_json_finding(rec, &e->findings[i])),
                         0);
    set(o, "findings", findings);
    return o;
}

static void assert_same_line(const struct report_entry *e)
{
    json_t *ref = reference_record(e);
    struct buf want, got, raw;
    buf_init(&want, 0);
    buf_init(&got, 0);
    buf_init(&raw, 0);
    assert_int_equal(report_json_dump(ref, JSON_COMPACT, &want), IPR_OK);
    assert_int_equal(report_jsonl_line(e, &raw, &got), IPR_OK);
    assert_string_equal(buf_str(&got), buf_str(&want));
    assert_int_equal(got.len, want.len);
    json_decref(ref);
    buf_release(&want);
    buf_release(&got);
    buf_release(&raw);
}

/* ---- entries ------------------------------------------------------------------ */

static const char *const refs[] = {"15 U.S.C. \xC2\xA7 1114", "https://example.com/a\"b\\c"};

static const ipr_rule_info rule_full = {
    .id = "MK-COUNTERFEIT",
    .title = "Counterfeit \"vocabulary\"",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_HIGH,
    .fix = "Remove\tthe wording.",
    .references = refs,
    .reference_count = 2,
};

static const ipr_rule_info rule_bare = {
    .id = "HW-X",
    .title = NULL,
    .stage = IPR_STAGE_HEADWAY,
    .severity = IPR_SEV_LOW,
    .fix = NULL,
};

/* Text with every kind of byte a JSON string or a terminal cares about. */
static const char hostile[] =
    "q\"b\\s/ \x01\x07\b\f\n\r\t\x1b[31m\x1f\x7f"
    " bad\xff\xc3(end \xe2\x80\xae rtl \xe2\x80\xa8 ls \xc2\x85 nel"
    " \xe2\x80\x8b zw caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80";

static void test_clean_and_error_records(void **state)
{
    (void)state;
    struct report_record clean = {.file = "listings.jsonl", .line = 3, .index = 2, .key = "SKU-3"};
    struct report_entry e = {.rec = &clean, .status = REPORT_CLEAN};
    assert_same_line(&e);

    struct report_record bad = {
        .file = "dir/\"odd\" name\x01.csv", .line = 0, .index = 0, .key = "", .error = hostile};
    e = (struct report_entry){.rec = &bad, .status = REPORT_ERROR};
    assert_same_line(&e);

    struct report_record big = {.file = "f",
                                .line = UINT32_MAX,
                                .index = UINT64_MAX / 2,
                                .key = hostile,
                                .incomplete = "field 'description' is long"};
    e = (struct report_entry){.rec = &big, .status = REPORT_INCOMPLETE};
    assert_same_line(&e);
}

static void test_findings_with_every_optional_key(void **state)
{
    (void)state;
    struct report_record rec = {.file = "listings.csv", .line = 7, .index = 5, .key = hostile};
    static const char matched[] = "N1ke\0x\xe2\x80\xae";
    ipr_finding f[3] = {
        {.rule = &rule_full,
         .severity = IPR_SEV_HIGH,
         .confidence = 0.9,
         .field = "bullets[2]",
         .line = 9,
         .col = 14,
         .span_start = 3,
         .span_end = 7,
         .matched = matched,
         .matched_len = sizeof(matched) - 1,
         .message = hostile,
         .fingerprint = "0123456789abcdef",
         .mark = "Nike",
         .owner = "Nike, Inc. \xe2\x80\x8b",
         .match_kind = "leet"},
        {.rule = &rule_bare,
         .severity = IPR_SEV_INFO,
         .confidence = 1.0,
         .field = "",
         .matched = "",
         .message = "",
         .fingerprint = "ffffffffffffffff"},
        {.rule = &rule_full,
         .severity = IPR_SEV_CRITICAL,
         .confidence = 0.000012345,
         .field = "title",
         .span_start = 0,
         .span_end = 0,
         .matched = hostile,
         .matched_len = sizeof(hostile) - 1,
         .message = "m",
         .fingerprint = "1",
         .mark = "Gucci"},
    };
    struct report_entry e = {
        .rec = &rec, .status = REPORT_FLAGGED, .findings = f, .finding_count = 3};
    assert_same_line(&e);
}

static void test_confidence_as_jansson_prints_it(void **state)
{
    (void)state;
    struct report_record rec = {.file = "f", .line = 1, .index = 0, .key = "k"};
    ipr_finding f = {
        .rule = &rule_bare, .field = "", .matched = "", .message = "", .fingerprint = ""};
    struct report_entry e = {
        .rec = &rec, .status = REPORT_FLAGGED, .findings = &f, .finding_count = 1};
    const double fixed[] = {0.0,   -0.0,      1.0,   0.5,     0.85,   0.9,      0.95,
                            0.333, 0.66666,   1e-4,  9.99e-5, 1e-05,  1.5e-300, 12345.0,
                            1e20,  123456789, -0.25, 0.99995, 0.9999, 2.0 / 3.0};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        f.confidence = fixed[i];
        assert_same_line(&e);
    }
    /* and a sweep of the range confidences live in */
    for (int i = 0; i <= 20000; i++) {
        f.confidence = i / 20000.0;
        assert_same_line(&e);
    }
}

static void test_non_finite_confidence_is_refused(void **state)
{
    (void)state;
    const double refused[] = {0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0};
    for (size_t i = 0; i < 3; i++) {
        struct buf out;
        buf_init(&out, 0);
        struct json_writer w;
        json_writer_init(&w, &out);
        json_writer_open(&w, '{');
        json_writer_real(&w, "confidence", refused[i]);
        assert_int_equal(w.status, IPR_EINVAL);
        size_t len = out.len;
        json_writer_str(&w, "after", "x"); /* the status sticks: nothing more is written */
        assert_int_equal(w.status, IPR_EINVAL);
        assert_int_equal(out.len, len);
        buf_release(&out);
    }
}

/* Line numbers and indices as jansson prints integers, up to the ends of
 * the range an index may take. */
static void test_integers_as_jansson_prints_them(void **state)
{
    (void)state;
    const int64_t values[] = {0,         1,          9,          10,        99,
                              100,       4294967295, 4294967296, -1,        -10,
                              INT64_MAX, INT64_MIN,  -INT64_MAX, 123456789, 1000000000000000000};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        struct buf out;
        buf_init(&out, 0);
        struct json_writer w;
        json_writer_init(&w, &out);
        json_writer_int(&w, NULL, values[i]);
        assert_int_equal(w.status, IPR_OK);
        json_t *j = json_integer(values[i]);
        char *want = json_dumps(j, JSON_ENCODE_ANY);
        assert_string_equal(buf_str(&out), want);
        free(want);
        json_decref(j);
        buf_release(&out);
    }
    struct report_record rec = {.file = "f", .line = UINT32_MAX, .index = INT64_MAX, .key = "k"};
    struct report_entry e = {.rec = &rec, .status = REPORT_CLEAN};
    assert_same_line(&e);
}

/* Every single byte and every two-byte pair of interesting bytes as text. */
static void test_every_byte_as_text(void **state)
{
    (void)state;
    const unsigned char interesting[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x1f, 0x20, '"',
                                         '/',  '\\', 'a',  0x7e, 0x7f, 0x80, 0xbf, 0xc2,
                                         0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xf5, 0xfe, 0xff};
    struct report_record rec = {.file = "f", .line = 1, .index = 0, .key = "k"};
    ipr_finding f = {.rule = &rule_bare, .field = "", .message = "", .fingerprint = ""};
    struct report_entry e = {
        .rec = &rec, .status = REPORT_FLAGGED, .findings = &f, .finding_count = 1};
    char text[2];
    for (unsigned b = 0; b < 256; b++) {
        text[0] = (char)b;
        f.matched = text;
        f.matched_len = 1;
        assert_same_line(&e);
    }
    for (size_t i = 0; i < sizeof(interesting); i++) {
        for (size_t j = 0; j < sizeof(interesting); j++) {
            text[0] = (char)interesting[i];
            text[1] = (char)interesting[j];
            f.matched = text;
            f.matched_len = 2;
            assert_same_line(&e);
        }
    }
}

/* Long runs: the word-at-a-time paths and their byte-by-byte tails. */
static void test_long_text_at_every_offset(void **state)
{
    (void)state;
    char text[80];
    struct report_record rec = {.file = "f", .line = 1, .index = 0, .key = "k"};
    ipr_finding f = {.rule = &rule_bare, .field = "", .message = "", .fingerprint = ""};
    struct report_entry e = {
        .rec = &rec, .status = REPORT_FLAGGED, .findings = &f, .finding_count = 1};
    const char *specials[] = {"\"", "\\", "\n", "\x7f", "\xe2\x80\xae", "\xc3\xa9", "\xff"};
    for (size_t s = 0; s < sizeof(specials) / sizeof(specials[0]); s++) {
        size_t n = strlen(specials[s]);
        for (size_t at = 0; at + n <= 40; at++) {
            memset(text, 'x', sizeof(text));
            memcpy(text + at, specials[s], n);
            f.matched = text;
            f.matched_len = 40;
            assert_same_line(&e);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_and_error_records),
        cmocka_unit_test(test_findings_with_every_optional_key),
        cmocka_unit_test(test_confidence_as_jansson_prints_it),
        cmocka_unit_test(test_non_finite_confidence_is_refused),
        cmocka_unit_test(test_integers_as_jansson_prints_them),
        cmocka_unit_test(test_every_byte_as_text),
        cmocka_unit_test(test_long_text_at_every_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
