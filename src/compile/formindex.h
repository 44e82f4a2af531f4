/*
 * formindex.h - which spelling of the registry starts with a given word:
 * the first-token index of the mark set (markset.h).
 *
 * A registry of 100,000 marks has as many first words, and the index is
 * most of what they cost, so it stores no key: a slot is the number of a
 * spelling (the latest of those whose first word is the key) and 32 bits
 * of the key's hash, 8 bytes.  The key is the first word of that
 * spelling's text, which the caller keeps and compares (markset_first_form).  A
 * string map with its own copy of each key and 16-byte slots took 37
 * bytes a mark where this takes 13.
 *
 * Open addressing with linear probing, at most three keys in four slots,
 * sized once for the number of spellings (no growth), and a bit filter of
 * two bits per key in front (hash_filter_*): most words of a listing are
 * no mark's first word, and most of those stop at the filter.
 */
#ifndef IPR_COMPILE_FORMINDEX_H
#define IPR_COMPILE_FORMINDEX_H

#include "../base/strmap.h"

struct formindex_slot {
    uint32_t form; /* spelling number + 1; 0: empty */
    uint32_t tag;  /* the key's strmap_hash, high half */
};

struct formindex {
    struct formindex_slot *slots; /* owned */
    size_t cap;                   /* slots; 0: nothing indexed */
    size_t count, max_keys;
    uint64_t *filter; /* owned: filter_cap bytes of bits (hash_filter_*) */
    size_t filter_cap;
};

/* Sizes an empty index for at most `keys` keys.  IPR_ENOMEM. */
ipr_status formindex_init(struct formindex *x, size_t keys);
void formindex_release(struct formindex *x);

/* Makes `form` the entry of its key, whose hash is h: same(ctx, other)
 * says whether spelling `other` has the same key.  The entry it replaces
 * goes to *old (UINT32_MAX when the key is new), so spellings that share
 * a first word chain from the latest.  IPR_ELIMIT, and nothing changed,
 * for a key more than the `keys` given to formindex_init (a walk needs an
 * empty slot to end). */
ipr_status formindex_exchange(struct formindex *x, uint64_t h, uint32_t form,
                              bool (*same)(void *ctx, uint32_t other), void *ctx, uint32_t *old);

/* Gives every entry's spelling a new number: to[old]. */
void formindex_renumber(struct formindex *x, const uint32_t *to);

/* A walk over the spellings whose key may be the one of hash h. */
struct formindex_walk {
    const struct formindex *x;
    size_t i;
    uint32_t tag;
};

/* Starts the walk; false when the filter says no spelling has the key. */
static inline bool formindex_walk_start(struct formindex_walk *w, const struct formindex *x,
                                        uint64_t h)
{
    if (!x->cap || !hash_filter_may_hold(x->filter, x->filter_cap, h))
        return false;
    *w = (struct formindex_walk){x, strmap_slot_of(h, x->cap), (uint32_t)(h >> 32)};
    return true;
}

/* The next spelling whose key's hash agrees, UINT32_MAX at the end. */
static inline uint32_t formindex_walk_next(struct formindex_walk *w)
{
    const struct formindex_slot *slots = w->x->slots;
    while (slots[w->i].form) {
        const struct formindex_slot *s = &slots[w->i];
        if (++w->i == w->x->cap)
            w->i = 0;
        if (s->tag == w->tag)
            return s->form - 1;
    }
    return UINT32_MAX;
}

/* Starts loading the filter word a lookup of hash h reads first. */
static inline void formindex_prefetch(const struct formindex *x, uint64_t h)
{
    if (x->cap)
        __builtin_prefetch(&x->filter[hash_filter_word(h, x->filter_cap)]);
}

#endif
