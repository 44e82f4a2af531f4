/*
 * normalize.c - the normalization pipeline and its offset map (normalize.h).
 *
 * Stages, in order; each runs only when its flag is set:
 *   1. Decode UTF-8.  An invalid byte becomes U+FFFD covering that byte.
 *   2. NORM_FOLD.  The text is cut into segments that ICU can normalize
 *      independently: a character plus the combining marks that attach to it
 *      (at most IPR_NORM_MAX_SEGMENT_CHARS, the stream-safe bound that keeps
 *      mark reordering linear).  Each segment goes through NFKC_Casefold,
 *      then NFD; marks whose base is Latin, Greek, Cyrillic or a symbol are
 *      dropped (é -> e) while the vowel signs of Devanagari, Thai or the
 *      Japanese voicing mark stay; NFC puts the rest back together.
 *      Default-ignorables (ZWSP, ZWJ, soft hyphen, BOM, variation selectors,
 *      bidi controls) are segments of their own and vanish.  ™ ℠ ℡ and
 *      spacing accents (´ ¨) keep their form: NFKC would glue letters onto
 *      the word before them or split it with a space.
 *   3. NORM_CONFUSABLE.  Each non-ASCII result character of a script that
 *      imitates Latin (Latin, Greek, Cyrillic, Armenian, Cherokee, Coptic,
 *      symbols) is replaced by its UTS #39 skeleton, folded again, when that
 *      is ASCII.  Skeletons are not identity on ASCII (m -> rn, 0 -> O) and
 *      map Katakana, Hangul and Arabic letters to look-alikes of other
 *      scripts, hence both restrictions.
 *   4. NORM_SEPARATORS, then 5. NORM_LEET, on code points (obfuscation.c).
 *   6. Encode UTF-8.  Every byte of a result character maps to the source
 *      range of the segment it came from, so ﬁ -> fi maps both bytes to ﬁ
 *      and a base letter's range includes the marks dropped from it.
 *
 * ASCII stays out of ICU: a text that is all ASCII is lowercased straight
 * into the output when no token stage runs, and elsewhere an ASCII letter
 * reaches ICU only when a combining mark follows it.  Single-character
 * segments (CJK, Cyrillic text) are served from a small per-normalizer cache
 * after their first occurrence.
 */
#include "normalize.h"

#include "bytescan.h"
#include "limits.h"
#include "obfuscation.h"

#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#define CACHE_BITS    12u /* CJK text has thousands of characters, each under two flag sets */
#define CACHE_MAX_OUT 3u  /* longer results (ﷺ) are recomputed each time */

/* The result of one single-character segment under some flags. */
struct cache_slot {
    uint32_t cp;   /* key; 0 means empty, as ASCII never reaches the cache */
    uint8_t flags; /* the NORM_FOLD | NORM_CONFUSABLE bits it was computed with */
    uint8_t count; /* code points in out */
    uint32_t out[CACHE_MAX_OUT];
};

#define KEEPS_BITS 8u /* the non-ASCII characters of a text, of which few differ */

/* Whether stage 3 leaves a folded character as it is. */
struct keeps_slot {
    uint32_t cp; /* key; 0 means empty, as ASCII is never asked about */
    bool keeps;
};

/* A UTF-16 scratch string for ICU. */
struct ustr {
    UChar *data; /* owned */
    int32_t len; /* code units in use */
    int32_t cap; /* code units allocated */
};

/* Code points of the current segment's result. */
struct cp_list {
    uint32_t *data; /* owned */
    size_t len;
    size_t cap;
};

struct normalizer {
    const UNormalizer2 *nfkc_cf; /* ICU singletons: not owned, never closed */
    const UNormalizer2 *nfd;
    const UNormalizer2 *nfc;
    USpoofChecker *spoof; /* owned */

    struct norm_item *items; /* the text between decoding and encoding */
    size_t item_count;
    size_t item_cap;
    /* Folding alone (no separator or leet stage to run over the code
     * points) writes each character straight to the output, out_len bytes
     * so far, instead of an item per character and a second pass: most of
     * the cost of a mostly-ASCII field with one accent */
    bool direct;
    size_t out_len;

    char *text;       /* the result handed out by normalizer_run */
    uint32_t *starts; /* out_cap entries each */
    uint32_t *ends;
    size_t out_cap;   /* bytes of text excluding its NUL */
    size_t ident_len; /* starts/ends hold i and i + 1 up to here: ASCII text
                         leaves them so, and the next ASCII text need not
                         write them again */

    struct ustr seg;     /* source segment */
    struct ustr stage_a; /* fold_ustr intermediates */
    struct ustr stage_b;
    struct ustr folded;      /* folded segment */
    struct ustr skeleton;    /* skeleton of one character */
    struct ustr skel_folded; /* the skeleton folded */
    struct cp_list result;   /* what the segment becomes */

    struct cache_slot cache[1u << CACHE_BITS];
    struct keeps_slot keeps[1u << KEEPS_BITS];
};

static ipr_status icu_status(UErrorCode st)
{
    return st == U_MEMORY_ALLOCATION_ERROR ? IPR_ENOMEM : IPR_EUNSUPPORTED;
}

/* ---- UTF-8 ----------------------------------------------------------------- */

uint32_t norm_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned char c = p[0];
    uint32_t cp;
    uint32_t min;
    size_t tail;
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1Fu;
        min = 0x80;
        tail = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0Fu;
        min = 0x800;
        tail = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07u;
        min = 0x10000;
        tail = 3;
    } else {
        goto invalid;
    }
    if (left <= tail)
        goto invalid;
    for (size_t k = 1; k <= tail; k++) {
        if ((p[k] & 0xC0u) != 0x80u)
            goto invalid;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        goto invalid;
    *i += tail + 1;
    return cp;
invalid:
    *i += 1;
    return 0xFFFD;
}

static size_t utf8_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

size_t norm_utf8_put(char *out, uint32_t cp)
{
    unsigned char *p = (unsigned char *)out;
    if (cp < 0x80) {
        p[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (unsigned char)(0xC0 | (cp >> 6));
        p[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (unsigned char)(0xE0 | (cp >> 12));
        p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (unsigned char)(0xF0 | (cp >> 18));
    p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- character classes -------------------------------------------------------- */

static bool is_mark(uint32_t cp)
{
    return (U_GET_GC_MASK((UChar32)cp) & U_GC_M_MASK) != 0;
}

static bool is_default_ignorable(uint32_t cp)
{
    return cp >= 0x80 && u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool norm_is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return ipr_is_ascii_alnum((unsigned char)cp);
    if (norm_common_letter(cp) != NORM_LETTER_OTHER)
        return true;
    if (cp > 0x10FFFF)
        return false;
    return u_isalnum((UChar32)cp) || is_mark(cp);
}

bool norm_is_cjk(uint32_t cp)
{
    static const UScriptCode spaceless[] = {
        USCRIPT_HAN,      USCRIPT_HIRAGANA, USCRIPT_KATAKANA, USCRIPT_HANGUL,
        USCRIPT_BOPOMOFO, USCRIPT_THAI,     USCRIPT_LAO,      USCRIPT_KHMER,
        USCRIPT_MYANMAR,  USCRIPT_TIBETAN,  USCRIPT_YI,
    };
    /* Thai (U+0E00) is the first of these scripts in code point order. */
    if (cp < 0x0E00)
        return false;
    enum norm_letter common = norm_common_letter(cp);
    if (common != NORM_LETTER_OTHER)
        return common == NORM_LETTER_SPACELESS;
    if (!norm_is_word_char(cp))
        return false;
    for (size_t k = 0; k < IPR_ARRAY_LEN(spaceless); k++)
        if (uscript_hasScript((UChar32)cp, spaceless[k]))
            return true;
    return false;
}

/* Diacritics on these scripts' letters are decoration that sellers add or
 * drop at will; elsewhere a mark is part of the spelling. */
static bool folds_marks(UScriptCode sc)
{
    return sc == USCRIPT_LATIN || sc == USCRIPT_GREEK || sc == USCRIPT_CYRILLIC ||
           sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_UNKNOWN ||
           sc == USCRIPT_INVALID_CODE;
}

/* Scripts whose letters are used as stand-ins for Latin ones. */
static bool imitates_latin(uint32_t cp)
{
    static const UScriptCode scripts[] = {
        USCRIPT_LATIN,    USCRIPT_GREEK,  USCRIPT_CYRILLIC, USCRIPT_ARMENIAN,
        USCRIPT_CHEROKEE, USCRIPT_COPTIC, USCRIPT_COMMON,   USCRIPT_INHERITED,
    };
    for (size_t k = 0; k < IPR_ARRAY_LEN(scripts); k++)
        if (uscript_hasScript((UChar32)cp, scripts[k]))
            return true;
    return false;
}

/* ---- scratch storage ------------------------------------------------------------ */

static ipr_status ustr_reserve(struct ustr *s, int32_t cap)
{
    if (cap <= s->cap)
        return IPR_OK;
    int32_t want = s->cap ? s->cap : 64;
    while (want < cap)
        want *= 2;
    UChar *p = realloc(s->data, (size_t)want * sizeof(UChar));
    if (!p)
        return IPR_ENOMEM;
    s->data = p;
    s->cap = want;
    return IPR_OK;
}

static ipr_status ustr_append(struct ustr *s, uint32_t cp)
{
    ipr_status st = ustr_reserve(s, s->len + 2);
    if (st != IPR_OK)
        return st;
    U16_APPEND_UNSAFE(s->data, s->len, (UChar32)cp);
    return IPR_OK;
}

static ipr_status ustr_copy(struct ustr *dst, const struct ustr *src)
{
    ipr_status st = ustr_reserve(dst, src->len);
    if (st != IPR_OK)
        return st;
    if (src->len)
        memcpy(dst->data, src->data, (size_t)src->len * sizeof(UChar));
    dst->len = src->len;
    return IPR_OK;
}

static ipr_status cp_push(struct cp_list *l, uint32_t cp)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        uint32_t *p = realloc(l->data, cap * sizeof(*p));
        if (!p)
            return IPR_ENOMEM;
        l->data = p;
        l->cap = cap;
    }
    l->data[l->len++] = cp;
    return IPR_OK;
}

static ipr_status reserve_output(struct normalizer *n, size_t len);

/* In direct mode: cp's UTF-8 appended to the output, each byte from the
 * source bytes [start, end). */
static ipr_status emit(struct normalizer *n, uint32_t cp, size_t start, size_t end)
{
    size_t at = n->out_len, w = utf8_len(cp);
    if (at + w > IPR_NORM_MAX_OUTPUT_BYTES)
        return IPR_ELIMIT;
    ipr_status st = reserve_output(n, at + w);
    if (st != IPR_OK)
        return st;
    if (cp < 0x80)
        n->text[at] = (char)cp;
    else
        norm_utf8_put(n->text + at, cp);
    for (size_t b = 0; b < w; b++) {
        n->starts[at + b] = (uint32_t)start;
        n->ends[at + b] = (uint32_t)end;
    }
    n->out_len = at + w;
    return IPR_OK;
}

static ipr_status push_item(struct normalizer *n, uint32_t cp, size_t start, size_t end)
{
    if (n->direct)
        return emit(n, cp, start, end);
    if (n->item_count == n->item_cap) {
        /* every item becomes at least one output byte */
        if (n->item_cap >= IPR_NORM_MAX_OUTPUT_BYTES)
            return IPR_ELIMIT;
        size_t cap = n->item_cap ? n->item_cap * 2 : 256;
        struct norm_item *p = realloc(n->items, cap * sizeof(*p));
        if (!p)
            return IPR_ENOMEM;
        n->items = p;
        n->item_cap = cap;
    }
    n->items[n->item_count++] = (struct norm_item){cp, (uint32_t)start, (uint32_t)end};
    return IPR_OK;
}

/* Room for extra more items, grown as push_item grows it; IPR_ELIMIT when
 * push_item would have stopped on the way (the caller then pushes one by
 * one, so the limit hits exactly where it always did). */
static ipr_status reserve_items(struct normalizer *n, size_t extra)
{
    size_t need = n->item_count + extra, cap = n->item_cap ? n->item_cap : 256;
    if (need <= n->item_cap)
        return IPR_OK;
    while (cap < need) {
        if (cap >= IPR_NORM_MAX_OUTPUT_BYTES)
            return IPR_ELIMIT;
        cap *= 2;
    }
    struct norm_item *p = realloc(n->items, cap * sizeof(*p));
    if (!p)
        return IPR_ENOMEM;
    n->items = p;
    n->item_cap = cap;
    return IPR_OK;
}

static ipr_status reserve_output(struct normalizer *n, size_t len)
{
    if (len <= n->out_cap && n->text)
        return IPR_OK;
    size_t cap = n->out_cap ? n->out_cap : 256;
    while (cap < len)
        cap *= 2;
    char *text = realloc(n->text, cap + 1);
    if (text)
        n->text = text;
    uint32_t *starts = realloc(n->starts, cap * sizeof(uint32_t));
    if (starts)
        n->starts = starts;
    uint32_t *ends = realloc(n->ends, cap * sizeof(uint32_t));
    if (ends)
        n->ends = ends;
    if (!text || !starts || !ends)
        return IPR_ENOMEM; /* out_cap still describes every array */
    n->out_cap = cap;
    return IPR_OK;
}

/* ---- folding (ICU) ---------------------------------------------------------------- */

static ipr_status normalize_into(const UNormalizer2 *nf, const struct ustr *in, struct ustr *out)
{
    for (;;) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t got = unorm2_normalize(nf, in->data, in->len, out->data, out->cap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            ipr_status r = ustr_reserve(out, got);
            if (r != IPR_OK)
                return r;
            continue;
        }
        if (U_FAILURE(st))
            return icu_status(st);
        out->len = got;
        return IPR_OK;
    }
}

/* Copies in to out without the marks that folds_marks() allows to drop;
 * *removed tells whether any was. */
static ipr_status strip_marks(const struct ustr *in, struct ustr *out, bool *removed)
{
    UScriptCode base = USCRIPT_INVALID_CODE; /* a mark with no base is dropped */
    ipr_status st = ustr_reserve(out, in->len);
    if (st != IPR_OK)
        return st;
    out->len = 0;
    *removed = false;
    int32_t i = 0;
    while (i < in->len) {
        int32_t at = i;
        UChar32 c;
        U16_NEXT(in->data, i, in->len, c);
        if (is_mark((uint32_t)c)) {
            if (folds_marks(base)) {
                *removed = true;
                continue;
            }
        } else {
            UErrorCode ue = U_ZERO_ERROR;
            base = uscript_getScript(c, &ue);
        }
        while (at < i)
            out->data[out->len++] = in->data[at++];
    }
    return IPR_OK;
}

/* out = NFC(strip_marks(NFD(NFKC_Casefold(in)))); out must not be one of
 * the stage buffers. */
static ipr_status fold_ustr(struct normalizer *n, const struct ustr *in, struct ustr *out)
{
    ipr_status st = normalize_into(n->nfkc_cf, in, &n->stage_a);
    if (st != IPR_OK)
        return st;
    const struct ustr *decomposed = &n->stage_a;
    UErrorCode ue = U_ZERO_ERROR;
    if (unorm2_quickCheck(n->nfd, n->stage_a.data, n->stage_a.len, &ue) != UNORM_YES) {
        if ((st = normalize_into(n->nfd, &n->stage_a, &n->stage_b)) != IPR_OK)
            return st;
        decomposed = &n->stage_b;
    }
    bool removed;
    if ((st = strip_marks(decomposed, out, &removed)) != IPR_OK)
        return st;
    if (!removed)
        return ustr_copy(out, &n->stage_a);
    if ((st = normalize_into(n->nfc, out, &n->stage_b)) != IPR_OK)
        return st;
    return ustr_copy(out, &n->stage_b);
}

/* Symbols whose compatibility form would glue letters onto the word before
 * them (Nike™ -> niketm) or split it with a space (Burt´s -> burt s). */
static bool keeps_source_form(const struct normalizer *n, uint32_t cp)
{
    if (cp == 0x2120 || cp == 0x2121 || cp == 0x2122) /* ℠ ℡ ™ */
        return true;
    if (cp < 0x80)
        return false;
    UChar d[8];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = unorm2_getDecomposition(n->nfkc_cf, (UChar32)cp, d, 8, &st);
    return U_SUCCESS(st) && len >= 2 && d[0] == 0x20 && is_mark(d[1]);
}

/* Appends cp, or its ASCII look-alike under NORM_CONFUSABLE, to the result. */
static ipr_status emit_cp(struct normalizer *n, uint32_t cp, unsigned flags)
{
    if (!(flags & NORM_CONFUSABLE) || cp < 0x80 || !imitates_latin(cp))
        return cp_push(&n->result, cp);
    UChar one[2];
    int32_t one_len = 0;
    U16_APPEND_UNSAFE(one, one_len, (UChar32)cp);
    ipr_status st;
    for (;;) {
        UErrorCode ue = U_ZERO_ERROR;
        int32_t got =
            uspoof_getSkeleton(n->spoof, 0, one, one_len, n->skeleton.data, n->skeleton.cap, &ue);
        if (ue == U_BUFFER_OVERFLOW_ERROR) {
            if ((st = ustr_reserve(&n->skeleton, got)) != IPR_OK)
                return st;
            continue;
        }
        if (U_FAILURE(ue))
            return icu_status(ue);
        n->skeleton.len = got;
        break;
    }
    /* A character that is its own prototype stays as it is, even where
     * folding would change it (™ -> tm). */
    if (n->skeleton.len == one_len &&
        memcmp(n->skeleton.data, one, sizeof(UChar) * (size_t)one_len) == 0)
        return cp_push(&n->result, cp);
    if ((st = fold_ustr(n, &n->skeleton, &n->skel_folded)) != IPR_OK)
        return st;
    bool ascii = n->skel_folded.len > 0;
    for (int32_t k = 0; k < n->skel_folded.len; k++)
        ascii = ascii && n->skel_folded.data[k] < 0x80;
    if (!ascii)
        return cp_push(&n->result, cp);
    for (int32_t k = 0; k < n->skel_folded.len && st == IPR_OK; k++)
        st = cp_push(&n->result, n->skel_folded.data[k]);
    return st;
}

/* n->result = what the segment in n->seg becomes. */
static ipr_status process_segment(struct normalizer *n, unsigned flags)
{
    n->result.len = 0;
    UChar32 first;
    U16_GET(n->seg.data, 0, 0, n->seg.len, first);
    if (!(flags & NORM_FOLD) || keeps_source_form(n, (uint32_t)first))
        return emit_cp(n, (uint32_t)first, flags);
    ipr_status st = fold_ustr(n, &n->seg, &n->folded);
    int32_t i = 0;
    while (st == IPR_OK && i < n->folded.len) {
        UChar32 c;
        U16_NEXT(n->folded.data, i, n->folded.len, c);
        st = emit_cp(n, (uint32_t)c, flags);
    }
    return st;
}

/* process_segment() for a segment of one non-ASCII character, cached. */
static ipr_status process_char(struct normalizer *n, uint32_t cp, unsigned flags)
{
    uint8_t key = (uint8_t)(flags & (NORM_FOLD | NORM_CONFUSABLE));
    /* the flags are part of the slot's index: the folding pass and the
     * confusable one ask for the same characters in turn, and with the
     * character alone as index each evicted the other's result */
    uint32_t h = (cp << 2 | (uint32_t)(key & NORM_FOLD ? 1 : 0) << 1 |
                  (uint32_t)(key & NORM_CONFUSABLE ? 1 : 0)) *
                 2654435761u;
    struct cache_slot *slot = &n->cache[h >> (32 - CACHE_BITS)];
    if (slot->cp == cp && slot->flags == key) {
        n->result.len = 0;
        ipr_status st = IPR_OK;
        for (size_t k = 0; k < slot->count && st == IPR_OK; k++)
            st = cp_push(&n->result, slot->out[k]);
        return st;
    }
    n->seg.len = 0;
    ipr_status st = ustr_append(&n->seg, cp);
    if (st == IPR_OK)
        st = process_segment(n, flags);
    if (st == IPR_OK && n->result.len <= CACHE_MAX_OUT) {
        slot->cp = cp;
        slot->flags = key;
        slot->count = (uint8_t)n->result.len;
        if (n->result.len)
            memcpy(slot->out, n->result.data, n->result.len * sizeof(uint32_t));
    }
    return st;
}

static ipr_status push_result(struct normalizer *n, size_t start, size_t end)
{
    ipr_status st = IPR_OK;
    for (size_t k = 0; k < n->result.len && st == IPR_OK; k++)
        st = push_item(n, n->result.data[k], start, end);
    return st;
}

/* Stages 1-3: source bytes -> n->items. */
static ipr_status decode_and_fold(struct normalizer *n, const char *src, size_t len, unsigned flags)
{
    bool fold = (flags & NORM_FOLD) != 0;
    ipr_status st = IPR_OK;
    size_t i = 0;
    while (i < len && st == IPR_OK) {
        unsigned char c = (unsigned char)src[i];
        /* An ASCII character is a segment of its own unless a combining
         * mark follows it. */
        if (c < 0x80 && (!fold || i + 1 == len || (unsigned char)src[i + 1] < 0x80)) {
            /* a run of such characters in one go: most text is ASCII */
            size_t end = i + 1;
            while (end < len && (unsigned char)src[end] < 0x80)
                end++;
            if (fold && end < len)
                end--; /* the last one meets a non-ASCII byte: a segment with it */
            if (end - i > 1 && n->direct) {
                size_t at = n->out_len;
                if (at + (end - i) > IPR_NORM_MAX_OUTPUT_BYTES)
                    return IPR_ELIMIT;
                if ((st = reserve_output(n, at + (end - i))) != IPR_OK)
                    return st;
                if (fold)
                    bytescan_lower_ascii(src + i, end - i, n->text + at);
                else
                    memcpy(n->text + at, src + i, end - i);
                /* a loop of its own, which the compiler does four at a time */
                for (size_t k = 0; k < end - i; k++) {
                    n->starts[at + k] = (uint32_t)(i + k);
                    n->ends[at + k] = (uint32_t)(i + k) + 1;
                }
                n->out_len = at + (end - i);
                i = end;
                continue;
            }
            if (end - i > 1 && reserve_items(n, end - i) == IPR_OK) {
                for (; i < end; i++) {
                    unsigned char a = (unsigned char)src[i];
                    n->items[n->item_count++] = (struct norm_item){fold ? ipr_ascii_lower(a) : a,
                                                                   (uint32_t)i, (uint32_t)i + 1};
                }
                continue;
            }
            st = push_item(n, fold ? ipr_ascii_lower(c) : c, i, i + 1);
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp = norm_utf8_next(src, len, &i);
        if (!fold) {
            if ((st = process_char(n, cp, flags)) == IPR_OK)
                st = push_result(n, start, i);
            continue;
        }
        if (is_default_ignorable(cp))
            continue;
        n->seg.len = 0;
        if ((st = ustr_append(&n->seg, cp)) != IPR_OK)
            break;
        size_t seg_chars = 1;
        while (i < len && (unsigned char)src[i] >= 0x80 && seg_chars < IPR_NORM_MAX_SEGMENT_CHARS) {
            size_t j = i;
            uint32_t next = norm_utf8_next(src, len, &j);
            if (is_default_ignorable(next) ||
                (unorm2_hasBoundaryBefore(n->nfkc_cf, (UChar32)next) && !is_mark(next)))
                break;
            if ((st = ustr_append(&n->seg, next)) != IPR_OK)
                break;
            i = j;
            seg_chars++;
        }
        if (st != IPR_OK)
            break;
        if (seg_chars == 1 && cp < 0x80)
            st = push_item(n, ipr_ascii_lower((unsigned char)cp), start, i);
        else if ((st = seg_chars == 1 ? process_char(n, cp, flags) : process_segment(n, flags)) ==
                 IPR_OK)
            st = push_result(n, start, i);
    }
    return st;
}

/* Stage 6: n->items[0..count) -> the output text and maps. */
static ipr_status encode(struct normalizer *n, size_t count, struct norm_text *out)
{
    size_t bytes = 0;
    for (size_t k = 0; k < count; k++)
        bytes += utf8_len(n->items[k].cp);
    if (bytes > IPR_NORM_MAX_OUTPUT_BYTES)
        return IPR_ELIMIT;
    ipr_status st = reserve_output(n, bytes);
    if (st != IPR_OK)
        return st;
    size_t at = 0;
    for (size_t k = 0; k < count; k++) {
        const struct norm_item *it = &n->items[k];
        if (it->cp < 0x80) {
            n->text[at] = (char)it->cp;
            n->starts[at] = it->src_start;
            n->ends[at++] = it->src_end;
            continue;
        }
        size_t w = norm_utf8_put(n->text + at, it->cp);
        for (size_t b = 0; b < w; b++) {
            n->starts[at + b] = it->src_start;
            n->ends[at + b] = it->src_end;
        }
        at += w;
    }
    n->text[at] = '\0';
    out->text = n->text;
    out->len = at;
    out->src_start = n->starts;
    out->src_end = n->ends;
    out->identity = false;
    n->ident_len = 0;
    return IPR_OK;
}

/* ---- public ------------------------------------------------------------------------- */

ipr_status normalizer_new(struct normalizer **out)
{
    *out = NULL;
    struct normalizer *n = calloc(1, sizeof(*n));
    if (!n)
        return IPR_ENOMEM;
    UErrorCode st = U_ZERO_ERROR;
    n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    n->nfd = unorm2_getNFDInstance(&st);
    n->nfc = unorm2_getNFCInstance(&st);
    n->spoof = uspoof_open(&st); /* does nothing when st already failed */
    if (U_FAILURE(st)) {
        normalizer_free(n);
        return icu_status(st);
    }
    *out = n;
    return IPR_OK;
}

void normalizer_free(struct normalizer *n)
{
    if (!n)
        return;
    if (n->spoof)
        uspoof_close(n->spoof);
    free(n->items);
    free(n->text);
    free(n->starts);
    free(n->ends);
    free(n->seg.data);
    free(n->stage_a.data);
    free(n->stage_b.data);
    free(n->folded.data);
    free(n->skeleton.data);
    free(n->skel_folded.data);
    free(n->result.data);
    free(n);
}

ipr_status normalizer_run(struct normalizer *n, const char *src, size_t len, unsigned flags,
                          struct norm_text *out)
{
    if (!n || !out || (!src && len))
        return IPR_EINVAL;
    if (len > IPR_INPUT_MAX_FIELD_BYTES_CEILING)
        return IPR_ELIMIT;
    ipr_status st;
    if (!(flags & (NORM_LEET | NORM_SEPARATORS)) && bytescan_all_ascii(src, len)) {
        if ((st = reserve_output(n, len)) != IPR_OK)
            return st;
        if (flags & NORM_FOLD)
            bytescan_lower_ascii(src, len, n->text);
        else if (len)
            memcpy(n->text, src, len);
        for (size_t i = n->ident_len; i < len; i++) {
            n->starts[i] = (uint32_t)i;
            n->ends[i] = (uint32_t)i + 1;
        }
        if (len > n->ident_len)
            n->ident_len = len;
        n->text[len] = '\0';
        out->text = n->text;
        out->len = len;
        out->src_start = n->starts;
        out->src_end = n->ends;
        out->identity = true;
        return IPR_OK;
    }
    n->item_count = 0;
    if (!(flags & (NORM_LEET | NORM_SEPARATORS))) {
        n->direct = true;
        n->out_len = 0;
        n->ident_len = 0; /* starts and ends are written over */
        st = decode_and_fold(n, src, len, flags);
        n->direct = false;
        if (st == IPR_OK)
            st = reserve_output(n, n->out_len); /* the text's NUL: out_cap + 1 bytes */
        if (st != IPR_OK)
            return st;
        n->text[n->out_len] = '\0';
        *out = (struct norm_text){n->text, n->out_len, n->starts, n->ends, false};
        return IPR_OK;
    }
    if ((st = decode_and_fold(n, src, len, flags)) != IPR_OK)
        return st;
    size_t count = n->item_count;
    if (flags & NORM_SEPARATORS)
        count = norm_collapse_separators(n->items, count, (flags & NORM_LEET) != 0);
    if (flags & NORM_LEET)
        norm_fold_leet(n->items, count);
    return encode(n, count, out);
}

/* Decodes folded UTF-8 back into n->items, the code points it was encoded
 * from (no source ranges: only the code points are read). */
static ipr_status decode_items(struct normalizer *n, const char *text, size_t len)
{
    n->item_count = 0;
    ipr_status st = reserve_items(n, len);
    if (st != IPR_OK)
        return st;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        uint32_t cp = c < 0x80 ? (i++, c) : norm_utf8_next(text, len, &i);
        n->items[n->item_count++] = (struct norm_item){cp, 0, 0};
    }
    return IPR_OK;
}

/* Does stage 3 leave cp, a character of folded text, as it is? */
static ipr_status confusable_keeps(struct normalizer *n, uint32_t cp, bool *keeps)
{
    struct keeps_slot *slot = &n->keeps[(cp * 2654435761u) >> (32 - KEEPS_BITS)];
    if (slot->cp == cp) {
        *keeps = slot->keeps;
        return IPR_OK;
    }
    n->result.len = 0;
    ipr_status st = emit_cp(n, cp, NORM_FOLD | NORM_CONFUSABLE);
    if (st != IPR_OK)
        return st;
    *keeps = n->result.len == 1 && n->result.data[0] == cp;
    *slot = (struct keeps_slot){cp, *keeps};
    return IPR_OK;
}

ipr_status normalizer_skeleton_same(struct normalizer *n, const char *text, size_t len, bool *same)
{
    if (!n || !same || (!text && len))
        return IPR_EINVAL;
    *same = true;
    for (size_t i = 0; i < len;) {
        i += bytescan_prefix(text + i, len - i, BYTESCAN_STOP_HIGH);
        if (i == len)
            break;
        if ((unsigned char)text[i] < 0x80) {
            i++; /* a byte the word-at-a-time scan left */
            continue;
        }
        uint32_t cp = norm_utf8_next(text, len, &i);
        ipr_status st = confusable_keeps(n, cp, same);
        if (st != IPR_OK || !*same)
            return st;
    }
    return IPR_OK;
}

/* The character of text that starts at byte i, *next set past it. */
static uint32_t char_at(const char *text, size_t len, size_t i, size_t *next)
{
    if ((unsigned char)text[i] < 0x80) {
        *next = i + 1;
        return (unsigned char)text[i];
    }
    *next = i;
    return norm_utf8_next(text, len, next);
}

ipr_status normalizer_leet_folds(struct normalizer *n, const char *text, size_t len, bool *folds)
{
    if (!n || !folds || (!text && len))
        return IPR_EINVAL;
    *folds = false;
    /* norm_leet_folds, walking the text itself: only the token around a
     * leet character is decoded (text made by normalizer_run is valid
     * UTF-8, so a character starts at the first byte before it that is
     * not a continuation byte) */
    /* the ASCII leet characters, and the first bytes of characters that
     * are not ASCII (the cent sign is one): the rest is passed over a
     * byte at a time without decoding */
    static const bool ascii_leet[256] = {
        ['0'] = true, ['1'] = true, ['3'] = true, ['4'] = true, ['5'] = true,
        ['7'] = true, ['@'] = true, ['$'] = true, ['!'] = true, ['|'] = true};
    size_t examined = 0; /* bytes before it are in tokens already asked */
    for (size_t k = 0, next; k < len; k = next) {
        unsigned char c = (unsigned char)text[k];
        if (c < 0xC0 && !ascii_leet[c]) {
            next = k + 1;
            continue;
        }
        uint32_t cp = char_at(text, len, k, &next);
        if (k < examined || !norm_leet_target(cp))
            continue;
        size_t start = k, end = next, after;
        while (start > examined) {
            size_t prev = start - 1;
            while (prev > examined && ((unsigned char)text[prev] & 0xC0) == 0x80)
                prev--;
            if (!norm_is_token_char(char_at(text, len, prev, &after)) || after != start)
                break;
            start = prev;
        }
        while (end < len && norm_is_token_char(char_at(text, len, end, &after)))
            end = after;
        n->item_count = 0;
        ipr_status st = reserve_items(n, end - start);
        if (st != IPR_OK)
            return st;
        for (size_t i = start; i < end;)
            n->items[n->item_count++] = (struct norm_item){char_at(text, len, i, &i), 0, 0};
        if (norm_token_folds(n->items, n->item_count)) {
            *folds = true;
            return IPR_OK;
        }
        examined = end;
    }
    return IPR_OK;
}

ipr_status normalizer_obfuscation(struct normalizer *n, const char *text, size_t len,
                                  bool *collapses, bool *folds)
{
    if (!n || !collapses || !folds || (!text && len))
        return IPR_EINVAL;
    ipr_status st = decode_items(n, text, len);
    if (st != IPR_OK)
        return st;
    *folds = norm_leet_folds(n->items, n->item_count);
    *collapses = norm_collapses(n->items, n->item_count, true);
    return IPR_OK;
}
