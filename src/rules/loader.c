/*
 * loader.c - the checks every part of the schema walk shares (see loader.h):
 * messages with positions and a budget, "did you mean" suggestions, typed
 * access to scalars, field selectors.
 *
 * Numbers are parsed here rather than with strtod, which follows the host
 * program's locale: a pack must mean the same under de_DE as under C.
 */
#include "loader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "../base/limits.h"

/* ---- diagnostics ------------------------------------------------------------ */

void loader_err_pos(struct loader *ld, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, ...)
{
    struct diag_list *d = ld->ctx->diags;
    if (ld->stopped)
        return;
    if (d->error_count - ld->errors_before >= IPR_YAML_MAX_ERRORS) {
        diag_add(d, IPR_DIAG_ERROR, file, line, col, "too many errors; stopping after %u",
                 IPR_YAML_MAX_ERRORS);
        ld->stopped = true;
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_add(d, IPR_DIAG_ERROR, file, line, col, "%s", msg);
}

void loader_err(struct loader *ld, const struct ynode *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    loader_err_pos(ld, ld->file, at ? at->line : 0, at ? at->col : 0, "%s", msg);
}

const char *loader_show(char buf[YAML_EXCERPT_CAP], const struct ynode *n)
{
    if (!n || n->kind != YNODE_SCALAR)
        buf[0] = '\0';
    else
        yaml_excerpt(buf, YAML_EXCERPT_CAP, n->u.scalar.text, n->u.scalar.len);
    return buf;
}

struct src_pos loader_pos(const struct ynode *n)
{
    struct src_pos p = {n ? n->line : 0, n ? n->col : 0};
    return p;
}

char *loader_dup(struct loader *ld, const char *s, size_t len)
{
    char *p = arena_strndup(ld->out, s, len);
    if (!p)
        ld->oom = true;
    return p;
}

void *loader_array(struct loader *ld, size_t count, size_t size)
{
    void *p = arena_calloc(ld->out, count ? count : 1, size);
    if (!p)
        ld->oom = true;
    return p;
}

/* ---- suggestions ------------------------------------------------------------- */

/* Optimal string alignment distance: a swap of two neighbours costs 1, so
 * "feild" is one step from "field". */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
    size_t rows[3][LOADER_SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= bn; j++)
        prev[j] = j;
    for (size_t i = 1; i <= an; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= bn; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (prev[j - 1] + cost < best)
                best = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[bn];
}

/* The closest name within 2 edits, or NULL.  A 2-letter word is not
 * "close" to every other 2-letter word: the distance must also be at most
 * half the longer length. */
const char *loader_suggest(struct loader *ld, const char *word, size_t len,
                           const char *const *names, size_t count)
{
    if (len > LOADER_SUGGEST_MAX_LEN)
        return NULL;
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < count && ld->suggest_budget; i++, ld->suggest_budget--) {
        size_t nl = strlen(names[i]);
        if (nl > LOADER_SUGGEST_MAX_LEN || (nl > len ? nl - len : len - nl) > 2)
            continue;
        size_t d = edit_distance(word, len, names[i], nl);
        size_t longer = nl > len ? nl : len;
        if (d < best_d && 2 * d <= longer) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

/* ---- mapping access ------------------------------------------------------------ */

static const struct ypair *find_pair(const struct ynode *map, const char *key)
{
    for (size_t i = 0; i < map->u.map.count; i++) {
        const struct ynode *k = map->u.map.pairs[i].key;
        if (k->kind == YNODE_SCALAR && strcmp(k->u.scalar.text, key) == 0)
            return &map->u.map.pairs[i];
    }
    return NULL;
}

const struct ynode *loader_get(const struct ynode *map, const char *key)
{
    const struct ypair *p = find_pair(map, key);
    return p ? p->value : NULL;
}

bool loader_in_names(const char *s, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

/* Reports every key of map that is not in names; returns how many. */
size_t loader_check_keys(struct loader *ld, const struct ynode *map, const char *const *names,
                         size_t count, const char *where)
{
    char a[YAML_EXCERPT_CAP];
    size_t unknown = 0;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const struct ynode *k = map->u.map.pairs[i].key;
        if (k->kind == YNODE_BAD)
            continue;
        if (k->kind != YNODE_SCALAR) {
            loader_err(ld, k, "expected a name as key in %s, found %s", where, ynode_describe(k));
            unknown++;
            continue;
        }
        if (loader_in_names(k->u.scalar.text, names, count))
            continue;
        unknown++;
        const char *s = loader_suggest(ld, k->u.scalar.text, k->u.scalar.len, names, count);
        if (s)
            loader_err(ld, k, "unknown key '%s' in %s (did you mean '%s'?)", loader_show(a, k),
                       where, s);
        else
            loader_err(ld, k, "unknown key '%s' in %s", loader_show(a, k), where);
    }
    return unknown;
}

const struct ynode *loader_need(struct loader *ld, const struct ynode *map, const char *key,
                                const char *where)
{
    const struct ynode *v = loader_get(map, key);
    if (!v)
        loader_err(ld, map, "missing required key '%s' in %s", key, where);
    return v;
}

/* ---- scalar values ------------------------------------------------------------- */

bool loader_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!ipr_is_ascii_space((unsigned char)s[i]))
            return false;
    return true;
}

/* A scalar as an AST string; what names it in messages ("'title'"). */
const char *loader_string(struct loader *ld, const struct ynode *v, const char *what, bool nonempty)
{
    if (!v || v->kind == YNODE_BAD)
        return NULL;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        loader_err(ld, v, "expected a string for %s, found %s", what, ynode_describe(v));
        return NULL;
    }
    if (nonempty && loader_is_blank(v->u.scalar.text, v->u.scalar.len)) {
        loader_err(ld, v, "%s must not be empty", what);
        return NULL;
    }
    return loader_dup(ld, v->u.scalar.text, v->u.scalar.len);
}

const char **loader_strings(struct loader *ld, const struct ynode *v, const char *key,
                            size_t *count)
{
    *count = 0;
    if (!v || v->kind == YNODE_BAD)
        return NULL;
    if (v->kind != YNODE_SEQUENCE) {
        loader_err(ld, v, "expected a sequence for '%s', found %s", key, ynode_describe(v));
        return NULL;
    }
    const char **items = loader_array(ld, v->u.seq.count, sizeof(char *));
    if (!items)
        return NULL;
    char what[64];
    snprintf(what, sizeof(what), "an entry of '%s'", key);
    for (size_t i = 0; i < v->u.seq.count; i++) {
        const char *s = loader_string(ld, v->u.seq.items[i], what, true);
        if (s)
            items[(*count)++] = s;
    }
    return items;
}

bool loader_bool(struct loader *ld, const struct ynode *v, const char *key, bool dflt)
{
    char a[YAML_EXCERPT_CAP];
    if (!v || v->kind == YNODE_BAD)
        return dflt;
    if (v->kind == YNODE_SCALAR && v->u.scalar.style == YSCALAR_PLAIN) {
        if (strcmp(v->u.scalar.text, "true") == 0)
            return true;
        if (strcmp(v->u.scalar.text, "false") == 0)
            return false;
    }
    if (ynode_is_quoted(v) &&
        (strcmp(v->u.scalar.text, "true") == 0 || strcmp(v->u.scalar.text, "false") == 0))
        loader_err(ld, v, "write %s without quotes: a quoted value is a string", v->u.scalar.text);
    else if (v->kind == YNODE_SCALAR && !ynode_is_null(v))
        loader_err(ld, v, "use true or false, not '%s'", loader_show(a, v));
    else
        loader_err(ld, v, "expected true or false for '%s', found %s", key, ynode_describe(v));
    return dflt;
}

/* Decimal number as YAML writes it: [-+]digits[.digits][e[-+]digits].  No
 * strtod: it follows the host program's locale, which may want a comma. */
bool loader_parse_number(const char *s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s;
    bool neg = false, any = false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    uint64_t mant = 0;
    long exp10 = 0;
    unsigned digits = 0; /* significant digits kept in mant */
    for (; ipr_is_ascii_digit((unsigned char)*p); p++, any = true) {
        if (digits < 19) {
            mant = mant * 10 + (uint64_t)(*p - '0');
            digits += mant != 0;
        } else {
            exp10++;
        }
    }
    if (*p == '.') {
        for (p++; ipr_is_ascii_digit((unsigned char)*p); p++, any = true) {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                digits += mant != 0;
                exp10--;
            }
        }
    }
    if (!any)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = false;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!ipr_is_ascii_digit((unsigned char)*p))
            return false;
        long e = 0;
        for (; ipr_is_ascii_digit((unsigned char)*p); p++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    if (*p)
        return false;
    double v = (double)mant;
    if (mant < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        /* both operands exact: one correctly rounded operation */
        v = exp10 < 0 ? v / pow10[-exp10] : v * pow10[exp10];
    } else if (mant != 0) {
        for (; exp10 > 0 && isfinite(v); exp10--)
            v *= 10.0;
        for (; exp10 < 0 && v != 0.0; exp10++)
            v /= 10.0;
    }
    if (!isfinite(v))
        return false;
    *out = neg ? -v : v;
    return true;
}

bool loader_parse_uint(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!ipr_is_ascii_digit((unsigned char)*s))
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* A non-negative integer scalar; what is "'words'" or "'min' of 'length'". */
bool loader_uint(struct loader *ld, const struct ynode *v, const char *what, uint64_t *out)
{
    char a[YAML_EXCERPT_CAP];
    if (!v || v->kind == YNODE_BAD)
        return false;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        loader_err(ld, v, "expected a non-negative integer for %s, found %s", what,
                   ynode_describe(v));
        return false;
    }
    if (!loader_parse_uint(v->u.scalar.text, out)) {
        loader_err(ld, v, "%s must be a non-negative integer, not '%s'", what, loader_show(a, v));
        return false;
    }
    return true;
}

/* ---- field selectors --------------------------------------------------------------- */

/* Why a selector is malformed, or NULL.  See docs/rules.md "Field selectors". */
static const char *selector_problem(const char *s)
{
    if (strcmp(s, "*") == 0)
        return NULL;
    size_t n = strlen(s);
    if (n == 0)
        return "is empty";
    if (ipr_is_ascii_space((unsigned char)s[0]) || ipr_is_ascii_space((unsigned char)s[n - 1]))
        return "has space at its start or end";
    size_t seg = 0;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.' || c == '\0') {
            if (seg == 0)
                return "has an empty segment";
            if (c == '\0')
                return NULL;
            seg = 0;
        } else if (c == '[') {
            if (p[1] != ']' || (p[2] != '.' && p[2] != '\0'))
                return "may use brackets only as '[]' at the end of a segment";
            p++;
        } else if (c == ']') {
            return "may use brackets only as '[]' at the end of a segment";
        } else if (c == '*') {
            return "may use '*' only as the whole selector (a selector already picks every "
                   "field below it)";
        } else if (c < 0x20 || c == 0x7F) {
            return "holds a control character";
        } else {
            seg++;
        }
    }
}

const char *loader_selector(struct loader *ld, const struct ynode *v, const char *what)
{
    char a[YAML_EXCERPT_CAP];
    const char *s = loader_string(ld, v, what, false);
    const char *why = s ? selector_problem(s) : NULL;
    if (why) {
        loader_err(ld, v, "field selector '%s' %s", loader_show(a, v), why);
        return NULL;
    }
    return s;
}

const char **loader_selectors(struct loader *ld, const struct ynode *v, const char *key,
                              size_t *count)
{
    *count = 0;
    if (!v || v->kind == YNODE_BAD)
        return NULL;
    if (v->kind != YNODE_SEQUENCE) {
        loader_err(ld, v, "expected a sequence for '%s', found %s", key, ynode_describe(v));
        return NULL;
    }
    if (v->u.seq.count == 0) {
        loader_err(ld, v, "'%s' needs at least one field selector", key);
        return NULL;
    }
    const char **items = loader_array(ld, v->u.seq.count, sizeof(char *));
    if (!items)
        return NULL;
    char what[64];
    snprintf(what, sizeof(what), "an entry of '%s'", key);
    for (size_t i = 0; i < v->u.seq.count; i++) {
        const char *s = loader_selector(ld, v->u.seq.items[i], what);
        if (s)
            items[(*count)++] = s;
    }
    return items;
}
