/*
 * lint.c - see lint.h.
 *
 * The second check runs the prefilter itself over the rule's examples, as
 * a scan would: a regex that matches an example field in which the
 * prefilter finds none of its literals would be skipped on such fields,
 * and its findings lost.  That is a `keywords:` list missing a literal, or
 * an atom the parser got wrong; the examples are the evidence either way.
 */
#include "lint.h"

#include <stdlib.h>

#include "../base/limits.h"
#include "prefilter.h"

struct lint {
    const struct ipr_ruleset *rs;
    bool strict;
    struct diag_list *diags;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    char *lower; /* the prefilter's scratch copy of a field */
    size_t lower_cap;
    uint8_t *candidates; /* a bit per regex */
    ipr_status status;
};

/* Does the prefilter let regex cc see value?  (It may: a regex it does
 * not filter always runs.) */
static bool prefilter_lets_see(struct lint *l, const struct ccond *cc, const char *value,
                               size_t len)
{
    const struct prefilter *pf = l->rs->prefilter;
    if (len + 1 > l->lower_cap) {
        char *p = realloc(l->lower, len + 1);
        if (!p) {
            l->status = IPR_ENOMEM;
            return true;
        }
        l->lower = p;
        l->lower_cap = len + 1;
    }
    memset(l->candidates, 0, ipr_bitset_bytes(pf->regex_count));
    prefilter_regex_candidates(pf, value, len, l->lower, l->candidates);
    return (l->candidates[cc->pf_id >> 3] >> (cc->pf_id & 7)) & 1u;
}

/* The first example field of the rule that regex cc matches and the
 * prefilter hides from it, as an error at the regex. */
static void check_examples(struct lint *l, const struct ccond *cc, const struct crule *cr)
{
    const struct rule *ast = cr->ast;
    const struct rule_example *lists[2] = {ast->must_match, ast->must_not_match};
    size_t counts[2] = {ast->must_match_count, ast->must_not_match_count};
    for (int m = 0; m < 2; m++) {
        for (size_t k = 0; k < counts[m]; k++) {
            const struct rule_example *ex = &lists[m][k];
            for (size_t f = 0; f < ex->field_count; f++) {
                const char *value = ex->fields[f].value;
                size_t len = strlen(value);
                if (pcre2_match(cc->re.code, (PCRE2_SPTR)value, len, 0, 0, l->md, l->mctx) < 0 ||
                    prefilter_lets_see(l, cc, value, len))
                    continue;
                diag_add(l->diags, IPR_DIAG_ERROR, cr->info.file, cc->src->u.regex.pattern_pos.line,
                         cc->src->u.regex.pattern_pos.col,
                         "regex in rule '%s' matches its '%s' example %zu (line %u), which holds "
                         "none of %s, so the prefilter would skip fields like it",
                         cr->info.id, m == 0 ? "match" : "no_match", k + 1, ex->pos.line,
                         cc->src->u.regex.keyword_count ? "its keywords"
                                                        : "the literals found in the regex");
                return;
            }
        }
    }
}

/* Regexes without a literal run on every field they read: slower scans,
 * so `rules lint` names them. */
static void lint_cond(struct lint *l, const struct ccond *cc, const struct crule *cr)
{
    if (cc->kind == COND_REGEX && !cc->has_atoms)
        diag_add(l->diags, l->strict ? IPR_DIAG_ERROR : IPR_DIAG_WARNING, cr->info.file,
                 cc->src->u.regex.pattern_pos.line, cc->src->u.regex.pattern_pos.col,
                 cc->prefiltered ? "regex in rule '%s' has no literal the prefilter can look for, "
                                   "so it runs on every field it reads that holds a character "
                                   "its matches start with or need"
                                 : "regex in rule '%s' has no literal the prefilter can look for, "
                                   "so it runs on every field it reads",
                 cr->info.id);
    if (cc->kind == COND_REGEX && cc->prefiltered)
        check_examples(l, cc, cr);
    for (size_t i = 0; i < cc->item_count; i++)
        lint_cond(l, cc->items[i], cr);
}

ipr_status lint_ruleset(const struct ipr_ruleset *rs, bool strict, struct diag_list *diags)
{
    struct lint l = {rs, strict, diags, NULL, NULL, NULL, 0, NULL, IPR_OK};
    l.md = pcre2_match_data_create(1, NULL);
    l.mctx = pcre2_match_context_create(NULL);
    l.candidates = calloc(ipr_bitset_bytes(rs->prefilter->regex_count) + 1, 1);
    if (!l.md || !l.mctx || !l.candidates) {
        l.status = IPR_ENOMEM;
    } else {
        /* an example is no reason to wait on a pattern that backtracks */
        pcre2_set_match_limit(l.mctx, IPR_REGEX_MATCH_LIMIT);
        pcre2_set_depth_limit(l.mctx, IPR_REGEX_DEPTH_LIMIT);
    }
    for (size_t r = 0; l.status == IPR_OK && r < rs->rule_count; r++) {
        const struct crule *cr = &rs->rules[r];
        lint_cond(&l, cr->match, cr);
        for (size_t u = 0; u < cr->unless_count; u++)
            lint_cond(&l, cr->unless[u], cr);
    }
    free(l.candidates);
    free(l.lower);
    pcre2_match_context_free(l.mctx);
    pcre2_match_data_free(l.md);
    return l.status;
}
