/*
 * obfuscation.c - separator collapse and leet folding (see obfuscation.h).
 *
 * Both stages run after case folding and confusable mapping, on code points,
 * so `Ｇ－Ｕ－Ｃ－Ｃ－Ｉ` and `Nіke` arrive here as plain lowercase Latin.  The
 * separator stage runs first so that a spaced-out leet spelling (R 0 L E X)
 * becomes one token before leet folding looks at it.  Each stage is one
 * linear pass: a run that is examined and rejected is copied whole, never
 * re-examined from its next unit.
 */
#include "obfuscation.h"

#include "normalize.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

/* A separator between spaced-out letters is at most this many characters
 * (" - " in "G - U - C - C - I"); longer gaps separate words. */
#define SEPARATOR_MAX_LEN 3u

static bool is_separator(uint32_t cp)
{
    switch (cp) {
    case '-':
    case '.':
    case '_':
    case ' ':
    case '*':
    case '/':
    case 0x00B7: /* middle dot */
    case 0x2022: /* bullet */
        return true;
    default:
        return false;
    }
}

/* The letter a leet character stands for, or 0. */
static uint32_t leet_target(uint32_t cp)
{
    switch (cp) {
    case '0':
        return 'o';
    case '1':
        return 'i';
    case '3':
        return 'e';
    case '4':
        return 'a';
    case '5':
        return 's';
    case '7':
        return 't';
    case '@':
        return 'a';
    case '$':
        return 's';
    case '!':
        return 'i';
    case '|':
        return 'l';
    case 0x00A2: /* cent sign */
        return 'c';
    default:
        return 0;
    }
}

static bool is_leet_symbol(uint32_t cp)
{
    return cp == '@' || cp == '$' || cp == '!' || cp == '|' || cp == 0x00A2;
}

/* norm_is_word_char() without a call for ASCII, the common case here. */
static inline bool is_word(uint32_t cp)
{
    return cp < 0x80 ? ipr_is_ascii_alnum((unsigned char)cp) : norm_is_word_char(cp);
}

static bool is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return ipr_is_ascii_alpha((unsigned char)cp);
    return u_isalpha((UChar32)cp);
}

/* Leet spelling imitates the Latin alphabet; a digit next to a Han or Arabic
 * letter is just a digit. */
static bool is_leet_letter(uint32_t cp)
{
    if (cp < 0x80)
        return ipr_is_ascii_alpha((unsigned char)cp);
    if (!u_isalpha((UChar32)cp))
        return false;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)cp, &st);
    return sc == USCRIPT_LATIN || sc == USCRIPT_GREEK || sc == USCRIPT_CYRILLIC;
}

static bool is_unit_char(uint32_t cp, bool leet_units)
{
    return is_word(cp) || (leet_units && is_leet_symbol(cp));
}

/* Is items[i] one unit character standing between non-unit characters? */
static bool is_single(const struct norm_item *items, size_t count, size_t i, bool leet_units)
{
    return is_unit_char(items[i].cp, leet_units) &&
           (i == 0 || !is_unit_char(items[i - 1].cp, leet_units)) &&
           (i + 1 == count || !is_unit_char(items[i + 1].cp, leet_units));
}

/* Length of the separator starting at items[at]; 0 when there is none or it
 * is too long to join letters. */
static size_t separator_len(const struct norm_item *items, size_t count, size_t at)
{
    size_t len = 0;
    while (at + len < count && is_separator(items[at + len].cp)) {
        if (++len > SEPARATOR_MAX_LEN)
            return 0;
    }
    return len;
}

/* Does the separator at items[at] repeat the one at items[first]?  The unit
 * that must follow it makes an equal prefix the whole separator. */
static bool same_separator(const struct norm_item *items, size_t at, size_t first, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (items[at + k].cp != items[first + k].cp)
            return false;
    return true;
}

/* The run of single units joined by one separator that starts with the
 * single at items[i]: returns the end of what the walk consumes there
 * (i + 1 when there is no run of three), and *collapse when the run's
 * separators go (it has a letter). */
static size_t single_run(const struct norm_item *items, size_t count, size_t i, bool leet_units,
                         bool *collapse)
{
    *collapse = false;
    size_t sep = i + 1;
    size_t sep_len = separator_len(items, count, sep);
    size_t units = 1;
    size_t last = i;
    bool has_letter = is_letter(items[i].cp);
    while (sep_len) {
        size_t next = last + 1 + sep_len;
        if (next >= count || !same_separator(items, last + 1, sep, sep_len) ||
            !is_single(items, count, next, leet_units))
            break;
        units++;
        has_letter = has_letter || is_letter(items[next].cp);
        last = next;
    }
    /* A run without letters (1 2 3, 1.2.3) is numbers, not a word, but it
     * is still consumed whole to keep the pass linear. */
    if (units < 3)
        return i + 1;
    *collapse = has_letter;
    return last + 1;
}

size_t norm_collapse_separators(struct norm_item *items, size_t count, bool leet_units)
{
    size_t out = 0;
    size_t i = 0;
    while (i < count) {
        bool collapse = false;
        size_t end = is_single(items, count, i, leet_units)
                         ? single_run(items, count, i, leet_units, &collapse)
                         : i + 1; /* past what this step consumes */
        for (size_t k = i; k < end; k++)
            if (!collapse || !is_separator(items[k].cp))
                items[out++] = items[k];
        i = end;
    }
    return out;
}

bool norm_collapses(const struct norm_item *items, size_t count, bool leet_units)
{
    /* the walk above, each character's unit test made once as it slides */
    size_t i = 0;
    bool prev = false, cur = count && is_unit_char(items[0].cp, leet_units);
    while (i < count) {
        bool next = i + 1 < count && is_unit_char(items[i + 1].cp, leet_units);
        if (cur && !prev && !next) {
            bool collapse;
            size_t end = single_run(items, count, i, leet_units, &collapse);
            if (collapse)
                return true;
            if (end > i + 1) {
                i = end;
                prev = is_unit_char(items[i - 1].cp, leet_units);
                cur = i < count && is_unit_char(items[i].cp, leet_units);
                continue;
            }
        }
        prev = cur;
        cur = next;
        i++;
    }
    return false;
}

static bool is_token_char(uint32_t cp)
{
    return is_word(cp) || is_leet_symbol(cp);
}

/* Digits before the first letter are quantities (10ml, 5pcs, 3M) and
 * symbols at either end are punctuation (Sale!, $20), so only what follows
 * the first letter and, for symbols, precedes the last word character is
 * folded. */
static void fold_token(struct norm_item *t, size_t n)
{
    size_t first_letter = n;
    size_t last_word = 0;
    for (size_t k = 0; k < n; k++) {
        if (first_letter == n && is_leet_letter(t[k].cp))
            first_letter = k;
        if (is_word(t[k].cp))
            last_word = k;
    }
    for (size_t k = first_letter + 1; k < n; k++) {
        uint32_t to = leet_target(t[k].cp);
        if (!to || (is_leet_symbol(t[k].cp) && k > last_word))
            continue;
        t[k].cp = to;
    }
}

/* fold_token's question without its answer, in one pass: would it change t? */
static bool token_folds(const struct norm_item *t, size_t n)
{
    size_t k = 0;
    while (k < n && !is_leet_letter(t[k].cp))
        k++;
    /* a leet digit after the first letter folds; a leet symbol only with a
     * word character after it */
    bool symbol_pending = false;
    for (k++; k < n; k++) {
        uint32_t cp = t[k].cp;
        if (leet_target(cp) && !is_leet_symbol(cp))
            return true;
        if (symbol_pending && is_word(cp))
            return true;
        symbol_pending = symbol_pending || (leet_target(cp) && is_leet_symbol(cp));
    }
    return false;
}

/* Folds every token of items (apply), or only says whether folding would
 * change one (then items is not written, and the walk stops at the first). */
static bool fold_tokens(struct norm_item *items, size_t count, bool apply)
{
    size_t i = 0;
    while (i < count) {
        if (!is_token_char(items[i].cp)) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < count && is_token_char(items[end].cp))
            end++;
        if (apply)
            fold_token(items + i, end - i);
        else if (token_folds(items + i, end - i))
            return true;
        i = end;
    }
    return false;
}

void norm_fold_leet(struct norm_item *items, size_t count)
{
    fold_tokens(items, count, true);
}

bool norm_leet_folds(const struct norm_item *items, size_t count)
{
    return fold_tokens((struct norm_item *)items, count, false); /* read only: apply is false */
}
