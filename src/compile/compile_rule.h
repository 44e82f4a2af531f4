/*
 * compile_rule.h - AST rules -> compiled rules (struct crule).
 */
#ifndef IPR_COMPILE_COMPILE_RULE_H
#define IPR_COMPILE_COMPILE_RULE_H

#include "../base/diag.h"
#include "ruleset.h"

/* Compiles every enabled rule of the packs whose stage bit is in stage_mask
 * into rs (rules, stage counts).  Problems (duplicate ids across packs, bad
 * regexes, bad expressions, unsupported leaves) become diagnostics.
 * Returns IPR_OK or IPR_ENOMEM; the caller checks diags->error_count. */
ipr_status compile_packs(struct ipr_ruleset *rs, struct rule_pack *const *packs, size_t pack_count,
                         unsigned stage_mask, struct diag_list *diags);

#endif
