/*
 * test_report_json.c - the json document, the jsonl stream and the summary
 * line.
 *
 * The same hand-built run (a flagged record with two findings, a clean
 * record, an unparseable row and an unreadable file) goes through both
 * formats.  The document is parsed back with jansson and checked field by
 * field; key order and the jsonl lines are checked against golden text;
 * two runs must give identical bytes; listing text that is not valid UTF-8
 * or that a terminal would act on must survive as escaped, valid JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <jansson.h>

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

static const char *const mk_refs[] = {"https://example.com/policy/counterfeit", "15 U.S.C. § 1114"};

static const ipr_rule_info rule_mk = {
    .id = "MK-COUNTERFEIT",
    .title = "Counterfeit vocabulary in listing text",
    .stage = IPR_STAGE_MARKETING,
    .severity = IPR_SEV_HIGH,
    .fix = "Remove the wording.",
    .references = mk_refs,
    .reference_count = 2,
};

static const ipr_rule_info rule_hw = {
    .id = "HW-BRAND-MISMATCH",
    .title = "Declared brand differs from the listing brand",
    .stage = IPR_STAGE_HEADWAY,
    .severity = IPR_SEV_MEDIUM,
    .fix = NULL,
};

static const ipr_rule_info *const all_rules[] = {&rule_hw, &rule_mk};

static const char sha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

struct run {
    struct sink sink;
    struct report_meta meta;
    struct ipr_reporter *r;
};

static void run_open(struct run *run, ipr_report_format format)
{
    memset(run, 0, sizeof *run);
    buf_init(&run->sink.out, 0);
    run->meta = (struct report_meta){
        .tool_version = "0.1.0",
        .rules_sha256 = sha,
        .rules = all_rules,
        .rule_count = IPR_ARRAY_LEN(all_rules),
        .stage_rule_count = {[IPR_STAGE_HEADWAY] = 1, [IPR_STAGE_MARKETING] = 2},
        .fail_on = IPR_SEV_HIGH,
    };
    assert_int_equal(reporter_new(format, &run->meta, sink_write, &run->sink, &run->r), IPR_OK);
}

static void run_close(struct run *run)
{
    reporter_free(run->r);
    buf_release(&run->sink.out);
}

static const char brand_value[] = "N\xffke";

static void make_findings(ipr_finding fs[2])
{
    static const char title[] = "Replica Nike shoes";
    fs[0] = (ipr_finding){
        .rule = &rule_mk,
        .severity = IPR_SEV_HIGH,
        .confidence = 0.9,
        .field = "title",
        .value = title,
        .value_len = sizeof title - 1,
        .line = 2,
        .col = 5,
        .span_start = 0,
        .span_end = 7,
        .matched = title,
        .matched_len = 7,
        .message = "'Replica' tells buyers the goods are a copy",
        .fingerprint = "0123456789abcdef",
    };
    fs[1] = (ipr_finding){
        .rule = &rule_hw,
        .severity = IPR_SEV_MEDIUM,
        .confidence = 0.75,
        .field = "brand",
        .value = brand_value,
        .value_len = sizeof brand_value - 1,
        .line = 2,
        .col = 0,
        .span_start = 0,
        .span_end = 4,
        .matched = brand_value,
        .matched_len = 4,
        .message = "look-alike \xe2\x80\xae of \x1b[1mNike",
        .fingerprint = "fedcba9876543210",
        .mark = "Nike",
        .owner = "Nike, Inc.",
        .match_kind = "confusable",
    };
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

/* A flagged record, a clean one, an unparseable row, an unreadable file. */
static void feed_scenario(struct run *run)
{
    ipr_finding fs[2];
    make_findings(fs);
    feed(run, "listings.csv", 2, 0, "SKU-1", NULL, fs, 2);
    feed(run, "listings.csv", 3, 1, "SKU-2", NULL, NULL, 0);
    feed(run, "listings.csv", 4, 2, "2", "unterminated quoted field", NULL, 0);
    assert_int_equal(
        reporter_add_input_error(run->r, "missing.csv", "cannot open 'missing.csv': No such file"),
        IPR_OK);
}

static json_t *parse(const struct buf *b)
{
    json_error_t err;
    json_t *doc = json_loadb(b->data, b->len, 0, &err);
    if (!doc)
        fail_msg("invalid JSON at line %d: %s", err.line, err.text);
    return doc;
}

static void assert_json_str(json_t *obj, const char *key, const char *want)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        fail_msg("'%s' is not a string", key);
    assert_string_equal(json_string_value(v), want);
}

static void assert_json_int(json_t *obj, const char *key, json_int_t want)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        fail_msg("'%s' is not an integer", key);
    assert_int_equal(json_integer_value(v), want);
}

/* ---- json ----------------------------------------------------------------- */

static void test_document_holds_run_summary_findings_and_errors(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSON);
    feed_scenario(&run);
    assert_int_equal(run.sink.out.len, 0); /* nothing until finish */
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);

    json_t *tool = json_object_get(doc, "tool");
    assert_json_str(tool, "name", "iprcheck");
    assert_json_str(tool, "version", "0.1.0");
    assert_json_str(doc, "rules_sha256", sha);

    json_t *sum = json_object_get(doc, "summary");
    assert_json_int(sum, "records", 4);
    assert_json_int(sum, "clean", 1);
    assert_json_int(sum, "flagged", 1);
    assert_json_int(sum, "error", 2);
    assert_json_int(sum, "findings", 2);
    json_t *by_sev = json_object_get(sum, "by_severity");
    assert_json_int(by_sev, "info", 0);
    assert_json_int(by_sev, "medium", 1);
    assert_json_int(by_sev, "high", 1);
    assert_json_int(by_sev, "critical", 0);
    json_t *stages = json_object_get(sum, "stages");
    assert_int_equal(json_array_size(stages), IPR_STAGE_COUNT);
    assert_json_str(json_array_get(stages, 0), "stage", "headway");
    assert_json_int(json_array_get(stages, 0), "checks", 1);
    assert_json_int(json_array_get(stages, 0), "passed", 1);
    assert_json_int(json_array_get(stages, 0), "flagged", 1);
    assert_json_str(json_array_get(stages, 2), "stage", "payment");
    assert_json_int(json_array_get(stages, 2), "checks", 0);
    assert_json_int(json_array_get(stages, 2), "passed", 2);
    assert_json_int(json_array_get(stages, 3), "checks", 2);
    assert_json_str(sum, "fail_on", "high");

    json_t *findings = json_object_get(doc, "findings");
    assert_int_equal(json_array_size(findings), 2);
    json_t *f = json_array_get(findings, 0);
    assert_json_str(f, "rule", "MK-COUNTERFEIT");
    assert_json_str(f, "title", "Counterfeit vocabulary in listing text");
    assert_json_str(f, "stage", "marketing");
    assert_json_str(f, "severity", "high");
    assert_true(json_is_real(json_object_get(f, "confidence")));
    assert_true(json_real_value(json_object_get(f, "confidence")) == 0.9);
    assert_json_str(f, "file", "listings.csv");
    assert_json_int(f, "line", 2);
    assert_json_int(f, "column", 5);
    assert_json_int(f, "index", 0);
    assert_json_str(f, "key", "SKU-1");
    assert_json_str(f, "field", "title");
    json_t *span = json_object_get(f, "span");
    assert_int_equal(json_array_size(span), 2);
    assert_int_equal(json_integer_value(json_array_get(span, 0)), 0);
    assert_int_equal(json_integer_value(json_array_get(span, 1)), 7);
    assert_json_str(f, "matched", "Replica");
    assert_json_str(f, "message", "'Replica' tells buyers the goods are a copy");
    assert_json_str(f, "fix", "Remove the wording.");
    json_t *refs = json_object_get(f, "references");
    assert_int_equal(json_array_size(refs), 2);
    assert_string_equal(json_string_value(json_array_get(refs, 1)), "15 U.S.C. § 1114");
    assert_json_str(f, "fingerprint", "0123456789abcdef");
    assert_null(json_object_get(f, "mark"));
    assert_null(json_object_get(f, "owner"));
    assert_null(json_object_get(f, "match_kind"));

    f = json_array_get(findings, 1);
    assert_json_str(f, "rule", "HW-BRAND-MISMATCH");
    assert_null(json_object_get(f, "column")); /* column 0: unknown */
    assert_json_str(f, "fix", "");
    assert_int_equal(json_array_size(json_object_get(f, "references")), 0);
    assert_json_str(f, "mark", "Nike");
    assert_json_str(f, "owner", "Nike, Inc.");
    assert_json_str(f, "match_kind", "confusable");

    json_t *errors = json_object_get(doc, "errors");
    assert_int_equal(json_array_size(errors), 2);
    json_t *e = json_array_get(errors, 0);
    assert_json_str(e, "file", "listings.csv");
    assert_json_int(e, "line", 4);
    assert_json_int(e, "index", 2);
    assert_json_str(e, "key", "2");
    assert_json_str(e, "message", "unterminated quoted field");
    e = json_array_get(errors, 1);
    assert_json_str(e, "file", "missing.csv");
    assert_json_int(e, "line", 0);
    assert_json_int(e, "index", 0);
    assert_json_str(e, "key", "");
    assert_json_str(e, "message", "cannot open 'missing.csv': No such file");

    json_decref(doc);
    run_close(&run);
}

static void test_document_keys_are_in_contract_order(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSON);
    feed_scenario(&run);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    static const char *const keys[] = {
        "{\n  \"tool\": {",  "\n  \"rules_sha256\": ", "\n  \"summary\": {", "\n  \"findings\": [",
        "\n  \"errors\": [", "\n  \"incomplete\": [",  "\n  \"inputs\": ["};
    const char *prev = out;
    for (size_t i = 0; i < IPR_ARRAY_LEN(keys); i++) {
        const char *at = strstr(out, keys[i]);
        if (!at || at < prev)
            fail_msg("top-level key %zu out of place", i);
        prev = at;
    }
    assert_int_equal(out[run.sink.out.len - 1], '\n');
    assert_int_equal(out[run.sink.out.len - 2], '}');
    run_close(&run);
}

static void test_listing_text_stays_valid_and_inert(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSON);
    feed_scenario(&run);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    size_t len = run.sink.out.len;
    assert_null(memchr(out, 0x1b, len));
    assert_null(memchr(out, '\xff', len));
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_non_null(strstr(out, "\"message\": \"look-alike \\u202E of \\u001B[1mNike\""));

    json_t *doc = parse(&run.sink.out);
    json_t *f = json_array_get(json_object_get(doc, "findings"), 1);
    /* the invalid byte became U+FFFD; everything else is kept */
    assert_json_str(f, "matched", "N\xef\xbf\xbdke");
    assert_json_str(f, "message", "look-alike \xe2\x80\xae of \x1b[1mNike");
    json_decref(doc);
    run_close(&run);
}

static void test_empty_run_is_a_complete_document(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSON);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    assert_json_int(json_object_get(doc, "summary"), "records", 0);
    assert_int_equal(json_array_size(json_object_get(doc, "findings")), 0);
    assert_int_equal(json_array_size(json_object_get(doc, "errors")), 0);
    json_decref(doc);
    run_close(&run);
}

static void assert_deterministic(ipr_report_format format)
{
    struct run a, b;
    run_open(&a, format);
    run_open(&b, format);
    feed_scenario(&a);
    feed_scenario(&b);
    assert_int_equal(reporter_finish(a.r), IPR_OK);
    assert_int_equal(reporter_finish(b.r), IPR_OK);
    assert_true(a.sink.out.len > 0);
    assert_int_equal(a.sink.out.len, b.sink.out.len);
    assert_memory_equal(a.sink.out.data, b.sink.out.data, a.sink.out.len);
    run_close(&a);
    run_close(&b);
}

static void test_output_is_byte_identical_across_runs(void **state)
{
    assert_deterministic(IPR_REPORT_JSON);
    assert_deterministic(IPR_REPORT_JSONL);
    assert_deterministic(IPR_REPORT_TEXT);
}

static void test_summary_line_is_compact_json(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSONL);
    feed_scenario(&run);
    struct buf line;
    buf_init(&line, 0);
    assert_int_equal(report_summary_json(run.r, &line), IPR_OK);
    assert_string_equal(
        buf_str(&line),
        "{\"records\":4,\"clean\":1,\"flagged\":1,\"incomplete\":0,\"error\":2,\"findings\":2,"
        "\"by_severity\":{\"info\":0,\"low\":0,\"medium\":1,\"high\":1,\"critical\":0},"
        "\"stages\":[{\"stage\":\"headway\",\"checks\":1,\"passed\":1,\"flagged\":1},"
        "{\"stage\":\"tailing\",\"checks\":0,\"passed\":2,\"flagged\":0},"
        "{\"stage\":\"payment\",\"checks\":0,\"passed\":2,\"flagged\":0},"
        "{\"stage\":\"marketing\",\"checks\":2,\"passed\":1,\"flagged\":1},"
        "{\"stage\":\"warehousing\",\"checks\":0,\"passed\":2,\"flagged\":0}],"
        "\"fail_on\":\"high\"}\n");
    assert_int_equal(report_summary_json(NULL, &line), IPR_EINVAL);
    buf_release(&line);
    run_close(&run);
}

static void test_meta_is_copied(void **state)
{
    struct sink s = {0};
    buf_init(&s.out, 0);
    char version[] = "9.9.9", sum[] = "abc";
    const ipr_rule_info *rules[] = {&rule_mk};
    struct report_meta m = {
        .tool_version = version,
        .rules_sha256 = sum,
        .rules = rules,
        .rule_count = 1,
        .fail_on = IPR_SEV_LOW,
    };
    struct ipr_reporter *r = NULL;
    assert_int_equal(reporter_new(IPR_REPORT_JSON, &m, sink_write, &s, &r), IPR_OK);
    memset(version, 'x', sizeof version - 1);
    memset(sum, 'y', sizeof sum - 1);
    rules[0] = NULL;
    memset(&m, 0xff, sizeof m);
    assert_int_equal(reporter_finish(r), IPR_OK);
    json_t *doc = parse(&s.out);
    assert_json_str(json_object_get(doc, "tool"), "version", "9.9.9");
    assert_json_str(doc, "rules_sha256", "abc");
    assert_json_str(json_object_get(doc, "summary"), "fail_on", "low");
    json_decref(doc);
    reporter_free(r);
    buf_release(&s.out);
}

/* ---- jsonl ---------------------------------------------------------------- */

static size_t count_lines(const struct buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

static void test_jsonl_streams_one_line_per_record_in_order(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSONL);
    ipr_finding fs[2];
    make_findings(fs);
    feed(&run, "listings.csv", 2, 0, "SKU-1", NULL, fs, 2);
    assert_int_equal(count_lines(&run.sink.out), 1);
    feed(&run, "listings.csv", 3, 1, "SKU-2", NULL, NULL, 0);
    assert_int_equal(count_lines(&run.sink.out), 2);
    feed(&run, "listings.csv", 4, 2, "2", "unterminated quoted field", NULL, 0);
    assert_int_equal(count_lines(&run.sink.out), 3);
    assert_int_equal(reporter_add_input_error(run.r, "missing.csv", "cannot open"), IPR_OK);
    assert_int_equal(count_lines(&run.sink.out), 4);
    size_t before = run.sink.out.len;
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_int_equal(run.sink.out.len, before); /* no summary line */

    assert_string_equal(
        buf_str(&run.sink.out),
        "{\"key\":\"SKU-1\",\"file\":\"listings.csv\",\"line\":2,\"index\":0,\"status\":"
        "\"flagged\",\"findings\":[{\"rule\":\"MK-COUNTERFEIT\",\"title\":\"Counterfeit "
        "vocabulary in listing text\",\"stage\":\"marketing\",\"severity\":\"high\","
        "\"confidence\":0.9,\"file\":\"listings.csv\",\"line\":2,\"column\":5,\"index\":0,"
        "\"key\":\"SKU-1\",\"field\":\"title\",\"span\":[0,7],\"matched\":\"Replica\","
        "\"message\":\"'Replica' tells buyers the goods are a copy\",\"fix\":\"Remove the "
        "wording.\",\"references\":[\"https://example.com/policy/counterfeit\",\"15 U.S.C. § "
        "1114\"],\"fingerprint\":\"0123456789abcdef\"},{\"rule\":\"HW-BRAND-MISMATCH\","
        "\"title\":\"Declared brand differs from the listing brand\",\"stage\":\"headway\","
        "\"severity\":\"medium\",\"confidence\":0.75,\"file\":\"listings.csv\",\"line\":2,"
        "\"index\":0,\"key\":\"SKU-1\",\"field\":\"brand\",\"span\":[0,4],\"matched\":"
        "\"N\xef\xbf\xbdke\",\"message\":\"look-alike \\u202E of \\u001B[1mNike\",\"fix\":"
        "\"\",\"references\":[],\"fingerprint\":\"fedcba9876543210\",\"mark\":\"Nike\","
        "\"owner\":\"Nike, Inc.\",\"match_kind\":\"confusable\"}]}\n"
        "{\"key\":\"SKU-2\",\"file\":\"listings.csv\",\"line\":3,\"index\":1,\"status\":"
        "\"clean\",\"findings\":[]}\n"
        "{\"key\":\"2\",\"file\":\"listings.csv\",\"line\":4,\"index\":2,\"status\":\"error\","
        "\"error\":\"unterminated quoted field\",\"findings\":[]}\n"
        "{\"key\":\"\",\"file\":\"missing.csv\",\"line\":0,\"index\":0,\"status\":\"error\","
        "\"error\":\"cannot open\",\"findings\":[]}\n");
    run_close(&run);
}

static void test_jsonl_lines_parse_one_by_one(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSONL);
    feed_scenario(&run);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    static const char *const want_status[] = {"flagged", "clean", "error", "error"};
    const char *p = run.sink.out.data;
    const char *end = p + run.sink.out.len;
    size_t n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        json_error_t err;
        json_t *line = json_loadb(p, (size_t)(nl - p), 0, &err);
        assert_non_null(line);
        assert_true(n < IPR_ARRAY_LEN(want_status));
        assert_json_str(line, "status", want_status[n]);
        assert_json_int(line, "index", n < 3 ? (json_int_t)n : 0);
        assert_true(json_is_array(json_object_get(line, "findings")));
        assert_int_equal(json_object_get(line, "error") != NULL, n >= 2);
        json_decref(line);
        p = nl + 1;
        n++;
    }
    assert_int_equal(n, 4);
    run_close(&run);
}

/* ---- failures -------------------------------------------------------------- */

static void test_write_failure_is_eio_without_leaks(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JSON);
    run.sink.fail_from = 1;
    feed_scenario(&run); /* buffered: nothing is written yet */
    assert_int_equal(reporter_finish(run.r), IPR_EIO);
    assert_int_equal(run.sink.calls, 1);
    run_close(&run);

    run_open(&run, IPR_REPORT_JSONL);
    run.sink.fail_from = 2;
    ipr_finding fs[2];
    make_findings(fs);
    struct report_record rec = {.file = "a.jsonl", .line = 1, .index = 0, .key = "k"};
    feed(&run, "a.jsonl", 1, 0, "k", NULL, fs, 2);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_OK);
    assert_int_equal(reporter_add_finding(run.r, &fs[0]), IPR_OK);
    assert_int_equal(reporter_end_record(run.r), IPR_EIO);
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_EIO);
    assert_int_equal(reporter_add_finding(run.r, &fs[0]), IPR_EIO);
    assert_int_equal(reporter_finish(run.r), IPR_EIO);
    assert_int_equal(run.sink.calls, 2);
    assert_int_equal(count_lines(&run.sink.out), 1);
    ipr_report_totals t;
    reporter_totals(run.r, &t);
    assert_int_equal(t.records, 2);
    run_close(&run);

    /* failing mid-record leaves copies behind for free() to release */
    run_open(&run, IPR_REPORT_JSONL);
    run.sink.fail_from = 1;
    assert_int_equal(reporter_begin_record(run.r, &rec), IPR_OK);
    assert_int_equal(reporter_add_finding(run.r, &fs[1]), IPR_OK);
    run_close(&run);
}

/* A record a limit stopped is neither clean nor flagged, in every format,
 * and the accounting still adds up. */
static void test_incomplete_records_are_accounted(void **state)
{
    (void)state;
    static const ipr_report_format formats[] = {IPR_REPORT_JSON, IPR_REPORT_JSONL, IPR_REPORT_TEXT};
    for (size_t k = 0; k < IPR_ARRAY_LEN(formats); k++) {
        struct run run;
        run_open(&run, formats[k]);
        ipr_finding fs[2];
        make_findings(fs);
        struct report_record rec = {.file = "a.csv", .line = 2, .index = 0, .key = "K1"};
        assert_int_equal(reporter_begin_record(run.r, &rec), IPR_OK);
        assert_int_equal(reporter_add_finding(run.r, &fs[0]), IPR_OK);
        assert_int_equal(reporter_set_incomplete(run.r, "a regex hit its match limit"), IPR_OK);
        assert_int_equal(reporter_end_record(run.r), IPR_OK);
        feed(&run, "a.csv", 3, 1, "K2", NULL, NULL, 0);
        assert_int_equal(reporter_add_input(run.r, "a.csv", "csv"), IPR_OK);
        assert_int_equal(reporter_finish(run.r), IPR_OK);
        ipr_report_totals t;
        reporter_totals(run.r, &t);
        assert_int_equal(t.records, 2);
        assert_int_equal(t.incomplete, 1);
        assert_int_equal(t.clean, 1);
        assert_int_equal(t.flagged, 0);
        assert_int_equal(t.records, t.clean + t.flagged + t.incomplete + t.error);
        const char *out = buf_str(&run.sink.out);
        if (formats[k] == IPR_REPORT_JSONL)
            assert_non_null(strstr(out, "\"status\":\"incomplete\""));
        else if (formats[k] == IPR_REPORT_JSON)
            assert_non_null(strstr(out, "\"message\": \"a regex hit its match limit\""));
        else
            assert_non_null(
                strstr(out, "records: 2 = clean 1 + flagged 0 + incomplete 1 + error 0"));
        assert_non_null(strstr(out, "a regex hit its match limit"));
        run_close(&run);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_holds_run_summary_findings_and_errors),
        cmocka_unit_test(test_document_keys_are_in_contract_order),
        cmocka_unit_test(test_listing_text_stays_valid_and_inert),
        cmocka_unit_test(test_empty_run_is_a_complete_document),
        cmocka_unit_test(test_output_is_byte_identical_across_runs),
        cmocka_unit_test(test_summary_line_is_compact_json),
        cmocka_unit_test(test_meta_is_copied),
        cmocka_unit_test(test_jsonl_streams_one_line_per_record_in_order),
        cmocka_unit_test(test_jsonl_lines_parse_one_by_one),
        cmocka_unit_test(test_write_failure_is_eio_without_leaks),
        cmocka_unit_test(test_incomplete_records_are_accounted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
