/*
 * sarif.c - the SARIF 2.1.0 log (format "sarif") for code-scanning services
 * and SARIF viewers.
 *
 * One run: tool.driver lists every rule that ran (a result's ruleIndex
 * points into that list), results follow input order, and records that
 * could not be (fully) checked are toolExecutionNotifications of
 * invocations[0].  As in the json format the document is built with jansson
 * while records end and written at finish.  A location is the input file as
 * given, as a relative URI reference, with the line and column of the field;
 * the fingerprints are the scanner's (rule, record key, field, folded
 * evidence), never lines, so alerts survive a re-sorted export.  Output
 * depends only on what was passed in.
 */
#include "report.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"
#include "../base/strmap.h"
#include "../base/vec.h"

#define SARIF_SCHEMA_URI                                                                           \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* SARIF requires an absolute URI here; the project publishes no home page
 * yet, so this names the project under the reserved .invalid domain. */
#define SARIF_INFORMATION_URI "https://iprcheck.invalid/"
#define SARIF_FINGERPRINT_KEY "iprcheckFingerprint/v1"

/* Notification descriptors in tool.driver.notifications, by index. */
enum { NOTE_RECORD_ERROR = 0, NOTE_RECORD_INCOMPLETE = 1 };

struct sarif_state {
    json_t *results;           /* array, input order */
    json_t *notifications;     /* array of toolExecutionNotifications, input order */
    struct strmap rule_index;  /* rule id -> index in driver.rules */
    struct vec extra_rules;    /* const ipr_rule_info *: in findings but not in the meta */
    struct strmap occurrences; /* fingerprint -> results with it so far */
    struct buf tmp;            /* scratch for URIs and texts */
};

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

static json_t *str(const char *s)
{
    return report_json_text(s ? s : "", s ? strlen(s) : 0);
}

/* {"text": s}: a SARIF message or multiformatMessageString. */
static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    if (ok)
        set(o, "text", str(s), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *finish_obj(json_t *o, bool ok)
{
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* critical/high -> error, medium -> warning, low/info -> note. */
static const char *level_of(ipr_severity sev)
{
    if (sev >= IPR_SEV_HIGH)
        return "error";
    return sev == IPR_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub's alert severity vocabulary for the same three levels. */
static const char *problem_severity_of(ipr_severity sev)
{
    if (sev >= IPR_SEV_HIGH)
        return "error";
    return sev == IPR_SEV_MEDIUM ? "warning" : "recommendation";
}

static bool is_unreserved(unsigned char c)
{
    return ipr_is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 3986 gen-delims and sub-delims: legal as they are in a URL. */
static bool is_reserved(unsigned char c)
{
    return c != '\0' && strchr(":/?#[]@!$&'()*+,;=", c) != NULL;
}

static ipr_status put_pct(struct buf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char enc[3] = {'%', hex[c >> 4], hex[c & 0xf]};
    return buf_append(b, enc, sizeof enc);
}

/* The input file as a URI reference: relative paths stay relative (a code
 * scanning service resolves them against the checkout), absolute ones
 * become file:// URIs, and every byte outside the unreserved set and '/'
 * is percent-encoded, so no file name can end or re-scheme the URI. */
static ipr_status file_uri(struct buf *b, const char *path)
{
    buf_clear(b);
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    ipr_status st = path[0] == '/' ? buf_append_str(b, "file://") : IPR_OK;
    for (const unsigned char *p = (const unsigned char *)path; st == IPR_OK && *p; p++)
        st = is_unreserved(*p) || *p == '/' ? buf_append_char(b, (char)*p) : put_pct(b, *p);
    return st;
}

static bool is_hex_digit(unsigned char c)
{
    return ipr_is_ascii_digit(c) || (ipr_ascii_lower(c) >= 'a' && ipr_ascii_lower(c) <= 'f');
}

/* A reference that is an http(s) URL, made a valid URI: characters a URI
 * cannot hold (spaces, non-ASCII, quotes) percent-encoded.  false when the
 * reference is not a URL at all (a legal citation, say). */
static bool http_uri(struct buf *b, const char *ref, ipr_status *st)
{
    buf_clear(b);
    if (strncmp(ref, "https://", 8) != 0 && strncmp(ref, "http://", 7) != 0)
        return false;
    const unsigned char *p = (const unsigned char *)ref;
    for (size_t i = 0; *st == IPR_OK && p[i]; i++) {
        bool keep = is_unreserved(p[i]) || is_reserved(p[i]) ||
                    (p[i] == '%' && is_hex_digit(p[i + 1]) && is_hex_digit(p[i + 2]));
        *st = keep ? buf_append_char(b, (char)p[i]) : put_pct(b, p[i]);
    }
    return true;
}

/* "MK-COUNTERFEIT-TERMS" -> "MkCounterfeitTerms": the identifier-like
 * name SARIF asks for, derived so it cannot drift from the id. */
static ipr_status rule_name(struct buf *b, const char *id)
{
    buf_clear(b);
    bool upper = true;
    ipr_status st = IPR_OK;
    for (const unsigned char *p = (const unsigned char *)id; st == IPR_OK && *p; p++) {
        if (!ipr_is_ascii_alnum(*p)) {
            upper = true;
            continue;
        }
        unsigned char c = ipr_ascii_lower(*p);
        if (upper && c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        upper = false;
        st = buf_append_char(b, (char)c);
    }
    return st;
}

/* Rule text as Markdown that renders as written: the characters CommonMark
 * gives a meaning (emphasis, links, code, HTML, headings, lists, tables)
 * are backslash-escaped, which CommonMark allows for any punctuation. */
static ipr_status md_text(struct buf *b, const char *s)
{
    ipr_status st = IPR_OK;
    for (const unsigned char *p = (const unsigned char *)s; st == IPR_OK && *p; p++) {
        bool special = *p != '\0' && strchr("\\`*_[]<>#|~&+-=", *p) != NULL;
        /* "1." at the start of a line would begin a numbered list */
        special |= *p == '.' && p != (const unsigned char *)s && ipr_is_ascii_digit(p[-1]);
        if (special)
            st = buf_append_char(b, '\\');
        if (st == IPR_OK)
            st = buf_append_char(b, (char)*p);
    }
    return st;
}

/* A description cut to what GitHub accepts (it counts characters), at a
 * character boundary, with an ellipsis when cut. */
static json_t *capped_text_obj(const char *s, struct buf *b)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > IPR_REPORT_SARIF_TEXT_CHARS - 1)
            break;
    }
    if (!s[i])
        return text_obj(s);
    buf_clear(b);
    if (buf_append(b, s, i) != IPR_OK || buf_append_str(b, "\xe2\x80\xa6") != IPR_OK)
        return NULL;
    return text_obj(buf_str(b));
}

static json_t *rule_help(const ipr_rule_info *rule, struct buf *b)
{
    const char *message = rule->message && rule->message[0] ? rule->message : rule->title;
    const char *fix = rule->fix ? rule->fix : "";
    ipr_status st = IPR_OK;
    buf_clear(b);
    st = buf_append_str(b, message ? message : rule->id);
    if (st == IPR_OK && fix[0])
        st = buf_printf(b, "\n\nFix: %s", fix);
    json_t *help = json_object();
    bool ok = help != NULL && st == IPR_OK;
    if (ok)
        set(help, "text", report_json_text(b->data, b->len), &ok);

    buf_clear(b);
    st = md_text(b, message ? message : rule->id);
    if (st == IPR_OK && fix[0]) {
        st = buf_append_str(b, "\n\n**Fix:** ");
        if (st == IPR_OK)
            st = md_text(b, fix);
    }
    if (st == IPR_OK && rule->reference_count)
        st = buf_append_str(b, "\n\nReferences:\n");
    struct buf uri;
    buf_init(&uri, 0);
    for (size_t i = 0; st == IPR_OK && i < rule->reference_count; i++) {
        st = buf_append_str(b, "\n- ");
        if (st == IPR_OK && http_uri(&uri, rule->references[i], &st) && st == IPR_OK)
            st = buf_printf(b, "<%s>", buf_str(&uri));
        else if (st == IPR_OK)
            st = md_text(b, rule->references[i]);
    }
    buf_release(&uri);
    ok = ok && st == IPR_OK;
    if (ok)
        set(help, "markdown", report_json_text(b->data, b->len), &ok);
    return finish_obj(help, ok);
}

static json_t *rule_descriptor(const ipr_rule_info *rule, struct buf *b)
{
    json_t *o = json_object(), *props = json_object(), *tags = json_array(),
           *config = json_object();
    bool ok = o && props && tags && config;
    if (!ok) {
        json_decref(o);
        json_decref(props);
        json_decref(tags);
        json_decref(config);
        return NULL;
    }
    const char *title = rule->title && rule->title[0] ? rule->title : rule->id;
    const char *full = rule->description && rule->description[0] ? rule->description : title;
    set(o, "id", str(rule->id), &ok);
    ok = ok && rule_name(b, rule->id) == IPR_OK;
    set(o, "name", str(buf_str(b)), &ok);
    set(o, "shortDescription", capped_text_obj(title, b), &ok);
    set(o, "fullDescription", capped_text_obj(full, b), &ok);
    set(o, "help", rule_help(rule, b), &ok);
    ipr_status st = IPR_OK;
    for (size_t i = 0; ok && i < rule->reference_count; i++) {
        if (http_uri(b, rule->references[i], &st)) {
            ok = st == IPR_OK;
            set(o, "helpUri", str(buf_str(b)), &ok);
            break;
        }
    }
    set(config, "level", json_string(level_of(rule->severity)), &ok);
    set(o, "defaultConfiguration", config, &ok);
    set(props, "stage", json_string(ipr_stage_name(rule->stage)), &ok);
    set(props, "severity", json_string(ipr_severity_name(rule->severity)), &ok);
    append(tags, json_string(ipr_stage_name(rule->stage)), &ok);
    set(props, "tags", tags, &ok);
    set(props, "problem.severity", json_string(problem_severity_of(rule->severity)), &ok);
    if (rule->pack && rule->pack[0])
        set(props, "pack", str(rule->pack), &ok);
    set(o, "properties", props, &ok);
    return finish_obj(o, ok);
}

static json_t *notification_descriptor(const char *id, const char *name, const char *text)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    if (ok) {
        set(o, "id", json_string(id), &ok);
        set(o, "name", json_string(name), &ok);
        set(o, "shortDescription", text_obj(text), &ok);
    }
    return finish_obj(o, ok);
}

static ipr_status sarif_begin(struct ipr_reporter *r, void **state)
{
    struct sarif_state *s = calloc(1, sizeof *s);
    if (!s)
        return IPR_ENOMEM;
    *state = s;
    strmap_init(&s->rule_index);
    strmap_init(&s->occurrences);
    vec_init(&s->extra_rules, sizeof(const ipr_rule_info *));
    buf_init(&s->tmp, 0);
    s->results = json_array();
    s->notifications = json_array();
    if (!s->results || !s->notifications)
        return IPR_ENOMEM;
    const struct report_meta *meta = reporter_meta(r);
    for (size_t i = 0; i < meta->rule_count; i++) {
        const char *id = meta->rules[i]->id;
        uint32_t seen;
        /* ids are unique in a ruleset; keep the first if a caller repeats one */
        if (strmap_get(&s->rule_index, id, strlen(id), &seen))
            continue;
        ipr_status st = strmap_put(&s->rule_index, id, strlen(id), (uint32_t)i);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

static void sarif_free(void *state)
{
    struct sarif_state *s = state;
    if (!s)
        return;
    json_decref(s->results);
    json_decref(s->notifications);
    strmap_release(&s->rule_index);
    strmap_release(&s->occurrences);
    vec_release(&s->extra_rules);
    buf_release(&s->tmp);
    free(s);
}

/* Index of the rule in driver.rules; a rule the meta did not list is added
 * after the listed ones, so every ruleIndex is valid. */
static ipr_status rule_index_of(struct ipr_reporter *r, struct sarif_state *s,
                                const ipr_rule_info *rule, uint32_t *out)
{
    if (strmap_get(&s->rule_index, rule->id, strlen(rule->id), out))
        return IPR_OK;
    const ipr_rule_info **slot = vec_push(&s->extra_rules);
    if (!slot)
        return IPR_ENOMEM;
    *slot = rule;
    *out = (uint32_t)(reporter_meta(r)->rule_count + s->extra_rules.count - 1);
    return strmap_put(&s->rule_index, rule->id, strlen(rule->id), *out);
}

/* physicalLocation + logicalLocation of a record or a finding in it. */
static json_t *location(struct sarif_state *s, const struct report_record *rec, uint32_t line,
                        uint32_t col, const char *field)
{
    json_t *loc = json_object(), *phys = json_object(), *art = json_object(),
           *logicals = json_array(), *logical = json_object();
    bool ok = loc && phys && art && logicals && logical;
    if (!ok) {
        json_decref(loc);
        json_decref(phys);
        json_decref(art);
        json_decref(logicals);
        json_decref(logical);
        return NULL;
    }
    ok = file_uri(&s->tmp, rec->file) == IPR_OK;
    set(art, "uri", str(buf_str(&s->tmp)), &ok);
    set(phys, "artifactLocation", art, &ok);
    if (line) {
        json_t *region = json_object();
        if (region) {
            set(region, "startLine", json_integer(line), &ok);
            if (col)
                set(region, "startColumn", json_integer(col), &ok);
        }
        set(phys, "region", region, &ok);
    }
    set(loc, "physicalLocation", phys, &ok);

    /* the listing (record key) and its field, as a code location would be
     * a class and its member */
    bool has_field = field && field[0];
    buf_clear(&s->tmp);
    if (buf_append_str(&s->tmp, rec->key) != IPR_OK ||
        (has_field && buf_printf(&s->tmp, "/%s", field) != IPR_OK))
        ok = false;
    set(logical, "name", str(has_field ? field : rec->key), &ok);
    set(logical, "fullyQualifiedName", report_json_text(s->tmp.data, s->tmp.len), &ok);
    set(logical, "kind", json_string(has_field ? "member" : "object"), &ok);
    append(logicals, logical, &ok);
    set(loc, "logicalLocations", logicals, &ok);
    return finish_obj(loc, ok);
}

static json_t *fingerprints(struct sarif_state *s, const char *fp, ipr_status *st)
{
    /* GitHub takes primaryLocationLineHash as given when present and would
     * otherwise hash the line's text; the occurrence number keeps repeated
     * evidence in one field apart, in input order */
    uint32_t seen = 0;
    strmap_get(&s->occurrences, fp, strlen(fp), &seen);
    *st = strmap_put(&s->occurrences, fp, strlen(fp), seen + 1);
    json_t *o = json_object();
    bool ok = o != NULL && *st == IPR_OK;
    char hash[64];
    snprintf(hash, sizeof hash, "%.32s:%" PRIu32, fp, seen + 1);
    if (ok) {
        set(o, SARIF_FINGERPRINT_KEY, str(fp), &ok);
        set(o, "primaryLocationLineHash", json_string(hash), &ok);
    }
    return finish_obj(o, ok);
}

static json_t *result_json(struct ipr_reporter *r, struct sarif_state *s,
                           const struct report_record *rec, const ipr_finding *f)
{
    uint32_t index;
    if (rule_index_of(r, s, f->rule, &index) != IPR_OK)
        return NULL;
    json_t *o = json_object(), *locs = json_array(), *props = json_object();
    bool ok = o && locs && props;
    if (!ok) {
        json_decref(o);
        json_decref(locs);
        json_decref(props);
        return NULL;
    }
    const char *message = f->message && f->message[0] ? f->message : f->rule->title;
    set(o, "ruleId", str(f->rule->id), &ok);
    set(o, "ruleIndex", json_integer(index), &ok);
    set(o, "level", json_string(level_of(f->severity)), &ok);
    set(o, "message", text_obj(message && message[0] ? message : f->rule->id), &ok);
    append(locs, location(s, rec, f->line ? f->line : rec->line, f->col, f->field), &ok);
    set(o, "locations", locs, &ok);
    ipr_status st = IPR_OK;
    set(o, "partialFingerprints", fingerprints(s, f->fingerprint, &st), &ok);
    set(props, "stage", json_string(ipr_stage_name(f->rule->stage)), &ok);
    set(props, "severity", json_string(ipr_severity_name(f->severity)), &ok);
    set(props, "confidence", json_real(f->confidence), &ok);
    set(props, "key", str(rec->key), &ok);
    set(props, "index", json_integer((json_int_t)rec->index), &ok);
    set(props, "field", str(f->field), &ok);
    set(props, "span", json_pack("[II]", (json_int_t)f->span_start, (json_int_t)f->span_end), &ok);
    set(props, "matched", report_json_text(f->matched, f->matched_len), &ok);
    if (f->mark)
        set(props, "mark", str(f->mark), &ok);
    if (f->owner)
        set(props, "owner", str(f->owner), &ok);
    if (f->match_kind)
        set(props, "match_kind", str(f->match_kind), &ok);
    set(o, "properties", props, &ok);
    return finish_obj(o, ok);
}

static json_t *notification_json(struct sarif_state *s, const struct report_entry *e)
{
    bool is_error = e->status == REPORT_ERROR;
    const char *why = is_error ? e->rec->error : e->rec->incomplete;
    json_t *o = json_object(), *locs = json_array(), *desc = json_object(), *props = json_object();
    bool ok = o && locs && desc && props;
    if (!ok) {
        json_decref(o);
        json_decref(locs);
        json_decref(desc);
        json_decref(props);
        return NULL;
    }
    set(o, "level", json_string(is_error ? "error" : "warning"), &ok);
    set(o, "message", text_obj(why && why[0] ? why : report_status_name(e->status)), &ok);
    append(locs, location(s, e->rec, e->rec->line, 0, NULL), &ok);
    set(o, "locations", locs, &ok);
    set(desc, "id", json_string(is_error ? "record-error" : "record-incomplete"), &ok);
    set(desc, "index", json_integer(is_error ? NOTE_RECORD_ERROR : NOTE_RECORD_INCOMPLETE), &ok);
    set(o, "descriptor", desc, &ok);
    set(props, "status", json_string(report_status_name(e->status)), &ok);
    set(props, "key", str(e->rec->key), &ok);
    set(props, "index", json_integer((json_int_t)e->rec->index), &ok);
    set(o, "properties", props, &ok);
    return finish_obj(o, ok);
}

static ipr_status sarif_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct sarif_state *s = state;
    bool ok = true;
    if (e->status == REPORT_ERROR || e->status == REPORT_INCOMPLETE)
        append(s->notifications, notification_json(s, e), &ok);
    for (size_t i = 0; ok && i < e->finding_count; i++)
        append(s->results, result_json(r, s, e->rec, &e->findings[i]), &ok);
    return ok ? IPR_OK : IPR_ENOMEM;
}

static json_t *driver_json(struct ipr_reporter *r, struct sarif_state *s)
{
    const struct report_meta *meta = reporter_meta(r);
    json_t *d = json_object(), *rules = json_array(), *notes = json_array();
    bool ok = d && rules && notes;
    if (!ok) {
        json_decref(d);
        json_decref(rules);
        json_decref(notes);
        return NULL;
    }
    set(d, "name", json_string("iprcheck"), &ok);
    set(d, "version", str(meta->tool_version), &ok);
    set(d, "semanticVersion", str(meta->tool_version), &ok);
    set(d, "informationUri", json_string(SARIF_INFORMATION_URI), &ok);
    for (size_t i = 0; ok && i < meta->rule_count; i++)
        append(rules, rule_descriptor(meta->rules[i], &s->tmp), &ok);
    for (size_t i = 0; ok && i < s->extra_rules.count; i++) {
        const ipr_rule_info *const *rule = vec_at(&s->extra_rules, i);
        append(rules, rule_descriptor(*rule, &s->tmp), &ok);
    }
    set(d, "rules", rules, &ok);
    append(notes,
           notification_descriptor("record-error", "RecordError",
                                   "A record could not be read, so it was not checked"),
           &ok);
    append(notes,
           notification_descriptor("record-incomplete", "RecordIncomplete",
                                   "A limit stopped part of the checks of a record"),
           &ok);
    set(d, "notifications", notes, &ok);
    return finish_obj(d, ok);
}

/* The json format's summary object, taken from its one-line rendering so
 * the two formats can never count differently. */
static json_t *summary_json(struct ipr_reporter *r)
{
    struct buf line;
    buf_init(&line, 0);
    json_t *summary = NULL;
    if (report_summary_json(r, &line) == IPR_OK)
        summary = json_loadb(line.data, line.len, 0, NULL);
    buf_release(&line);
    return summary;
}

static json_t *run_properties(struct ipr_reporter *r)
{
    const struct report_meta *meta = reporter_meta(r);
    json_t *p = json_object(), *inputs = json_array();
    bool ok = p && inputs;
    if (!ok) {
        json_decref(p);
        json_decref(inputs);
        return NULL;
    }
    set(p, "tool_version", str(meta->tool_version), &ok);
    set(p, "rules_sha256", str(meta->rules_sha256), &ok);
    set(p, "summary", summary_json(r), &ok);
    for (size_t i = 0; ok && i < reporter_input_count(r); i++) {
        const struct report_input *in = reporter_input(r, i);
        json_t *row = json_object();
        if (row) {
            set(row, "file", str(in->file), &ok);
            set(row, "description", str(in->description), &ok);
        }
        append(inputs, row, &ok);
    }
    set(p, "inputs", inputs, &ok);
    return finish_obj(p, ok);
}

static ipr_status sarif_finish(struct ipr_reporter *r, void *state)
{
    struct sarif_state *s = state;
    json_t *doc = json_object(), *runs = json_array(), *run = json_object(), *tool = json_object(),
           *invocations = json_array(), *invocation = json_object();
    bool ok = doc && runs && run && tool && invocations && invocation;
    if (ok) {
        /* built last: a result may have added a rule the meta did not list */
        set(tool, "driver", driver_json(r, s), &ok);
        set(run, "tool", tool, &ok);
        set(invocation, "executionSuccessful", json_true(), &ok);
        set(invocation, "toolExecutionNotifications", json_incref(s->notifications), &ok);
        append(invocations, invocation, &ok);
        set(run, "invocations", invocations, &ok);
        /* columns are those of the input as read; see docs/reports.md */
        set(run, "columnKind", json_string("unicodeCodePoints"), &ok);
        set(run, "results", json_incref(s->results), &ok);
        set(run, "properties", run_properties(r), &ok);
        append(runs, run, &ok);
        set(doc, "$schema", json_string(SARIF_SCHEMA_URI), &ok);
        set(doc, "version", json_string("2.1.0"), &ok);
        set(doc, "runs", runs, &ok);
    } else {
        json_decref(runs);
        json_decref(run);
        json_decref(tool);
        json_decref(invocations);
        json_decref(invocation);
    }
    ipr_status st = ok ? IPR_OK : IPR_ENOMEM;
    buf_clear(&s->tmp);
    if (st == IPR_OK)
        st = report_json_dump(doc, JSON_INDENT(2), &s->tmp);
    if (st == IPR_OK)
        st = reporter_write(r, s->tmp.data, s->tmp.len);
    json_decref(doc);
    return st;
}

const struct reporter_ops report_sarif_ops = {
    .begin = sarif_begin,
    .record = sarif_record,
    .finish = sarif_finish,
    .free = sarif_free,
};
