/*
 * atoms.c - a conservative parser for the PCRE2 subset rules use, reduced
 * to "which literals must appear" (see atoms.h).
 *
 * The parser computes, for each node, a set of required strings or NONE,
 * and whether the set is exact: every match of the node is one of its
 * strings, so that what comes before and after can be joined to it.
 *   literal run "abc"        -> {"abc"}, exact
 *   small class [e3] [a-c]   -> its members, exact; a class with \d \w,
 *                              negation or a range over 16 wide is NONE
 *   sequence a b c           -> the exact items joined one after another
 *                              ("n[1!]ke" -> "n1ke", "n!ke") while the
 *                              product stays within ATOM_MAX_COUNT strings;
 *                              the best of those runs and of its groups
 *   alternation a|b          -> union of the branches' sets (NONE if any is),
 *                              exact when every branch is
 *   group (...)              -> the inner set
 *   x? x* x{0,n}             -> NONE (may be absent)
 *   x+ x{n,m}                -> n copies of x end the run before them and
 *                              start the next one ("ab x{3,5} c" -> "abxxx",
 *                              "xxxc"; n counted up to 16)
 *   ., \d, \w, \p{..} ...     -> NONE (many strings), and ends a run
 *   (?=x) (?<=x)             -> the set of x (the field must hold it too);
 *                              zero-width, like (?!x) (?<!x)
 *   \b ^ $ \A \z             -> zero-width: neither breaks nor adds
 * The best set is the one whose shortest string is longest.
 * An atom is also marked when it starts where a word starts (its first
 * byte an ASCII letter, digit or '_' with no such byte before it), because
 * the pattern puts a \b, or one or more of \s \W \h \v \R, right before
 * it ("\bnike", "\s+replica"); groups pass that on to the first literal of
 * each branch.  Anything else, a quantifier of \b included, leaves the atom
 * unmarked.  Zero-width items keep what came before them: they consume
 * nothing.
 * An atom is marked too when \d that must match comes right after it,
 * with how many times at least ("\b(?:AT|DE)\d{2}": two): the prefilter
 * then wants as many digits after it.
 * Under (?i) a non-ASCII character is a literal only in scripts without
 * case (Han, kana, Hangul) or as a Latin-1 letter (lowercased, as the
 * prefilter folds the text); \xHH and \x{..} are literals when ASCII.
 * Anything else ((?x), \Q, verbs such as (*:NAME) or (*ACCEPT), backslash
 * sequences it does not know) makes the whole pattern "no atoms".
 */
#include "atoms.h"

#include <limits.h>
#include <stdlib.h>

#include "../base/buf.h"

struct aset {
    bool none;    /* no usable atoms */
    char **items; /* malloc'd strings */
    size_t *lens;
    bool *word_start; /* the atom starts where a word starts (see above) */
    size_t count;
    bool exact;           /* every match of the node is one of the strings */
    uint8_t *digit_after; /* NULL, or ATOM_MAX_COUNT counts: digits that follow the atom */
};

/* Bytes the joined runs of one pattern may write in all (with 32 for
 * each string made): a pattern built to make 128 spellings grow through
 * thousands of joins gets no atoms (it runs on every field) instead of
 * costing tens of milliseconds to load, a rule pack full of them minutes. */
#define ATOM_WORK_BUDGET ((size_t)IPR_ATOM_WORK_BYTES)

/* Bytes of one joined literal; longer runs end and a new one starts. */
#define RUN_MAX_LEN 4096u
/* The widest range of a class the parser writes out as strings ("[a-f]");
 * [a-z] or [0-9] would only multiply atoms. */
#define CLASS_MAX_RANGE 16u

struct parser {
    const char *p;
    size_t pos;
    size_t len;
    bool caseless;
    bool bail;     /* unsupported construct: no atoms for the whole pattern */
    bool oom;      /* memory ran out: atoms_extract fails */
    bool compact;  /* atoms of the compact view (atoms_extract_compact) */
    bool folded;   /* a class of a case-sensitive pattern had a capital lowered: its atoms
                      are not as every match spells them (atom_set.exact) */
    size_t budget; /* bytes joined runs may still write (ATOM_WORK_BUDGET) */
    unsigned depth;
    /* the rarest set of bytes one of which every match of the branch needs
     * (a literal or a group outside any other group), its rank
     * (atoms_byte_rank of its commonest byte, UINT_MAX: none yet), and
     * whether the pattern has more than one branch (then nothing is
     * required of all): atom_set.required */
    uint8_t required[ATOM_REQUIRED_MAX];
    size_t required_count;
    unsigned required_rank;
    bool top_alternation;
};

static void aset_free(struct aset *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    free(s->lens);
    free(s->word_start);
    free(s->digit_after);
    s->items = NULL;
    s->lens = NULL;
    s->word_start = NULL;
    s->digit_after = NULL;
    s->count = 0;
}

/* Marks atom i of s as followed by `digits` digits in every match (at
 * most ATOM_DIGITS_AFTER_MAX are kept); false when memory ran out. */
static bool aset_digit_after(struct aset *s, size_t i, unsigned digits)
{
    if (!s->digit_after && !(s->digit_after = calloc(ATOM_MAX_COUNT, sizeof(uint8_t))))
        return false;
    s->digit_after[i] = (uint8_t)(digits < ATOM_DIGITS_AFTER_MAX ? digits : ATOM_DIGITS_AFTER_MAX);
    return true;
}

static struct aset aset_none(void)
{
    struct aset s = {true, NULL, NULL, NULL, 0, false, NULL};
    return s;
}

static bool aset_add(struct aset *s, const char *str, size_t len, bool word_start)
{
    if (s->count >= ATOM_MAX_COUNT) {
        aset_free(s);
        s->none = true;
        return true;
    }
    if ((s->count & (s->count - 1)) == 0) {
        /* the arrays hold a power of two: full at 0, 1, 2, 4, ... */
        size_t cap = s->count ? 2 * s->count : 1;
        char **items = realloc(s->items, cap * sizeof(char *));
        if (!items)
            return false;
        s->items = items;
        size_t *lens = realloc(s->lens, cap * sizeof(size_t));
        if (!lens)
            return false;
        s->lens = lens;
        bool *starts = realloc(s->word_start, cap * sizeof(bool));
        if (!starts)
            return false;
        s->word_start = starts;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, str, len);
    copy[len] = '\0';
    s->items[s->count] = copy;
    s->lens[s->count] = len;
    s->word_start[s->count] = word_start;
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

static struct aset parse_alt(struct parser *ps, bool at_word_start);

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

/* Where the POSIX class ("[:alpha:]") that may start at p[i] ends (its
 * ']'), read as PCRE2 reads one: the first ":]" after it, unless a ']' or
 * another "[:" comes first, which makes the '[' a member ("[[:[[:]" is
 * the members '[' and ':'); 0 when it is none. */
static size_t posix_class_end(const char *p, size_t len, size_t i)
{
    for (size_t k = i + 2; k + 1 < len; k++) {
        if (p[k] == '\\' && (p[k + 1] == ']' || p[k + 1] == '\\'))
            k++;
        else if ((p[k] == '[' && p[k + 1] == ':') || p[k] == ']')
            return 0;
        else if (p[k] == ':' && p[k + 1] == ']')
            return k + 1;
    }
    return 0;
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
            size_t end = posix_class_end(ps->p, ps->len, ps->pos);
            if (end)
                ps->pos = end;
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
    bool lookaround;   /* ITEM_GROUP of a positive lookaround: required, not consumed */
    bool boundary;     /* \b (ITEM_ZERO_WIDTH) */
    bool non_word;     /* \s \W \h \v \R: matches no word character (ITEM_OTHER) */
    bool digit;        /* \d: matches a digit, ASCII or not (ITEM_OTHER) */
};

/* Is the UTF-8 character one of a script without letter case (Han, kana,
 * Hangul)?  Caseless matching leaves such characters alone, so they stay
 * literal under (?i); every other non-ASCII letter may have case variants
 * PCRE2 would match. */
static bool caseless_script(const char *lit, size_t n)
{
    const unsigned char *u = (const unsigned char *)lit;
    uint32_t cp;
    if (n == 3)
        cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    else if (n == 4)
        cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
             (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    else
        return false;
    return (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
           (cp >= 0x3400 && cp <= 0x4DBF) || /* CJK Extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) || /* CJK Unified Ideographs */
           (cp >= 0xAC00 && cp <= 0xD7A3) || /* Hangul syllables */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* CJK Compatibility Ideographs */
           (cp >= 0x20000 && cp <= 0x2FFFF); /* CJK Extensions B and later */
}

/* Symbols without case that rules put in classes ("[®™]"). */
static bool caseless_symbol(const char *lit, size_t n)
{
    const unsigned char *u = (const unsigned char *)lit;
    /* General Punctuation (U+2000-U+206F: spaces, joiners, dashes) and U+FEFF */
    if (n == 3 && ((u[0] == 0xE2 && (u[1] == 0x80 || u[1] == 0x81)) ||
                   (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)))
        return true;
    /* CJK Symbols and Punctuation (U+3000-U+303F), and the full-width
     * punctuation and digits (U+FF01-U+FF20, U+FF3B-U+FF40, U+FF5B-U+FF65),
     * not the full-width letters, which have case */
    if (n == 3 &&
        ((u[0] == 0xE3 && u[1] == 0x80) ||
         (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xA0) ||
         (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0xBB) ||
         (u[0] == 0xEF && u[1] == 0xBD && (u[2] == 0x80 || (u[2] >= 0x9B && u[2] <= 0xA5)))))
        return true;
    static const char *const symbols[] = {"\u00a9", "\u00ae", "\u2120", "\u2122"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(symbols); i++)
        if (strlen(symbols[i]) == n && memcmp(symbols[i], lit, n) == 0)
            return true;
    return false;
}

/* One member of a class: a UTF-8 character, or \x{H..} written out as one;
 * n is its length in bytes (1: ASCII), used the pattern bytes it took. */
static bool class_member(const char *p, size_t avail, char out[4], size_t *n, size_t *used)
{
    unsigned char c = (unsigned char)p[0];
    if (c == '\\') {
        if (avail < 4 || p[1] != 'x' || p[2] != '{')
            return false;
        uint32_t cp = 0;
        size_t q = 3;
        int v;
        while (q < avail && q < 11 && (v = ipr_hex_value((unsigned char)p[q])) >= 0) {
            cp = cp << 4 | (uint32_t)v;
            q++;
        }
        if (q >= avail || p[q] != '}' || q == 3 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        *used = q + 1;
        if (cp < 0x80) {
            out[0] = (char)cp;
            *n = 1;
        } else if (cp < 0x800) {
            out[0] = (char)(0xC0 | cp >> 6);
            out[1] = (char)(0x80 | (cp & 0x3F));
            *n = 2;
        } else if (cp < 0x10000) {
            out[0] = (char)(0xE0 | cp >> 12);
            out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[2] = (char)(0x80 | (cp & 0x3F));
            *n = 3;
        } else {
            out[0] = (char)(0xF0 | cp >> 18);
            out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
            out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[3] = (char)(0x80 | (cp & 0x3F));
            *n = 4;
        }
        return true;
    }
    *n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (*n > avail)
        return false;
    memcpy(out, p, *n);
    *used = *n;
    return true;
}

/* Lowercases a Latin-1 letter (À-Þ, à-þ) in place when its only case
 * partner is the other one, which is what the prefilter folds in the text
 * too; false for the rest (å also matches the Angstrom sign, ß and ÿ have
 * partners outside Latin-1). */
static bool latin1_lower(char *lit, size_t n)
{
    unsigned char *u = (unsigned char *)lit;
    if (n != 2 || u[0] != 0xC3)
        return false;
    unsigned char b = u[1];
    if (b >= 0x80 && b <= 0x9E && b != 0x97)
        b = (unsigned char)(b + 0x20);
    if (b < 0xA0 || b > 0xBE || b == 0xA5 || b == 0xB7)
        return false;
    u[1] = b;
    return true;
}

/* Does the class [from, to) match only characters the compact view drops:
 * no ASCII letter or digit, nor a character that could fold to one?  Its
 * members may be \W \s \h \v, '_' and ASCII punctuation or space, written
 * or escaped; anything else (negation, ranges, other escapes, non-ASCII)
 * says no. */
static bool separator_class(const struct parser *ps, size_t from, size_t to)
{
    size_t i = from + 1, end = to - 1;
    if (to < from + 3 || ps->p[end] != ']' || ps->p[i] == '^' || ps->p[i] == ']')
        return false;
    while (i < end) {
        unsigned char c = (unsigned char)ps->p[i];
        if (c == '\\') {
            if (i + 1 >= end)
                return false;
            unsigned char e = (unsigned char)ps->p[i + 1];
            if (!strchr("WshvR", e) && (e >= 0x80 || ipr_is_ascii_alnum(e)))
                return false;
            i += 2;
            continue;
        }
        if (c >= 0x80 || ipr_is_ascii_alnum(c) || c == '[' ||
            (c == '-' && i > from + 1 && i + 1 < end))
            return false; /* a range, a POSIX class, a letter */
        i++;
    }
    return true;
}

/* Adds one member of a class to set unless it is there already; false
 * when there are too many or memory ran out (ps->oom). */
static bool class_add(struct parser *ps, struct aset *set, const char *member, size_t n)
{
    for (size_t k = 0; k < set->count; k++)
        if (set->lens[k] == n && memcmp(set->items[k], member, n) == 0)
            return true;
    if (!aset_add(set, member, n, false)) {
        ps->oom = ps->bail = true;
        return false;
    }
    return !set->none;
}

/* A class that lists a few characters ("[e3]", "[@4]", "[a-f]", "[®™]")
 * matches one of them: each becomes a string of an exact set.  ASCII is
 * lowered (the prefilter lowers the field); under (?i) a non-ASCII member
 * must be a literal the way a character outside a class is.  Negation,
 * \d-like escapes, POSIX classes, non-ASCII ranges, ranges wider than
 * CLASS_MAX_RANGE and more than ATOM_MAX_COUNT members give no set (false). */
static bool class_set(struct parser *ps, size_t from, size_t to, struct aset *out)
{
    struct aset set = {false, NULL, NULL, NULL, 0, true, NULL};
    size_t i = from + 1, end = to - 1;
    if (to < from + 3 || ps->p[end] != ']' || ps->p[i] == '^' || ps->p[i] == ']')
        return false;
    while (i < end) {
        char member[4];
        size_t n = 0, used = 0; /* the "[:" branch sets neither */
        unsigned char c = (unsigned char)ps->p[i];
        bool ok;
        if (c == '\\' && i + 1 < end && ps->p[i + 1] != 'x') {
            /* escaped punctuation stands for itself; letters are classes (\d) */
            unsigned char e = (unsigned char)ps->p[i + 1];
            ok = e < 0x80 && !ipr_is_ascii_alnum(e) && e != '_';
            member[0] = (char)e;
            n = 1;
            used = 2;
        } else if (c == '[' && i + 1 < end && ps->p[i + 1] == ':') {
            ok = false;
        } else {
            ok = class_member(ps->p + i, end - i, member, &n, &used);
        }
        if (ok && i + used < end && ps->p[i + used] == '-' && i + used + 1 < end) {
            /* a range: both ends plain ASCII letters or digits */
            unsigned char lo = (unsigned char)member[0], hi = (unsigned char)ps->p[i + used + 1];
            ok = n == 1 && used == 1 && ipr_is_ascii_alnum(lo) && ipr_is_ascii_alnum(hi) &&
                 lo <= hi && (unsigned)(hi - lo) < CLASS_MAX_RANGE;
            for (unsigned x = lo; ok && x <= hi; x++) {
                char one = (char)ipr_ascii_lower((unsigned char)x);
                ps->folded = ps->folded || one != (char)x;
                ok = (!ps->compact || ipr_is_ascii_alnum((unsigned char)x)) &&
                     class_add(ps, &set, &one, 1);
            }
            i += used + 2;
        } else {
            if (ok && ps->compact)
                ok = n == 1 && ipr_is_ascii_alnum((unsigned char)member[0]);
            if (ok && n == 1) {
                char one = (char)ipr_ascii_lower((unsigned char)member[0]);
                ps->folded = ps->folded || one != member[0];
                member[0] = one;
            } else if (ok && ps->caseless)
                ok = caseless_script(member, n) || caseless_symbol(member, n) ||
                     latin1_lower(member, n);
            ok = ok && class_add(ps, &set, member, n);
            i += used;
        }
        if (!ok) {
            aset_free(&set);
            return false;
        }
    }
    if (!set.count)
        return false;
    *out = set;
    return true;
}

/* \xHH or \x{H...} after the "\x" the cursor has passed: an ASCII
 * character is a literal (lowercased when caseless), anything else is a
 * character the prefilter does not look for. */
static void parse_hex_escape(struct parser *ps, struct item *it)
{
    uint32_t cp = 0;
    if (ps->pos < ps->len && ps->p[ps->pos] == '{') {
        size_t q = ps->pos + 1;
        unsigned digits = 0;
        int v;
        while (q < ps->len && (v = ipr_hex_value((unsigned char)ps->p[q])) >= 0 && digits < 8) {
            cp = cp << 4 | (uint32_t)v;
            q++;
            digits++;
        }
        if (!digits || q >= ps->len || ps->p[q] != '}') {
            ps->bail = true;
            return;
        }
        ps->pos = q + 1;
    } else {
        unsigned digits = 0;
        int v;
        while (digits < 2 && ps->pos < ps->len &&
               (v = ipr_hex_value((unsigned char)ps->p[ps->pos])) >= 0) {
            cp = cp << 4 | (uint32_t)v;
            ps->pos++;
            digits++;
        }
    }
    if (cp == 0 || cp >= 0x80) {
        it->kind = ITEM_OTHER;
        return;
    }
    it->kind = ITEM_LITERAL;
    it->lit[0] = (char)(ps->caseless ? ipr_ascii_lower((unsigned char)cp) : cp);
    it->lit_len = 1;
}

/* A literal as the compact view sees it: an ASCII letter or digit, lowered;
 * other ASCII is dropped there (it consumes nothing the view keeps); a
 * character beyond ASCII, which the view may drop or fold, ends the run. */
static void compact_literal(struct item *it)
{
    unsigned char c = (unsigned char)it->lit[0];
    if (it->lit_len != 1 || c >= 0x80)
        it->kind = ITEM_OTHER;
    else if (ipr_is_ascii_alnum(c))
        it->lit[0] = (char)ipr_ascii_lower(c);
    else
        it->kind = ITEM_ZERO_WIDTH;
}

/* Parses one atom of the pattern (without its quantifier); a group
 * entered at_word_start passes that on to its branches. */
static bool parse_item(struct parser *ps, struct item *it, bool at_word_start)
{
    memset(it, 0, sizeof(*it));
    unsigned char c = (unsigned char)ps->p[ps->pos];
    if (c == '(') {
        ps->pos++;
        if (ps->pos < ps->len && ps->p[ps->pos] == '*') {
            /* a verb: (*:NAME) matches the empty string, (*ACCEPT) ends the
             * match early; what follows it is not required */
            ps->bail = true;
            return true;
        }
        bool lookaround = false, positive = false;
        if (ps->pos < ps->len && ps->p[ps->pos] == '?') {
            const char *q = ps->p + ps->pos + 1;
            if (*q == ':' || *q == '>' || *q == '|') {
                ps->pos += 2;
            } else if (*q == '=' || *q == '!') {
                lookaround = true;
                positive = *q == '=';
                ps->pos += 2;
            } else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
                lookaround = true;
                positive = q[1] == '=';
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
        struct aset inner = parse_alt(ps, at_word_start && !lookaround);
        ps->depth--;
        if (ps->pos >= ps->len || ps->p[ps->pos] != ')') {
            aset_free(&inner);
            ps->bail = true;
            return true;
        }
        ps->pos++;
        if (lookaround) {
            /* what a positive lookaround asserts must be in the field too;
             * either kind consumes nothing */
            if (positive && !inner.none && inner.count) {
                it->kind = ITEM_GROUP;
                it->group = inner;
                it->lookaround = true;
            } else {
                aset_free(&inner);
                it->kind = ITEM_ZERO_WIDTH;
            }
            return true;
        }
        it->kind = ITEM_GROUP;
        it->group = inner;
        return true;
    }
    if (c == '[') {
        size_t at = ps->pos;
        skip_class(ps);
        it->kind = ITEM_OTHER;
        if (ps->compact && separator_class(ps, at, ps->pos))
            it->kind = ITEM_ZERO_WIDTH; /* the compact view drops what it matches */
        else if (class_set(ps, at, ps->pos, &it->group))
            it->kind = ITEM_GROUP;
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
            it->boundary = e == 'b';
        } else if (strchr("dDsSwWhHvVRNX", e) && e) {
            it->kind = ITEM_OTHER;
            it->non_word = strchr("sWhvR", e) != NULL;
            it->digit = e == 'd';
            if (ps->compact && it->non_word)
                it->kind = ITEM_ZERO_WIDTH; /* dropped from the compact view */
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
        } else if (e == 'x') {
            parse_hex_escape(ps, it);
        } else if (ipr_is_ascii_alnum(e) || e >= 0x80) {
            ps->bail = true; /* \u \Q \E \K \1 ... */
        } else {
            it->kind = ITEM_LITERAL; /* escaped punctuation: \. \- \/ \\ \( */
            it->lit[0] = (char)e;
            it->lit_len = 1;
        }
        if (ps->compact && it->kind == ITEM_LITERAL)
            compact_literal(it);
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
        if (c < 0x80)
            it->lit[0] = (char)ipr_ascii_lower(c);
        else if (!caseless_script(it->lit, n) && !caseless_symbol(it->lit, n) &&
                 !latin1_lower(it->lit, n))
            it->kind = ITEM_OTHER; /* other case folding is beyond the prefilter */
    }
    if (ps->compact)
        compact_literal(it);
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

/* Ends the run: it becomes a candidate for the best set. */
static void end_run(struct aset *run, struct aset *best)
{
    if (!run->count)
        return;
    run->exact = false;
    keep_best(best, run);
    struct aset empty = {false, NULL, NULL, NULL, 0, false, NULL};
    *run = empty;
}

/* Joins every string of set to the end of every string of run (a run
 * without strings holds the empty one).  A string that begins the run
 * starts a word when set says so (unless the set is a repeated copy, whose
 * marks were made for the first), or when at_word_start and its first byte
 * is a word character.  False, the run untouched, when the product would
 * exceed ATOM_MAX_COUNT strings or RUN_MAX_LEN bytes, or the bytes it
 * writes the rest of *budget (which then drops to 0); *oom when memory
 * ran out. */
static bool run_join(struct aset *run, const struct aset *set, bool at_word_start, bool copy,
                     size_t *budget, bool *oom)
{
    size_t count = run->count ? run->count * set->count : set->count;
    if (count > ATOM_MAX_COUNT)
        return false;
    size_t bytes = 0;
    for (size_t i = 0; i < (run->count ? run->count : 1); i++) {
        for (size_t k = 0; k < set->count; k++) {
            size_t len = (run->count ? run->lens[i] : 0) + set->lens[k];
            if (len > RUN_MAX_LEN)
                return false;
            bytes += len + 32; /* and an allocation per string */
        }
    }
    if (bytes > *budget) {
        *budget = 0; /* the pattern has spent its share: no atoms */
        return false;
    }
    *budget -= bytes;
    struct aset joined = {false, NULL, NULL, NULL, 0, true, NULL};
    struct buf one;
    buf_init(&one, 2 * RUN_MAX_LEN);
    for (size_t i = 0; i < (run->count ? run->count : 1); i++) {
        for (size_t k = 0; k < set->count; k++) {
            buf_clear(&one);
            bool starts = (set->word_start[k] && !copy) ||
                          (at_word_start && ipr_is_ascii_word((unsigned char)set->items[k][0]));
            ipr_status st = IPR_OK;
            if (run->count) {
                starts = run->word_start[i];
                st = buf_append(&one, run->items[i], run->lens[i]);
            }
            if (st != IPR_OK || buf_append(&one, set->items[k], set->lens[k]) != IPR_OK ||
                !aset_add(&joined, buf_str(&one), one.len, starts)) {
                *oom = true;
                buf_release(&one);
                aset_free(&joined);
                return false;
            }
        }
    }
    buf_release(&one);
    aset_free(run);
    *run = joined;
    return true;
}

/* Joins set to the run; when the run would grow too large it ends (a
 * candidate) and set starts the next one. */
static void run_extend(struct parser *ps, struct aset *run, const struct aset *set,
                       bool at_word_start, bool copy, struct aset *best, bool *exact)
{
    bool oom = false;
    if (run_join(run, set, at_word_start, copy, &ps->budget, &oom))
        return;
    if (!oom && ps->budget) {
        end_run(run, best);
        *exact = false;
        if (run_join(run, set, at_word_start, copy, &ps->budget, &oom))
            return;
    }
    /* out of memory, or of the pattern's budget: no atoms, never wrong ones */
    ps->oom = ps->oom || oom;
    ps->bail = true;
}

/* Joins the literal bytes gathered since the last piece to the run, all at
 * once: one string rebuilt per literal run, not per character. */
static void flush_literals(struct parser *ps, struct aset *run, struct buf *pending,
                           bool at_word_start, struct aset *best, bool *exact)
{
    if (!pending->len)
        return;
    char *text = pending->data;
    size_t len = pending->len;
    bool start = false;
    struct aset one = {false, &text, &len, &start, 1, true, NULL}; /* borrowed, not freed */
    run_extend(ps, run, &one, at_word_start, false, best, exact);
    buf_clear(pending);
}

/* Keeps a set of bytes one of which the field must hold, if it is rarer
 * than the one kept.  No letter: a letter may match in either case. */
static void consider_required(struct parser *ps, const uint8_t *bytes, size_t n)
{
    uint8_t set[ATOM_REQUIRED_MAX];
    size_t count = 0;
    unsigned rank = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned r = atoms_byte_rank(bytes[i]);
        if (r == UINT_MAX || ipr_is_ascii_alpha(bytes[i]))
            return;
        bool known = false;
        for (size_t k = 0; k < count && !known; k++)
            known = set[k] == bytes[i];
        if (known)
            continue;
        if (count == ATOM_REQUIRED_MAX)
            return;
        set[count++] = bytes[i];
        rank = r > rank ? r : rank;
    }
    if (!count || rank >= ps->required_rank)
        return;
    memcpy(ps->required, set, count);
    ps->required_count = count;
    ps->required_rank = rank;
}

/* A literal outside every group is in every match of the branch. */
static void note_required(struct parser *ps, const struct item *it)
{
    if (ps->depth || ps->compact || it->lit_len != 1)
        return;
    consider_required(ps, (const uint8_t *)it->lit, 1);
}

/* So is one of the strings of a group or class outside every other group
 * (or of a positive lookaround there, which the field must hold): one of
 * their first bytes is in the field. */
static void note_required_set(struct parser *ps, const struct aset *set)
{
    if (ps->depth || ps->compact || set->none || !set->count || set->count > ATOM_REQUIRED_MAX)
        return;
    uint8_t firsts[ATOM_REQUIRED_MAX];
    for (size_t i = 0; i < set->count; i++) {
        if (!set->lens[i])
            return; /* the empty string: nothing is needed */
        firsts[i] = (uint8_t)set->items[i][0];
    }
    consider_required(ps, firsts, set->count);
}

/* A sequence; at_word_start: where it begins, no word character precedes
 * (see the top of this file).  When every item joined into one run, the
 * run is the sequence's exact set, kept even when too short to be an atom
 * so that what surrounds the sequence can be joined to it. */
static struct aset parse_seq(struct parser *ps, bool at_word_start)
{
    struct aset best = aset_none();
    struct aset run = {false, NULL, NULL, NULL, 0, false, NULL};
    bool exact = true;
    /* whether what comes next starts after no word character */
    bool after_non_word = at_word_start;
    /* literal characters not yet joined to the run, and whether the first
     * of them came after no word character */
    struct buf pending;
    buf_init(&pending, RUN_MAX_LEN + 8);
    bool pending_start = false;
    while (ps->pos < ps->len && !ps->bail) {
        char c = ps->p[ps->pos];
        if (c == '|' || c == ')')
            break;
        struct item it;
        if (!parse_item(ps, &it, after_non_word) || ps->bail)
            break;
        unsigned min;
        bool quantified;
        read_quantifier(ps, &min, &quantified);
        if (it.kind == ITEM_ZERO_WIDTH) {
            /* consumes nothing: what was before it still is; \b adds that
             * a word character after it starts a word */
            after_non_word = after_non_word || (it.boundary && !quantified);
            continue;
        }
        if (it.kind == ITEM_GROUP && (!quantified || min >= 1))
            note_required_set(ps, &it.group);
        if (it.kind == ITEM_GROUP && it.lookaround) {
            /* required in the field, consumes nothing */
            if (!quantified || min >= 1)
                keep_best(&best, &it.group);
            else
                aset_free(&it.group);
            continue;
        }
        if (it.kind == ITEM_LITERAL && (!quantified || min >= 1))
            note_required(ps, &it);
        if (it.kind == ITEM_LITERAL && !quantified) {
            if (pending.len + it.lit_len > RUN_MAX_LEN)
                flush_literals(ps, &run, &pending, pending_start, &best, &exact);
            if (!pending.len)
                pending_start = after_non_word;
            if (buf_append(&pending, it.lit, it.lit_len) != IPR_OK)
                ps->oom = ps->bail = true;
            after_non_word = false;
            continue;
        }
        flush_literals(ps, &run, &pending, pending_start, &best, &exact);
        /* a literal, or a group or class written out: joined to the run */
        char *lit = it.lit;
        size_t lit_len = it.lit_len;
        bool lit_start = false;
        struct aset one = {false, &lit, &lit_len, &lit_start,
                           1,     true, NULL}; /* borrowed, not freed */
        const struct aset *piece = it.kind == ITEM_LITERAL ? &one
                                   : it.kind == ITEM_GROUP && it.group.exact && !it.group.none
                                       ? &it.group
                                       : NULL;
        if (piece) {
            if (!quantified) {
                run_extend(ps, &run, piece, after_non_word, false, &best, &exact);
            } else {
                /* "x+", "x{3,5}": the run goes on with min copies of x, then
                 * ends, since more may follow; what comes next follows min
                 * copies of x again.  "x?": the run ends before x. */
                unsigned copies = min < 16u ? min : 16u;
                for (unsigned k = 0; k < copies; k++)
                    run_extend(ps, &run, piece, after_non_word, k > 0, &best, &exact);
                end_run(&run, &best);
                for (unsigned k = 0; k < copies; k++)
                    run_extend(ps, &run, piece, false, true, &best, &exact);
                exact = false;
            }
            if (piece != &one)
                aset_free(&it.group);
            after_non_word = false;
            continue;
        }
        /* anything else ends the run; a required group is a candidate.
         * Digits that must come next are noted with the run's atoms: each
         * is followed by that many in every match ("DE" of
         * "\b(?:AT|DE)\d{2}" by two) */
        for (size_t i = 0; it.kind == ITEM_OTHER && it.digit && (!quantified || min >= 1) &&
                           !ps->compact && i < run.count;
             i++)
            if (!aset_digit_after(&run, i, quantified ? min : 1))
                ps->oom = ps->bail = true;
        end_run(&run, &best);
        exact = false;
        if (it.kind == ITEM_GROUP) {
            if (min >= 1 && !it.group.none) {
                it.group.exact = false;
                keep_best(&best, &it.group);
            } else {
                aset_free(&it.group);
            }
        }
        after_non_word = it.kind == ITEM_OTHER && it.non_word && min >= 1;
    }
    flush_literals(ps, &run, &pending, pending_start, &best, &exact);
    buf_release(&pending);
    if (exact && !ps->bail && run.count) {
        aset_free(&best);
        run.exact = true;
        return run;
    }
    end_run(&run, &best);
    if (aset_score(&best) == 0) {
        aset_free(&best);
        return aset_none();
    }
    best.exact = false;
    return best;
}

static struct aset parse_alt(struct parser *ps, bool at_word_start)
{
    struct aset all = {false, NULL, NULL, NULL, 0, true, NULL};
    for (;;) {
        struct aset branch = parse_seq(ps, at_word_start);
        if (branch.none || ps->bail) {
            aset_free(&branch);
            aset_free(&all);
            /* consume the rest of this alternation so the caller stays in sync */
            while (!ps->bail && ps->pos < ps->len && ps->p[ps->pos] == '|') {
                ps->top_alternation = ps->top_alternation || !ps->depth;
                ps->pos++;
                struct aset rest = parse_seq(ps, false);
                aset_free(&rest);
            }
            return aset_none();
        }
        for (size_t i = 0; i < branch.count && !all.none; i++)
            if (!aset_add(&all, branch.items[i], branch.lens[i], branch.word_start[i]) ||
                (!all.none && branch.digit_after && branch.digit_after[i] &&
                 !aset_digit_after(&all, all.count - 1, branch.digit_after[i])))
                all.none = ps->oom = ps->bail = true;
        all.exact = all.exact && branch.exact;
        aset_free(&branch);
        if (all.none) {
            aset_free(&all);
            return aset_none();
        }
        if (ps->pos < ps->len && ps->p[ps->pos] == '|') {
            ps->top_alternation = ps->top_alternation || !ps->depth;
            ps->pos++;
            continue;
        }
        return all;
    }
}

/* The prefilter scans text with ASCII and Latin-1 capitals lowered, and
 * KELVIN SIGN and LONG S written as the k and s PCRE2 equates them with: a
 * superset of both cases, so atoms are lowered the same way (also those of
 * a case-sensitive pattern, which may spell "\u017F" itself).  Returns the
 * new length, which those two shorten. */
static size_t lower_atom(char *atom, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char b = (unsigned char)atom[k];
        if (b == 0xE2 && k + 2 < len && (unsigned char)atom[k + 1] == 0x84 &&
            (unsigned char)atom[k + 2] == 0xAA) {
            atom[n++] = 'k';
            k += 2;
        } else if (b == 0xC5 && k + 1 < len && (unsigned char)atom[k + 1] == 0xBF) {
            atom[n++] = 's';
            k++;
        } else if (b == 0xC3 && k + 1 < len) {
            unsigned char t = (unsigned char)atom[k + 1];
            atom[n++] = (char)b;
            atom[n++] = (char)(t >= 0x80 && t <= 0x9E && t != 0x97 ? t + 0x20 : t);
            k++;
        } else {
            atom[n++] = (char)ipr_ascii_lower(b);
        }
    }
    return n;
}

/* Lowers every atom of the set, each still a string of its new length;
 * false when one became too short to look for (a lone LONG S is one byte
 * once folded): then the set is none. */
static bool lower_atoms(char **items, size_t *lens, size_t count)
{
    bool usable = true;
    for (size_t i = 0; i < count; i++) {
        lens[i] = lower_atom(items[i], lens[i]);
        items[i][lens[i]] = '\0';
        usable = usable && lens[i] >= ATOM_MIN_LEN;
    }
    return usable;
}

/* Does an atom's exact spelling say more than its lowered one?  ASCII with
 * a letter: a byte beyond ASCII is never met where atoms are compared with
 * case (atom_set.exact). */
static bool exact_worth_keeping(const char *atom, size_t len)
{
    bool letter = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)atom[i];
        if (c >= 0x80)
            return false;
        letter = letter || ipr_is_ascii_alpha(c);
    }
    return letter;
}

/* ASCII bytes from the rarest in listing text to the most common; a byte
 * not here (a letter) filters too little to be worth a required byte. */
static const char byte_rarity[] = "@#^`~|\\{}<>$%&*=+[];!?\"_'/:()-,.0123456789 ";

unsigned atoms_byte_rank(unsigned char c)
{
    /* the first byte of a character beyond ASCII ranks with ':': it stands
     * for few characters of a Latin-script listing */
    if (c >= 0x80)
        c = ':';
    const char *at = c ? strchr(byte_rarity, c) : NULL;
    return at ? (unsigned)(at - byte_rarity) : UINT_MAX;
}

static ipr_status extract(const char *pattern, bool compact, struct arena *arena,
                          struct atom_set *out)
{
    memset(out, 0, sizeof(*out));
    struct parser ps = {.p = pattern,
                        .len = strlen(pattern),
                        .compact = compact,
                        .budget = ATOM_WORK_BUDGET,
                        .required_rank = UINT_MAX};
    /* a leading (?i) is the one inline option rules commonly use */
    if (strncmp(pattern, "(?i)", 4) == 0) {
        ps.caseless = true;
        ps.pos = 4;
    }
    out->caseless = ps.caseless;
    /* the pattern may match from the field's first byte, or after anything */
    struct aset s = parse_alt(&ps, false);
    if (ps.oom) {
        aset_free(&s);
        return IPR_ENOMEM;
    }
    /* a stray ')' or a bail-out leaves the cursor short of the end */
    if (!ps.bail && ps.pos == ps.len && !ps.top_alternation) {
        memcpy(out->required, ps.required, ps.required_count);
        out->required_count = ps.required_count;
    }
    if (ps.bail || s.none || ps.pos != ps.len || aset_score(&s) == 0) {
        aset_free(&s);
        return IPR_OK;
    }
    out->atoms = arena_calloc(arena, s.count, sizeof(char *));
    out->lens = arena_calloc(arena, s.count, sizeof(size_t));
    out->word_start = arena_calloc(arena, s.count, sizeof(bool));
    out->exact = arena_calloc(arena, s.count, sizeof(char *));
    out->digit_after = s.digit_after ? arena_calloc(arena, s.count, sizeof(uint8_t)) : NULL;
    if (!out->atoms || !out->lens || !out->word_start || !out->exact ||
        (s.digit_after && !out->digit_after)) {
        aset_free(&s);
        return IPR_ENOMEM;
    }
    /* a case-sensitive pattern's matches hold an ASCII atom byte for byte,
     * as written before the fold below */
    for (size_t i = 0; i < s.count && !ps.caseless && !ps.folded && !compact; i++)
        if (exact_worth_keeping(s.items[i], s.lens[i]) &&
            !(out->exact[i] = arena_strndup(arena, s.items[i], s.lens[i]))) {
            aset_free(&s);
            return IPR_ENOMEM;
        }
    if (!lower_atoms(s.items, s.lens, s.count)) {
        aset_free(&s);
        return IPR_OK;
    }
    for (size_t i = 0; i < s.count; i++) {
        out->atoms[i] = arena_strndup(arena, s.items[i], s.lens[i]);
        out->lens[i] = s.lens[i];
        out->word_start[i] = s.word_start[i] && !compact; /* no words in the compact view */
        if (s.digit_after)
            out->digit_after[i] = s.digit_after[i];
        if (!out->atoms[i]) {
            aset_free(&s);
            return IPR_ENOMEM;
        }
    }
    out->count = s.count;
    aset_free(&s);
    return IPR_OK;
}

ipr_status atoms_extract(const char *pattern, struct arena *arena, struct atom_set *out)
{
    return extract(pattern, false, arena, out);
}

ipr_status atoms_extract_compact(const char *pattern, struct arena *arena, struct atom_set *out)
{
    return extract(pattern, true, arena, out);
}

ipr_status atoms_from_keywords(const char *const *words, size_t count, struct arena *arena,
                               struct atom_set *out)
{
    memset(out, 0, sizeof(*out));
    out->caseless = true;
    out->atoms = arena_calloc(arena, count ? count : 1, sizeof(char *));
    out->lens = arena_calloc(arena, count ? count : 1, sizeof(size_t));
    out->word_start = arena_calloc(arena, count ? count : 1, sizeof(bool));
    if (!out->atoms || !out->lens || !out->word_start)
        return IPR_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(words[i]);
        char *atom = arena_strndup(arena, words[i], len);
        if (!atom)
            return IPR_ENOMEM;
        out->atoms[i] = atom;
        out->lens[i] = len;
    }
    /* a keyword a fold makes too short leaves the regex to run always */
    out->count = lower_atoms((char **)out->atoms, out->lens, count) ? count : 0;
    return IPR_OK;
}

/* ---- runs of letters and digits ---------------------------------------------- */

/* A small parser of its own for atoms_alnum_run: a pattern whose every
 * piece is an ASCII letter or digit, a class of only those, a group of
 * alternatives of the same, each with a quantifier or none, and \b.  The
 * length is the least count of characters a match has; 0 for anything
 * else. */
struct run_parser {
    const char *p;
    size_t pos, len;
    bool fail;
    unsigned depth;
};

#define RUN_CAP 4096u /* lengths saturate here: only "long enough" matters */

static size_t run_sat(size_t n)
{
    return n < RUN_CAP ? n : RUN_CAP;
}

static bool same_kind(unsigned char a, unsigned char b)
{
    return (ipr_is_ascii_digit(a) && ipr_is_ascii_digit(b)) ||
           (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z') ||
           (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z');
}

/* [...] of letters, digits and ranges of one kind ("a-k", "1-9"). */
static void run_class(struct run_parser *rp)
{
    rp->pos++; /* '[' */
    size_t members = 0;
    while (rp->pos < rp->len && rp->p[rp->pos] != ']') {
        unsigned char lo = (unsigned char)rp->p[rp->pos];
        if (!ipr_is_ascii_alnum(lo)) {
            rp->fail = true;
            return;
        }
        rp->pos++;
        if (rp->pos + 1 < rp->len && rp->p[rp->pos] == '-' && rp->p[rp->pos + 1] != ']') {
            unsigned char hi = (unsigned char)rp->p[rp->pos + 1];
            if (!same_kind(lo, hi) || hi < lo) {
                rp->fail = true;
                return;
            }
            rp->pos += 2;
        }
        members++;
    }
    if (rp->pos >= rp->len || !members)
        rp->fail = true;
    else
        rp->pos++; /* ']' */
}

/* The least number of copies a quantifier at the cursor allows (1 when
 * there is none); consumes it and a lazy or possessive mark. */
static size_t run_quantifier(struct run_parser *rp)
{
    size_t min = 1;
    if (rp->pos < rp->len && (rp->p[rp->pos] == '*' || rp->p[rp->pos] == '?')) {
        min = 0;
        rp->pos++;
    } else if (rp->pos < rp->len && rp->p[rp->pos] == '+') {
        rp->pos++;
    } else if (rp->pos < rp->len && rp->p[rp->pos] == '{') {
        size_t at = rp->pos + 1, n = 0, digits = 0;
        while (at < rp->len && ipr_is_ascii_digit((unsigned char)rp->p[at])) {
            n = run_sat(n * 10 + (size_t)(rp->p[at] - '0'));
            at++;
            digits++;
        }
        if (!digits) {
            rp->fail = true; /* "{,n}" and "{" as a literal: not this grammar */
            return 0;
        }
        if (at < rp->len && rp->p[at] == ',') {
            at++;
            while (at < rp->len && ipr_is_ascii_digit((unsigned char)rp->p[at]))
                at++;
        }
        if (at >= rp->len || rp->p[at] != '}') {
            rp->fail = true;
            return 0;
        }
        rp->pos = at + 1;
        min = n;
    } else {
        return 1;
    }
    if (rp->pos < rp->len && (rp->p[rp->pos] == '?' || rp->p[rp->pos] == '+'))
        rp->pos++;
    return min;
}

static size_t run_alt(struct run_parser *rp);

/* A sequence up to '|', ')' or the end: the sum of its pieces' least
 * lengths. */
static size_t run_seq(struct run_parser *rp)
{
    size_t total = 0;
    while (rp->pos < rp->len && !rp->fail) {
        char c = rp->p[rp->pos];
        if (c == '|' || c == ')')
            break;
        size_t piece;
        if (c == '\\' && rp->pos + 1 < rp->len && rp->p[rp->pos + 1] == 'b') {
            rp->pos += 2; /* \b consumes nothing */
            continue;
        } else if (c == '[') {
            run_class(rp);
            piece = 1;
        } else if (c == '(' && rp->pos + 2 < rp->len && rp->p[rp->pos + 1] == '?' &&
                   rp->p[rp->pos + 2] == ':') {
            if (++rp->depth > 16) {
                rp->fail = true;
                break;
            }
            rp->pos += 3;
            piece = run_alt(rp);
            rp->depth--;
            if (rp->pos >= rp->len || rp->p[rp->pos] != ')')
                rp->fail = true;
            else
                rp->pos++;
        } else if (ipr_is_ascii_alnum((unsigned char)c)) {
            rp->pos++;
            piece = 1;
        } else {
            rp->fail = true;
            break;
        }
        if (!rp->fail)
            total = run_sat(total + run_sat(piece * run_quantifier(rp)));
    }
    return total;
}

static size_t run_alt(struct run_parser *rp)
{
    size_t least = run_seq(rp);
    while (!rp->fail && rp->pos < rp->len && rp->p[rp->pos] == '|') {
        rp->pos++;
        size_t other = run_seq(rp);
        if (other < least)
            least = other;
    }
    return least;
}

size_t atoms_alnum_run(const char *pattern)
{
    struct run_parser rp = {pattern, 0, strlen(pattern), false, 0};
    size_t least = run_alt(&rp);
    return rp.fail || rp.pos != rp.len ? 0 : least;
}

/* ---- letters spaced out ------------------------------------------------------ */

/* A separator class with its quantifier at *pos: the class as
 * separator_class() accepts it, then none, "+", "{m}", "{m,}" or "{m,n}"
 * with m >= 1 (a lazy or possessive mark allowed).  *max: how many times
 * the class may repeat, SIZE_MAX without a bound. */
static bool spaced_separator(const char *p, size_t len, size_t *pos, size_t *max)
{
    size_t at = *pos;
    if (at >= len || p[at] != '[')
        return false;
    size_t close = at + 1;
    while (close < len && p[close] != ']') {
        if (p[close] == '\\')
            close++; /* an escaped character, "\]" among them */
        close++;
    }
    struct parser ps = {.p = p, .len = len, .compact = true};
    if (close >= len || !separator_class(&ps, at, close + 1))
        return false;
    at = close + 1;
    size_t min = 0;
    if (at < len && p[at] == '+') {
        min = 1;
        *max = SIZE_MAX;
        at++;
    } else if (at < len && p[at] == '{') {
        size_t digits = 0;
        for (at++; at < len && ipr_is_ascii_digit((unsigned char)p[at]) && digits < 4;
             at++, digits++)
            min = min * 10 + (size_t)(p[at] - '0');
        if (!digits)
            return false;
        *max = min;
        if (at < len && p[at] == ',') {
            size_t top = 0, top_digits = 0;
            for (at++; at < len && ipr_is_ascii_digit((unsigned char)p[at]) && top_digits < 4;
                 at++, top_digits++)
                top = top * 10 + (size_t)(p[at] - '0');
            *max = top_digits ? top : SIZE_MAX;
        }
        if (at >= len || p[at] != '}' || *max < min)
            return false;
        at++;
    } else if (at >= len || (p[at] != '*' && p[at] != '?')) {
        min = *max = 1; /* no quantifier: the class once */
    }
    if (!min)
        return false; /* none, "*", "?" or "{0,n}": letters may touch */
    if (at < len && (p[at] == '?' || p[at] == '+'))
        at++;
    *pos = at;
    return true;
}

bool atoms_spaced_letters(const char *pattern, size_t *letters, size_t *max_gap)
{
    const char *p = pattern;
    size_t len = strlen(pattern), at = 0;
    if (len >= 4 && memcmp(p, "(?i)", 4) == 0)
        at = 4; /* case alone: an ASCII byte is still a letter or not */
    if (len - at < 4 || memcmp(p + at, "\\b", 2) != 0 || memcmp(p + len - 2, "\\b", 2) != 0)
        return false;
    at += 2;
    size_t end = len - 2;
    bool group = end - at >= 4 && memcmp(p + at, "(?:", 3) == 0 && p[end - 1] == ')';
    if (group) {
        at += 3;
        end--;
    }
    size_t least = SIZE_MAX, widest = 0;
    for (;;) {
        /* one alternative: a letter or digit, then a separator and another, ... */
        size_t count = 0;
        for (;;) {
            if (at >= end || !ipr_is_ascii_alnum((unsigned char)p[at]))
                return false;
            at++;
            count++;
            if (at == end || p[at] == '|')
                break;
            size_t max;
            if (!spaced_separator(p, end, &at, &max))
                return false;
            if (max > widest)
                widest = max;
        }
        if (count < 2)
            return false;
        if (count < least)
            least = count;
        if (at == end)
            break;
        if (!group)
            return false; /* in "\ba|b\b" each \b is on one side only */
        at++;             /* '|' */
    }
    *letters = least;
    *max_gap = widest;
    return true;
}
