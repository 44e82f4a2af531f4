/*
 * strmap.h - open-addressing hash map from byte strings to 32-bit values.
 *
 * Used for word-token lookups on the hot path (trademark first tokens,
 * dictionary words), so lookups take a (pointer, length) view and never
 * allocate.  Keys are copied into the map's pool (4 GiB at most).  Not
 * thread-safe for writes; a built map is read-only and may be shared.
 */
#ifndef IPR_BASE_STRMAP_H
#define IPR_BASE_STRMAP_H

#include "common.h"

/* 16 bytes: a table of a million slots is 16 MiB, not 24. */
struct strmap_slot {
    uint32_t key; /* 1 + offset of the key in the pool; 0: empty */
    uint32_t len; /* key length */
    uint32_t value;
    uint32_t tag; /* the hash's upper half: most unequal keys differ here */
};

struct strmap {
    struct strmap_slot *slots; /* owned */
    size_t cap;                /* slots: any number up to 2^31 */
    size_t count;
    uint64_t *filter;  /* owned: filter_cap bytes of bits, two per key; most misses stop here */
    size_t filter_cap; /* the power of two at or above cap */
    char *pool;        /* owned: the keys back to back, without terminators */
    size_t pool_len, pool_cap;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* Makes room for count keys in all, so building a large map never rehashes.
 * IPR_ENOMEM. */
ipr_status strmap_reserve(struct strmap *m, size_t count);
/* Makes room for bytes of keys in all, so a map built from a known list
 * copies its keys once.  IPR_ENOMEM. */
ipr_status strmap_reserve_pool(struct strmap *m, size_t bytes);
/* Inserts or replaces.  IPR_ENOMEM. */
ipr_status strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value);
/* Inserts or replaces, and gives the value it replaced in *old (UINT32_MAX
 * when the key is new): one probe for "push onto the chain of this key".
 * IPR_ENOMEM. */
ipr_status strmap_exchange(struct strmap *m, const char *key, size_t len, uint32_t value,
                           uint32_t *old);
/* strmap_exchange for a key whose strmap_hash is h. */
ipr_status strmap_exchange_hashed(struct strmap *m, const char *key, size_t len, uint64_t h,
                                  uint32_t value, uint32_t *old);
/* Finds key; returns false when absent. */
bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *value);
/* strmap_get for a key whose strmap_hash is h: one hash serves several
 * maps, and after strmap_prefetch their lookups' first cache misses
 * overlap. */
bool strmap_get_hashed(const struct strmap *m, const char *key, size_t len, uint64_t h,
                       uint32_t *value);
/* 64 bits of key, well mixed: a word at a time, the same on every run
 * (no seed), so a map behaves the same from run to run. */
uint64_t strmap_hash(const char *key, size_t len);

/* A bit filter in front of a hash table of `cap` slots (any multiple of
 * 8; the string map's a power of two): cap * 8 bits, two per key, taken
 * from parts of the 64-bit hash that the slot position uses little.  Most
 * lookups of absent keys stop here, in a table far smaller than the
 * slots.  Both bits of a key are in one 64-bit word, so a lookup costs one
 * cache miss, not two (blocked Bloom filter; at the most a map is loaded
 * to, two keys in three slots, it lets about 3 % of absent keys through:
 * test_base_strmap).  The string map has one, the first-token index
 * (compile/formindex.c) and the split filter (compile/markset.c) others. */
static inline size_t hash_filter_word(uint64_t h, size_t cap)
{
    /* multiply-shift: any number of words */
    return (size_t)((((h * 0x9E3779B97F4A7C15ull) >> 32) * (uint64_t)(cap / 8)) >> 32);
}

static inline uint64_t hash_filter_mask(uint64_t h)
{
    return 1ull << (h >> 40 & 63) | 1ull << (h >> 46 & 63);
}

static inline void hash_filter_set(uint64_t *filter, size_t cap, uint64_t h)
{
    filter[hash_filter_word(h, cap)] |= hash_filter_mask(h);
}

static inline bool hash_filter_may_hold(const uint64_t *filter, size_t cap, uint64_t h)
{
    uint64_t mask = hash_filter_mask(h);
    return (filter[hash_filter_word(h, cap)] & mask) == mask;
}

/* The slots of an open-addressing table for at most `keys` keys: three
 * in four full, rounded to whole cache lines of 16-byte slots, and always
 * one empty slot to end a probe.  Any number: see strmap_slot_of. */
static inline size_t hash_table_slots(size_t keys)
{
    return (keys / 3 * 4 + 8) & ~(size_t)3;
}

/* The size a filter of a table of `slots` slots is indexed as
 * (hash_filter_word): the power of two at or above it, 64 at least. */
static inline size_t hash_filter_cap(size_t slots)
{
    size_t f = 64;
    while (f < slots)
        f *= 2;
    return f;
}

/* The first slot of hash h in a table of cap slots (cap < 2^32): its low
 * half scaled to the table, so any size works; the tag is the high half. */
static inline size_t strmap_slot_of(uint64_t h, size_t cap)
{
    return (size_t)(((h & 0xFFFFFFFFull) * (uint64_t)cap) >> 32);
}

/* Starts loading the slot an insert of hash h probes first: a map built
 * from a long list hashes a few keys ahead, so that the cache misses of
 * their slots overlap.  Slots move only when the map grows. */
static inline void strmap_prefetch_slot(const struct strmap *m, uint64_t h)
{
    if (m->cap)
        __builtin_prefetch(&m->slots[strmap_slot_of(h, m->cap)], 1);
}

/* Starts loading the filter word a lookup of hash h reads first. */
static inline void strmap_prefetch(const struct strmap *m, uint64_t h)
{
    if (m->cap)
        __builtin_prefetch(&m->filter[hash_filter_word(h, m->filter_cap)]);
}

#endif
