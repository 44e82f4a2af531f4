/*
 * test_report_csv.c - one row per finding, for spreadsheets.
 *
 * The fixture's run must give exactly the golden bytes: BOM, header, CRLF
 * rows, unchecked records as rows of their own.  Cells are parsed back
 * with an RFC 4180 reader to check the quoting, and every cell that a
 * spreadsheet would run as a formula must come out with a leading quote.
 */
#include "report_fixture.h"

#define BOM "\xef\xbb\xbf"

static const char golden[] =
    BOM "key,file,line,stage,rule,severity,field,evidence,message,fix,fingerprint\r\n"
        "SKU-1,listings.csv,2,marketing,MK-COUNTERFEIT,critical,title,Replica,'Replica' in title "
        "describes a copy,Remove the wording.,0123456789abcdef\r\n"
        "SKU-1,listings.csv,2,marketing,MK-COUNTERFEIT,critical,title,replica,'replica' in title "
        "describes a copy,Remove the wording.,0123456789abcdef\r\n"
        "SKU-1,listings.csv,2,payment,PY-EMAIL,high,description,seller@example.com,description "
        "contains an e-mail address,,fedcba9876543210\r\n"
        "2,listings.csv,4,,,error,,,unterminated quoted field,,\r\n"
        ",missing.csv,0,,,error,,,cannot read input: gone,,\r\n"
        "SKU-4,listings.csv,6,,,incomplete,,,a regex hit its match limit,,\r\n"
        "SKU-4,listings.csv,6,marketing,MK-GIFT,low,title,Gift,Gift,,00000000000000ff\r\n";

static void test_rows_match_the_contract(void **state)
{
    struct run run;
    assert_string_equal(fx_report(&run, IPR_REPORT_CSV), golden);
    run_close(&run);
}

/* RFC 4180 reader: the rows of text (after the BOM) as cells joined by
 * '|' and rows by '\n', for comparison; fails on malformed quoting. */
static void parse_csv(const char *text, struct buf *out)
{
    const char *p = text;
    assert_true(strncmp(p, BOM, 3) == 0);
    p += 3;
    while (*p) {
        size_t cells = 0;
        for (;;) {
            if (cells++)
                assert_int_equal(buf_append_char(out, '|'), IPR_OK);
            if (*p == '"') {
                for (p++;; p++) {
                    assert_true(*p != '\0');
                    if (*p == '"' && p[1] == '"')
                        p++;
                    else if (*p == '"')
                        break;
                    assert_int_equal(buf_append_char(out, *p), IPR_OK);
                }
                p++;
                assert_true(*p == ',' || *p == '\r');
            } else {
                for (; *p != ',' && *p != '\r'; p++) {
                    assert_true(*p != '\0' && *p != '"' && *p != '\n');
                    assert_int_equal(buf_append_char(out, *p), IPR_OK);
                }
            }
            if (*p == ',') {
                p++;
                continue;
            }
            assert_true(p[0] == '\r' && p[1] == '\n');
            p += 2;
            break;
        }
        assert_int_equal(cells, 11);
        assert_int_equal(buf_append_char(out, '\n'), IPR_OK);
    }
}

static const char *one_row(const char *key, const char *field, const char *matched,
                           const char *message, struct run *run, struct buf *cells)
{
    run_open(run, IPR_REPORT_CSV);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].field = field;
    fs[0].matched = matched;
    fs[0].matched_len = strlen(matched);
    fs[0].message = message;
    fx_feed(run, "a.csv", 2, 0, key, NULL, NULL, fs, 1);
    assert_int_equal(reporter_finish(run->r), IPR_OK);
    buf_init(cells, 0);
    parse_csv(buf_str(&run->sink.out), cells);
    const char *rows = buf_str(cells);
    return strchr(rows, '\n') + 1; /* after the header */
}

static void test_quoting_round_trips(void **state)
{
    struct run run;
    struct buf cells;
    const char *row = one_row("K,1", "title", "say \"hi\", ok", "a \"quoted\" word", &run, &cells);
    assert_string_equal(row, "K,1|a.csv|2|marketing|MK-COUNTERFEIT|critical|title|say \"hi\", "
                             "ok|a \"quoted\" word|Remove the wording.|0123456789abcdef\n");
    assert_non_null(strstr(buf_str(&run.sink.out), "\"K,1\",a.csv,"));
    assert_non_null(strstr(buf_str(&run.sink.out), ",\"say \"\"hi\"\", ok\","));
    buf_release(&cells);
    run_close(&run);
}

static void test_line_breaks_and_controls_are_visible(void **state)
{
    struct run run;
    struct buf cells;
    const char *row =
        one_row("K", "title", "two\nlines\r\x1b[31m", "bidi \xe2\x80\xae \xff", &run, &cells);
    assert_string_equal(row, "K|a.csv|2|marketing|MK-COUNTERFEIT|critical|title|"
                             "two\\nlines\\r\\x1b[31m|bidi \\u202e \\xff|Remove the "
                             "wording.|0123456789abcdef\n");
    buf_release(&cells);
    run_close(&run);
}

static void test_formulas_are_neutralized(void **state)
{
    static const char *const risky[] = {
        "=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"};
    static const char *const shown[] = {
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-2+3", "'@SUM(A1)", "' cmd", "'\\r=1"};
    for (size_t i = 0; i < sizeof risky / sizeof risky[0]; i++) {
        struct run run;
        struct buf cells;
        const char *row = one_row(risky[i], risky[i], risky[i], risky[i], &run, &cells);
        char want[512];
        snprintf(want, sizeof want,
                 "%s|a.csv|2|marketing|MK-COUNTERFEIT|critical|%s|%s|%s|Remove the "
                 "wording.|0123456789abcdef\n",
                 shown[i], shown[i], shown[i], shown[i]);
        assert_string_equal(row, want);
        buf_release(&cells);
        run_close(&run);
    }
    /* a formula character later in the cell is harmless and kept */
    struct run run;
    struct buf cells;
    const char *row = one_row("a=b", "x-y", "1+1", "mail@x", &run, &cells);
    static const char kept[] = "a=b|a.csv|2|marketing|MK-COUNTERFEIT|critical|x-y|1+1|mail@x|";
    assert_true(strncmp(row, kept, sizeof kept - 1) == 0);
    buf_release(&cells);
    run_close(&run);
}

static void test_empty_run_has_the_header(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_CSV);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    assert_string_equal(buf_str(&run.sink.out),
                        BOM "key,file,line,stage,rule,severity,field,evidence,message,fix,"
                            "fingerprint\r\n");
    run_close(&run);
}

static void test_every_row_parses(void **state)
{
    struct run run;
    struct buf cells;
    buf_init(&cells, 0);
    parse_csv(fx_report(&run, IPR_REPORT_CSV), &cells);
    assert_int_equal(count_substr(buf_str(&cells), "\n"), 1 + 7);
    buf_release(&cells);
    run_close(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_match_the_contract),
        cmocka_unit_test(test_quoting_round_trips),
        cmocka_unit_test(test_line_breaks_and_controls_are_visible),
        cmocka_unit_test(test_formulas_are_neutralized),
        cmocka_unit_test(test_empty_run_has_the_header),
        cmocka_unit_test(test_every_row_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
