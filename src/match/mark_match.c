/*
 * mark_match.c - find trademarks in a field however they are disguised, and
 * decide for each hit whether it is a risk.
 *
 * Passes, each over the field normalized with more flags, each labelling
 * the hits it adds (a later pass never re-reports a span an earlier pass
 * found for the same mark):
 *   1. fold                 -> exact, case, alias
 *   2. + confusables        -> confusable   (only when the text is not ASCII)
 *   3. + leetspeak          -> leet         (only when it has leet characters)
 *   4. + separators         -> separator    (only when letters stand apart)
 *   5. near-misses of marks of five or more letters -> fuzzy (lower severity)
 * Then context: a hit after "compatible with / for / fits ..." followed by a
 * model is nominative fair use (not for clothing, jewellery and accessory
 * marks); a mark that is also an ordinary word counts only with words that
 * confirm the brand sense and none of its ordinary sense nearby; a valid
 * authorization of the record's seller for the record's country covers it.
 */
#include "mark_match.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "scanner.h"
#include "value_memo.h"

#define FUZZY_CONFIDENCE 0.6
#define GENERIC_WINDOW   4 /* tokens either side checked for an ordinary-sense word */
#define MODEL_WINDOW     3 /* tokens after a fair-use hit searched for a model */

/* ---- finding spellings ------------------------------------------------------------ */

struct pass {
    unsigned flags;
    const char *kind; /* NULL: decide per hit (pass 1) */
    double confidence;
};

static bool is_sep_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.' || c == '/';
}

/* Compares form f with text at position p: a space in the form matches any
 * run of separators; returns the end position or 0 when it does not match. */
static size_t match_form(const struct markset *ms, const char *text, size_t len, size_t p,
                         const struct mform *f)
{
    const char *form = markset_form_text(ms, f);
    size_t i = 0;
    size_t form_len = markset_form_len(ms, f);
    while (i < form_len) {
        if (p >= len)
            return 0;
        if (form[i] == ' ') {
            if (!is_sep_byte((unsigned char)text[p]))
                return 0;
            while (p < len && is_sep_byte((unsigned char)text[p]))
                p++;
            i++;
            continue;
        }
        if (text[p] != form[i])
            return 0;
        p++;
        i++;
    }
    return p;
}

static uint32_t cp_before(const char *s, size_t at)
{
    size_t i = at;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return norm_utf8_next(s, at, &i);
}

static bool end_ok(const char *text, size_t len, size_t end)
{
    if (end >= len)
        return true;
    uint32_t last = cp_before(text, end);
    if (!norm_is_word_char(last) || norm_is_cjk(last))
        return true;
    size_t i = end;
    uint32_t next = norm_utf8_next(text, len, &i);
    return !norm_is_word_char(next) || norm_is_cjk(next);
}

static bool overlaps_existing(const struct vec *hits, uint32_t mark, size_t a, size_t b,
                              bool any_mark_contains)
{
    for (size_t i = 0; i < hits->count; i++) {
        const struct mark_hit *h = vec_at(hits, i);
        bool overlap = a < h->end && h->start < b;
        if (overlap && h->mark == mark)
            return true;
        if (any_mark_contains && h->start <= a && b <= h->end)
            return true;
    }
    return false;
}

/* Adds a hit; NULL only when memory ran out (*st says so). */
static struct mark_hit *push_hit(struct vec *hits, uint32_t mark, size_t a, size_t b,
                                 const char *kind, double confidence, ipr_status *st)
{
    *st = IPR_OK;
    struct mark_hit *h = vec_push(hits);
    if (!h) {
        *st = IPR_ENOMEM;
        return NULL;
    }
    h->mark = mark;
    h->start = a;
    h->end = b;
    h->kind = kind;
    h->confidence = confidence;
    return h;
}

/* Adds a hit unless one of the same mark overlaps it or one of any mark
 * holds it; NULL when it is not added (*st says whether memory ran out). */
static struct mark_hit *add_hit(struct vec *hits, uint32_t mark, size_t a, size_t b,
                                const char *kind, double confidence, ipr_status *st)
{
    *st = IPR_OK;
    if (overlaps_existing(hits, mark, a, b, true))
        return NULL;
    return push_hit(hits, mark, a, b, kind, confidence, st);
}

/* Pass 1 folds case and compatibility forms: a span that differs from the
 * mark by more than ASCII case (full-width letters, hidden characters,
 * accents) was disguised, so it is labelled confusable. */
static const char *pass1_kind(const struct record_field *f, const char *name, size_t a, size_t b,
                              bool is_alias)
{
    if (is_alias)
        return "alias";
    size_t n = strlen(name);
    if (b - a == n && memcmp(f->value + a, name, n) == 0)
        return "exact";
    if (b - a == n) {
        bool same = true;
        for (size_t i = 0; i < n && same; i++)
            same = ipr_ascii_lower((unsigned char)f->value[a + i]) ==
                   ipr_ascii_lower((unsigned char)name[i]);
        if (same)
            return "case";
    }
    /* plain ASCII differs from the name only by case and accents ("Pokemon"
     * for Pokémon, "Hermes"): an ordinary spelling, not a disguise */
    bool ascii = true;
    for (size_t p = a; p < b && ascii; p++)
        ascii = (unsigned char)f->value[p] < 0x80;
    if (ascii)
        return "case";
    /* inner white space runs ("Louis  Vuitton") are not a disguise */
    size_t i = a, k = 0;
    while (i < b && k < n) {
        unsigned char c = (unsigned char)f->value[i];
        if (ipr_is_ascii_space(c) && name[k] == ' ') {
            while (i < b && ipr_is_ascii_space((unsigned char)f->value[i]))
                i++;
            k++;
            continue;
        }
        if (ipr_ascii_lower(c) != ipr_ascii_lower((unsigned char)name[k]))
            break;
        i++;
        k++;
    }
    return i == b && k == n ? "case" : "confusable";
}

/* A field's folded text made once per record (scanner_field_text), with
 * its tokens (NULL: found as the pass goes). */
struct folded_field {
    const struct norm_text *text;
    const struct text_token *tokens;
    size_t token_count;
};

/* Runs one pass over text (the field value, or a rewritten copy whose byte
 * i came from byte remap[i] of the value; remap NULL: the value itself). */
static ipr_status run_pass(struct ipr_scanner *s, const struct markset *ms,
                           const struct record_field *f, const char *text, size_t text_len,
                           const uint32_t *remap, const struct pass *ps, struct vec *hits,
                           const struct folded_field *pre)
{
    struct norm_text nt;
    ipr_status st = pre ? IPR_OK : normalizer_run(s->norm, text, text_len, ps->flags, &nt);
    if (st != IPR_OK)
        return st;
    if (pre)
        nt = *pre->text;
    struct token_walk walk;
    token_walk_init(&walk, nt.text, nt.len, pre ? pre->tokens : NULL, pre ? pre->token_count : 0);
    size_t ts, te;
    bool cjk;
    while (token_walk_next(&walk, &ts, &te, &cjk)) {
        uint32_t idx;
        if (!markset_first_form(ms, nt.text + ts, te - ts, token_walk_hash(&walk, ts, te), &idx))
            continue;
        const struct mform *best = NULL;
        size_t best_end = 0;
        for (; idx != UINT32_MAX; idx = markset_next_form(ms, idx)) {
            const struct mform *form = &ms->forms[idx];
            size_t end = match_form(ms, nt.text, nt.len, ts, form);
            if (end && end > best_end && end_ok(nt.text, nt.len, end)) {
                best = form;
                best_end = end;
            }
        }
        if (!best)
            continue;
        size_t a, b;
        norm_span_to_source(&nt, ts, best_end, &a, &b);
        if (remap && b > a) {
            a = remap[a];
            b = remap[b - 1] + 1;
        }
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        const char *kind =
            ps->kind ? ps->kind
                     : pass1_kind(f, mark_name(ms->reg, markset_mark(ms, best->mark), spelled), a,
                                  b, best->is_alias);
        if (!add_hit(hits, best->mark, a, b, kind, ps->confidence, &st)) {
            if (st != IPR_OK)
                return st;
            continue;
        }
        if (best_end > ts && cjk)
            token_walk_skip_to(&walk, best_end); /* do not restart inside a matched CJK name */
    }
    return IPR_OK;
}

static ipr_status run_fuzzy(struct ipr_scanner *s, const struct markset *ms, const char *text,
                            size_t text_len, const uint32_t *remap, struct vec *hits,
                            const struct folded_field *pre);

/* "D-Denim T-Tears": a letter, a hyphen and a word starting with the same
 * letter.  The pass reruns on a copy without the stutter. */
static ipr_status run_stutter(struct ipr_scanner *s, const struct markset *ms,
                              const struct record_field *f, struct vec *hits)
{
    const unsigned char *v = (const unsigned char *)f->value;
    size_t n = f->value_len;
    bool any = false;
    /* from hyphen to hyphen (memchr): most values have few or none */
    const unsigned char *dash = n >= 4 ? memchr(v + 1, '-', n - 3) : NULL;
    for (; dash && !any; dash = memchr(dash + 1, '-', (size_t)(v + n - 2 - (dash + 1)))) {
        size_t i = (size_t)(dash - v) - 1;
        any = ipr_is_ascii_alpha(v[i]) && ipr_ascii_lower(v[i + 2]) == ipr_ascii_lower(v[i]) &&
              ipr_is_ascii_alpha(v[i + 3]) && (i == 0 || !ipr_is_ascii_alnum(v[i - 1]));
    }
    if (!any)
        return IPR_OK;
    char *text = arena_alloc(&s->scratch, n + 1);
    uint32_t *remap = arena_alloc(&s->scratch, (n + 1) * sizeof(uint32_t));
    if (!text || !remap)
        return IPR_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 3 < n && ipr_is_ascii_alpha(v[i]) && v[i + 1] == '-' &&
            ipr_ascii_lower(v[i + 2]) == ipr_ascii_lower(v[i]) && ipr_is_ascii_alpha(v[i + 3]) &&
            (i == 0 || !ipr_is_ascii_alnum(v[i - 1]))) {
            i++; /* drop the letter and the hyphen; the span still starts at the letter */
            text[k] = (char)v[i + 1];
            remap[k++] = (uint32_t)(i - 1);
            i++;
            continue;
        }
        text[k] = (char)v[i];
        remap[k++] = (uint32_t)i;
    }
    text[k] = '\0';
    static const struct pass stutter = {NORM_FOLD | NORM_CONFUSABLE, "separator", 0.8};
    ipr_status st = run_pass(s, ms, f, text, k, remap, &stutter, hits, NULL);
    if (st == IPR_OK)
        st = run_fuzzy(s, ms, text, k, remap, hits, NULL);
    return st;
}

/* Can a word of na bytes (its strmap_hash, whether it is ASCII letters
 * alone) be the first part of a split?  Three or more ASCII letters, and
 * in the first parts' filter. */
static bool split_first_part(const struct markset *ms, size_t na, uint64_t hash, bool letters)
{
    return letters && na >= 3 && na + 3 <= ms->split_name_max &&
           hash_filter_may_hold(ms->split_firsts, ms->split_firsts_cap, hash);
}

/* The marks split into words a and b ("otter", "box"), latest first: the
 * marks named by the two words run together.  A name made of them is a
 * form of its mark (not an alias) with nothing after its first token. */
struct split_walk {
    const struct markset *ms;
    uint32_t form; /* the next form to look at; UINT32_MAX ends */
    size_t len;    /* the two words' letters */
};

/* The next mark of the walk, UINT32_MAX at the end. */
static uint32_t split_walk_next(struct split_walk *w)
{
    while (w->form != UINT32_MAX) {
        const struct mform *f = &w->ms->forms[w->form];
        w->form = markset_next_form(w->ms, w->form);
        if (!f->is_alias && markset_form_len(w->ms, f) == w->len)
            return f->mark;
    }
    return UINT32_MAX;
}

/* Starts a walk over the splits of words a and b; key holds
 * split_name_max bytes.  Returns the walk's first mark. */
static uint32_t split_walk_start(struct split_walk *w, const struct markset *ms, const char *text,
                                 size_t a_start, size_t a_end, size_t b_start, size_t b_end,
                                 bool b_letters, char *key)
{
    size_t na = a_end - a_start, nb = b_end - b_start;
    *w = (struct split_walk){ms, UINT32_MAX, na + nb};
    /* the second part too is three or more ASCII letters, and names of
     * fewer than eight letters are not split (see build_splits) */
    if (!b_letters || nb < 3 || na + nb < 8 || na + nb > ms->split_name_max)
        return UINT32_MAX;
    memcpy(key, text + a_start, na);
    memcpy(key + na, text + b_start, nb);
    uint32_t head;
    if (markset_first_form(ms, key, na + nb, strmap_hash(key, na + nb), &head))
        w->form = head;
    return split_walk_next(w);
}

/* "Otter Armor Box": a compound mark split in two with at most one word
 * pushed in between.  Only marks of eight or more letters, split into parts
 * of three or more, so ordinary word pairs do not meet a mark by chance. */
static ipr_status run_split(struct ipr_scanner *s, const struct markset *ms,
                            const struct record_field *f, struct vec *hits,
                            const struct folded_field *folded)
{
    if (!ms->split_name_max)
        return IPR_OK;
    struct norm_text nt;
    ipr_status st =
        folded ? IPR_OK : normalizer_run(s->norm, f->value, f->value_len, NORM_FOLD, &nt);
    if (st != IPR_OK)
        return st;
    if (folded)
        nt = *folded->text;
    struct token_walk walk;
    token_walk_init(&walk, nt.text, nt.len, folded ? folded->tokens : NULL,
                    folded ? folded->token_count : 0);
    size_t starts[64], ends[64], count = 0, ts, te;
    uint64_t hashes[64];
    bool cjk, letters[64];
    while (count < 64 && token_walk_next(&walk, &ts, &te, &cjk)) {
        starts[count] = ts;
        ends[count] = te;
        letters[count] = !cjk && token_walk_letters(&walk, ts, te);
        hashes[count++] = token_walk_hash(&walk, ts, te);
    }
    if (count < 2)
        return IPR_OK;
    char *key = arena_alloc(&s->scratch, ms->split_name_max);
    if (!key)
        return IPR_ENOMEM;
    for (size_t i = 0; i + 1 < count; i++) {
        if (!split_first_part(ms, ends[i] - starts[i], hashes[i], letters[i]))
            continue;
        /* the mark's second part is the next word or the one after it; when
         * both words are the same, the next one is where it is found */
        struct split_walk next_walk, after_walk;
        uint32_t next = split_walk_start(&next_walk, ms, nt.text, starts[i], ends[i], starts[i + 1],
                                         ends[i + 1], letters[i + 1], key);
        uint32_t after = UINT32_MAX;
        if (i + 2 < count && !(ends[i + 1] - starts[i + 1] == ends[i + 2] - starts[i + 2] &&
                               memcmp(nt.text + starts[i + 1], nt.text + starts[i + 2],
                                      ends[i + 1] - starts[i + 1]) == 0))
            after = split_walk_start(&after_walk, ms, nt.text, starts[i], ends[i], starts[i + 2],
                                     ends[i + 2], letters[i + 2], key);
        /* both walks run from the latest mark down, and no mark is in both
         * (its name is one pair of words): merged, they give the marks in
         * the order they were loaded, latest first */
        while (next != UINT32_MAX || after != UINT32_MAX) {
            bool take_next = after == UINT32_MAX || (next != UINT32_MAX && next > after);
            uint32_t mark = take_next ? next : after;
            size_t j = take_next ? i + 1 : i + 2;
            if (take_next)
                next = split_walk_next(&next_walk);
            else
                after = split_walk_next(&after_walk);
            size_t a, b;
            norm_span_to_source(&nt, starts[i], ends[j], &a, &b);
            if (!add_hit(hits, mark, a, b, "separator", 0.7, &st) && st != IPR_OK)
                return st;
        }
    }
    return IPR_OK;
}

/* The lowest-numbered marks a word is a near-miss of, in order, each
 * once: IPR_NEAR_MISS_MAX_MARKS at most, so a word that hundreds of marks
 * surround costs one walk over them and a few hits, not hundreds. */
struct first_marks {
    uint32_t mark[IPR_NEAR_MISS_MAX_MARKS];
    size_t count;
};

static void first_marks_add(struct first_marks *fm, uint32_t mark)
{
    size_t i = 0;
    while (i < fm->count && fm->mark[i] < mark)
        i++;
    if (i == IPR_NEAR_MISS_MAX_MARKS || (i < fm->count && fm->mark[i] == mark))
        return; /* after all that are kept, or kept already */
    size_t kept = fm->count < IPR_NEAR_MISS_MAX_MARKS ? fm->count : IPR_NEAR_MISS_MAX_MARKS - 1;
    memmove(&fm->mark[i + 1], &fm->mark[i], (kept - i) * sizeof(fm->mark[0]));
    fm->mark[i] = mark;
    fm->count = kept + 1;
}

/* Adds the marks of the near-miss forms spelled exactly cand (m bytes)
 * that the matcher reports for tok: the same first letter, and for two
 * words run together only run-together names ("poem on" is not a
 * near-miss of Pokemon).  add_key makes cand one edit from tok; the check
 * below says so where it is read. */
static void add_spelled(const struct markset *ms, const char *cand, size_t m, const char *tok,
                        size_t n, bool pair, struct first_marks *out)
{
    uint32_t idx;
    if (cand[0] != tok[0] || !markset_first_form(ms, cand, m, strmap_hash(cand, m), &idx))
        return;
    for (; idx != UINT32_MAX; idx = markset_next_form(ms, idx)) {
        const struct mform *f = &ms->forms[idx];
        if (f->near && markset_form_len(ms, f) == m &&
            memcmp(markset_form_text(ms, f), cand, m) == 0 &&
            !(pair && f->near != FORM_NEAR_COMPACT) && markset_within_one_edit(tok, n, cand, m))
            first_marks_add(out, f->mark);
    }
}

/* The spellings within one edit of tok that share near-miss key d with it
 * (tok less its d-th letter, or tok itself when d == n): the filter says
 * only that some spelling has the key, so they are found again by the
 * edits that lead through it.  A key of tok less a letter is the spelling
 * itself (tok had a letter more), the spelling less a letter at the same
 * place (a letter changed there) or at the next (two letters swapped);
 * tok itself is a spelling less any letter (tok lacks one).  So every
 * spelling within one edit is found through some key, as the index of
 * keys and spellings found it, and a key that only the filter's error
 * passed costs 27 lookups, or 26 per letter for tok itself. */
static void add_key(const struct markset *ms, const char *tok, size_t n, size_t d, bool pair,
                    struct first_marks *out)
{
    char cand[IPR_NEAR_SPELLING_MAX + 2];
    if (d == n) {
        for (size_t j = 0; j <= n; j++) {
            memcpy(cand, tok, j);
            memcpy(cand + j + 1, tok + j, n - j);
            for (char c = 'a'; c <= 'z'; c++) {
                cand[j] = c;
                add_spelled(ms, cand, n + 1, tok, n, pair, out);
            }
        }
        return;
    }
    memcpy(cand, tok, d);
    memcpy(cand + d, tok + d + 1, n - d - 1);
    add_spelled(ms, cand, n - 1, tok, n, pair, out);
    memcpy(cand, tok, n);
    for (char c = 'a'; c <= 'z'; c++) {
        if (c == tok[d])
            continue;
        cand[d] = c;
        add_spelled(ms, cand, n, tok, n, pair, out);
    }
    if (d + 1 < n && tok[d] != tok[d + 1]) {
        memcpy(cand, tok, n);
        cand[d] = tok[d + 1];
        cand[d + 1] = tok[d];
        add_spelled(ms, cand, n, tok, n, pair, out);
    }
}

/* The marks tok is a near-miss of (the first IPR_NEAR_MISS_MAX_MARKS in
 * registry order) into *out: the keys the filters may hold, then one walk
 * over the spellings each leads to.  A pair of words run together is near
 * a run-together form alone, so only that filter is read for it: the
 * key that leads to such a form is one of the form's own.  Context-free,
 * so the answer "none" is kept per token: listings repeat their
 * vocabulary, and almost every token has no near-miss at all. */
static void near_marks(const struct markset *ms, const char *tok, size_t n, uint64_t h, bool pair,
                       struct first_marks *out)
{
    uint32_t dummy;
    out->count = 0;
    wordset_prefetch(&ms->dictionary, h);
    formindex_prefetch(&ms->first, h);
    if ((!pair && wordset_has(&ms->dictionary, tok, n, h)) ||
        markset_first_form(ms, tok, n, h, &dummy))
        return;
    /* all the keys first, so that their cache misses overlap */
    _Static_assert(IPR_NEAR_SPELLING_MAX <= NEARKEYS_SPELLING_MAX, "every token has its keys");
    uint64_t hashes[IPR_NEAR_SPELLING_MAX + 1];
    nearkeys_spelling_hashes(tok, n, hashes);
    if (pair) {
        for (size_t d = 0; d <= n; d++)
            nearkeys_prefetch(&ms->near_compact, hashes[d]);
        for (size_t d = 0; d <= n; d++)
            if (nearkeys_may_hold(&ms->near_compact, hashes[d]))
                add_key(ms, tok, n, d, pair, out);
        return;
    }
    /* a word is near a run-together form ("Louisvuiton") only if its ends
     * fit one, as a pair's must: most words read the names' filter alone */
    bool compact = n + 1 >= MARKSET_NEAR_COMPACT_MIN && markset_may_be_near_compact(ms, tok, n);
    for (size_t d = 0; d <= n; d++) {
        nearkeys_prefetch(&ms->near, hashes[d]);
        if (compact)
            nearkeys_prefetch(&ms->near_compact, hashes[d]);
    }
    for (size_t d = 0; d <= n; d++)
        if (nearkeys_may_hold(&ms->near, hashes[d]) ||
            (compact && nearkeys_may_hold(&ms->near_compact, hashes[d])))
            add_key(ms, tok, n, d, pair, out);
}

/* The set of two slots where a token is remembered, by its memo hash
 * (memo_hash_of_pair), NULL when the memo cannot be had. */
static struct fuzzy_memo *memo_set(struct ipr_scanner *s, uint64_t memo_hash)
{
    if (!s->fuzzy_memo) {
        s->fuzzy_memo = aligned_alloc(64, IPR_FUZZY_MEMO_SLOTS * sizeof(struct fuzzy_memo));
        if (!s->fuzzy_memo)
            return NULL; /* no memo: every token is looked up */
        memset(s->fuzzy_memo, 0, IPR_FUZZY_MEMO_SLOTS * sizeof(struct fuzzy_memo));
    }
    return &s->fuzzy_memo[(memo_hash & (IPR_FUZZY_MEMO_SLOTS / 2 - 1)) * 2];
}

/* A single token's memo hash is its strmap_hash; two tokens run together
 * take one made of theirs, known before the pair is written out, so its
 * set can be fetched ahead like a single token's.  Any function of the
 * pair will do: the slots hold the text and are compared with it. */
static uint64_t memo_hash_of_pair(uint64_t first, uint64_t second)
{
    return first * 0x9E3779B97F4A7C15ull ^ (second >> 7 | second << 57);
}

#define MEMO_PREFETCH_AHEAD 4 /* words */

static void memo_prefetch(const struct ipr_scanner *s, uint64_t memo_hash)
{
    if (s->fuzzy_memo)
        __builtin_prefetch(&s->fuzzy_memo[(memo_hash & (IPR_FUZZY_MEMO_SLOTS / 2 - 1)) * 2]);
}

/* The memo sets of token i of the list and of the pair it ends. */
static void memo_prefetch_token(const struct ipr_scanner *s, const struct text_token *tokens,
                                size_t i)
{
    memo_prefetch(s, tokens[i].hash);
    if (i > 0)
        memo_prefetch(s, memo_hash_of_pair(tokens[i - 1].hash, tokens[i].hash));
}

static bool memo_holds(const struct fuzzy_memo *slot, const char *tok, size_t n, bool pair)
{
    return slot->len == n && slot->pair == pair && memcmp(slot->tok, tok, n) == 0;
}

/* Remembers tok in its set, the slot used longest ago giving way. */
static void memo_keep(struct fuzzy_memo *set, const char *tok, size_t n, bool pair)
{
    set[1] = set[0];
    memcpy(set[0].tok, tok, n);
    set[0].len = (uint8_t)n;
    set[0].pair = pair;
}

/* Where the text's bytes [ts, te) came from in the value (remap: see
 * run_pass). */
static void source_span(const struct norm_text *nt, size_t ts, size_t te, const uint32_t *remap,
                        size_t *a, size_t *b)
{
    norm_span_to_source(nt, ts, te, a, b);
    if (remap && *b > *a) {
        *a = remap[*a];
        *b = remap[*b - 1] + 1;
    }
}

/* Near-misses of a single token, or of two adjacent tokens run together
 * (against the run-together form of multi-word marks), memo_hash its
 * memo hash (a single token's strmap_hash, a pair's memo_hash_of_pair);
 * nt's bytes [ts, te) are what a hit covers.  The caller has checked n
 * against the bounds. */
static ipr_status fuzzy_candidate(struct ipr_scanner *s, const struct markset *ms, const char *tok,
                                  size_t n, uint64_t memo_hash, const struct norm_text *nt,
                                  size_t ts, size_t te, const uint32_t *remap, bool pair,
                                  struct vec *hits)
{
    struct fuzzy_memo *memo = n <= FUZZY_MEMO_TOKEN ? memo_set(s, memo_hash) : NULL;
    if (memo && (memo_holds(&memo[0], tok, n, pair) || memo_holds(&memo[1], tok, n, pair)))
        return IPR_OK; /* known to have no near-miss */
    struct first_marks near;
    near_marks(ms, tok, n, pair ? strmap_hash(tok, n) : memo_hash, pair, &near);
    if (!near.count) {
        if (memo)
            memo_keep(memo, tok, n, pair);
        return IPR_OK;
    }
    /* A word one edit from several marks ("beata": Beats, Beaka) gets a
     * hit of each over it, in registry order: a rule that wants only some
     * marks (classes, kinds, a price) reports the first it wants there,
     * and still one finding per span (scanner_eval_rule). */
    size_t a, b;
    source_span(nt, ts, te, remap, &a, &b);
    bool placed = false;
    for (size_t i = 0; i < near.count; i++) {
        ipr_status st = IPR_OK;
        struct mark_hit *h;
        if (!placed) {
            h = add_hit(hits, near.mark[i], a, b, "fuzzy", FUZZY_CONFIDENCE, &st);
            if (!h && st == IPR_OK && overlaps_existing(hits, UINT32_MAX, a, b, true))
                return IPR_OK; /* a hit of another pass holds the span: so for every mark */
            placed = h != NULL;
        } else {
            /* beside the first: only a hit of the same mark keeps it out */
            h = overlaps_existing(hits, near.mark[i], a, b, false)
                    ? NULL
                    : push_hit(hits, near.mark[i], a, b, "fuzzy", FUZZY_CONFIDENCE, &st);
        }
        if (st != IPR_OK)
            return st;
        if (h)
            h->severity_drop = 2; /* a misspelling may be a typo: for a person to look at */
    }
    return IPR_OK;
}

static ipr_status run_fuzzy(struct ipr_scanner *s, const struct markset *ms, const char *text,
                            size_t text_len, const uint32_t *remap, struct vec *hits,
                            const struct folded_field *pre)
{
    if (!ms->near.key_count && !ms->near_compact.key_count)
        return IPR_OK;
    /* on the confusable skeleton, so "Gοcci" with a Greek omicron is one
     * letter off Gucci like "Gocci" */
    struct norm_text nt;
    ipr_status st =
        pre ? IPR_OK : normalizer_run(s->norm, text, text_len, NORM_FOLD | NORM_CONFUSABLE, &nt);
    if (st != IPR_OK)
        return st;
    if (pre)
        nt = *pre->text;
    struct token_walk walk;
    token_walk_init(&walk, nt.text, nt.len, pre ? pre->tokens : NULL, pre ? pre->token_count : 0);
    for (size_t i = 0; pre && i + 1 < MEMO_PREFETCH_AHEAD && i < pre->token_count; i++)
        memo_prefetch_token(s, pre->tokens, i);
    size_t ts, te, prev_s = 0, prev_e = 0;
    uint64_t prev_hash = 0;
    bool cjk, have_prev = false;
    char pair[48];
    while (st == IPR_OK && token_walk_next(&walk, &ts, &te, &cjk)) {
        /* the memo sets of the word four on are on their way while this
         * one is looked up: the memo is larger than the first-level cache,
         * and a word it holds is done sooner than the set of the next
         * arrives */
        if (walk.list && walk.next + MEMO_PREFETCH_AHEAD - 1 < walk.count)
            memo_prefetch_token(s, walk.list, walk.next + MEMO_PREFETCH_AHEAD - 1);
        bool letters = !cjk && token_walk_letters(&walk, ts, te);
        uint64_t hash = letters ? token_walk_hash(&walk, ts, te) : 0; /* read only then */
        if (letters) {
            size_t n = te - ts;
            if (n >= IPR_NEAR_SPELLING_MIN && n <= IPR_NEAR_SPELLING_MAX)
                st = fuzzy_candidate(s, ms, nt.text + ts, n, hash, &nt, ts, te, remap, false, hits);
            /* the pair with the previous token, when only a space or hyphen
             * is between; one edit from a run-together form it has at least
             * one letter less than the shortest */
            size_t n1 = prev_e - prev_s, n2 = te - ts;
            bool joined = have_prev && ts - prev_e <= 2 &&
                          n1 + n2 + 1 >= MARKSET_NEAR_COMPACT_MIN &&
                          n1 + n2 <= IPR_NEAR_SPELLING_MAX && n1 + n2 < sizeof(pair);
            for (size_t k = prev_e; joined && k < ts; k++)
                joined = nt.text[k] == ' ' || nt.text[k] == '-';
            if (st == IPR_OK && joined) {
                memcpy(pair, nt.text + prev_s, n1);
                memcpy(pair + n1, nt.text + ts, n2);
                /* most pairs start and end as no multi-word mark does: they
                 * skip the memo and the keys (n1 + n2 >= 7, as `joined` wants) */
                if (markset_may_be_near_compact(ms, pair, n1 + n2))
                    st = fuzzy_candidate(s, ms, pair, n1 + n2, memo_hash_of_pair(prev_hash, hash),
                                         &nt, prev_s, te, remap, true, hits);
            }
        }
        have_prev = letters;
        prev_hash = hash;
        prev_s = ts;
        prev_e = te;
    }
    return st;
}

static bool has_non_ascii(const struct record_field *f)
{
    return !bytescan_all_ascii(f->value, f->value_len);
}

/* Is byte i of the value a leet character next to a letter? */
static bool leet_at(const unsigned char *v, size_t n, size_t i)
{
    static const bool leet[256] = {
        ['0'] = true, ['1'] = true, ['3'] = true, ['4'] = true, ['5'] = true,
        ['7'] = true, ['@'] = true, ['$'] = true, ['!'] = true, ['|'] = true};
    return leet[v[i]] &&
           ((i > 0 && ipr_is_ascii_alpha(v[i - 1])) || (i + 1 < n && ipr_is_ascii_alpha(v[i + 1])));
}

static bool has_leet(const struct record_field *f)
{
    /* a leet character between or next to letters */
    const unsigned char *v = (const unsigned char *)f->value;
    size_t n = f->value_len, i = 0;
#ifdef BYTESCAN_SSE2
    /* sixteen bytes at a time past those without a leet character: most
     * text has a digit or symbol in few of them */
    for (; i + 16 <= n; i += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(v + i));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8('0' - 1)),
                                      _mm_cmpgt_epi8(_mm_set1_epi8('7' + 1), b));
        __m128i symbol = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('@')),
                                                   _mm_cmpeq_epi8(b, _mm_set1_epi8('$'))),
                                      _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('!')),
                                                   _mm_cmpeq_epi8(b, _mm_set1_epi8('|'))));
        /* '2' and '6' pass here and fail leet_at */
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, symbol)); m; m &= m - 1)
            if (leet_at(v, n, i + (size_t)__builtin_ctz(m)))
                return true;
    }
#endif
    for (; i < n; i++)
        if (leet_at(v, n, i))
            return true;
    return false;
}

/* ---- context -------------------------------------------------------------------------- */

/* Lowercased ASCII words of a value, for phrase checks around a hit. */
struct words {
    size_t start[64], end[64];
    size_t count;
};

static void split_words(const char *v, size_t from, size_t to, struct words *w)
{
    w->count = 0;
    size_t pos = from, ts, te;
    bool cjk;
    while (w->count < 64 && markset_next_token(v, to, &pos, &ts, &te, &cjk)) {
        w->start[w->count] = ts;
        w->end[w->count] = te;
        w->count++;
    }
}

static bool word_is(const char *v, size_t a, size_t b, const char *word)
{
    size_t n = strlen(word);
    if (b - a != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ipr_ascii_lower((unsigned char)v[a + i]) != (unsigned char)word[i])
            return false;
    return true;
}

/* Does the text just before `at` end with a compatibility phrase? */
static bool compat_phrase_before(const char *v, size_t at)
{
    static const char *const phrases[][3] = {
        {"compatible", "with", NULL}, {"compatible", "for", NULL}, {"replacement", "for", NULL},
        {"works", "with", NULL},      {"designed", "for", NULL},   {"made", "for", NULL},
        {"suitable", "for", NULL},    {"fits", NULL, NULL},        {"fit", "for", NULL},
        {"for", NULL, NULL},          {"compatible", "con", NULL}, {"para", NULL, NULL},
        {"compatible", "avec", NULL}, {"pour", NULL, NULL},        {"kompatibel", "mit", NULL},
        {"passend", "für", NULL},     {"für", NULL, NULL},         {"compatibile", "con", NULL},
        {"per", NULL, NULL},          {"compatível", "com", NULL}, {"replaces", NULL, NULL},
    };
    static const char *const cjk_phrases[] = {"适用于", "兼容", "适配", "対応", "用"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(cjk_phrases); i++) {
        size_t n = strlen(cjk_phrases[i]);
        size_t p = at;
        while (p > 0 && v[p - 1] == ' ')
            p--;
        if (p >= n && memcmp(v + p - n, cjk_phrases[i], n) == 0)
            return true;
    }
    size_t from = at > 48 ? at - 48 : 0;
    while (from > 0 && ((unsigned char)v[from] & 0xC0) == 0x80)
        from--;
    struct words w;
    split_words(v, from, at, &w);
    for (size_t i = 0; i < IPR_ARRAY_LEN(phrases); i++) {
        size_t words = phrases[i][1] ? 2 : 1;
        if (w.count < words)
            continue;
        size_t first = w.count - words;
        bool all = true;
        for (size_t k = 0; k < words && all; k++)
            all = word_is(v, w.start[first + k], w.end[first + k], phrases[i][k]);
        /* only separators between the phrase and the mark */
        if (all) {
            for (size_t p = w.end[w.count - 1]; p < at && all; p++)
                all = is_sep_byte((unsigned char)v[p]) || v[p] == ':';
        }
        if (all)
            return true;
    }
    return false;
}

/* Is there a model after the mark: a token with a digit, or a product line? */
static bool model_after(const char *v, size_t len, size_t at)
{
    static const char *const lines[] = {
        "iphone",    "ipad",      "ipod",        "macbook", "imac",    "airpods", "galaxy",
        "pixel",     "watch",     "playstation", "xbox",    "switch",  "kindle",  "echo",
        "surface",   "thinkpad",  "mustang",     "civic",   "corolla", "camry",   "accord",
        "f-150",     "golf",      "note",        "tab",     "mate",    "redmi",   "joy-con",
        "dualsense", "dualshock", "gopro",       "hero",    "mavic",   "mini",    "pro",
        "air",       "max",       "plus",        "ultra",   "fold",    "flip"};
    struct words w;
    size_t to = at + 64 < len ? at + 64 : len;
    while (to < len && ((unsigned char)v[to] & 0xC0) == 0x80)
        to++;
    split_words(v, at, to, &w);
    for (size_t i = 0; i < w.count && i < MODEL_WINDOW; i++) {
        for (size_t p = w.start[i]; p < w.end[i]; p++)
            if (ipr_is_ascii_digit((unsigned char)v[p]))
                return true;
        for (size_t k = 0; k < IPR_ARRAY_LEN(lines); k++)
            if (word_is(v, w.start[i], w.end[i], lines[k]))
                return true;
    }
    return false;
}

/* Clothing, jewellery and accessory marks: "for Gucci" sells the mark itself. */
static bool fashion_mark(const struct markset *ms, const struct mark_def *cm)
{
    uint64_t classes = mark_classes(ms->reg, cm);
    const uint64_t fashion =
        (1ull << 14) | (1ull << 18) | (1ull << 25) | (1ull << 26) | (1ull << 3);
    const uint64_t technical =
        (1ull << 7) | (1ull << 9) | (1ull << 11) | (1ull << 12) | (1ull << 21) | (1ull << 8);
    return (classes & fashion) && !(classes & technical);
}

static bool in_list(const char *const *list, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return true;
    return false;
}

/* Words in normalized text that confirm the brand sense: the mark's own
 * context words (strong), or words for goods of its classes (weak). */
static bool text_confirms(const struct markset *ms, const struct mark_def *cm, const char *t,
                          size_t len, size_t skip_a, size_t skip_b, bool own_only)
{
    const struct mark_senses *senses = mark_senses_of(ms, cm);
    size_t pos = 0, ts, te;
    bool cjk;
    while (markset_next_token(t, len, &pos, &ts, &te, &cjk)) {
        if (ts >= skip_a && te <= skip_b)
            continue;
        if (in_list(senses->context, senses->context_count, t + ts, te - ts))
            return true;
        uint32_t idx;
        if (!own_only && strmap_get(&ms->class_words, t + ts, te - ts, &idx) &&
            (ms->class_masks[idx] & mark_classes(ms->reg, cm)))
            return true;
    }
    for (size_t i = 0; !own_only && i < ms->class_phrase_count; i++)
        if ((ms->class_phrase_masks[i] & mark_classes(ms->reg, cm)) &&
            strstr(t, ms->class_phrases[i]))
            return true;
    /* multi-word and CJK context entries ("ralph lauren", "苹果手机") */
    for (size_t i = 0; i < senses->context_count; i++)
        if (markset_is_phrase(senses->context[i], strlen(senses->context[i])) &&
            strstr(t, senses->context[i]))
            return true;
    return false;
}

static bool generic_nearby(const struct mark_senses *senses, const char *t, size_t len, size_t a,
                           size_t b)
{
    struct words w;
    split_words(t, 0, len, &w);
    size_t first = w.count, last = 0;
    for (size_t i = 0; i < w.count; i++) {
        if (w.end[i] > a && w.start[i] < b) {
            if (first == w.count)
                first = i;
            last = i;
        }
    }
    if (first == w.count)
        return false;
    size_t lo = first > GENERIC_WINDOW ? first - GENERIC_WINDOW : 0;
    size_t hi = last + GENERIC_WINDOW < w.count ? last + GENERIC_WINDOW : w.count - 1;
    for (size_t i = lo; i <= hi; i++) {
        if (i >= first && i <= last)
            continue;
        if (in_list(senses->generic, senses->generic_count, t + w.start[i], w.end[i] - w.start[i]))
            return true;
    }
    for (size_t i = 0; i < senses->generic_count; i++) /* multi-word senses ("apple pie") */
        if (markset_is_phrase(senses->generic[i], strlen(senses->generic[i])) &&
            strstr(t, senses->generic[i]))
            return true;
    return false;
}

static const struct record_field *field_named(const struct ipr_record *rec, const char *path)
{
    const struct record_field *f = record_find(rec, path);
    return f && f->value_len ? f : NULL;
}

/* The brand sense of a common-word mark: its own context words win; then an
 * ordinary-sense word nearby means the ordinary word; then words for goods
 * of its classes, in this field or the record's category, confirm it. */
static enum hit_state common_word_state(struct ipr_scanner *s, const struct markset *ms,
                                        const struct mark_def *cm, const struct norm_text *nt,
                                        size_t na, size_t nb)
{
    if (text_confirms(ms, cm, nt->text, nt->len, na, nb, true))
        return HIT_RISK;
    if (generic_nearby(mark_senses_of(ms, cm), nt->text, nt->len, na, nb))
        return HIT_GENERIC;
    /* context_required marks (Gap, Guess, Next) take only their own words */
    bool own_only = mark_context_required(ms->reg, cm);
    if (text_confirms(ms, cm, nt->text, nt->len, na, nb, own_only))
        return HIT_RISK;
    static const char *const category_fields[] = {"category", "product_type", "item_type", "title"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(category_fields); i++) {
        const struct record_field *cf = field_named(s->rec, category_fields[i]);
        if (!cf)
            continue;
        struct norm_text ct;
        ipr_status st = normalizer_run(s->norm, cf->value, cf->value_len, NORM_FOLD, &ct);
        if (st != IPR_OK) {
            scanner_note_error(s, st);
            continue;
        }
        if (text_confirms(ms, cm, ct.text, ct.len, 0, 0, own_only))
            return HIT_RISK;
    }
    return HIT_NO_CONTEXT;
}

/* ---- authorizations ---------------------------------------------------------------------- */

static bool folded_equal(struct ipr_scanner *s, const char *a, const char *b)
{
    ipr_status st = fold_value(s->norm, a, strlen(a), &s->tmp);
    if (st == IPR_OK)
        st = fold_value(s->norm, b, strlen(b), &s->tmp2);
    if (st != IPR_OK) {
        scanner_note_error(s, st);
        return false;
    }
    return strcmp(buf_str(&s->tmp), buf_str(&s->tmp2)) == 0;
}

static bool ascii_iequal(const char *a, size_t alen, const char *b)
{
    size_t n = strlen(b);
    if (alen != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ipr_ascii_lower((unsigned char)a[i]) != ipr_ascii_lower((unsigned char)b[i]))
            return false;
    return true;
}

static void check_authorizations(struct ipr_scanner *s, const struct markset *ms,
                                 struct mark_hit *h)
{
    if (!ms->auth_count)
        return;
    const struct record_field *seller = field_named(s->rec, "seller.id");
    if (!seller)
        seller = field_named(s->rec, "seller_id");
    if (!seller)
        return;
    const struct record_field *country = field_named(s->rec, "target_country");
    const struct record_field *date_field = field_named(s->rec, "shipment.ship_date");
    char date[11] = "";
    if (date_field && date_field->value_len >= 10) {
        memcpy(date, date_field->value, 10);
        date[10] = '\0';
    } else {
        memcpy(date, ms->reference_date, sizeof(date));
    }
    const struct mark_def *cm = markset_mark(ms, h->mark);
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    const char *note = NULL;
    for (size_t i = 0; i < ms->auth_count; i++) {
        const struct authorization *a = &ms->auths[i];
        if (!ascii_iequal(seller->value, seller->value_len, a->seller_id) ||
            !folded_equal(s, a->brand, mark_name(ms->reg, cm, spelled)))
            continue;
        const char *why = NULL;
        char *buf = NULL;
        if (date[0] && a->valid_to[0] && strcmp(date, a->valid_to) > 0)
            why = "expired";
        else if (date[0] && a->valid_from[0] && strcmp(date, a->valid_from) < 0)
            why = "not yet valid";
        else if (country && a->territory_count) {
            bool covered = false;
            for (size_t t = 0; t < a->territory_count && !covered; t++)
                covered = strcmp(a->territories[t], "*") == 0 ||
                          ascii_iequal(country->value, country->value_len, a->territories[t]);
            if (!covered)
                why = "territory";
        }
        if (!why) {
            h->state = HIT_AUTHORIZED;
            return;
        }
        if (note)
            continue;
        size_t cap = 256;
        buf = arena_alloc(&s->scratch, cap);
        if (!buf)
            continue;
        if (strcmp(why, "expired") == 0)
            snprintf(buf, cap, "authorization %s for %s expired on %s",
                     a->id[0] ? a->id : "(no id)", a->brand, a->valid_to);
        else if (strcmp(why, "not yet valid") == 0)
            snprintf(buf, cap, "authorization %s for %s is valid only from %s",
                     a->id[0] ? a->id : "(no id)", a->brand, a->valid_from);
        else
            snprintf(buf, cap, "authorization %s for %s does not cover %.*s",
                     a->id[0] ? a->id : "(no id)", a->brand, (int)country->value_len,
                     country->value);
        note = buf;
    }
    h->note = note;
}

/* ---- per field ------------------------------------------------------------------------------- */

/* Is `prev` a fair-use hit that runs straight into this one ("compatible
 * with Apple iPhone 15": iPhone follows Apple)? */
static bool follows_fair_use(const struct record_field *f, const struct mark_hit *prev,
                             const struct mark_hit *h)
{
    if (!prev || prev->state != HIT_FAIR_USE || prev->end > h->start)
        return false;
    /* only separators and model numbers between ("PlayStation 5 DualSense") */
    bool digit_token = false;
    for (size_t p = prev->end; p < h->start; p++) {
        unsigned char c = (unsigned char)f->value[p];
        if (is_sep_byte(c)) {
            digit_token = false;
            continue;
        }
        if (ipr_is_ascii_digit(c))
            digit_token = true;
        else if (!(ipr_is_ascii_alpha(c) && digit_token))
            return false;
    }
    return true;
}

static ipr_status classify(struct ipr_scanner *s, const struct markset *ms,
                           const struct record_field *f, const struct mark_hit *prev,
                           struct mark_hit *h)
{
    const struct mark_def *cm = markset_mark(ms, h->mark);
    if (!fashion_mark(ms, cm) && follows_fair_use(f, prev, h)) {
        h->state = HIT_FAIR_USE;
        return IPR_OK;
    }
    if (compat_phrase_before(f->value, h->start)) {
        if (!fashion_mark(ms, cm)) {
            if (model_after(f->value, f->value_len, h->end)) {
                h->state = HIT_FAIR_USE;
                return IPR_OK;
            }
            h->severity_drop += 2; /* a vague "for Sony": weaker, still reported */
        }
    }
    /* in a brand field a name is a brand: no ordinary sense to rule out */
    bool brand_field = strstr(f->path, "brand") != NULL || strcmp(f->path, "manufacturer") == 0;
    if (!brand_field && (mark_senses_of(ms, cm)->generic_count || cm->common_word)) {
        struct norm_text nt;
        ipr_status st = normalizer_run(s->norm, f->value, f->value_len, NORM_FOLD, &nt);
        if (st != IPR_OK)
            return st;
        /* copy: the category check below reuses the normalizer */
        char *text = arena_strndup(&s->scratch, nt.text, nt.len);
        if (!text)
            return IPR_ENOMEM;
        /* find the hit's span in normalized text: first byte mapping at or after start */
        size_t na = nt.len, nb = 0;
        for (size_t i = 0; i < nt.len; i++) {
            if (nt.src_start[i] >= h->start && nt.src_start[i] < h->end) {
                if (na == nt.len)
                    na = i;
                nb = i + 1;
            }
        }
        struct norm_text copy = {text, nt.len, NULL, NULL, false};
        if (cm->common_word)
            h->state = common_word_state(s, ms, cm, &copy, na, nb);
        else if (generic_nearby(mark_senses_of(ms, cm), copy.text, copy.len, na, nb) &&
                 !text_confirms(ms, cm, copy.text, copy.len, na, nb, true))
            h->state = HIT_GENERIC; /* "Freeman Dyson", "Mickey Mantle" */
        if (h->state != HIT_RISK)
            return IPR_OK;
    }
    check_authorizations(s, ms, h);
    return IPR_OK;
}

static int cmp_hit_start(const void *pa, const void *pb)
{
    const struct mark_hit *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    /* only the near-misses of one word share a span: in registry order */
    return (a->mark > b->mark) - (a->mark < b->mark);
}

/* Every pass over field fi (f), into hits in text order, unclassified:
 * what the field's value alone gives. */
static ipr_status find_hits(struct ipr_scanner *s, const struct markset *ms, size_t fi,
                            const struct record_field *f, struct vec *out)
{
    struct vec hits = *out;
    static const struct pass passes[] = {
        {NORM_FOLD, NULL, 1.0},
        {NORM_FOLD | NORM_CONFUSABLE, "confusable", 0.9},
        {NORM_FOLD | NORM_CONFUSABLE | NORM_LEET, "leet", 0.85},
        {NORM_ALL, "separator", 0.85},
    };
    bool ascii = !has_non_ascii(f);
    /* the folded text is the scanner's, shared with the term lists */
    const struct norm_text *text = scanner_field_text(s, fi); /* NULL: each pass tries */
    bool want[4] = {true, !ascii, has_leet(f), true};
    struct folded_field folded_field = {text, NULL, 0};
    if (text)
        folded_field.tokens = scanner_field_tokens(s, fi, &folded_field.token_count);
    const struct folded_field *folded = text ? &folded_field : NULL;
    ipr_status st = IPR_OK;
    /* the confusable skeleton: the folded text when it has no character
     * the skeleton changes (ASCII, and most accents and symbols: "€"), and
     * the confusable pass would find only what the first found; else made
     * once for that pass and the near-miss pass, which both read it */
    bool same = ascii;
    if (!ascii && text)
        st = normalizer_skeleton_same(s->norm, text->text, text->len, &same);
    want[1] = !same;
    const struct folded_field *skeleton = same ? folded : NULL;
    struct norm_text skeleton_text;
    struct folded_field skeleton_field = {&skeleton_text, NULL, 0};
    if (st == IPR_OK && !same) {
        struct norm_text nt;
        st = normalizer_run(s->norm, f->value, f->value_len, passes[1].flags, &nt);
        if (st == IPR_OK)
            st = scanner_keep_text(s, &nt, &skeleton_text) ? IPR_OK : IPR_ENOMEM;
        skeleton = &skeleton_field;
    }
    if (st == IPR_OK && skeleton) {
        /* the leet view is the skeleton leet-folded, the separator view
         * that collapsed first: a view that comes out as one searched
         * already (the skeleton: pass 0 or 1) finds only the hits it found.
         * Whether it collapses the skeleton tells at a look most often;
         * whether it folds, the tokens around leet characters */
        const struct norm_text *skel = skeleton->text;
        bool may_collapse = norm_may_collapse(skel->text, skel->len);
        bool collapses = false, folds = false;
        if (may_collapse)
            st = normalizer_obfuscation(s->norm, skel->text, skel->len, &collapses, &folds);
        else if (want[2] || !ascii)
            st = normalizer_leet_folds(s->norm, skel->text, skel->len, &folds);
        if (st == IPR_OK) { /* else no pass runs: the answers are not read */
            /* an ASCII field without letters spaced out is not made the
             * separator view for its leet characters alone */
            want[3] = (may_collapse || !ascii) && (collapses || (folds && !want[2]));
            want[2] = want[2] && folds;
        }
    }
    for (size_t p = 0; st == IPR_OK && p < IPR_ARRAY_LEN(passes); p++)
        if (want[p])
            st = run_pass(s, ms, f, f->value, f->value_len, NULL, &passes[p], &hits,
                          p == 0   ? folded
                          : p == 1 ? skeleton
                                   : NULL);
    if (st == IPR_OK)
        st = run_stutter(s, ms, f, &hits);
    if (st == IPR_OK)
        st = run_split(s, ms, f, &hits, folded);
    if (st == IPR_OK)
        st = run_fuzzy(s, ms, f->value, f->value_len, NULL, &hits, skeleton);
    /* in text order, so a hit can lean on the one before it */
    if (hits.count > 1)
        qsort(hits.items, hits.count, sizeof(struct mark_hit), cmp_hit_start);
    *out = hits;
    return st;
}

const struct field_marks *mark_hits_for_field(struct ipr_scanner *s, size_t fi)
{
    struct norm_cache_entry *ce = scanner_cache(s, fi);
    if (ce->marks.valid)
        return &ce->marks;
    const struct markset *ms = s->rs->marks;
    ce->marks.valid = true;
    ce->marks.count = 0;
    ce->marks.hits = NULL;
    if (!ms || !ms->form_count)
        return &ce->marks;
    const struct record_field *f = &s->rec->fields[fi];
    struct vec hits = s->mark_scratch; /* reused: steady-state scans do not allocate */
    vec_clear(&hits);
    /* the passes read the value alone: a short value seen before has its
     * hits kept, to be classified for this record */
    uint64_t value_hash;
    struct value_memo *memo = scanner_value_memo(s, fi, &value_hash);
    const struct mark_hit *kept;
    size_t kept_count;
    ipr_status st = IPR_OK;
    if (memo && value_memo_marks(memo, value_hash, f->value, f->value_len, &kept, &kept_count)) {
        for (size_t i = 0; st == IPR_OK && i < kept_count; i++) {
            struct mark_hit *h = vec_push(&hits);
            if (h)
                *h = kept[i];
            else
                st = IPR_ENOMEM;
        }
    } else {
        st = find_hits(s, ms, fi, f, &hits);
        if (st == IPR_OK && memo)
            value_memo_keep_marks(memo, value_hash, f->value, f->value_len, hits.items, hits.count);
    }
    for (size_t i = 0; st == IPR_OK && i < hits.count; i++)
        st = classify(s, ms, f, i ? vec_at(&hits, i - 1) : NULL, vec_at(&hits, i));
    if (st == IPR_OK && hits.count) {
        ce->marks.hits = arena_alloc(&s->scratch, hits.count * sizeof(struct mark_hit));
        if (ce->marks.hits) {
            memcpy(ce->marks.hits, hits.items, hits.count * sizeof(struct mark_hit));
            ce->marks.count = hits.count;
        } else {
            st = IPR_ENOMEM;
        }
    }
    if (st != IPR_OK)
        scanner_note_error(s, st);
    s->mark_scratch = hits;
    return &ce->marks;
}
