/*
 * evaluate.c - rule logic: does a compiled condition hold for a record, and
 * which spans or fields are the evidence?
 *
 * Evaluation pushes evidence onto s->evidence and truncates it again where a
 * branch fails or is negated, so the stack always holds exactly the
 * evidence of the conditions that hold.  `any` evaluates every child (all
 * evidence is shown), `all` stops at the first child that fails.
 *
 * `unless` semantics: an unless condition that matched text cancels only the
 * evidence it overlaps ("faux fur" cancels "faux", "compatible with Apple"
 * cancels "Apple"); one that holds without text (a field constraint)
 * cancels the whole finding.
 */
#include <math.h>
#include <stdlib.h>

#include "../base/limits.h"
#include "../base/number.h"
#include "scanner.h"
#include "value_memo.h"

/* ---- fields ------------------------------------------------------------------ */

static bool field_selected(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    return field_select_any(&s->select, fi, c->sel_mask);
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!ipr_is_ascii_space((unsigned char)s[i]))
            return false;
    return true;
}

static bool push_evidence(struct ipr_scanner *s, ptrdiff_t field, const char *name, size_t start,
                          size_t end, bool has_span)
{
    struct evidence *e = vec_push(&s->evidence);
    if (!e) {
        scanner_note_error(s, IPR_ENOMEM);
        return false;
    }
    e->field = field;
    e->field_name = name;
    e->start = start;
    e->end = end;
    e->has_span = has_span;
    e->seq = s->evidence_seq++;
    e->confidence = 1.0;
    return true;
}

bool scanner_keep_text(struct ipr_scanner *s, const struct norm_text *nt, struct norm_text *out)
{
    char *text = arena_strndup(&s->scratch, nt->text, nt->len);
    const uint32_t *starts, *ends;
    if (nt->identity && nt->len < s->ident_cap) {
        starts = s->ident; /* ASCII: byte i came from byte i */
        ends = s->ident + 1;
    } else {
        /* not ASCII: the map is the normalizer's, which the next field reuses */
        uint32_t *copy_start = arena_alloc(&s->scratch, (nt->len + 1) * sizeof(uint32_t));
        uint32_t *copy_end = arena_alloc(&s->scratch, (nt->len + 1) * sizeof(uint32_t));
        if (copy_start && copy_end && nt->len) {
            memcpy(copy_start, nt->src_start, nt->len * sizeof(uint32_t));
            memcpy(copy_end, nt->src_end, nt->len * sizeof(uint32_t));
        }
        starts = copy_start;
        ends = copy_end;
    }
    if (!text || !starts || !ends) {
        scanner_note_error(s, IPR_ENOMEM);
        return false;
    }
    out->text = text;
    out->len = nt->len;
    out->src_start = starts;
    out->src_end = ends;
    out->identity = nt->identity;
    return true;
}

const struct norm_text *scanner_field_text(struct ipr_scanner *s, size_t i)
{
    struct norm_cache_entry *ce = scanner_cache(s, i);
    if (ce->valid)
        return &ce->text;
    const struct record_field *f = &s->rec->fields[i];
    struct norm_text nt;
    ipr_status st = normalizer_run(s->norm, f->value, f->value_len, NORM_FOLD, &nt);
    if (st != IPR_OK) {
        scanner_note_error(s, st);
        return NULL;
    }
    if (!scanner_keep_text(s, &nt, &ce->text))
        return NULL;
    ce->valid = true;
    return &ce->text;
}

/* ---- text leaves ------------------------------------------------------------- */

static void note_incomplete(struct ipr_scanner *s, const char *why)
{
    if (!s->incomplete)
        s->incomplete = why;
}

const uint8_t *scanner_regex_candidates(struct ipr_scanner *s, size_t fi)
{
    struct norm_cache_entry *ce = scanner_cache(s, fi);
    const struct prefilter *pf = s->rs->prefilter;
    if (ce->regex_valid)
        return ce->regex_candidates;
    const struct record_field *f = &s->rec->fields[fi];
    ce->regex_candidates = arena_calloc(&s->scratch, ipr_bitset_bytes(pf->regex_count), 1);
    if (f->value_len + 1 > s->lower_cap) {
        char *p = realloc(s->lower, f->value_len + 1);
        if (p) {
            s->lower = p;
            s->lower_cap = f->value_len + 1;
        }
    }
    if (!ce->regex_candidates || f->value_len + 1 > s->lower_cap)
        return NULL; /* out of memory: the caller must not skip */
    uint64_t h;
    struct value_memo *memo = scanner_value_memo(s, fi, &h);
    const uint8_t *kept = memo ? value_memo_candidates(memo, h, f->value, f->value_len) : NULL;
    if (kept) {
        memcpy(ce->regex_candidates, kept, ipr_bitset_bytes(pf->regex_count));
    } else {
        prefilter_regex_candidates(pf, f->value, f->value_len, s->lower, ce->regex_candidates);
        if (memo)
            value_memo_keep_candidates(memo, h, f->value, f->value_len, ce->regex_candidates);
    }
    ce->regex_valid = true;
    return ce->regex_candidates;
}

const struct text_token *scanner_field_tokens(struct ipr_scanner *s, size_t fi, size_t *count)
{
    struct norm_cache_entry *ce = scanner_cache(s, fi);
    if (!ce->tokens_valid) {
        const struct norm_text *nt = scanner_field_text(s, fi);
        if (!nt) {
            *count = 0;
            return NULL;
        }
        struct vec toks = s->token_scratch; /* reused: no allocation in steady state */
        vec_clear(&toks);
        ce->tokens = NULL;
        ce->token_count = 0;
        if (markset_tokens(nt->text, nt->len, &toks) == IPR_OK) {
            struct text_token *kept =
                arena_alloc(&s->scratch, (toks.count ? toks.count : 1) * sizeof(*kept));
            if (kept && toks.count)
                memcpy(kept, toks.items, toks.count * sizeof(*kept));
            ce->tokens = kept;
            ce->token_count = kept ? toks.count : 0;
        }
        s->token_scratch = toks;
        ce->tokens_valid = true; /* NULL tokens: each pass finds its own */
    }
    *count = ce->token_count;
    return ce->tokens;
}

/* May regex c match field fi at all?  One prefilter pass per field. */
static bool regex_candidate(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    if (s->naive || !c->prefiltered)
        return true;
    const uint8_t *cand = scanner_regex_candidates(s, fi);
    return !cand || ((cand[c->pf_id >> 3] >> (c->pf_id & 7)) & 1u);
}

static bool regex_in_field(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    if (!regex_candidate(s, c, fi))
        return false;
    const struct record_field *f = &s->rec->fields[fi];
    bool found = false;
    size_t offset = 0;
    unsigned count = 0;
    while (offset <= f->value_len && count < IPR_MAX_FINDINGS_PER_RULE) {
        int rc = regex_match(&c->re, f->value, f->value_len, offset, s->md, s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            /* never "no match": a limit or a failure leaves the field unchecked */
            if (rc == PCRE2_ERROR_NOMEMORY)
                scanner_note_error(s, IPR_ENOMEM);
            else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                     rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
                note_incomplete(s, "a regex hit its match limit");
            else
                note_incomplete(s, "a regex could not be run");
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        size_t start = ov[0], end = ov[1];
        if (!push_evidence(s, (ptrdiff_t)fi, NULL, start, end, true))
            break;
        found = true;
        count++;
        if (c->re.anchored)
            break;
        if (end == start) {
            /* empty match: step one character forward */
            end++;
            while (end < f->value_len && ((unsigned char)f->value[end] & 0xC0) == 0x80)
                end++;
        }
        offset = end;
    }
    return found;
}

struct term_collect {
    struct ipr_scanner *s;
    const struct norm_text *nt;
    size_t field;
    unsigned count;
    bool found;
};

static bool on_term_hit(const struct term_hit *hit, void *user)
{
    struct term_collect *tc = user;
    size_t a, b;
    norm_span_to_source(tc->nt, hit->start, hit->end, &a, &b);
    if (!push_evidence(tc->s, (ptrdiff_t)tc->field, NULL, a, b, true))
        return false;
    tc->found = true;
    return ++tc->count < IPR_MAX_FINDINGS_PER_RULE;
}

struct pf_collect {
    struct vec *hits;
    bool failed; /* a hit could not be stored: the list is incomplete */
};

static bool on_pf_hit(const struct pf_term_hit *hit, void *user)
{
    struct pf_collect *pc = user;
    struct pf_term_hit *slot = vec_push(pc->hits);
    if (slot)
        *slot = *hit;
    else
        pc->failed = true;
    return slot != NULL;
}

static int cmp_pf_hit(const void *pa, const void *pb)
{
    const struct pf_term_hit *a = pa, *b = pb;
    if (a->set_id != b->set_id)
        return a->set_id < b->set_id ? -1 : 1;
    if (a->term != b->term)
        return a->term < b->term ? -1 : 1;
    return a->start < b->start ? -1 : (a->start > b->start);
}

/* Keeps the hits as the field's, in the scratch arena. */
static bool keep_term_hits(struct ipr_scanner *s, struct norm_cache_entry *ce,
                           const struct pf_term_hit *hits, size_t count)
{
    ce->term_hits = count ? arena_alloc(&s->scratch, count * sizeof(struct pf_term_hit)) : NULL;
    if (count && !ce->term_hits) {
        scanner_note_error(s, IPR_ENOMEM);
        return false;
    }
    if (count)
        memcpy(ce->term_hits, hits, count * sizeof(struct pf_term_hit));
    ce->term_hit_count = count;
    ce->terms_valid = true;
    return true;
}

/* Every term list's hits in field fi, in the order the naive search finds
 * them (list, term, position; overlapping hits of one term dropped): found
 * by the prefilter in its normalized text, or kept by the value memo from
 * a field with the same bytes (then the value is not normalized for
 * them).  False when they could not be had (out of memory, a limit): the
 * caller searches. */
static bool field_term_hits(struct ipr_scanner *s, size_t fi)
{
    struct norm_cache_entry *ce = scanner_cache(s, fi);
    if (ce->terms_valid)
        return true;
    const struct record_field *f = &s->rec->fields[fi];
    uint64_t h;
    struct value_memo *memo = scanner_value_memo(s, fi, &h);
    const struct pf_term_hit *kept_hits;
    size_t kept_count;
    if (memo && value_memo_terms(memo, h, f->value, f->value_len, &kept_hits, &kept_count))
        return keep_term_hits(s, ce, kept_hits, kept_count);
    const struct norm_text *nt = scanner_field_text(s, fi);
    if (!nt)
        return false;
    struct vec hits = s->term_scratch; /* reused: steady-state scans do not allocate */
    vec_clear(&hits);
    struct pf_collect pc = {&hits, false};
    size_t token_count;
    const struct text_token *tokens = scanner_field_tokens(s, fi, &token_count);
    prefilter_terms(s->rs->prefilter, nt, tokens, token_count, on_pf_hit, &pc);
    if (hits.count > 1)
        qsort(hits.items, hits.count, sizeof(struct pf_term_hit), cmp_pf_hit);
    size_t kept = 0;
    for (size_t i = 0; i < hits.count; i++) {
        struct pf_term_hit *hit = vec_at(&hits, i);
        if (kept) {
            const struct pf_term_hit *prev = vec_at(&hits, kept - 1);
            if (prev->set_id == hit->set_id && prev->term == hit->term && hit->start < prev->end)
                continue;
        }
        *(struct pf_term_hit *)vec_at(&hits, kept++) = *hit;
    }
    s->term_scratch = hits;
    if (pc.failed) {
        scanner_note_error(s, IPR_ENOMEM);
        return false;
    }
    if (!keep_term_hits(s, ce, hits.items, kept))
        return false;
    if (memo)
        value_memo_keep_terms(memo, h, f->value, f->value_len, hits.items, kept);
    return true;
}

const struct norm_cache_entry *scanner_term_hits(struct ipr_scanner *s, size_t fi)
{
    return field_term_hits(s, fi) ? scanner_cache(s, fi) : NULL;
}

static bool terms_in_field(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    struct term_collect tc = {s, NULL, fi, 0, false};
    if (s->naive || !field_term_hits(s, fi)) {
        if (!(tc.nt = scanner_field_text(s, fi)))
            return false;
        termset_find(&c->terms, tc.nt, on_term_hit, &tc);
        return tc.found;
    }
    const struct norm_cache_entry *ce = scanner_cache(s, fi);
    /* binary search for the first hit of this list */
    size_t lo = 0, hi = ce->term_hit_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ce->term_hits[mid].set_id < c->pf_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* the spans are mapped back to the value through its normalized text,
     * made now if the hits came from the memo */
    if (lo < ce->term_hit_count && ce->term_hits[lo].set_id == c->pf_id &&
        !(tc.nt = scanner_field_text(s, fi)))
        return false;
    for (size_t i = lo; i < ce->term_hit_count && ce->term_hits[i].set_id == c->pf_id; i++) {
        struct term_hit hit = {ce->term_hits[i].start, ce->term_hits[i].end, NULL};
        if (!on_term_hit(&hit, &tc))
            break;
    }
    return tc.found;
}

static bool mark_wanted(struct ipr_scanner *s, const struct ccond *c, const struct mark_def *def,
                        const char *kind)
{
    if (c->kind_mask && !(c->kind_mask & (1u << mark_kind_of(&s->rs->registry, def))))
        return false;
    if (c->class_mask && !(c->class_mask & mark_classes(&s->rs->registry, def)))
        return false;
    if (c->folded_count) {
        const char *folded;
        size_t folded_len;
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        ipr_status st = markset_spelling_copy(s->norm, mark_name(&s->rs->registry, def, spelled),
                                              &s->scratch, &folded, &folded_len);
        if (st != IPR_OK) {
            scanner_note_error(s, st);
            return false;
        }
        bool named = false;
        for (size_t i = 0; i < c->folded_count && !named; i++)
            named = strcmp(c->folded[i], folded) == 0;
        if (!named)
            return false;
    }
    const struct cond *src = c->src;
    if (src->u.mark.how_count && kind) {
        bool listed = false;
        for (size_t i = 0; i < src->u.mark.how_count && !listed; i++)
            listed = strcmp(src->u.mark.how[i], kind) == 0;
        if (!listed)
            return false;
    }
    if (src->u.mark.jurisdiction_count) {
        bool any = false;
        for (size_t i = 0; i < src->u.mark.jurisdiction_count && !any; i++)
            any = mark_in_jurisdiction(&s->rs->registry, def, src->u.mark.jurisdictions[i]);
        if (!any)
            return false;
    }
    return true;
}

/* Approximate value of one unit in US dollars, for comparing a listing's
 * price with a mark's reference price in another currency.  Rates as of
 * 2026; a factor of a few percent does not change a 30 % threshold. */
static double usd_per_unit(const char *code)
{
    static const struct {
        const char *code;
        double usd;
    } rates[] = {{"USD", 1.0},      {"EUR", 1.08},    {"GBP", 1.27},    {"CNY", 0.14},
                 {"RMB", 0.14},     {"JPY", 0.0067},  {"KRW", 0.00073}, {"INR", 0.012},
                 {"CAD", 0.73},     {"AUD", 0.66},    {"MXN", 0.055},   {"BRL", 0.18},
                 {"HKD", 0.128},    {"CHF", 1.13},    {"SGD", 0.74},    {"SEK", 0.095},
                 {"PLN", 0.25},     {"TRY", 0.03},    {"RUB", 0.011},   {"AED", 0.27},
                 {"SAR", 0.27},     {"TWD", 0.031},   {"THB", 0.028},   {"MYR", 0.21},
                 {"IDR", 0.000063}, {"VND", 0.00004}, {"PHP", 0.018},   {"NZD", 0.6},
                 {"ZAR", 0.054},    {"DKK", 0.145},   {"NOK", 0.093},   {"CZK", 0.043}};
    for (size_t i = 0; i < IPR_ARRAY_LEN(rates); i++)
        if (strcmp(rates[i].code, code) == 0)
            return rates[i].usd;
    return 0;
}

/* The record's price in the currency of the mark's reference price; false
 * when the record has no price or its currency is unknown. */
static bool record_price_in(struct ipr_scanner *s, const char *want, double *out)
{
    const struct record_field *p = record_find(s->rec, "price");
    double amount;
    if (!p || !number_parse_loose(p->value, p->value_len, &amount))
        return false;
    char code[8] = "";
    const struct record_field *cur = record_find(s->rec, "currency");
    if (cur && cur->value_len == 3) {
        for (int i = 0; i < 3; i++)
            code[i] = (char)(cur->value[i] & ~0x20);
    } else if (memchr(p->value, '$', p->value_len)) {
        memcpy(code, "USD", 4);
    } else if (strstr(p->value, "\u20ac")) {
        memcpy(code, "EUR", 4);
    } else if (strstr(p->value, "\u00a3")) {
        memcpy(code, "GBP", 4);
    }
    if (!code[0] || !want || !want[0] || strcmp(code, want) == 0) {
        *out = amount; /* no currency given: taken to be the reference's */
        return true;
    }
    double from = usd_per_unit(code), to = usd_per_unit(want);
    if (from <= 0 || to <= 0)
        return false;
    *out = amount * from / to;
    return true;
}

static bool marks_in_field(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    const struct field_marks *fm = mark_hits_for_field(s, fi);
    bool found = false;
    for (size_t i = 0; i < fm->count; i++) {
        const struct mark_hit *h = &fm->hits[i];
        const struct mark_def *cm = markset_mark(s->rs->marks, h->mark);
        if (h->state != HIT_RISK || !mark_wanted(s, c, cm, h->kind))
            continue;
        if (c->src->u.mark.has_price_below) {
            double price;
            struct mark_more more = mark_more_of(s->rs->marks->reg, cm);
            if (!more.has_reference_price || !record_price_in(s, more.currency, &price) ||
                !(price < c->src->u.mark.price_below * more.reference_price))
                continue;
        }
        if (!push_evidence(s, (ptrdiff_t)fi, NULL, h->start, h->end, true))
            break;
        struct evidence *e = vec_at(&s->evidence, s->evidence.count - 1);
        e->confidence = h->confidence;
        e->severity_drop = h->severity_drop;
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        const char *name = mark_name(&s->rs->registry, cm, spelled);
        e->mark = name == spelled ? arena_strdup(&s->scratch, name) : name;
        e->owner = mark_owner(&s->rs->registry, cm, &s->scratch);
        if (!e->mark || !e->owner) {
            scanner_note_error(s, IPR_ENOMEM);
            break;
        }
        e->match_kind = h->kind;
        e->note = h->note;
        found = true;
    }
    return found;
}

static bool text_leaf_in_field(struct ipr_scanner *s, const struct ccond *c, size_t fi)
{
    switch (c->kind) {
    case COND_REGEX:
        return regex_in_field(s, c, fi);
    case COND_TERMS:
        return terms_in_field(s, c, fi);
    case COND_MARK:
        return marks_in_field(s, c, fi);
    default:
        return false;
    }
}

static bool eval_text_leaf(struct ipr_scanner *s, const struct ccond *c)
{
    bool found = false;
    if (c->kind == COND_MARK && !s->rs->marks)
        return false;
    uint32_t count;
    const uint32_t *fields = field_select_group(&s->select, c->sel_group, &count);
    for (uint32_t k = 0; k < count; k++)
        if (text_leaf_in_field(s, c, fields[k]))
            found = true;
    return found;
}

/* Number of words strictly between two spans of a value. */
static size_t words_between(const char *v, size_t from, size_t to)
{
    size_t words = 0, i = from;
    bool in_word = false;
    while (i < to) {
        uint32_t cp = norm_utf8_next(v, to, &i);
        if (norm_is_cjk(cp)) {
            words++;
            in_word = false;
        } else if (norm_is_word_char(cp)) {
            if (!in_word)
                words++;
            in_word = true;
        } else {
            in_word = false;
        }
    }
    return words;
}

static bool eval_near(struct ipr_scanner *s, const struct ccond *c)
{
    const struct ccond *first = c->items[0], *second = c->items[1];
    uint32_t max_words = c->src->u.near.words;
    bool found = false;
    uint32_t count;
    const uint32_t *fields = field_select_group(&s->select, c->sel_group, &count);
    for (uint32_t n = 0; n < count; n++) {
        size_t fi = fields[n];
        const struct record_field *f = &s->rec->fields[fi];
        if (!field_selected(s, first, fi) || !field_selected(s, second, fi))
            continue;
        size_t base = s->evidence.count;
        if (!text_leaf_in_field(s, first, fi))
            continue;
        size_t mid = s->evidence.count;
        if (!text_leaf_in_field(s, second, fi)) {
            s->evidence.count = base;
            continue;
        }
        size_t end = s->evidence.count;
        /* pair each hit of the first condition with the nearest hit of the
         * second ("copy OMEGA Seamaster" is a copy of OMEGA); keep the
         * combined spans only */
        struct evidence pairs[IPR_MAX_FINDINGS_PER_RULE];
        size_t npairs = 0;
        for (size_t a = base; a < mid && npairs < IPR_ARRAY_LEN(pairs); a++) {
            const struct evidence *ea = vec_at(&s->evidence, a);
            const struct evidence *best = NULL;
            size_t best_gap = SIZE_MAX;
            for (size_t b = mid; b < end; b++) {
                const struct evidence *eb = vec_at(&s->evidence, b);
                const struct evidence *lo = ea->start <= eb->start ? ea : eb;
                const struct evidence *hi = lo == ea ? eb : ea;
                size_t gap = lo->end <= hi->start ? words_between(f->value, lo->end, hi->start) : 0;
                if (gap <= max_words && gap < best_gap) {
                    best = eb;
                    best_gap = gap;
                }
            }
            if (!best)
                continue;
            struct evidence e = best->mark ? *best : *ea;
            e.start = ea->start < best->start ? ea->start : best->start;
            e.end = ea->end > best->end ? ea->end : best->end;
            pairs[npairs++] = e;
        }
        s->evidence.count = base;
        for (size_t k = 0; k < npairs; k++) {
            struct evidence *slot = vec_push(&s->evidence);
            if (!slot)
                break;
            *slot = pairs[k];
            found = true;
        }
    }
    return found;
}

/* ---- field constraints ----------------------------------------------------------- */

static bool eval_presence(struct ipr_scanner *s, const struct ccond *c, bool want_present)
{
    /* the selector (present: and absent: name one, cond_load.c) picks a
     * field that is not blank, or none does; its group lists the fields it
     * picks, in record order */
    if (!c->field_count)
        return true;
    ptrdiff_t hit = -1;
    uint32_t count;
    const uint32_t *fields = field_select_group(&s->select, c->sel_group, &count);
    for (uint32_t i = 0; i < count && hit < 0; i++) {
        const struct record_field *f = &s->rec->fields[fields[i]];
        if (!is_blank(f->value, f->value_len))
            hit = (ptrdiff_t)fields[i];
    }
    return (hit >= 0) == want_present && push_evidence(s, hit, c->fields[0], 0, 0, false);
}

typedef bool (*value_test_fn)(struct ipr_scanner *s, const struct ccond *c,
                              const struct record_field *f);

static bool test_equals(struct ipr_scanner *s, const struct ccond *c, const struct record_field *f)
{
    ipr_status st = fold_value(s->norm, f->value, f->value_len, &s->tmp);
    if (st != IPR_OK) {
        scanner_note_error(s, st);
        return false;
    }
    for (size_t i = 0; i < c->folded_count; i++)
        if (strcmp(buf_str(&s->tmp), c->folded[i]) == 0)
            return true;
    return false;
}

static bool test_pattern(struct ipr_scanner *s, const struct ccond *c, const struct record_field *f)
{
    int rc = regex_match(&c->re, f->value, f->value_len, 0, s->md, s->mctx);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        note_incomplete(s, "a regex hit its match limit");
    return rc >= 0;
}

static bool test_number(struct ipr_scanner *s, const struct ccond *c, const struct record_field *f)
{
    (void)s;
    double v;
    if (!number_parse_loose(f->value, f->value_len, &v))
        return false;
    return c->kind == COND_MIN ? v >= c->src->u.num.value : v <= c->src->u.num.value;
}

static bool test_length(struct ipr_scanner *s, const struct ccond *c, const struct record_field *f)
{
    (void)s;
    uint64_t chars = 0;
    for (size_t i = 0; i < f->value_len; i++)
        if (((unsigned char)f->value[i] & 0xC0) != 0x80)
            chars++;
    if (c->src->u.length.has_min && chars < c->src->u.length.min)
        return false;
    if (c->src->u.length.has_max && chars > c->src->u.length.max)
        return false;
    return true;
}

static bool eval_value_test(struct ipr_scanner *s, const struct ccond *c, value_test_fn test)
{
    bool found = false;
    uint32_t count;
    const uint32_t *fields = field_select_group(&s->select, c->sel_group, &count);
    for (uint32_t k = 0; k < count; k++) {
        size_t i = fields[k];
        const struct record_field *f = &s->rec->fields[i];
        if (!test(s, c, f))
            continue;
        if (!push_evidence(s, (ptrdiff_t)i, NULL, 0, 0, false))
            break;
        found = true;
    }
    return found;
}

/* ---- compare ------------------------------------------------------------------ */

static const struct record_field *first_field(struct ipr_scanner *s, const char *sel, size_t *index)
{
    for (size_t i = 0; i < s->rec->field_count; i++) {
        const struct record_field *f = &s->rec->fields[i];
        if (record_selector_matches(sel, f->path) && !is_blank(f->value, f->value_len)) {
            *index = i;
            return f;
        }
    }
    return NULL;
}

/* first_field for the field an expression reads, by its selector's id
 * (compile/gate.c interns the fields of every condition's expressions, as
 * it does every condition's selectors, which the scanner reads alike). */
static const struct record_field *expr_field(struct ipr_scanner *s, const struct expr *e,
                                             size_t *index)
{
    uint32_t count;
    const uint32_t *fields = field_select_group(&s->select, e->sel_group, &count);
    for (uint32_t i = 0; i < count; i++) {
        const struct record_field *f = &s->rec->fields[fields[i]];
        if (!is_blank(f->value, f->value_len)) {
            *index = fields[i];
            return f;
        }
    }
    return NULL;
}

static bool eval_expr(struct ipr_scanner *s, const struct expr *e, double *out)
{
    double a, b;
    size_t idx;
    switch (e->kind) {
    case EXPR_NUMBER:
        *out = e->number;
        return true;
    case EXPR_FIELD: {
        const struct record_field *f = expr_field(s, e, &idx);
        return f && number_parse_loose(f->value, f->value_len, out);
    }
    case EXPR_NEG:
        if (!eval_expr(s, e->lhs, &a))
            return false;
        *out = -a;
        return true;
    default:
        break;
    }
    if (!eval_expr(s, e->lhs, &a) || !eval_expr(s, e->rhs, &b))
        return false;
    switch (e->kind) {
    case EXPR_ADD:
        *out = a + b;
        break;
    case EXPR_SUB:
        *out = a - b;
        break;
    case EXPR_MUL:
        *out = a * b;
        break;
    case EXPR_DIV:
        if (b == 0)
            return false;
        *out = a / b;
        break;
    default:
        return false;
    }
    return isfinite(*out);
}

static bool compare_numbers(enum compare_op op, double a, double b)
{
    switch (op) {
    case CMP_LT:
        return a < b;
    case CMP_LE:
        return a <= b;
    case CMP_GT:
        return a > b;
    case CMP_GE:
        return a >= b;
    case CMP_EQ:
        return a == b;
    case CMP_NE:
        return a != b;
    }
    return false;
}

/* The first field an expression reads, for the finding's location. */
static const struct expr *expr_first_field(const struct expr *e)
{
    if (!e)
        return NULL;
    if (e->kind == EXPR_FIELD)
        return e;
    const struct expr *l = expr_first_field(e->lhs);
    return l ? l : expr_first_field(e->rhs);
}

static bool eval_compare(struct ipr_scanner *s, const struct ccond *c)
{
    const struct comparison *cmp = &c->cmp;
    bool holds = false;
    if ((cmp->op == CMP_EQ || cmp->op == CMP_NE) && cmp->lhs->kind == EXPR_FIELD &&
        cmp->rhs->kind == EXPR_FIELD) {
        size_t ia, ib;
        const struct record_field *fa = expr_field(s, cmp->lhs, &ia);
        const struct record_field *fb = expr_field(s, cmp->rhs, &ib);
        if (!fa || !fb)
            return false;
        double a, b;
        if (number_parse_loose(fa->value, fa->value_len, &a) &&
            number_parse_loose(fb->value, fb->value_len, &b)) {
            holds = compare_numbers(cmp->op, a, b);
        } else {
            ipr_status st = fold_value(s->norm, fa->value, fa->value_len, &s->tmp);
            if (st == IPR_OK)
                st = fold_value(s->norm, fb->value, fb->value_len, &s->tmp2);
            if (st != IPR_OK) {
                scanner_note_error(s, st);
                return false;
            }
            bool equal = strcmp(buf_str(&s->tmp), buf_str(&s->tmp2)) == 0;
            holds = cmp->op == CMP_EQ ? equal : !equal;
        }
    } else {
        double a, b;
        if (!eval_expr(s, cmp->lhs, &a) || !eval_expr(s, cmp->rhs, &b))
            return false;
        holds = compare_numbers(cmp->op, a, b);
    }
    if (!holds)
        return false;
    size_t idx;
    const struct expr *read = expr_first_field(cmp->lhs);
    if (!read)
        read = expr_first_field(cmp->rhs);
    const struct record_field *f = read ? expr_field(s, read, &idx) : NULL;
    push_evidence(s, f ? (ptrdiff_t)idx : -1, read ? read->field : "", 0, 0, false);
    return true;
}

/* ---- combinators --------------------------------------------------------------- */

static bool eval_cond(struct ipr_scanner *s, const struct ccond *c)
{
    size_t base = s->evidence.count;
    switch (c->kind) {
    case COND_ALL:
        for (size_t i = 0; i < c->item_count; i++) {
            if (!eval_cond(s, c->items[i])) {
                s->evidence.count = base;
                return false;
            }
        }
        return true;
    case COND_ANY: {
        bool any = false;
        for (size_t i = 0; i < c->item_count; i++)
            if (eval_cond(s, c->items[i]))
                any = true;
        return any;
    }
    case COND_NOT: {
        bool r = eval_cond(s, c->items[0]);
        s->evidence.count = base;
        return !r;
    }
    case COND_REGEX:
    case COND_TERMS:
    case COND_MARK:
        return eval_text_leaf(s, c);
    case COND_NEAR:
        return eval_near(s, c);
    case COND_PRESENT:
        return eval_presence(s, c, true);
    case COND_ABSENT:
        return eval_presence(s, c, false);
    case COND_EQUALS:
    case COND_IN:
        return eval_value_test(s, c, test_equals);
    case COND_PATTERN:
        return eval_value_test(s, c, test_pattern);
    case COND_MIN:
    case COND_MAX:
        return eval_value_test(s, c, test_number);
    case COND_LENGTH:
        return eval_value_test(s, c, test_length);
    case COND_COMPARE:
        return eval_compare(s, c);
    }
    return false;
}

/* ---- one rule ------------------------------------------------------------------- */

static bool overlaps(const struct evidence *a, const struct evidence *b)
{
    return a->field == b->field && a->start < b->end && b->start < a->end;
}

static int cmp_evidence(const void *pa, const void *pb)
{
    const struct evidence *a = pa, *b = pb;
    size_t fa = a->field < 0 ? SIZE_MAX : (size_t)a->field;
    size_t fb = b->field < 0 ? SIZE_MAX : (size_t)b->field;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1; /* longer first, so contained spans follow */
    return (a->seq > b->seq) - (a->seq < b->seq);
}

ipr_status scanner_eval_rule(struct ipr_scanner *s, const struct crule *rule)
{
    size_t base = s->evidence.count;
    s->evidence_seq = 0;
    if (!eval_cond(s, rule->match)) {
        s->evidence.count = base;
        return IPR_OK;
    }
    if (s->evidence.count == base) {
        /* a condition such as `not` held without evidence: name the rule's field */
        const char *sel = rule->info.field_count ? rule->info.fields[0] : "";
        size_t idx;
        const struct record_field *f = first_field(s, sel, &idx);
        if (!push_evidence(s, f ? (ptrdiff_t)idx : -1, sel, 0, 0, false))
            return IPR_ENOMEM;
    }
    /* a condition that only had to hold (a field present, a brand field
     * filled) is context, not the risk: when the rule matched text, the
     * text is the evidence */
    size_t match_end = s->evidence.count;
    bool any_text = false;
    for (size_t k = base; k < match_end && !any_text; k++)
        any_text = ((struct evidence *)vec_at(&s->evidence, k))->has_span;
    if (any_text) {
        size_t kept = base;
        for (size_t k = base; k < match_end; k++) {
            struct evidence *e = vec_at(&s->evidence, k);
            if (e->has_span)
                *(struct evidence *)vec_at(&s->evidence, kept++) = *e;
        }
        s->evidence.count = match_end = kept;
    }
    bool cancelled = false;
    for (size_t u = 0; u < rule->unless_count && !cancelled; u++) {
        size_t ubase = s->evidence.count;
        if (!eval_cond(s, rule->unless[u]))
            continue;
        bool any_span = false;
        for (size_t k = ubase; k < s->evidence.count; k++)
            if (((struct evidence *)vec_at(&s->evidence, k))->has_span)
                any_span = true;
        if (!any_span) {
            cancelled = true;
        } else {
            for (size_t m = base; m < match_end; m++) {
                struct evidence *me = vec_at(&s->evidence, m);
                if (me->field == -2)
                    continue;
                for (size_t k = ubase; k < s->evidence.count; k++) {
                    const struct evidence *ue = vec_at(&s->evidence, k);
                    if (!me->has_span || (ue->has_span && overlaps(me, ue))) {
                        me->field = -2; /* cancelled */
                        break;
                    }
                }
            }
        }
        s->evidence.count = ubase;
    }
    s->evidence.count = match_end;
    if (!cancelled) {
        struct evidence *ev = vec_at(&s->evidence, base);
        size_t n = match_end - base;
        qsort(ev, n, sizeof(*ev), cmp_evidence);
        unsigned emitted = 0;
        const struct evidence *last = NULL;
        for (size_t i = 0; i < n && emitted < IPR_MAX_FINDINGS_PER_RULE; i++) {
            if (ev[i].field == -2)
                continue;
            /* drop duplicates and spans inside the previous span of the field;
             * a trademark named by the dropped one is kept on the finding */
            if (last && last->field == ev[i].field &&
                ((!ev[i].has_span && !last->has_span) ||
                 (ev[i].has_span && last->has_span && ev[i].start >= last->start &&
                  ev[i].end <= last->end))) {
                struct pending_finding *kept = vec_at(&s->findings, s->findings.count - 1);
                if (!kept->ev.mark && ev[i].mark) {
                    kept->ev.mark = ev[i].mark;
                    kept->ev.owner = ev[i].owner;
                    kept->ev.match_kind = ev[i].match_kind;
                    kept->ev.note = ev[i].note;
                }
                continue;
            }
            struct pending_finding *pf = vec_push(&s->findings);
            if (!pf)
                return IPR_ENOMEM;
            pf->rule = rule;
            pf->ev = ev[i];
            last = &ev[i];
            emitted++;
        }
    }
    s->evidence.count = base;
    return IPR_OK;
}
