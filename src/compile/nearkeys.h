/*
 * nearkeys.h - the near-miss filter of the trademark registry: every
 * spelling of five or more letters and each of its one-letter deletions,
 * kept as bits only.
 *
 * Symmetric deletion: a word is within one edit of a spelling when some
 * deletion variant of one equals a deletion variant (or the whole) of the
 * other.  The filter answers "is this one of the keys?" and nothing more;
 * which spellings made a key is found again from the word itself, through
 * the registry's form table (mark_match.c), for the rare key that passes.
 * So the index holds no key text and no spelling numbers: a byte a key or
 * less (the owner picks, below), where a table of keys and spellings took
 * ten (100 B per mark of the 100,000-mark registry, a fifth of its
 * memory).
 *
 * Blocked Bloom filter: a key's bits all lie in one block, one bit in each
 * of its words, so a lookup costs one cache miss.  The owner picks the
 * bits per key, and the block follows: from 9 bits a key on, eight words
 * (64 bytes, eight bits a key); below, four (32 bytes, four bits a key),
 * since fewer bits fill eight words too densely (at 6 bits a key eight
 * passed one absent key in 11, four one in 17, and four at 5 bits one in
 * 10; at 8 bits both one in 40).  At 12 bits a key it passes about one
 * absent key in 300, at 10 one in 120, at 8 one in 40, at 6 one in 18, at
 * 5 one in 11 (test_compile_nearkeys measures them; at 16, one in 1,500);
 * every pass is verified by the caller, so a false one costs lookups,
 * never a wrong hit.
 */
#ifndef IPR_COMPILE_NEARKEYS_H
#define IPR_COMPILE_NEARKEYS_H

#include "../base/common.h"

#define NEARKEYS_BLOCK_WORDS  8  /* 64 bytes, one cache line: the widest block */
#define NEARKEYS_NARROW_WORDS 4  /* the block below NEARKEYS_WIDE_BITS bits a key */
#define NEARKEYS_WIDE_BITS    9u /* bits a key from which a block is 8 words */
#define NEARKEYS_SPELLING_MAX 64 /* longer spellings have no keys */

struct nearkeys {
    uint64_t *blocks; /* owned: block_count * words words */
    size_t block_count;
    unsigned words;   /* a block's: NEARKEYS_BLOCK_WORDS or NEARKEYS_NARROW_WORDS */
    size_t key_count; /* keys added; 0: no spelling has near-misses */
};

/* Sizes an empty filter for key_count keys, bits_per_key bits each (1 to
 * 64, else IPR_EINVAL).  IPR_ENOMEM. */
ipr_status nearkeys_init(struct nearkeys *nk, size_t key_count, unsigned bits_per_key);
void nearkeys_release(struct nearkeys *nk);

/* The hash of the key of len bytes at key, as the filter takes it.  A
 * polynomial in the bytes, finished by a mixer: a spelling's own and all
 * its deletions' hashes then come from one pass over it
 * (nearkeys_spelling_hashes) instead of one hash of each deletion written
 * out, which took twice the instructions (41 M more to compile 100,000
 * marks, 1.5 % more to scan). */
uint64_t nearkeys_hash(const char *key, size_t len);

/* The hashes of the keys of a spelling of len bytes (at most
 * NEARKEYS_SPELLING_MAX): out[d], d < len, of s less its d-th byte, and
 * out[len] of s itself; each equal to nearkeys_hash of that key. */
void nearkeys_spelling_hashes(const char *s, size_t len, uint64_t *out);

/* Adds the key whose nearkeys_hash is h. */
void nearkeys_add(struct nearkeys *nk, uint64_t h);

/* Adds a spelling (ASCII, at most NEARKEYS_SPELLING_MAX bytes): itself and
 * each of its one-letter deletions. */
void nearkeys_add_spelling(struct nearkeys *nk, const char *s, size_t len);

static inline const uint64_t *nearkeys_block(const struct nearkeys *nk, uint64_t h)
{
    /* the hash's upper half picks the block (multiply-shift: any count),
     * the lower half the bits */
    size_t block = (size_t)(((h >> 32) * (uint64_t)nk->block_count) >> 32);
    return nk->blocks + block * nk->words;
}

/* One bit per word: the word's index times an odd constant, so the bits
 * of a key are different functions of the same 32 bits. */
static inline uint64_t nearkeys_bit(uint64_t h, unsigned word)
{
    static const uint32_t salt[NEARKEYS_BLOCK_WORDS] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu,
                                                        0xa2b7289du, 0x705495c7u, 0x2df1424bu,
                                                        0x9efc4947u, 0x5c6bfb31u};
    return 1ull << (((uint32_t)h * salt[word]) >> 26);
}

static inline void nearkeys_prefetch(const struct nearkeys *nk, uint64_t h)
{
    if (nk->blocks)
        __builtin_prefetch(nearkeys_block(nk, h));
}

/* May the key whose nearkeys_hash is h be one of the keys?  false: surely not. */
static inline bool nearkeys_may_hold(const struct nearkeys *nk, uint64_t h)
{
    if (!nk->blocks)
        return false;
    const uint64_t *b = nearkeys_block(nk, h);
#pragma GCC unroll 4 /* each word's salt a constant of its multiply */
    for (unsigned w = 0; w < NEARKEYS_NARROW_WORDS; w++)
        if (!(b[w] & nearkeys_bit(h, w)))
            return false;
    if (nk->words == NEARKEYS_NARROW_WORDS)
        return true;
#pragma GCC unroll 4
    for (unsigned w = NEARKEYS_NARROW_WORDS; w < NEARKEYS_BLOCK_WORDS; w++)
        if (!(b[w] & nearkeys_bit(h, w)))
            return false;
    return true;
}

#endif
