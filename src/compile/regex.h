/*
 * regex.h - PCRE2 patterns of rules: compiled once, matched under budgets.
 *
 * Every pattern is compiled with UTF, UCP (so \b and \w know every script),
 * MATCH_INVALID_UTF (listing text is not trusted to be valid UTF-8) and
 * NEVER_BACKSLASH_C, then JIT-compiled when the platform allows.  Matching
 * happens in match/ with per-thread match data and limits; this module only
 * owns the compiled code, which is immutable and shared between threads.
 */
#ifndef IPR_COMPILE_REGEX_H
#define IPR_COMPILE_REGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../base/diag.h"
#include "../rules/rule_ast.h"

struct regex {
    pcre2_code *code; /* owned */
    bool jit;         /* JIT compilation succeeded */
    bool anchored;    /* whole-value match (`pattern:` leaves) */
};

/* Compiles cond->u.regex.pattern.  Problems become diagnostics at the
 * pattern's position (with the offset inside the pattern); returns
 * IPR_ERULES then.  `anchored` wraps the pattern for whole-value matching. */
ipr_status regex_compile(struct regex *re, const struct cond *cond, const char *file, bool anchored,
                         struct diag_list *diags);
void regex_release(struct regex *re);

/* Matches re against subject from offset under the limits of mctx.  A
 * JIT-compiled pattern goes straight to the JIT: pcre2_match would only
 * add checks that do not apply (MATCH_INVALID_UTF skips the UTF check)
 * before handing over, once per field and regex. */
static inline int regex_match(const struct regex *re, const char *subject, size_t len,
                              size_t offset, pcre2_match_data *md, pcre2_match_context *mctx)
{
    if (re->jit)
        return pcre2_jit_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, md, mctx);
    return pcre2_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, md, mctx);
}

/* Checks a pattern against the subset rules may use: no leading (*VERB)
 * options that would lift limits, no backreferences, no nested unbounded
 * quantifiers.  Returns the byte offset of the first problem and a reason,
 * or SIZE_MAX when the pattern is acceptable. */
size_t regex_lint(const char *pattern, const char **reason);

#endif
