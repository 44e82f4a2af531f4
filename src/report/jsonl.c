/*
 * jsonl.c - one JSON line per input record (format "jsonl"), the contract
 * for running iprcheck inside stream processors.
 *
 * Every record, clean and error ones included, becomes exactly one line,
 * written when the record ends, so output order is input order and nothing
 * of other records is held back.  There is no summary line: consumers count
 * lines, and a program that wants the summary takes report_summary_json().
 * The finding objects are the json format's (report_json_finding).
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>

struct jsonl_state {
    struct buf line; /* the line being written; reused */
};

static ipr_status jsonl_begin(struct ipr_reporter *r, void **state)
{
    struct jsonl_state *j = calloc(1, sizeof *j);
    if (!j)
        return IPR_ENOMEM;
    buf_init(&j->line, 0);
    *state = j;
    return IPR_OK;
}

static void jsonl_free(void *state)
{
    struct jsonl_state *j = state;
    if (!j)
        return;
    buf_release(&j->line);
    free(j);
}

static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static json_t *record_json(const struct report_entry *e)
{
    const struct report_record *rec = e->rec;
    json_t *o = json_object(), *findings = json_array();
    bool ok = o && findings;
    if (!ok) {
        json_decref(o);
        json_decref(findings);
        return NULL;
    }
    set(o, "key", report_json_text(rec->key, strlen(rec->key)), &ok);
    set(o, "file", report_json_text(rec->file, strlen(rec->file)), &ok);
    set(o, "line", json_integer(rec->line), &ok);
    set(o, "index", json_integer((json_int_t)rec->index), &ok);
    set(o, "status", json_string(report_status_name(e->status)), &ok);
    if (rec->error)
        set(o, "error", report_json_text(rec->error, strlen(rec->error)), &ok);
    if (rec->incomplete)
        set(o, "incomplete", report_json_text(rec->incomplete, strlen(rec->incomplete)), &ok);
    for (size_t i = 0; ok && i < e->finding_count; i++) {
        if (json_array_append_new(findings, report_json_finding(rec, &e->findings[i])) != 0)
            ok = false;
    }
    set(o, "findings", findings, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static ipr_status jsonl_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct jsonl_state *j = state;
    json_t *line = record_json(e);
    if (!line)
        return IPR_ENOMEM;
    buf_clear(&j->line);
    ipr_status st = report_json_dump(line, JSON_COMPACT, &j->line);
    json_decref(line);
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
