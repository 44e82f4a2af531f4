/*
 * chunk.h - a reference-counted block of input bytes.
 *
 * The source reads into a chunk.  A record whose values point into it
 * (JSON strings without escapes are not copied) holds a reference, so when
 * the source needs room it moves on to a new chunk instead of overwriting
 * bytes a record still uses: a record handed to another thread stays valid
 * while the reader goes on.  Counts are atomic because a record may be let
 * go on another thread than the one that read it.
 */
#ifndef IPR_INPUT_CHUNK_H
#define IPR_INPUT_CHUNK_H

#include <stdatomic.h>

#include "../base/common.h"

struct chunk {
    atomic_uint refs;
    size_t cap; /* bytes in data */
    char data[];
};

/* A chunk of cap bytes with one reference (the caller's); NULL when out of
 * memory. */
struct chunk *chunk_new(size_t cap);
/* Resizes a chunk nobody else holds; NULL when out of memory (c is then
 * unchanged). */
struct chunk *chunk_resize(struct chunk *c, size_t cap);
void chunk_retain(struct chunk *c);
/* Drops a reference; the last one frees the chunk.  NULL is ignored. */
void chunk_release(struct chunk *c);
/* Does anyone but the caller hold a reference?  (Not const: C11 reads an
 * atomic through a plain pointer.) */
bool chunk_shared(struct chunk *c);

#endif
