/*
 * chunk.c - see chunk.h.
 */
#include "chunk.h"

#include <stdlib.h>

#include "../base/hugepage.h"

/* From this size on a chunk is in whole huge pages (hugepage_grow).  The
 * source moves to a fresh chunk about every megabyte of input while records
 * still hold the last one; fresh memory in 4 KiB pages was 256 page faults
 * a chunk, a fifth of the page faults of a whole scan. */
#define CHUNK_HUGE_MIN ((size_t)512 * 1024)

/* Room for a chunk of cap bytes: malloc'd when small, else huge pages, all
 * of whose bytes the chunk then offers (the kernel zeroed them anyway, and
 * the source moves to a new chunk half as often). */
static struct chunk *place(struct chunk *old, size_t cap)
{
    if (cap > SIZE_MAX - sizeof(struct chunk) - IPR_HUGEPAGE_MIN)
        return NULL;
    size_t total = sizeof(struct chunk) + cap;
    if (total < CHUNK_HUGE_MIN) {
        struct chunk *c = realloc(old, total);
        if (c)
            c->cap = cap;
        return c;
    }
    size_t used = old ? sizeof(struct chunk) + old->cap : 0, got = 0;
    struct chunk *c =
        hugepage_grow(old, used, total > IPR_HUGEPAGE_MIN ? total : IPR_HUGEPAGE_MIN, &got);
    if (c)
        c->cap = got - sizeof(struct chunk);
    return c;
}

struct chunk *chunk_new(size_t cap)
{
    struct chunk *c = place(NULL, cap);
    if (c)
        atomic_init(&c->refs, 1u);
    return c;
}

struct chunk *chunk_resize(struct chunk *c, size_t cap)
{
    return cap <= c->cap ? c : place(c, cap);
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
