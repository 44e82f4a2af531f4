/*
 * test_report_github.c - GitHub Actions workflow commands.
 *
 * The fixture's run must give exactly the golden lines (level per
 * severity, file/line/col/title properties, message, fix, unchecked
 * records, the closing accounting notice).  Listing text must never add a
 * line or a command: a title carrying "\n::set-output name=x::y" or
 * "%0A::error::" still yields one line per finding, and every line is one
 * of the commands this format writes.
 */
#include "report_fixture.h"

static const char golden[] =
    "::error file=listings.csv,line=2,col=7,title=MK-COUNTERFEIT::SKU-1 title: 'Replica' in "
    "title describes a copy (critical, marketing)%0AFix: Remove the wording.\n"
    "::error file=listings.csv,line=2,col=7,title=MK-COUNTERFEIT::SKU-1 title: 'replica' in "
    "title describes a copy (critical, marketing)%0AFix: Remove the wording.\n"
    "::error file=listings.csv,line=2,title=PY-EMAIL::SKU-1 description: description contains "
    "an e-mail address (high, payment)\n"
    "::error file=listings.csv,line=4,title=iprcheck%3A record not checked::2: unterminated "
    "quoted field\n"
    "::error file=missing.csv,title=iprcheck%3A record not checked::cannot read input: gone\n"
    "::warning file=listings.csv,line=6,title=iprcheck%3A record not fully checked::SKU-4: a "
    "regex hit its match limit\n"
    "::notice file=listings.csv,line=6,col=7,title=MK-GIFT::SKU-4 title: Gift (low, marketing)\n"
    "::notice title=iprcheck::records 5 = clean 1 + flagged 1 + incomplete 1 + error 2; "
    "findings 4 (critical 2, high 1, medium 0, low 1, info 0); fail-on high\n";

static void test_lines_match_the_contract(void **state)
{
    struct run run;
    assert_string_equal(fx_report(&run, IPR_REPORT_GITHUB), golden);
    run_close(&run);
}

static void test_severity_picks_the_command(void **state)
{
    static const char *const want[IPR_SEV_COUNT] = {
        [IPR_SEV_INFO] = "::notice ",    [IPR_SEV_LOW] = "::notice ",
        [IPR_SEV_MEDIUM] = "::warning ", [IPR_SEV_HIGH] = "::error ",
        [IPR_SEV_CRITICAL] = "::error ",
    };
    for (int sev = 0; sev < IPR_SEV_COUNT; sev++) {
        struct run run;
        run_open(&run, IPR_REPORT_GITHUB);
        ipr_finding fs[3];
        fx_findings(fs);
        fs[0].severity = (ipr_severity)sev;
        fx_feed(&run, "a.csv", 2, 0, "K", NULL, NULL, fs, 1);
        const char *out = buf_str(&run.sink.out);
        assert_true(strncmp(out, want[sev], strlen(want[sev])) == 0);
        run_close(&run);
    }
}

/* Every line is one command this format writes; returns the line count. */
static size_t check_lines(const char *out)
{
    size_t lines = 0;
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every line ends */
        assert_true(strncmp(p, "::error ", 8) == 0 || strncmp(p, "::warning ", 10) == 0 ||
                    strncmp(p, "::notice ", 9) == 0);
        for (const char *c = p; c < nl; c++)
            assert_true(*c != '\r' && *c != '\x1b'); /* no other line end, no escapes */
        lines++;
        p = nl + 1;
    }
    return lines;
}

static void test_listing_text_cannot_inject_commands(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_GITHUB);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].message = "Nice\n::set-output name=x::y";
    fs[1].message = "Nice%0A::error::pwned\r::warning::x";
    fs[2].field = "a,b:c\n::notice::f";
    fx_feed(&run, "dir,1/a:b%0A.csv", 2, 0, "K\r\n::error::k", NULL, NULL, fs, 3);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    assert_int_equal(check_lines(out), 3 + 1); /* three findings and the summary */
    assert_null(strstr(out, "\n::set-output"));
    assert_null(strstr(out, "\n::error::"));
    /* properties: % first, then : and , */
    assert_non_null(strstr(out, "file=dir%2C1/a%3Ab%250A.csv,line=2,"));
    /* message data: %, and the line breaks made visible before escaping */
    assert_non_null(strstr(out, "::K\\r\\n::error::k title: Nice\\n::set-output name=x::y"));
    assert_non_null(strstr(out, "Nice%250A::error::pwned\\r::warning::x"));
    assert_non_null(strstr(out, "K\\r\\n::error::k a,b:c\\n::notice::f: description contains"));
    run_close(&run);
}

static void test_escape_codes_are_made_visible(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_GITHUB);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].message = "\x1b[31mred\x1b[0m \xe2\x80\xae \xff";
    fx_feed(&run, "a.csv", 2, 0, "K", NULL, NULL, fs, 1);
    const char *out = buf_str(&run.sink.out);
    assert_int_equal(check_lines(out), 1);
    assert_non_null(strstr(out, "title: \\x1b[31mred\\x1b[0m \\u202e \\xff (critical"));
    run_close(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_match_the_contract),
        cmocka_unit_test(test_severity_picks_the_command),
        cmocka_unit_test(test_listing_text_cannot_inject_commands),
        cmocka_unit_test(test_escape_codes_are_made_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
