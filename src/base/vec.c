/*
 * vec.c - growable array (see vec.h).  Capacity doubles; the multiplication
 * is checked so a huge count cannot wrap into a small allocation.
 */
#include "vec.h"

#include <stdlib.h>

#include "hugepage.h"

void vec_init(struct vec *v, size_t elem_size)
{
    v->items = NULL;
    v->count = 0;
    v->cap = 0;
    v->elem_size = elem_size;
}

void vec_release(struct vec *v)
{
    free(v->items);
    v->items = NULL;
    v->count = 0;
    v->cap = 0;
}

ipr_status vec_reserve(struct vec *v, size_t cap)
{
    if (cap <= v->cap)
        return IPR_OK;
    if (cap > SIZE_MAX / v->elem_size)
        return IPR_ENOMEM;
    /* an array of megabytes moves into huge pages: its first touch of
     * each 2 MiB is then one page fault, not 512 (the mark index of
     * 100,000 marks grows arrays of some 20 MB in all) */
    size_t got = 0;
    void *p = hugepage_grow(v->items, v->count * v->elem_size, cap * v->elem_size, &got);
    if (!p)
        return IPR_ENOMEM;
    v->items = p;
    v->cap = got / v->elem_size;
    return IPR_OK;
}

void *vec_push(struct vec *v)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap < v->cap || vec_reserve(v, cap) != IPR_OK)
            return NULL;
    }
    void *slot = vec_at(v, v->count++);
    memset(slot, 0, v->elem_size);
    return slot;
}

ipr_status vec_reserve_extra(struct vec *v, size_t extra)
{
    if (extra > SIZE_MAX / v->elem_size - v->count)
        return IPR_ENOMEM;
    size_t need = v->count + extra;
    if (need <= v->cap)
        return IPR_OK;
    return vec_reserve(v, need < v->cap * 2 ? v->cap * 2 : need);
}
