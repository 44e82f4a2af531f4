/*
 * csv_report.c - one row per finding (format "csv"), for spreadsheets and
 * review queues.
 *
 * RFC 4180: a header row, CRLF line ends, a cell quoted when it holds a
 * quote or a comma (quotes doubled), UTF-8 with a byte-order mark so
 * spreadsheet programs pick the right encoding.  A spreadsheet runs a cell
 * that starts with `=`, `+`, `-` or `@` (and some also after a tab or CR)
 * as a formula, so such a cell gets a leading `'`; listing text is made
 * terminal-safe first (escape_term), so a cell never holds a line break or
 * a control character.  Records that could not be (fully) checked get a
 * row too, with `error` or `incomplete` in the severity column.  Rows are
 * written as records end.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

#define CSV_BOM "\xef\xbb\xbf"

static const char csv_header[] =
    "key,file,line,stage,rule,severity,field,evidence,message,fix,fingerprint\r\n";

struct csv_state {
    struct buf rows; /* the record's rows, written in one call */
    struct buf cell; /* scratch: one cell after escape_term */
    bool started;    /* the BOM and header are out */
    ipr_status st;   /* first failure while appending */
};

static bool starts_formula(const char *s, size_t len)
{
    return len > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
}

/* Appends one cell and, unless last, the comma after it. */
static void put_cell(struct csv_state *c, const char *s, size_t len, bool last)
{
    if (c->st != IPR_OK)
        return;
    buf_clear(&c->cell);
    if (starts_formula(s, len))
        c->st = buf_append_char(&c->cell, '\'');
    if (c->st == IPR_OK)
        c->st = escape_term(&c->cell, s, len);
    bool quote = false;
    for (size_t i = 0; i < c->cell.len; i++)
        quote |= c->cell.data[i] == '"' || c->cell.data[i] == ',' || c->cell.data[i] == '\r' ||
                 c->cell.data[i] == '\n';
    if (quote && c->st == IPR_OK)
        c->st = buf_append_char(&c->rows, '"');
    for (size_t i = 0; c->st == IPR_OK && i < c->cell.len; i++) {
        char ch = c->cell.data[i];
        c->st = ch == '"' ? buf_append(&c->rows, "\"\"", 2) : buf_append_char(&c->rows, ch);
    }
    if (quote && c->st == IPR_OK)
        c->st = buf_append_char(&c->rows, '"');
    if (c->st == IPR_OK)
        c->st = last ? buf_append(&c->rows, "\r\n", 2) : buf_append_char(&c->rows, ',');
}

static void put_str(struct csv_state *c, const char *s, bool last)
{
    put_cell(c, s ? s : "", s ? strlen(s) : 0, last);
}

static void put_line(struct csv_state *c, uint32_t line)
{
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%" PRIu32, line);
    put_str(c, tmp, false);
}

static void put_finding(struct csv_state *c, const struct report_record *rec, const ipr_finding *f)
{
    put_str(c, rec->key, false);
    put_str(c, rec->file, false);
    put_line(c, f->line ? f->line : rec->line);
    put_str(c, ipr_stage_name(f->rule->stage), false);
    put_str(c, f->rule->id, false);
    put_str(c, ipr_severity_name(f->severity), false);
    put_str(c, f->field, false);
    put_cell(c, f->matched, f->matched_len, false);
    put_str(c, f->message, false);
    put_str(c, f->rule->fix, false);
    put_str(c, f->fingerprint, true);
}

/* key, file, line, then `error`/`incomplete` as the severity and the
 * reason as the message; the finding columns stay empty. */
static void put_unchecked(struct csv_state *c, const struct report_entry *e)
{
    bool is_error = e->status == REPORT_ERROR;
    put_str(c, e->rec->key, false);
    put_str(c, e->rec->file, false);
    put_line(c, e->rec->line);
    put_str(c, "", false);
    put_str(c, "", false);
    put_str(c, report_status_name(e->status), false);
    put_str(c, "", false);
    put_str(c, "", false);
    put_str(c, is_error ? e->rec->error : e->rec->incomplete, false);
    put_str(c, "", false);
    put_str(c, "", true);
}

static void put_start(struct csv_state *c)
{
    if (c->started || c->st != IPR_OK)
        return;
    c->started = true;
    c->st = buf_append_str(&c->rows, CSV_BOM);
    if (c->st == IPR_OK)
        c->st = buf_append_str(&c->rows, csv_header);
}

static ipr_status csv_begin(struct ipr_reporter *r, void **state)
{
    struct csv_state *c = calloc(1, sizeof *c);
    if (!c)
        return IPR_ENOMEM;
    buf_init(&c->rows, 0);
    buf_init(&c->cell, 0);
    *state = c;
    return IPR_OK;
}

static void csv_free(void *state)
{
    struct csv_state *c = state;
    if (!c)
        return;
    buf_release(&c->rows);
    buf_release(&c->cell);
    free(c);
}

static ipr_status csv_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct csv_state *c = state;
    buf_clear(&c->rows);
    put_start(c);
    if (e->status == REPORT_ERROR || e->status == REPORT_INCOMPLETE)
        put_unchecked(c, e);
    for (size_t i = 0; i < e->finding_count; i++)
        put_finding(c, e->rec, &e->findings[i]);
    if (c->st != IPR_OK)
        return c->st;
    return reporter_write(r, c->rows.data, c->rows.len);
}

static ipr_status csv_finish(struct ipr_reporter *r, void *state)
{
    struct csv_state *c = state;
    buf_clear(&c->rows);
    put_start(c); /* a run without records still gets its header */
    if (c->st != IPR_OK)
        return c->st;
    return reporter_write(r, c->rows.data, c->rows.len);
}

const struct reporter_ops report_csv_ops = {
    .begin = csv_begin,
    .record = csv_record,
    .finish = csv_finish,
    .free = csv_free,
};
