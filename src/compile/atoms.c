/*
 * atoms.c - a conservative parser for the PCRE2 subset rules use, reduced
 * to "which literals must appear" (see atoms.h).
 *
 * The parser computes, for each node, a set of required strings or NONE:
 *   literal run "abc"        -> {"abc"}
 *   sequence a b c           -> the best set among its mandatory items
 *   alternation a|b          -> union of the branches' sets (NONE if any is)
 *   group (...)              -> the inner set
 *   x? x* x{0,n}             -> NONE (may be absent)
 *   x+ x{n,}                 -> the set of x, and x ends a literal run
 *   class, ., \d, \w ...     -> NONE (many strings), and ends a run
 *   \b ^ $ \A \z             -> zero-width: neither breaks nor adds
 * Anything else ((?x), \Q, \x{..}, lookbehind subtleties, backslash
 * sequences it does not know) makes the whole pattern "no atoms".
 */
#include "atoms.h"

#include <stdlib.h>

#include "../base/buf.h"

struct aset {
    bool none;    /* no usable atoms */
    char **items; /* malloc'd strings */
    size_t *lens;
    size_t count;
};

struct parser {
    const char *p;
    size_t pos;
    size_t len;
    bool caseless;
    bool bail; /* unsupported construct: no atoms for the whole pattern */
    unsigned depth;
};

static void aset_free(struct aset *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    free(s->lens);
    s->items = NULL;
    s->lens = NULL;
    s->count = 0;
}

static struct aset aset_none(void)
{
    struct aset s = {true, NULL, NULL, 0};
    return s;
}

static bool aset_add(struct aset *s, const char *str, size_t len)
{
    if (s->count >= ATOM_MAX_COUNT) {
        aset_free(s);
        s->none = true;
        return true;
    }
    char **items = realloc(s->items, (s->count + 1) * sizeof(char *));
    if (!items)
        return false;
    s->items = items;
    size_t *lens = realloc(s->lens, (s->count + 1) * sizeof(size_t));
    if (!lens)
        return false;
    s->lens = lens;
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, str, len);
    copy[len] = '\0';
    s->items[s->count] = copy;
    s->lens[s->count] = len;
    s->count++;
    return true;
}

/* Shortest atom: the set is as strong as its weakest member. */
static size_t aset_score(const struct aset *s)
{
    if (s->none || s->count == 0)
        return 0;
    size_t min = SIZE_MAX;
    for (size_t i = 0; i < s->count; i++)
        if (s->lens[i] < min)
            min = s->lens[i];
    return min >= ATOM_MIN_LEN ? min : 0;
}

static struct aset parse_alt(struct parser *ps);

/* Reads a quantifier at the cursor; min is its lower bound. */
static bool read_quantifier(struct parser *ps, unsigned *min, bool *present)
{
    *present = false;
    *min = 1;
    if (ps->pos >= ps->len)
        return true;
    char c = ps->p[ps->pos];
    if (c == '*' || c == '?') {
        *min = 0;
        *present = true;
        ps->pos++;
    } else if (c == '+') {
        *present = true;
        ps->pos++;
    } else if (c == '{') {
        size_t q = ps->pos + 1;
        unsigned long lo = 0;
        bool digits = false;
        while (q < ps->len && ipr_is_ascii_digit((unsigned char)ps->p[q])) {
            lo = lo * 10 + (unsigned long)(ps->p[q] - '0');
            if (lo > 100000)
                lo = 100000;
            q++;
            digits = true;
        }
        if (!digits)
            return true; /* a literal '{' */
        if (q < ps->len && ps->p[q] == ',') {
            q++;
            while (q < ps->len && ipr_is_ascii_digit((unsigned char)ps->p[q]))
                q++;
        }
        if (q >= ps->len || ps->p[q] != '}')
            return true; /* literal */
        *min = (unsigned)lo;
        *present = true;
        ps->pos = q + 1;
    } else {
        return true;
    }
    /* lazy or possessive suffix */
    if (ps->pos < ps->len && (ps->p[ps->pos] == '?' || ps->p[ps->pos] == '+'))
        ps->pos++;
    return true;
}

static void skip_class(struct parser *ps)
{
    ps->pos++; /* '[' */
    if (ps->pos < ps->len && ps->p[ps->pos] == '^')
        ps->pos++;
    if (ps->pos < ps->len && ps->p[ps->pos] == ']')
        ps->pos++;
    while (ps->pos < ps->len && ps->p[ps->pos] != ']') {
        if (ps->p[ps->pos] == '\\')
            ps->pos++;
        else if (ps->p[ps->pos] == '[' && ps->pos + 1 < ps->len && ps->p[ps->pos + 1] == ':') {
            const char *end = strstr(ps->p + ps->pos + 2, ":]");
            if (end)
                ps->pos = (size_t)(end - ps->p) + 1;
        }
        ps->pos++;
    }
    if (ps->pos < ps->len)
        ps->pos++;
}

enum item_kind { ITEM_LITERAL, ITEM_ZERO_WIDTH, ITEM_OTHER, ITEM_GROUP };

struct item {
    enum item_kind kind;
    char lit[8]; /* one (UTF-8) character */
    size_t lit_len;
    struct aset group; /* ITEM_GROUP */
};

/* Parses one atom of the pattern (without its quantifier). */
static bool parse_item(struct parser *ps, struct item *it)
{
    memset(it, 0, sizeof(*it));
    unsigned char c = (unsigned char)ps->p[ps->pos];
    if (c == '(') {
        ps->pos++;
        bool lookaround = false;
        if (ps->pos < ps->len && ps->p[ps->pos] == '?') {
            const char *q = ps->p + ps->pos + 1;
            if (*q == ':' || *q == '>' || *q == '|') {
                ps->pos += 2;
            } else if (*q == '=' || *q == '!') {
                lookaround = true;
                ps->pos += 2;
            } else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
                lookaround = true;
                ps->pos += 3;
            } else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
                const char *close = strchr(q, *q == '\'' ? '\'' : '>');
                if (*q == '\'')
                    close = strchr(q + 1, '\'');
                if (!close) {
                    ps->bail = true;
                    return true;
                }
                ps->pos = (size_t)(close - ps->p) + 1;
            } else if (*q == '#') {
                const char *close = strchr(q, ')');
                if (!close) {
                    ps->bail = true;
                    return true;
                }
                ps->pos = (size_t)(close - ps->p) + 1;
                it->kind = ITEM_ZERO_WIDTH;
                return true;
            } else {
                ps->bail = true; /* inline options and other verbs */
                return true;
            }
        }
        if (++ps->depth > 64) {
            ps->bail = true;
            return true;
        }
        struct aset inner = parse_alt(ps);
        ps->depth--;
        if (ps->pos >= ps->len || ps->p[ps->pos] != ')') {
            aset_free(&inner);
            ps->bail = true;
            return true;
        }
        ps->pos++;
        if (lookaround) {
            aset_free(&inner);
            it->kind = ITEM_OTHER;
            return true;
        }
        it->kind = ITEM_GROUP;
        it->group = inner;
        return true;
    }
    if (c == '[') {
        skip_class(ps);
        it->kind = ITEM_OTHER;
        return true;
    }
    if (c == '.') {
        ps->pos++;
        it->kind = ITEM_OTHER;
        return true;
    }
    if (c == '^' || c == '$') {
        ps->pos++;
        it->kind = ITEM_ZERO_WIDTH;
        return true;
    }
    if (c == '\\') {
        if (ps->pos + 1 >= ps->len) {
            ps->bail = true;
            return true;
        }
        unsigned char e = (unsigned char)ps->p[ps->pos + 1];
        ps->pos += 2;
        if (strchr("bBAzZG", e) && e) {
            it->kind = ITEM_ZERO_WIDTH;
        } else if (strchr("dDsSwWhHvVRNX", e) && e) {
            it->kind = ITEM_OTHER;
        } else if ((e == 'p' || e == 'P')) {
            if (ps->pos < ps->len && ps->p[ps->pos] == '{') {
                const char *close = strchr(ps->p + ps->pos, '}');
                if (!close) {
                    ps->bail = true;
                    return true;
                }
                ps->pos = (size_t)(close - ps->p) + 1;
            } else {
                ps->pos++;
            }
            it->kind = ITEM_OTHER;
        } else if (ipr_is_ascii_alnum(e) || e >= 0x80) {
            ps->bail = true; /* \x \u \Q \E \K \1 ... */
        } else {
            it->kind = ITEM_LITERAL; /* escaped punctuation: \. \- \/ \\ \( */
            it->lit[0] = (char)e;
            it->lit_len = 1;
        }
        return true;
    }
    /* a literal character, whole UTF-8 sequence */
    size_t n = 1;
    if (c >= 0xF0)
        n = 4;
    else if (c >= 0xE0)
        n = 3;
    else if (c >= 0xC0)
        n = 2;
    if (ps->pos + n > ps->len) {
        ps->bail = true;
        return true;
    }
    memcpy(it->lit, ps->p + ps->pos, n);
    it->lit_len = n;
    ps->pos += n;
    it->kind = ITEM_LITERAL;
    if (ps->caseless) {
        if (c >= 0x80)
            it->kind = ITEM_OTHER; /* non-ASCII case folding is beyond the prefilter */
        else
            it->lit[0] = (char)ipr_ascii_lower(c);
    }
    return true;
}

/* Keeps the better of best and candidate (freeing the other). */
static void keep_best(struct aset *best, struct aset *cand)
{
    if (aset_score(cand) > aset_score(best)) {
        aset_free(best);
        *best = *cand;
    } else {
        aset_free(cand);
    }
}

static struct aset parse_seq(struct parser *ps)
{
    struct aset best = aset_none();
    struct buf run;
    buf_init(&run, 4096);
    while (ps->pos < ps->len && !ps->bail) {
        char c = ps->p[ps->pos];
        if (c == '|' || c == ')')
            break;
        struct item it;
        if (!parse_item(ps, &it) || ps->bail)
            break;
        unsigned min;
        bool quantified;
        read_quantifier(ps, &min, &quantified);
        if (it.kind == ITEM_ZERO_WIDTH)
            continue;
        if (it.kind == ITEM_LITERAL && !quantified) {
            buf_append(&run, it.lit, it.lit_len);
            continue;
        }
        /* the run ends here */
        if (run.len) {
            struct aset r = {false, NULL, NULL, 0};
            if (aset_add(&r, buf_str(&run), run.len))
                keep_best(&best, &r);
            else
                aset_free(&r);
            buf_clear(&run);
        }
        if (it.kind == ITEM_LITERAL && min >= 1) {
            /* "x+" or "x{2,}": x itself is still required */
            struct aset r = {false, NULL, NULL, 0};
            if (aset_add(&r, it.lit, it.lit_len))
                keep_best(&best, &r);
            else
                aset_free(&r);
        } else if (it.kind == ITEM_GROUP) {
            if (min >= 1 && !it.group.none)
                keep_best(&best, &it.group);
            else
                aset_free(&it.group);
        }
    }
    if (run.len) {
        struct aset r = {false, NULL, NULL, 0};
        if (aset_add(&r, buf_str(&run), run.len))
            keep_best(&best, &r);
        else
            aset_free(&r);
    }
    buf_release(&run);
    if (aset_score(&best) == 0) {
        aset_free(&best);
        return aset_none();
    }
    return best;
}

static struct aset parse_alt(struct parser *ps)
{
    struct aset all = {false, NULL, NULL, 0};
    for (;;) {
        struct aset branch = parse_seq(ps);
        if (branch.none || ps->bail) {
            aset_free(&branch);
            aset_free(&all);
            /* consume the rest of this alternation so the caller stays in sync */
            while (!ps->bail && ps->pos < ps->len && ps->p[ps->pos] == '|') {
                ps->pos++;
                struct aset rest = parse_seq(ps);
                aset_free(&rest);
            }
            return aset_none();
        }
        for (size_t i = 0; i < branch.count && !all.none; i++)
            if (!aset_add(&all, branch.items[i], branch.lens[i]))
                all.none = true;
        aset_free(&branch);
        if (all.none) {
            aset_free(&all);
            return aset_none();
        }
        if (ps->pos < ps->len && ps->p[ps->pos] == '|') {
            ps->pos++;
            continue;
        }
        return all;
    }
}

ipr_status atoms_extract(const char *pattern, struct arena *arena, struct atom_set *out)
{
    memset(out, 0, sizeof(*out));
    struct parser ps = {pattern, 0, strlen(pattern), false, false, 0};
    /* a leading (?i) is the one inline option rules commonly use */
    if (strncmp(pattern, "(?i)", 4) == 0) {
        ps.caseless = true;
        ps.pos = 4;
    }
    out->caseless = ps.caseless;
    struct aset s = parse_alt(&ps);
    /* a stray ')' or a bail-out leaves the cursor short of the end */
    if (ps.bail || s.none || ps.pos != ps.len || aset_score(&s) == 0) {
        aset_free(&s);
        return IPR_OK;
    }
    out->atoms = arena_calloc(arena, s.count, sizeof(char *));
    out->lens = arena_calloc(arena, s.count, sizeof(size_t));
    if (!out->atoms || !out->lens) {
        aset_free(&s);
        return IPR_ENOMEM;
    }
    for (size_t i = 0; i < s.count; i++) {
        /* the prefilter scans ASCII-lowercased text: a superset of both cases */
        for (size_t k = 0; k < s.lens[i]; k++)
            s.items[i][k] = (char)ipr_ascii_lower((unsigned char)s.items[i][k]);
        out->atoms[i] = arena_strndup(arena, s.items[i], s.lens[i]);
        out->lens[i] = s.lens[i];
        if (!out->atoms[i]) {
            aset_free(&s);
            return IPR_ENOMEM;
        }
    }
    out->count = s.count;
    aset_free(&s);
    return IPR_OK;
}
