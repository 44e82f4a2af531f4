/*
 * api.c - the public functions that join include/iprcheck.h to the stages
 * that do not implement their own: readers, reporters and versions.
 *
 * The compiler, ruleset and scanner implement their ipr_* functions in
 * their own files; what is here only translates between public handles and
 * internal structs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>
#include <jansson.h>
#include <unicode/uversion.h>

#include "base/common.h"
#include "compile/builtin.h"
#include "compile/ruleset.h"
#include "input/reader.h"
#include "input/record.h"
#include "report/report.h"

/* ---- readers and records ---------------------------------------------------------- */

ipr_status ipr_reader_open(const char *path, ipr_input_format format, ipr_reader **out)
{
    if (!path || !out)
        return IPR_EINVAL;
    return reader_open_path(path, format, out);
}

ipr_status ipr_reader_open_mem(const char *display_name, const char *data, size_t data_len,
                               ipr_input_format format, ipr_reader **out)
{
    if (!display_name || (!data && data_len) || !out)
        return IPR_EINVAL;
    return reader_open_mem(display_name, data ? data : "", data_len, format, out);
}

void ipr_reader_free(ipr_reader *reader)
{
    if (reader)
        reader_free(reader);
}

ipr_input_format ipr_reader_format(const ipr_reader *reader)
{
    return reader ? reader_format(reader) : IPR_INPUT_AUTO;
}

/* The built-in profiles are embedded with the rule packs. */
static struct reader_config reader_config_of(const ipr_reader_options *o)
{
    struct reader_config cfg = {IPR_INPUT_AUTO, NULL, NULL, builtin_files, NULL, 0};
    if (o) {
        cfg.format = o->format;
        cfg.profile = o->profile;
        cfg.encoding = o->encoding;
        cfg.message = o->message;
        cfg.message_len = o->message ? o->message_len : 0;
    }
    return cfg;
}

static struct reader_caps reader_caps_of(const ipr_reader_options *o)
{
    struct reader_caps caps = {0, 0};
    if (o) {
        caps.max_field_bytes = o->max_field_bytes;
        caps.max_record_bytes = o->max_record_bytes;
    }
    return caps;
}

ipr_status ipr_reader_open_ex(const char *path, const ipr_reader_options *options, ipr_reader **out)
{
    if (!path || !out)
        return IPR_EINVAL;
    struct reader_config cfg = reader_config_of(options);
    struct reader_caps caps = reader_caps_of(options);
    return reader_open_path_capped(path, &cfg, &caps, out);
}

ipr_status ipr_reader_options_check(const ipr_reader_options *options)
{
    struct reader_config cfg = reader_config_of(options);
    struct reader_caps caps = reader_caps_of(options);
    ipr_status st = reader_caps_check(&caps, cfg.message, cfg.message_len);
    return st == IPR_OK ? reader_config_check(&cfg) : st;
}

const char *ipr_reader_description(const ipr_reader *reader)
{
    return reader ? reader_description(reader) : "";
}

size_t ipr_reader_unmapped_count(const ipr_reader *reader)
{
    return reader ? reader_unmapped_count(reader) : 0;
}

const char *ipr_reader_unmapped(const ipr_reader *reader, size_t index)
{
    return reader ? reader_unmapped(reader, index) : NULL;
}

ipr_status ipr_reader_next(ipr_reader *reader, const ipr_record **out)
{
    if (!reader || !out)
        return IPR_EINVAL;
    return reader_next(reader, out);
}

ipr_status ipr_reader_take(ipr_reader *reader, ipr_record **slot)
{
    return reader_take(reader, slot);
}

const char *ipr_record_file(const ipr_record *r)
{
    return r && r->file ? r->file : "";
}

uint32_t ipr_record_line(const ipr_record *r)
{
    return r ? r->line : 0;
}

uint64_t ipr_record_index(const ipr_record *r)
{
    return r ? r->index : 0;
}

const char *ipr_record_key(const ipr_record *r)
{
    return r && r->key ? r->key : "";
}

const char *ipr_record_error(const ipr_record *r)
{
    return r ? r->error : NULL;
}

const char *ipr_record_incomplete(const ipr_record *r)
{
    return r ? r->incomplete : NULL;
}

size_t ipr_record_field_count(const ipr_record *r)
{
    return r ? r->field_count : 0;
}

ipr_status ipr_record_clone(const ipr_record *r, ipr_record **out)
{
    if (!r || !out)
        return IPR_EINVAL;
    struct ipr_record *c = malloc(sizeof(*c));
    if (!c)
        return IPR_ENOMEM;
    record_init(c);
    ipr_status st = record_copy(c, r);
    if (st != IPR_OK) {
        record_release(c);
        free(c);
        return st;
    }
    *out = c;
    return IPR_OK;
}

ipr_status ipr_record_copy(ipr_record *dst, const ipr_record *src)
{
    if (!dst || !src || dst == src)
        return IPR_EINVAL;
    return record_copy(dst, src);
}

void ipr_record_free(ipr_record *r)
{
    if (!r)
        return;
    record_release(r);
    free(r);
}

ipr_status ipr_record_field(const ipr_record *r, size_t index, ipr_field_view *out)
{
    if (!r || !out || index >= r->field_count)
        return IPR_EINVAL;
    const struct record_field *f = &r->fields[index];
    out->path = f->path;
    out->name = f->name;
    out->value = f->value;
    out->value_len = f->value_len;
    out->line = f->line;
    out->col = f->col;
    return IPR_OK;
}

/* ---- reporters ------------------------------------------------------------------ */

/* The public reporter carries the meta that the report module borrows. */
struct ipr_reporter_handle {
    struct ipr_reporter *inner;
    struct report_meta meta;
    const ipr_rule_info **rules;
};

ipr_status ipr_reporter_new(ipr_report_format format, const ipr_ruleset *rs,
                            const ipr_report_options *options, ipr_write_fn write, void *user,
                            ipr_reporter **out)
{
    if (!rs || !write || !out)
        return IPR_EINVAL;
    struct ipr_reporter_handle *h = calloc(1, sizeof(*h));
    if (!h)
        return IPR_ENOMEM;
    h->rules = calloc(rs->rule_count ? rs->rule_count : 1, sizeof(*h->rules));
    if (!h->rules) {
        free(h);
        return IPR_ENOMEM;
    }
    for (size_t i = 0; i < rs->rule_count; i++)
        h->rules[i] = &rs->rules[i].info;
    h->meta.tool_version = IPR_VERSION_STRING;
    h->meta.rules_sha256 = rs->sha256;
    h->meta.rules = h->rules;
    h->meta.rule_count = rs->rule_count;
    for (unsigned s = 0; s < IPR_STAGE_COUNT; s++)
        h->meta.stage_rule_count[s] = rs->stage_rule_count[s];
    h->meta.flags = options ? options->flags : 0;
    h->meta.fail_on = options ? options->fail_on : IPR_SEV_HIGH;
    ipr_status st = reporter_new(format, &h->meta, write, user, &h->inner);
    if (st != IPR_OK) {
        free(h->rules);
        free(h);
        return st;
    }
    *out = (ipr_reporter *)h;
    return IPR_OK;
}

static struct ipr_reporter_handle *handle(ipr_reporter *r)
{
    return (struct ipr_reporter_handle *)r;
}

void ipr_reporter_free(ipr_reporter *r)
{
    if (!r)
        return;
    reporter_free(handle(r)->inner);
    free(handle(r)->rules);
    free(handle(r));
}

ipr_status ipr_reporter_begin_record(ipr_reporter *r, const ipr_record *rec)
{
    if (!r || !rec)
        return IPR_EINVAL;
    struct report_record rr = {ipr_record_file(rec), rec->line,  rec->index,
                               ipr_record_key(rec),  rec->error, NULL};
    return reporter_begin_record(handle(r)->inner, &rr);
}

ipr_status ipr_reporter_add_finding(ipr_reporter *r, const ipr_finding *f)
{
    if (!r || !f)
        return IPR_EINVAL;
    return reporter_add_finding(handle(r)->inner, f);
}

ipr_status ipr_reporter_end_record(ipr_reporter *r)
{
    return r ? reporter_end_record(handle(r)->inner) : IPR_EINVAL;
}

ipr_status ipr_reporter_set_incomplete(ipr_reporter *r, const char *reason)
{
    return r ? reporter_set_incomplete(handle(r)->inner, reason) : IPR_EINVAL;
}

ipr_status ipr_reporter_add_outside_shard(ipr_reporter *r, uint64_t count)
{
    return r ? reporter_add_outside_shard(handle(r)->inner, count) : IPR_EINVAL;
}

ipr_status ipr_reporter_add_input(ipr_reporter *r, const char *file, const char *description)
{
    return r ? reporter_add_input(handle(r)->inner, file, description) : IPR_EINVAL;
}

ipr_status ipr_reporter_add_input_error(ipr_reporter *r, const char *file, const char *message)
{
    if (!r || !file || !message)
        return IPR_EINVAL;
    return reporter_add_input_error(handle(r)->inner, file, message);
}

ipr_status ipr_reporter_finish(ipr_reporter *r)
{
    return r ? reporter_finish(handle(r)->inner) : IPR_EINVAL;
}

void ipr_reporter_totals(const ipr_reporter *r, ipr_report_totals *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof(*out));
    if (r)
        reporter_totals(((const struct ipr_reporter_handle *)r)->inner, out);
}

ipr_status ipr_reporter_summary_json(const ipr_reporter *r, char **out)
{
    if (!r || !out)
        return IPR_EINVAL;
    struct buf b;
    buf_init(&b, 0);
    ipr_status st = report_summary_json(((const struct ipr_reporter_handle *)r)->inner, &b);
    if (st != IPR_OK) {
        buf_release(&b);
        return st;
    }
    *out = buf_detach(&b);
    return *out ? IPR_OK : IPR_ENOMEM;
}

/* ---- versions ------------------------------------------------------------------- */

const char *ipr_version(void)
{
    return IPR_VERSION_STRING;
}

/* Filled once per call into a caller-invisible static buffer would be a
 * global; instead the versions are compile-time strings where the library
 * offers them, and run-time values are formatted by the caller through
 * ipr_dependency_versions_write(). */
ipr_status ipr_dependency_versions_write(char *out, size_t out_len)
{
    if (!out || out_len == 0)
        return IPR_EINVAL;
    char pcre[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    UVersionInfo icu;
    u_getVersion(icu);
    char icu_text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(icu, icu_text);
    int n = snprintf(out, out_len, "pcre2 %s, libyaml %s, jansson %s, icu %s", pcre,
                     yaml_get_version_string(), jansson_version_str(), icu_text);
    return n >= 0 && (size_t)n < out_len ? IPR_OK : IPR_ELIMIT;
}
