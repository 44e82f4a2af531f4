/*
 * chunk.c - see chunk.h.
 */
#include "chunk.h"

#include <stdlib.h>

#include "../base/hugepage.h"

/* From this size on a chunk is mapped in whole huge pages.  The source
 * moves to a fresh chunk about every megabyte of input while records still
 * hold the last one; fresh memory from malloc was 256 page faults a chunk,
 * a fifth of the page faults of a whole scan. */
#define CHUNK_HUGE_MIN ((size_t)512 * 1024)

struct chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(struct chunk) - IPR_HUGEPAGE_MIN)
        return NULL;
    size_t total = sizeof(struct chunk) + cap, alloc = 0;
    struct chunk *c;
    if (total >= CHUNK_HUGE_MIN)
        c = hugepage_alloc(total > IPR_HUGEPAGE_MIN ? total : IPR_HUGEPAGE_MIN, &alloc);
    else
        c = malloc(total);
    if (!c)
        return NULL;
    atomic_init(&c->refs, 1u);
    c->cap = cap;
    c->alloc = alloc;
    return c;
}

struct chunk *chunk_resize(struct chunk *c, size_t cap)
{
    size_t total = sizeof(struct chunk) + cap;
    if (c->alloc && total <= c->alloc) {
        c->cap = cap; /* the mapping has room */
        return c;
    }
    if (c->alloc || total >= CHUNK_HUGE_MIN) {
        struct chunk *r = chunk_new(cap);
        if (!r)
            return NULL;
        memcpy(r->data, c->data, c->cap < cap ? c->cap : cap);
        chunk_release(c);
        return r;
    }
    struct chunk *r = realloc(c, total);
    if (r)
        r->cap = cap;
    return r;
}

void chunk_retain(struct chunk *c)
{
    atomic_fetch_add_explicit(&c->refs, 1u, memory_order_relaxed);
}

void chunk_release(struct chunk *c)
{
    /* the last holder must see every write the others made before letting go */
    if (c && atomic_fetch_sub_explicit(&c->refs, 1u, memory_order_acq_rel) == 1u) {
        if (c->alloc)
            hugepage_free(c, c->alloc);
        else
            free(c);
    }
}

bool chunk_shared(struct chunk *c)
{
    return atomic_load_explicit(&c->refs, memory_order_acquire) > 1u;
}
