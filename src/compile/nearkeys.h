/*
 * nearkeys.h - the near-miss index of the trademark registry: every
 * spelling of five or more letters and each of its one-letter deletions,
 * kept as hashes only.
 *
 * Symmetric deletion: a word is within one edit of a spelling when some
 * deletion variant of one equals a deletion variant (or the whole) of the
 * other.  A slot is four bytes and holds no key text: the index of the
 * spelling the key came from in the low bits (as many as the spellings
 * need) and a fingerprint of the key in the rest, 15 bits for 100,000
 * marks.  Every candidate is verified against the spelling by the caller,
 * so a fingerprint collision costs a comparison, never a wrong hit.
 */
#ifndef IPR_COMPILE_NEARKEYS_H
#define IPR_COMPILE_NEARKEYS_H

#include "../base/vec.h"

struct near_spelling {
    const char *name; /* the spelling ("denimtears"), owned by the markset's arena */
    uint32_t mark;    /* index into the markset */
    uint16_t len;
    bool compact; /* a multi-word name run together */
};

struct nearkeys {
    uint32_t *slots; /* owned: fingerprint << index_bits | spelling; 0 empty.  A power
                        of two, at most half full */
    size_t mask;
    unsigned index_bits; /* bits of a slot that hold the spelling */
    /* owned: one byte of bits per slot, two bits per key.  Most words are
     * near no mark, and their keys stop here, in a table a quarter the
     * size of the slots (2 MiB against 8 MiB for 100,000 marks). */
    uint64_t *filter;
    struct near_spelling *spellings; /* owned */
    size_t count;
};

/* A walk over the spellings that may have a key. */
struct near_iter {
    uint32_t fp;
    size_t pos;
    uint64_t h; /* the key's hash, between start and ready */
};

/* nearkeys_iter in two steps, so that the lookups of many keys overlap:
 * start hashes the key and prefetches the filter word and first slot it
 * needs; ready then decides as nearkeys_iter does.  The near-miss pass
 * looks up every one-deletion variant of a token, each a likely cache miss
 * in a table of millions of keys. */
void nearkeys_iter_start(const struct nearkeys *nk, const char *key, size_t len,
                         struct near_iter *it);
void nearkeys_iter_ready(const struct nearkeys *nk, struct near_iter *it);

/* Builds the table from spellings (struct near_spelling; the vector is
 * emptied: the table takes its items).  IPR_ENOMEM. */
ipr_status nearkeys_build(struct nearkeys *nk, struct vec *spellings);
void nearkeys_release(struct nearkeys *nk);

void nearkeys_iter(const struct nearkeys *nk, const char *key, size_t len, struct near_iter *it);
/* The next spelling whose key fingerprint equals the key's; NULL at the end. */
const struct near_spelling *nearkeys_next(const struct nearkeys *nk, struct near_iter *it);

#endif
