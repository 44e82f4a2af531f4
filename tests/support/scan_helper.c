/*
 * scan_helper.c - see scan_helper.h.
 */
#include "scan_helper.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

ipr_ruleset *compile_pack(const char *pack_yaml, char *diag, size_t diag_len)
{
    ipr_compiler *c = NULL;
    ipr_ruleset *rs = NULL;
    if (diag_len)
        diag[0] = '\0';
    if (ipr_compiler_new(&c) != IPR_OK)
        return NULL;
    ipr_compiler_add_string(c, "test.yaml", pack_yaml, strlen(pack_yaml));
    ipr_compiler_finish(c, &rs);
    if (!rs && ipr_compiler_diag_count(c) > 0) {
        const ipr_diag *d = ipr_compiler_diag(c, 0);
        snprintf(diag, diag_len, "%u:%u: %s", d->line, d->col, d->message);
    }
    ipr_compiler_free(c);
    return rs;
}

ipr_ruleset *compile_pack_parts(const char *head, const char *rest, char *diag, size_t diag_len)
{
    size_t a = strlen(head), b = strlen(rest);
    char *pack = malloc(a + b + 1);
    if (!pack)
        return NULL;
    memcpy(pack, head, a);
    memcpy(pack + a, rest, b + 1);
    ipr_ruleset *rs = compile_pack(pack, diag, diag_len);
    free(pack);
    return rs;
}

ipr_ruleset *must_compile_parts(const char *head, const char *rest)
{
    char diag[512];
    ipr_ruleset *rs = compile_pack_parts(head, rest, diag, sizeof(diag));
    if (!rs)
        fail_msg("pack did not compile: %s", diag);
    return rs;
}

struct collect {
    struct found_list *out;
    size_t record;
};

static int on_finding(const ipr_finding *f, void *user)
{
    struct collect *c = user;
    if (c->out->count >= sizeof(c->out->items) / sizeof(c->out->items[0]))
        return 0;
    struct found *x = &c->out->items[c->out->count++];
    memset(x, 0, sizeof(*x));
    snprintf(x->rule, sizeof(x->rule), "%s", f->rule->id);
    snprintf(x->field, sizeof(x->field), "%s", f->field);
    snprintf(x->matched, sizeof(x->matched), "%.*s", (int)f->matched_len, f->matched);
    snprintf(x->message, sizeof(x->message), "%s", f->message);
    snprintf(x->fingerprint, sizeof(x->fingerprint), "%s", f->fingerprint);
    x->start = f->span_start;
    x->end = f->span_end;
    x->line = f->line;
    x->severity = f->severity;
    x->record = c->record;
    return 0;
}

void scan_text(const ipr_ruleset *rs, const char *data, ipr_input_format fmt,
               struct found_list *out)
{
    memset(out, 0, sizeof(*out));
    ipr_reader *r = NULL;
    ipr_scanner *s = NULL;
    if (ipr_reader_open_mem("input", data, strlen(data), fmt, &r) != IPR_OK ||
        ipr_scanner_new(rs, &s) != IPR_OK) {
        ipr_reader_free(r);
        return;
    }
    const ipr_record *rec;
    struct collect c = {out, 0};
    while (ipr_reader_next(r, &rec) == IPR_OK) {
        if (ipr_record_error(rec))
            out->error_records++;
        ipr_scanner_scan(s, rec, on_finding, &c);
        c.record++;
        out->records++;
    }
    ipr_scanner_free(s);
    ipr_reader_free(r);
}

const struct found *find_match(const struct found_list *l, const char *rule, const char *matched)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].rule, rule) == 0 &&
            (!matched || strcmp(l->items[i].matched, matched) == 0))
            return &l->items[i];
    return NULL;
}
