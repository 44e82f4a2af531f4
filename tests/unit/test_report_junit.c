/*
 * test_report_junit.c - the JUnit XML report.
 *
 * The fixture's run must give exactly the golden document (suites per
 * stage with checks, counts, one test case per record, failures listing
 * the stage's findings, unchecked records as errors).  Hostile listing
 * text (markup characters, controls, U+FFFE, bytes that are not UTF-8,
 * bidi overrides) must leave a well-formed XML 1.0 document, checked by
 * a small well-formedness scanner below: only XML characters, balanced
 * tags, quoted attributes without `<`, and `&` only in the five entities.
 */
#include "report_fixture.h"

/* ---- a strict little XML 1.0 well-formedness check ------------------------- */

/* Length of the UTF-8 character at s if it is an XML 1.0 Char, else 0. */
static size_t xml_char(const unsigned char *s)
{
    if (s[0] < 0x80)
        return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 1 : 0;
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0)
        return 0;
    uint32_t cp = s[0] & (0x7fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    bool ok = (cp >= 0x80 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
              (cp >= 0x10000 && cp <= 0x10ffff);
    return ok ? n : 0;
}

static bool at_entity(const char *p)
{
    static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++)
        if (strncmp(p, ents[i], strlen(ents[i])) == 0)
            return true;
    return false;
}

/* Fails the test at the first problem. */
static void assert_well_formed(const char *doc)
{
    const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert_true(strncmp(doc, decl, strlen(decl)) == 0);
    char stack[16][32];
    size_t depth = 0;
    bool root_seen = false;
    for (const char *p = doc + strlen(decl); *p;) {
        size_t n = xml_char((const unsigned char *)p);
        if (n == 0)
            fail_msg("not an XML character at offset %zu", (size_t)(p - doc));
        if (*p == '&') {
            if (!at_entity(p))
                fail_msg("bare '&' at offset %zu", (size_t)(p - doc));
            p++;
            continue;
        }
        if (*p == '>')
            fail_msg("'>' in text at offset %zu", (size_t)(p - doc));
        if (*p != '<') {
            if (depth == 0 && *p != '\n')
                fail_msg("text outside the root at offset %zu", (size_t)(p - doc));
            p += n;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        size_t name_len = strcspn(name, " />");
        assert_true(name_len > 0 && name_len < 32);
        const char *q = name + name_len;
        /* attributes: name="value" with no '<' and only entities for '&' */
        while (*q == ' ') {
            q++;
            q += strcspn(q, "=");
            assert_true(q[0] == '=' && q[1] == '"');
            for (q += 2; *q != '"'; q++) {
                if (*q == '\0' || *q == '<')
                    fail_msg("bad attribute value at offset %zu", (size_t)(q - doc));
                if (*q == '&' && !at_entity(q))
                    fail_msg("bare '&' in an attribute at offset %zu", (size_t)(q - doc));
                if (xml_char((const unsigned char *)q) == 0)
                    fail_msg("not an XML character at offset %zu", (size_t)(q - doc));
            }
            q++;
        }
        bool empty = q[0] == '/' && q[1] == '>';
        assert_true(empty || q[0] == '>');
        if (closing) {
            assert_true(depth > 0);
            depth--;
            assert_true(strlen(stack[depth]) == name_len &&
                        strncmp(stack[depth], name, name_len) == 0);
        } else if (!empty) {
            assert_true(depth < 16);
            if (depth == 0) {
                assert_false(root_seen);
                root_seen = true;
            }
            memcpy(stack[depth], name, name_len);
            stack[depth++][name_len] = '\0';
        }
        p = q + (empty ? 2 : 1);
    }
    assert_int_equal(depth, 0);
    assert_true(root_seen);
}

/* ---- tests ------------------------------------------------------------------- */

static const char golden[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<testsuites name=\"iprcheck\" tests=\"10\" failures=\"2\" errors=\"6\">\n"
    "  <testsuite name=\"payment\" tests=\"5\" failures=\"1\" errors=\"3\">\n"
    "    <properties>\n"
    "      <property name=\"iprcheck.version\" value=\"0.1.0\"/>\n"
    "      <property name=\"rules_sha256\" "
    "value=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"/>\n"
    "      <property name=\"checks\" value=\"1\"/>\n"
    "    </properties>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-1 (line 2) [payment]\">\n"
    "      <failure type=\"high\" message=\"1 finding, highest high\">\n"
    "high PY-EMAIL description: description contains an e-mail address\n"
    "      </failure>\n"
    "    </testcase>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-2 (line 3) [payment]\"/>\n"
    "    <testcase classname=\"listings.csv\" name=\"2 (line 4) [payment]\">\n"
    "      <error type=\"error\" message=\"unterminated quoted field\"/>\n"
    "    </testcase>\n"
    "    <testcase classname=\"missing.csv\" name=\"(whole file) [payment]\">\n"
    "      <error type=\"error\" message=\"cannot read input: gone\"/>\n"
    "    </testcase>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-4 (line 6) [payment]\">\n"
    "      <error type=\"incomplete\" message=\"not fully checked: a regex hit its match "
    "limit\"/>\n"
    "    </testcase>\n"
    "  </testsuite>\n"
    "  <testsuite name=\"marketing\" tests=\"5\" failures=\"1\" errors=\"3\">\n"
    "    <properties>\n"
    "      <property name=\"iprcheck.version\" value=\"0.1.0\"/>\n"
    "      <property name=\"rules_sha256\" "
    "value=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"/>\n"
    "      <property name=\"checks\" value=\"2\"/>\n"
    "    </properties>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-1 (line 2) [marketing]\">\n"
    "      <failure type=\"critical\" message=\"2 findings, highest critical\">\n"
    "critical MK-COUNTERFEIT title: &apos;Replica&apos; in title describes a copy\n"
    "critical MK-COUNTERFEIT title: &apos;replica&apos; in title describes a copy\n"
    "      </failure>\n"
    "    </testcase>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-2 (line 3) [marketing]\"/>\n"
    "    <testcase classname=\"listings.csv\" name=\"2 (line 4) [marketing]\">\n"
    "      <error type=\"error\" message=\"unterminated quoted field\"/>\n"
    "    </testcase>\n"
    "    <testcase classname=\"missing.csv\" name=\"(whole file) [marketing]\">\n"
    "      <error type=\"error\" message=\"cannot read input: gone\"/>\n"
    "    </testcase>\n"
    "    <testcase classname=\"listings.csv\" name=\"SKU-4 (line 6) [marketing]\">\n"
    "      <error type=\"incomplete\" message=\"not fully checked: a regex hit its match "
    "limit\">\n"
    "low MK-GIFT title: Gift\n"
    "      </error>\n"
    "    </testcase>\n"
    "  </testsuite>\n"
    "</testsuites>\n";

static void test_document_matches_the_contract(void **state)
{
    struct run run;
    const char *out = fx_report(&run, IPR_REPORT_JUNIT);
    assert_string_equal(out, golden);
    assert_well_formed(out);
    run_close(&run);
}

static void test_counts_add_up(void **state)
{
    struct run run;
    const char *out = fx_report(&run, IPR_REPORT_JUNIT);
    /* every suite has one test case per record; testsuites sums the suites */
    assert_int_equal(count_substr(out, "<testsuite "), 2);
    assert_int_equal(count_substr(out, "<testcase "), 2 * 5);
    assert_int_equal(count_substr(out, "<failure "), 2);
    assert_int_equal(count_substr(out, "<error "), 2 * 3);
    /* GitLab keys test cases by classname + name: none may repeat */
    assert_int_equal(count_substr(out, "name=\"SKU-1 (line 2) [marketing]\""), 1);
    assert_int_equal(count_substr(out, "name=\"SKU-1 (line 2) [payment]\""), 1);
    run_close(&run);
}

static void test_stage_without_checks_has_no_suite(void **state)
{
    struct run run;
    const char *out = fx_report(&run, IPR_REPORT_JUNIT);
    assert_null(strstr(out, "name=\"headway\""));
    assert_null(strstr(out, "name=\"tailing\""));
    assert_null(strstr(out, "name=\"warehousing\""));
    run_close(&run);

    /* a stage with findings is shown even when the meta lists no checks */
    run_open(&run, IPR_REPORT_JUNIT);
    run.meta.stage_rule_count[IPR_STAGE_PAYMENT] = 0;
    reporter_free(run.r);
    assert_int_equal(reporter_new(IPR_REPORT_JUNIT, &run.meta, sink_write, &run.sink, &run.r),
                     IPR_OK);
    ipr_finding fs[3];
    fx_findings(fs);
    fx_feed(&run, "a.csv", 2, 0, "K", NULL, NULL, &fs[2], 1);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    out = buf_str(&run.sink.out);
    assert_non_null(strstr(out, "<testsuite name=\"payment\" tests=\"1\" failures=\"1\""));
    run_close(&run);
}

static void test_hostile_text_stays_well_formed(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JUNIT);
    ipr_finding fs[3];
    fx_findings(fs);
    fs[0].message = "</failure><x a=\"1\">&amp; \x01\x1b[31m \xef\xbf\xbe \xff \xe2\x80\xae ]]>";
    fs[0].field = "t<i>tle";
    fx_feed(&run, "a&b\"<c>'.csv", 2, 0, "K\x02<\">&'", NULL, NULL, fs, 1);
    fx_feed(&run, "a.csv", 3, 1, "E", "bad \x7f\x85 row", NULL, NULL, 0);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    assert_well_formed(out);
    assert_non_null(strstr(out, "classname=\"a&amp;b&quot;&lt;c&gt;&apos;.csv\""));
    assert_non_null(strstr(out, "name=\"K\\x02&lt;&quot;&gt;&amp;&apos; (line 2) [marketing]\""));
    assert_non_null(strstr(out, "t&lt;i&gt;tle: &lt;/failure&gt;&lt;x a=&quot;1&quot;&gt;&amp;amp; "
                                "\\x01\\x1b[31m \\ufffe \\xff \\u202e ]]&gt;"));
    assert_non_null(strstr(out, "message=\"bad \\x7f\\x85 row\""));
    run_close(&run);
}

static void test_clean_run_passes(void **state)
{
    struct run run;
    run_open(&run, IPR_REPORT_JUNIT);
    fx_feed(&run, "a.csv", 2, 0, "K", NULL, NULL, NULL, 0);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    const char *out = buf_str(&run.sink.out);
    assert_well_formed(out);
    assert_non_null(strstr(out, "<testsuites name=\"iprcheck\" tests=\"2\" failures=\"0\" "
                                "errors=\"0\">"));
    assert_int_equal(count_substr(out, "<testcase classname=\"a.csv\" name=\"K (line 2) ["), 2);
    assert_null(strstr(out, "<failure"));
    run_close(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_matches_the_contract),
        cmocka_unit_test(test_counts_add_up),
        cmocka_unit_test(test_stage_without_checks_has_no_suite),
        cmocka_unit_test(test_hostile_text_stays_well_formed),
        cmocka_unit_test(test_clean_run_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
