/*
 * formindex.c - see formindex.h.
 */
#include "formindex.h"

#include "../base/hugepage.h"

static size_t slot_bytes(const struct formindex *x)
{
    return x->cap * (x->narrow ? sizeof(uint32_t) : sizeof(struct formindex_slot));
}

static size_t filter_bytes(size_t filter_cap)
{
    return (filter_cap / 8 + 1) * sizeof(uint64_t);
}

ipr_status formindex_init(struct formindex *x, size_t keys, uint32_t largest)
{
    memset(x, 0, sizeof(*x));
    if (keys > UINT32_MAX / 2)
        return IPR_ENOMEM;
    if (largest == UINT32_MAX) /* a wide slot holds the number plus one */
        return IPR_ELIMIT;
    /* the slots: seven keys in eight at most, not three in four: it is
     * sized for every spelling, where the spellings that share a first
     * word share a key (the benchmark's 100,000 marks fill 78 % of it, 67 %
     * at three in four), and a word that passes the filter is mostly a
     * key, which a walk meets after 3 slots of 4 bytes on average (1 byte
     * a mark less).  The filter: 10 bits a key it was sized for, where a
     * power of two at or above the slots took 18 for the benchmark's
     * 100,000 marks, 1 byte a mark more; it is read for every word of a
     * listing, and the smaller one also costs fewer cache misses
     * (listings-10mb.jsonl, cachegrind with a 2 MB LL) than the absent keys
     * it lets through more (test_compile_formindex) */
    size_t cap = (keys + keys / 7 + 8) & ~(size_t)3,
           filter_cap = keys < 64 ? 64 : (keys * FORMINDEX_FILTER_BITS / 8 + 7) & ~(size_t)7;
    x->max_keys = keys;
    x->narrow = largest < FORMINDEX_NARROW_MASK; /* plus one fits */
    x->cap = cap;                                /* first: release frees by these sizes */
    x->filter_cap = filter_cap;
    x->slots = hugepage_alloc_table(slot_bytes(x), NULL);
    x->filter = hugepage_alloc_table(filter_bytes(filter_cap), NULL);
    if (!x->slots || !x->filter) {
        formindex_release(x);
        return IPR_ENOMEM;
    }
    return IPR_OK;
}

void formindex_release(struct formindex *x)
{
    hugepage_free(x->slots, slot_bytes(x));
    hugepage_free(x->filter, filter_bytes(x->filter_cap));
    memset(x, 0, sizeof(*x));
}

/* Spelling number + 1 in slot i (0: empty). */
static uint32_t slot_form(const struct formindex *x, size_t i)
{
    return x->narrow ? ((const uint32_t *)x->slots)[i] & FORMINDEX_NARROW_MASK
                     : ((const struct formindex_slot *)x->slots)[i].form;
}

static uint32_t slot_tag(const struct formindex *x, size_t i)
{
    return x->narrow ? ((const uint32_t *)x->slots)[i] & ~FORMINDEX_NARROW_MASK
                     : ((const struct formindex_slot *)x->slots)[i].tag;
}

static void set_slot(struct formindex *x, size_t i, uint32_t form_plus_one, uint32_t tag)
{
    if (x->narrow)
        ((uint32_t *)x->slots)[i] = tag | form_plus_one;
    else
        ((struct formindex_slot *)x->slots)[i] = (struct formindex_slot){form_plus_one, tag};
}

ipr_status formindex_exchange(struct formindex *x, uint64_t h, uint32_t form,
                              bool (*same)(void *ctx, uint32_t other), void *ctx, uint32_t *old)
{
    *old = UINT32_MAX;
    uint32_t tag = formindex_tag(x, h);
    size_t i = strmap_slot_of(h, x->cap);
    for (uint32_t there; (there = slot_form(x, i)) != 0;) {
        if (slot_tag(x, i) == tag && same(ctx, there - 1)) {
            *old = there - 1;
            set_slot(x, i, form + 1, tag);
            return IPR_OK;
        }
        if (++i == x->cap)
            i = 0;
    }
    if (x->count >= x->max_keys)
        return IPR_ELIMIT;
    set_slot(x, i, form + 1, tag);
    x->count++;
    hash_filter_set(x->filter, x->filter_cap, h);
    return IPR_OK;
}

void formindex_renumber(struct formindex *x, const uint32_t *to)
{
    for (size_t i = 0; i < x->cap; i++) {
        uint32_t form = slot_form(x, i);
        if (form)
            set_slot(x, i, to[form - 1] + 1, slot_tag(x, i));
    }
}
