/*
 * nearkeys.c - the near-miss filter (see nearkeys.h).  The eight odd
 * constants that spread a key's bits over the words of its block are the
 * salts of Parquet's split block Bloom filter, a published layout of the
 * same shape.
 */
#include "nearkeys.h"

#include <stdlib.h>

#include "../base/hugepage.h"
#include "../base/strmap.h"

#define BITS_PER_KEY 12

static size_t filter_bytes(size_t block_count)
{
    return block_count * NEARKEYS_BLOCK_WORDS * sizeof(uint64_t);
}

ipr_status nearkeys_init(struct nearkeys *nk, size_t key_count)
{
    memset(nk, 0, sizeof(*nk));
    if (!key_count)
        return IPR_OK;
    if (key_count > SIZE_MAX / BITS_PER_KEY / 2)
        return IPR_ENOMEM;
    size_t blocks = (key_count * BITS_PER_KEY + 511) / 512;
    if (blocks > UINT32_MAX)
        return IPR_ENOMEM; /* the block index is the top of a 32-bit product */
    nk->blocks = hugepage_alloc(filter_bytes(blocks), NULL); /* zeroed */
    if (!nk->blocks)
        return IPR_ENOMEM;
    nk->block_count = blocks;
    return IPR_OK;
}

void nearkeys_release(struct nearkeys *nk)
{
    hugepage_free(nk->blocks, filter_bytes(nk->block_count));
    memset(nk, 0, sizeof(*nk));
}

void nearkeys_add(struct nearkeys *nk, uint64_t h)
{
    if (!nk->blocks)
        return;
    uint64_t *b = (uint64_t *)nearkeys_block(nk, h);
    for (unsigned w = 0; w < NEARKEYS_BLOCK_WORDS; w++)
        b[w] |= nearkeys_bit(h, w);
    nk->key_count++;
}

void nearkeys_add_spelling(struct nearkeys *nk, const char *s, size_t len)
{
    char del[64];
    if (len > sizeof(del))
        return;
    /* the keys' blocks lie all over a filter of megabytes: fetched
     * together, their cache misses overlap */
    uint64_t hashes[65];
    size_t count = 0;
    hashes[count++] = strmap_hash(s, len);
    for (size_t d = 0; d < len; d++) {
        memcpy(del, s, d);
        memcpy(del + d, s + d + 1, len - d - 1);
        hashes[count++] = strmap_hash(del, len - 1);
    }
    for (size_t k = 0; k < count; k++)
        nearkeys_prefetch(nk, hashes[k]);
    for (size_t k = 0; k < count; k++)
        nearkeys_add(nk, hashes[k]);
}
