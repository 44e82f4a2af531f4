/*
 * nearkeys.c - the near-miss key table (see nearkeys.h).  Linear probing;
 * a key made by several spellings (or twice by one: "gucci" without either
 * c) has one slot per making, all on one probe path.
 */
#include "nearkeys.h"

#include <stdlib.h>

#include "../base/hugepage.h"
#include "../base/strmap.h"

/* One key's place: its hash, first slot and fingerprint. */
struct near_key {
    uint64_t h;
    size_t pos;
    uint32_t fp;
};

/* The fingerprint is the hash's top bits, as many as the slot has beside
 * the spelling's index; never 0, the empty mark. */
static void split_hash(const struct nearkeys *nk, const char *key, size_t len, struct near_key *k)
{
    k->h = strmap_hash(key, len);
    k->pos = (size_t)k->h & nk->mask;
    uint32_t fp = (uint32_t)(k->h >> 32) >> nk->index_bits;
    k->fp = fp ? fp : 1;
}

static void insert(struct nearkeys *nk, const struct near_key *k, uint32_t spelling)
{
    hash_filter_set(nk->filter, nk->mask + 1, k->h);
    size_t pos = k->pos;
    while (nk->slots[pos])
        pos = (pos + 1) & nk->mask;
    nk->slots[pos] = k->fp << nk->index_bits | spelling;
}

ipr_status nearkeys_build(struct nearkeys *nk, struct vec *spellings)
{
    memset(nk, 0, sizeof(*nk));
    size_t keys = 0;
    for (size_t i = 0; i < spellings->count; i++)
        keys += ((const struct near_spelling *)vec_at(spellings, i))->len + 1u;
    size_t cap = 64;
    while (cap < keys * 2) {
        if (cap > SIZE_MAX / 4 / sizeof(uint32_t))
            return IPR_ENOMEM;
        cap *= 2;
    }
    /* the spellings' indexes take the low bits, and at least one is left
     * for the fingerprint */
    unsigned index_bits = 1;
    while (index_bits < 31 && (spellings->count >> index_bits) != 0)
        index_bits++;
    if (spellings->count >> index_bits != 0)
        return IPR_ENOMEM;
    nk->slots = hugepage_alloc(cap * sizeof(uint32_t), NULL);
    nk->filter = hugepage_alloc(cap / 8 * sizeof(uint64_t), NULL); /* cap * 8 bits */
    if (!nk->slots || !nk->filter) {
        hugepage_free(nk->slots, cap * sizeof(uint32_t));
        hugepage_free(nk->filter, cap / 8 * sizeof(uint64_t));
        memset(nk, 0, sizeof(*nk));
        return IPR_ENOMEM;
    }
    nk->mask = cap - 1;
    nk->index_bits = index_bits;
    nk->count = spellings->count;
    nk->spellings = vec_take(spellings);
    /* A spelling's keys land all over a table of many megabytes.  Their
     * places are worked out first and fetched together, so the cache
     * misses of one spelling overlap instead of coming one after another
     * (inserting them one by one was a third of building the mark index
     * of 100,000 marks, by perf). */
    char del[64];
    struct near_key places[65]; /* the spelling and its deletions */
    for (size_t i = 0; i < nk->count; i++) {
        const struct near_spelling *sp = &nk->spellings[i];
        size_t n = sp->len, count = 0;
        split_hash(nk, sp->name, n, &places[count++]);
        for (size_t d = 0; d < n && n <= sizeof(del); d++) {
            memcpy(del, sp->name, d);
            memcpy(del + d, sp->name + d + 1, n - d - 1);
            split_hash(nk, del, n - 1, &places[count++]);
        }
        for (size_t k = 0; k < count; k++) {
            __builtin_prefetch(&nk->slots[places[k].pos], 1);
            __builtin_prefetch(&nk->filter[hash_filter_word(places[k].h, cap)], 1);
        }
        for (size_t k = 0; k < count; k++)
            insert(nk, &places[k], (uint32_t)i);
    }
    return IPR_OK;
}

void nearkeys_release(struct nearkeys *nk)
{
    hugepage_free(nk->slots, (nk->mask + 1) * sizeof(uint32_t)); /* mask is set with them */
    hugepage_free(nk->filter, (nk->mask + 1) / 8 * sizeof(uint64_t));
    free(nk->spellings);
    memset(nk, 0, sizeof(*nk));
}

void nearkeys_iter_start(const struct nearkeys *nk, const char *key, size_t len,
                         struct near_iter *it)
{
    if (!nk->slots) {
        it->fp = 0;
        it->pos = 0;
        it->h = 0;
        return;
    }
    struct near_key k;
    split_hash(nk, key, len, &k);
    it->pos = k.pos;
    it->fp = k.fp;
    it->h = k.h;
    __builtin_prefetch(&nk->filter[hash_filter_word(k.h, nk->mask + 1)]);
    __builtin_prefetch(&nk->slots[k.pos]);
}

void nearkeys_iter_ready(const struct nearkeys *nk, struct near_iter *it)
{
    if (it->fp && !hash_filter_may_hold(nk->filter, nk->mask + 1, it->h))
        it->fp = 0; /* no key sets both bits: nothing to walk */
}

void nearkeys_iter(const struct nearkeys *nk, const char *key, size_t len, struct near_iter *it)
{
    nearkeys_iter_start(nk, key, len, it);
    nearkeys_iter_ready(nk, it);
}

const struct near_spelling *nearkeys_next(const struct nearkeys *nk, struct near_iter *it)
{
    if (!it->fp)
        return NULL;
    uint32_t mask = (1u << nk->index_bits) - 1;
    for (uint32_t slot; (slot = nk->slots[it->pos]) != 0;) {
        it->pos = (it->pos + 1) & nk->mask;
        if (slot >> nk->index_bits == it->fp)
            return &nk->spellings[slot & mask];
    }
    it->fp = 0;
    return NULL;
}
