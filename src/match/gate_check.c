/*
 * gate_check.c - does a rule's gate (compile/gate.h) hold for the current
 * record?
 *
 * The triggers of a record are found one kind at a time, the first time a
 * gate asks for that kind: the atom scan of every field a regex reads, the
 * term index over every field a term list reads, the trademark search of
 * every field a mark leaf reads.  Each is the same per-field work the
 * leaves reuse afterwards, so a gate costs no second pass.  When a pass
 * fails (out of memory, a field too long to normalize) every trigger of
 * its kind counts as fired: the rules then run and report the failure.
 */
#include "scanner.h"

enum { TRIG_REGEX = 1u, TRIG_TERMS = 2u, TRIG_MARKS = 4u };

static void fire(struct ipr_scanner *s, uint32_t t)
{
    s->triggers[t >> 3] |= (uint8_t)(1u << (t & 7));
}

static void fire_range(struct ipr_scanner *s, uint32_t from, uint32_t to)
{
    for (uint32_t t = from; t < to; t++)
        fire(s, t);
}

static void find_regex_triggers(struct ipr_scanner *s)
{
    uint32_t regexes = s->rs->prefilter->regex_count;
    for (size_t fi = 0; fi < s->rec->field_count; fi++) {
        if (!(field_select_uses(&s->select, fi) & SEL_USE_REGEX))
            continue;
        const uint8_t *cand = scanner_regex_candidates(s, fi);
        if (!cand) {
            fire_range(s, 0, regexes);
            return;
        }
        for (size_t b = 0; b < ipr_bitset_bytes(regexes); b += 8) {
            uint64_t have, more;
            memcpy(&have, s->triggers + b, 8);
            memcpy(&more, cand + b, 8);
            have |= more;
            memcpy(s->triggers + b, &have, 8);
        }
    }
}

static void find_term_triggers(struct ipr_scanner *s)
{
    const struct prefilter *pf = s->rs->prefilter;
    for (size_t fi = 0; fi < s->rec->field_count; fi++) {
        if (!(field_select_uses(&s->select, fi) & SEL_USE_TERMS))
            continue;
        const struct norm_cache_entry *ce = scanner_term_hits(s, fi);
        if (!ce) {
            fire_range(s, pf->regex_count, pf->regex_count + pf->termset_count);
            return;
        }
        for (size_t i = 0; i < ce->term_hit_count; i++)
            fire(s, gate_terms_trigger(pf->regex_count, ce->term_hits[i].set_id));
    }
}

static void find_mark_triggers(struct ipr_scanner *s)
{
    for (size_t fi = 0; fi < s->rec->field_count; fi++) {
        if (!(field_select_uses(&s->select, fi) & SEL_USE_MARKS))
            continue;
        const struct field_marks *fm = mark_hits_for_field(s, fi);
        for (size_t i = 0; i < fm->count; i++) {
            if (fm->hits[i].state == HIT_RISK) {
                fire(s, s->rs->marks_trigger);
                return;
            }
        }
    }
    if (s->error != IPR_OK)
        fire(s, s->rs->marks_trigger);
}

static bool fired(struct ipr_scanner *s, uint32_t t)
{
    const struct ipr_ruleset *rs = s->rs;
    unsigned kind = t < rs->prefilter->regex_count ? TRIG_REGEX
                    : t < rs->marks_trigger        ? TRIG_TERMS
                                                   : TRIG_MARKS;
    if (!(s->triggers_found & kind)) {
        s->triggers_found |= kind;
        if (kind == TRIG_REGEX)
            find_regex_triggers(s);
        else if (kind == TRIG_TERMS)
            find_term_triggers(s);
        else
            find_mark_triggers(s);
    }
    return (s->triggers[t >> 3] >> (t & 7)) & 1u;
}

bool scanner_gate_open(struct ipr_scanner *s, const struct crule *rule)
{
    for (uint32_t c = 0; c < rule->gate.count; c++) {
        const struct gate_clause *cl = &rule->gate.clauses[c];
        bool any = false;
        for (uint32_t i = 0; i < cl->count && !any; i++)
            any = fired(s, cl->triggers[i]);
        if (!any)
            return false;
    }
    return true;
}

void scanner_open_regex_gated(struct ipr_scanner *s)
{
    const struct regex_gated *rg = &s->rs->regex_gated;
    memset(s->rule_open, 0, ipr_bitset_bytes(s->rs->rule_count));
    if (!rg->rule_count)
        return;
    if (!(s->triggers_found & TRIG_REGEX)) {
        s->triggers_found |= TRIG_REGEX;
        find_regex_triggers(s);
    }
    uint32_t regexes = s->rs->prefilter->regex_count;
    for (uint32_t byte = 0; byte < (regexes + 7) / 8; byte++) {
        for (unsigned bits = s->triggers[byte]; bits; bits &= bits - 1) {
            uint32_t t = byte * 8 + (uint32_t)__builtin_ctz(bits);
            if (t >= regexes)
                break; /* the term lists' triggers share the last byte */
            for (uint32_t i = rg->start[t]; i < rg->start[t + 1]; i++)
                s->rule_open[rg->rules[i] >> 3] |= (uint8_t)(1u << (rg->rules[i] & 7));
        }
    }
}
