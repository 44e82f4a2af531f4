/*
 * gate.h - which rules can match a record at all, decided before any rule
 * is evaluated.
 *
 * Every text leaf the prefilter can see is a trigger: a regex with atoms
 * (its atoms occur) or bytes every match needs (they occur), a term list (one of its terms occurs)
 * or the trademark registry (a risky mark hit).  A rule's gate is a conjunction of clauses, each a
 * disjunction of triggers, derived conservatively from its condition: `all` joins its children's
 * clauses, `any` keeps one clause that unions a clause of every child, and anything the prefilter
 * cannot see (`not`, field constraints, regexes without atoms) imposes nothing. A rule whose gate
 * fails for a record cannot match it, so the scanner skips it; the naive engine ignores gates.
 *
 * Field selectors are interned as well, so the scanner resolves each
 * record field's selectors once per field path instead of once per rule.
 */
#ifndef IPR_COMPILE_GATE_H
#define IPR_COMPILE_GATE_H

#include "../base/common.h"

/* How a selector is used by text leaves: which per-field passes its fields need. */
enum selector_use {
    SEL_USE_REGEX = 1u, /* a regex leaf reads it: run the atom scan */
    SEL_USE_TERMS = 2u, /* a term list reads it: run the term index */
    SEL_USE_MARKS = 4u  /* a mark leaf reads it: look for trademarks */
};

struct gate_clause {
    const uint32_t *triggers; /* trigger ids; the clause holds when any fired */
    uint32_t count;
};

struct rule_gate {
    const struct gate_clause *clauses; /* all must hold; none: the rule always runs */
    uint32_t count;
    bool regex_only; /* one clause of regex triggers: listed under them (regex_gated) */
};

/* The rules with a regex_only gate, listed under each regex of their
 * clause: the scanner opens them from the few regexes that fired instead
 * of asking every rule.  Rules of regex r are rules[start[r]..start[r+1]). */
struct regex_gated {
    uint32_t *start;     /* regex_count + 2 offsets (one spare for building) */
    uint32_t *rules;     /* rule indices */
    uint32_t rule_count; /* distinct rules listed */
    uint8_t *unlisted;   /* bit per rule not listed (no gate, or another kind): asked one by
                            one; ipr_bitset_bytes(rule_count of the ruleset) */
};

struct ipr_ruleset;

/* Trigger ids: regex leaf r is r, term list t is regex_count + t, the
 * registry is regex_count + termset_count. */
static inline uint32_t gate_terms_trigger(uint32_t regex_count, uint32_t set_id)
{
    return regex_count + set_id;
}

/* Interns selectors (ccond.sel_ids, ruleset selectors and their uses) and
 * computes every rule's gate.  Call after prefilter_build. */
ipr_status gate_build(struct ipr_ruleset *rs);

#endif
