/*
 * strmap.h - open-addressing hash map from byte strings to 32-bit values.
 *
 * Used for word-token lookups on the hot path (trademark first tokens,
 * dictionary words), so lookups take a (pointer, length) view and never
 * allocate.  Keys are copied into the map's arena.  Not thread-safe for
 * writes; a built map is read-only and may be shared.
 */
#ifndef IPR_BASE_STRMAP_H
#define IPR_BASE_STRMAP_H

#include "arena.h"

struct strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t value;
    uint64_t hash;
};

struct strmap {
    struct strmap_slot *slots; /* owned */
    size_t cap;                /* power of two */
    size_t count;
    uint64_t *filter; /* owned: cap bytes of bits, two per key; most misses stop here */
    struct arena keys;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* Makes room for count keys in all, so building a large map never rehashes.
 * IPR_ENOMEM. */
ipr_status strmap_reserve(struct strmap *m, size_t count);
/* Inserts or replaces.  IPR_ENOMEM. */
ipr_status strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value);
/* Finds key; returns false when absent. */
bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *value);
uint64_t strmap_hash(const char *key, size_t len);

#endif
