/*
 * obfuscation.c - separator collapse and leet folding (see obfuscation.h).
 *
 * Both stages run after case folding and confusable mapping, on code points,
 * so `Ｇ－Ｕ－Ｃ－Ｃ－Ｉ` and `Nіke` arrive here as plain lowercase Latin.  The
 * separator stage runs first so that a spaced-out leet spelling (R 0 L E X)
 * becomes one token before leet folding looks at it.  Each stage is one
 * linear pass: a run that is examined and rejected is copied whole, never
 * re-examined from its next unit.  norm_may_collapse asks the separator
 * question of UTF-8 text at a look, 64 bytes at a time: it may say yes
 * wrongly, never no.
 */
#include "obfuscation.h"

#include "bytescan.h"
#include "normalize.h"

#include <string.h>

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
uint32_t norm_leet_target(uint32_t cp)
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
    return norm_common_letter(cp) != NORM_LETTER_OTHER || u_isalpha((UChar32)cp);
}

/* Leet spelling imitates the Latin alphabet; a digit next to a Han or Arabic
 * letter is just a digit. */
static bool is_leet_letter(uint32_t cp)
{
    if (cp < 0x80)
        return ipr_is_ascii_alpha((unsigned char)cp);
    enum norm_letter common = norm_common_letter(cp);
    if (common != NORM_LETTER_OTHER)
        return common == NORM_LETTER_LGC;
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
    /* A run that collapses starts with a single unit right before a
     * separator, so only the characters before separators are tested:
     * most text is words of several letters, and a unit test per
     * character was most of the question's cost.  As in
     * norm_collapse_separators, the units of a run without letters start
     * no other: "3 0 @-q-c" keeps "@-q-c", which the run "3 0 @" took. */
    size_t taken = 0; /* units before here belong to a run */
    for (size_t p = 1; p < count; p++) {
        if (p - 1 < taken || !is_separator(items[p].cp) ||
            !is_single(items, count, p - 1, leet_units))
            continue;
        bool collapse;
        size_t end = single_run(items, count, p - 1, leet_units, &collapse);
        if (collapse)
            return true;
        if (end > p)
            taken = end;
    }
    return false;
}

/* ---- the same question on text, roughly ------------------------------------ */

static bool is_ascii_separator(unsigned char c)
{
    return c == '-' || c == '.' || c == '_' || c == ' ' || c == '*' || c == '/';
}

/* An ASCII unit (a letter, digit or leet symbol), or any byte of a
 * character that is not ASCII, which may be one. */
static bool may_be_unit(unsigned char c)
{
    return c >= 0x80 || ipr_is_ascii_alnum(c) || c == '@' || c == '$' || c == '!' || c == '|';
}

/* Is v[at..) one whole character of len bytes: an ASCII unit, or a lead
 * byte and its continuation bytes? */
static bool one_char(const unsigned char *v, size_t at, size_t len)
{
    if (len == 1)
        return v[at] < 0x80 && may_be_unit(v[at]);
    size_t lead = v[at] >= 0xF0 ? 4 : v[at] >= 0xE0 ? 3 : v[at] >= 0xC0 ? 2 : 0;
    if (lead != len)
        return false;
    for (size_t k = 1; k < len; k++)
        if ((v[at + k] & 0xC0) != 0x80)
            return false;
    return true;
}

/* Does a unit, a separator of k ASCII separators starting at v[p], one
 * character of len bytes, the same separator and another unit stand at p
 * (the first unit single: no ASCII unit before it)? */
static bool spaced_at(const unsigned char *v, size_t n, size_t p, size_t k, size_t len)
{
    size_t second = p + k + len, after = second + k;
    if (p == 0 || after >= n || !may_be_unit(v[p - 1]) || !may_be_unit(v[after]) ||
        !one_char(v, p + k, len))
        return false;
    if (v[p - 1] < 0x80 && p >= 2 && v[p - 2] < 0x80 && may_be_unit(v[p - 2]))
        return false;
    for (size_t j = 0; j < k; j++)
        if (!is_ascii_separator(v[p + j]) || v[second + j] != v[p + j])
            return false;
    return true;
}

/* Does the n-byte string pat occur in text? */
static bool holds(const char *text, size_t len, const char *pat, size_t n)
{
    for (const char *at = text; (size_t)(at - text) + n <= len; at++) {
        at = memchr(at, pat[0], len - n + 1 - (size_t)(at - text));
        if (!at)
            return false;
        if (memcmp(at, pat, n) == 0)
            return true;
    }
    return false;
}

/* Does a run "x-y-z" have its y at v[q] (after a separator byte)? */
static bool spaced_around(const unsigned char *v, size_t n, size_t q)
{
    size_t len = v[q] < 0x80 ? 1 : v[q] >= 0xF0 ? 4 : v[q] >= 0xE0 ? 3 : 2;
    for (size_t k = 1; k <= 3 && k < q; k++)
        if (spaced_at(v, n, q - k, k, len))
            return true;
    return false;
}

#ifdef BYTESCAN_SSE2
/* Masks of the n (<= 64) bytes at s, bit i for byte i: ASCII separators,
 * ASCII units, and the first bytes of characters that are not ASCII. */
static void classes64(const char *s, size_t n, uint64_t *sep, uint64_t *unit, uint64_t *lead)
{
    char pad[64];
    if (n < 64) {
        memset(pad, 0, sizeof(pad));
        memcpy(pad, s, n);
        s = pad;
    }
    *sep = *unit = *lead = 0;
    for (unsigned k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i dash_to_slash = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('-' - 1)),
                                              _mm_cmpgt_epi8(_mm_set1_epi8('/' + 1), v));
        __m128i sep_bytes =
            _mm_or_si128(_mm_or_si128(dash_to_slash, _mm_cmpeq_epi8(v, _mm_set1_epi8(' '))),
                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('*')),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
        __m128i leet = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('$'))),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('|'))));
        __m128i first = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xBF)),
                                      _mm_cmpgt_epi8(_mm_setzero_si128(), v));
        *sep |= (uint64_t)(unsigned)_mm_movemask_epi8(sep_bytes) << (16 * k);
        *unit |= (uint64_t)(unsigned)_mm_movemask_epi8(leet) << (16 * k);
        *lead |= (uint64_t)(unsigned)_mm_movemask_epi8(first) << (16 * k);
    }
    *unit |= bytescan_alnum64(s, 64);
    if (n < 64) {
        uint64_t keep = ((uint64_t)1 << n) - 1;
        *sep &= keep;
        *unit &= keep;
        *lead &= keep;
    }
}
#endif

/* Separators of more than one byte, whose runs the look below does not
 * see: with them the exact question decides. */
static bool has_wide_separator(const char *text, size_t len)
{
    return holds(text, len, "\xC2\xB7", 2) || holds(text, len, "\xE2\x80\xA2", 3);
}

bool norm_may_collapse(const char *text, size_t len)
{
    const unsigned char *v = (const unsigned char *)text;
    if (len < 5)
        return false; /* "x-y-z" */
                      /* the middle unit of a run is one character with a separator on each
                       * side ("a b c": the b), or one not ASCII after a separator; only
                       * there is the rest looked at (single letters between spaces are few) */
#ifdef BYTESCAN_SSE2
    uint64_t sep_before = 0; /* is the byte before the block a separator */
    bool wide = false;       /* a byte of a character that is not ASCII */
    for (size_t at = 0; at < len; at += 64) {
        size_t width = len - at < 64 ? len - at : 64;
        uint64_t sep, unit, lead;
        classes64(text + at, width, &sep, &unit, &lead);
        uint64_t sep_after = at + 64 < len && is_ascii_separator(v[at + 64]);
        uint64_t after_sep = sep << 1 | sep_before;
        uint64_t middle = after_sep & ((unit & (sep >> 1 | sep_after << 63)) | lead);
        sep_before = sep >> 63;
        wide = wide || lead;
        for (; middle; middle &= middle - 1)
            if (spaced_around(v, len, at + (size_t)__builtin_ctzll(middle)))
                return true;
    }
    return wide && has_wide_separator(text, len);
#else
    for (size_t q = 1; q < len; q++)
        if (is_ascii_separator(v[q - 1]) && spaced_around(v, len, q))
            return true;
    return has_wide_separator(text, len);
#endif
}

bool norm_is_token_char(uint32_t cp)
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
        uint32_t to = norm_leet_target(t[k].cp);
        if (!to || (is_leet_symbol(t[k].cp) && k > last_word))
            continue;
        t[k].cp = to;
    }
}

/* fold_token's question without its answer, in one pass: would it change t? */
bool norm_token_folds(const struct norm_item *t, size_t n)
{
    size_t k = 0;
    while (k < n && !is_leet_letter(t[k].cp))
        k++;
    /* a leet digit after the first letter folds; a leet symbol only with a
     * word character after it */
    bool symbol_pending = false;
    for (k++; k < n; k++) {
        uint32_t cp = t[k].cp;
        if (norm_leet_target(cp) && !is_leet_symbol(cp))
            return true;
        if (symbol_pending && is_word(cp))
            return true;
        symbol_pending = symbol_pending || (norm_leet_target(cp) && is_leet_symbol(cp));
    }
    return false;
}

void norm_fold_leet(struct norm_item *items, size_t count)
{
    size_t i = 0;
    while (i < count) {
        if (!norm_is_token_char(items[i].cp)) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < count && norm_is_token_char(items[end].cp))
            end++;
        fold_token(items + i, end - i);
        i = end;
    }
}

bool norm_leet_folds(const struct norm_item *items, size_t count)
{
    /* Only a token with a leet character can fold, and every leet
     * character is a token character: each is looked up in its token, the
     * rest of the text is never tested (a Russian or Chinese description
     * has few digits and many letters). */
    size_t examined = 0; /* items before it are in tokens already asked */
    for (size_t k = 0; k < count; k++) {
        if (k < examined || !norm_leet_target(items[k].cp))
            continue;
        size_t start = k, end = k + 1;
        while (start > examined && norm_is_token_char(items[start - 1].cp))
            start--;
        while (end < count && norm_is_token_char(items[end].cp))
            end++;
        if (norm_token_folds(items + start, end - start))
            return true;
        examined = end;
    }
    return false;
}
