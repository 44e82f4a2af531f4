/*
 * markset.c - compile the trademark registry for matching (see markset.h).
 *
 * Spellings are normalized with NORM_FOLD | NORM_CONFUSABLE so a registry
 * entry written with an accent or a curly apostrophe meets every way a
 * listing writes it; the match passes then normalize listing text with
 * growing flag sets and compare against the same forms.
 */
#include "markset.h"

#include <pthread.h>
#include <stdlib.h>

#include "../base/buf.h"
#include "../base/bytescan.h"
#include "../base/hugepage.h"
#include "../base/limits.h"

#define NO_NEXT    UINT32_MAX
#define FORM_FLAGS (NORM_FOLD | NORM_CONFUSABLE)

/* One per spelling, of registries of 100,000 marks. */
_Static_assert(sizeof(struct mform) <= 8, "struct mform grew past 8 bytes");

/* End of the word whose letters run up to `from`: word characters that are
 * not CJK (each CJK character is a token of its own). */
static size_t word_end(const char *s, size_t len, size_t from)
{
    size_t end = from;
    while (end < len) {
        size_t next = end;
        uint32_t c2 = norm_utf8_next(s, len, &next);
        if (!norm_is_word_char(c2) || norm_is_cjk(c2))
            break;
        end = next;
    }
    return end;
}

bool markset_next_token(const char *s, size_t len, size_t *pos, size_t *tok_start, size_t *tok_end,
                        bool *is_cjk)
{
    size_t i = *pos;
    const unsigned char *u = (const unsigned char *)s;
    while (i < len) {
        size_t at = i;
        if (u[i] < 0x80) {
            /* ASCII needs no decoding and no Unicode tables (most listing text) */
            if (!ipr_is_ascii_alnum(u[i])) {
                i++;
                continue;
            }
            size_t end = i + 1;
            while (end < len && u[end] < 0x80 && ipr_is_ascii_alnum(u[end]))
                end++;
            if (end < len && u[end] >= 0x80)
                end = word_end(s, len, end); /* "café", "naïve": the word goes on */
            *tok_start = at;
            *tok_end = end;
            *is_cjk = false;
            *pos = end;
            return true;
        }
        uint32_t cp = norm_utf8_next(s, len, &i);
        if (norm_is_cjk(cp)) {
            *tok_start = at;
            *tok_end = i;
            *is_cjk = true;
            *pos = i;
            return true;
        }
        if (norm_is_word_char(cp)) {
            *tok_start = at;
            *tok_end = *pos = word_end(s, len, i);
            *is_cjk = false;
            return true;
        }
    }
    *pos = len;
    return false;
}

static ipr_status push_token(struct vec *out, const char *s, size_t ts, size_t te, bool cjk,
                             bool letters)
{
    struct text_token *t = vec_push(out);
    if (!t)
        return IPR_ENOMEM;
    *t =
        (struct text_token){strmap_hash(s + ts, te - ts), (uint32_t)ts, (uint32_t)te, cjk, letters};
    return IPR_OK;
}

/* Bits [from, to) of a word (to < 64). */
static uint64_t bits_between(unsigned from, unsigned to)
{
    return ((1ull << to) - 1) & ~((1ull << from) - 1);
}

/* markset_tokens for the ASCII bytes [from, to) of s, where a token is a
 * run of letters and digits (none runs on past to): a mask of them 64
 * bytes at a time, and a token between each rising and falling edge of the
 * mask (not a test and a branch a byte). */
static ipr_status ascii_tokens(const char *s, size_t from, size_t to, struct vec *out)
{
    size_t start = from;
    bool open = false;  /* a token started at start and has not ended */
    bool digit = false; /* ... and has a digit in a block before this one */
    uint64_t carry = 0; /* was the byte before this block a letter or digit */
    for (size_t base = from; base < to; base += 64) {
        uint64_t digits;
        uint64_t word = bytescan_alnum_digits64(s + base, to - base, &digits);
        uint64_t edges = word ^ (word << 1 | carry);
        carry = word >> 63;
        unsigned open_bit = 0; /* where the open token's bytes in this block begin */
        for (; edges; edges &= edges - 1) {
            unsigned bit = (unsigned)__builtin_ctzll(edges);
            if (!open) {
                start = base + bit;
                open = true;
                digit = false;
                open_bit = bit;
                continue;
            }
            open = false;
            digit = digit || (digits & bits_between(open_bit, bit));
            ipr_status st = push_token(out, s, start, base + bit, false, !digit);
            if (st != IPR_OK)
                return st;
        }
        if (open) /* on into the next block */
            digit = digit || (digits >> open_bit);
    }
    return open ? push_token(out, s, start, to, false, !digit) : IPR_OK;
}

ipr_status markset_tokens(const char *s, size_t len, struct vec *out)
{
    if (len > UINT32_MAX)
        return IPR_ELIMIT;
    /* ASCII up to the word that meets a character that is not ASCII, a
     * mask at a time; from there one token a character at a time (the word
     * may go on: "café"), then ASCII again: one "€" in a description no
     * longer sends all of it down the slow walk */
    size_t pos = 0;
    while (pos < len) {
        size_t high = pos + bytescan_prefix(s + pos, len - pos, BYTESCAN_STOP_HIGH);
        while (high < len && (unsigned char)s[high] < 0x80)
            high++; /* bytes the word-at-a-time scan left */
        size_t cut = high;
        while (high < len && cut > pos && ipr_is_ascii_alnum((unsigned char)s[cut - 1]))
            cut--;
        ipr_status st = ascii_tokens(s, pos, cut, out);
        if (st != IPR_OK || cut == len)
            return st;
        size_t ts, te;
        bool cjk;
        pos = cut;
        if (!markset_next_token(s, len, &pos, &ts, &te, &cjk))
            return IPR_OK;
        if ((st = push_token(out, s, ts, te, cjk,
                             !cjk && markset_ascii_letters(s + ts, te - ts))) != IPR_OK)
            return st;
    }
    return IPR_OK;
}

bool markset_is_phrase(const char *s, size_t len)
{
    size_t pos = 0, ts, te;
    bool cjk;
    return markset_next_token(s, len, &pos, &ts, &te, &cjk) && (ts != 0 || te != len);
}

bool markset_within_one_edit(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > blen + 1 || blen > alen + 1)
        return false;
    size_t i = 0;
    while (i < alen && i < blen && a[i] == b[i])
        i++;
    if (i == alen && i == blen)
        return true;
    if (alen == blen) {
        /* substitution, or transposition of a[i], a[i+1] */
        if (memcmp(a + i + 1, b + i + 1, alen - i - 1) == 0)
            return true;
        return i + 1 < alen && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, alen - i - 2) == 0;
    }
    if (alen > blen) /* deletion from a */
        return memcmp(a + i + 1, b + i, alen - i - 1) == 0;
    return memcmp(a + i, b + i + 1, blen - i - 1) == 0;
}

/* The normalized text nt.text (len bytes) trimmed, its white space
 * collapsed (the form compare treats one space as any run of separators),
 * into out, len + 1 bytes (never longer than the text), NUL-terminated.
 * Returns its length. */
static size_t collapse_space(const char *text, size_t len, char *out)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (ipr_is_ascii_space((unsigned char)c)) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

ipr_status markset_spelling_copy(struct normalizer *norm, const char *s, struct arena *arena,
                                 const char **out, size_t *out_len)
{
    struct norm_text nt;
    ipr_status st = normalizer_run(norm, s, strlen(s), FORM_FLAGS, &nt);
    if (st != IPR_OK)
        return st;
    char *copy = arena_alloc_text(arena, nt.len + 1);
    if (!copy)
        return IPR_ENOMEM;
    *out_len = collapse_space(nt.text, nt.len, copy);
    *out = copy;
    return IPR_OK;
}

static ipr_status normalized_list(struct normalizer *norm, const char *const *in, size_t n,
                                  struct arena *arena, const char ***out)
{
    *out = NULL; /* most marks have no such words: nothing to allocate */
    if (!n)
        return IPR_OK;
    const char **items = arena_calloc(arena, n, sizeof(char *));
    if (!items)
        return IPR_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        ipr_status st = markset_spelling_copy(norm, in[i], arena, &items[i], &len);
        if (st != IPR_OK)
            return st;
    }
    *out = items;
    return IPR_OK;
}

/* The senses of mark def from its words in `more`, into its record. */
static ipr_status load_senses(struct registry *reg, const struct mark_def *def,
                              const struct mark_more *more, struct normalizer *norm,
                              struct arena *arena)
{
    struct mark_senses *senses = arena_calloc(arena, 1, sizeof(*senses));
    if (!senses)
        return IPR_ENOMEM;
    ipr_status st =
        normalized_list(norm, more->generic_senses, more->generic_count, arena, &senses->generic);
    senses->generic_count = more->generic_count;
    if (st == IPR_OK)
        st = normalized_list(norm, more->context, more->context_count, arena, &senses->context);
    senses->context_count = more->context_count;
    *mark_more_senses_slot(mark_more_record(reg, def)) = senses; /* sensed: it has words */
    return st;
}

struct builder {
    struct markset *ms;
    struct normalizer *norm;
    struct vec forms;
    struct vec next; /* uint32_t per form: the form added before it with the same first
                        token, NO_NEXT for none, until group_forms puts them together */
};

/* The spelling at offset, valid until the next spelling goes in. */
static const char *pool_text(const struct builder *b, uint32_t offset)
{
    return b->ms->spellings.data + offset;
}

/* Room for a spelling of at most max bytes, its length byte before it and
 * a NUL after it, where it is written in place before spelling_commit
 * keeps it (the buffer may move: earlier spellings are read again from
 * their offsets).  NULL with *st IPR_ENOMEM, or IPR_ELIMIT: offsets are
 * 32-bit. */
static char *spelling_room(struct builder *b, size_t max, ipr_status *st)
{
    struct buf *all = &b->ms->spellings;
    *st = max >= UINT32_MAX - 2 - all->len ? IPR_ELIMIT : buf_reserve(all, max + 2);
    return *st == IPR_OK ? all->data + all->len + 1 : NULL;
}

/* Keeps the n bytes written at spelling_room, at *offset. */
static void spelling_commit(struct builder *b, size_t n, uint32_t *offset)
{
    struct buf *all = &b->ms->spellings;
    all->data[all->len] = (char)(n < MARKSET_LONG_SPELLING ? n : MARKSET_LONG_SPELLING);
    *offset = (uint32_t)all->len + 1;
    all->data[*offset + n] = '\0';
    all->len += n + 2;
    all->data[all->len] = '\0'; /* as a buf always ends */
}

/* Spelling s normalized (as markset_spelling_copy) into the spellings, at
 * *offset, *len bytes. */
static ipr_status pool_spelling(struct builder *b, const char *s, uint32_t *offset, size_t *len)
{
    struct norm_text nt;
    ipr_status st = normalizer_run(b->norm, s, strlen(s), FORM_FLAGS, &nt);
    char *at = st == IPR_OK ? spelling_room(b, nt.len, &st) : NULL;
    if (!at)
        return st;
    *len = collapse_space(nt.text, nt.len, at);
    spelling_commit(b, *len, offset);
    return IPR_OK;
}

/* Is the spelling indexed?  Only one that starts with a letter or digit:
 * its first token is the key.  *first_len: that token's length. */
static bool indexable(const char *text, size_t len, size_t *first_len)
{
    size_t pos = 0, ts, te;
    bool cjk;
    if (!len || !markset_next_token(text, len, &pos, &ts, &te, &cjk) || ts != 0 ||
        len >= (1u << 29))
        return false;
    *first_len = te;
    return true;
}

/* Does the spelling get near-miss keys?  Only lowercase ASCII letters, as
 * folding leaves them: the matcher finds a key's spellings again by
 * putting back one letter of a to z (mark_match.c). */
static uint8_t near_kind(const char *norm, size_t len, bool compact)
{
    if (len < (compact ? MARKSET_NEAR_COMPACT_MIN : IPR_NEAR_SPELLING_MIN) ||
        len > IPR_NEAR_SPELLING_MAX)
        return FORM_NEAR_NONE;
    for (size_t i = 0; i < len; i++)
        if (norm[i] < 'a' || norm[i] > 'z')
            return FORM_NEAR_NONE;
    return compact ? FORM_NEAR_COMPACT : FORM_NEAR_NAME;
}

/* The first token of a form being indexed, and the forms so far. */
struct key_of_form {
    const struct builder *b;
    const char *key;
    size_t len;
};

/* Does form `other` start with the same first token? */
static bool same_first_token(void *ctx, uint32_t other)
{
    const struct key_of_form *k = ctx;
    const struct mform *f = vec_at(&k->b->forms, other);
    return markset_first_token_is(pool_text(k->b, f->text), markset_form_len(k->b->ms, f), k->key,
                                  k->len);
}

/* Indexes the spelling of len bytes at offset, if indexable. */
static ipr_status add_form(struct builder *b, uint32_t mark, uint32_t offset, size_t len,
                           bool is_alias, uint8_t near)
{
    const char *text = pool_text(b, offset);
    size_t first;
    if (!indexable(text, len, &first))
        return IPR_OK;
    struct mform *f = vec_push(&b->forms);
    uint32_t *next = f ? vec_push(&b->next) : NULL;
    if (!next) {
        b->forms.count -= f != NULL;
        return IPR_ENOMEM;
    }
    *f = (struct mform){.text = offset, .mark = mark, .is_alias = is_alias, .near = near};
    uint32_t index = (uint32_t)(b->forms.count - 1);
    struct key_of_form key = {b, text, first};
    /* sized for every spelling (forms_of): never full */
    return formindex_exchange(&b->ms->first, strmap_hash(text, first), index, same_first_token,
                              &key, next); /* NO_NEXT if new */
}

/* Puts the forms with the same first token next to each other, the latest
 * first as they chained, and points the index at the first of each: a
 * form then needs no link to the next (4 bytes a form).  Groups go in the
 * order of their latest form. */
static ipr_status group_forms(struct builder *b)
{
    size_t n = b->forms.count;
    uint32_t *next = b->next.items;
    uint32_t *to = malloc((n ? n : 1) * sizeof(uint32_t)); /* old number -> new */
    if (!to)
        return IPR_ENOMEM;
    /* the latest form of a group is no form's next: an unplaced head until
     * its group is placed, when every form gets its number (below n) */
    const uint32_t unplaced_head = UINT32_MAX, follower = UINT32_MAX - 1;
    for (size_t i = 0; i < n; i++)
        to[i] = unplaced_head;
    for (size_t i = 0; i < n; i++)
        if (next[i] != NO_NEXT)
            to[next[i]] = follower;
    struct mform *forms = b->forms.items;
    uint32_t at = 0;
    for (size_t head = 0; head < n; head++) {
        if (to[head] != unplaced_head)
            continue;
        for (uint32_t f = (uint32_t)head; f != NO_NEXT; f = next[f]) {
            to[f] = at++;
            forms[f].last = next[f] == NO_NEXT;
        }
    }
    vec_release(&b->next);
    formindex_renumber(&b->ms->first, to);
    /* each form to its place, in place: a copy of the table beside it was
     * 1 MB more of the 100,000 marks' peak.  A form put where it belongs
     * has its number there marked done (NO_NEXT). */
    for (size_t i = 0; i < n; i++) {
        while (to[i] != NO_NEXT && to[i] != i) {
            uint32_t j = to[i];
            struct mform moved = forms[j];
            forms[j] = forms[i];
            forms[i] = moved;
            to[i] = to[j];
            to[j] = NO_NEXT;
        }
        to[i] = NO_NEXT;
    }
    free(to);
    b->ms->forms = forms;
    b->ms->form_count = n;
    vec_init(&b->forms, sizeof(struct mform)); /* the set owns the table now */
    return IPR_OK;
}

/* Characters a name's run-together form leaves out. */
static bool is_joiner(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '\'' || c == '&' || c == '+';
}

/* At most how many forms the spelling s (as loaded, before normalization)
 * gives: itself, and a run-together form when anything but letters and
 * digits is in it (normalizing never adds a joiner to plain ASCII). */
static size_t forms_of(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!ipr_is_ascii_alnum(*p))
            return 2;
    return 1;
}

/* The run-together form of the spelling of len bytes at offset. */
static ipr_status add_compact(struct builder *b, uint32_t mark, uint32_t offset, size_t len)
{
    /* "louis vuitton" also as "louisvuitton", "ray-ban" as "rayban"; most
     * names are one word and get no second copy */
    const char *norm = pool_text(b, offset);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !is_joiner(norm[i]);
    if (n == len || n < 4)
        return IPR_OK;
    ipr_status st;
    char *compact = spelling_room(b, n, &st);
    if (!compact)
        return st;
    norm = pool_text(b, offset); /* read again: making room may have moved it */
    n = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_joiner(norm[i]))
            compact[n++] = norm[i];
    /* near-misses too: "Louis Vuiton", "Denims Tears" */
    uint8_t near = near_kind(compact, n, true);
    uint32_t at;
    spelling_commit(b, n, &at);
    return add_form(b, mark, at, n, true, near);
}

/* Bits a key of the names' near-miss filter takes, and of the run-together
 * forms'.  Each key that passes costs some 27 lookups, but few words get
 * that far: a word is looked up among the names only when the scanner has
 * not met it before (3,200 in 50 MB of the bench's listings with its
 * 100,000 marks), a pair of words among the run-together forms only when
 * its ends fit one as well (12,000).  So the names' filter (80 % of the
 * keys) takes 4 bits a key, where one absent key in 6 passes: with
 * 100,000 marks 0.9 bytes a mark less than at 5 bits, for 0.2 % more
 * instructions on 10 MB of listings and as many LL misses (cachegrind);
 * but while 8 bits a key fit in NEAR_SMALL_FILTER_BYTES, about what the
 * processor keeps close, it takes 8 (one in 40 passes): the memory is
 * nothing then, and with 10,000 marks 4 bits cost 1 % more instructions.
 * The run-together forms' takes 8 bits (one in 40 passes; 6 bits cost 0.3
 * % more instructions with 100,000 marks for 0.5 bytes a mark).  Blocks are
 * four words below 9 bits a key (nearkeys.h). */
#define NEAR_NAME_BITS          4u
#define NEAR_NAME_BITS_SMALL    8u
#define NEAR_SMALL_FILTER_BYTES (256u * 1024u)
#define NEAR_COMPACT_BITS       8u

static unsigned near_bits(uint8_t kind, size_t keys)
{
    if (kind != FORM_NEAR_NAME)
        return NEAR_COMPACT_BITS;
    return keys <= NEAR_SMALL_FILTER_BYTES * 8 / NEAR_NAME_BITS_SMALL ? NEAR_NAME_BITS_SMALL
                                                                      : NEAR_NAME_BITS;
}

/* The near-miss keys of every form of kind `kind` (form_near), in a
 * filter sized for exactly their number. */
static ipr_status build_near(struct markset *ms, uint8_t kind, struct nearkeys *nk)
{
    size_t keys = 0;
    for (size_t i = 0; i < ms->form_count; i++)
        if (ms->forms[i].near == kind)
            keys += markset_form_len(ms, &ms->forms[i]) + 1u; /* the spelling and each deletion */
    ipr_status st = nearkeys_init(nk, keys, near_bits(kind, keys));
    for (size_t i = 0; st == IPR_OK && i < ms->form_count; i++)
        if (ms->forms[i].near == kind)
            nearkeys_add_spelling(nk, markset_form_text(ms, &ms->forms[i]),
                                  markset_form_len(ms, &ms->forms[i]));
    return st;
}

static ipr_status load_class_words(struct markset *ms, const struct registry *reg,
                                   struct normalizer *norm, struct arena *arena)
{
    size_t total = 0;
    for (size_t i = 0; i < reg->classes.count; i++)
        total += ((const struct class_vocab *)vec_at(&reg->classes, i))->word_count;
    ms->class_masks = arena_calloc(arena, total ? total : 1, sizeof(uint64_t));
    ms->class_phrases = arena_calloc(arena, total ? total : 1, sizeof(char *));
    ms->class_phrase_masks = arena_calloc(arena, total ? total : 1, sizeof(uint64_t));
    if (!ms->class_masks || !ms->class_phrases || !ms->class_phrase_masks)
        return IPR_ENOMEM;
    for (size_t i = 0; i < reg->classes.count; i++) {
        const struct class_vocab *v = vec_at(&reg->classes, i);
        for (size_t w = 0; w < v->word_count; w++) {
            const char *word;
            size_t wlen;
            ipr_status st = markset_spelling_copy(norm, v->words[w], arena, &word, &wlen);
            if (st != IPR_OK)
                return st;
            if (markset_is_phrase(word, wlen)) {
                /* phrases are checked as substrings of the normalized text */
                ms->class_phrases[ms->class_phrase_count] = word;
                ms->class_phrase_masks[ms->class_phrase_count++] = 1ull << v->cls;
                continue;
            }
            uint32_t idx;
            if (!strmap_get(&ms->class_words, word, wlen, &idx)) {
                idx = (uint32_t)ms->class_mask_count++;
                if ((st = strmap_put(&ms->class_words, word, wlen, idx)) != IPR_OK)
                    return st;
            }
            ms->class_masks[idx] |= 1ull << v->cls;
        }
    }
    return IPR_OK;
}

/* The ends of the run-together forms with near-misses (eight letters or
 * more), for markset_may_be_near_compact: MARKSET_END_BITS bits for each
 * of the six a form sets. */
#define MARKSET_END_BITS 8u

static ipr_status build_compact_ends(struct markset *ms)
{
    size_t forms = 0;
    for (size_t f = 0; f < ms->form_count; f++)
        forms += ms->forms[f].near == FORM_NEAR_COMPACT;
    if (!forms)
        return IPR_OK;
    uint64_t want = (uint64_t)forms * 6 * MARKSET_END_BITS;
    size_t bits = (size_t)(want < UINT32_MAX - 63 ? (want + 63) & ~(uint64_t)63 : UINT32_MAX - 63);
    ms->compact_ends = hugepage_alloc_table(bits / 8, NULL);
    if (!ms->compact_ends)
        return IPR_ENOMEM;
    ms->compact_ends_bits = bits;
    for (size_t f = 0; f < ms->form_count; f++) {
        if (ms->forms[f].near != FORM_NEAR_COMPACT)
            continue;
        const char *s = markset_form_text(ms, &ms->forms[f]);
        size_t len = markset_form_len(ms, &ms->forms[f]);
        for (size_t n = len - 1; n <= len + 1; n++) {
            size_t k = markset_end_len(n), head = markset_end_bit(ms, s, k, n, false),
                   tail = markset_end_bit(ms, s + len - k, k, n, true);
            ms->compact_ends[head >> 6] |= 1ull << (head & 63);
            ms->compact_ends[tail >> 6] |= 1ull << (tail & 63);
        }
    }
    return IPR_OK;
}

/* May the folded name be cut in two?  Eight or more ASCII letters. */
static bool splittable(const char *name, size_t n)
{
    bool letters = n >= 8;
    for (size_t i = 0; i < n && letters; i++)
        letters = ipr_is_ascii_alpha((unsigned char)name[i]);
    return letters;
}

/* The first parts of every cut into the filter.  The pairs themselves are
 * not kept: a split's two parts run together are the mark's name, which
 * the first-token index holds as a form.  A name that may be split is
 * letters alone, so it is its own first token and has a form: the
 * forms that are no alias are every such name. */
static ipr_status build_splits(struct markset *ms)
{
    /* every cut leaves three or more letters on each side */
    size_t total = 0;
    for (size_t f = 0; f < ms->form_count; f++) {
        const struct mform *form = &ms->forms[f];
        size_t n = markset_form_len(ms, form);
        if (!form->is_alias && splittable(markset_form_text(ms, form), n)) {
            total += n - 5;
            if (n > ms->split_name_max)
                ms->split_name_max = n;
        }
    }
    if (!total)
        return IPR_OK;
    /* 4 to 8 bits a cut: many names share their first cuts, so there are
     * fewer first parts than `total` (78,421 of 179,444 cuts for the
     * benchmark's 100,000 marks).  Sized as a table of `total` keys at half load
     * (16 to 32 bits a cut), the filter was 512 KB, 5 bytes a mark, and let
     * 0.1 % of other words through; now 128 KB and 2 % (test_compile_splits),
     * and a word that passes costs one look in the first-token index */
    size_t cap = 64;
    while (cap * 2 < total)
        cap *= 2;
    ms->split_firsts = hugepage_alloc_table(cap, NULL);
    if (!ms->split_firsts)
        return IPR_ENOMEM;
    ms->split_firsts_cap = cap;
    for (size_t f = 0; f < ms->form_count; f++) {
        const struct mform *form = &ms->forms[f];
        const char *name = markset_form_text(ms, form);
        size_t n = markset_form_len(ms, form);
        if (form->is_alias || !splittable(name, n))
            continue;
        for (size_t cut = 3; cut + 3 <= n; cut++)
            hash_filter_set(ms->split_firsts, cap, strmap_hash(name, cut));
    }
    return IPR_OK;
}

/* A part of the build that may run on a thread of its own (markset_build
 * with two threads): the dictionary while the marks are read, the names'
 * near-miss filter while the rest is made.  Each writes only its own
 * member of the set and reads nothing another part writes meanwhile. */
struct side_job {
    struct markset *ms;
    char *words; /* the dictionary's job: the list, its length and allocation */
    size_t words_len, words_alloc;
    ipr_status status;
    pthread_t thread;
    bool beside; /* runs on `thread`, to be joined */
};

static void *build_dictionary(void *arg)
{
    struct side_job *j = arg;
    j->status = wordset_build(&j->ms->dictionary, j->words, j->words_len, j->words_alloc);
    return NULL;
}

static void *build_name_keys(void *arg)
{
    struct side_job *j = arg;
    j->status = build_near(j->ms, FORM_NEAR_NAME, &j->ms->near);
    return NULL;
}

/* Starts job j: on a thread of its own when `threads` allows, else here. */
static void side_start(struct side_job *j, void *(*run)(void *), unsigned threads)
{
    j->beside = threads >= 2 && pthread_create(&j->thread, NULL, run, j) == 0;
    if (!j->beside)
        run(j);
}

/* Waits for job j; its outcome joins *st. */
static void side_finish(struct side_job *j, ipr_status *st)
{
    if (j->beside)
        pthread_join(j->thread, NULL);
    j->beside = false;
    if (*st == IPR_OK)
        *st = j->status;
}

/* Which marks are ordinary words (mark_def.common_word), once the
 * dictionary is made: the marks of the name forms among the count forms
 * (a matched mark has one; the others stay false).  Each lookup lands
 * anywhere in a table of megabytes: the slot of the name a few on is
 * fetched first.  The forms say where each name is spelled, where a
 * table of it by mark was 4 bytes a mark of the peak. */
static void mark_common_words(struct markset *ms, const struct mform *forms, size_t count)
{
    enum { AHEAD = 8 };
    uint64_t hash[AHEAD] = {0};
    size_t len[AHEAD] = {0}, name[AHEAD] = {0}, names = 0;
    for (size_t i = 0, asked = 0; i < count || asked < names;) {
        if (i < count && asked + AHEAD > names) { /* the slot of the next name asked for */
            const struct mform *f = &forms[i++];
            if (f->is_alias)
                continue;
            size_t at = names++ % AHEAD;
            name[at] = (size_t)(f - forms);
            len[at] = markset_spelling_len(ms, f->text);
            hash[at] = strmap_hash(ms->spellings.data + f->text, len[at]);
            wordset_prefetch(&ms->dictionary, hash[at]);
            continue;
        }
        size_t at = asked++ % AHEAD; /* the name asked for AHEAD names ago, or the last ones */
        const struct mform *f = &forms[name[at]];
        struct mark_def *def = markset_mark(ms, f->mark);
        def->common_word =
            mark_context_required(ms->reg, def) ||
            wordset_has(&ms->dictionary, ms->spellings.data + f->text, len[at], hash[at]);
    }
}

ipr_status markset_build(struct markset *ms, struct registry *reg, char *word_list,
                         size_t word_list_len, size_t word_list_alloc, unsigned threads,
                         struct normalizer *norm, struct arena *arena)
{
    memset(ms, 0, sizeof(*ms));
    buf_init(&ms->spellings, 0);
    strmap_init(&ms->class_words);
    struct builder b = {.ms = ms, .norm = norm};
    vec_init(&b.forms, sizeof(struct mform));
    vec_init(&b.next, sizeof(uint32_t));
    /* the dictionary first, which takes the list even if nothing else is
     * made; on a thread of its own, while the marks are read: only the
     * marks' common_word wants it, once they are all in */
    struct side_job words = {.ms = ms,
                             .words = word_list,
                             .words_len = word_list_len,
                             .words_alloc = word_list_alloc,
                             .status = IPR_OK};
    if (word_list)
        side_start(&words, build_dictionary, threads);
    ipr_status st = reg->mark_count > MARKSET_MAX_MARKS ? IPR_ELIMIT : IPR_OK;
    ms->mark_count = st == IPR_OK ? reg->mark_count : 0;
    ms->mark_blocks = reg->mark_blocks.items;
    ms->reg = reg;
    /* sized once, to what the spellings can give: a table of two forms a
     * mark, the guess this replaced, was 2 MB of the 100,000 marks' peak */
    size_t forms = 0, text_bytes = 0;
    for (size_t i = 0; i < ms->mark_count; i++) {
        const struct mark_def *def = registry_mark(reg, i);
        struct mark_more view = mark_more_of(reg, def);
        const struct mark_more *more = &view;
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        const char *name = mark_name(reg, def, spelled);
        size_t n = forms_of(name);
        forms += n;
        text_bytes += n * (strlen(name) + 1);
        for (size_t a = 0; a < more->alias_count; a++) {
            n = forms_of(more->aliases[a]);
            forms += n;
            text_bytes += n * (strlen(more->aliases[a]) + 1);
        }
    }
    if (st == IPR_OK)
        st = forms >= UINT32_MAX ? IPR_ELIMIT : formindex_init(&ms->first, forms, (uint32_t)forms);
    if (st == IPR_OK) /* most spellings normalize to as many bytes, and a length byte */
        st = buf_reserve(&ms->spellings, text_bytes + forms);
    if (st == IPR_OK)
        st = vec_reserve(&b.forms, forms);
    if (st == IPR_OK)
        st = vec_reserve(&b.next, forms);
    for (size_t i = 0; st == IPR_OK && i < ms->mark_count; i++) {
        struct mark_def *def = markset_mark(ms, i);
        def->common_word = false;
        if (mark_status_of(reg, def) == MARK_EXPIRED)
            continue; /* an expired registration protects nothing: never matched */
        uint32_t name;
        size_t name_len;
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        const char *as_kept = mark_name(reg, def, spelled);
        st = pool_spelling(&b, as_kept, &name, &name_len);
        if (st == IPR_OK) {
            const char *text = pool_text(&b, name);
            /* a name that is its spelling with the case put back is not
             * kept twice (registry_keep_spelled_names, below) */
            enum mark_case how = def->name_case != MARK_CASE_KEPT
                                     ? MARK_CASE_KEPT
                                     : mark_case_of(as_kept, text, name_len);
            if (how != MARK_CASE_KEPT) {
                def->name = name;
                def->name_case = how;
            }
        }
        if (st == IPR_OK)
            st = add_form(&b, (uint32_t)i, name, name_len, false,
                          near_kind(pool_text(&b, name), name_len, false));
        if (st == IPR_OK)
            st = add_compact(&b, (uint32_t)i, name, name_len);
        struct mark_more view = mark_more_of(reg, def);
        const struct mark_more *more = &view;
        for (size_t a = 0; st == IPR_OK && a < more->alias_count; a++) {
            uint32_t alias;
            size_t alias_len;
            st = pool_spelling(&b, more->aliases[a], &alias, &alias_len);
            if (st == IPR_OK)
                st = add_form(&b, (uint32_t)i, alias, alias_len, true, FORM_NEAR_NONE);
            if (st == IPR_OK)
                st = add_compact(&b, (uint32_t)i, alias, alias_len);
        }
        if (st == IPR_OK && (more->generic_count || more->context_count))
            st = load_senses(reg, def, more, norm, arena);
    }
    if (word_list)
        side_finish(&words, &st);
    if (st == IPR_OK)
        mark_common_words(ms, b.forms.items, b.forms.count);
    /* the spellings are all in: names read from them from now on, and
     * the text they leave is given back before the tables below are
     * made, which keeps it out of the peak */
    reg->spelled = ms->spellings.data;
    if (st == IPR_OK)
        st = registry_keep_spelled_names(reg, ms->spellings.data);
    if (st == IPR_OK)
        st = load_class_words(ms, reg, norm, arena);
    if (st == IPR_OK)
        st = group_forms(&b);
    /* the names' near-miss keys (most of them) beside the rest */
    struct side_job name_keys = {.ms = ms, .status = IPR_OK};
    if (st == IPR_OK)
        side_start(&name_keys, build_name_keys, threads);
    if (st == IPR_OK)
        st = build_near(ms, FORM_NEAR_COMPACT, &ms->near_compact);
    if (st == IPR_OK)
        st = build_splits(ms);
    if (st == IPR_OK)
        st = build_compact_ends(ms);
    side_finish(&name_keys, &st);
    ms->auths = reg->authorizations.count ? reg->authorizations.items : NULL;
    ms->auth_count = reg->authorizations.count;
    vec_release(&b.forms);
    vec_release(&b.next);
    return st;
}

void markset_release(struct markset *ms)
{
    free(ms->forms);
    buf_release(&ms->spellings);
    formindex_release(&ms->first);
    nearkeys_release(&ms->near);
    nearkeys_release(&ms->near_compact);
    wordset_release(&ms->dictionary);
    hugepage_free(ms->split_firsts, ms->split_firsts_cap);
    hugepage_free(ms->compact_ends, ms->compact_ends_bits / 8);
    strmap_release(&ms->class_words);
}
