/*
 * markset.h - the trademark registry compiled for matching.
 *
 * Every spelling of every mark (name, aliases, and the compact form of
 * multi-word names: "louisvuitton") is normalized with the same function as
 * listing text and indexed by its first word token (or first character, for
 * scripts written without spaces), so one pass over a field's tokens finds
 * every mark with one hash lookup per token.  Marks of five or more letters
 * are also indexed by their one-letter deletions for near-miss lookups
 * (symmetric deletion), verified by an edit distance of at most one with
 * transpositions.
 */
#ifndef IPR_COMPILE_MARKSET_H
#define IPR_COMPILE_MARKSET_H

#include "../base/buf.h"
#include "../base/normalize.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "../registry/registry.h"
#include "formindex.h"
#include "nearkeys.h"
#include "wordset.h"

/* The words that tell a mark's senses apart in listing text, normalized. */
struct mark_senses {
    const char **generic; /* ordinary-sense words; count > 0: the mark is a common word */
    size_t generic_count;
    const char **context; /* words that confirm the trademark sense */
    size_t context_count;
};

/* Which forms have near-misses: the name of five to forty ASCII letters
 * (keys in markset.near), and the run-together form of a multi-word name
 * or alias of eight or more ("louisvuitton"; keys in markset.near_compact),
 * which alone meets two listing words run together. */
enum form_near { FORM_NEAR_NONE = 0, FORM_NEAR_NAME = 1, FORM_NEAR_COMPACT = 2 };

/* Letters of the shortest run-together form with near-misses. */
#define MARKSET_NEAR_COMPACT_MIN 8u

/* 8 bytes a spelling: a registry holds 100,000 marks and more.  The forms
 * that share a first token lie next to each other, the latest first, and
 * the first-token index points at the first of them (markset_first_form,
 * markset_next_form); a spelling's length is kept in the byte before it
 * (markset_form_len). */
struct mform {
    uint32_t text;         /* the normalized spelling: offset in markset.spellings
                              (markset_form_text) */
    uint32_t mark : 28;    /* the mark's number (markset_mark): MARKSET_MAX_MARKS */
    uint32_t is_alias : 1; /* an alias, or a run-together form */
    uint32_t near : 2;     /* enum form_near */
    uint32_t last : 1;     /* the last form with its first token */
};

/* Marks a set holds at most (mform.mark); more is IPR_ELIMIT. */
#define MARKSET_MAX_MARKS REGISTRY_MAX_MARKS

/* The length byte of a spelling of this many bytes or more says only
 * "long": the length is then the spelling's strlen (markset_form_len). */
#define MARKSET_LONG_SPELLING 255u

struct markset {
    const struct registry *reg;          /* the marks' registry: their names (mark_name) */
    struct mark_def *const *mark_blocks; /* the registry's (markset_mark): markset_build
                                            fills in their senses and common_word */
    size_t mark_count;
    struct mark_senses no_senses; /* mark_senses_of for the marks without such words */
    struct mform *forms;          /* owned */
    size_t form_count;
    struct buf spellings;   /* every normalized spelling once, each NUL-terminated */
    struct formindex first; /* first token -> the latest form that starts with it */
    struct nearkeys near;   /* near-miss keys of the names that have them (FORM_NEAR_NAME) */
    /* ... and of the run-together forms (FORM_NEAR_COMPACT), apart: two
     * words run together are looked up here alone, and most lookups are
     * of such pairs, a cache miss a key; this filter holds a fifth of the
     * keys (1.4 MB for the 100,000 marks when both were one) */
    struct nearkeys near_compact;
    /* the ends of every run-together form with near-misses, a bit each:
     * two words run together are near one only if they start or end as it
     * does (markset_may_be_near_compact) */
    uint64_t *compact_ends;    /* owned: compact_ends_bits bits; NULL: no such form */
    size_t compact_ends_bits;  /* a multiple of 64, below 2^32 */
    struct wordset dictionary; /* ordinary words: never a near-miss */
    /* Compound marks cut in two ("otter" + "box"): a word pair is looked up
     * as one word in the first-token index, since a split's two parts run
     * together are the mark's name.  No table of the pairs themselves: for 100,000
     * marks that took 12 MB. */
    size_t split_name_max;  /* longest name that may be split; 0: none */
    uint64_t *split_firsts; /* owned: bit filter of the first parts (hash_filter_*), so a
                               word that starts no split costs one hash, no key */
    size_t split_firsts_cap;
    struct strmap class_words; /* word -> index into class_masks */
    uint64_t *class_masks;
    size_t class_mask_count;
    const char **class_phrases; /* multi-word class words, normalized */
    uint64_t *class_phrase_masks;
    size_t class_phrase_count;
    const struct authorization *auths;
    size_t auth_count;
    char reference_date[11]; /* YYYY-MM-DD for authorization validity; "" = none */
};

/* How many bytes of each end of a word of n bytes (n >= 7) tell whether
 * it may be one edit from a run-together form: (n - 1) / 2, at most
 * MARKSET_END_MAX (markset_may_be_near_compact). */
#define MARKSET_END_MAX 6u

static inline size_t markset_end_len(size_t n)
{
    size_t k = (n - 1) / 2;
    return k < MARKSET_END_MAX ? k : MARKSET_END_MAX;
}

/* The bit of compact_ends for the k bytes at s, the head or the tail
 * (tail) of a word of n bytes. */
static inline size_t markset_end_bit(const struct markset *ms, const char *s, size_t k, size_t n,
                                     bool tail)
{
    uint64_t h = (strmap_hash(s, k) ^ ((uint64_t)n << 1 | tail)) * 0x9E3779B97F4A7C15ull;
    return (size_t)(((h >> 32) * (uint64_t)ms->compact_ends_bits) >> 32); /* any count of bits */
}

/* May the n bytes at s (n >= 7), two words run together, be one edit from
 * a run-together form with near-misses?  With k = markset_end_len(n), an
 * edit at byte p of s leaves s's first k bytes the form's when p >= k and
 * its last k the form's (counted from the end) when p < n - k, or for two
 * bytes swapped p + 1 < n - k; since 2k < n, one of the two holds.  So
 * the form set the bits of its first k bytes and of its last k, with the
 * length of each word one edit from it (one less, its own, one more), and
 * false is sure.  Three letters of each end, whatever the length, let 76 %
 * of the pairs of the benchmark's listings through to the memo (1.26 of
 * 1.66 million, 100,000 marks) and 94,000 to the near-miss keys; these
 * ends 24 % and 12,000. */
static inline bool markset_may_be_near_compact(const struct markset *ms, const char *s, size_t n)
{
    if (!ms->compact_ends)
        return false;
    size_t k = markset_end_len(n);
    size_t head = markset_end_bit(ms, s, k, n, false),
           tail = markset_end_bit(ms, s + n - k, k, n, true);
    return (ms->compact_ends[head >> 6] >> (head & 63) & 1) |
           (ms->compact_ends[tail >> 6] >> (tail & 63) & 1);
}

/* Mark i of the registry. */
static inline struct mark_def *markset_mark(const struct markset *ms, size_t i)
{
    return mark_in_blocks(ms->mark_blocks, i);
}

/* The normalized spelling of form f, markset_form_len bytes and a NUL. */
static inline const char *markset_form_text(const struct markset *ms, const struct mform *f)
{
    return ms->spellings.data + f->text;
}

/* Bytes of the spelling at offset in the set's spellings: its length
 * byte, or its strlen when that says "long". */
static inline size_t markset_spelling_len(const struct markset *ms, uint32_t offset)
{
    const char *text = ms->spellings.data + offset;
    unsigned char n = (unsigned char)text[-1];
    return n < MARKSET_LONG_SPELLING ? n : strlen(text);
}

/* Bytes of the spelling of form f. */
static inline size_t markset_form_len(const struct markset *ms, const struct mform *f)
{
    return markset_spelling_len(ms, f->text);
}

/* The form after form f with the same first token; UINT32_MAX after the
 * last. */
static inline uint32_t markset_next_form(const struct markset *ms, uint32_t f)
{
    return ms->forms[f].last ? UINT32_MAX : f + 1;
}

/* The words that tell mark m's senses apart: ms->no_senses for most. */
static inline const struct mark_senses *mark_senses_of(const struct markset *ms,
                                                       const struct mark_def *m)
{
    const struct mark_senses *senses = mark_more_senses(ms->reg, m);
    return senses ? senses : &ms->no_senses;
}

/* The spelling s normalized as the set's spellings are (case, width and
 * confusables folded, white space trimmed and collapsed), *out_len bytes
 * and a NUL in arena at *out.  A mark's own is not kept: rules that name
 * marks fold the hit mark's name again, which costs only such rules'
 * hits (a table of every mark's was 4 bytes a mark).  IPR_ENOMEM, or the
 * normalizer's failure. */
ipr_status markset_spelling_copy(struct normalizer *norm, const char *s, struct arena *arena,
                                 const char **out, size_t *out_len);

/* Builds the set from the registry; dictionary words come from word_list
 * (one word per line; the set takes it, also on failure, as wordset_build
 * says) when given.  With threads of 2 or more, a part of it at a time is
 * made on a thread of its own beside the rest: the same set.  Arrays live
 * in arena; the form table and the maps own their memory and are released
 * by markset_release (also after a failure).  Most names are then read
 * from the set's spellings (registry.spelled, enum mark_case): one set a
 * registry, which lives as long as the set. */
ipr_status markset_build(struct markset *ms, struct registry *reg, char *word_list,
                         size_t word_list_len, size_t word_list_alloc, unsigned threads,
                         struct normalizer *norm, struct arena *arena);
void markset_release(struct markset *ms);

/* Token scanning shared by compile and match: finds the next token at or
 * after *pos in s: a run of word characters of spaced scripts, or a single
 * character of a script written without spaces.  Returns false at the end. */
bool markset_next_token(const char *s, size_t len, size_t *pos, size_t *tok_start, size_t *tok_end,
                        bool *is_cjk);

/* One token of a text, as markset_next_token finds it. */
struct text_token {
    uint64_t hash;       /* strmap_hash of its bytes: every table it is looked up in takes it */
    uint32_t start, end; /* byte offsets */
    bool cjk;
    bool letters; /* ASCII letters alone (markset_ascii_letters) */
};

/* Are the n bytes at s ASCII letters, every one? */
static inline bool markset_ascii_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ipr_is_ascii_alpha((unsigned char)s[i]))
            return false;
    return true;
}

/* Appends the tokens of s (len < 4 GiB) to out, a vector of struct
 * text_token.  IPR_ENOMEM. */
ipr_status markset_tokens(const char *s, size_t len, struct vec *out);

/* A walk over the tokens of a text: from a list made by markset_tokens
 * once per field and shared by every pass that reads the field's folded
 * text, or (list NULL) found as it goes.  Both give the same tokens. */
struct token_walk {
    const char *text;
    size_t len;
    size_t pos; /* without a list: where the search for the next token starts */
    const struct text_token *list;
    size_t count, next;
};

static inline void token_walk_init(struct token_walk *w, const char *text, size_t len,
                                   const struct text_token *list, size_t count)
{
    *w = (struct token_walk){text, len, 0, list, count, 0};
}

static inline bool token_walk_next(struct token_walk *w, size_t *ts, size_t *te, bool *cjk)
{
    if (!w->list)
        return markset_next_token(w->text, w->len, &w->pos, ts, te, cjk);
    if (w->next == w->count)
        return false;
    const struct text_token *t = &w->list[w->next++];
    *ts = t->start;
    *te = t->end;
    *cjk = t->cjk;
    return true;
}

/* The strmap_hash of the token token_walk_next gave last, [ts, te):
 * from the list, else hashed now. */
static inline uint64_t token_walk_hash(const struct token_walk *w, size_t ts, size_t te)
{
    return w->list ? w->list[w->next - 1].hash : strmap_hash(w->text + ts, te - ts);
}

/* Is the token token_walk_next gave last, [ts, te), ASCII letters alone?
 * From the list, else looked at now. */
static inline bool token_walk_letters(const struct token_walk *w, size_t ts, size_t te)
{
    return w->list ? w->list[w->next - 1].letters : markset_ascii_letters(w->text + ts, te - ts);
}

/* Goes on with the first token at or after byte `at`, which ends a token
 * or a match that ends where a token does (so no token spans it). */
static inline void token_walk_skip_to(struct token_walk *w, size_t at)
{
    if (!w->list) {
        w->pos = at;
        return;
    }
    while (w->next < w->count && w->list[w->next].start < at)
        w->next++;
}

/* Is s more than one token (several words, or two or more CJK characters)?
 * Such entries are matched as substrings, not token by token. */
bool markset_is_phrase(const char *s, size_t len);

/* Is the word tok (n bytes) the first token of text (len bytes)? */
static inline bool markset_first_token_is(const char *text, size_t len, const char *tok, size_t n)
{
    if (n > len || memcmp(text, tok, n) != 0)
        return false;
    if (n == len)
        return true;
    unsigned char next = (unsigned char)text[n], first = (unsigned char)tok[0];
    if (next < 0x80 && first < 0x80)
        return !ipr_is_ascii_alnum(next); /* ASCII words: what markset_next_token does */
    size_t pos = 0, ts, te;
    bool cjk;
    return markset_next_token(text, len, &pos, &ts, &te, &cjk) && ts == 0 && te == n;
}

/* The latest form whose first token is tok (n bytes, strmap_hash h), into
 * *form; false when there is none.  The forms with the same first token
 * follow it (markset_next_form). */
static inline bool markset_first_form(const struct markset *ms, const char *tok, size_t n,
                                      uint64_t h, uint32_t *form)
{
    struct formindex_walk w;
    if (!formindex_walk_start(&w, &ms->first, h))
        return false;
    for (uint32_t f; (f = formindex_walk_next(&w)) != UINT32_MAX;) {
        const struct mform *m = &ms->forms[f];
        if (markset_first_token_is(markset_form_text(ms, m), markset_form_len(ms, m), tok, n)) {
            *form = f;
            return true;
        }
    }
    return false;
}

/* Edit distance of at most one (insertion, deletion, substitution or
 * transposition of neighbours) between two byte strings. */
bool markset_within_one_edit(const char *a, size_t alen, const char *b, size_t blen);

#endif
