/*
 * jsonl.c - one JSON line per input record (format "jsonl"), the contract
 * for running iprcheck inside stream processors.
 *
 * Every record, clean and error ones included, becomes exactly one line,
 * written when the record ends, so output order is input order and nothing
 * of other records is held back.  There is no summary line: consumers count
 * lines, and a program that wants the summary takes report_summary_json().
 * The finding objects are the json format's (report_json_finding), written
 * without jansson's tree (json_write.h): this runs for every record.
 */
#include "report.h"

#include <stdlib.h>

#include "escape.h"
#include "json_write.h"

struct jsonl_state {
    struct buf raw;  /* the line before escape_json_text; reused */
    struct buf line; /* the line being written; reused */
};

static ipr_status jsonl_begin(struct ipr_reporter *r, void **state)
{
    struct jsonl_state *j = calloc(1, sizeof *j);
    if (!j)
        return IPR_ENOMEM;
    buf_init(&j->raw, 0);
    buf_init(&j->line, 0);
    *state = j;
    return IPR_OK;
}

static void jsonl_free(void *state)
{
    struct jsonl_state *j = state;
    if (!j)
        return;
    buf_release(&j->raw);
    buf_release(&j->line);
    free(j);
}

/* One finding object: the keys, their order and the optional ones of
 * report_json_finding, which the json format dumps through jansson. */
static void write_finding(struct json_writer *w, const struct report_record *rec,
                          const ipr_finding *f)
{
    const ipr_rule_info *rule = f->rule;
    json_writer_key(w, NULL);
    json_writer_open(w, '{');
    json_writer_str(w, "rule", rule->id);
    json_writer_str(w, "title", rule->title);
    json_writer_str(w, "stage", ipr_stage_name(rule->stage));
    json_writer_str(w, "severity", ipr_severity_name(f->severity));
    json_writer_real(w, "confidence", f->confidence);
    json_writer_str(w, "file", rec->file);
    json_writer_int(w, "line", f->line ? f->line : rec->line);
    if (f->col)
        json_writer_int(w, "column", f->col);
    json_writer_int(w, "index", (int64_t)rec->index);
    json_writer_str(w, "key", rec->key);
    json_writer_str(w, "field", f->field);
    json_writer_key(w, "span");
    json_writer_open(w, '[');
    json_writer_int(w, NULL, (int64_t)f->span_start);
    json_writer_int(w, NULL, (int64_t)f->span_end);
    json_writer_close(w, ']');
    json_writer_text(w, "matched", f->matched, f->matched_len);
    json_writer_str(w, "message", f->message);
    json_writer_str(w, "fix", rule->fix);
    json_writer_key(w, "references");
    json_writer_open(w, '[');
    for (size_t i = 0; i < rule->reference_count; i++)
        json_writer_str(w, NULL, rule->references[i]);
    json_writer_close(w, ']');
    json_writer_str(w, "fingerprint", f->fingerprint);
    if (f->mark)
        json_writer_str(w, "mark", f->mark);
    if (f->owner)
        json_writer_str(w, "owner", f->owner);
    if (f->match_kind)
        json_writer_str(w, "match_kind", f->match_kind);
    json_writer_close(w, '}');
}

ipr_status report_jsonl_line(const struct report_entry *e, struct buf *raw, struct buf *out)
{
    const struct report_record *rec = e->rec;
    buf_clear(raw);
    struct json_writer w;
    json_writer_init(&w, raw);
    json_writer_open(&w, '{');
    json_writer_str(&w, "key", rec->key);
    json_writer_str(&w, "file", rec->file);
    json_writer_int(&w, "line", rec->line);
    json_writer_int(&w, "index", (int64_t)rec->index);
    json_writer_str(&w, "status", report_status_name(e->status));
    if (rec->error)
        json_writer_str(&w, "error", rec->error);
    if (rec->incomplete)
        json_writer_str(&w, "incomplete", rec->incomplete);
    json_writer_key(&w, "findings");
    json_writer_open(&w, '[');
    for (size_t i = 0; i < e->finding_count; i++)
        write_finding(&w, rec, &e->findings[i]);
    json_writer_close(&w, ']');
    json_writer_close(&w, '}');
    ipr_status st = w.status;
    if (st == IPR_OK)
        st = escape_json_text(out, raw->data, raw->len);
    return st == IPR_OK ? buf_append_char(out, '\n') : st;
}

static ipr_status jsonl_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct jsonl_state *j = state;
    buf_clear(&j->line);
    ipr_status st = report_jsonl_line(e, &j->raw, &j->line);
    if (st == IPR_OK)
        st = reporter_write(r, j->line.data, j->line.len);
    return st;
}

static ipr_status jsonl_finish(struct ipr_reporter *r, void *state)
{
    return IPR_OK;
}

const struct reporter_ops report_jsonl_ops = {
    .begin = jsonl_begin,
    .record = jsonl_record,
    .finish = jsonl_finish,
    .free = jsonl_free,
};
