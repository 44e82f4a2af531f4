/*
 * ruleset.h - the compiled, immutable ruleset (stage 2's output).
 *
 * A ruleset is built once by the compiler and then only read, by any number
 * of scanner threads at once: nothing in it is mutated after
 * ipr_compiler_finish().  Compiled conditions mirror the AST (struct cond)
 * with regexes compiled, terms normalized and expressions parsed; the AST
 * and every string live in the ruleset's arena.
 */
#ifndef IPR_COMPILE_RULESET_H
#define IPR_COMPILE_RULESET_H

#include "../base/arena.h"
#include "../base/vec.h"
#include "../registry/registry.h"
#include "expr.h"
#include "gate.h"
#include "markset.h"
#include "prefilter.h"
#include "regex.h"
#include "termset.h"

struct ccond {
    enum cond_kind kind;
    const struct cond *src;    /* AST node: positions, original values */
    const char *const *fields; /* effective selectors: the leaf's own, else the rule's */
    const uint32_t *sel_ids;   /* the same selectors as ids into ipr_ruleset.selectors */
    const uint64_t *sel_mask;  /* and as a bitset of ipr_ruleset.selector_words words */
    uint32_t sel_group;        /* sel_mask's number among the ruleset's distinct masks
                                  (ipr_ruleset.sel_groups): the scanner lists each one's fields
                                  once per record */
    size_t field_count;
    struct ccond **items; /* all/any children; not: items[0]; near: first, second */
    size_t item_count;
    struct regex re;       /* COND_REGEX, COND_PATTERN */
    struct termset terms;  /* COND_TERMS */
    struct comparison cmp; /* COND_COMPARE */
    const char **folded;   /* COND_EQUALS / COND_IN / COND_MARK names: folded values */
    size_t folded_count;
    uint32_t pf_id;      /* COND_REGEX: regex id; COND_TERMS: term list id */
    bool has_atoms;      /* COND_REGEX: literal atoms were found (rules lint) */
    bool prefiltered;    /* COND_REGEX: the prefilter can skip it (atoms or needed bytes) */
    uint64_t class_mask; /* COND_MARK: Nice classes asked for; 0 = any */
    unsigned kind_mask;  /* COND_MARK: 1 << enum mark_kind; 0 = any */
};

struct crule {
    ipr_rule_info info; /* the public view; strings point into the arena */
    struct ccond *match;
    struct ccond **unless;
    size_t unless_count;
    const struct rule *ast; /* tests, positions */
    size_t index;           /* position in the ruleset */
    struct rule_gate gate;  /* triggers the prefilter must see for the rule to match */
};

struct ipr_ruleset {
    struct arena arena;  /* AST, compiled conditions, strings */
    struct crule *rules; /* sorted by stage, then pack order */
    size_t rule_count;
    struct vec regexes; /* struct regex * to release with the ruleset */
    size_t stage_rule_count[IPR_STAGE_COUNT];
    char sha256[65];
    struct registry registry;    /* marks, class words, authorizations */
    struct markset *marks;       /* NULL when no registry was loaded */
    struct prefilter *prefilter; /* regex atoms and the term index */
    const char **selectors;      /* every distinct field selector, by id */
    uint8_t *selector_use;       /* enum selector_use bits, by id */
    uint32_t selector_count;
    uint32_t selector_words;     /* uint64_t words in a selector bitset */
    const uint64_t **sel_groups; /* every distinct ccond.sel_mask, by ccond.sel_group */
    uint32_t sel_group_count;
    uint32_t trigger_count; /* regexes + term lists + the registry */
    uint32_t marks_trigger; /* trigger id of "a risky trademark hit" */
    struct regex_gated regex_gated;
};

/* Case- and space-folds a value for `equals`/`in`/string compare: ASCII
 * lowercase (non-ASCII through the normalizer), runs of white space become
 * one space, ends trimmed.  The result is written to out. */
struct buf;
ipr_status fold_value(struct normalizer *norm, const char *s, size_t len, struct buf *out);

#endif
