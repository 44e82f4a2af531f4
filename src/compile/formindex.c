/*
 * formindex.c - see formindex.h.
 */
#include "formindex.h"

#include "../base/hugepage.h"

static size_t slot_bytes(size_t cap)
{
    return cap * sizeof(struct formindex_slot);
}

static size_t filter_bytes(size_t filter_cap)
{
    return (filter_cap / 8 + 1) * sizeof(uint64_t);
}

ipr_status formindex_init(struct formindex *x, size_t keys)
{
    memset(x, 0, sizeof(*x));
    if (keys > UINT32_MAX / 2)
        return IPR_ENOMEM;
    size_t cap = hash_table_slots(keys), filter_cap = hash_filter_cap(cap);
    x->max_keys = keys;
    x->cap = cap; /* first: release frees by these sizes */
    x->filter_cap = filter_cap;
    x->slots = hugepage_alloc(slot_bytes(cap), NULL);
    x->filter = hugepage_alloc(filter_bytes(filter_cap), NULL);
    if (!x->slots || !x->filter) {
        formindex_release(x);
        return IPR_ENOMEM;
    }
    return IPR_OK;
}

void formindex_release(struct formindex *x)
{
    hugepage_free(x->slots, slot_bytes(x->cap));
    hugepage_free(x->filter, filter_bytes(x->filter_cap));
    memset(x, 0, sizeof(*x));
}

ipr_status formindex_exchange(struct formindex *x, uint64_t h, uint32_t form,
                              bool (*same)(void *ctx, uint32_t other), void *ctx, uint32_t *old)
{
    *old = UINT32_MAX;
    uint32_t tag = (uint32_t)(h >> 32);
    size_t i = strmap_slot_of(h, x->cap);
    while (x->slots[i].form) {
        if (x->slots[i].tag == tag && same(ctx, x->slots[i].form - 1)) {
            *old = x->slots[i].form - 1;
            x->slots[i].form = form + 1;
            return IPR_OK;
        }
        if (++i == x->cap)
            i = 0;
    }
    if (x->count >= x->max_keys)
        return IPR_ELIMIT;
    x->slots[i] = (struct formindex_slot){form + 1, tag};
    x->count++;
    hash_filter_set(x->filter, x->filter_cap, h);
    return IPR_OK;
}

void formindex_renumber(struct formindex *x, const uint32_t *to)
{
    for (size_t i = 0; i < x->cap; i++)
        if (x->slots[i].form)
            x->slots[i].form = to[x->slots[i].form - 1] + 1;
}
