/*
 * fuzz_prefilter.c - libFuzzer target: the prefilter never hides a match.
 *
 * The input is a regex and a field value separated by the first NUL byte.
 * The regex becomes the one rule of a pack; the value, a record's title.
 * The record is scanned twice, with the prefilter and with --engine naive
 * (every regex on every field).  Invariant: both report the same findings,
 * span for span.  A literal the atom parser wrongly believes every match
 * holds, or wrongly marks as starting a word, or a position the field scan
 * skips, shows as a finding only the naive engine reports.
 *
 * Patterns the pack cannot carry in a single-quoted YAML scalar (control
 * bytes, invalid UTF-8) and values that are not UTF-8 (every reader hands
 * the scanner UTF-8) are skipped.
 */
#include <string.h>

#include "fuzz_common.h"
#include "input/record.h"
#include "iprcheck.h"

#define MAX_PATTERN 300
#define MAX_SPANS   64

struct spans {
    size_t count;
    size_t start[MAX_SPANS], end[MAX_SPANS];
};

static int on_finding(const ipr_finding *f, void *user)
{
    struct spans *sp = user;
    if (sp->count < MAX_SPANS) {
        sp->start[sp->count] = f->span_start;
        sp->end[sp->count] = f->span_end;
    }
    sp->count++;
    return 0;
}

static ipr_ruleset *compile_pattern(const char *pattern, size_t len)
{
    static const char head[] = "pack: fuzz\nstage: marketing\nversion: \"1\"\ntitle: fuzz\n"
                               "rules:\n  - id: FZ-RE\n    title: t\n    severity: low\n"
                               "    fields: [title]\n    match:\n      regex: '";
    char pack[sizeof(head) + 2 * MAX_PATTERN + 8];
    size_t n = sizeof(head) - 1;
    memcpy(pack, head, n);
    for (size_t i = 0; i < len; i++) {
        if (pattern[i] == '\'')
            pack[n++] = '\'';
        pack[n++] = pattern[i];
    }
    memcpy(pack + n, "'\n", 3);
    n += 2;
    ipr_compiler *c = NULL;
    ipr_ruleset *rs = NULL;
    if (ipr_compiler_new(&c) != IPR_OK)
        return NULL;
    if (ipr_compiler_add_string(c, "fuzz.yaml", pack, n) != IPR_OK ||
        ipr_compiler_finish(c, &rs) != IPR_OK)
        rs = NULL; /* a regex PCRE2 refuses: nothing to compare */
    ipr_compiler_free(c);
    return rs;
}

static void scan(ipr_scanner *s, const struct ipr_record *rec, ipr_engine engine, struct spans *out)
{
    memset(out, 0, sizeof(*out));
    ipr_scanner_set_engine(s, engine);
    ipr_status st = ipr_scanner_scan(s, (const ipr_record *)rec, on_finding, out);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    if (!nul)
        return 0;
    size_t plen = (size_t)(nul - text), vlen = size - plen - 1;
    const char *value = nul + 1;
    if (plen == 0 || plen > MAX_PATTERN || !fuzz_utf8_valid(text, plen) ||
        !fuzz_utf8_valid(value, vlen) || memchr(value, '\0', vlen))
        return 0;
    for (size_t i = 0; i < plen; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return 0;
    ipr_ruleset *rs = compile_pattern(text, plen);
    if (!rs)
        return 0;
    ipr_scanner *s = NULL;
    struct ipr_record rec;
    record_init(&rec);
    if (ipr_scanner_new(rs, &s) == IPR_OK &&
        record_add_field(&rec, "title", 5, value, vlen, 1, 0, FIELD_STRING) == IPR_OK &&
        record_finish(&rec) == IPR_OK) {
        struct spans pre, naive;
        scan(s, &rec, IPR_ENGINE_PREFILTER, &pre);
        scan(s, &rec, IPR_ENGINE_NAIVE, &naive);
        if (pre.count != naive.count)
            fprintf(stderr, "prefilter: %zu findings, naive: %zu\n", pre.count, naive.count);
        FUZZ_CHECK(pre.count == naive.count);
        for (size_t i = 0; i < pre.count && i < MAX_SPANS; i++)
            FUZZ_CHECK(pre.start[i] == naive.start[i] && pre.end[i] == naive.end[i]);
    }
    record_release(&rec);
    ipr_scanner_free(s);
    ipr_ruleset_free(rs);
    return 0;
}
