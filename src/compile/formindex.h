/*
 * formindex.h - which spelling of the registry starts with a given word:
 * the first-token index of the mark set (markset.h).
 *
 * A registry of 100,000 marks has as many first words, and the index is
 * most of what they cost, so it stores no key: a slot is the number of a
 * spelling (the latest of those whose first word is the key) and some bits
 * of the key's hash.  The key is the first word of that spelling's text,
 * which the caller keeps and compares (markset_first_form).  While the
 * spelling numbers fit in 24 bits (16 million spellings), a slot is 4
 * bytes: the number and 8 bits of hash, which turn away all but one in 256
 * other keys met on the way; past that, 8 bytes: the number and 32 bits.
 * A string map with its own copy of each key and 16-byte slots took 37
 * bytes a mark where this takes 6.
 *
 * Open addressing with linear probing, at most seven keys in eight slots,
 * sized once for the number of spellings (no growth), and a bit filter of
 * FORMINDEX_FILTER_BITS a key, two set for each, in front (hash_filter_*):
 * most words of a listing are no mark's first word, and most of those
 * stop at the filter.
 */
#ifndef IPR_COMPILE_FORMINDEX_H
#define IPR_COMPILE_FORMINDEX_H

#include "../base/strmap.h"

/* A slot of a wide index. */
struct formindex_slot {
    uint32_t form; /* spelling number + 1; 0: empty */
    uint32_t tag;  /* the key's strmap_hash, high half */
};

/* A narrow slot: spelling number + 1 in the low bits (0: empty), the top 8
 * bits of the key's strmap_hash above them. */
#define FORMINDEX_NARROW_BITS 24
#define FORMINDEX_FILTER_BITS 10
#define FORMINDEX_NARROW_MASK ((1u << FORMINDEX_NARROW_BITS) - 1)

struct formindex {
    void *slots; /* owned: cap uint32_t (narrow) or struct formindex_slot */
    bool narrow;
    size_t cap; /* slots; 0: nothing indexed */
    size_t count, max_keys;
    uint64_t *filter; /* owned: filter_cap bytes of bits (hash_filter_*) */
    size_t filter_cap;
};

/* Sizes an empty index for at most `keys` keys whose spelling numbers are
 * at most `largest`, which picks the slot's width.  IPR_ENOMEM. */
ipr_status formindex_init(struct formindex *x, size_t keys, uint32_t largest);
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

/* The tag of hash h in a slot of x. */
static inline uint32_t formindex_tag(const struct formindex *x, uint64_t h)
{
    return x->narrow ? (uint32_t)(h >> 56) << FORMINDEX_NARROW_BITS : (uint32_t)(h >> 32);
}

/* Starts the walk; false when the filter says no spelling has the key. */
static inline bool formindex_walk_start(struct formindex_walk *w, const struct formindex *x,
                                        uint64_t h)
{
    if (!x->cap || !hash_filter_may_hold(x->filter, x->filter_cap, h))
        return false;
    *w = (struct formindex_walk){x, strmap_slot_of(h, x->cap), formindex_tag(x, h)};
    return true;
}

/* The next spelling whose key's hash agrees, UINT32_MAX at the end. */
static inline uint32_t formindex_walk_next(struct formindex_walk *w)
{
    const struct formindex *x = w->x;
    if (x->narrow) {
        const uint32_t *slots = x->slots;
        for (uint32_t s; (s = slots[w->i]) != 0;) {
            if (++w->i == x->cap)
                w->i = 0;
            if ((s & ~FORMINDEX_NARROW_MASK) == w->tag)
                return (s & FORMINDEX_NARROW_MASK) - 1;
        }
        return UINT32_MAX;
    }
    const struct formindex_slot *slots = x->slots;
    while (slots[w->i].form) {
        const struct formindex_slot *s = &slots[w->i];
        if (++w->i == x->cap)
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
