/*
 * test_report_text.c - the compiler-style text report, byte for byte.
 *
 * Records and findings are built by hand (no ruleset), fed through the
 * internal reporter API and the output compared with golden strings: the
 * layout, colour, caret columns under wide and combining characters, the
 * window around evidence in long values, error records, quiet mode, the
 * accounting, and that no byte of a hostile listing reaches a terminal raw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "report/report.h"

/* ---- fixtures ------------------------------------------------------------- */

struct sink {
    struct buf out;
    int calls;
    int fail_from; /* 1-based write call that starts failing; 0: never */
};

static int sink_write(const char *bytes, size_t len, void *user)
{
    struct sink *s = user;
    s->calls++;
    if (s->fail_from && s->calls >= s->fail_from)
        return -1;
    return buf_append(&s->out, bytes, len) == IPR_OK ? 0 : -1;
}

static const char *const mk_refs[] = {"https://example.com/policy/counterfeit"};

static const ipr_rule_info rule_mk = {
    .id = "MK-COUNTERFEIT",
    .title = "Counterfeit vocabulary in listing text",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_HIGH,
    .fix = "Remove the wording.",
    .references = mk_refs,
    .reference_count = 1,
};

static const ipr_rule_info rule_hw = {
    .id = "HW-BRAND-MISMATCH",
    .title = "Declared brand differs from the listing brand",
    .stage = IPR_STAGE_HEADWAY,
    .severity = IPR_SEV_MEDIUM,
    .fix = "",
};

static const ipr_rule_info rule_evil = {
    .id = "MK-EVIL",
    .title = "x",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_CRITICAL,
    .fix = "Remove\x1b[0m it\a",
};

static const ipr_rule_info *const all_rules[] = {&rule_hw, &rule_mk, &rule_evil};

static struct report_meta meta_with(unsigned flags)
{
    struct report_meta m = {
        .tool_version = "0.1.0",
        .rules_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        .rules = all_rules,
        .rule_count = IPR_ARRAY_LEN(all_rules),
        .stage_rule_count = {[IPR_STAGE_HEADWAY] = 1, [IPR_STAGE_MARKETING] = 2},
        .flags = flags,
        .fail_on = IPR_SEV_HIGH,
    };
    return m;
}

static ipr_finding finding(const ipr_rule_info *rule, const char *field, const char *value,
                           size_t start, size_t end, const char *message)
{
    ipr_finding f = {
        .rule = rule,
        .severity = rule->severity,
        .confidence = 0.9,
        .field = field,
        .value = value,
        .value_len = strlen(value),
        .line = 12,
        .span_start = start,
        .span_end = end,
        .matched = value + start,
        .matched_len = end - start,
        .message = message,
        .fingerprint = "0123456789abcdef",
    };
    return f;
}

struct run {
    struct sink sink;
    struct report_meta meta;
    struct ipr_reporter *r;
};

static void run_open(struct run *run, unsigned flags)
{
    memset(run, 0, sizeof *run);
    buf_init(&run->sink.out, 0);
    run->meta = meta_with(flags);
    assert_int_equal(reporter_new(IPR_REPORT_TEXT, &run->meta, sink_write, &run->sink, &run->r),
                     IPR_OK);
}

static void run_close(struct run *run)
{
    reporter_free(run->r);
    buf_release(&run->sink.out);
}

static void feed(struct run *run, const char *file, uint32_t line, uint64_t index, const char *key,
                 const char *error, const ipr_finding *fs, size_t count)
{
    struct report_record rec = {
        .file = file, .line = line, .index = index, .key = key, .error = error};
    assert_int_equal(reporter_begin_record(run->r, &rec), IPR_OK);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(reporter_add_finding(run->r, &fs[i]), IPR_OK);
    assert_int_equal(reporter_end_record(run->r), IPR_OK);
}

/* The text of one record with one finding, as written when it ends. */
static void assert_one(unsigned flags, const ipr_finding *f, const char *want)
{
    struct run run;
    run_open(&run, flags);
    feed(&run, "listings.csv", 12, 0, "SKU-1", NULL, f, 1);
    assert_string_equal(buf_str(&run.sink.out), want);
    run_close(&run);
}

/* Builds "<prefix><count x unit>..." goldens for the window tests. */
static void add_rep(struct buf *b, const char *unit, size_t count)
{
    for (size_t i = 0; i < count; i++)
        assert_int_equal(buf_append_str(b, unit), IPR_OK);
}

#define SUMMARY_EMPTY_STAGES_HEADER "stage        checks  passed  flagged\n"

/* ---- layout ----------------------------------------------------------------- */

static void test_flagged_record_is_compiler_style(void **state)
{
    struct run run;
    run_open(&run, 0);
    ipr_finding f = finding(&rule_mk, "title", "Replica Nike Air Max 90", 0, 7,
                            "'Replica' tells buyers the goods are a copy");
    feed(&run, "listings.csv", 12, 0, "SKU-1", NULL, &f, 1);
    feed(&run, "listings.csv", 13, 1, "SKU-2", NULL, NULL, 0);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_string_equal(buf_str(&run.sink.out),
                        "listings.csv:12: SKU-1\n"
                        "  high MK-COUNTERFEIT [marketing] title: 'Replica' tells buyers the goods "
                        "are a copy\n"
                        "    | Replica Nike Air Max 90\n"
                        "    | ^~~~~~~\n"
                        "  fix: Remove the wording.\n"
                        "\n"
                        "stage        checks  passed  flagged\n"
                        "headway           1       2        0\n"
                        "tailing           0       -        -\n"
                        "payment           0       -        -\n"
                        "marketing         2       1        1\n"
                        "warehousing       0       -        -\n"
                        "findings: 1 (critical 0, high 1, medium 0, low 0, info 0)\n"
                        "fail-on: high (1 finding at or above)\n"
                        "records: 2 = clean 1 + flagged 1 + error 0\n");
    run_close(&run);
}

static void test_colour_marks_severity_rule_and_caret(void **state)
{
    ipr_finding f = finding(&rule_mk, "title", "Replica Nike Air Max 90", 0, 7,
                            "'Replica' tells buyers the goods are a copy");
    assert_one(IPR_REPORT_COLOR, &f,
               "listings.csv:12: SKU-1\n"
               "  \x1b[31mhigh\x1b[0m \x1b[1mMK-COUNTERFEIT\x1b[0m [marketing] title: 'Replica' "
               "tells buyers the goods are a copy\n"
               "    | Replica Nike Air Max 90\n"
               "    | \x1b[32m^~~~~~~\x1b[0m\n"
               "  fix: Remove the wording.\n");
}

static void test_several_findings_follow_one_header(void **state)
{
    struct run run;
    run_open(&run, 0);
    ipr_finding fs[2] = {
        finding(&rule_hw, "brand", "Nike", 0, 4, "declared brand 'Generic' differs from 'Nike'"),
        finding(&rule_mk, "title", "AAA replica", 4, 11, "'replica' tells buyers"),
    };
    fs[1].severity = IPR_SEV_LOW; /* a weak match is reported below the rule's severity */
    feed(&run, "feed.jsonl", 3, 2, "B0-77", NULL, fs, 2);
    assert_string_equal(buf_str(&run.sink.out),
                        "feed.jsonl:3: B0-77\n"
                        "  medium HW-BRAND-MISMATCH [headway] brand: declared brand 'Generic' "
                        "differs from 'Nike'\n"
                        "    | Nike\n"
                        "    | ^~~~\n"
                        "  low MK-COUNTERFEIT [marketing] title: 'replica' tells buyers\n"
                        "    | AAA replica\n"
                        "    |     ^~~~~~~\n"
                        "  fix: Remove the wording.\n");
    run_close(&run);
}

/* ---- caret columns ---------------------------------------------------------- */

static void test_caret_counts_wide_characters_twice(void **state)
{
    const char *v = "正品 Nike 鞋";
    ipr_finding fs[2] = {finding(&rule_mk, "title", v, 7, 11, "m"),
                         finding(&rule_mk, "title", v, 12, 15, "m")};
    struct run run;
    run_open(&run, 0);
    feed(&run, "listings.csv", 12, 0, "SKU-1", NULL, fs, 2);
    assert_string_equal(buf_str(&run.sink.out), "listings.csv:12: SKU-1\n"
                                                "  high MK-COUNTERFEIT [marketing] title: m\n"
                                                "    | 正品 Nike 鞋\n"
                                                "    |      ^~~~\n"
                                                "  fix: Remove the wording.\n"
                                                "  high MK-COUNTERFEIT [marketing] title: m\n"
                                                "    | 正品 Nike 鞋\n"
                                                "    |           ^~\n"
                                                "  fix: Remove the wording.\n");
    run_close(&run);
}

static void test_caret_ignores_combining_marks(void **state)
{
    const char *v = "Cafe\xcc\x81 Nike";
    ipr_finding f = finding(&rule_hw, "title", v, 7, 11, "m");
    assert_one(0, &f,
               "listings.csv:12: SKU-1\n"
               "  medium HW-BRAND-MISMATCH [headway] title: m\n"
               "    | Cafe\xcc\x81 Nike\n"
               "    |      ^~~~\n");
    f = finding(&rule_hw, "title", v, 3, 6, "m");
    assert_one(0, &f,
               "listings.csv:12: SKU-1\n"
               "  medium HW-BRAND-MISMATCH [headway] title: m\n"
               "    | Cafe\xcc\x81 Nike\n"
               "    |    ^\n");
}

static void test_caret_counts_escapes_as_shown(void **state)
{
    ipr_finding f = finding(&rule_hw, "title", "\x1b[31mNike", 5, 9, "m");
    assert_one(0, &f,
               "listings.csv:12: SKU-1\n"
               "  medium HW-BRAND-MISMATCH [headway] title: m\n"
               "    | \\x1b[31mNike\n"
               "    |         ^~~~\n");
}

/* ---- the window around evidence in long values -------------------------- */

static void assert_window(const char *value, size_t start, size_t end, const char *want_value,
                          size_t caret_col, size_t caret_w)
{
    struct buf want;
    buf_init(&want, 0);
    assert_int_equal(buf_printf(&want,
                                "listings.csv:12: SKU-1\n"
                                "  medium HW-BRAND-MISMATCH [headway] title: m\n"
                                "    | %s\n"
                                "    | ",
                                want_value),
                     IPR_OK);
    add_rep(&want, " ", caret_col);
    add_rep(&want, "^", 1);
    add_rep(&want, "~", caret_w - 1);
    add_rep(&want, "\n", 1);
    ipr_finding f = finding(&rule_hw, "title", value, start, end, "m");
    assert_one(0, &f, buf_str(&want));
    buf_release(&want);
}

static void test_window_centres_evidence_in_long_value(void **state)
{
    struct buf v, w;
    buf_init(&v, 0);
    buf_init(&w, 0);
    add_rep(&v, "x", 150);
    add_rep(&v, "Gucci", 1);
    add_rep(&v, "y", 150);
    /* 80 columns: 5 of evidence, 37 before, 38 after, an ellipsis where cut */
    add_rep(&w, "…", 1);
    add_rep(&w, "x", 37);
    add_rep(&w, "Gucci", 1);
    add_rep(&w, "y", 38);
    add_rep(&w, "…", 1);
    assert_window(buf_str(&v), 150, 155, buf_str(&w), 38, 5);
    buf_release(&v);
    buf_release(&w);
}

static void test_window_gives_unused_side_to_the_other(void **state)
{
    struct buf v, w;
    buf_init(&v, 0);
    buf_init(&w, 0);
    add_rep(&v, "abcGucci", 1);
    add_rep(&v, "y", 200);
    add_rep(&w, "abcGucci", 1);
    add_rep(&w, "y", 72);
    add_rep(&w, "…", 1);
    assert_window(buf_str(&v), 3, 8, buf_str(&w), 3, 5);

    buf_clear(&v);
    buf_clear(&w);
    add_rep(&v, "x", 200);
    add_rep(&v, "Gucci!", 1);
    add_rep(&w, "…", 1);
    add_rep(&w, "x", 74);
    add_rep(&w, "Gucci!", 1);
    assert_window(buf_str(&v), 200, 205, buf_str(&w), 75, 5);
    buf_release(&v);
    buf_release(&w);
}

static void test_window_never_splits_characters(void **state)
{
    struct buf v, w;
    buf_init(&v, 0);
    buf_init(&w, 0);
    /* 3 columns of evidence leave 38 before (19 wide characters) and 39
     * after, where a 20th wide character would need 40 */
    add_rep(&v, "鞋", 100);
    add_rep(&v, "Nik", 1);
    add_rep(&v, "鞋", 100);
    add_rep(&w, "…", 1);
    add_rep(&w, "鞋", 19);
    add_rep(&w, "Nik", 1);
    add_rep(&w, "鞋", 19);
    add_rep(&w, "…", 1);
    assert_window(buf_str(&v), 300, 303, buf_str(&w), 39, 3);
    buf_release(&v);
    buf_release(&w);
}

static void test_window_keeps_combining_marks_with_their_base(void **state)
{
    struct buf v, w;
    buf_init(&v, 0);
    buf_init(&w, 0);
    add_rep(&v, "e\xcc\x81", 100);
    add_rep(&v, "Gucci", 1);
    add_rep(&v, "e\xcc\x81", 100);
    add_rep(&w, "…", 1);
    add_rep(&w, "e\xcc\x81", 37);
    add_rep(&w, "Gucci", 1);
    add_rep(&w, "e\xcc\x81", 38);
    add_rep(&w, "…", 1);
    assert_window(buf_str(&v), 300, 305, buf_str(&w), 38, 5);
    buf_release(&v);
    buf_release(&w);
}

static void test_evidence_wider_than_window_is_cut(void **state)
{
    struct buf v, w;
    buf_init(&v, 0);
    buf_init(&w, 0);
    add_rep(&v, "0123456789", 1);
    add_rep(&v, "a", 100);
    add_rep(&v, "zz", 1);
    add_rep(&w, "…", 1);
    add_rep(&w, "a", 80);
    add_rep(&w, "…", 1);
    assert_window(buf_str(&v), 10, 110, buf_str(&w), 1, 80);
    buf_release(&v);
    buf_release(&w);
}

static void test_window_of_huge_value_reads_only_near_evidence(void **state)
{
    /* 1 MiB of text: the window is the same as for a short value */
    size_t len = 1024u * 1024u;
    char *v = malloc(len + 1);
    assert_non_null(v);
    memset(v, 'x', len);
    memcpy(v + len / 2, "Gucci", 5);
    v[len] = '\0';
    struct buf w;
    buf_init(&w, 0);
    add_rep(&w, "…", 1);
    add_rep(&w, "x", 37);
    add_rep(&w, "Gucci", 1);
    add_rep(&w, "x", 38);
    add_rep(&w, "…", 1);
    assert_window(v, len / 2, len / 2 + 5, buf_str(&w), 38, 5);
    buf_release(&w);
    free(v);
}

/* ---- findings without a span, error records, quiet ---------------------- */

static void test_empty_span_names_the_field_only(void **state)
{
    struct run run;
    run_open(&run, 0);
    ipr_finding fs[2] = {
        finding(&rule_hw, "brand", "Nike", 0, 0, "declared brand is missing"),
        finding(&rule_hw, "", "", 0, 0, "no authorization on file"),
    };
    feed(&run, "listings.csv", 4, 3, "SKU-9", NULL, fs, 2);
    assert_string_equal(buf_str(&run.sink.out),
                        "listings.csv:4: SKU-9\n"
                        "  medium HW-BRAND-MISMATCH [headway] brand: declared brand is missing\n"
                        "    | Nike\n"
                        "  medium HW-BRAND-MISMATCH [headway]: no authorization on file\n");
    run_close(&run);
}

static void test_error_records_are_one_line_each(void **state)
{
    struct run run;
    run_open(&run, 0);
    feed(&run, "listings.csv", 7, 5, "5", "unterminated quoted field", NULL, 0);
    assert_int_equal(reporter_add_input_error(run.r, "missing.csv",
                                              "cannot open 'missing.csv': No such file or "
                                              "directory"),
                     IPR_OK);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_string_equal(buf_str(&run.sink.out),
                        "listings.csv:7: error: unterminated quoted field\n"
                        "missing.csv: error: cannot open 'missing.csv': No such file or "
                        "directory\n"
                        "\n"
                        "stage        checks  passed  flagged\n"
                        "headway           1       0        0\n"
                        "tailing           0       -        -\n"
                        "payment           0       -        -\n"
                        "marketing         2       0        0\n"
                        "warehousing       0       -        -\n"
                        "findings: 0 (critical 0, high 0, medium 0, low 0, info 0)\n"
                        "fail-on: high (0 findings at or above)\n"
                        "records: 2 = clean 0 + flagged 0 + error 2\n");
    ipr_report_totals t;
    reporter_totals(run.r, &t);
    assert_int_equal(t.records, 2);
    assert_int_equal(t.error, 2);
    run_close(&run);
}

static void test_colour_marks_errors(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_COLOR);
    feed(&run, "a.csv", 2, 0, "0", "bad row", NULL, 0);
    assert_string_equal(buf_str(&run.sink.out), "a.csv:2: \x1b[31merror\x1b[0m: bad row\n");
    run_close(&run);
}

static void test_quiet_prints_the_summary_only(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_QUIET);
    ipr_finding f = finding(&rule_mk, "title", "Replica", 0, 7, "m");
    feed(&run, "a.csv", 2, 0, "SKU-1", NULL, &f, 1);
    feed(&run, "a.csv", 3, 1, "SKU-2", "bad row", NULL, 0);
    feed(&run, "a.csv", 4, 2, "SKU-3", NULL, NULL, 0);
    assert_int_equal(run.sink.out.len, 0);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_string_equal(buf_str(&run.sink.out),
                        "stage        checks  passed  flagged\n"
                        "headway           1       2        0\n"
                        "tailing           0       -        -\n"
                        "payment           0       -        -\n"
                        "marketing         2       1        1\n"
                        "warehousing       0       -        -\n"
                        "findings: 1 (critical 0, high 1, medium 0, low 0, info 0)\n"
                        "fail-on: high (1 finding at or above)\n"
                        "records: 3 = clean 1 + flagged 1 + error 1\n");
    run_close(&run);
}

/* ---- safety ------------------------------------------------------------------ */

static void test_listing_text_never_reaches_the_terminal_raw(void **state)
{
    const char *title = "Nike\x1b]0;pwned\x07 shoes \x1b[31mred\r\xc2\x9b"
                        "2J \xe2\x80\xae"
                        "dlrow\xff";
    struct run run;
    run_open(&run, 0);
    ipr_finding f = finding(&rule_evil, "title\x1b[8m", title, 0, 4, "'Nike' \x1b[5min\x08 title");
    feed(&run, "in\x1b[2J.csv", 9, 0, "SKU\r\n1", NULL, &f, 1);
    feed(&run, "in\x1b[2J.csv", 10, 1, "2", "bad \x1b[1mrow\xe2\x81\xa6", NULL, 0);
    assert_int_equal(reporter_add_input_error(run.r, "x\x9b.csv", "cannot open \x1b[H"), IPR_OK);
    assert_int_equal(reporter_finish(run.r), IPR_OK);

    const char *out = buf_str(&run.sink.out);
    size_t len = run.sink.out.len;
    assert_null(memchr(out, 0x1b, len));
    assert_null(memchr(out, '\a', len));
    assert_null(memchr(out, '\r', len));
    assert_null(memchr(out, '\b', len));
    assert_null(strstr(out, "\xc2\x9b"));
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_null(strstr(out, "\xe2\x81\xa6"));
    assert_null(strchr(out, '\xff'));
    assert_null(strchr(out, '\x9b'));
    assert_non_null(strstr(
        out, "in\\x1b[2J.csv:9: SKU\\r\\n1\n"
             "  critical MK-EVIL [marketing] title\\x1b[8m: 'Nike' \\x1b[5min\\x08 title\n"
             "    | Nike\\x1b]0;pwned\\x07 shoes \\x1b[31mred\\r\\u009b2J \\u202edlrow\\xff\n"
             "    | ^~~~\n"
             "  fix: Remove\\x1b[0m it\\x07\n"
             "in\\x1b[2J.csv:10: error: bad \\x1b[1mrow\\u2066\n"
             "x\\x9b.csv: error: cannot open \\x1b[H\n"));
    run_close(&run);
}

/* ---- accounting and failures ----------------------------------------------- */

static void test_totals_account_for_every_record(void **state)
{
    struct run run;
    run_open(&run, 0);
    ipr_finding fs[3] = {
        finding(&rule_hw, "brand", "Nike", 0, 4, "m"),
        finding(&rule_mk, "title", "replica", 0, 7, "m"),
        finding(&rule_mk, "bullets[1]", "replica", 0, 7, "m"),
    };
    fs[2].severity = IPR_SEV_INFO;
    feed(&run, "a.csv", 2, 0, "1", NULL, fs, 3);
    feed(&run, "a.csv", 3, 1, "2", NULL, fs + 1, 1);
    feed(&run, "a.csv", 4, 2, "3", NULL, NULL, 0);
    feed(&run, "a.csv", 5, 3, "4", "bad row", NULL, 0);
    ipr_report_totals t;
    reporter_totals(run.r, &t);
    assert_int_equal(t.records, 4);
    assert_int_equal(t.clean, 1);
    assert_int_equal(t.flagged, 2);
    assert_int_equal(t.error, 1);
    assert_int_equal(t.records, t.clean + t.flagged + t.error);
    assert_int_equal(t.findings, 4);
    assert_int_equal(t.findings_by_severity[IPR_SEV_HIGH], 2);
    assert_int_equal(t.findings_by_severity[IPR_SEV_MEDIUM], 1);
    assert_int_equal(t.findings_by_severity[IPR_SEV_INFO], 1);
    assert_int_equal(t.findings_by_severity[IPR_SEV_CRITICAL], 0);

    struct report_stage_counts c;
    reporter_stage_counts(run.r, IPR_STAGE_HEADWAY, &c);
    assert_int_equal(c.checks, 1);
    assert_int_equal(c.passed, 2);
    assert_int_equal(c.flagged, 1);
    reporter_stage_counts(run.r, IPR_STAGE_MARKETING, &c);
    assert_int_equal(c.checks, 2);
    assert_int_equal(c.passed, 1);
    assert_int_equal(c.flagged, 2);
    reporter_stage_counts(run.r, IPR_STAGE_PAYMENT, &c);
    assert_int_equal(c.checks, 0);
    assert_int_equal(c.passed, 3);
    assert_int_equal(c.flagged, 0);
    run_close(&run);
}

static void test_write_failure_is_eio_and_sticky(void **state)
{
    struct run run;
    run_open(&run, 0);
    run.sink.fail_from = 1;
    ipr_finding f = finding(&rule_mk, "title", "replica", 0, 7, "m");
    struct report_record rec = {.file = "a.csv", .line = 2, .index = 0, .key = "1"};
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_OK);
    assert_int_equal(reporter_add_finding(run.r, &f), IPR_OK);
    assert_int_equal(reporter_end_record(run.r), IPR_EIO);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_EIO);
    assert_int_equal(reporter_add_input_error(run.r, "b.csv", "x"), IPR_EIO);
    assert_int_equal(reporter_finish(run.r), IPR_EIO);
    assert_int_equal(run.sink.calls, 1);
    ipr_report_totals t;
    reporter_totals(run.r, &t);
    assert_int_equal(t.records, 1);
    assert_int_equal(t.flagged, 1);
    run_close(&run);

    /* a failure while writing the summary */
    run_open(&run, 0);
    run.sink.fail_from = 2;
    feed(&run, "a.csv", 2, 0, "1", NULL, &f, 1);
    assert_int_equal(reporter_finish(run.r), IPR_EIO);
    assert_int_equal(run.sink.calls, 2);
    run_close(&run);
}

static void test_calls_out_of_order_are_rejected(void **state)
{
    struct run run;
    run_open(&run, 0);
    ipr_finding f = finding(&rule_mk, "title", "replica", 0, 7, "m");
    struct report_record rec = {.file = "a.csv", .line = 2, .index = 0, .key = "1"};
    struct report_record bad = {.file = "a.csv", .line = 3, .index = 1, .key = "2", .error = "x"};

    assert_int_equal(reporter_add_finding(run.r, &f), IPR_EINVAL);
    assert_int_equal(reporter_end_record(run.r), IPR_EINVAL);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_OK);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_EINVAL);
    assert_int_equal(reporter_add_input_error(run.r, "b.csv", "x"), IPR_EINVAL);
    assert_int_equal(reporter_finish(run.r), IPR_EINVAL);
    ipr_finding no_rule = f;
    no_rule.rule = NULL;
    assert_int_equal(reporter_add_finding(run.r, &no_rule), IPR_EINVAL);
    ipr_finding bad_sev = f;
    bad_sev.severity = (ipr_severity)IPR_SEV_COUNT;
    assert_int_equal(reporter_add_finding(run.r, &bad_sev), IPR_EINVAL);
    assert_int_equal(reporter_end_record(run.r), IPR_OK);

    /* an error record has no findings */
    assert_int_equal(reporter_begin_record(run.r, &bad), IPR_OK);
    assert_int_equal(reporter_add_finding(run.r, &f), IPR_EINVAL);
    assert_int_equal(reporter_end_record(run.r), IPR_OK);

    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_int_equal(reporter_finish(run.r), IPR_EINVAL);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_EINVAL);
    ipr_report_totals t;
    reporter_totals(run.r, &t);
    assert_int_equal(t.records, 2);
    assert_int_equal(t.clean, 1);
    assert_int_equal(t.error, 1);
    run_close(&run);
}

static void test_constructor_checks_its_arguments(void **state)
{
    struct report_meta m = meta_with(0);
    struct sink s = {0};
    struct ipr_reporter *r = (struct ipr_reporter *)&s;
    assert_int_equal(reporter_new(IPR_REPORT_TEXT, &m, NULL, &s, &r), IPR_EINVAL);
    assert_null(r);
    assert_int_equal(reporter_new(IPR_REPORT_TEXT, NULL, sink_write, &s, &r), IPR_EINVAL);
    assert_int_equal(reporter_new((ipr_report_format)99, &m, sink_write, &s, &r), IPR_EUNSUPPORTED);
    assert_null(r);
    m.fail_on = (ipr_severity)IPR_SEV_COUNT;
    assert_int_equal(reporter_new(IPR_REPORT_TEXT, &m, sink_write, &s, &r), IPR_EINVAL);
    reporter_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flagged_record_is_compiler_style),
        cmocka_unit_test(test_colour_marks_severity_rule_and_caret),
        cmocka_unit_test(test_several_findings_follow_one_header),
        cmocka_unit_test(test_caret_counts_wide_characters_twice),
        cmocka_unit_test(test_caret_ignores_combining_marks),
        cmocka_unit_test(test_caret_counts_escapes_as_shown),
        cmocka_unit_test(test_window_centres_evidence_in_long_value),
        cmocka_unit_test(test_window_gives_unused_side_to_the_other),
        cmocka_unit_test(test_window_never_splits_characters),
        cmocka_unit_test(test_window_keeps_combining_marks_with_their_base),
        cmocka_unit_test(test_evidence_wider_than_window_is_cut),
        cmocka_unit_test(test_window_of_huge_value_reads_only_near_evidence),
        cmocka_unit_test(test_empty_span_names_the_field_only),
        cmocka_unit_test(test_error_records_are_one_line_each),
        cmocka_unit_test(test_colour_marks_errors),
        cmocka_unit_test(test_quiet_prints_the_summary_only),
        cmocka_unit_test(test_listing_text_never_reaches_the_terminal_raw),
        cmocka_unit_test(test_totals_account_for_every_record),
        cmocka_unit_test(test_write_failure_is_eio_and_sticky),
        cmocka_unit_test(test_calls_out_of_order_are_rejected),
        cmocka_unit_test(test_constructor_checks_its_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
