/*
 * arena.h - bump allocator: many allocations, one free.
 *
 * The compiled ruleset and each record's fields live in arenas, so there is
 * no per-node free and no leak path on error: releasing the arena frees all.
 * Allocations are 16-byte aligned, except text (arena_alloc_text and the
 * string copies), which is packed down from the top of a block while the
 * aligned allocations go up from its bottom.  arena_reset keeps the first
 * block for reuse, which is what makes per-record scratch allocation-free
 * in steady state.
 */
#ifndef IPR_BASE_ARENA_H
#define IPR_BASE_ARENA_H

#include "common.h"

struct arena_block;

#define IPR_ARENA_ALIGN 16u

struct arena {
    struct arena_block *head; /* newest block first */
    unsigned char *next;      /* the head block's free bytes: avail of them at next */
    size_t avail;
    size_t block_size; /* size of the first block, and of the one reset keeps */
    size_t next_size;  /* size of the next block: doubles up to ARENA_MAX_BLOCK */
    size_t used_total; /* bytes handed out since the last reset */
};

void arena_init(struct arena *a, size_t block_size);
void arena_release(struct arena *a);
/* Frees all but one block and makes the arena empty again. */
void arena_reset(struct arena *a);
/* Moves the blocks of `from` into a, so that what was allocated in `from`
 * lives until a is released; `from` is left empty and may be used again.
 * For work done in an arena of its own (another thread) whose results join
 * a's. */
void arena_adopt(struct arena *a, struct arena *from);
/* Where an arena stands, to go back to (arena_rollback). */
struct arena_mark {
    struct arena_block *head, *behind; /* the head block then, and the one after it */
    unsigned char *next;
    size_t avail, next_size, used_total;
};

void arena_mark(const struct arena *a, struct arena_mark *m);
/* Frees what was allocated since arena_mark(a, m), which must have been
 * the last thing done to a but allocating (no reset, release or adopt
 * since).  For work that may have to start again, such as a file read
 * twice when the first reading stops halfway. */
void arena_rollback(struct arena *a, const struct arena_mark *m);

/* arena_alloc when the head block is full: a new block. */
void *arena_alloc_block(struct arena *a, size_t size);

/* NULL when out of memory.  Inline: a record's fields take one each, and
 * the call was most of the cost of one. */
static inline void *arena_alloc(struct arena *a, size_t size)
{
    size_t rounded = (size + IPR_ARENA_ALIGN - 1) & ~(size_t)(IPR_ARENA_ALIGN - 1);
    if (size - 1 < rounded && rounded <= a->avail) {
        void *p = a->next; /* size - 1 < rounded: not 0, and rounding did not wrap */
        a->next += rounded;
        a->avail -= rounded;
        a->used_total += rounded;
        return p;
    }
    return arena_alloc_block(a, size);
}
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* arena_alloc_text when the head block is full. */
char *arena_alloc_text_block(struct arena *a, size_t size);

/* size bytes without alignment, for text: taken from the top of the head
 * block's free bytes while aligned allocations take from the bottom, so a
 * short string costs its length, not a 16-byte step.  NULL when out of
 * memory. */
static inline char *arena_alloc_text(struct arena *a, size_t size)
{
    if (size - 1 < a->avail) { /* not 0, and it fits */
        a->avail -= size;
        a->used_total += size;
        return (char *)a->next + a->avail;
    }
    return arena_alloc_text_block(a, size);
}

/* Copies of text, NUL-terminated, in unaligned bytes (arena_alloc_text). */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);

#endif
