/*
 * prefilter.c - build and run the per-field prefilter (see prefilter.h).
 *
 * The regex side is a prefix index: a table of 64 K bytes over a hash of
 * four bytes tells in one load whether any atom of four or more bytes may
 * start at a position, and only then is the bucket's chain compared; atoms
 * of two or three bytes have a second such table over their first two
 * bytes.  A position is tested in both at once, and the last two, where
 * four bytes are not left, in the second alone; a byte per entry, not a
 * bit, makes each test a load and a compare.  Atoms are at least two bytes
 * long, so this never misses one.  The caseless-matching oddities of
 * PCRE2 that map a non-ASCII character onto an ASCII letter (KELVIN SIGN, LONG S) are folded too,
 * so a caseless regex is never skipped wrongly.
 *
 * Which positions are tested: in a field that is all ASCII, every one, in
 * the field itself (keys ignore case, comparisons fold letters, but an
 * atom of a case-sensitive regex is compared with its case), or only
 * those where a word starts when every atom is marked to start a word
 * (atoms.h); in any other field, every position of a lowercased copy.  An
 * atom marked to start a word is passed over after an ASCII letter, digit
 * or '_' wherever it is looked for, and one that digits must follow
 * (atom_set.digit_after) where they do not.
 *
 * A regex without atoms is a candidate where the field holds the bytes its
 * matches need (pf_bytes) and, if every match is a run of letters and
 * digits, such a run as long as its shortest match.
 *
 * Atoms of the compact view (regexes of spaced-out letters, which have none
 * of their own) are searched in a copy of the field's letters and digits
 * alone, by a table over their first two characters: 36 x 36 entries; when
 * every such regex is letters spaced out that must stand alone
 * (atoms_spaced_letters), only in a field that has as many such letters.
 */
#include "prefilter.h"

#include <limits.h>
#include <stdlib.h>

#include "../base/bytescan.h"
#include "chains.h"
#include "markset.h"
#include "ruleset.h"

#define NO_NEXT UINT32_MAX

/* The keys below are taken with bit 0x20 of every byte set: an ASCII
 * capital and its small letter give the same key, so a field that is all
 * ASCII is searched where it lies, without a lowercased copy; the few
 * other bytes it merges ('@' and '`', '[' and '{', ...) only cost a
 * comparison. */

/* The first two bytes at s, in the machine's byte order (one load). */
static uint32_t bigram(const char *s)
{
    uint16_t w;
    memcpy(&w, s, 2);
    return (uint32_t)(w | 0x2020u);
}

/* The key of a compact-view string's first two characters, each a
 * lowercase ASCII letter or a digit. */
static uint32_t compact_key(const char *s)
{
    unsigned a = (unsigned char)s[0], b = (unsigned char)s[1];
    a = a <= '9' ? a - '0' : a - 'a' + 10;
    b = b <= '9' ? b - '0' : b - 'a' + 10;
    return a * 36 + b;
}

/* 16 bits of the first four bytes at s (multiplicative hashing). */
static uint32_t quad(const char *s)
{
    uint32_t w;
    memcpy(&w, s, 4);
    return ((w | 0x20202020u) * 2654435761u) >> 16;
}

/* text and atom (lowercase) agree on len bytes, text read as with
 * lower_copy when `fold` (an all-ASCII field: only letters change). */
static inline IPR_ALWAYS_INLINE bool atom_equal(const char *text, const char *atom, size_t len,
                                                bool fold)
{
    if (!fold)
        return memcmp(text, atom, len) == 0;
    for (size_t i = 0; i < len; i++)
        if ((char)ipr_ascii_lower((unsigned char)text[i]) != atom[i])
            return false;
    return true;
}

/* Does atom a occur at text?  In an all-ASCII field (`fold`), which is
 * read where it lies, an atom of a case-sensitive pattern is compared as
 * the pattern spells it: "AT" of an IBAN's country codes is not "at" of
 * every sentence.  A lowered copy (any other field) has lost the case, and
 * keeps the lowered comparison: more candidates, never fewer. */
static inline IPR_ALWAYS_INLINE bool atom_at(const char *text, const struct pf_atom *a, bool fold)
{
    if (fold && a->exact)
        return memcmp(text, a->exact, a->len) == 0;
    return atom_equal(text, a->text, a->len, fold);
}

struct pf_builder {
    struct prefilter *pf;
    struct vec bytes;   /* struct pf_bytes */
    struct vec atoms;   /* struct pf_atom */
    struct vec compact; /* struct pf_atom, of the compact view */
    struct vec terms;   /* struct pf_term */
    struct vec loose;
    struct vec always; /* bool per regex */
    struct arena *arena;
    bool spaced;           /* every regex with compact atoms so far is of letters spaced out */
    size_t spaced_letters; /* the fewest letters of their matches */
    size_t spaced_gap;     /* the most bytes between two */
};

/* Sets bit u of set (256 bits) and, when the pattern may be caseless,
 * every byte caseless matching could put in its place: PCRE2 does not say
 * whether a first or required code unit is caseless, so it is assumed.
 * False when the partners are unknown (a non-ASCII unit). */
static bool add_unit(uint8_t *set, uint32_t u)
{
    if (u >= 0x80)
        return false;
    set[u >> 3] |= (uint8_t)(1u << (u & 7));
    if (ipr_is_ascii_alpha((unsigned char)u)) {
        unsigned lower = ipr_ascii_lower((unsigned char)u), upper = lower - 'a' + 'A';
        set[lower >> 3] |= (uint8_t)(1u << (lower & 7));
        set[upper >> 3] |= (uint8_t)(1u << (upper & 7));
        set[0xE2 >> 3] |= (uint8_t)(1u << (0xE2 & 7)); /* KELVIN SIGN U+212A is a k */
        set[0xC5 >> 3] |= (uint8_t)(1u << (0xC5 & 7)); /* LONG S U+017F is an s */
    }
    return true;
}

/* The members of a 256-bit set as a list; false when more than cap. */
static bool set_list(const uint8_t *set, uint8_t *list, size_t cap, uint8_t *count)
{
    size_t n = 0;
    for (unsigned b = 0; b < 256; b++) {
        if (!((set[b >> 3] >> (b & 7)) & 1u))
            continue;
        if (n == cap)
            return false;
        list[n++] = (uint8_t)b;
    }
    *count = (uint8_t)n;
    return true;
}

/* Bytes every match of code needs, from PCRE2's start-of-match and
 * required-code-unit analysis; false when it knows none that filter. */
static bool regex_bytes(const pcre2_code *code, struct pf_bytes *out)
{
    uint32_t first_type = 0, last_type = 0, unit = 0;
    const uint8_t *bitmap = NULL;
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first_type) != 0 ||
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 ||
        pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &last_type) != 0)
        return false;
    memset(out, 0, sizeof(*out));
    uint8_t first[32] = {0}, last[32] = {0};
    bool has_first = false, has_last = false;
    if (first_type == 1 && pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0)
        has_first = add_unit(first, unit);
    else if (first_type == 0 && bitmap) {
        memcpy(first, bitmap, sizeof(first)); /* PCRE2 skips start positions by it: complete */
        has_first = true;
    }
    if (last_type == 1 && pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &unit) == 0)
        has_last = add_unit(last, unit);
    /* a long list of first bytes (every letter) filters too little to check */
    if (has_first && !set_list(first, out->first, sizeof(out->first), &out->first_count))
        out->first_count = 0;
    if (has_last && !set_list(last, out->need, sizeof(out->need), &out->need_count))
        out->need_count = 0;
    return out->first_count || out->need_count;
}

/* regex_bytes, with the set of bytes the atom parser found required (one
 * of which a match needs) in place of PCRE2's when it is rarer: PCRE2
 * names the last byte a match requires, "." after the "@" of an e-mail
 * address. */
static bool required_bytes(const pcre2_code *code, const struct atom_set *set, struct pf_bytes *out)
{
    bool have = regex_bytes(code, out);
    if (!set->required_count)
        return have;
    if (!have)
        memset(out, 0, sizeof(*out));
    /* a set is as weak as its commonest byte */
    unsigned theirs = 0, ours = 0;
    for (size_t i = 0; i < out->need_count; i++)
        theirs = atoms_byte_rank(out->need[i]) > theirs ? atoms_byte_rank(out->need[i]) : theirs;
    for (size_t i = 0; i < set->required_count; i++)
        ours = atoms_byte_rank(set->required[i]) > ours ? atoms_byte_rank(set->required[i]) : ours;
    if (!out->need_count || ours < theirs) {
        _Static_assert(sizeof(out->need) >= ATOM_REQUIRED_MAX, "room for a required set");
        memcpy(out->need, set->required, set->required_count);
        out->need_count = (uint8_t)set->required_count;
    }
    return true;
}

/* A run of letters and digits this long is rare enough in listing text to
 * be worth looking for. */
#define PF_RUN_MIN 8u

/* Letters spaced out further than this are not looked for alone: the
 * bytes between two are compared one by one. */
#define PF_SPACED_GAP_MAX 8u

static ipr_status add_regex(struct pf_builder *b, struct ccond *c)
{
    c->pf_id = b->pf->regex_count++;
    bool *always = vec_push(&b->always);
    if (!always)
        return IPR_ENOMEM;
    struct atom_set set;
    /* declared keywords stand in for what the parser would find */
    ipr_status st = c->src->u.regex.keyword_count
                        ? atoms_from_keywords(c->src->u.regex.keywords,
                                              c->src->u.regex.keyword_count, b->arena, &set)
                        : atoms_extract(c->src->u.regex.pattern, b->arena, &set);
    if (st != IPR_OK)
        return st;
    /* without atoms of its own, a regex of spaced-out letters has some in
     * the compact view */
    struct atom_set compact = {0};
    if (!set.count && !c->src->u.regex.keyword_count &&
        (st = atoms_extract_compact(c->src->u.regex.pattern, b->arena, &compact)) != IPR_OK)
        return st;
    size_t letters, gap;
    if (compact.count && atoms_spaced_letters(c->src->u.regex.pattern, &letters, &gap) &&
        gap <= PF_SPACED_GAP_MAX) {
        b->spaced_letters = letters < b->spaced_letters ? letters : b->spaced_letters;
        b->spaced_gap = gap > b->spaced_gap ? gap : b->spaced_gap;
    } else if (compact.count) {
        b->spaced = false;
    }
    for (size_t i = 0; i < compact.count; i++) {
        struct pf_atom *a = vec_push(&b->compact);
        if (!a)
            return IPR_ENOMEM;
        *a = (struct pf_atom){.text = compact.atoms[i],
                              .len = (uint32_t)compact.lens[i],
                              .regex = c->pf_id,
                              .next = NO_NEXT,
                              .skip = NO_NEXT};
    }
    c->has_atoms = set.count > 0 || compact.count > 0;
    c->prefiltered = c->has_atoms;
    struct pf_bytes need;
    size_t run = c->src->u.regex.keyword_count ? 0 : atoms_alnum_run(c->src->u.regex.pattern);
    bool have_bytes = !c->has_atoms && required_bytes(c->re.code, &set, &need);
    if (!c->has_atoms && run >= PF_RUN_MIN) {
        if (!have_bytes)
            memset(&need, 0, sizeof(need));
        need.alnum_run = (uint16_t)run;
        have_bytes = true;
    }
    if (have_bytes) {
        struct pf_bytes *slot = vec_push(&b->bytes);
        if (!slot)
            return IPR_ENOMEM;
        *slot = need;
        slot->regex = c->pf_id;
        c->prefiltered = true;
    }
    *always = !c->prefiltered;
    for (size_t i = 0; i < set.count; i++) {
        struct pf_atom *a = vec_push(&b->atoms);
        if (!a)
            return IPR_ENOMEM;
        a->text = set.atoms[i];
        a->exact = set.exact ? set.exact[i] : NULL;
        a->len = (uint32_t)set.lens[i];
        a->regex = c->pf_id;
        a->word_start = set.word_start[i];
        a->digit_after = set.digit_after ? set.digit_after[i] : 0;
    }
    return IPR_OK;
}

static ipr_status add_terms(struct pf_builder *b, struct ccond *c)
{
    c->pf_id = b->pf->termset_count++;
    for (size_t i = 0; i < c->terms.count; i++) {
        const struct cterm *t = &c->terms.terms[i];
        size_t pos = 0, ts, te;
        bool cjk;
        bool keyed = markset_next_token(t->norm, t->norm_len, &pos, &ts, &te, &cjk) && ts == 0;
        struct pf_term *e = vec_push(keyed ? &b->terms : &b->loose);
        if (!e)
            return IPR_ENOMEM;
        e->set = &c->terms;
        e->set_id = c->pf_id;
        e->term = (uint32_t)i;
        e->next = NO_NEXT; /* chains are built once all terms are in: the vector moves */
    }
    return IPR_OK;
}

static ipr_status walk(struct pf_builder *b, struct ccond *c)
{
    ipr_status st = IPR_OK;
    if (c->kind == COND_REGEX)
        st = add_regex(b, c);
    else if (c->kind == COND_TERMS)
        st = add_terms(b, c);
    for (size_t i = 0; st == IPR_OK && i < c->item_count; i++)
        st = walk(b, c->items[i]);
    return st;
}

static const struct cterm *pf_term_text(const struct pf_term *e)
{
    return &e->set->terms[e->term];
}

/* Terms by their text; 0 for the same text (so the same boundaries:
 * termset.c). */
static int compare_terms(const void *pa, const void *pb)
{
    const struct cterm *x = pf_term_text(pa), *y = pf_term_text(pb);
    if (x->norm_len != y->norm_len)
        return x->norm_len < y->norm_len ? -1 : 1;
    return x->norm == y->norm ? 0 : memcmp(x->norm, y->norm, x->norm_len);
}

/* The first-token key of term entry e: its first token's bytes. */
static size_t first_token_len(const struct pf_term *e)
{
    const struct cterm *t = pf_term_text(e);
    size_t pos = 0, ts, te;
    bool cjk;
    markset_next_token(t->norm, t->norm_len, &pos, &ts, &te, &cjk);
    return te;
}

/* The chains of terms by first token, each holding the terms of one text
 * side by side (chain_regroup): the order in which a field's hits are
 * found does not matter, they are sorted by set, term and place. */
static ipr_status index_terms(struct prefilter *pf)
{
    size_t n = pf->term_count;
    if (n >= NO_NEXT)
        return IPR_ELIMIT;
    struct vec chains; /* uint32_t: one entry of each chain */
    vec_init(&chains, sizeof(uint32_t));
    ipr_status st = IPR_OK;
    for (size_t i = 0; st == IPR_OK && i < n; i++) {
        struct pf_term *e = &pf->terms[i];
        const char *token = pf_term_text(e)->norm;
        size_t token_len = first_token_len(e);
        uint32_t head;
        if (strmap_get(&pf->term_first, token, token_len, &head)) {
            e->next = head;
        } else {
            uint32_t *c = vec_push(&chains);
            if (!c)
                st = IPR_ENOMEM;
            else
                *c = (uint32_t)i;
            e->next = NO_NEXT;
        }
        if (st == IPR_OK)
            st = strmap_put(&pf->term_first, token, token_len, (uint32_t)i);
    }
    struct chain_table t = {pf->terms,
                            sizeof(struct pf_term),
                            offsetof(struct pf_term, next),
                            offsetof(struct pf_term, skip),
                            compare_terms,
                            st == IPR_OK && n ? malloc(3 * n * sizeof(uint32_t)) : NULL};
    if (st == IPR_OK && n && !t.scratch)
        st = IPR_ENOMEM;
    for (size_t c = 0; st == IPR_OK && c < chains.count; c++) {
        const struct pf_term *key = &pf->terms[*(uint32_t *)vec_at(&chains, c)];
        const char *token = pf_term_text(key)->norm;
        size_t token_len = first_token_len(key);
        uint32_t head = NO_NEXT;
        strmap_get(&pf->term_first, token, token_len, &head);
        st = strmap_put(&pf->term_first, token, token_len, chain_regroup(&t, head));
    }
    vec_release(&chains);
    free(t.scratch);
    return st;
}

/* Atoms in some order; 0 for those that match the same bytes in the same
 * places (a phrase in the regexes of several rules). */
static int compare_atoms(const void *pa, const void *pb)
{
    const struct pf_atom *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->word_start != b->word_start || a->digit_after != b->digit_after)
        return (a->word_start * 256 + a->digit_after) < (b->word_start * 256 + b->digit_after) ? -1
                                                                                               : 1;
    if ((a->exact == NULL) != (b->exact == NULL))
        return a->exact == NULL ? -1 : 1;
    int c = memcmp(a->text, b->text, a->len);
    return c || !a->exact ? c : memcmp(a->exact, b->exact, a->len);
}

/* Regroups the atom chains of both tables (chain_regroup). */
static ipr_status group_atoms(struct prefilter *pf)
{
    if (!pf->atom_count)
        return IPR_OK;
    struct chain_table t = {pf->atoms,
                            sizeof(struct pf_atom),
                            offsetof(struct pf_atom, next),
                            offsetof(struct pf_atom, skip),
                            compare_atoms,
                            malloc(3 * pf->atom_count * sizeof(uint32_t))};
    ipr_status st = t.scratch ? IPR_OK : IPR_ENOMEM;
    for (size_t k = 0; st == IPR_OK && k < 65536; k++) {
        if (pf->quad_head[k] != NO_NEXT)
            pf->quad_head[k] = chain_regroup(&t, pf->quad_head[k]);
        if (pf->bigram_head[k] != NO_NEXT)
            pf->bigram_head[k] = chain_regroup(&t, pf->bigram_head[k]);
    }
    free(t.scratch);
    return st;
}

static void *detach(struct vec *v, size_t *count)
{
    *count = v->count;
    void *items = v->items;
    v->items = NULL;
    v->count = v->cap = 0;
    return items;
}

ipr_status prefilter_build(struct ipr_ruleset *rs)
{
    struct prefilter *pf = calloc(1, sizeof(*pf));
    if (!pf)
        return IPR_ENOMEM;
    rs->prefilter = pf;
    strmap_init(&pf->term_first);
    struct pf_builder b = {pf, {0}, {0}, {0}, {0}, {0}, {0}, &rs->arena, true, SIZE_MAX, 0};
    vec_init(&b.bytes, sizeof(struct pf_bytes));
    vec_init(&b.atoms, sizeof(struct pf_atom));
    vec_init(&b.compact, sizeof(struct pf_atom));
    vec_init(&b.terms, sizeof(struct pf_term));
    vec_init(&b.loose, sizeof(struct pf_term));
    vec_init(&b.always, sizeof(bool));
    ipr_status st = IPR_OK;
    for (size_t r = 0; st == IPR_OK && r < rs->rule_count; r++) {
        struct crule *cr = &rs->rules[r];
        st = walk(&b, cr->match);
        for (size_t u = 0; st == IPR_OK && u < cr->unless_count; u++)
            st = walk(&b, cr->unless[u]);
    }
    size_t n;
    pf->bytes = detach(&b.bytes, &pf->bytes_count);
    pf->atoms = detach(&b.atoms, &pf->atom_count);
    pf->compact = detach(&b.compact, &pf->compact_count);
    if (pf->compact_count && b.spaced) {
        pf->spaced_letters = b.spaced_letters;
        pf->spaced_gap = b.spaced_gap;
    }
    pf->terms = detach(&b.terms, &pf->term_count);
    pf->loose = detach(&b.loose, &pf->loose_count);
    bool *always = detach(&b.always, &n);
    /* a bitset, as the candidates are: a field ORs it in a byte at a time
     * instead of testing every regex (200 tests per field were half of
     * this stage's time with regex200.yaml) */
    pf->always_bits = calloc(n / 8 + 1, 1);
    if (!pf->always_bits && st == IPR_OK)
        st = IPR_ENOMEM;
    for (size_t r = 0; pf->always_bits && r < n; r++) {
        if (always[r]) {
            pf->always_bits[r >> 3] |= (uint8_t)(1u << (r & 7));
            pf->always_bytes = r / 8 + 1;
        }
    }
    free(always);
    if (st == IPR_OK) {
        /* in the ruleset's arena (640 KB): its blocks are huge pages, and
         * these tables alone were 160 page faults of every start */
        pf->bigram_head = arena_alloc(&rs->arena, 65536 * sizeof(uint32_t));
        pf->bigram_seen = arena_calloc(&rs->arena, 65536, 1);
        pf->quad_head = arena_alloc(&rs->arena, 65536 * sizeof(uint32_t));
        pf->quad_seen = arena_calloc(&rs->arena, 65536, 1);
        if (!pf->bigram_head || !pf->bigram_seen || !pf->quad_head || !pf->quad_seen)
            st = IPR_ENOMEM;
    }
    if (st == IPR_OK) {
        for (size_t i = 0; i < 65536; i++)
            pf->bigram_head[i] = pf->quad_head[i] = NO_NEXT;
        pf->word_starts_only = pf->atom_count > 0;
        for (size_t i = pf->atom_count; i-- > 0;) {
            /* four bytes tell far more than two: few field positions share them */
            bool longer = pf->atoms[i].len >= 4;
            uint32_t k = longer ? quad(pf->atoms[i].text) : bigram(pf->atoms[i].text);
            uint32_t *head = longer ? pf->quad_head : pf->bigram_head;
            uint8_t *seen = longer ? pf->quad_seen : pf->bigram_seen;
            pf->atoms[i].next = head[k];
            head[k] = (uint32_t)i;
            seen[k] = 1;
            pf->has_short = pf->has_short || !longer;
            pf->word_starts_only = pf->word_starts_only && pf->atoms[i].word_start;
        }
        for (size_t k = 0; k < PF_COMPACT_KEYS; k++)
            pf->compact_head[k] = NO_NEXT;
        for (size_t i = pf->compact_count; i-- > 0;) {
            uint32_t k = compact_key(pf->compact[i].text);
            pf->compact[i].next = pf->compact_head[k];
            pf->compact_head[k] = (uint32_t)i;
            unsigned char first = (unsigned char)pf->compact[i].text[0]; /* a letter or digit */
            pf->compact_first[first >> 6] |= (uint64_t)1 << (first & 63);
        }
        st = group_atoms(pf);
    }
    if (st == IPR_OK)
        st = index_terms(pf);
    return st;
}

void prefilter_release(struct prefilter *pf)
{
    if (!pf)
        return;
    free(pf->always_bits);
    free(pf->bytes);
    free(pf->atoms);
    free(pf->compact);
    free(pf->terms);
    free(pf->loose);
    strmap_release(&pf->term_first);
    free(pf);
}

/* ASCII and Latin-1 lowercase, with the two non-ASCII characters PCRE2's
 * caseless matching equates with ASCII letters folded onto them. */
static size_t lower_copy(const char *v, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        /* eight ASCII bytes at once */
        while (i + 8 <= len) {
            uint64_t w = bytescan_load(v + i);
            if (bytescan_high(w))
                break;
            w = bytescan_lower8(w);
            memcpy(out + n, &w, 8);
            n += 8;
            i += 8;
        }
        if (i == len)
            break;
        /* fewer than eight bytes left and the last eight ASCII: those of
         * them before i were copied one for one (a folded character is all
         * non-ASCII bytes) and end out, so the word is written over them
         * instead of the rest going a byte at a time */
        if (i + 8 > len && len >= 8) {
            uint64_t w = bytescan_load(v + len - 8);
            if (!bytescan_high(w)) {
                w = bytescan_lower8(w);
                memcpy(out + n + len - i - 8, &w, 8);
                return n + len - i;
            }
        }
        unsigned char c = (unsigned char)v[i];
        if (c < 0x80) {
            out[n++] = (char)ipr_ascii_lower(c);
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)v[i + 1] == 0x84 &&
                   (unsigned char)v[i + 2] == 0xAA) { /* U+212A KELVIN SIGN */
            out[n++] = 'k';
            i += 2;
        } else if (c == 0xC5 && i + 1 < len && (unsigned char)v[i + 1] == 0xBF) { /* U+017F */
            out[n++] = 's';
            i += 1;
        } else if (c == 0xC3 && i + 1 < len && (unsigned char)v[i + 1] >= 0x80 &&
                   (unsigned char)v[i + 1] <= 0x9E && (unsigned char)v[i + 1] != 0x97) {
            out[n++] = (char)c; /* Latin-1 capitals: À-Þ -> à-þ, as atoms.c folds them */
            out[n++] = (char)(v[i + 1] + 0x20);
            i += 1;
        } else {
            out[n++] = (char)ipr_ascii_lower(c);
        }
    }
    return n;
}

/* Can the `digits` digits (\d of UTF-8: ASCII, or a character beyond it,
 * every byte of which is 0x80 or more) an atom wants after it stand in the
 * avail bytes at text, after its len?  Most atoms want none. */
static inline IPR_ALWAYS_INLINE bool digits_follow(const char *text, size_t len, size_t avail,
                                                   unsigned digits)
{
    if (len + digits > avail)
        return false;
    for (size_t k = len; k < len + digits; k++) {
        unsigned char c = (unsigned char)text[k];
        if ((unsigned)(c - '0') >= 10u && c < 0x80)
            return false;
    }
    return true;
}

/* Marks the regexes of the run of alike atoms that starts at atom a (the
 * same phrase in several regexes: chains.h). */
static inline IPR_ALWAYS_INLINE void mark_run(const struct prefilter *pf, uint32_t a,
                                              uint8_t *candidates)
{
    uint32_t end = pf->atoms[a].skip;
    do {
        candidates[pf->atoms[a].regex >> 3] |= (uint8_t)(1u << (pf->atoms[a].regex & 7));
        a = pf->atoms[a].next;
    } while (a != end);
}

/* Marks the regexes of every atom of the chain from `a` that starts at text. */
static inline IPR_ALWAYS_INLINE void match_chain(const struct prefilter *pf, uint32_t a,
                                                 const char *text, size_t avail,
                                                 uint8_t *candidates, bool fold, bool in_word)
{
    while (a != NO_NEXT) {
        const struct pf_atom *atom = &pf->atoms[a];
        if (atom->len <= avail && !(in_word && atom->word_start) && atom_at(text, atom, fold) &&
            (!atom->digit_after || digits_follow(text, atom->len, avail, atom->digit_after)))
            mark_run(pf, a, candidates);
        a = atom->skip;
    }
}

/* As match_chain for a chain of atoms of two or three bytes: its key is
 * their first two bytes, not a hash of them, so only a third byte is left
 * to compare (two letters are common in text: these chains are walked
 * often). */
static inline IPR_ALWAYS_INLINE void match_short_chain(const struct prefilter *pf, uint32_t a,
                                                       const char *text, size_t avail,
                                                       uint8_t *candidates, bool fold, bool in_word)
{
    for (; a != NO_NEXT; a = pf->atoms[a].skip) {
        const struct pf_atom *atom = &pf->atoms[a];
        if (in_word && atom->word_start)
            continue;
        /* the key merges more than case: the first two bytes are compared too */
        bool at = fold && atom->exact
                      ? (atom->len == 2 || avail > 2) && memcmp(text, atom->exact, atom->len) == 0
                      : atom_equal(text, atom->text, 2, fold) &&
                            (atom->len == 2 ||
                             (avail > 2 && atom_equal(text + 2, atom->text + 2, 1, fold)));
        if (at && atom->digit_after)
            at = digits_follow(text, atom->len, avail, atom->digit_after);
        if (at)
            mark_run(pf, a, candidates);
    }
}

/* Marks the regexes of every atom that starts at s[i] (i + 2 <= n). */
static inline IPR_ALWAYS_INLINE void match_at(const struct prefilter *pf, const char *s, size_t i,
                                              size_t n, uint8_t *candidates, bool fold)
{
    /* an atom marked to start a word is not met after an ASCII letter,
     * digit or '_' ("at" in "VAT"), a word character in any text (a
     * lowered copy has such a byte only for such a character); after any
     * other byte it may be */
    bool in_word = i > 0 && ipr_is_ascii_word((unsigned char)s[i - 1]);
    if (i + 4 <= n) {
        uint32_t k = quad(s + i);
        if (pf->quad_seen[k])
            match_chain(pf, pf->quad_head[k], s + i, n - i, candidates, fold, in_word);
    }
    uint32_t k = bigram(s + i);
    if (pf->bigram_seen[k])
        match_short_chain(pf, pf->bigram_head[k], s + i, n - i, candidates, fold, in_word);
}

/* Every atom in the n bytes at s; `fold` as for atom_equal.  Inlined
 * twice, so that each caller's loop compares in its own way. */
static inline IPR_ALWAYS_INLINE void find_atoms(const struct prefilter *pf, const char *s, size_t n,
                                                uint8_t *candidates, bool fold)
{
    const uint8_t *quad_seen = pf->quad_seen, *bigram_seen = pf->bigram_seen;
    size_t i = 0;
    /* four positions a branch: an entry is rarely set (a branch per
     * position took 1.7 times the instructions) */
    if (!pf->has_short) {
        for (; i + 7 <= n; i += 4) {
            const char *p = s + i;
            if (quad_seen[quad(p)] | quad_seen[quad(p + 1)] | quad_seen[quad(p + 2)] |
                quad_seen[quad(p + 3)])
                for (size_t j = i; j < i + 4; j++)
                    if (quad_seen[quad(s + j)])
                        match_at(pf, s, j, n, candidates, fold);
        }
        for (; i + 4 <= n; i++)
            if (quad_seen[quad(s + i)])
                match_at(pf, s, i, n, candidates, fold);
        return;
    }
    /* both tables at each position, still one branch for four */
    for (; i + 7 <= n; i += 4) {
        const char *p = s + i;
        if (quad_seen[quad(p)] | bigram_seen[bigram(p)] | quad_seen[quad(p + 1)] |
            bigram_seen[bigram(p + 1)] | quad_seen[quad(p + 2)] | bigram_seen[bigram(p + 2)] |
            quad_seen[quad(p + 3)] | bigram_seen[bigram(p + 3)])
            for (size_t j = i; j < i + 4; j++)
                if (quad_seen[quad(s + j)] | bigram_seen[bigram(s + j)])
                    match_at(pf, s, j, n, candidates, fold);
    }
    for (; i + 4 <= n; i++)
        if (quad_seen[quad(s + i)] | bigram_seen[bigram(s + i)])
            match_at(pf, s, i, n, candidates, fold);
    for (; i + 2 <= n; i++)
        if (bigram_seen[bigram(s + i)])
            match_at(pf, s, i, n, candidates, fold);
}

static void find_atoms_folding(const struct prefilter *pf, const char *s, size_t n,
                               uint8_t *candidates)
{
    find_atoms(pf, s, n, candidates, true);
}

static void find_atoms_exact(const struct prefilter *pf, const char *s, size_t n,
                             uint8_t *candidates)
{
    find_atoms(pf, s, n, candidates, false);
}

#ifdef BYTESCAN_SSE2
/* Bit i set when byte i of v (ASCII) is a letter, digit or '_'. */
static unsigned word_bytes16(__m128i v)
{
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                   _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), folded));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v));
    __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under));
}

/* The k bytes at p (k <= 8) in the low bytes of a word, in memory order
 * on a little-endian machine (all SSE2 ones), the rest zero: two loads
 * that may overlap, never a byte past p + k. */
static uint64_t load_partial(const char *p, size_t k)
{
    const unsigned char *u = (const unsigned char *)p;
    if (k >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + k - 4, 4);
        return (uint64_t)a | (uint64_t)b << (8 * (k - 4));
    }
    if (k == 0)
        return 0;
    return (uint64_t)u[0] | (uint64_t)u[k / 2] << (8 * (k / 2)) |
           (uint64_t)u[k - 1] << (8 * (k - 1));
}
#endif

/* find_atoms_folding where every atom is word_start, in a field that is
 * all ASCII (the caller knows): only the positions where a word starts are
 * looked up, about one in six of listing text.  In ASCII a byte is a
 * character, so PCRE2's \b sees exactly these starts, with or without
 * Unicode properties. */
static void find_atoms_at_word_starts(const struct prefilter *pf, const char *s, size_t n,
                                      uint8_t *candidates)
{
#ifdef BYTESCAN_SSE2
    unsigned prev_word = 0; /* is the byte before block i a word byte */
    for (size_t i = 0; i < n; i += 16) {
        __m128i v;
        if (i + 16 <= n) {
            v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        } else {
            /* the last block, NUL-padded: most fields are short, and a
             * byte at a time would branch on every one (a copy to the
             * stack read back as a whole stalls the load instead) */
            size_t rest = n - i;
            uint64_t lo = load_partial(s + i, rest < 8 ? rest : 8);
            uint64_t hi = rest > 8 ? load_partial(s + i + 8, rest - 8) : 0;
            v = _mm_set_epi64x((long long)hi, (long long)lo);
        }
        unsigned word = word_bytes16(v);
        for (unsigned starts = word & ~(word << 1 | prev_word) & 0xFFFFu; starts;
             starts &= starts - 1) {
            size_t at = i + (size_t)__builtin_ctz(starts);
            if (at + 2 <= n)
                match_at(pf, s, at, n, candidates, true);
        }
        prev_word = word >> 15;
    }
#else
    unsigned prev_word = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned word = ipr_is_ascii_word((unsigned char)s[i]);
        if (word && !prev_word && i + 2 <= n)
            match_at(pf, s, i, n, candidates, true);
        prev_word = word;
    }
#endif
}

/* The compact view (atoms.h) of a field from its lowered copy (lowered
 * bytes at out), in place: the lowered copy already writes KELVIN SIGN and
 * LONG S as the k and s PCRE2 equates them with; only its ASCII letters and
 * digits are kept.  Returns its length. */
static size_t compact_lowered(char *out, size_t lowered)
{
    size_t n = 0;
    /* every byte is stored and only a letter or digit kept: no branch on
     * text that alternates words and spaces */
    for (size_t i = 0; i < lowered; i++) {
        unsigned char c = (unsigned char)out[i];
        out[n] = (char)c;
        n += ((unsigned)((c | 0x20u) - 'a') < 26u) | ((unsigned)(c - '0') < 10u);
    }
    return n;
}

/* Marks the regexes whose compact-view atoms occur in the compact view,
 * the n bytes at scratch. */
static void find_compact_atoms(const struct prefilter *pf, const char *scratch, size_t n,
                               uint8_t *candidates)
{
    for (size_t i = 0; i + 1 < n; i++) {
        /* most positions start no atom: one bit tells, before the key */
        unsigned char c = (unsigned char)scratch[i]; /* ASCII: a letter or digit */
        if (!(pf->compact_first[c >> 6] >> (c & 63) & 1))
            continue;
        for (uint32_t a = pf->compact_head[compact_key(scratch + i)]; a != NO_NEXT;
             a = pf->compact[a].next) {
            const struct pf_atom *atom = &pf->compact[a];
            if (atom->len <= n - i && memcmp(scratch + i, atom->text, atom->len) == 0)
                candidates[atom->regex >> 3] |= (uint8_t)(1u << (atom->regex & 7));
        }
    }
}

/* Do `letters` ASCII letters or digits stand alone in the n bytes at s
 * (no letter or digit next to one), one after another, at most gap
 * characters apart (UTF-8: those that are not ASCII count once) and none
 * between?  Read 64 bytes to a mask, as longest_alnum_run: in listing text
 * few characters stand alone. */
static bool has_spaced_run(const char *s, size_t n, size_t letters, size_t gap)
{
    size_t run = 0, last = 0;
    uint64_t before = 0; /* is the byte before the block a letter or digit */
    for (size_t at = 0; at < n; at += 64) {
        size_t width = n - at < 64 ? n - at : 64;
        uint64_t m = bytescan_alnum64(s + at, width); /* bits from width on are clear */
        uint64_t after = at + 64 < n && ipr_is_ascii_alnum((unsigned char)s[at + 64]);
        uint64_t alone = m & ~(m << 1 | before) & ~(m >> 1 | after << 63);
        before = m >> 63;
        for (; alone; alone &= alone - 1) {
            size_t p = at + (size_t)__builtin_ctzll(alone);
            bool next = run && p - last - 1 <= 4 * gap; /* a character has four bytes at most */
            size_t chars = 0;
            for (size_t k = last + 1; next && k < p; k++) {
                unsigned char c = (unsigned char)s[k];
                next = !ipr_is_ascii_alnum(c);
                chars += (c & 0xC0) != 0x80;
            }
            run = next && chars <= gap ? run + 1 : 1;
            if (run >= letters)
                return true;
            last = p;
        }
    }
    return false;
}

/* The longest run of ASCII letters and digits in the n bytes at s, read
 * 64 bytes to a mask: a stretch of ones at a time, the run carried from
 * one mask to the next. */
static size_t longest_alnum_run(const char *s, size_t n)
{
    size_t longest = 0, run = 0; /* run: the ones up to where the walk is */
    for (size_t at = 0; at < n; at += 64) {
        size_t width = n - at < 64 ? n - at : 64;
        uint64_t m = bytescan_alnum64(s + at, width); /* bits from width on are clear */
        size_t i = 0;
        while (i < width) {
            uint64_t rest = m >> i;
            if (rest & 1) {
                uint64_t gaps = ~rest;
                size_t ones = gaps ? (size_t)__builtin_ctzll(gaps) : 64 - i;
                run += ones;
                i += ones;
                continue;
            }
            if (run > longest)
                longest = run;
            run = 0;
            if (!rest)
                break;
            i += (size_t)__builtin_ctzll(rest);
        }
    }
    return run > longest ? run : longest;
}

void prefilter_regex_candidates(const struct prefilter *pf, const char *value, size_t len,
                                char *scratch, uint8_t *candidates)
{
    for (size_t i = 0; i < pf->always_bytes; i++)
        candidates[i] |= pf->always_bits[i];
    if (pf->bytes_count) {
        bool seen[256] = {false}; /* one plain store per byte */
        for (size_t i = 0; i < len; i++)
            seen[(unsigned char)value[i]] = true;
        size_t longest_run = SIZE_MAX; /* found when first asked */
        for (size_t k = 0; k < pf->bytes_count; k++) {
            const struct pf_bytes *b = &pf->bytes[k];
            bool first = !b->first_count, needed = !b->need_count;
            for (size_t i = 0; i < b->first_count && !first; i++)
                first = seen[b->first[i]];
            for (size_t i = 0; i < b->need_count && !needed; i++)
                needed = seen[b->need[i]];
            if (!first || !needed)
                continue;
            if (b->alnum_run) {
                if (longest_run == SIZE_MAX)
                    longest_run = longest_alnum_run(value, len);
                if (longest_run < b->alnum_run)
                    continue;
            }
            candidates[b->regex >> 3] |= (uint8_t)(1u << (b->regex & 7));
        }
    }
    if (len < 2)
        return;
    /* a match of letters spaced out is letters that stand alone, in the
     * field or in its lowered copy (where KELVIN SIGN is a k) */
    bool spaced = pf->compact_count > 0, gated = pf->spaced_letters > 0;
    if (bytescan_all_ascii(value, len)) {
        /* searched in place, letters folded as they are compared */
        if (spaced && (!gated || has_spaced_run(value, len, pf->spaced_letters, pf->spaced_gap)))
            find_compact_atoms(
                pf, scratch, compact_lowered(scratch, lower_copy(value, len, scratch)), candidates);
        if (pf->word_starts_only)
            find_atoms_at_word_starts(pf, value, len, candidates);
        else if (pf->atom_count)
            find_atoms_folding(pf, value, len, candidates);
        return;
    }
    /* any other field is lowercased first (lower_copy), which also folds
     * the non-ASCII characters PCRE2 equates with letters; the copy is
     * searched, then made the compact view where it lies */
    size_t lowered = lower_copy(value, len, scratch);
    if (pf->atom_count)
        find_atoms_exact(pf, scratch, lowered, candidates);
    if (spaced && (!gated || has_spaced_run(scratch, lowered, pf->spaced_letters, pf->spaced_gap)))
        find_compact_atoms(pf, scratch, compact_lowered(scratch, lowered), candidates);
}

struct loose_find {
    const struct pf_term *e;
    pf_term_fn on_hit;
    void *user;
    bool stop;
};

static bool loose_hit(size_t start, size_t end, void *user)
{
    struct loose_find *lf = user;
    struct pf_term_hit hit = {lf->e->set_id, lf->e->term, start, end};
    lf->stop = !lf->on_hit(&hit, lf->user);
    return !lf->stop;
}

void prefilter_terms(const struct prefilter *pf, const struct norm_text *text,
                     const struct text_token *tokens, size_t token_count, pf_term_fn on_hit,
                     void *user)
{
    struct token_walk walk;
    token_walk_init(&walk, text->text, text->len, tokens, token_count);
    size_t ts, te;
    bool cjk;
    while (token_walk_next(&walk, &ts, &te, &cjk)) {
        uint32_t idx;
        if (!strmap_get_hashed(&pf->term_first, text->text + ts, te - ts,
                               token_walk_hash(&walk, ts, te), &idx))
            continue;
        while (idx != NO_NEXT) {
            /* one comparison for the terms of one text, and one boundary
             * test: a term's boundaries follow from its text (termset.c) */
            const struct pf_term *first = &pf->terms[idx];
            const struct cterm *t = pf_term_text(first);
            size_t end = ts + t->norm_len;
            if (t->norm_len > text->len - ts ||
                memcmp(text->text + ts, t->norm, t->norm_len) != 0 ||
                !term_boundaries_ok(text, ts, end, t->bound_start, t->bound_end)) {
                idx = first->skip;
                continue;
            }
            for (; idx != first->skip; idx = pf->terms[idx].next) {
                const struct pf_term *e = &pf->terms[idx];
                struct pf_term_hit hit = {e->set_id, e->term, ts, end};
                if (!on_hit(&hit, user))
                    return;
            }
        }
    }
    /* terms that start with a symbol: searched like the naive engine */
    for (size_t i = 0; i < pf->loose_count; i++) {
        const struct pf_term *e = &pf->loose[i];
        struct loose_find lf = {e, on_hit, user, false};
        term_find_each(&e->set->terms[e->term], text, loose_hit, &lf);
        if (lf.stop)
            return;
    }
}
