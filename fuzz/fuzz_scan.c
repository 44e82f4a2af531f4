/*
 * fuzz_scan.c - libFuzzer target: whole scans of fuzzed records against the
 * built-in rule packs and trademark registry, through a reporter.
 *
 * The first byte picks the input format (bits 0-1: jsonl, json, csv, tsv),
 * the report format (bits 2-3: text, json, jsonl), and whether the profile
 * (bit 4) and the encoding (bit 5) are detected, as the program does by
 * default, or fixed to canonical and utf-8; the rest is the listing.  Every record is scanned as
 * the CLI does it.  Invariants: each finding's span lies inside its field's value, the report adds
 * up (records = clean + flagged + incomplete + error), json and jsonl reports parse, and a text
 * report carries no control byte other than a newline and no invalid UTF-8, whatever the listing
 * held.  Each record is scanned a second time by the same scanner, whose memo of short values
 * (value_memo.h) then holds the record's own: the findings must be the same.
 */
#include <jansson.h>
#include <string.h>

#include "compile/builtin.h"
#include "fuzz_common.h"
#include "input/reader.h"

static ipr_ruleset *ruleset;
static ipr_scanner *scanner;

/* Used only when the built-in packs do not compile, so fuzzing still runs. */
static const char fallback_pack[] = "pack: fuzz-fallback\n"
                                    "stage: marketing\n"
                                    "version: \"1\"\n"
                                    "title: fallback\n"
                                    "rules:\n"
                                    "  - id: FZ-TERMS\n"
                                    "    title: terms\n"
                                    "    severity: high\n"
                                    "    fields: ['*']\n"
                                    "    match:\n"
                                    "      any:\n"
                                    "        - terms: [replica, 高仿, nike]\n"
                                    "        - regex: '(?i)\\bAAA+\\s+quality\\b'\n"
                                    "    message: \"'{match}' in {field}\"\n";

static ipr_ruleset *compile(bool builtin, bool trademarks)
{
    ipr_compiler *c = NULL;
    ipr_ruleset *rs = NULL;
    FUZZ_CHECK(ipr_compiler_new(&c) == IPR_OK);
    ipr_status st = builtin ? ipr_compiler_add_builtin(c)
                            : ipr_compiler_add_string(c, "fallback.yaml", fallback_pack,
                                                      sizeof(fallback_pack) - 1);
    if (st == IPR_OK && trademarks)
        st = ipr_compiler_add_builtin_trademarks(c);
    ipr_compiler_set_reference_date(c, "2025-01-01");
    if (st == IPR_OK)
        st = ipr_compiler_finish(c, &rs);
    ipr_compiler_free(c);
    return st == IPR_OK ? rs : NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    ruleset = compile(true, true);
    if (!ruleset) {
        fprintf(stderr, "fuzz_scan: the built-in registry does not compile; packs only\n");
        ruleset = compile(true, false);
    }
    if (!ruleset) {
        fprintf(stderr, "fuzz_scan: the built-in packs do not compile; fallback pack\n");
        ruleset = compile(false, false);
    }
    FUZZ_CHECK(ruleset != NULL);
    FUZZ_CHECK(ipr_scanner_new(ruleset, &scanner) == IPR_OK);
    return 0;
}

struct out {
    char *bytes;
    size_t len, cap;
};

static int collect(const char *bytes, size_t len, void *user)
{
    struct out *o = user;
    if (o->len + len + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        while (cap < o->len + len + 1)
            cap *= 2;
        char *b = realloc(o->bytes, cap);
        if (!b)
            return 1;
        o->bytes = b;
        o->cap = cap;
    }
    memcpy(o->bytes + o->len, bytes, len);
    o->len += len;
    o->bytes[o->len] = '\0';
    return 0;
}

struct scan_ctx {
    ipr_reporter *reporter;
    const ipr_record *record;
    uint64_t findings;
    uint64_t digest; /* of the record's findings so far, in order */
};

/* Folds what a finding says into a digest (FNV-1a over its strings and
 * numbers). */
static uint64_t digest_finding(uint64_t d, const ipr_finding *f)
{
    const char *parts[] = {f->rule->id,
                           f->field,
                           f->message,
                           f->fingerprint,
                           f->match_kind ? f->match_kind : "",
                           f->owner ? f->owner : ""};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        for (const char *p = parts[i];; p++) {
            d = (d ^ (unsigned char)*p) * 0x100000001B3ull;
            if (!*p)
                break;
        }
    uint64_t nums[] = {f->span_start, f->span_end, (uint64_t)f->severity,
                       (uint64_t)(f->confidence * 1000.0)};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        d = (d ^ nums[i]) * 0x100000001B3ull;
    return d;
}

/* The second scan's callback: the digest alone. */
static int on_finding_again(const ipr_finding *f, void *user)
{
    struct scan_ctx *ctx = user;
    ctx->findings++;
    ctx->digest = digest_finding(ctx->digest, f);
    return 0;
}

static int on_finding(const ipr_finding *f, void *user)
{
    struct scan_ctx *ctx = user;
    FUZZ_CHECK(f->rule && f->rule->id);
    FUZZ_CHECK((unsigned)f->severity < IPR_SEV_COUNT);
    FUZZ_CHECK(f->confidence >= 0.0 && f->confidence <= 1.0);
    FUZZ_CHECK(f->field && f->value && f->matched && f->message && f->fingerprint);
    FUZZ_CHECK(f->span_start <= f->span_end && f->span_end <= f->value_len);
    FUZZ_CHECK(strlen(f->fingerprint) == 16);
    if (f->field[0] && f->value_len) {
        /* a finding with a value names a field of the record (its value may
         * be the field's source, e.g. the HTML a text field was taken from) */
        bool found = false;
        for (size_t i = 0, n = ipr_record_field_count(ctx->record); i < n && !found; i++) {
            ipr_field_view v;
            FUZZ_CHECK(ipr_record_field(ctx->record, i, &v) == IPR_OK);
            found = strcmp(v.name, f->field) == 0;
        }
        if (!found)
            fprintf(stderr, "%s: field '%s' is not in the record\n", f->rule->id, f->field);
        FUZZ_CHECK(found);
    }
    ctx->findings++;
    ctx->digest = digest_finding(ctx->digest, f);
    FUZZ_CHECK(ipr_reporter_add_finding(ctx->reporter, f) == IPR_OK);
    return 0;
}

static void check_text(const struct out *o)
{
    for (size_t i = 0; i < o->len; i++) {
        unsigned char c = (unsigned char)o->bytes[i];
        FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7f));
    }
    FUZZ_CHECK(fuzz_utf8_valid(o->bytes, o->len));
}

static json_t *parse_json(const char *s, size_t len)
{
    json_error_t err;
    json_t *j = json_loadb(s, len, JSON_ALLOW_NUL, &err);
    if (!j)
        fprintf(stderr, "report does not parse: %s at %d:%d\n", err.text, err.line, err.column);
    FUZZ_CHECK(j != NULL);
    return j;
}

static void check_json(const struct out *o, const ipr_report_totals *t)
{
    json_t *doc = parse_json(o->bytes, o->len);
    json_t *s = json_object_get(doc, "summary");
    FUZZ_CHECK(json_is_object(s));
    json_int_t records = json_integer_value(json_object_get(s, "records"));
    json_int_t sum = json_integer_value(json_object_get(s, "clean")) +
                     json_integer_value(json_object_get(s, "flagged")) +
                     json_integer_value(json_object_get(s, "incomplete")) +
                     json_integer_value(json_object_get(s, "error"));
    FUZZ_CHECK(records == sum && (uint64_t)records == t->records);
    FUZZ_CHECK((uint64_t)json_integer_value(json_object_get(s, "findings")) == t->findings);
    FUZZ_CHECK(json_array_size(json_object_get(doc, "findings")) == t->findings);
    json_decref(doc);
}

static void check_jsonl(const struct out *o, const ipr_report_totals *t)
{
    uint64_t lines = 0;
    const char *p = o->bytes ? o->bytes : "", *end = p + o->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        FUZZ_CHECK(nl != NULL);
        json_t *line = parse_json(p, (size_t)(nl - p));
        FUZZ_CHECK(json_is_string(json_object_get(line, "status")));
        json_decref(line);
        lines++;
        p = nl + 1;
    }
    FUZZ_CHECK(lines == t->records);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const ipr_input_format inputs[] = {IPR_INPUT_JSONL, IPR_INPUT_JSON, IPR_INPUT_CSV,
                                              IPR_INPUT_TSV};
    static const ipr_report_format reports[] = {IPR_REPORT_TEXT, IPR_REPORT_JSON, IPR_REPORT_JSONL,
                                                IPR_REPORT_JSON};
    ipr_input_format in_fmt = inputs[data[0] & 3u];
    ipr_report_format rep_fmt = reports[(data[0] >> 2) & 3u];

    struct out out = {0};
    ipr_report_options opts = {0, IPR_SEV_HIGH};
    struct scan_ctx ctx = {0};
    FUZZ_CHECK(ipr_reporter_new(rep_fmt, ruleset, &opts, collect, &out, &ctx.reporter) == IPR_OK);
    struct reader_config cfg = {in_fmt,
                                (data[0] & 16u) ? "auto" : "canonical",
                                (data[0] & 32u) ? "auto" : "utf-8",
                                builtin_files,
                                NULL,
                                0};
    struct ipr_reader *r = NULL;
    ipr_status opened = reader_open_mem_ex("fuzz", (const char *)data + 1, size - 1, &cfg, &r);
    FUZZ_CHECK(opened == IPR_OK || opened == IPR_EUNSUPPORTED); /* a binary file is refused */
    if (opened != IPR_OK) {
        ipr_reporter_free(ctx.reporter);
        free(out.bytes);
        return 0;
    }
    const ipr_record *rec;
    ipr_status st;
    uint64_t records = 0, errors = 0, incomplete = 0;
    while ((st = ipr_reader_next(r, &rec)) == IPR_OK) {
        records++;
        errors += ipr_record_error(rec) != NULL;
        ctx.record = rec;
        FUZZ_CHECK(ipr_reporter_begin_record(ctx.reporter, rec) == IPR_OK);
        uint64_t before = ctx.findings;
        ctx.digest = 0xCBF29CE484222325ull;
        st = ipr_scanner_scan(scanner, rec, on_finding, &ctx);
        FUZZ_CHECK(st == IPR_OK);
        const char *why = ipr_scanner_incomplete(scanner); /* a string of the library's */
        struct scan_ctx again = {.digest = 0xCBF29CE484222325ull};
        FUZZ_CHECK(ipr_scanner_scan(scanner, rec, on_finding_again, &again) == IPR_OK);
        if (!why && !ipr_scanner_incomplete(scanner)) {
            /* the same findings (a record left incomplete may stop elsewhere) */
            FUZZ_CHECK(again.findings == ctx.findings - before);
            FUZZ_CHECK(again.digest == ctx.digest);
        }
        if (why) {
            incomplete++;
            FUZZ_CHECK(ipr_reporter_set_incomplete(ctx.reporter, why) == IPR_OK);
        }
        FUZZ_CHECK(ipr_reporter_end_record(ctx.reporter) == IPR_OK);
    }
    FUZZ_CHECK(st == IPR_DONE || st == IPR_ELIMIT);
    ipr_reader_free(r);
    FUZZ_CHECK(ipr_reporter_finish(ctx.reporter) == IPR_OK);

    ipr_report_totals t;
    ipr_reporter_totals(ctx.reporter, &t);
    FUZZ_CHECK(t.records == records && t.error == errors && t.findings == ctx.findings);
    FUZZ_CHECK(t.records == t.clean + t.flagged + t.incomplete + t.error);
    FUZZ_CHECK(t.incomplete <= incomplete);
    if (rep_fmt == IPR_REPORT_TEXT)
        check_text(&out);
    else if (rep_fmt == IPR_REPORT_JSON)
        check_json(&out, &t);
    else
        check_jsonl(&out, &t);
    ipr_reporter_free(ctx.reporter);
    free(out.bytes);
    return 0;
}
