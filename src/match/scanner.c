/*
 * scanner.c - per-thread scanner lifecycle and finding delivery
 * (ipr_scanner_*).
 *
 * Findings of a record are collected from every rule first, then sorted by
 * (field order, offset, rule id) and delivered, so output never depends on
 * rule order in the packs or on which thread scanned the record.
 */
#include "scanner.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"
#include "../base/sha256.h"
#include "../base/strmap.h"
#include "value_memo.h"

ipr_status ipr_scanner_new(const ipr_ruleset *rs, ipr_scanner **out)
{
    if (!rs || !out)
        return IPR_EINVAL;
    struct ipr_scanner *s = calloc(1, sizeof(*s));
    if (!s)
        return IPR_ENOMEM;
    s->rs = rs;
    vec_init(&s->evidence, sizeof(struct evidence));
    vec_init(&s->findings, sizeof(struct pending_finding));
    vec_init(&s->mark_scratch, sizeof(struct mark_hit));
    vec_init(&s->term_scratch, sizeof(struct pf_term_hit));
    vec_init(&s->token_scratch, sizeof(struct text_token));
    html_text_init(&s->html);
    arena_init(&s->scratch, 64u * 1024u);
    buf_init(&s->tmp, IPR_NORM_MAX_OUTPUT_BYTES);
    buf_init(&s->tmp2, IPR_NORM_MAX_OUTPUT_BYTES);
    field_select_init(&s->select, rs);
    /* the regex triggers come first: candidate sets are ORed onto them */
    s->triggers = calloc(ipr_bitset_bytes(rs->trigger_count), 1);
    s->rule_open = calloc(ipr_bitset_bytes(rs->rule_count), 1);
    ipr_status st = s->triggers && s->rule_open ? normalizer_new(&s->norm) : IPR_ENOMEM;
    if (st == IPR_OK) {
        s->md = pcre2_match_data_create(32, NULL);
        s->mctx = pcre2_match_context_create(NULL);
        s->jit_stack =
            pcre2_jit_stack_create(IPR_REGEX_JIT_STACK_MIN, IPR_REGEX_JIT_STACK_MAX, NULL);
        if (!s->md || !s->mctx || !s->jit_stack)
            st = IPR_ENOMEM;
    }
    if (st != IPR_OK) {
        ipr_scanner_free(s);
        return st;
    }
    pcre2_set_match_limit(s->mctx, IPR_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, IPR_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mctx, IPR_REGEX_HEAP_LIMIT_KIB);
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
    *out = s;
    return IPR_OK;
}

struct value_memo *scanner_value_memo(struct ipr_scanner *s, size_t fi, uint64_t *h)
{
    const struct record_field *f = &s->rec->fields[fi];
    if (!value_memo_fits(f->value_len))
        return NULL;
    if (!s->value_memo && !s->value_memo_failed) {
        s->value_memo = value_memo_new(ipr_bitset_bytes(s->rs->prefilter->regex_count));
        s->value_memo_failed = !s->value_memo;
    }
    if (!s->value_memo)
        return NULL;
    struct norm_cache_entry *ce = scanner_cache(s, fi);
    if (!ce->hash_valid) {
        ce->value_hash = strmap_hash(f->value, f->value_len);
        ce->hash_valid = true;
    }
    *h = ce->value_hash;
    return s->value_memo;
}

void ipr_scanner_free(ipr_scanner *s)
{
    if (!s)
        return;
    normalizer_free(s->norm);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit_stack);
    vec_release(&s->evidence);
    vec_release(&s->findings);
    vec_release(&s->mark_scratch);
    vec_release(&s->term_scratch);
    vec_release(&s->token_scratch);
    html_text_release(&s->html);
    arena_release(&s->scratch);
    buf_release(&s->tmp);
    buf_release(&s->tmp2);
    free(s->cache);
    free(s->lower);
    free(s->ident);
    field_select_release(&s->select);
    free(s->triggers);
    free(s->rule_open);
    free(s->fuzzy_memo);
    value_memo_free(s->value_memo);
    free(s);
}

ipr_status scanner_begin(struct ipr_scanner *s, const struct ipr_record *rec)
{
    arena_reset(&s->scratch);
    vec_clear(&s->evidence);
    vec_clear(&s->findings);
    s->rec = rec;
    s->incomplete = rec->incomplete; /* a value cut at its cap is checked only so far */
    s->error = IPR_OK;
    if (rec->field_count > s->cache_cap) {
        size_t cap = rec->field_count;
        struct norm_cache_entry *c = realloc(s->cache, cap * sizeof(*c));
        if (!c)
            return IPR_ENOMEM;
        memset(c + s->cache_cap, 0, (cap - s->cache_cap) * sizeof(*c)); /* gen 0: stale */
        s->cache = c;
        s->cache_cap = cap;
    }
    if (++s->cache_gen == 0) { /* wrapped: an entry could look current */
        memset(s->cache, 0, s->cache_cap * sizeof(*s->cache));
        s->cache_gen = 1;
    }
    size_t longest = 0;
    for (size_t i = 0; i < rec->field_count; i++)
        if (rec->fields[i].value_len > longest)
            longest = rec->fields[i].value_len;
    if (longest + 1 > s->ident_cap && longest < UINT32_MAX) {
        uint32_t *ident = realloc(s->ident, (longest + 1) * sizeof(uint32_t));
        if (!ident)
            return IPR_ENOMEM;
        for (size_t i = s->ident_cap; i <= longest; i++)
            ident[i] = (uint32_t)i;
        s->ident = ident;
        s->ident_cap = longest + 1;
    }
    memset(s->triggers, 0, ipr_bitset_bytes(s->rs->trigger_count));
    s->triggers_found = 0;
    return field_select_begin(&s->select, rec);
}

/* ---- messages and fingerprints ---------------------------------------------------- */

/* Appends text to b with every placeholder filled; unknown ones stay. */
static ipr_status fill_template(struct ipr_scanner *s, const char *tpl, const ipr_finding *f,
                                struct buf *b)
{
    ipr_status st = IPR_OK;
    for (const char *p = tpl; *p && st == IPR_OK;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            st = buf_append_str(b, p);
            break;
        }
        st = buf_append(b, p, (size_t)(open - p));
        if (st != IPR_OK)
            break;
        size_t name_len = (size_t)(close - open - 1);
        const char *name = open + 1;
        const char *value = NULL;
        size_t value_len = 0;
        if (name_len == 5 && strncmp(name, "match", 5) == 0) {
            /* a finding on a whole field quotes the field */
            value = f->matched_len ? f->matched : f->value;
            value_len = f->matched_len ? f->matched_len : f->value_len;
        } else if (name_len == 5 && strncmp(name, "field", 5) == 0) {
            value = f->field;
            value_len = strlen(f->field);
        } else if (name_len == 5 && strncmp(name, "brand", 5) == 0 && f->mark) {
            value = f->mark;
            value_len = strlen(value);
        } else if (name_len == 5 && strncmp(name, "owner", 5) == 0 && f->owner) {
            value = f->owner;
            value_len = strlen(value);
        } else if (name_len > 0 && name_len < 128) {
            char path[128];
            memcpy(path, name, name_len);
            path[name_len] = '\0';
            for (size_t i = 0; i < s->rec->field_count; i++) {
                if (record_selector_matches(path, s->rec->fields[i].path)) {
                    value = s->rec->fields[i].value;
                    value_len = s->rec->fields[i].value_len;
                    break;
                }
            }
        }
        if (value)
            st = buf_append(b, value, value_len);
        else
            st = buf_append(b, open, (size_t)(close - open + 1));
        p = close + 1;
    }
    return st;
}

/* sha256 over (rule id, record key, canonical field path, folded evidence):
 * no line numbers, so re-sorting or re-exporting keeps fingerprints. */
static ipr_status fingerprint(struct ipr_scanner *s, const ipr_finding *f, const char *path,
                              char out[17])
{
    ipr_status st = fold_value(s->norm, f->matched, f->matched_len, &s->tmp);
    if (st != IPR_OK)
        return st;
    struct sha256 h;
    sha256_init(&h);
    const char *key = s->rec->key ? s->rec->key : "";
    sha256_update(&h, f->rule->id, strlen(f->rule->id) + 1);
    sha256_update(&h, key, strlen(key) + 1);
    sha256_update(&h, path, strlen(path) + 1);
    sha256_update(&h, buf_str(&s->tmp), s->tmp.len);
    unsigned char digest[32];
    sha256_final(&h, digest);
    sha256_hex(digest, 8, out);
    return IPR_OK;
}

/* A field a profile reduced from HTML keeps its original cell beside it as
 * NAME_html; the finding then points into that cell, as the seller wrote
 * it, while the message quotes the readable text. */
static void point_into_original(struct ipr_scanner *s, const struct record_field *field,
                                ipr_finding *f)
{
    char name[512];
    int n = snprintf(name, sizeof(name), "%s_html", field->name);
    if (n < 0 || (size_t)n >= sizeof(name))
        return;
    const struct record_field *raw = NULL;
    for (size_t i = 0; i < s->rec->field_count && !raw; i++)
        if (strcmp(s->rec->fields[i].name, name) == 0)
            raw = &s->rec->fields[i];
    if (!raw)
        return;
    static const enum html_mode modes[] = {HTML_FULL, HTML_ENTITIES};
    for (size_t m = 0; m < IPR_ARRAY_LEN(modes); m++) {
        if (html_text_convert(&s->html, raw->value, raw->value_len, modes[m]) != IPR_OK)
            return;
        if (s->html.text.len != field->value_len ||
            memcmp(buf_str(&s->html.text), field->value, field->value_len) != 0)
            continue;
        size_t a, b;
        html_text_span_to_source(&s->html, f->span_start, f->span_end, &a, &b);
        if (a > b || b > raw->value_len)
            return;
        f->field = raw->name; /* the cell as the seller wrote it */
        f->value = raw->value;
        f->value_len = raw->value_len;
        f->line = raw->line ? raw->line : f->line;
        f->col = raw->col;
        f->span_start = a;
        f->span_end = b;
        f->matched = raw->value + a;
        f->matched_len = b - a;
        return;
    }
}

static int cmp_pending(const void *pa, const void *pb)
{
    const struct pending_finding *a = pa, *b = pb;
    size_t fa = a->ev.field < 0 ? SIZE_MAX : (size_t)a->ev.field;
    size_t fb = b->ev.field < 0 ? SIZE_MAX : (size_t)b->ev.field;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->ev.start != b->ev.start)
        return a->ev.start < b->ev.start ? -1 : 1;
    int c = strcmp(a->rule->info.id, b->rule->info.id);
    if (c)
        return c;
    return a->ev.end < b->ev.end ? -1 : (a->ev.end > b->ev.end);
}

ipr_status scanner_deliver(struct ipr_scanner *s, ipr_finding_fn on_finding, void *user)
{
    size_t n = s->findings.count;
    if (n > 1)
        qsort(s->findings.items, n, sizeof(struct pending_finding), cmp_pending);
    struct buf msg;
    buf_init(&msg, 0);
    ipr_status st = IPR_OK;
    for (size_t i = 0; i < n && st == IPR_OK; i++) {
        const struct pending_finding *pf = vec_at(&s->findings, i);
        const struct evidence *ev = &pf->ev;
        const struct record_field *field = ev->field >= 0 ? &s->rec->fields[ev->field] : NULL;
        ipr_finding f;
        memset(&f, 0, sizeof(f));
        f.rule = &pf->rule->info;
        unsigned sev = (unsigned)pf->rule->info.severity;
        f.severity =
            (ipr_severity)(ev->severity_drop >= sev ? IPR_SEV_INFO : sev - ev->severity_drop);
        f.confidence = ev->confidence;
        f.field = field ? field->name : (ev->field_name ? ev->field_name : "");
        f.value = field ? field->value : "";
        f.value_len = field ? field->value_len : 0;
        f.line = field && field->line ? field->line : s->rec->line;
        f.col = field ? field->col : 0;
        f.span_start = ev->has_span ? ev->start : 0;
        f.span_end = ev->has_span ? ev->end : 0;
        f.matched = field && ev->has_span ? field->value + ev->start : "";
        f.matched_len = field && ev->has_span ? ev->end - ev->start : 0;
        f.mark = ev->mark;
        f.owner = ev->owner;
        f.match_kind = ev->match_kind;
        char fp[17];
        buf_clear(&msg);
        st = fill_template(s, f.rule->message, &f, &msg);
        if (st == IPR_OK && ev->note)
            st = buf_printf(&msg, " (%s)", ev->note);
        if (st == IPR_OK)
            st = fingerprint(s, &f, field ? field->path : f.field, fp);
        if (st != IPR_OK)
            break;
        f.message = buf_str(&msg);
        f.fingerprint = fp;
        if (field && ev->has_span)
            point_into_original(s, field, &f);
        if (on_finding && on_finding(&f, user) != 0)
            st = IPR_ECALLBACK;
    }
    buf_release(&msg);
    return st;
}

ipr_status ipr_scanner_scan(ipr_scanner *s, const ipr_record *rec, ipr_finding_fn on_finding,
                            void *user)
{
    if (!s || !rec)
        return IPR_EINVAL;
    ipr_status st = scanner_begin(s, rec);
    if (rec->error)
        return st; /* an unparsed row has nothing to check */
    if (s->naive) {
        for (size_t i = 0; i < s->rs->rule_count && st == IPR_OK; i++)
            st = scanner_eval_rule(s, &s->rs->rules[i]);
    } else if (st == IPR_OK) {
        scanner_open_regex_gated(s);
        /* only the rules regexes opened and those not listed under regexes,
         * a word of rules at a time: most rules are closed for most records */
        const uint8_t *unlisted = s->rs->regex_gated.unlisted;
        size_t words = ipr_bitset_bytes(s->rs->rule_count) / 8;
        for (size_t w = 0; w < words && st == IPR_OK; w++) {
            uint64_t open, other;
            memcpy(&open, s->rule_open + w * 8, 8);
            memcpy(&other, unlisted + w * 8, 8);
            for (uint64_t bits = open | other; bits && st == IPR_OK; bits &= bits - 1) {
                size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
                const struct crule *rule = &s->rs->rules[i];
                if (scanner_rule_open(s, i, rule))
                    st = scanner_eval_rule(s, rule);
            }
        }
    }
    if (st == IPR_OK)
        st = s->error;
    if (st == IPR_OK)
        st = scanner_deliver(s, on_finding, user);
    return st;
}

void ipr_scanner_set_engine(ipr_scanner *s, ipr_engine engine)
{
    if (s)
        s->naive = engine == IPR_ENGINE_NAIVE;
}

const char *ipr_scanner_incomplete(const ipr_scanner *s)
{
    return s ? s->incomplete : NULL;
}

ipr_status ipr_scanner_set_limits(ipr_scanner *s, const ipr_scan_limits *limits)
{
    if (!s)
        return IPR_EINVAL;
    uint32_t match =
        limits && limits->regex_match_limit ? limits->regex_match_limit : IPR_REGEX_MATCH_LIMIT;
    uint32_t depth =
        limits && limits->regex_depth_limit ? limits->regex_depth_limit : IPR_REGEX_DEPTH_LIMIT;
    if (match > IPR_REGEX_MATCH_LIMIT_CEILING || depth > IPR_REGEX_DEPTH_LIMIT_CEILING)
        return IPR_EINVAL;
    /* the JIT reads the match limit from the same context at each match */
    pcre2_set_match_limit(s->mctx, match);
    pcre2_set_depth_limit(s->mctx, depth);
    return IPR_OK;
}
