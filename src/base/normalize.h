/*
 * normalize.h - the one text normalization of iprcheck, with a map back to
 * the source bytes.
 *
 * Rule terms, trademark names and listing text all pass through
 * normalizer_run() with the same flags, so obfuscated spellings (N1ke, Ｎｉｋｅ,
 * Nіke with a Cyrillic і, G-U-C-C-I) meet the mark they imitate.  Findings
 * must quote the seller's own bytes, so every normalized byte records the
 * source character it came from.  Invariants: src_start and src_end are
 * non-decreasing, src_start[i] < src_end[i] <= source length.
 */
#ifndef IPR_BASE_NORMALIZE_H
#define IPR_BASE_NORMALIZE_H

#include "common.h"

enum norm_flags {
    /* NFKC + full case folding; default-ignorable characters (zero-width
     * U+200B-U+200D, U+2060, U+FEFF, soft hyphen U+00AD, variation selectors,
     * bidi controls) removed; combining marks on Latin, Greek and Cyrillic
     * letters removed (é -> e). */
    NORM_FOLD = 1u << 0,
    /* UTS #39 skeleton of each non-ASCII Latin, Greek, Cyrillic, Armenian,
     * Cherokee or symbol character whose skeleton is ASCII (Cyrillic а -> a,
     * Greek ο -> o, ∪ -> u, ’ -> '), folded as by NORM_FOLD.  Characters of
     * other scripts (CJK, Arabic, ...) are left alone. */
    NORM_CONFUSABLE = 1u << 1,
    /* Inside a token that has at least one letter: 0->o 1->i 3->e 4->a @->a
     * 5->s $->s 7->t !->i |->l ¢->c.  Digits before the token's first letter
     * (10ml, 3M) and symbols at either end of it (Sale!) are left alone, as is
     * a token without letters (2024, 1:1). */
    NORM_LEET = 1u << 2,
    /* Runs of >= 3 single letters joined by the same separator (- . _ space *
     * / · •, up to 3 of them) are collapsed: G-U-C-C-I -> gucci, R O L E X ->
     * rolex.  Ordinary words are never joined (Wi-Fi, "a b test"). */
    NORM_SEPARATORS = 1u << 3
};

#define NORM_ALL (NORM_FOLD | NORM_CONFUSABLE | NORM_LEET | NORM_SEPARATORS)

struct norm_text {
    const char *text;          /* normalized UTF-8, NUL-terminated */
    size_t len;                /* bytes, excluding the NUL */
    const uint32_t *src_start; /* len entries: byte offset in the source where the
                                  character that produced normalized byte i starts */
    const uint32_t *src_end;   /* len entries: byte offset in the source just past it */
    bool identity;             /* byte i came from source byte i (src_start[i] == i,
                                  src_end[i] == i + 1): ASCII text, folded or not */
};

/* Per thread: ICU handles and scratch buffers; not thread-safe. */
struct normalizer;

/* IPR_ENOMEM, or IPR_EUNSUPPORTED when the ICU data cannot be loaded. */
ipr_status normalizer_new(struct normalizer **out);
void normalizer_free(struct normalizer *n);

/* Normalizes src[0..len) with flags (enum norm_flags); *out is owned by n and
 * valid until the next call.  Invalid UTF-8 bytes are kept as U+FFFD mapped
 * to their own byte.  IPR_ELIMIT when len exceeds IPR_INPUT_MAX_FIELD_BYTES_CEILING
 * or the result IPR_NORM_MAX_OUTPUT_BYTES; IPR_ENOMEM. */
ipr_status normalizer_run(struct normalizer *n, const char *src, size_t len, unsigned flags,
                          struct norm_text *out);

/* Of text that normalizer_run made with NORM_FOLD | NORM_CONFUSABLE (the
 * confusable skeleton), what the obfuscation stages would do: *collapses
 * when NORM_SEPARATORS (with NORM_LEET) would drop a separator, *folds when
 * NORM_LEET would change a character.  A view that would come out as one
 * already searched need not be made, nor searched again.  Uses n's scratch
 * (what normalizer_run last handed out stays valid); IPR_ENOMEM. */
ipr_status normalizer_obfuscation(struct normalizer *n, const char *text, size_t len,
                                  bool *collapses, bool *folds);

/* Of text that normalizer_run made with NORM_FOLD alone: *same when
 * NORM_CONFUSABLE would change none of it.  Stage 3 replaces characters
 * of the folded text one by one, so the skeleton of the same source is
 * then this text, with the same map: a pass over it finds what a pass over
 * this text found.  Uses n's scratch (what normalizer_run last handed out
 * stays valid); IPR_ENOMEM. */
ipr_status normalizer_skeleton_same(struct normalizer *n, const char *text, size_t len, bool *same);

/* normalizer_obfuscation's *folds alone, from the tokens around leet
 * characters only (most text has few).  IPR_ENOMEM. */
ipr_status normalizer_leet_folds(struct normalizer *n, const char *text, size_t len, bool *folds);

/* A quick look at text that normalizer_run made with NORM_FOLD |
 * NORM_CONFUSABLE: false only when normalizer_obfuscation would say it
 * does not collapse (no run of three single units joined by one separator
 * in it).  True says nothing; most listing text gets false. */
bool norm_may_collapse(const char *text, size_t len);

/* Maps a normalized span [a, b) back to the source: [src_start[a],
 * src_end[b-1]), which includes any removed characters inside it.  Needs
 * a <= b <= t->len; an empty span maps to an empty range where it stands. */
static inline void norm_span_to_source(const struct norm_text *t, size_t a, size_t b, size_t *src_a,
                                       size_t *src_b)
{
    if (a < b) {
        *src_a = t->src_start[a];
        *src_b = t->src_end[b - 1];
    } else if (a < t->len) {
        *src_a = *src_b = t->src_start[a];
    } else {
        *src_a = *src_b = t->len ? t->src_end[t->len - 1] : 0;
    }
}

/* Character classes for term boundaries, on code points. */

/* Letters of the scripts most listings are written in, told without a
 * lookup in ICU's tables (one per character of a Russian or Chinese
 * description, several times over, was most of the cost of such text):
 * Latin, Greek and Cyrillic letters, and letters of scripts written
 * without spaces (Han, kana, Hangul syllables).  NORM_LETTER_OTHER: ask
 * ICU.  test_base_normalize checks every code point of these ranges
 * against ICU. */
enum norm_letter { NORM_LETTER_OTHER, NORM_LETTER_LGC, NORM_LETTER_SPACELESS };

static inline enum norm_letter norm_common_letter(uint32_t cp)
{
    if (cp < 0x0C0)
        return NORM_LETTER_OTHER;
    if (cp <= 0x04FF)
        return (cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) ||
                       (cp >= 0x0391 && cp <= 0x03C9 && cp != 0x03A2 &&
                        (cp <= 0x03A9 || cp >= 0x03B1)) ||
                       (cp >= 0x0400 && (cp <= 0x0481 || cp >= 0x048A))
                   ? NORM_LETTER_LGC
                   : NORM_LETTER_OTHER;
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA)
               ? NORM_LETTER_SPACELESS
               : NORM_LETTER_OTHER;
}

/* Letters, digits and marks of any script; '_' is not a word character. */
bool norm_is_word_char(uint32_t cp);
/* Word characters of scripts written without spaces between words (Han,
 * Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar, ...): terms in them
 * match as substrings. */
bool norm_is_cjk(uint32_t cp);

/* Decodes one UTF-8 code point at s[*i] and advances *i (needs *i < len).
 * Overlong forms, surrogates, values past U+10FFFF and truncated sequences
 * give U+FFFD for one byte. */
uint32_t norm_utf8_next(const char *s, size_t len, size_t *i);

/* Encodes cp (at most U+10FFFF, not a surrogate) as UTF-8 at out, which has
 * room for four bytes; returns the bytes written. */
size_t norm_utf8_put(char *out, uint32_t cp);

#endif
