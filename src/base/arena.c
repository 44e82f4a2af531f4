/*
 * arena.c - bump allocator (see arena.h).
 *
 * A request larger than the block size gets a block of its own, so a huge
 * field does not make every later block huge.  Blocks double in size up to
 * ARENA_MAX_BLOCK: a compiled registry of 100,000 marks fills some 40 MB,
 * which in blocks of the first size would be hundreds of allocations, and
 * blocks of 2 MiB and more are mapped in whole huge pages (hugepage_alloc),
 * header included, so a block's first touch of each 2 MiB is one fault.
 */
#include "arena.h"

#include <stdlib.h>

#include "hugepage.h"

struct arena_block {
    struct arena_block *next;
    size_t size;        /* usable bytes after the header */
    max_align_t align_; /* forces the data that follows to be aligned */
};

#define ARENA_ALIGN     IPR_ARENA_ALIGN
#define ARENA_MAX_BLOCK ((size_t)8 * 1024 * 1024)

void arena_init(struct arena *a, size_t block_size)
{
    a->head = NULL;
    a->next = NULL;
    a->avail = 0;
    a->block_size = block_size ? block_size : 64u * 1024u;
    a->next_size = a->block_size;
    a->used_total = 0;
}

void arena_release(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        hugepage_free(b, sizeof(*b) + b->size);
        b = next;
    }
    a->head = NULL;
    a->next = NULL;
    a->avail = 0;
    a->used_total = 0;
    a->next_size = a->block_size;
}

void arena_adopt(struct arena *a, struct arena *from)
{
    if (!from->head)
        return;
    if (!a->head) {
        a->head = from->head;
        a->next = from->next;
        a->avail = from->avail;
    } else {
        /* behind a's head block, which keeps filling; from's free bytes go unused */
        struct arena_block *last = from->head;
        while (last->next)
            last = last->next;
        last->next = a->head->next;
        a->head->next = from->head;
    }
    a->used_total += from->used_total;
    from->head = NULL;
    arena_release(from);
}

void arena_mark(const struct arena *a, struct arena_mark *m)
{
    m->head = a->head;
    m->behind = a->head ? a->head->next : NULL;
    m->next = a->next;
    m->avail = a->avail;
    m->next_size = a->next_size;
    m->used_total = a->used_total;
}

void arena_rollback(struct arena *a, const struct arena_mark *m)
{
    /* blocks made since are all before m->behind: new heads go in front,
     * oversized blocks right behind the head of their time */
    struct arena_block *b = a->head;
    while (b != m->behind) {
        struct arena_block *next = b->next;
        if (b != m->head)
            hugepage_free(b, sizeof(*b) + b->size);
        b = next;
    }
    a->head = m->head;
    if (m->head)
        m->head->next = m->behind;
    a->next = m->next;
    a->avail = m->avail;
    a->next_size = m->next_size;
    a->used_total = m->used_total;
}

static unsigned char *block_data(struct arena_block *b)
{
    return (unsigned char *)(b + 1);
}

void arena_reset(struct arena *a)
{
    if (!a->head)
        return;
    /* keep the oldest (last) block: it has the default size */
    struct arena_block *b = a->head, *keep = NULL;
    while (b) {
        struct arena_block *next = b->next;
        if (!next && b->size == a->block_size)
            keep = b;
        else
            hugepage_free(b, sizeof(*b) + b->size);
        b = next;
    }
    a->head = keep;
    a->next = NULL;
    a->avail = 0;
    if (keep) {
        keep->next = NULL;
        a->next = block_data(keep);
        a->avail = keep->size;
    }
    a->used_total = 0;
    a->next_size = a->block_size;
}

void *arena_alloc_block(struct arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size <= a->avail) { /* the inline test refused only size 0 */
        void *p = a->next;
        a->next += size;
        a->avail -= size;
        a->used_total += size;
        return p;
    }
    size_t bsize = size > a->next_size ? size : a->next_size;
    if (bsize > SIZE_MAX - sizeof(struct arena_block) - IPR_HUGEPAGE_MIN)
        return NULL;
    size_t total = sizeof(struct arena_block) + bsize;
    /* a block of whole huge pages holds its header too, when the request
     * still fits: 2 MiB, not 2 MiB and a header (which would map 4) */
    size_t whole = total & ~(IPR_HUGEPAGE_MIN - 1);
    if (whole >= IPR_HUGEPAGE_MIN && sizeof(struct arena_block) + size <= whole)
        total = whole;
    /* small blocks are not zeroed: bump allocation writes what it hands out */
    size_t got = total;
    struct arena_block *nb = total < IPR_HUGEPAGE_MIN ? malloc(total) : hugepage_alloc(total, &got);
    if (!nb)
        return NULL;
    bsize = got - sizeof(struct arena_block);
    nb->size = bsize;
    a->used_total += size;
    if (a->head && bsize > a->next_size) {
        /* oversized block goes behind the current one, which keeps filling */
        nb->next = a->head->next;
        a->head->next = nb;
        return block_data(nb);
    }
    nb->next = a->head;
    a->head = nb;
    a->next = block_data(nb) + size;
    a->avail = bsize - size;
    if (a->next_size < ARENA_MAX_BLOCK)
        a->next_size = a->next_size * 2 < ARENA_MAX_BLOCK ? a->next_size * 2 : ARENA_MAX_BLOCK;
    return block_data(nb);
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *arena_alloc_text_block(struct arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size <= a->avail) { /* the inline test refused only size 0 */
        a->avail -= size;
        a->used_total += size;
        return (char *)a->next + a->avail;
    }
    /* a new block: its aligned bottom stays free for the allocations after
     * this one, and the text goes at its top */
    struct arena_block *head = a->head;
    char *p = arena_alloc_block(a, size);
    if (!p || a->head == head)
        return p; /* out of memory, or an oversized block of its own behind the head */
    /* a new head block: the bottom arena_alloc_block took is given back,
     * and the text goes at the top */
    size_t rounded = (size_t)(a->next - (unsigned char *)p);
    a->next = (unsigned char *)p;
    a->avail += rounded - size;
    a->used_total -= rounded - size;
    return (char *)a->next + a->avail;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc_text(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}
