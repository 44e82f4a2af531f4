/*
 * test_cli_suppress.c - suppressions files: every problem reported with
 * its position, expiry checked against the scan's date, matching by
 * fingerprint or by rule and key pattern, and the unused-entry report.
 *
 * The program's files are not part of the library, so this test compiles
 * the ones it checks (suppress.c and the baseline.c and output.c it uses).
 * Messages go to a memory stream and are compared as text.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cli/baseline.c"
#include "cli/output.c"
#include "cli/suppress.c"

struct messages {
    FILE *f;
    char *text;
    size_t len;
};

static void messages_open(struct messages *m)
{
    m->text = NULL;
    m->len = 0;
    m->f = open_memstream(&m->text, &m->len);
    assert_non_null(m->f);
}

static const char *messages_text(struct messages *m)
{
    fflush(m->f);
    return m->text ? m->text : "";
}

static void messages_close(struct messages *m)
{
    fclose(m->f);
    free(m->text);
}

static bool parse(struct suppressions *s, const char *yaml, const char *today, struct messages *m)
{
    messages_open(m);
    return suppressions_parse(s, "sup.yaml", yaml, strlen(yaml), today, m->f);
}

static const char good[] = "suppressions:\n"
                           "  - fingerprint: 0123456789ABCDEF\n"
                           "    reason: the seller owns the mark\n"
                           "    owner: legal@example.com\n"
                           "    expires: 2025-06-30\n"
                           "  - rule: MK-GIFT\n"
                           "    key: 'B07-*'\n"
                           "    reason: gift sets are fine here\n"
                           "  - rule: MK-GIFT\n"
                           "    key: '*'\n"
                           "    reason: second entry for the same rule\n"
                           "  - rule: PY-EMAIL\n"
                           "    key: '*'\n"
                           "    reason: reviewed last year\n"
                           "    expires: 2025-06-29\n"
                           "  - rule: HW-NEVER\n"
                           "    key: 'X?'\n"
                           "    reason: matches nothing\n";

static void test_good_file_loads_every_field(void **state)
{
    struct suppressions s;
    struct messages m;
    assert_true(parse(&s, good, "2025-06-30", &m));
    assert_int_equal(s.count, 5);
    const struct suppression *e = &s.items[0];
    assert_true(e->by_fingerprint && e->fingerprint == 0x0123456789abcdefull);
    assert_string_equal(e->reason, "the seller owns the mark");
    assert_string_equal(e->owner, "legal@example.com");
    assert_string_equal(e->expires, "2025-06-30");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->col, 5);
    assert_false(e->expired); /* valid through its last day */
    assert_string_equal(s.items[1].rule, "MK-GIFT");
    assert_string_equal(s.items[1].key_glob, "B07-*");
    assert_null(s.items[1].owner);
    assert_true(s.items[3].expired);
    /* the expired entry is reported with its position and date */
    assert_string_equal(messages_text(&m), "sup.yaml:12: suppression expired on 2025-06-29\n");
    messages_close(&m);
    suppressions_release(&s);
}

static void test_matching_and_unused_entries(void **state)
{
    struct suppressions s;
    struct messages m;
    assert_true(parse(&s, good, "2025-06-30", &m));
    /* by fingerprint, whatever the rule and key */
    struct suppression *hit = suppressions_match(&s, "ANY", "any key", "0123456789abcdef");
    assert_ptr_equal(hit, &s.items[0]);
    /* by rule and key pattern; the first entry that matches takes it */
    assert_ptr_equal(suppressions_match(&s, "MK-GIFT", "B07-123", "1111111111111111"), &s.items[1]);
    assert_ptr_equal(suppressions_match(&s, "MK-GIFT", "A/1", "1111111111111111"), &s.items[2]);
    /* the rule must be equal, not a prefix */
    assert_null(suppressions_match(&s, "MK-GIFTS", "B07-1", "1111111111111111"));
    /* an expired entry no longer applies */
    assert_null(suppressions_match(&s, "PY-EMAIL", "B07-1", "1111111111111111"));
    assert_int_equal(s.items[0].matched, 1);
    assert_int_equal(s.items[1].matched, 1);
    assert_int_equal(suppressions_matched(&s), 3);

    /* unused: in force and hid nothing; the expired one is not listed again */
    struct messages unused;
    messages_open(&unused);
    assert_int_equal(suppressions_report_unused(&s, unused.f), 1);
    assert_string_equal(messages_text(&unused), "sup.yaml:16: suppression matched no finding\n");
    messages_close(&unused);
    messages_close(&m);
    suppressions_release(&s);
}

static void expect_errors(const char *yaml, const char *want)
{
    struct suppressions s;
    struct messages m;
    assert_false(parse(&s, yaml, "2025-01-01", &m));
    assert_string_equal(messages_text(&m), want);
    assert_int_equal(s.count, 0); /* nothing applies from a file with errors */
    assert_null(suppressions_match(&s, "R", "K", "0123456789abcdef"));
    messages_close(&m);
    suppressions_release(&s);
}

static void test_every_problem_has_a_position(void **state)
{
    expect_errors("suppressions:\n"
                  "  - fingerprint: 0123\n"
                  "    reason: x\n"
                  "  - rule: MK-GIFT\n"
                  "    reasn: typo\n"
                  "  - rule: MK-GIFT\n"
                  "    key: '*'\n"
                  "    fingerprint: 0123456789abcdef\n"
                  "    reason: '  '\n"
                  "    expires: 2025-02-29\n"
                  "  - just text\n"
                  "  - key: [a, b]\n"
                  "    reason: r\n"
                  "  - fingerprint: 0123456789abcdef\n",
                  "sup.yaml:2:18: error: 'fingerprint' must be 16 hex digits, not '0123'\n"
                  "sup.yaml:4:5: error: missing 'key' (a pattern on the record key; '*' for "
                  "every record)\n"
                  "sup.yaml:4:5: error: missing required key 'reason'\n"
                  "sup.yaml:5:5: error: unknown key 'reasn' (fingerprint, rule, key, reason, "
                  "expires, owner)\n"
                  "sup.yaml:6:5: error: a suppression names a 'fingerprint' or a 'rule' and a "
                  "'key', not both\n"
                  "sup.yaml:9:13: error: 'reason' is empty\n"
                  "sup.yaml:10:14: error: 'expires' must be a date YYYY-MM-DD, not '2025-02-29'\n"
                  "sup.yaml:11:5: error: a suppression must be a mapping, not a scalar\n"
                  "sup.yaml:12:5: error: missing 'rule' (the rule id the suppression is for)\n"
                  "sup.yaml:12:10: error: 'key' must be text, not a sequence\n"
                  "sup.yaml:14:5: error: missing required key 'reason'\n");
    expect_errors("- rule: X\n", "sup.yaml:1:1: error: expected a mapping with 'suppressions:', "
                                 "not a sequence\n");
    expect_errors("suppressions: {rule: X}\nextra: 1\n",
                  "sup.yaml:1:15: error: 'suppressions' must be a list, not a mapping\n"
                  "sup.yaml:2:1: error: unknown key 'extra' (suppressions)\n");
    /* the YAML reader's own checks apply: syntax, aliases */
    expect_errors("suppressions:\n  - &a {rule: X, key: '*', reason: r}\n  - *a\n",
                  "sup.yaml:2:5: error: anchor '&a' is not allowed in a rule pack\n"
                  "sup.yaml:3:5: error: alias '*a' is not allowed in a rule pack\n");
    struct suppressions s;
    struct messages m;
    assert_false(parse(&s, "suppressions: [\n", "2025-01-01", &m));
    assert_true(strncmp(messages_text(&m), "sup.yaml:", 9) == 0);
    assert_non_null(strstr(messages_text(&m), ": error: "));
    messages_close(&m);
    suppressions_release(&s);
}

static void test_dates_are_real_calendar_days(void **state)
{
    assert_true(is_date("2024-02-29", 10)); /* leap year */
    assert_false(is_date("2023-02-29", 10));
    assert_true(is_date("2000-02-29", 10));
    assert_false(is_date("1900-02-29", 10));
    assert_false(is_date("2024-13-01", 10));
    assert_false(is_date("2024-04-31", 10));
    assert_false(is_date("2024-4-1", 8));
    assert_false(is_date("2024/04/01", 10));
}

static void test_empty_file_suppresses_nothing(void **state)
{
    struct suppressions s;
    struct messages m;
    assert_true(parse(&s, "", "2025-01-01", &m));
    assert_int_equal(s.count, 0);
    messages_close(&m);
    suppressions_release(&s);
    assert_true(parse(&s, "suppressions:\n", "2025-01-01", &m));
    assert_int_equal(s.count, 0);
    assert_string_equal(messages_text(&m), "");
    messages_close(&m);
    suppressions_release(&s);
}

static void test_missing_file_is_an_error(void **state)
{
    struct suppressions s;
    struct messages m;
    messages_open(&m);
    assert_false(suppressions_load(&s, "/nonexistent/sup.yaml", "2025-01-01", m.f));
    assert_string_equal(messages_text(&m), "/nonexistent/sup.yaml: error: cannot read the "
                                           "suppressions file: No such file or directory\n");
    messages_close(&m);
    suppressions_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file_loads_every_field),
        cmocka_unit_test(test_matching_and_unused_entries),
        cmocka_unit_test(test_every_problem_has_a_position),
        cmocka_unit_test(test_dates_are_real_calendar_days),
        cmocka_unit_test(test_empty_file_suppresses_nothing),
        cmocka_unit_test(test_missing_file_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
