/*
 * vec.h - a growable array of fixed-size elements.
 *
 * Untyped on purpose (elem_size is stored) so one implementation serves every
 * element type without macros that hide control flow.  Callers cast the
 * result of vec_at / vec_push to their element type.
 */
#ifndef IPR_BASE_VEC_H
#define IPR_BASE_VEC_H

#include "common.h"

struct vec {
    void *items;      /* owned */
    size_t count;     /* elements in use */
    size_t cap;       /* elements allocated */
    size_t elem_size; /* bytes per element */
};

void vec_init(struct vec *v, size_t elem_size);
void vec_release(struct vec *v);
/* Makes room for cap elements in all, so a vector of known size grows
 * once.  IPR_ENOMEM. */
ipr_status vec_reserve(struct vec *v, size_t cap);
/* Makes room for extra more elements.  A growing capacity at least doubles,
 * so a vector filled by several calls (one per file) is copied O(1) times
 * per element.  IPR_ENOMEM. */
ipr_status vec_reserve_extra(struct vec *v, size_t extra);
/* Appends one zeroed element and returns it; NULL when out of memory. */
void *vec_push(struct vec *v);
static inline void *vec_at(const struct vec *v, size_t i)
{
    return (char *)v->items + i * v->elem_size;
}
static inline void vec_clear(struct vec *v)
{
    v->count = 0;
}
/* Hands the items to the caller, who frees them, and leaves v empty: a
 * table built in a vector is kept without a copy. */
static inline void *vec_take(struct vec *v)
{
    void *items = v->items;
    v->items = NULL;
    v->count = v->cap = 0;
    return items;
}

#endif
