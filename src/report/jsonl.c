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
static ipr_status write_finding(struct buf *o, const struct report_record *rec,
                                const ipr_finding *f)
{
    const ipr_rule_info *rule = f->rule;
    ipr_status st = buf_append_char(o, '{');
#define KEY(k, first) (st == IPR_OK ? json_write_key(o, k, first) : st)
    st = KEY("rule", true);
    if (st == IPR_OK)
        st = json_write_str(o, rule->id);
    st = KEY("title", false);
    if (st == IPR_OK)
        st = json_write_str(o, rule->title);
    st = KEY("stage", false);
    if (st == IPR_OK)
        st = json_write_str(o, ipr_stage_name(rule->stage));
    st = KEY("severity", false);
    if (st == IPR_OK)
        st = json_write_str(o, ipr_severity_name(f->severity));
    st = KEY("confidence", false);
    if (st == IPR_OK)
        st = json_write_real(o, f->confidence);
    st = KEY("file", false);
    if (st == IPR_OK)
        st = json_write_str(o, rec->file);
    st = KEY("line", false);
    if (st == IPR_OK)
        st = json_write_int(o, f->line ? f->line : rec->line);
    if (f->col) {
        st = KEY("column", false);
        if (st == IPR_OK)
            st = json_write_int(o, f->col);
    }
    st = KEY("index", false);
    if (st == IPR_OK)
        st = json_write_int(o, (int64_t)rec->index);
    st = KEY("key", false);
    if (st == IPR_OK)
        st = json_write_str(o, rec->key);
    st = KEY("field", false);
    if (st == IPR_OK)
        st = json_write_str(o, f->field);
    st = KEY("span", false);
    if (st == IPR_OK)
        st = buf_append_char(o, '[');
    if (st == IPR_OK)
        st = json_write_int(o, (int64_t)f->span_start);
    if (st == IPR_OK)
        st = buf_append_char(o, ',');
    if (st == IPR_OK)
        st = json_write_int(o, (int64_t)f->span_end);
    if (st == IPR_OK)
        st = buf_append_char(o, ']');
    st = KEY("matched", false);
    if (st == IPR_OK)
        st = json_write_text(o, f->matched, f->matched_len);
    st = KEY("message", false);
    if (st == IPR_OK)
        st = json_write_str(o, f->message);
    st = KEY("fix", false);
    if (st == IPR_OK)
        st = json_write_str(o, rule->fix);
    st = KEY("references", false);
    if (st == IPR_OK)
        st = buf_append_char(o, '[');
    for (size_t i = 0; st == IPR_OK && i < rule->reference_count; i++) {
        if (i)
            st = buf_append_char(o, ',');
        if (st == IPR_OK)
            st = json_write_str(o, rule->references[i]);
    }
    if (st == IPR_OK)
        st = buf_append_char(o, ']');
    st = KEY("fingerprint", false);
    if (st == IPR_OK)
        st = json_write_str(o, f->fingerprint);
    if (f->mark) {
        st = KEY("mark", false);
        if (st == IPR_OK)
            st = json_write_str(o, f->mark);
    }
    if (f->owner) {
        st = KEY("owner", false);
        if (st == IPR_OK)
            st = json_write_str(o, f->owner);
    }
    if (f->match_kind) {
        st = KEY("match_kind", false);
        if (st == IPR_OK)
            st = json_write_str(o, f->match_kind);
    }
#undef KEY
    return st == IPR_OK ? buf_append_char(o, '}') : st;
}

ipr_status report_jsonl_line(const struct report_entry *e, struct buf *raw, struct buf *out)
{
    const struct report_record *rec = e->rec;
    buf_clear(raw);
    ipr_status st = buf_append_char(raw, '{');
    if (st == IPR_OK)
        st = json_write_key(raw, "key", true);
    if (st == IPR_OK)
        st = json_write_str(raw, rec->key);
    if (st == IPR_OK)
        st = json_write_key(raw, "file", false);
    if (st == IPR_OK)
        st = json_write_str(raw, rec->file);
    if (st == IPR_OK)
        st = json_write_key(raw, "line", false);
    if (st == IPR_OK)
        st = json_write_int(raw, rec->line);
    if (st == IPR_OK)
        st = json_write_key(raw, "index", false);
    if (st == IPR_OK)
        st = json_write_int(raw, (int64_t)rec->index);
    if (st == IPR_OK)
        st = json_write_key(raw, "status", false);
    if (st == IPR_OK)
        st = json_write_str(raw, report_status_name(e->status));
    if (st == IPR_OK && rec->error) {
        st = json_write_key(raw, "error", false);
        if (st == IPR_OK)
            st = json_write_str(raw, rec->error);
    }
    if (st == IPR_OK && rec->incomplete) {
        st = json_write_key(raw, "incomplete", false);
        if (st == IPR_OK)
            st = json_write_str(raw, rec->incomplete);
    }
    if (st == IPR_OK)
        st = json_write_key(raw, "findings", false);
    if (st == IPR_OK)
        st = buf_append_char(raw, '[');
    for (size_t i = 0; st == IPR_OK && i < e->finding_count; i++) {
        if (i)
            st = buf_append_char(raw, ',');
        if (st == IPR_OK)
            st = write_finding(raw, rec, &e->findings[i]);
    }
    if (st == IPR_OK)
        st = buf_append(raw, "]}", 2);
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
