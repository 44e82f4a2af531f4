/*
 * nearkeys.c - the near-miss filter (see nearkeys.h).  The eight odd
 * constants that spread a key's bits over the words of its block are the
 * salts of Parquet's split block Bloom filter, a published layout of the
 * same shape.
 */
#include "nearkeys.h"

#include <stdlib.h>

#include "../base/hugepage.h"

static size_t filter_bytes(const struct nearkeys *nk)
{
    return nk->block_count * nk->words * sizeof(uint64_t);
}

ipr_status nearkeys_init(struct nearkeys *nk, size_t key_count, unsigned bits_per_key)
{
    memset(nk, 0, sizeof(*nk));
    if (!key_count)
        return IPR_OK;
    if (bits_per_key == 0 || bits_per_key > 64)
        return IPR_EINVAL;
    if (key_count > SIZE_MAX / 64 / 2)
        return IPR_ENOMEM;
    unsigned words =
        bits_per_key >= NEARKEYS_WIDE_BITS ? NEARKEYS_BLOCK_WORDS : NEARKEYS_NARROW_WORDS;
    size_t block_bits = words * 64u,
           blocks = (key_count * bits_per_key + block_bits - 1) / block_bits;
    if (blocks > UINT32_MAX)
        return IPR_ENOMEM; /* the block index is the top of a 32-bit product */
    nk->words = words;
    nk->block_count = blocks;
    nk->blocks = hugepage_alloc_table(filter_bytes(nk), NULL); /* zeroed */
    if (!nk->blocks) {
        memset(nk, 0, sizeof(*nk));
        return IPR_ENOMEM;
    }
    return IPR_OK;
}

void nearkeys_release(struct nearkeys *nk)
{
    hugepage_free(nk->blocks, filter_bytes(nk));
    memset(nk, 0, sizeof(*nk));
}

void nearkeys_add(struct nearkeys *nk, uint64_t h)
{
    if (!nk->blocks)
        return;
    uint64_t *b = (uint64_t *)nearkeys_block(nk, h);
    for (unsigned w = 0; w < nk->words; w++)
        b[w] |= nearkeys_bit(h, w);
    nk->key_count++;
}

/* The polynomial's base: odd, so that no power of it is zero modulo 2^64. */
#define POLY_BASE 0x9E3779B97F4A7C15ull

/* Spreads the polynomial's bits over the whole word (the finalizer of
 * MurmurHash3): its low bits depend on the low bits of the bytes alone. */
static uint64_t finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

uint64_t nearkeys_hash(const char *key, size_t len)
{
    /* each byte counts as itself plus one: a leading zero byte still counts */
    uint64_t h = 0;
    for (size_t i = 0; i < len; i++)
        h = h * POLY_BASE + (unsigned char)key[i] + 1u;
    return finish(h + len);
}

void nearkeys_spelling_hashes(const char *s, size_t len, uint64_t *out)
{
    /* the polynomial of s less byte d is that of the bytes before d
     * shifted up by the len - 1 - d bytes after it, plus theirs */
    uint64_t after[NEARKEYS_SPELLING_MAX + 1], power[NEARKEYS_SPELLING_MAX];
    uint64_t p = 1;
    after[len] = 0;
    for (size_t i = len; i-- > 0;) {
        power[i] = p; /* base^(len - 1 - i) */
        after[i] = after[i + 1] + ((unsigned char)s[i] + 1u) * p;
        p *= POLY_BASE;
    }
    uint64_t before = 0;
    for (size_t d = 0; d < len; d++) {
        out[d] = finish(before * power[d] + after[d + 1] + (len - 1));
        before = before * POLY_BASE + (unsigned char)s[d] + 1u;
    }
    out[len] = finish(before + len);
}

void nearkeys_add_spelling(struct nearkeys *nk, const char *s, size_t len)
{
    if (len > NEARKEYS_SPELLING_MAX)
        return;
    /* the keys' blocks lie all over a filter of megabytes: fetched
     * together, their cache misses overlap */
    uint64_t hashes[NEARKEYS_SPELLING_MAX + 1];
    nearkeys_spelling_hashes(s, len, hashes);
    for (size_t k = 0; k <= len; k++)
        nearkeys_prefetch(nk, hashes[k]);
    for (size_t k = 0; k <= len; k++)
        nearkeys_add(nk, hashes[k]);
}
