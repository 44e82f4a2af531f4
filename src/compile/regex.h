/*
 * regex.h - PCRE2 patterns of rules: compiled once, matched under budgets.
 *
 * Every pattern is compiled with UTF, UCP (so \b and \w know every script),
 * MATCH_INVALID_UTF (listing text is not trusted to be valid UTF-8) and
 * NEVER_BACKSLASH_C.  The JIT compilation comes at a pattern's first match,
 * not at load: a run verifies only the rules whose literals occur, and
 * compiling every pattern of the built-in packs up front was a tenth of the
 * start-up of each run.  Matching happens in match/ with per-thread match
 * data and limits; this module owns the compiled code, shared between
 * threads, whose one mutable part is the JIT state (under a lock, once).
 */
#ifndef IPR_COMPILE_REGEX_H
#define IPR_COMPILE_REGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../base/diag.h"
#include "../rules/rule_ast.h"

enum regex_jit {
    REGEX_JIT_PENDING, /* not tried yet: the first match will */
    REGEX_JIT_READY,   /* compiled: matches go to the JIT */
    REGEX_JIT_NONE     /* the platform or memory said no: the interpreter */
};

struct regex {
    pcre2_code *code;          /* owned */
    _Atomic unsigned char jit; /* enum regex_jit; set once, under jit_lock */
    bool anchored;             /* whole-value match (`pattern:` leaves) */
    pthread_mutex_t jit_lock;  /* the first match of each thread that finds PENDING */
};

/* Compiles cond->u.regex.pattern.  Problems become diagnostics at the
 * pattern's position (with the offset inside the pattern); returns
 * IPR_ERULES then.  `anchored` wraps the pattern for whole-value matching. */
ipr_status regex_compile(struct regex *re, const struct cond *cond, const char *file, bool anchored,
                         struct diag_list *diags);
void regex_release(struct regex *re);

/* JIT-compiles re if no thread has tried yet and returns the state it is
 * left in (READY or NONE).  Any thread may call it; one compiles, the others
 * wait for it, and none matches the pattern meanwhile (pcre2_jit_compile
 * writes into the code that pcre2_match reads). */
enum regex_jit regex_jit_prepare(const struct regex *re);

/* Matches re against subject from offset under the limits of mctx.  A
 * JIT-compiled pattern goes straight to the JIT: pcre2_match would only
 * add checks that do not apply (MATCH_INVALID_UTF skips the UTF check)
 * before handing over, once per field and regex. */
static inline int regex_match(const struct regex *re, const char *subject, size_t len,
                              size_t offset, pcre2_match_data *md, pcre2_match_context *mctx)
{
    /* acquire: a READY seen here comes with the JIT code written before it */
    enum regex_jit jit =
        (enum regex_jit)atomic_load_explicit(&((struct regex *)re)->jit, memory_order_acquire);
    if (jit == REGEX_JIT_PENDING)
        jit = regex_jit_prepare(re);
    if (jit == REGEX_JIT_READY)
        return pcre2_jit_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, md, mctx);
    return pcre2_match(re->code, (PCRE2_SPTR)subject, len, offset, 0, md, mctx);
}

/* Checks a pattern against the subset rules may use: no leading (*VERB)
 * options that would lift limits, no backreferences, no nested unbounded
 * quantifiers.  Returns the byte offset of the first problem and a reason,
 * or SIZE_MAX when the pattern is acceptable. */
size_t regex_lint(const char *pattern, const char **reason);

#endif
