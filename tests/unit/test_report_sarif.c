/*
 * test_report_sarif.c - the SARIF 2.1.0 log.
 *
 * The fixture's run is parsed back with jansson and checked against the
 * contract: the driver lists every rule with its texts, help and level;
 * each result names its rule by id and index, maps the severity to a level,
 * locates the field physically (relative, escaped URI; line; column when
 * known) and logically (KEY/FIELD), and carries both fingerprints; records
 * that were not (fully) checked are execution notifications; the run's
 * properties carry the accounting, the rules' sha256 and the version.
 * Schema validity of real scans is checked by tests/sarif/validate.sh.
 */
#include <jansson.h>

#include "base/limits.h"
#include "report_fixture.h"

static json_t *parse(const struct buf *b)
{
    json_error_t err;
    json_t *doc = json_loadb(b->data, b->len, 0, &err);
    if (!doc)
        fail_msg("invalid JSON at line %d: %s", err.line, err.text);
    return doc;
}

static const char *str_at(json_t *v, const char *path)
{
    json_t *cur = v;
    char key[64];
    for (const char *p = path; cur && *p;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        memcpy(key, p, n);
        key[n] = '\0';
        if (key[0] >= '0' && key[0] <= '9')
            cur = json_array_get(cur, (size_t)strtoul(key, NULL, 10));
        else
            cur = json_object_get(cur, key);
        p += n + (dot ? 1 : 0);
    }
    if (!json_is_string(cur))
        fail_msg("'%s' is not a string", path);
    return json_string_value(cur);
}

static json_int_t int_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        fail_msg("'%s' is not an integer", key);
    return json_integer_value(v);
}

static json_t *run_of(json_t *doc)
{
    return json_array_get(json_object_get(doc, "runs"), 0);
}

static json_t *results_of(json_t *doc)
{
    return json_object_get(run_of(doc), "results");
}

static json_t *driver_rules(json_t *doc)
{
    return json_object_get(json_object_get(json_object_get(run_of(doc), "tool"), "driver"),
                           "rules");
}

static void test_log_and_driver(void **state)
{
    struct run run;
    fx_report(&run, IPR_REPORT_SARIF);
    json_t *doc = parse(&run.sink.out);
    assert_string_equal(str_at(doc, "version"), "2.1.0");
    assert_non_null(strstr(str_at(doc, "$schema"), "sarif-schema-2.1.0.json"));
    assert_int_equal(json_array_size(json_object_get(doc, "runs")), 1);
    json_t *driver = json_object_get(json_object_get(run_of(doc), "tool"), "driver");
    assert_string_equal(str_at(driver, "name"), "iprcheck");
    assert_string_equal(str_at(driver, "version"), "0.1.0");
    assert_string_equal(str_at(driver, "semanticVersion"), "0.1.0");
    assert_true(strncmp(str_at(driver, "informationUri"), "https://", 8) == 0);

    /* every rule that ran, in order, even those without results */
    json_t *rules = driver_rules(doc);
    assert_int_equal(json_array_size(rules), 3);
    json_t *mk = json_array_get(rules, 0);
    assert_string_equal(str_at(mk, "id"), "MK-COUNTERFEIT");
    assert_string_equal(str_at(mk, "name"), "MkCounterfeit");
    assert_string_equal(str_at(mk, "shortDescription.text"), fx_rule_mk.title);
    assert_string_equal(str_at(mk, "fullDescription.text"), fx_rule_mk.description);
    assert_string_equal(str_at(mk, "help.text"),
                        "'{match}' in {field} describes a copy\n\nFix: Remove the wording.");
    /* markdown renders rule text as written and links the URL */
    const char *md = str_at(mk, "help.markdown");
    assert_true(strncmp(md, "'{match}' in {field} describes a copy", 37) == 0);
    assert_non_null(strstr(md, "**Fix:** Remove the wording."));
    assert_non_null(strstr(md, "<https://example.com/policy/counterfeit%20goods>"));
    /* the first reference that is a URL, made a valid URI */
    assert_string_equal(str_at(mk, "helpUri"), "https://example.com/policy/counterfeit%20goods");
    assert_string_equal(str_at(mk, "defaultConfiguration.level"), "error");
    assert_string_equal(str_at(mk, "properties.stage"), "marketing");
    assert_string_equal(str_at(mk, "properties.severity"), "critical");
    assert_string_equal(str_at(mk, "properties.tags.0"), "marketing");
    assert_string_equal(str_at(mk, "properties.pack"), "test-marketing");

    /* no description: the title stands in; no message: the title; no URL: no helpUri */
    json_t *pay = json_array_get(rules, 1);
    assert_string_equal(str_at(pay, "fullDescription.text"), fx_rule_pay.title);
    assert_string_equal(str_at(pay, "help.text"), fx_rule_pay.title);
    assert_null(json_object_get(pay, "helpUri"));
    assert_string_equal(str_at(pay, "defaultConfiguration.level"), "error");
    json_t *gift = json_array_get(rules, 2);
    assert_string_equal(str_at(gift, "defaultConfiguration.level"), "note");
    assert_string_equal(str_at(gift, "help.text"), "{match}");
    json_decref(doc);
    run_close(&run);
}

static void test_results_locate_and_fingerprint(void **state)
{
    struct run run;
    fx_report(&run, IPR_REPORT_SARIF);
    json_t *doc = parse(&run.sink.out);
    json_t *results = results_of(doc);
    assert_int_equal(json_array_size(results), 4);
    json_t *rules = driver_rules(doc);
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *res = json_array_get(results, i);
        json_t *rule = json_array_get(rules, (size_t)int_at(res, "ruleIndex"));
        assert_string_equal(str_at(res, "ruleId"), str_at(rule, "id"));
    }

    json_t *r0 = json_array_get(results, 0);
    assert_string_equal(str_at(r0, "ruleId"), "MK-COUNTERFEIT");
    assert_int_equal(int_at(r0, "ruleIndex"), 0);
    assert_string_equal(str_at(r0, "level"), "error");
    assert_string_equal(str_at(r0, "message.text"), "'Replica' in title describes a copy");
    json_t *loc = json_array_get(json_object_get(r0, "locations"), 0);
    assert_string_equal(str_at(loc, "physicalLocation.artifactLocation.uri"), "listings.csv");
    json_t *region = json_object_get(json_object_get(loc, "physicalLocation"), "region");
    assert_int_equal(int_at(region, "startLine"), 2);
    assert_int_equal(int_at(region, "startColumn"), 7);
    assert_string_equal(str_at(loc, "logicalLocations.0.fullyQualifiedName"), "SKU-1/title");
    assert_string_equal(str_at(loc, "logicalLocations.0.name"), "title");
    assert_string_equal(str_at(loc, "logicalLocations.0.kind"), "member");
    assert_string_equal(str_at(r0, "partialFingerprints.iprcheckFingerprint/v1"),
                        "0123456789abcdef");
    assert_string_equal(str_at(r0, "partialFingerprints.primaryLocationLineHash"),
                        "0123456789abcdef:1");
    assert_string_equal(str_at(r0, "properties.stage"), "marketing");
    assert_string_equal(str_at(r0, "properties.severity"), "critical");
    assert_string_equal(str_at(r0, "properties.matched"), "Replica");
    assert_string_equal(str_at(r0, "properties.key"), "SKU-1");
    json_t *conf = json_object_get(json_object_get(r0, "properties"), "confidence");
    assert_true(json_is_real(conf) && json_real_value(conf) == 1.0);

    /* the same evidence again: same fingerprint, next occurrence */
    json_t *r1 = json_array_get(results, 1);
    assert_string_equal(str_at(r1, "partialFingerprints.primaryLocationLineHash"),
                        "0123456789abcdef:2");

    /* no column known: none given; trademark details in the properties */
    json_t *r2 = json_array_get(results, 2);
    assert_string_equal(str_at(r2, "level"), "error"); /* high */
    assert_string_equal(str_at(r2, "message.text"), "description contains an e-mail address");
    json_t *region2 = json_object_get(
        json_object_get(json_array_get(json_object_get(r2, "locations"), 0), "physicalLocation"),
        "region");
    assert_int_equal(int_at(region2, "startLine"), 2);
    assert_null(json_object_get(region2, "startColumn"));
    assert_string_equal(str_at(r2, "properties.mark"), "Example");
    assert_string_equal(str_at(r2, "properties.owner"), "Example, Inc.");
    assert_string_equal(str_at(r2, "properties.match_kind"), "exact");

    json_t *r3 = json_array_get(results, 3); /* low, in the incomplete record */
    assert_string_equal(str_at(r3, "level"), "note");
    json_decref(doc);
    run_close(&run);
}

static void test_unchecked_records_are_notifications(void **state)
{
    struct run run;
    fx_report(&run, IPR_REPORT_SARIF);
    json_t *doc = parse(&run.sink.out);
    json_t *inv = json_array_get(json_object_get(run_of(doc), "invocations"), 0);
    assert_true(json_is_true(json_object_get(inv, "executionSuccessful")));
    json_t *notes = json_object_get(inv, "toolExecutionNotifications");
    assert_int_equal(json_array_size(notes), 3);

    json_t *row = json_array_get(notes, 0);
    assert_string_equal(str_at(row, "level"), "error");
    assert_string_equal(str_at(row, "message.text"), "unterminated quoted field");
    assert_string_equal(str_at(row, "descriptor.id"), "record-error");
    assert_string_equal(str_at(row, "locations.0.physicalLocation.artifactLocation.uri"),
                        "listings.csv");
    assert_int_equal(
        int_at(json_object_get(json_object_get(json_array_get(json_object_get(row, "locations"), 0),
                                               "physicalLocation"),
                               "region"),
               "startLine"),
        4);

    /* a whole file: no line to point at */
    json_t *file = json_array_get(notes, 1);
    assert_string_equal(str_at(file, "locations.0.physicalLocation.artifactLocation.uri"),
                        "missing.csv");
    assert_null(json_object_get(
        json_object_get(json_array_get(json_object_get(file, "locations"), 0), "physicalLocation"),
        "region"));

    json_t *cut = json_array_get(notes, 2);
    assert_string_equal(str_at(cut, "level"), "warning");
    assert_string_equal(str_at(cut, "descriptor.id"), "record-incomplete");
    assert_string_equal(str_at(cut, "message.text"), "a regex hit its match limit");
    assert_string_equal(str_at(cut, "properties.key"), "SKU-4");

    /* the descriptors they point to exist */
    json_t *driver = json_object_get(json_object_get(run_of(doc), "tool"), "driver");
    json_t *descs = json_object_get(driver, "notifications");
    assert_string_equal(str_at(descs, "0.id"), "record-error");
    assert_string_equal(str_at(descs, "1.id"), "record-incomplete");

    /* the accounting, the rules and the version travel with the log */
    json_t *props = json_object_get(run_of(doc), "properties");
    assert_string_equal(str_at(props, "rules_sha256"), fx_sha);
    assert_string_equal(str_at(props, "tool_version"), "0.1.0");
    json_t *sum = json_object_get(props, "summary");
    assert_int_equal(int_at(sum, "records"), 5);
    assert_int_equal(int_at(sum, "clean"), 1);
    assert_int_equal(int_at(sum, "flagged"), 1);
    assert_int_equal(int_at(sum, "incomplete"), 1);
    assert_int_equal(int_at(sum, "error"), 2);
    assert_int_equal(int_at(sum, "findings"), 4);
    json_decref(doc);
    run_close(&run);
}

static const char *uri_of(const char *file, const char *field, const char *key)
{
    static char out[256];
    struct run run;
    run_open(&run, IPR_REPORT_SARIF);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].field = field;
    fx_feed(&run, file, 9, 0, key, NULL, NULL, fs, 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    json_t *loc =
        json_array_get(json_object_get(json_array_get(results_of(doc), 0), "locations"), 0);
    snprintf(out, sizeof out, "%s|%s|%s", str_at(loc, "physicalLocation.artifactLocation.uri"),
             str_at(loc, "logicalLocations.0.fullyQualifiedName"),
             str_at(loc, "logicalLocations.0.kind"));
    json_decref(doc);
    run_close(&run);
    return out;
}

static void test_uris_are_escaped_references(void **state)
{
    assert_string_equal(uri_of("listings.csv", "title", "K"), "listings.csv|K/title|member");
    assert_string_equal(uri_of("./exports/my file#2.csv", "title", "K"),
                        "exports/my%20file%232.csv|K/title|member");
    assert_string_equal(uri_of("a:b/Ünï.csv", "bullets[2]", "K"),
                        "a%3Ab/%C3%9Cn%C3%AF.csv|K/bullets[2]|member");
    assert_string_equal(uri_of("/srv/feeds/a b.csv", "", "K 1"),
                        "file:///srv/feeds/a%20b.csv|K 1|object");
}

static void test_rule_outside_the_meta_is_listed(void **state)
{
    /* a finding of a rule the meta does not list still gets a valid ruleIndex */
    struct run run;
    run_open_meta(&run, IPR_REPORT_SARIF, fx_rules, 1);
    ipr_finding fs[3];
    fx_findings(fs);
    fx_feed(&run, "x.csv", 2, 0, "K", NULL, NULL, &fs[2], 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    assert_int_equal(json_array_size(driver_rules(doc)), 2);
    json_t *res = json_array_get(results_of(doc), 0);
    assert_int_equal(int_at(res, "ruleIndex"), 1);
    assert_string_equal(str_at(json_array_get(driver_rules(doc), 1), "id"), "PY-EMAIL");
    json_decref(doc);
    run_close(&run);
}

static void test_long_description_is_capped(void **state)
{
    char text[3000];
    size_t n = 0;
    while (n + 2 < 2600) { /* "é" is two bytes, one character */
        text[n++] = '\xc3';
        text[n++] = '\xa9';
    }
    text[n] = '\0';
    ipr_rule_info rule = fx_rule_mk;
    rule.description = text;
    const ipr_rule_info *rules[] = {&rule};
    struct run run;
    run_open_meta(&run, IPR_REPORT_SARIF, rules, 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    const char *full = str_at(json_array_get(driver_rules(doc), 0), "fullDescription.text");
    size_t chars = 0;
    for (const char *p = full; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    assert_int_equal(chars, IPR_REPORT_SARIF_TEXT_CHARS);
    assert_non_null(strstr(full, "\xe2\x80\xa6")); /* ends in an ellipsis */
    json_decref(doc);
    run_close(&run);
}

static void test_listing_text_is_valid_and_inert(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_SARIF);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].message = "bad \xff byte, \xe2\x80\xae override, \x1b[31m escape";
    fx_feed(&run, "x.csv", 2, 0, "K\xfe", NULL, NULL, fs, 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_null(strchr(out, '\x1b'));
    assert_non_null(strstr(out, "\\u202E override"));
    json_t *doc = parse(&run.sink.out);
    assert_string_equal(str_at(json_array_get(results_of(doc), 0), "message.text"),
                        "bad \xef\xbf\xbd byte, \xe2\x80\xae override, \x1b[31m escape");
    json_decref(doc);
    run_close(&run);
}

static void test_help_markdown_shows_rule_text_as_written(void **state)
{
    ipr_rule_info rule = fx_rule_mk;
    rule.message = "Use *no* [links] <b> or `code` 1. here";
    rule.fix = "a_b | c";
    const ipr_rule_info *rules[] = {&rule};
    struct run run;
    run_open_meta(&run, IPR_REPORT_SARIF, rules, 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    json_t *r0 = json_array_get(driver_rules(doc), 0);
    assert_string_equal(str_at(r0, "help.markdown"),
                        "Use \\*no\\* \\[links\\] \\<b\\> or \\`code\\` 1\\. here\n\n"
                        "**Fix:** a\\_b \\| c\n\nReferences:\n\n"
                        "- 15 U.S.C. § 1114\n"
                        "- <https://example.com/policy/counterfeit%20goods>");
    assert_string_equal(str_at(r0, "help.text"),
                        "Use *no* [links] <b> or `code` 1. here\n\nFix: a_b | c");
    json_decref(doc);
    run_close(&run);
}

static void test_output_is_deterministic(void **state)
{
    struct run a, b;
    fx_report(&a, IPR_REPORT_SARIF);
    fx_report(&b, IPR_REPORT_SARIF);
    assert_int_equal(a.sink.out.len, b.sink.out.len);
    assert_memory_equal(a.sink.out.data, b.sink.out.data, a.sink.out.len);
    run_close(&a);
    run_close(&b);
}

static void test_empty_run_is_a_complete_log(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_SARIF);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    json_t *doc = parse(&run.sink.out);
    assert_int_equal(json_array_size(results_of(doc)), 0);
    assert_int_equal(json_array_size(driver_rules(doc)), 3);
    assert_string_equal(str_at(run_of(doc), "columnKind"), "unicodeCodePoints");
    json_decref(doc);
    run_close(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_and_driver),
        cmocka_unit_test(test_results_locate_and_fingerprint),
        cmocka_unit_test(test_unchecked_records_are_notifications),
        cmocka_unit_test(test_uris_are_escaped_references),
        cmocka_unit_test(test_rule_outside_the_meta_is_listed),
        cmocka_unit_test(test_long_description_is_capped),
        cmocka_unit_test(test_listing_text_is_valid_and_inert),
        cmocka_unit_test(test_help_markdown_shows_rule_text_as_written),
        cmocka_unit_test(test_output_is_deterministic),
        cmocka_unit_test(test_empty_run_is_a_complete_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
