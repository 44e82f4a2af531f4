/*
 * json.c - the one-document report (format "json") and the JSON pieces the
 * jsonl format shares with it.
 *
 * Findings and error records are turned into jansson values as their record
 * ends (that is the copy the reporter keeps) and the document is written at
 * finish.  Keys are inserted in the documented order and dumped with
 * JSON_PRESERVE_ORDER; numbers are integers except confidence, printed with
 * JSON_REAL_PRECISION so it reads 0.9, not 0.90000000000000002.  Listing
 * text reaches jansson only as valid UTF-8 (report_json_text), because
 * jansson rejects anything else and the finding would be lost.
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>

#include "escape.h"

#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))

struct json_state {
    json_t *findings;   /* array of finding objects, in input order */
    json_t *errors;     /* array of error records, in input order */
    json_t *incomplete; /* array of records not fully checked, in input order */
};

json_t *report_json_text(const char *s, size_t len)
{
    if (escape_is_utf8(s, len))
        return json_stringn(s, len);
    struct buf fixed;
    buf_init(&fixed, 0);
    json_t *j = NULL;
    if (escape_utf8(&fixed, s, len) == IPR_OK)
        j = json_stringn(buf_str(&fixed), fixed.len);
    buf_release(&fixed);
    return j;
}

static json_t *str(const char *s)
{
    return s ? report_json_text(s, strlen(s)) : report_json_text("", 0);
}

static json_t *num(uint64_t v)
{
    return json_integer((json_int_t)v);
}

/* Sets key to value (stealing it); a NULL value marks the object failed. */
static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static void append(json_t *arr, json_t *value, bool *ok)
{
    if (json_array_append_new(arr, value) != 0)
        *ok = false;
}

static json_t *string_list(const char *const *items, size_t count)
{
    json_t *arr = json_array();
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < count; i++)
        append(arr, str(items[i]), &ok);
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

json_t *report_json_finding(const struct report_record *rec, const ipr_finding *f)
{
    const ipr_rule_info *rule = f->rule;
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = true;
    set(o, "rule", str(rule->id), &ok);
    set(o, "title", str(rule->title), &ok);
    set(o, "stage", json_string(ipr_stage_name(rule->stage)), &ok);
    set(o, "severity", json_string(ipr_severity_name(f->severity)), &ok);
    set(o, "confidence", json_real(f->confidence), &ok);
    set(o, "file", str(rec->file), &ok);
    set(o, "line", num(f->line ? f->line : rec->line), &ok);
    if (f->col)
        set(o, "column", num(f->col), &ok);
    set(o, "index", num(rec->index), &ok);
    set(o, "key", str(rec->key), &ok);
    set(o, "field", str(f->field), &ok);
    json_t *span = json_pack("[II]", (json_int_t)f->span_start, (json_int_t)f->span_end);
    set(o, "span", span, &ok);
    set(o, "matched", report_json_text(f->matched, f->matched_len), &ok);
    set(o, "message", str(f->message), &ok);
    set(o, "fix", str(rule->fix), &ok);
    set(o, "references", string_list(rule->references, rule->reference_count), &ok);
    set(o, "fingerprint", str(f->fingerprint), &ok);
    if (f->mark)
        set(o, "mark", str(f->mark), &ok);
    if (f->owner)
        set(o, "owner", str(f->owner), &ok);
    if (f->match_kind)
        set(o, "match_kind", str(f->match_kind), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

struct dump_sink {
    struct buf text;
    ipr_status status; /* sticky: jansson ignores some failed writes */
};

static int dump_to_buf(const char *bytes, size_t len, void *data)
{
    struct dump_sink *d = data;
    if (d->status == IPR_OK)
        d->status = buf_append(&d->text, bytes, len);
    return d->status == IPR_OK ? 0 : -1;
}

ipr_status report_json_dump(const json_t *value, size_t flags, struct buf *out)
{
    /* Not json_dumps(): jansson 2.14 drops bytes when an allocation or a
     * write fails inside it (object keys) and still returns the text.  Our
     * sink remembers a failed write; jansson reports its own failures. */
    struct dump_sink d = {.status = IPR_OK};
    buf_init(&d.text, 0);
    ipr_status st =
        json_dump_callback(value, dump_to_buf, &d, flags | DUMP_FLAGS) == 0 ? d.status : IPR_ENOMEM;
    if (st == IPR_OK)
        st = escape_json_text(out, d.text.len ? d.text.data : "", d.text.len);
    buf_release(&d.text);
    if (st == IPR_OK)
        st = buf_append_char(out, '\n');
    return st;
}

static json_t *summary_json(const struct ipr_reporter *r)
{
    ipr_report_totals tot;
    reporter_totals(r, &tot);
    json_t *o = json_object(), *by_sev = json_object(), *stages = json_array();
    bool ok = o && by_sev && stages;
    if (!ok) {
        json_decref(o);
        json_decref(by_sev);
        json_decref(stages);
        return NULL;
    }
    set(o, "records", num(tot.records), &ok);
    set(o, "clean", num(tot.clean), &ok);
    set(o, "flagged", num(tot.flagged), &ok);
    set(o, "incomplete", num(tot.incomplete), &ok);
    set(o, "error", num(tot.error), &ok);
    if (tot.outside_shard)
        set(o, "outside_shard", num(tot.outside_shard), &ok);
    set(o, "findings", num(tot.findings), &ok);
    for (size_t sev = 0; sev < IPR_SEV_COUNT; sev++)
        set(by_sev, ipr_severity_name((ipr_severity)sev), num(tot.findings_by_severity[sev]), &ok);
    set(o, "by_severity", by_sev, &ok);
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        struct report_stage_counts c;
        reporter_stage_counts(r, (ipr_stage)s, &c);
        json_t *row = json_object();
        if (row) {
            set(row, "stage", json_string(ipr_stage_name((ipr_stage)s)), &ok);
            set(row, "checks", num(c.checks), &ok);
            set(row, "passed", num(c.passed), &ok);
            set(row, "flagged", num(c.flagged), &ok);
        }
        append(stages, row, &ok);
    }
    set(o, "stages", stages, &ok);
    set(o, "fail_on", json_string(ipr_severity_name(reporter_meta(r)->fail_on)), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

ipr_status report_summary_json(const struct ipr_reporter *r, struct buf *out)
{
    if (!r || !out)
        return IPR_EINVAL;
    json_t *summary = summary_json(r);
    if (!summary)
        return IPR_ENOMEM;
    ipr_status st = report_json_dump(summary, JSON_COMPACT, out);
    json_decref(summary);
    return st;
}

static ipr_status json_begin(struct ipr_reporter *r, void **state)
{
    struct json_state *j = calloc(1, sizeof *j);
    if (!j)
        return IPR_ENOMEM;
    *state = j;
    j->findings = json_array();
    j->errors = json_array();
    j->incomplete = json_array();
    return j->findings && j->errors && j->incomplete ? IPR_OK : IPR_ENOMEM;
}

static void json_free(void *state)
{
    struct json_state *j = state;
    if (!j)
        return;
    json_decref(j->findings);
    json_decref(j->errors);
    json_decref(j->incomplete);
    free(j);
}

static json_t *error_json(const struct report_record *rec, const char *message)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = true;
    set(o, "file", str(rec->file), &ok);
    set(o, "line", num(rec->line), &ok);
    set(o, "index", num(rec->index), &ok);
    set(o, "key", str(rec->key), &ok);
    set(o, "message", str(message), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static ipr_status json_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct json_state *j = state;
    bool ok = true;
    if (e->status == REPORT_ERROR)
        append(j->errors, error_json(e->rec, e->rec->error), &ok);
    else if (e->status == REPORT_INCOMPLETE)
        append(j->incomplete, error_json(e->rec, e->rec->incomplete), &ok);
    for (size_t i = 0; ok && i < e->finding_count; i++)
        append(j->findings, report_json_finding(e->rec, &e->findings[i]), &ok);
    return ok ? IPR_OK : IPR_ENOMEM;
}

static ipr_status json_finish(struct ipr_reporter *r, void *state)
{
    struct json_state *j = state;
    const struct report_meta *meta = reporter_meta(r);
    json_t *doc = json_object(), *tool = json_object();
    bool ok = doc && tool;
    if (ok) {
        set(tool, "name", json_string("iprcheck"), &ok);
        set(tool, "version", str(meta->tool_version), &ok);
        set(doc, "tool", tool, &ok);
        set(doc, "rules_sha256", str(meta->rules_sha256), &ok);
        set(doc, "summary", summary_json(r), &ok);
        set(doc, "findings", json_incref(j->findings), &ok);
        set(doc, "errors", json_incref(j->errors), &ok);
        set(doc, "incomplete", json_incref(j->incomplete), &ok);
        json_t *inputs = json_array();
        for (size_t i = 0; inputs && i < reporter_input_count(r); i++) {
            const struct report_input *in = reporter_input(r, i);
            json_t *row = json_object();
            if (row) {
                set(row, "file", str(in->file), &ok);
                set(row, "description", str(in->description), &ok);
            }
            append(inputs, row, &ok);
        }
        set(doc, "inputs", inputs, &ok);
    } else {
        json_decref(tool);
    }
    ipr_status st = ok ? IPR_OK : IPR_ENOMEM;
    struct buf text;
    buf_init(&text, 0);
    if (st == IPR_OK)
        st = report_json_dump(doc, JSON_INDENT(2), &text);
    if (st == IPR_OK)
        st = reporter_write(r, text.data, text.len);
    buf_release(&text);
    json_decref(doc);
    return st;
}

const struct reporter_ops report_json_ops = {
    .begin = json_begin,
    .record = json_record,
    .finish = json_finish,
    .free = json_free,
};
