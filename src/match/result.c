/*
 * result.c - the findings of one record, owned (ipr_result_*).
 *
 * Threads scan records into results and the main thread reports them in
 * input order, so a finding must outlive the scan call that produced it.
 * A result copies every string a finding borrows from the record or the
 * scanner, the owner's name too (the registry may keep only part of it:
 * mark_owner); rule infos and marks belong to the ruleset and are shared.
 * The arena is reset, not freed, between records.
 */
#include <stdlib.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "scanner.h"

struct ipr_result {
    struct arena arena;  /* strings of the findings */
    struct vec findings; /* ipr_finding */
    const char *incomplete;
};

ipr_status ipr_result_new(ipr_result **out)
{
    if (!out)
        return IPR_EINVAL;
    struct ipr_result *r = calloc(1, sizeof(*r));
    if (!r)
        return IPR_ENOMEM;
    arena_init(&r->arena, 8u * 1024u);
    vec_init(&r->findings, sizeof(ipr_finding));
    *out = r;
    return IPR_OK;
}

void ipr_result_free(ipr_result *r)
{
    if (!r)
        return;
    arena_release(&r->arena);
    vec_release(&r->findings);
    free(r);
}

size_t ipr_result_finding_count(const ipr_result *r)
{
    return r ? r->findings.count : 0;
}

const ipr_finding *ipr_result_finding(const ipr_result *r, size_t i)
{
    return r && i < r->findings.count ? vec_at(&r->findings, i) : NULL;
}

const char *ipr_result_incomplete(const ipr_result *r)
{
    return r ? r->incomplete : NULL;
}

static int keep_finding(const ipr_finding *f, void *user)
{
    struct ipr_result *r = user;
    ipr_finding *c = vec_push(&r->findings);
    if (!c)
        return 1;
    *c = *f;
    /* findings on one field share its value: copy it once */
    const ipr_finding *prev =
        r->findings.count > 1 ? vec_at(&r->findings, r->findings.count - 2) : NULL;
    if (prev && prev->value_len == f->value_len && strcmp(prev->field, f->field) == 0)
        c->value = prev->value;
    else
        c->value = arena_strndup(&r->arena, f->value, f->value_len);
    c->field = arena_strdup(&r->arena, f->field);
    c->message = arena_strdup(&r->arena, f->message);
    c->fingerprint = arena_strdup(&r->arena, f->fingerprint);
    c->mark = f->mark ? arena_strdup(&r->arena, f->mark) : NULL;
    c->owner = f->owner ? arena_strdup(&r->arena, f->owner) : NULL;
    if (!c->value || !c->field || !c->message || !c->fingerprint || (f->mark && !c->mark) ||
        (f->owner && !c->owner)) {
        r->findings.count--;
        return 1;
    }
    /* the evidence is a span of the value: point into the copy */
    c->matched = f->matched_len ? c->value + f->span_start : "";
    return 0;
}

ipr_status ipr_scanner_scan_result(ipr_scanner *s, const ipr_record *rec, ipr_result *res)
{
    if (!s || !rec || !res)
        return IPR_EINVAL;
    arena_reset(&res->arena);
    vec_clear(&res->findings);
    res->incomplete = NULL;
    ipr_status st = ipr_scanner_scan(s, rec, keep_finding, res);
    if (st == IPR_ECALLBACK)
        return IPR_ENOMEM;
    if (st == IPR_OK && s->incomplete) {
        res->incomplete = arena_strdup(&res->arena, s->incomplete);
        if (!res->incomplete)
            return IPR_ENOMEM;
    }
    return st;
}
