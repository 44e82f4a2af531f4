/*
 * names.c - the names of the public enumerations, and their parsers.
 *
 * These strings are part of the contract: they appear in rule packs, on the
 * command line and in every report format, so they never change.
 */
#include "common.h"

static const char *const status_names[] = {
    [IPR_OK] = "ok",
    [IPR_DONE] = "no more records",
    [IPR_ENOMEM] = "out of memory",
    [IPR_EINVAL] = "invalid argument",
    [IPR_EIO] = "input/output error",
    [IPR_ERULES] = "rule packs have errors",
    [IPR_EPARSE] = "input could not be parsed",
    [IPR_ELIMIT] = "limit exceeded",
    [IPR_ENOTFOUND] = "not found",
    [IPR_ECALLBACK] = "stopped by callback",
    [IPR_EUNSUPPORTED] = "not supported",
};

const char *ipr_status_str(ipr_status status)
{
    if ((unsigned)status < IPR_ARRAY_LEN(status_names) && status_names[status])
        return status_names[status];
    return "unknown status";
}

static const char *const severity_names[IPR_SEV_COUNT] = {"info", "low", "medium", "high",
                                                          "critical"};

const char *ipr_severity_name(ipr_severity severity)
{
    return (unsigned)severity < IPR_SEV_COUNT ? severity_names[severity] : "unknown";
}

static ipr_status parse_name(const char *const *names, size_t count, const char *name,
                             unsigned *out)
{
    for (size_t i = 0; i < count; i++) {
        if (names[i] && strcmp(names[i], name) == 0) {
            *out = (unsigned)i;
            return IPR_OK;
        }
    }
    return IPR_ENOTFOUND;
}

ipr_status ipr_severity_parse(const char *name, ipr_severity *out)
{
    unsigned v;
    ipr_status st = parse_name(severity_names, IPR_SEV_COUNT, name, &v);
    if (st == IPR_OK)
        *out = (ipr_severity)v;
    return st;
}

static const char *const stage_names[IPR_STAGE_COUNT] = {"headway", "tailing", "payment",
                                                         "marketing", "warehousing"};

const char *ipr_stage_name(ipr_stage stage)
{
    return (unsigned)stage < IPR_STAGE_COUNT ? stage_names[stage] : "unknown";
}

ipr_status ipr_stage_parse(const char *name, ipr_stage *out)
{
    unsigned v;
    ipr_status st = parse_name(stage_names, IPR_STAGE_COUNT, name, &v);
    if (st == IPR_OK)
        *out = (ipr_stage)v;
    return st;
}

static const char *const input_format_names[] = {"auto", "csv", "tsv", "jsonl", "json"};

const char *ipr_input_format_name(ipr_input_format format)
{
    return (unsigned)format < IPR_ARRAY_LEN(input_format_names) ? input_format_names[format]
                                                                : "unknown";
}

ipr_status ipr_input_format_parse(const char *name, ipr_input_format *out)
{
    unsigned v;
    ipr_status st = parse_name(input_format_names, IPR_ARRAY_LEN(input_format_names), name, &v);
    if (st == IPR_OK)
        *out = (ipr_input_format)v;
    return st;
}

static const char *const report_format_names[] = {"text", "json", "jsonl", "sarif",
                                                  "csv",  "html", "junit", "github"};

const char *ipr_report_format_name(ipr_report_format format)
{
    return (unsigned)format < IPR_ARRAY_LEN(report_format_names) ? report_format_names[format]
                                                                 : "unknown";
}

ipr_status ipr_report_format_parse(const char *name, ipr_report_format *out)
{
    unsigned v;
    ipr_status st = parse_name(report_format_names, IPR_ARRAY_LEN(report_format_names), name, &v);
    if (st == IPR_OK)
        *out = (ipr_report_format)v;
    return st;
}
