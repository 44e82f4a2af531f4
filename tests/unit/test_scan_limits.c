/*
 * test_scan_limits.c - the run-time limits through the public API: a value
 * over max_field_bytes is checked up to the cap and the scan says the
 * record is incomplete, whether or not the risky words sit before the
 * cap; regex budgets set per scanner; ranges and refusals.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scan_helper.h"
#include "temp_file.h"

#define PACK                                                                                       \
    "pack: t\nstage: marketing\nversion: '1'\ntitle: test\nrules:\n"                               \
    "  - id: T-REPLICA\n    title: replica\n    severity: high\n    fields: ['*']\n"               \
    "    match: {terms: [replica]}\n"                                                              \
    "  - id: T-BACKTRACK\n    title: backtracking\n    severity: high\n    fields: [title]\n"      \
    "    match: {regex: '(a|aa)*c'}\n"

struct scan_out {
    size_t findings;
    char rule[64];
    size_t span_start;
};

static int collect(const ipr_finding *f, void *user)
{
    struct scan_out *o = user;
    if (o->findings++ == 0) {
        snprintf(o->rule, sizeof(o->rule), "%s", f->rule->id);
        o->span_start = f->span_start;
    }
    return 0;
}

/* Writes text to a temporary file; the caller unlinks and frees the path. */
static char *temp_file(const char *text)
{
    char *path = strdup("/tmp/iprcheck-limits-XXXXXX"); /* CSV by its content */
    assert_non_null(path);
    temp_file_write(path, text, strlen(text));
    return path;
}

static ipr_ruleset *compile_or_fail(void)
{
    char diag[256];
    ipr_ruleset *rs = compile_pack(PACK, diag, sizeof(diag));
    if (!rs)
        fail_msg("pack did not compile: %s", diag);
    return rs;
}

static void test_limit_ranges(void **state)
{
    (void)state;
    uint64_t def = 0, max = 0;
    assert_int_equal(ipr_limit_range(IPR_LIMIT_FIELD_BYTES, &def, &max), IPR_OK);
    assert_int_equal(def, 1048576);
    assert_int_equal(max, 8388608);
    assert_int_equal(ipr_limit_range(IPR_LIMIT_RECORD_BYTES, &def, &max), IPR_OK);
    assert_int_equal(def, 16777216);
    assert_int_equal(max, 268435456);
    assert_int_equal(ipr_limit_range(IPR_LIMIT_REGEX_MATCH, &def, &max), IPR_OK);
    assert_int_equal(def, 1000000);
    assert_int_equal(max, 100000000);
    assert_int_equal(ipr_limit_range(IPR_LIMIT_REGEX_DEPTH, &def, &max), IPR_OK);
    assert_int_equal(def, 10000);
    assert_int_equal(max, 1000000);
    assert_int_equal(ipr_limit_range((ipr_limit)99, &def, &max), IPR_EINVAL);
}

static void test_options_check_refuses_caps_above_ceiling(void **state)
{
    (void)state;
    char msg[200] = "";
    ipr_reader_options o = {.message = msg, .message_len = sizeof(msg), .max_field_bytes = 4096};
    assert_int_equal(ipr_reader_options_check(&o), IPR_OK);
    o.max_record_bytes = 268435457;
    assert_int_equal(ipr_reader_options_check(&o), IPR_EINVAL);
    assert_string_equal(msg,
                        "a record cap of 268435457 bytes is above the limit of 268435456 bytes");
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_ex("/dev/null", &o, &r), IPR_EINVAL);
    assert_null(r);
}

/* Risky word before the cap: found, and the record is still incomplete;
 * after the cap: not found, and the record is incomplete, never clean. */
static void test_cut_field_makes_the_scan_incomplete(void **state)
{
    (void)state;
    char filler[1500];
    memset(filler, 'z', sizeof(filler) - 1);
    filler[sizeof(filler) - 1] = '\0';
    size_t text_len = 3 * sizeof(filler) + 200;
    char *text = malloc(text_len);
    assert_non_null(text);
    snprintf(text, text_len,
             "sku,title,description\nA1,mug,replica %s\nA2,mug,%s replica\nA3,mug,plain\n", filler,
             filler);
    char *path = temp_file(text);
    ipr_ruleset *rs = compile_or_fail();
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    ipr_reader_options o = {.max_field_bytes = 1024};
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_ex(path, &o, &r), IPR_OK);

    const ipr_record *rec = NULL;
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    const char *why = "field 'description' is 1507 bytes; only the first 1024 were checked";
    assert_string_equal(ipr_record_incomplete(rec), why);
    struct scan_out out = {0};
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_int_equal(out.findings, 1);
    assert_string_equal(out.rule, "T-REPLICA");
    assert_string_equal(ipr_scanner_incomplete(s), why);
    ipr_record *copy = NULL;
    assert_int_equal(ipr_record_clone(rec, &copy), IPR_OK);
    assert_string_equal(ipr_record_incomplete(copy), why);
    ipr_record_free(copy);

    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    memset(&out, 0, sizeof(out));
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_int_equal(out.findings, 0);
    assert_string_equal(ipr_scanner_incomplete(s),
                        "field 'description' is 1507 bytes; only the first 1024 were checked");
    ipr_result *res = NULL;
    assert_int_equal(ipr_result_new(&res), IPR_OK);
    assert_int_equal(ipr_scanner_scan_result(s, rec, res), IPR_OK);
    assert_int_equal(ipr_result_finding_count(res), 0);
    assert_non_null(ipr_result_incomplete(res));

    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    assert_null(ipr_record_incomplete(rec));
    assert_int_equal(ipr_scanner_scan_result(s, rec, res), IPR_OK);
    assert_null(ipr_result_incomplete(res));
    assert_null(ipr_scanner_incomplete(s));

    ipr_result_free(res);
    ipr_reader_free(r);
    ipr_scanner_free(s);
    ipr_ruleset_free(rs);
    unlink(path);
    free(path);
    free(text);
}

static void test_scanner_regex_limits(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_or_fail();
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    /* 22 a's before the 'c': thousands of backtracking steps at the start */
    const char *text = "sku,title\nB1,aaaaaaaaaaaaaaaaaaaaaab then c\n";
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_mem("b.csv", text, strlen(text), IPR_INPUT_CSV, &r), IPR_OK);
    const ipr_record *rec = NULL;
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);

    struct scan_out out = {0};
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_int_equal(out.findings, 1);
    assert_null(ipr_scanner_incomplete(s));

    ipr_scan_limits tight = {.regex_match_limit = 1000};
    assert_int_equal(ipr_scanner_set_limits(s, &tight), IPR_OK);
    memset(&out, 0, sizeof(out));
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_int_equal(out.findings, 0);
    assert_string_equal(ipr_scanner_incomplete(s), "a regex hit its match limit");

    /* refused values change nothing */
    ipr_scan_limits too_high = {.regex_match_limit = 100000001};
    assert_int_equal(ipr_scanner_set_limits(s, &too_high), IPR_EINVAL);
    ipr_scan_limits too_deep = {.regex_depth_limit = 1000001};
    assert_int_equal(ipr_scanner_set_limits(s, &too_deep), IPR_EINVAL);
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_non_null(ipr_scanner_incomplete(s));

    assert_int_equal(ipr_scanner_set_limits(s, NULL), IPR_OK);
    memset(&out, 0, sizeof(out));
    assert_int_equal(ipr_scanner_scan(s, rec, collect, &out), IPR_OK);
    assert_int_equal(out.findings, 1);
    assert_null(ipr_scanner_incomplete(s));
    assert_int_equal(ipr_scanner_set_limits(NULL, NULL), IPR_EINVAL);

    ipr_reader_free(r);
    ipr_scanner_free(s);
    ipr_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_ranges),
        cmocka_unit_test(test_options_check_refuses_caps_above_ceiling),
        cmocka_unit_test(test_cut_field_makes_the_scan_incomplete),
        cmocka_unit_test(test_scanner_regex_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
