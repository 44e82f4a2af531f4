/*
 * github.c - GitHub Actions workflow commands (format "github"): one
 * `::error|warning|notice file=F,line=L,col=C,title=RULE::MESSAGE` line
 * per finding, which the runner turns into annotations on the file.
 *
 * The runner reads commands from any output line, so listing text must
 * never start a line or end one: every value is first made terminal-safe
 * (escape_term: controls, line breaks and bidi overrides become visible
 * text), then escaped as GitHub's toolkit does (`%`, CR, LF, and in
 * properties also `:` and `,`).  Each line is therefore exactly one
 * command, whatever a title holds.  Lines are written as records end; one
 * closing `::notice` carries the accounting.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

struct github_state {
    struct buf line; /* the record's commands, written in one call */
    struct buf safe; /* scratch: a value after escape_term */
    ipr_status st;   /* first failure while appending */
};

static void put(struct github_state *g, const char *s)
{
    if (g->st == IPR_OK)
        g->st = buf_append_str(&g->line, s);
}

/* Appends s escaped for a command: `%`, CR and LF always (message data),
 * `:` and `,` too for a property value. */
static void put_escaped(struct github_state *g, const char *s, size_t len, bool property)
{
    if (g->st != IPR_OK)
        return;
    buf_clear(&g->safe);
    g->st = escape_term(&g->safe, s, len);
    for (size_t i = 0; g->st == IPR_OK && i < g->safe.len; i++) {
        char c = g->safe.data[i];
        const char *enc = c == '%'               ? "%25"
                          : c == '\r'            ? "%0D"
                          : c == '\n'            ? "%0A"
                          : property && c == ':' ? "%3A"
                          : property && c == ',' ? "%2C"
                                                 : NULL;
        g->st = enc ? buf_append_str(&g->line, enc) : buf_append_char(&g->line, c);
    }
}

static void put_prop(struct github_state *g, const char *name, const char *value)
{
    put(g, name);
    put(g, "=");
    put_escaped(g, value, strlen(value), true);
}

static void put_data(struct github_state *g, const char *s)
{
    put_escaped(g, s, strlen(s), false);
}

/* critical/high -> error, medium -> warning, low/info -> notice. */
static const char *command_of(ipr_severity sev)
{
    if (sev >= IPR_SEV_HIGH)
        return "::error ";
    return sev == IPR_SEV_MEDIUM ? "::warning " : "::notice ";
}

static void put_location(struct github_state *g, const char *file, uint32_t line, uint32_t col)
{
    char num[16];
    put_prop(g, "file", file);
    if (line) {
        snprintf(num, sizeof num, "%" PRIu32, line);
        put(g, ",");
        put_prop(g, "line", num);
        if (col) {
            snprintf(num, sizeof num, "%" PRIu32, col);
            put(g, ",");
            put_prop(g, "col", num);
        }
    }
}

static void put_finding(struct github_state *g, const struct report_record *rec,
                        const ipr_finding *f)
{
    put(g, command_of(f->severity));
    put_location(g, rec->file, f->line ? f->line : rec->line, f->col);
    put(g, ",");
    put_prop(g, "title", f->rule->id);
    put(g, "::");
    put_data(g, rec->key);
    if (f->field[0]) {
        put(g, " ");
        put_data(g, f->field);
    }
    put(g, ": ");
    put_data(g, f->message);
    put(g, " (");
    put(g, ipr_severity_name(f->severity));
    put(g, ", ");
    put(g, ipr_stage_name(f->rule->stage));
    put(g, ")");
    if (f->rule->fix && f->rule->fix[0]) {
        put(g, "%0AFix: ");
        put_data(g, f->rule->fix);
    }
    put(g, "\n");
}

/* An error record is an error annotation, a record a limit cut short a
 * warning: neither is a finding, but CI should show both. */
static void put_unchecked(struct github_state *g, const struct report_entry *e)
{
    bool is_error = e->status == REPORT_ERROR;
    put(g, is_error ? "::error " : "::warning ");
    put_location(g, e->rec->file, e->rec->line, 0);
    put(g, ",");
    put_prop(g, "title",
             is_error ? "iprcheck: record not checked" : "iprcheck: record not fully checked");
    put(g, "::");
    if (e->rec->key[0]) {
        put_data(g, e->rec->key);
        put(g, ": ");
    }
    put_data(g, is_error ? e->rec->error : e->rec->incomplete);
    put(g, "\n");
}

static ipr_status github_begin(struct ipr_reporter *r, void **state)
{
    struct github_state *g = calloc(1, sizeof *g);
    if (!g)
        return IPR_ENOMEM;
    buf_init(&g->line, 0);
    buf_init(&g->safe, 0);
    *state = g;
    return IPR_OK;
}

static void github_free(void *state)
{
    struct github_state *g = state;
    if (!g)
        return;
    buf_release(&g->line);
    buf_release(&g->safe);
    free(g);
}

static ipr_status github_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct github_state *g = state;
    buf_clear(&g->line);
    if (e->status == REPORT_ERROR || e->status == REPORT_INCOMPLETE)
        put_unchecked(g, e);
    for (size_t i = 0; i < e->finding_count; i++)
        put_finding(g, e->rec, &e->findings[i]);
    if (g->st != IPR_OK)
        return g->st;
    return reporter_write(r, g->line.data, g->line.len);
}

static ipr_status github_finish(struct ipr_reporter *r, void *state)
{
    struct github_state *g = state;
    ipr_report_totals t;
    reporter_totals(r, &t);
    buf_clear(&g->line);
    if (g->st == IPR_OK)
        g->st = buf_printf(
            &g->line,
            "::notice title=iprcheck::records %" PRIu64 " = clean %" PRIu64 " + flagged %" PRIu64
            " + incomplete %" PRIu64 " + error %" PRIu64 "; findings %" PRIu64 " (critical %" PRIu64
            ", high %" PRIu64 ", medium %" PRIu64 ", low %" PRIu64 ", info %" PRIu64
            "); fail-on %s\n",
            t.records, t.clean, t.flagged, t.incomplete, t.error, t.findings,
            t.findings_by_severity[IPR_SEV_CRITICAL], t.findings_by_severity[IPR_SEV_HIGH],
            t.findings_by_severity[IPR_SEV_MEDIUM], t.findings_by_severity[IPR_SEV_LOW],
            t.findings_by_severity[IPR_SEV_INFO], ipr_severity_name(reporter_meta(r)->fail_on));
    if (g->st != IPR_OK)
        return g->st;
    return reporter_write(r, g->line.data, g->line.len);
}

const struct reporter_ops report_github_ops = {
    .begin = github_begin,
    .record = github_record,
    .finish = github_finish,
    .free = github_free,
};
