/*
 * html.c - the moderators' report (format "html"): one self-contained page.
 *
 * Only the records that need a look (flagged, incomplete, error) are kept,
 * each turned into compact JSON text as it ends; clean records are only
 * counted.  At finish the page is written: a Content-Security-Policy that
 * names the page's one script and one stylesheet by their sha256, the
 * fixed markup, the data as JSON inside <script type="application/json">,
 * then the script.  Listing text appears nowhere else, and in the data every
 * '<', '>' and '&' is a \u escape (U+2028/U+2029 and other hidden code
 * points already are, see escape.h), so no listing can end the element or
 * be read as markup; the script renders it only as text.
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>

#include "../base/sha256.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "escape.h"
#include "html_page.h"

#define HASH_B64_LEN 44 /* base64 of 32 bytes, with padding */

struct value_ref { /* a field value already in the current record's "values" */
    const char *field;
    const char *value;
    size_t value_len;
};

struct html_state {
    struct buf records;    /* elements of the data's "records" array, comma-separated */
    json_t *rules;         /* rule objects, in the order findings first name them */
    struct strmap rule_at; /* rule id -> index in rules */
    struct vec values;     /* struct value_ref of the record being converted */
    struct buf scratch;    /* one value's JSON before it is made script-safe */
};

/* ---- encodings -------------------------------------------------------------- */

/* Appends JSON text so that it can stand inside a <script> element: '<',
 * '>' and '&' occur in JSON only inside strings, where \u003c means the same
 * character, so the value is unchanged and "</script" or "<!--" cannot
 * appear. */
static ipr_status append_script_safe(struct buf *out, const char *json, size_t len)
{
    size_t done = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = json[i] == '<'   ? "\\u003c"
                          : json[i] == '>' ? "\\u003e"
                          : json[i] == '&' ? "\\u0026"
                                           : NULL;
        if (!esc)
            continue;
        ipr_status st = buf_append(out, json + done, i - done);
        if (st == IPR_OK)
            st = buf_append(out, esc, 6);
        if (st != IPR_OK)
            return st;
        done = i + 1;
    }
    return buf_append(out, json + done, len - done);
}

/* Serialises value (taking the reference) and appends it script-safe. */
static ipr_status append_json(struct html_state *h, struct buf *out, json_t *value)
{
    if (!value)
        return IPR_ENOMEM;
    buf_clear(&h->scratch);
    ipr_status st = report_json_dump(value, JSON_COMPACT | JSON_ENCODE_ANY, &h->scratch);
    json_decref(value);
    if (st != IPR_OK)
        return st;
    size_t len = h->scratch.len;
    if (len && h->scratch.data[len - 1] == '\n')
        len--; /* report_json_dump ends every text with one */
    return append_script_safe(out, h->scratch.data, len);
}

static void base64(const unsigned char *in, size_t len, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t n = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            n |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len)
            n |= in[i + 2];
        out[o++] = alphabet[(n >> 18) & 63u];
        out[o++] = alphabet[(n >> 12) & 63u];
        out[o++] = i + 1 < len ? alphabet[(n >> 6) & 63u] : '=';
        out[o++] = i + 2 < len ? alphabet[n & 63u] : '=';
    }
    out[o] = '\0';
}

/* The CSP source for an inline element: base64 of the sha256 of its text. */
static void csp_hash(const char *text, size_t len, char out[HASH_B64_LEN + 1])
{
    struct sha256 h;
    unsigned char digest[32];
    sha256_init(&h);
    sha256_update(&h, text, len);
    sha256_final(&h, digest);
    base64(digest, sizeof digest, out);
}

/* The script indexes strings in UTF-16 code units, and the JSON text holds
 * U+FFFD for each byte that is not UTF-8: converts the byte span [start,
 * end) of the original value to that string's units.  A bound inside a
 * character widens the span to the whole character. */
static void utf16_span(const char *s, size_t len, size_t start, size_t end, size_t *a, size_t *b)
{
    end = end < len ? end : len;
    start = start < end ? start : end;
    size_t pos = 0, units = 0;
    *a = *b = 0;
    while (pos < end) {
        size_t step = 1, width = 1;
        if ((unsigned char)s[pos] >= 0x80) {
            struct term_unit u;
            term_unit_next(s + pos, len - pos, &u);
            step = u.src_len;
            width = step == 4 ? 2 : 1; /* four UTF-8 bytes: past U+FFFF, a surrogate pair */
        }
        if (pos + step <= start)
            *a = units + width;
        pos += step;
        units += width;
    }
    *b = units;
}

/* ---- the data --------------------------------------------------------------- */

static json_t *text(const char *s)
{
    return s ? report_json_text(s, strlen(s)) : report_json_text("", 0);
}

static json_t *count(uint64_t v)
{
    return json_integer((json_int_t)v);
}

/* Sets key to value (stealing it); a NULL value marks the object failed. */
static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static json_t *rule_json(const ipr_rule_info *rule)
{
    json_t *o = json_object(), *refs = json_array();
    bool ok = o && refs;
    for (size_t i = 0; ok && i < rule->reference_count; i++)
        ok = json_array_append_new(refs, text(rule->references[i])) == 0;
    if (!ok) {
        json_decref(o);
        json_decref(refs);
        return NULL;
    }
    set(o, "id", text(rule->id), &ok);
    set(o, "title", text(rule->title), &ok);
    set(o, "stage", json_string(ipr_stage_name(rule->stage)), &ok);
    set(o, "severity", json_string(ipr_severity_name(rule->severity)), &ok);
    set(o, "fix", text(rule->fix), &ok);
    set(o, "references", refs, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Index of the rule in the data's "rules", added on first use, so the page
 * carries the text of the rules that found something and no other. */
static ipr_status rule_index(struct html_state *h, const ipr_rule_info *rule, size_t *out)
{
    const char *id = rule->id ? rule->id : "";
    uint32_t at;
    if (strmap_get(&h->rule_at, id, strlen(id), &at)) {
        *out = at;
        return IPR_OK;
    }
    at = (uint32_t)json_array_size(h->rules);
    if (json_array_append_new(h->rules, rule_json(rule)) != 0)
        return IPR_ENOMEM;
    *out = at;
    return strmap_put(&h->rule_at, id, strlen(id), at);
}

/* Index of the finding's field value in the record's "values": findings on
 * one field share it, so a long description is carried once. */
static bool value_index(struct html_state *h, json_t *values, const ipr_finding *f, size_t *out)
{
    for (size_t i = 0; i < h->values.count; i++) {
        const struct value_ref *v = vec_at(&h->values, i);
        if (strcmp(v->field, f->field) == 0 && v->value_len == f->value_len &&
            (v->value == f->value || memcmp(v->value, f->value, f->value_len) == 0)) {
            *out = i;
            return true;
        }
    }
    struct value_ref *v = vec_push(&h->values);
    json_t *o = json_object();
    bool ok = v && o;
    if (ok) {
        *v = (struct value_ref){f->field, f->value, f->value_len};
        set(o, "field", text(f->field), &ok);
        set(o, "text", report_json_text(f->value, f->value_len), &ok);
    }
    if (!ok) {
        json_decref(o);
        return false;
    }
    if (json_array_append_new(values, o) != 0)
        return false;
    *out = h->values.count - 1;
    return true;
}

static json_t *finding_json(struct html_state *h, const struct report_entry *e, json_t *values,
                            const ipr_finding *f)
{
    size_t rule_at, value_at, a, b;
    if (rule_index(h, f->rule, &rule_at) != IPR_OK || !value_index(h, values, f, &value_at))
        return NULL;
    utf16_span(f->value, f->value_len, f->span_start, f->span_end, &a, &b);
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = true;
    set(o, "rule", count(rule_at), &ok);
    set(o, "severity", json_string(ipr_severity_name(f->severity)), &ok);
    set(o, "confidence", json_real(f->confidence), &ok);
    set(o, "line", count(f->line ? f->line : e->rec->line), &ok);
    set(o, "field", text(f->field), &ok);
    set(o, "value", count(value_at), &ok);
    set(o, "span", json_pack("[II]", (json_int_t)f->span_start, (json_int_t)f->span_end), &ok);
    set(o, "at", json_pack("[II]", (json_int_t)a, (json_int_t)b), &ok);
    set(o, "matched", report_json_text(f->matched, f->matched_len), &ok);
    set(o, "message", text(f->message), &ok);
    set(o, "fingerprint", text(f->fingerprint), &ok);
    if (f->mark)
        set(o, "mark", text(f->mark), &ok);
    if (f->owner)
        set(o, "owner", text(f->owner), &ok);
    if (f->match_kind)
        set(o, "match_kind", text(f->match_kind), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *record_json(struct html_state *h, const struct report_entry *e)
{
    const struct report_record *rec = e->rec;
    json_t *o = json_object(), *values = json_array(), *findings = json_array();
    bool ok = o && values && findings;
    vec_clear(&h->values);
    for (size_t i = 0; ok && i < e->finding_count; i++)
        ok = json_array_append_new(findings, finding_json(h, e, values, &e->findings[i])) == 0;
    if (!ok) {
        json_decref(o);
        json_decref(values);
        json_decref(findings);
        return NULL;
    }
    set(o, "file", text(rec->file), &ok);
    set(o, "line", count(rec->line), &ok);
    set(o, "index", count(rec->index), &ok);
    set(o, "key", text(rec->key), &ok);
    set(o, "status", json_string(report_status_name(e->status)), &ok);
    const char *reason = rec->error ? rec->error : rec->incomplete;
    if (reason)
        set(o, "reason", text(reason), &ok);
    set(o, "values", values, &ok);
    set(o, "findings", findings, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- reporter_ops ----------------------------------------------------------- */

static ipr_status html_begin(struct ipr_reporter *r, void **state)
{
    struct html_state *h = calloc(1, sizeof *h);
    if (!h)
        return IPR_ENOMEM;
    *state = h;
    buf_init(&h->records, 0);
    buf_init(&h->scratch, 0);
    strmap_init(&h->rule_at);
    vec_init(&h->values, sizeof(struct value_ref));
    h->rules = json_array();
    return h->rules ? IPR_OK : IPR_ENOMEM;
}

static void html_free(void *state)
{
    struct html_state *h = state;
    if (!h)
        return;
    buf_release(&h->records);
    buf_release(&h->scratch);
    strmap_release(&h->rule_at);
    vec_release(&h->values);
    json_decref(h->rules);
    free(h);
}

static ipr_status html_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct html_state *h = state;
    if (e->status == REPORT_CLEAN)
        return IPR_OK; /* counted by the summary; a large run stays small */
    ipr_status st = h->records.len ? buf_append_char(&h->records, ',') : IPR_OK;
    return st == IPR_OK ? append_json(h, &h->records, record_json(h, e)) : st;
}

static ipr_status member(struct html_state *h, struct buf *out, const char *key, json_t *value)
{
    ipr_status st = buf_printf(out, "%s\"%s\":", out->len > 1 ? "," : "", key);
    if (st != IPR_OK) {
        json_decref(value);
        return st;
    }
    return append_json(h, out, value);
}

static json_t *inputs_json(const struct ipr_reporter *r)
{
    json_t *arr = json_array();
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < reporter_input_count(r); i++) {
        const struct report_input *in = reporter_input(r, i);
        json_t *o = json_object();
        ok = o != NULL;
        if (ok) {
            set(o, "file", text(in->file), &ok);
            set(o, "description", text(in->description), &ok);
        }
        if (json_array_append_new(arr, o) != 0)
            ok = false;
    }
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* Everything in the data before the records: run, summary, inputs, rules. */
static ipr_status data_head(struct ipr_reporter *r, struct html_state *h, struct buf *out)
{
    const struct report_meta *meta = reporter_meta(r);
    json_t *tool = json_pack("{s:s,s:o}", "name", "iprcheck", "version", text(meta->tool_version));
    ipr_status st = buf_append_char(out, '{');
    if (st == IPR_OK)
        st = member(h, out, "tool", tool);
    else
        json_decref(tool);
    if (st == IPR_OK)
        st = member(h, out, "rules_sha256", text(meta->rules_sha256));
    if (st == IPR_OK)
        st = buf_append_str(out, ",\"summary\":");
    if (st == IPR_OK) {
        buf_clear(&h->scratch);
        st = report_summary_json(r, &h->scratch);
    }
    if (st == IPR_OK) /* without the line's final newline */
        st = append_script_safe(out, h->scratch.data, h->scratch.len ? h->scratch.len - 1 : 0);
    if (st == IPR_OK)
        st = member(h, out, "inputs", inputs_json(r));
    if (st == IPR_OK)
        st = member(h, out, "rules", json_incref(h->rules));
    if (st == IPR_OK)
        st = buf_append_str(out, ",\"records\":[");
    return st;
}

static ipr_status put(struct ipr_reporter *r, const char *s)
{
    return reporter_write(r, s, strlen(s));
}

static ipr_status html_finish(struct ipr_reporter *r, void *state)
{
    struct html_state *h = state;
    char script_hash[HASH_B64_LEN + 1], style_hash[HASH_B64_LEN + 1];
    csp_hash(html_page_script, sizeof html_page_script - 1, script_hash);
    csp_hash(html_page_style, sizeof html_page_style - 1, style_hash);

    struct buf head;
    buf_init(&head, 0);
    ipr_status st =
        buf_printf(&head,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "script-src 'sha256-%s'; style-src 'sha256-%s'; img-src 'none'; "
                   "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
                   "frame-src 'none'; form-action 'none'; base-uri 'none'; "
                   "require-trusted-types-for 'script'; trusted-types 'none'\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"iprcheck\">\n"
                   "<title>iprcheck report</title>\n<style>",
                   script_hash, style_hash);
    struct buf data;
    buf_init(&data, 0);
    if (st == IPR_OK)
        st = data_head(r, h, &data);
    if (st == IPR_OK)
        st = reporter_write(r, head.data, head.len);
    if (st == IPR_OK)
        st = put(r, html_page_style);
    if (st == IPR_OK)
        st = put(r, "</style>\n</head>\n");
    if (st == IPR_OK)
        st = put(r, html_page_body);
    if (st == IPR_OK)
        st = put(r, "<script type=\"application/json\" id=\"data\">");
    if (st == IPR_OK)
        st = reporter_write(r, data.data, data.len);
    if (st == IPR_OK)
        st = reporter_write(r, h->records.data, h->records.len);
    if (st == IPR_OK)
        st = put(r, "]}</script>\n<script>");
    if (st == IPR_OK)
        st = put(r, html_page_script);
    if (st == IPR_OK)
        st = put(r, "</script>\n</body>\n</html>\n");
    buf_release(&head);
    buf_release(&data);
    return st;
}

const struct reporter_ops report_html_ops = {
    .begin = html_begin,
    .record = html_record,
    .finish = html_finish,
    .free = html_free,
};
