/*
 * junit.c - JUnit XML (format "junit") for CI test-report views (GitLab,
 * Jenkins): one <testsuite> per stage, one <testcase> per record in each.
 *
 * A record with findings of a stage fails that stage's test case; a record
 * that could not be (fully) checked is an <error> in every suite.  Suites
 * are written at finish, so each stage's test cases are kept as XML text
 * while records arrive.  Text from listings and rule packs goes through
 * put_xml(): markup characters become entities, and what XML 1.0 cannot
 * hold or a report viewer would act on (controls, bidi overrides, bytes
 * that are not UTF-8, U+FFFE/U+FFFF) is written as visible `\x1b`-style
 * text, so the document is always well-formed whatever the listing holds.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

struct junit_suite {
    struct buf cases; /* the suite's <testcase> elements */
    uint64_t tests;
    uint64_t failures;
    uint64_t errors;
    bool has_findings; /* shown even when the meta lists no checks for it */
};

struct junit_state {
    struct junit_suite suites[IPR_STAGE_COUNT];
    struct buf out; /* the document, built at finish */
    ipr_status st;  /* first failure while appending; later appends do nothing */
};

static void put(struct junit_state *j, struct buf *b, const char *s)
{
    if (j->st == IPR_OK)
        j->st = buf_append_str(b, s);
}

static void put_u64(struct junit_state *j, struct buf *b, uint64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%" PRIu64, v);
    put(j, b, tmp);
}

/* U+FFFE and U+FFFF decode as UTF-8 but are not XML 1.0 characters. */
static bool is_xml_nonchar(const unsigned char *p, size_t n)
{
    return n == 3 && p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf);
}

/* Appends s (len bytes) as XML character data, also safe inside a
 * double-quoted attribute. */
static void put_xml(struct junit_state *j, struct buf *b, const char *s, size_t len)
{
    size_t i = 0;
    while (j->st == IPR_OK && i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *entity = c == '&'    ? "&amp;"
                             : c == '<'  ? "&lt;"
                             : c == '>'  ? "&gt;"
                             : c == '"'  ? "&quot;"
                             : c == '\'' ? "&apos;"
                                         : NULL;
        if (entity) {
            j->st = buf_append_str(b, entity);
            i++;
            continue;
        }
        if (c >= 0x20 && c < 0x7f) {
            j->st = buf_append_char(b, (char)c);
            i++;
            continue;
        }
        struct term_unit u;
        term_unit_next(s + i, len - i, &u);
        if (u.text_len)
            j->st = buf_append(b, u.text, u.text_len);
        else if (is_xml_nonchar((const unsigned char *)s + i, u.src_len))
            j->st =
                buf_printf(b, "\\u%s", ((const unsigned char *)s)[i + 2] == 0xbe ? "fffe" : "ffff");
        else
            j->st = buf_append(b, s + i, u.src_len);
        i += u.src_len;
    }
}

static void put_xml_str(struct junit_state *j, struct buf *b, const char *s)
{
    put_xml(j, b, s ? s : "", s ? strlen(s) : 0);
}

static ipr_status junit_begin(struct ipr_reporter *r, void **state)
{
    struct junit_state *j = calloc(1, sizeof *j);
    if (!j)
        return IPR_ENOMEM;
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++)
        buf_init(&j->suites[s].cases, 0);
    buf_init(&j->out, 0);
    *state = j;
    return IPR_OK;
}

static void junit_free(void *state)
{
    struct junit_state *j = state;
    if (!j)
        return;
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++)
        buf_release(&j->suites[s].cases);
    buf_release(&j->out);
    free(j);
}

/* `<testcase classname="FILE" name="KEY (line N) [stage]"`.  The stage is
 * part of the name because GitLab keys test cases by classname and name
 * across all suites of a file and keeps only the first of equal keys. */
static void open_case(struct junit_state *j, struct buf *b, const struct report_record *rec,
                      ipr_stage stage)
{
    put(j, b, "    <testcase classname=\"");
    put_xml_str(j, b, rec->file);
    put(j, b, "\" name=\"");
    if (rec->line == 0 && !rec->key[0]) {
        put(j, b, "(whole file)");
    } else {
        put_xml_str(j, b, rec->key);
        put(j, b, " (line ");
        put_u64(j, b, rec->line);
        put(j, b, ")");
    }
    put(j, b, " [");
    put(j, b, ipr_stage_name(stage));
    put(j, b, "]\"");
}

/* One line per finding of the stage: severity, rule, field, message. */
static void put_findings(struct junit_state *j, struct buf *b, const struct report_entry *e,
                         ipr_stage stage)
{
    for (size_t i = 0; i < e->finding_count; i++) {
        const ipr_finding *f = &e->findings[i];
        if (f->rule->stage != stage)
            continue;
        put(j, b, ipr_severity_name(f->severity));
        put(j, b, " ");
        put_xml_str(j, b, f->rule->id);
        put(j, b, " ");
        put_xml_str(j, b, f->field[0] ? f->field : "(record)");
        put(j, b, ": ");
        put_xml_str(j, b, f->message);
        put(j, b, "\n");
    }
}

static ipr_status junit_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct junit_state *j = state;
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        struct junit_suite *suite = &j->suites[s];
        struct buf *b = &suite->cases;
        size_t count = 0;
        ipr_severity worst = IPR_SEV_INFO;
        for (size_t i = 0; i < e->finding_count; i++) {
            if (e->findings[i].rule->stage != (ipr_stage)s)
                continue;
            count++;
            if (e->findings[i].severity > worst)
                worst = e->findings[i].severity;
        }
        suite->tests++;
        suite->has_findings |= count > 0;
        open_case(j, b, e->rec, (ipr_stage)s);
        if (e->status == REPORT_ERROR || e->status == REPORT_INCOMPLETE) {
            bool is_error = e->status == REPORT_ERROR;
            suite->errors++;
            put(j, b, ">\n      <error type=\"");
            put(j, b, report_status_name(e->status));
            put(j, b, "\" message=\"");
            if (!is_error)
                put(j, b, "not fully checked: ");
            put_xml_str(j, b, is_error ? e->rec->error : e->rec->incomplete);
            put(j, b, count ? "\">" : "\"/>\n");
            if (count) {
                put(j, b, "\n");
                put_findings(j, b, e, (ipr_stage)s);
                put(j, b, "      </error>\n");
            }
            put(j, b, "    </testcase>\n");
        } else if (count) {
            suite->failures++;
            put(j, b, ">\n      <failure type=\"");
            put(j, b, ipr_severity_name(worst));
            put(j, b, "\" message=\"");
            put_u64(j, b, count);
            put(j, b, count == 1 ? " finding, " : " findings, ");
            put(j, b, "highest ");
            put(j, b, ipr_severity_name(worst));
            put(j, b, "\">\n");
            put_findings(j, b, e, (ipr_stage)s);
            put(j, b, "      </failure>\n    </testcase>\n");
        } else {
            put(j, b, "/>\n");
        }
    }
    return j->st;
}

static void put_counts(struct junit_state *j, uint64_t tests, uint64_t failures, uint64_t errors)
{
    put(j, &j->out, " tests=\"");
    put_u64(j, &j->out, tests);
    put(j, &j->out, "\" failures=\"");
    put_u64(j, &j->out, failures);
    put(j, &j->out, "\" errors=\"");
    put_u64(j, &j->out, errors);
    put(j, &j->out, "\"");
}

static void put_property(struct junit_state *j, const char *name, const char *value)
{
    put(j, &j->out, "      <property name=\"");
    put(j, &j->out, name);
    put(j, &j->out, "\" value=\"");
    put_xml_str(j, &j->out, value);
    put(j, &j->out, "\"/>\n");
}

static ipr_status junit_finish(struct ipr_reporter *r, void *state)
{
    struct junit_state *j = state;
    const struct report_meta *meta = reporter_meta(r);
    bool shown[IPR_STAGE_COUNT];
    uint64_t tests = 0, failures = 0, errors = 0;
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        /* a stage that ran no checks has nothing to report (--stage) */
        shown[s] = meta->stage_rule_count[s] > 0 || j->suites[s].has_findings;
        if (shown[s]) {
            tests += j->suites[s].tests;
            failures += j->suites[s].failures;
            errors += j->suites[s].errors;
        }
    }
    put(j, &j->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"iprcheck\"");
    put_counts(j, tests, failures, errors);
    put(j, &j->out, ">\n");
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        if (!shown[s])
            continue;
        const struct junit_suite *suite = &j->suites[s];
        char checks[24];
        snprintf(checks, sizeof checks, "%zu", meta->stage_rule_count[s]);
        put(j, &j->out, "  <testsuite name=\"");
        put(j, &j->out, ipr_stage_name((ipr_stage)s));
        put(j, &j->out, "\"");
        put_counts(j, suite->tests, suite->failures, suite->errors);
        put(j, &j->out, ">\n    <properties>\n");
        put_property(j, "iprcheck.version", meta->tool_version);
        put_property(j, "rules_sha256", meta->rules_sha256);
        put_property(j, "checks", checks);
        put(j, &j->out, "    </properties>\n");
        if (j->st == IPR_OK)
            j->st = buf_append(&j->out, suite->cases.data, suite->cases.len);
        put(j, &j->out, "  </testsuite>\n");
    }
    put(j, &j->out, "</testsuites>\n");
    if (j->st != IPR_OK)
        return j->st;
    return reporter_write(r, j->out.data, j->out.len);
}

const struct reporter_ops report_junit_ops = {
    .begin = junit_begin,
    .record = junit_record,
    .finish = junit_finish,
    .free = junit_free,
};
