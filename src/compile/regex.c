/*
 * regex.c - compile rule regexes (see regex.h).
 *
 * Budgets: pattern length is capped (IPR_REGEX_MAX_PATTERN_BYTES); the lint
 * below rejects the constructs that make backtracking explode or that would
 * let a pattern raise its own limits.  Match-time limits live in the
 * scanner's match context, so even an accepted pattern cannot run forever.
 */
#include "regex.h"

#include "../base/buf.h"
#include "../base/limits.h"

/* Position of byte `offset` of the pattern in the pack: exact for one-line
 * plain scalars, and for quoted ones one column further for the quote.
 * Escapes in double-quoted scalars can shift it; the offset is also given
 * in the message so the user can always find the spot. */
static uint32_t pattern_col(const struct cond *cond, size_t offset)
{
    uint32_t col = cond->u.regex.pattern_pos.col;
    if (col == 0)
        return 0;
    return col + (cond->u.regex.pattern_quoted ? 1u : 0u) + (uint32_t)offset;
}

/* Is there an unbounded quantifier (*, +, {n,}) at p? */
static bool is_unbounded_quantifier(const char *p)
{
    if (*p == '*' || *p == '+')
        return true;
    if (*p != '{')
        return false;
    p++;
    if (!ipr_is_ascii_digit((unsigned char)*p))
        return false;
    while (ipr_is_ascii_digit((unsigned char)*p))
        p++;
    return p[0] == ',' && p[1] == '}';
}

size_t regex_lint(const char *p, const char **reason)
{
    size_t len = strlen(p);
    if (len >= 2 && p[0] == '(' && p[1] == '*') {
        *reason = "leading (*VERB) options are not allowed in rule patterns";
        return 0;
    }
    /* Track, per open group, whether it contains an unbounded quantifier, to
     * spot (x+)+ style nesting.  Character classes and escapes are skipped. */
    enum { MAX_GROUPS = 64 };
    bool group_unbounded[MAX_GROUPS];
    size_t group_start[MAX_GROUPS];
    size_t depth = 0;
    bool in_class = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            unsigned char n = (unsigned char)p[i + 1];
            if (!in_class && ((n >= '1' && n <= '9') || n == 'g' || n == 'k')) {
                *reason = "backreferences are not allowed in rule patterns";
                return i;
            }
            if (n == 'Q') { /* literal until \E */
                const char *end = strstr(p + i + 2, "\\E");
                i = end ? (size_t)(end - p) + 1 : len;
                continue;
            }
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (p[i + 1] == '^')
                i++;
            if (p[i + 1] == ']')
                i++;
            continue;
        }
        if (c == '(') {
            if (p[i + 1] == '?' && p[i + 2] == 'P' && p[i + 3] == '=') {
                *reason = "backreferences are not allowed in rule patterns";
                return i;
            }
            if (depth >= MAX_GROUPS) {
                *reason = "groups are nested too deeply";
                return i;
            }
            group_unbounded[depth] = false;
            group_start[depth] = i;
            depth++;
            continue;
        }
        bool unbounded_q = is_unbounded_quantifier(p + i);
        if (c == ')') {
            if (depth == 0)
                continue;
            depth--;
            bool inner = group_unbounded[depth];
            bool quantified_unbounded = is_unbounded_quantifier(p + i + 1);
            if (inner && quantified_unbounded) {
                *reason = "nested unbounded quantifiers can backtrack catastrophically";
                return group_start[depth];
            }
            if ((inner || quantified_unbounded) && depth > 0)
                group_unbounded[depth - 1] = true;
            continue;
        }
        if (unbounded_q && depth > 0)
            group_unbounded[depth - 1] = true;
    }
    return SIZE_MAX;
}

ipr_status regex_compile(struct regex *re, const struct cond *cond, const char *file, bool anchored,
                         struct diag_list *diags)
{
    const char *pattern = cond->u.regex.pattern;
    uint32_t line = cond->u.regex.pattern_pos.line;
    re->code = NULL;
    atomic_init(&re->jit, REGEX_JIT_PENDING);
    re->anchored = anchored;
    size_t len = strlen(pattern);
    if (len > IPR_REGEX_MAX_PATTERN_BYTES) {
        diag_add(diags, IPR_DIAG_ERROR, file, line, pattern_col(cond, 0),
                 "regex is %zu bytes long, more than the limit of %u", len,
                 IPR_REGEX_MAX_PATTERN_BYTES);
        return IPR_ERULES;
    }
    const char *reason = NULL;
    size_t bad = regex_lint(pattern, &reason);
    if (bad != SIZE_MAX) {
        diag_add(diags, IPR_DIAG_ERROR, file, line, pattern_col(cond, bad),
                 "%s (at offset %zu in the pattern)", reason, bad);
        return IPR_ERULES;
    }
    struct buf wrapped;
    buf_init(&wrapped, 0);
    const char *source = pattern;
    size_t source_len = len;
    if (anchored) {
        /* \A(?:...)\z keeps alternations inside the anchors */
        if (buf_printf(&wrapped, "\\A(?:%s)\\z", pattern) != IPR_OK) {
            buf_release(&wrapped);
            return IPR_ENOMEM;
        }
        source = buf_str(&wrapped);
        source_len = wrapped.len;
    }
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
    int errcode = 0;
    PCRE2_SIZE erroffset = 0;
    re->code = pcre2_compile((PCRE2_SPTR)source, source_len, options, &errcode, &erroffset, NULL);
    buf_release(&wrapped);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        size_t off = erroffset;
        if (anchored)
            off = off >= 5 ? off - 5 : 0; /* strip the "\A(?:" prefix */
        if (off > len)
            off = len;
        diag_add(diags, IPR_DIAG_ERROR, file, line, pattern_col(cond, off),
                 "regex does not compile: %s (at offset %zu in the pattern)", (const char *)msg,
                 off);
        return IPR_ERULES;
    }
    if (pthread_mutex_init(&re->jit_lock, NULL) != 0) {
        pcre2_code_free(re->code);
        re->code = NULL;
        return IPR_ENOMEM;
    }
    return IPR_OK;
}

enum regex_jit regex_jit_prepare(const struct regex *shared)
{
    struct regex *re = (struct regex *)shared; /* the JIT state is its mutable part */
    pthread_mutex_lock(&re->jit_lock);
    enum regex_jit jit = (enum regex_jit)atomic_load_explicit(&re->jit, memory_order_relaxed);
    if (jit == REGEX_JIT_PENDING) {
        jit =
            pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 ? REGEX_JIT_READY : REGEX_JIT_NONE;
        atomic_store_explicit(&re->jit, (unsigned char)jit, memory_order_release);
    }
    pthread_mutex_unlock(&re->jit_lock);
    return jit;
}

void regex_release(struct regex *re)
{
    if (re->code)
        pthread_mutex_destroy(&re->jit_lock);
    pcre2_code_free(re->code);
    re->code = NULL;
}
