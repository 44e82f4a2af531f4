/*
 * test_report_html.c - the html report's static properties, without a
 * browser: one file that loads nothing, a CSP whose hashes are those of the
 * page's script and stylesheet, listing text only inside the JSON data
 * block and never able to end it, the data a page needs (summary, rules,
 * values, spans in UTF-16 units) and identical bytes on every run.
 * tests/html/ checks the same page in Chromium.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/sha256.h"
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
    .severity = IPR_SEV_CRITICAL,
    .fix = "Remove the wording.",
    .references = mk_refs,
    .reference_count = 2,
};

static const ipr_rule_info rule_py = {
    .id = "PY-OFF-PLATFORM",
    .title = "Request to pay outside the marketplace",
    .stage = IPR_STAGE_PAYMENT,
    .severity = IPR_SEV_HIGH,
};

static const ipr_rule_info rule_unused = {
    .id = "WH-NEVER-HIT",
    .title = "A rule without findings",
    .stage = IPR_STAGE_WAREHOUSING,
    .severity = IPR_SEV_LOW,
};

static const ipr_rule_info *const all_rules[] = {&rule_mk, &rule_py, &rule_unused};

static const char sha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/* Listing text that ends a naive <script> element, opens markup, hides
 * itself in a comment or breaks a JavaScript string literal. */
static const char hostile_title[] = "</script><script>alert(1)</script> replica </SCRIPT >";
static const char hostile_desc[] = "<img src=x onerror=alert(2)> <!-- & &amp; ]]> "
                                   "\xe2\x80\xa8 \xe2\x80\xa9 \xe2\x80\xae end";

struct run {
    struct sink sink;
    struct report_meta meta;
    struct ipr_reporter *r;
};

static void run_open(struct run *run)
{
    memset(run, 0, sizeof *run);
    buf_init(&run->sink.out, 0);
    run->meta = (struct report_meta){
        .tool_version = "0.1.0",
        .rules_sha256 = sha,
        .rules = all_rules,
        .rule_count = IPR_ARRAY_LEN(all_rules),
        .stage_rule_count =
            {[IPR_STAGE_MARKETING] = 1, [IPR_STAGE_PAYMENT] = 1, [IPR_STAGE_WAREHOUSING] = 1},
        .fail_on = IPR_SEV_HIGH,
    };
    assert_int_equal(reporter_new(IPR_REPORT_HTML, &run->meta, sink_write, &run->sink, &run->r),
                     IPR_OK);
}

static void run_close(struct run *run)
{
    reporter_free(run->r);
    buf_release(&run->sink.out);
}

static ipr_finding finding(const ipr_rule_info *rule, const char *field, const char *value,
                           size_t start, size_t end)
{
    return (ipr_finding){
        .rule = rule,
        .severity = rule->severity,
        .confidence = 1.0,
        .field = field,
        .value = value,
        .value_len = strlen(value),
        .line = 2,
        .span_start = start,
        .span_end = end,
        .matched = value + start,
        .matched_len = end - start,
        .message = "found it",
        .fingerprint = "0123456789abcdef",
    };
}

static void begin(struct run *run, uint32_t line, const char *key, const char *error)
{
    struct report_record rec = {
        .file = "listings.csv", .line = line, .index = line - 2, .key = key, .error = error};
    assert_int_equal(reporter_begin_record(run->r, &rec), IPR_OK);
}

/* A hostile flagged record, a clean one, an unparseable row, an incomplete
 * record with a finding, an unreadable file. */
static void feed_scenario(struct run *run)
{
    begin(run, 2, "<b>SKU-1</b>", NULL);
    ipr_finding f = finding(&rule_mk, "title", hostile_title, 35, 42); /* "replica" */
    assert_int_equal(reporter_add_finding(run->r, &f), IPR_OK);
    f = finding(&rule_mk, "title", hostile_title, 0, 9); /* "</script>" */
    assert_int_equal(reporter_add_finding(run->r, &f), IPR_OK);
    f = finding(&rule_py, "description", hostile_desc, 0, 4);
    assert_int_equal(reporter_add_finding(run->r, &f), IPR_OK);
    assert_int_equal(reporter_end_record(run->r), IPR_OK);

    begin(run, 3, "SKU-2", NULL);
    assert_int_equal(reporter_end_record(run->r), IPR_OK); /* no finding: clean */

    begin(run, 4, "3", "unterminated quoted field </script>");
    assert_int_equal(reporter_end_record(run->r), IPR_OK);

    begin(run, 5, "SKU-4", NULL);
    f = finding(&rule_py, "description", "Pay via Western Union", 0, 21);
    assert_int_equal(reporter_add_finding(run->r, &f), IPR_OK);
    assert_int_equal(reporter_set_incomplete(run->r, "regex match limit in bullets"), IPR_OK);
    assert_int_equal(reporter_end_record(run->r), IPR_OK);

    assert_int_equal(reporter_add_input_error(run->r, "missing.csv", "cannot open 'missing.csv'"),
                     IPR_OK);
}

static void render_scenario(struct buf *page)
{
    struct run run;
    run_open(&run);
    feed_scenario(&run);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    buf_init(page, 0);
    assert_int_equal(buf_append(page, run.sink.out.data, run.sink.out.len), IPR_OK);
    run_close(&run);
}

/* ---- taking the page apart ------------------------------------------------ */

static const char data_open[] = "<script type=\"application/json\" id=\"data\">";

struct page_parts {
    const char *data; /* the JSON text of the data block */
    size_t data_len;
    const char *script; /* the text of the page's script element */
    size_t script_len;
    const char *style;
    size_t style_len;
    const char *csp; /* the CSP meta's content */
    size_t csp_len;
};

static const char *find(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= hay_len && i <= hay_len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static size_t count(const char *hay, size_t hay_len, const char *needle)
{
    size_t found = 0;
    for (const char *p = find(hay, hay_len, needle); p;
         p = find(p + 1, hay_len - (size_t)(p + 1 - hay), needle))
        found++;
    return found;
}

/* The text between open and the next close, after from. */
static const char *between(const char *from, const char *end, const char *open, const char *close,
                           size_t *len)
{
    const char *a = find(from, (size_t)(end - from), open);
    assert_non_null(a);
    a += strlen(open);
    const char *b = find(a, (size_t)(end - a), close);
    assert_non_null(b);
    *len = (size_t)(b - a);
    return a;
}

static void split(const struct buf *page, struct page_parts *p)
{
    const char *end = page->data + page->len;
    p->data = between(page->data, end, data_open, "</script>", &p->data_len);
    p->script = between(p->data + p->data_len, end, "<script>", "</script>", &p->script_len);
    p->style = between(page->data, end, "<style>", "</style>", &p->style_len);
    p->csp = between(page->data, end, "http-equiv=\"Content-Security-Policy\" content=\"", "\"",
                     &p->csp_len);
}

/* RFC 4648 base64, written apart from the one in html.c on purpose. */
static void b64(const unsigned char *in, size_t len, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        out[o++] = abc[in[i] >> 2];
        out[o++] = abc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
        out[o++] = abc[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
        out[o++] = abc[in[i + 2] & 63];
    }
    if (i < len) {
        out[o++] = abc[in[i] >> 2];
        if (i + 1 < len) {
            out[o++] = abc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
            out[o++] = abc[(in[i + 1] & 15) << 2];
        } else {
            out[o++] = abc[(in[i] & 3) << 4];
            out[o++] = '=';
        }
        out[o++] = '=';
    }
    out[o] = '\0';
}

static void csp_source(const char *text, size_t len, char *out)
{
    struct sha256 h;
    unsigned char digest[32];
    char b[64];
    sha256_init(&h);
    sha256_update(&h, text, len);
    sha256_final(&h, digest);
    b64(digest, sizeof digest, b);
    snprintf(out, 80, "'sha256-%s'", b);
}

static json_t *parse_data(const struct page_parts *p)
{
    json_error_t err;
    json_t *doc = json_loadb(p->data, p->data_len, 0, &err);
    if (!doc)
        fail_msg("data block is not JSON: %s at %d", err.text, err.position);
    return doc;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_base64_of_the_test_itself(void **state)
{
    char out[16];
    b64((const unsigned char *)"foobar", 6, out);
    assert_string_equal(out, "Zm9vYmFy");
    b64((const unsigned char *)"fooba", 5, out);
    assert_string_equal(out, "Zm9vYmE=");
    b64((const unsigned char *)"foob", 4, out);
    assert_string_equal(out, "Zm9vYg==");
}

static void test_one_file_that_loads_nothing(void **state)
{
    struct buf page;
    render_scenario(&page);
    struct page_parts p;
    split(&page, &p);
    assert_memory_equal(page.data, "<!DOCTYPE html>\n", 16);
    assert_true(page.len > 7 && strcmp(page.data + page.len - 8, "</html>\n") == 0);
    assert_int_equal(count(page.data, page.len, "<script"), 2);
    assert_int_equal(count(page.data, page.len, "<style"), 1);

    /* Outside the data block the page is fixed text: no URL, no attribute
     * or CSS construct that would make the browser fetch something. */
    const char *data_end = p.data + p.data_len;
    const struct {
        const char *at;
        size_t len;
    } outside[] = {{page.data, (size_t)(p.data - page.data)},
                   {data_end, (size_t)(page.data + page.len - data_end)}};
    static const char *const banned[] = {"http://",
                                         "https://",
                                         "src=",
                                         "href=",
                                         "url(",
                                         "@import",
                                         "<link",
                                         "<img",
                                         "<iframe",
                                         "<object",
                                         "<embed",
                                         "srcset",
                                         "fetch(",
                                         "XMLHttpRequest",
                                         "innerHTML",
                                         "outerHTML",
                                         "insertAdjacentHTML",
                                         "document.write",
                                         "eval("};
    for (size_t i = 0; i < IPR_ARRAY_LEN(outside); i++)
        for (size_t b = 0; b < IPR_ARRAY_LEN(banned); b++)
            if (find(outside[i].at, outside[i].len, banned[b]))
                fail_msg("'%s' outside the data block", banned[b]);
    /* the rule's reference URL is in the page, as JSON text only */
    assert_int_equal(count(page.data, page.len, "https://"), 1);
    assert_non_null(find(p.data, p.data_len, "https://example.com/policy/counterfeit"));
    buf_release(&page);
}

static void test_csp_names_the_script_and_style_by_hash(void **state)
{
    struct buf page;
    render_scenario(&page);
    struct page_parts p;
    split(&page, &p);
    char csp[2048];
    assert_true(p.csp_len < sizeof csp);
    memcpy(csp, p.csp, p.csp_len);
    csp[p.csp_len] = '\0';

    char script_src[96], style_src[96], want[128];
    csp_source(p.script, p.script_len, script_src);
    csp_source(p.style, p.style_len, style_src);
    snprintf(want, sizeof want, "script-src %s;", script_src);
    assert_non_null(strstr(csp, want));
    snprintf(want, sizeof want, "style-src %s;", style_src);
    assert_non_null(strstr(csp, want));
    assert_true(p.script_len > 1000 && p.style_len > 1000);

    static const char *const directives[] = {
        "default-src 'none';", "img-src 'none';",
        "connect-src 'none';", "form-action 'none';",
        "base-uri 'none';",    "object-src 'none';",
        "font-src 'none';",    "require-trusted-types-for 'script'"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(directives); i++)
        if (!strstr(csp, directives[i]))
            fail_msg("CSP lacks %s", directives[i]);
    assert_null(strstr(csp, "unsafe"));
    assert_int_equal(count(csp, strlen(csp), "sha256-"), 2);
    buf_release(&page);
}

static void test_hostile_text_stays_inside_the_data_as_text(void **state)
{
    struct buf page;
    render_scenario(&page);
    struct page_parts p;
    split(&page, &p);

    /* Nothing in the data can end the element, open a comment or markup,
     * or end a JavaScript line. */
    static const char *const banned[] = {"<",           ">", "&", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                         "\xe2\x80\xae"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(banned); i++)
        if (find(p.data, p.data_len, banned[i]))
            fail_msg("raw '%s' in the data block", banned[i]);
    assert_non_null(find(p.data, p.data_len, "\\u003c/script\\u003e\\u003cscript\\u003e"));
    assert_non_null(find(p.data, p.data_len, "\\u2028"));

    /* ... and the text is all there, unchanged, once parsed. */
    json_t *doc = parse_data(&p);
    json_t *rec = json_array_get(json_object_get(doc, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "key")), "<b>SKU-1</b>");
    json_t *values = json_object_get(rec, "values");
    assert_int_equal(json_array_size(values), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(values, 0), "text")),
                        hostile_title);
    assert_string_equal(json_string_value(json_object_get(json_array_get(values, 1), "text")),
                        hostile_desc);
    json_t *f1 = json_array_get(json_object_get(rec, "findings"), 1);
    assert_string_equal(json_string_value(json_object_get(f1, "matched")), "</script>");
    json_decref(doc);

    /* the listing never reaches the markup, in any spelling */
    assert_null(find(page.data, page.len, "alert(1)</script>"));
    assert_int_equal(count(page.data, page.len, "</script>"), 2);
    assert_int_equal(count(page.data, page.len, "</SCRIPT"), 0);
    buf_release(&page);
}

static void test_data_holds_records_that_need_a_look(void **state)
{
    struct buf page;
    render_scenario(&page);
    struct page_parts p;
    split(&page, &p);
    assert_null(find(page.data, page.len, "SKU-2")); /* the clean record */
    json_t *doc = parse_data(&p);

    json_t *sum = json_object_get(doc, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "records")), 5);
    assert_int_equal(json_integer_value(json_object_get(sum, "clean")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "flagged")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "incomplete")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "error")), 2);
    assert_int_equal(json_integer_value(json_object_get(sum, "findings")), 4);
    json_t *stages = json_object_get(sum, "stages");
    assert_int_equal(json_array_size(stages), IPR_STAGE_COUNT);
    json_t *pay = json_array_get(stages, IPR_STAGE_PAYMENT);
    assert_string_equal(json_string_value(json_object_get(pay, "stage")), "payment");
    assert_int_equal(json_integer_value(json_object_get(pay, "checks")), 1);
    assert_int_equal(json_integer_value(json_object_get(pay, "flagged")), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "tool"), "version")),
                        "0.1.0");
    assert_string_equal(json_string_value(json_object_get(doc, "rules_sha256")), sha);

    /* the rules that found something, each once, in order of first use */
    json_t *rules = json_object_get(doc, "rules");
    assert_int_equal(json_array_size(rules), 2);
    json_t *mk = json_array_get(rules, 0);
    assert_string_equal(json_string_value(json_object_get(mk, "id")), "MK-COUNTERFEIT");
    assert_string_equal(json_string_value(json_object_get(mk, "stage")), "marketing");
    assert_string_equal(json_string_value(json_object_get(mk, "fix")), "Remove the wording.");
    assert_int_equal(json_array_size(json_object_get(mk, "references")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 1), "id")),
                        "PY-OFF-PLATFORM");

    json_t *recs = json_object_get(doc, "records");
    assert_int_equal(json_array_size(recs), 4);
    static const char *const statuses[] = {"flagged", "error", "incomplete", "error"};
    static const char *const keys[] = {"<b>SKU-1</b>", "3", "SKU-4", ""};
    for (size_t i = 0; i < 4; i++) {
        json_t *rec = json_array_get(recs, i);
        assert_string_equal(json_string_value(json_object_get(rec, "status")), statuses[i]);
        assert_string_equal(json_string_value(json_object_get(rec, "key")), keys[i]);
    }
    json_t *err = json_array_get(recs, 1);
    assert_string_equal(json_string_value(json_object_get(err, "reason")),
                        "unterminated quoted field </script>");
    assert_int_equal(json_array_size(json_object_get(err, "findings")), 0);
    json_t *inc = json_array_get(recs, 2);
    assert_string_equal(json_string_value(json_object_get(inc, "reason")),
                        "regex match limit in bullets");
    json_t *inc_f = json_array_get(json_object_get(inc, "findings"), 0);
    assert_int_equal(json_integer_value(json_object_get(inc_f, "rule")), 1);
    json_t *missing = json_array_get(recs, 3);
    assert_string_equal(json_string_value(json_object_get(missing, "file")), "missing.csv");
    assert_int_equal(json_integer_value(json_object_get(missing, "line")), 0);

    /* two findings on the title share one value */
    json_t *fs = json_object_get(json_array_get(recs, 0), "findings");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(fs, 0), "value")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(fs, 1), "value")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(fs, 2), "value")), 1);
    json_t *f0 = json_array_get(fs, 0);
    assert_string_equal(json_string_value(json_object_get(f0, "severity")), "critical");
    assert_string_equal(json_string_value(json_object_get(f0, "field")), "title");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(f0, "span"), 0)), 35);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(f0, "span"), 1)), 42);
    json_decref(doc);
    buf_release(&page);
}

/* The page slices the parsed string, so spans are given in its UTF-16 code
 * units: CJK is one unit for three bytes, an emoji two units for four, and
 * a byte that is not UTF-8 one unit (it became U+FFFD). */
static void test_spans_count_utf16_units_of_the_text(void **state)
{
    static const char value[] = "\xe9\xab\x98\xe4\xbb\xbf quality "           /* 高仿 quality */
                                "\xf0\x9f\x91\x9f x\xff y \xc3\xa9t\xc3\xa9"; /* 👟 x? y été */
    struct {
        size_t start, end;
        json_int_t a, b;
    } cases[] = {
        {7, 14, 3, 10},   /* "quality" */
        {0, 6, 0, 2},     /* "高仿" */
        {15, 19, 11, 13}, /* the emoji */
        {20, 21, 14, 15}, /* "x" */
        {21, 22, 15, 16}, /* the invalid byte */
        {23, 24, 17, 18}, /* "y" */
        {25, 30, 19, 22}, /* "été" */
        {1, 5, 0, 2},     /* bounds inside characters widen to them */
        {30, 30, 22, 22}, /* an empty span at the end */
        {40, 50, 22, 22}, /* past the end: clamped */
    };
    struct run run;
    run_open(&run);
    begin(&run, 2, "SKU-U", NULL);
    for (size_t i = 0; i < IPR_ARRAY_LEN(cases); i++) {
        ipr_finding f = finding(&rule_mk, "title", value, 0, 0);
        f.span_start = cases[i].start;
        f.span_end = cases[i].end;
        f.matched = "";
        f.matched_len = 0;
        assert_int_equal(reporter_add_finding(run.r, &f), IPR_OK);
    }
    assert_int_equal(reporter_end_record(run.r), IPR_OK);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    struct page_parts p;
    split(&run.sink.out, &p);
    json_t *doc = parse_data(&p);
    json_t *rec = json_array_get(json_object_get(doc, "records"), 0);
    const char *text = json_string_value(
        json_object_get(json_array_get(json_object_get(rec, "values"), 0), "text"));
    assert_string_equal(text, "\xe9\xab\x98\xe4\xbb\xbf quality \xf0\x9f\x91\x9f x\xef\xbf\xbd y "
                              "\xc3\xa9t\xc3\xa9");
    json_t *fs = json_object_get(rec, "findings");
    for (size_t i = 0; i < IPR_ARRAY_LEN(cases); i++) {
        json_t *at = json_object_get(json_array_get(fs, i), "at");
        json_int_t a = json_integer_value(json_array_get(at, 0));
        json_int_t b = json_integer_value(json_array_get(at, 1));
        if (a != cases[i].a || b != cases[i].b)
            fail_msg("span [%zu, %zu): got [%lld, %lld), want [%lld, %lld)", cases[i].start,
                     cases[i].end, (long long)a, (long long)b, (long long)cases[i].a,
                     (long long)cases[i].b);
    }
    json_decref(doc);
    run_close(&run);
}

static void test_output_is_identical_across_runs(void **state)
{
    struct buf a, b;
    render_scenario(&a);
    render_scenario(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    buf_release(&a);
    buf_release(&b);
}

static void test_empty_run_is_a_whole_page(void **state)
{
    struct run run;
    run_open(&run);
    assert_int_equal(reporter_finish(run.r), IPR_OK);
    struct page_parts p;
    split(&run.sink.out, &p);
    json_t *doc = parse_data(&p);
    assert_int_equal(json_array_size(json_object_get(doc, "records")), 0);
    assert_int_equal(json_array_size(json_object_get(doc, "rules")), 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "summary"), "records")), 0);
    json_decref(doc);
    run_close(&run);
}

static void test_write_failure_is_reported(void **state)
{
    struct run run;
    run_open(&run);
    run.sink.fail_from = 3;
    feed_scenario(&run);
    assert_int_equal(run.sink.calls, 0); /* nothing is written before finish */
    assert_int_equal(reporter_finish(run.r), IPR_EIO);
    assert_int_equal(run.sink.calls, 3);
    run_close(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_of_the_test_itself),
        cmocka_unit_test(test_one_file_that_loads_nothing),
        cmocka_unit_test(test_csp_names_the_script_and_style_by_hash),
        cmocka_unit_test(test_hostile_text_stays_inside_the_data_as_text),
        cmocka_unit_test(test_data_holds_records_that_need_a_look),
        cmocka_unit_test(test_spans_count_utf16_units_of_the_text),
        cmocka_unit_test(test_output_is_identical_across_runs),
        cmocka_unit_test(test_empty_run_is_a_whole_page),
        cmocka_unit_test(test_write_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
