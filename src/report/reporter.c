/*
 * reporter.c - the format registry and the bookkeeping every format shares
 * (see report.h).
 *
 * A record is buffered from begin to end because every format needs to know
 * its status before it writes it (a jsonl line names the status before the
 * findings; the text report prints a header only for flagged records).  The
 * copies live in an arena reset at each record, so steady-state reporting
 * allocates nothing.  Accounting happens here and only here: the invariant
 * records = clean + flagged + error holds after every call.
 */
#include "report.h"

#include <stdlib.h>

#include "../base/arena.h"
#include "../base/vec.h"

/* Indexed by ipr_report_format: adding a format is one file and one line. */
static const struct reporter_ops *const formats[] = {
    [IPR_REPORT_TEXT] = &report_text_ops,   [IPR_REPORT_JSON] = &report_json_ops,
    [IPR_REPORT_JSONL] = &report_jsonl_ops, [IPR_REPORT_HTML] = &report_html_ops,
    [IPR_REPORT_SARIF] = &report_sarif_ops, [IPR_REPORT_CSV] = &report_csv_ops,
    [IPR_REPORT_JUNIT] = &report_junit_ops, [IPR_REPORT_GITHUB] = &report_github_ops,
};

enum phase { PHASE_IDLE, PHASE_IN_RECORD, PHASE_FINISHED };

struct ipr_reporter {
    const struct reporter_ops *ops;
    void *state;             /* the format's, released by ops->free */
    struct report_meta meta; /* strings and the rules array copied into keep */
    struct arena keep;       /* lives as long as the reporter */
    ipr_write_fn write;
    void *write_user;
    enum phase phase;
    ipr_status failure;       /* first write or allocation failure; sticky */
    struct arena scratch;     /* copies of the current record; reset per record */
    struct report_record rec; /* the current record, strings in scratch */
    struct vec findings;      /* of ipr_finding, strings in scratch */
    ipr_report_totals totals;
    uint64_t stage_passed[IPR_STAGE_COUNT];
    uint64_t stage_flagged[IPR_STAGE_COUNT];
    struct vec inputs; /* struct report_input, strings in keep */
};

static const char *const status_names[] = {
    [REPORT_CLEAN] = "clean",
    [REPORT_FLAGGED] = "flagged",
    [REPORT_ERROR] = "error",
    [REPORT_INCOMPLETE] = "incomplete",
};

const char *report_status_name(enum report_status status)
{
    return (unsigned)status < IPR_ARRAY_LEN(status_names) ? status_names[status] : "unknown";
}

/* Remembers a failure that leaves the report incomplete.  IPR_EINVAL is not
 * one: a rejected call changed nothing. */
static ipr_status fail(struct ipr_reporter *r, ipr_status st)
{
    if (st != IPR_OK && st != IPR_EINVAL && r->failure == IPR_OK)
        r->failure = st;
    return st;
}

/* Copies what a caller is likely to build on the stack; the rule infos
 * themselves belong to the ruleset, like the findings that point at them. */
static ipr_status copy_meta(struct arena *a, const struct report_meta *in, struct report_meta *out)
{
    *out = *in;
    out->tool_version = arena_strdup(a, in->tool_version ? in->tool_version : IPR_VERSION_STRING);
    out->rules_sha256 = arena_strdup(a, in->rules_sha256 ? in->rules_sha256 : "");
    const ipr_rule_info **rules = NULL;
    if (in->rule_count) {
        rules = arena_calloc(a, in->rule_count, sizeof *rules);
        if (!rules)
            return IPR_ENOMEM;
        memcpy(rules, in->rules, in->rule_count * sizeof *rules);
    }
    out->rules = rules;
    return out->tool_version && out->rules_sha256 ? IPR_OK : IPR_ENOMEM;
}

ipr_status reporter_new(ipr_report_format format, const struct report_meta *meta,
                        ipr_write_fn write, void *user, struct ipr_reporter **out)
{
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if (!meta || !write || (unsigned)meta->fail_on >= IPR_SEV_COUNT ||
        (meta->rule_count && !meta->rules))
        return IPR_EINVAL;
    if ((unsigned)format >= IPR_ARRAY_LEN(formats) || !formats[format])
        return IPR_EUNSUPPORTED;

    struct ipr_reporter *r = calloc(1, sizeof *r);
    if (!r)
        return IPR_ENOMEM;
    r->ops = formats[format];
    r->write = write;
    r->write_user = user;
    r->phase = PHASE_IDLE;
    arena_init(&r->keep, 4u * 1024u);
    arena_init(&r->scratch, 16u * 1024u);
    vec_init(&r->findings, sizeof(ipr_finding));
    vec_init(&r->inputs, sizeof(struct report_input));
    ipr_status st = copy_meta(&r->keep, meta, &r->meta);
    if (st == IPR_OK)
        st = r->ops->begin(r, &r->state);
    if (st != IPR_OK) {
        reporter_free(r);
        return st;
    }
    *out = r;
    return IPR_OK;
}

void reporter_free(struct ipr_reporter *r)
{
    if (!r)
        return;
    if (r->ops && r->ops->free)
        r->ops->free(r->state);
    arena_release(&r->scratch);
    arena_release(&r->keep);
    vec_release(&r->findings);
    vec_release(&r->inputs);
    free(r);
}

static const char *copy_str(struct arena *a, const char *s)
{
    return arena_strdup(a, s ? s : "");
}

ipr_status reporter_begin_record(struct ipr_reporter *r, const struct report_record *rec)
{
    if (!r || !rec)
        return IPR_EINVAL;
    if (r->failure != IPR_OK)
        return r->failure;
    if (r->phase != PHASE_IDLE)
        return IPR_EINVAL;
    arena_reset(&r->scratch);
    vec_clear(&r->findings);
    r->rec.file = copy_str(&r->scratch, rec->file);
    r->rec.line = rec->line;
    r->rec.index = rec->index;
    r->rec.key = copy_str(&r->scratch, rec->key);
    r->rec.error = rec->error ? arena_strdup(&r->scratch, rec->error) : NULL;
    r->rec.incomplete = NULL;
    if (!r->rec.file || !r->rec.key || (rec->error && !r->rec.error))
        return fail(r, IPR_ENOMEM);
    r->phase = PHASE_IN_RECORD;
    return IPR_OK;
}

static bool copy_opt(struct arena *a, const char *s, const char **out)
{
    *out = s ? arena_strdup(a, s) : NULL;
    return !s || *out;
}

ipr_status reporter_add_finding(struct ipr_reporter *r, const ipr_finding *f)
{
    if (!r || !f || !f->rule)
        return IPR_EINVAL;
    if (r->failure != IPR_OK)
        return r->failure;
    if (r->phase != PHASE_IN_RECORD || r->rec.error || (unsigned)f->severity >= IPR_SEV_COUNT ||
        (unsigned)f->rule->stage >= IPR_STAGE_COUNT)
        return IPR_EINVAL;

    const char *value = f->value ? f->value : "";
    size_t value_len = f->value ? f->value_len : 0;
    ipr_finding *c = vec_push(&r->findings);
    if (!c)
        return fail(r, IPR_ENOMEM);
    *c = *f;
    /* Several findings on one field share its value: copy it once. */
    const ipr_finding *prev =
        r->findings.count > 1 ? vec_at(&r->findings, r->findings.count - 2) : NULL;
    struct arena *a = &r->scratch;
    if (prev && prev->value_len == value_len && memcmp(prev->value, value, value_len) == 0)
        c->value = prev->value;
    else
        c->value = arena_strndup(a, value, value_len);
    c->value_len = value_len;
    c->field = copy_str(a, f->field);
    c->matched = arena_strndup(a, f->matched ? f->matched : "", f->matched ? f->matched_len : 0);
    c->matched_len = f->matched ? f->matched_len : 0;
    c->message = copy_str(a, f->message);
    c->fingerprint = copy_str(a, f->fingerprint);
    bool ok = copy_opt(a, f->mark, &c->mark) && copy_opt(a, f->owner, &c->owner) &&
              copy_opt(a, f->match_kind, &c->match_kind);
    if (!ok || !c->value || !c->field || !c->matched || !c->message || !c->fingerprint) {
        r->findings.count--;
        return fail(r, IPR_ENOMEM);
    }
    return IPR_OK;
}

ipr_status reporter_end_record(struct ipr_reporter *r)
{
    if (!r)
        return IPR_EINVAL;
    if (r->failure != IPR_OK)
        return r->failure;
    if (r->phase != PHASE_IN_RECORD)
        return IPR_EINVAL;

    struct report_entry e = {
        .rec = &r->rec,
        .findings = r->findings.items,
        .finding_count = r->findings.count,
    };
    e.status = r->rec.error        ? REPORT_ERROR
               : r->rec.incomplete ? REPORT_INCOMPLETE
               : e.finding_count   ? REPORT_FLAGGED
                                   : REPORT_CLEAN;
    r->totals.records++;
    if (e.status == REPORT_ERROR) {
        r->totals.error++;
    } else if (e.status == REPORT_INCOMPLETE) {
        /* not "passed" for any stage: part of the check did not run */
        r->totals.incomplete++;
        r->totals.findings += e.finding_count;
        for (size_t i = 0; i < e.finding_count; i++)
            r->totals.findings_by_severity[e.findings[i].severity]++;
    } else {
        bool stage_hit[IPR_STAGE_COUNT] = {false};
        for (size_t i = 0; i < e.finding_count; i++) {
            r->totals.findings_by_severity[e.findings[i].severity]++;
            stage_hit[e.findings[i].rule->stage] = true;
        }
        r->totals.findings += e.finding_count;
        if (e.status == REPORT_FLAGGED)
            r->totals.flagged++;
        else
            r->totals.clean++;
        for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
            if (stage_hit[s])
                r->stage_flagged[s]++;
            else
                r->stage_passed[s]++;
        }
    }
    r->phase = PHASE_IDLE;
    return fail(r, r->ops->record(r, r->state, &e));
}

ipr_status reporter_add_input_error(struct ipr_reporter *r, const char *file, const char *message)
{
    if (!r || !message)
        return IPR_EINVAL;
    struct report_record rec = {.file = file, .line = 0, .index = 0, .key = "", .error = message};
    ipr_status st = reporter_begin_record(r, &rec);
    return st == IPR_OK ? reporter_end_record(r) : st;
}

ipr_status reporter_set_incomplete(struct ipr_reporter *r, const char *reason)
{
    if (!r || !reason)
        return IPR_EINVAL;
    if (r->failure != IPR_OK)
        return r->failure;
    if (r->phase != PHASE_IN_RECORD || r->rec.error)
        return IPR_EINVAL;
    r->rec.incomplete = arena_strdup(&r->scratch, reason);
    return r->rec.incomplete ? IPR_OK : fail(r, IPR_ENOMEM);
}

ipr_status reporter_add_outside_shard(struct ipr_reporter *r, uint64_t count)
{
    if (!r)
        return IPR_EINVAL;
    r->totals.outside_shard += count;
    return IPR_OK;
}

ipr_status reporter_add_input(struct ipr_reporter *r, const char *file, const char *description)
{
    if (!r || !file || !description)
        return IPR_EINVAL;
    struct report_input *in = vec_push(&r->inputs);
    if (!in)
        return fail(r, IPR_ENOMEM);
    in->file = arena_strdup(&r->keep, file);
    in->description = arena_strdup(&r->keep, description);
    if (!in->file || !in->description) {
        r->inputs.count--;
        return fail(r, IPR_ENOMEM);
    }
    return IPR_OK;
}

size_t reporter_input_count(const struct ipr_reporter *r)
{
    return r->inputs.count;
}

const struct report_input *reporter_input(const struct ipr_reporter *r, size_t i)
{
    return i < r->inputs.count ? vec_at(&r->inputs, i) : NULL;
}

ipr_status reporter_finish(struct ipr_reporter *r)
{
    if (!r)
        return IPR_EINVAL;
    if (r->failure != IPR_OK)
        return r->failure;
    if (r->phase != PHASE_IDLE)
        return IPR_EINVAL;
    r->phase = PHASE_FINISHED;
    return fail(r, r->ops->finish(r, r->state));
}

void reporter_totals(const struct ipr_reporter *r, ipr_report_totals *out)
{
    if (!out)
        return;
    if (!r) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = r->totals;
}

const struct report_meta *reporter_meta(const struct ipr_reporter *r)
{
    return &r->meta;
}

void reporter_stage_counts(const struct ipr_reporter *r, ipr_stage stage,
                           struct report_stage_counts *out)
{
    out->checks = r->meta.stage_rule_count[stage];
    out->passed = r->stage_passed[stage];
    out->flagged = r->stage_flagged[stage];
}

ipr_status reporter_write(struct ipr_reporter *r, const char *bytes, size_t len)
{
    if (r->failure != IPR_OK)
        return r->failure;
    if (len == 0)
        return IPR_OK;
    if (r->write(bytes, len, r->write_user) != 0)
        return fail(r, IPR_EIO);
    return IPR_OK;
}
