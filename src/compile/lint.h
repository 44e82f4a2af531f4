/*
 * lint.h - what `iprcheck rules lint` says about a compiled ruleset beyond
 * the loader's errors: regexes the prefilter cannot skip, and regexes the
 * prefilter would skip on text they match.
 */
#ifndef IPR_COMPILE_LINT_H
#define IPR_COMPILE_LINT_H

#include "../base/diag.h"
#include "ruleset.h"

/* Adds the lint diagnostics of rs to diags: a warning (an error when
 * strict) for every regex without a literal the prefilter can look for,
 * and an error for every regex that matches a field of one of its rule's
 * examples the prefilter would not let it see.  IPR_ENOMEM only. */
ipr_status lint_ruleset(const struct ipr_ruleset *rs, bool strict, struct diag_list *diags);

#endif
