/*
 * strmap.c - see strmap.h.  Linear probing, load <= 3/4, in a table of any
 * size (hash_table_slots): a table reserved for 115,000 keys has 153,000
 * slots (2.4 MiB), where a power of two at 2/3 load took 262,144 (4 MiB).
 * A hit takes two or three probes on average, in one or two cache lines.
 *
 * Most lookups on the hot path miss (near-miss keys of a word that is no
 * mark), and a miss in a table of many megabytes costs a cache miss.  A
 * bit filter of about one byte per slot, two bits per key, answers almost
 * every miss from a table a sixteenth of the size.
 */
#include "strmap.h"

#include <stdlib.h>

#include "hugepage.h"

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

static inline uint32_t load32(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

/* Eight bytes folded into the state: one multiply, so a word costs two
 * multiplies in a row, not one per byte as FNV-1a did. */
static inline uint64_t hash_step(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 29);
}

uint64_t strmap_hash(const char *key, size_t len)
{
    uint64_t h = 0x243F6A8885A308D3ull ^ (len * 0x9E3779B97F4A7C15ull);
    const unsigned char *p = (const unsigned char *)key;
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 <= len; i += 8)
            h = hash_step(h, load64(p + i));
        if (i < len) /* the last eight bytes, overlapping: the length is in h */
            h = hash_step(h, load64(p + len - 8));
    } else if (len >= 4) {
        h = hash_step(h, (uint64_t)load32(p) << 32 | load32(p + len - 4));
    } else if (len > 0) {
        h = hash_step(h, (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1]);
    }
    /* the finalizer of MurmurHash3: every bit of the key reaches the high
     * bits the tags and filters use */
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

void strmap_init(struct strmap *m)
{
    memset(m, 0, sizeof(*m));
}

/* Bytes of the slot table of cap slots, and of a bit filter indexed as a
 * table of filter_cap slots (a power of two, hash_filter_word). */
static size_t slot_bytes(size_t cap)
{
    return cap * sizeof(struct strmap_slot);
}

static size_t filter_bytes(size_t filter_cap)
{
    return (filter_cap / 8 + 1) * sizeof(uint64_t);
}

/* The most keys a table of cap slots takes: three in four. */
static size_t max_load(size_t cap)
{
    return cap / 4 * 3;
}

void strmap_release(struct strmap *m)
{
    hugepage_free(m->slots, slot_bytes(m->cap));
    hugepage_free(m->filter, filter_bytes(m->filter_cap));
    free(m->pool);
    memset(m, 0, sizeof(*m));
}

static inline uint32_t tag_of(uint64_t h)
{
    return (uint32_t)(h >> 32);
}

/* The slot holding key, or the empty slot where it would go. */
static struct strmap_slot *probe(struct strmap_slot *slots, size_t cap, const char *pool,
                                 uint64_t h, const char *key, size_t len)
{
    size_t i = strmap_slot_of(h, cap);
    uint32_t tag = tag_of(h);
    while (slots[i].key) {
        if (slots[i].tag == tag && slots[i].len == len &&
            memcmp(pool + slots[i].key - 1, key, len) == 0)
            return &slots[i];
        if (++i == cap)
            i = 0;
    }
    return &slots[i];
}

static ipr_status resize(struct strmap *m, size_t cap)
{
    size_t filter_cap = hash_filter_cap(cap);
    struct strmap_slot *slots = hugepage_alloc_table(slot_bytes(cap), NULL);
    uint64_t *filter = hugepage_alloc_table(filter_bytes(filter_cap), NULL);
    if (!slots || !filter) {
        hugepage_free(slots, slot_bytes(cap));
        hugepage_free(filter, filter_bytes(filter_cap));
        return IPR_ENOMEM;
    }
    struct strmap_slot *old = m->slots;
    size_t old_cap = m->cap;
    hugepage_free(m->filter, filter_bytes(m->filter_cap));
    m->slots = slots;
    m->filter = filter;
    m->cap = cap;
    m->filter_cap = filter_cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key) {
            /* slots keep half the hash; the key gives the rest back */
            const char *key = m->pool + old[i].key - 1;
            uint64_t h = strmap_hash(key, old[i].len);
            *probe(slots, cap, m->pool, h, key, old[i].len) = old[i];
            hash_filter_set(m->filter, m->filter_cap, h);
        }
    }
    hugepage_free(old, slot_bytes(old_cap));
    return IPR_OK;
}

ipr_status strmap_reserve(struct strmap *m, size_t count)
{
    if (count <= max_load(m->cap))
        return IPR_OK;
    /* exactly what count keys need; slot positions are 32-bit */
    if (count > UINT32_MAX / 2)
        return IPR_ENOMEM;
    size_t cap = hash_table_slots(count);
    return resize(m, cap < 64 ? 64 : cap);
}

ipr_status strmap_reserve_pool(struct strmap *m, size_t bytes)
{
    if (bytes <= m->pool_cap)
        return IPR_OK;
    size_t got = 0; /* a pool of megabytes moves into huge pages, as arrays do */
    char *pool = hugepage_grow(m->pool, m->pool_len, bytes, &got);
    if (!pool)
        return IPR_ENOMEM;
    m->pool = pool;
    m->pool_cap = got;
    return IPR_OK;
}

ipr_status strmap_exchange(struct strmap *m, const char *key, size_t len, uint32_t value,
                           uint32_t *old)
{
    return strmap_exchange_hashed(m, key, len, strmap_hash(key, len), value, old);
}

/* Room for len more bytes in the pool.  IPR_ELIMIT: offsets are 32-bit. */
static ipr_status pool_room(struct strmap *m, size_t len)
{
    if (len > UINT32_MAX - 1 - m->pool_len)
        return IPR_ELIMIT;
    if (m->pool && m->pool_len + len <= m->pool_cap)
        return IPR_OK;
    size_t cap = m->pool_cap ? m->pool_cap : 4096;
    while (cap < m->pool_len + len)
        cap *= 2;
    return strmap_reserve_pool(m, cap);
}

/* Room for one key more: the table doubles past three keys in four. */
static ipr_status room_for_key(struct strmap *m)
{
    if (m->count + 1 <= max_load(m->cap))
        return IPR_OK;
    if (m->cap > UINT32_MAX / 2)
        return IPR_ENOMEM;
    return resize(m, m->cap ? m->cap * 2 : 64);
}

ipr_status strmap_exchange_hashed(struct strmap *m, const char *key, size_t len, uint64_t h,
                                  uint32_t value, uint32_t *old)
{
    *old = UINT32_MAX;
    if (len > UINT32_MAX)
        return IPR_ELIMIT;
    ipr_status st = room_for_key(m);
    if (st != IPR_OK)
        return st;
    struct strmap_slot *s = probe(m->slots, m->cap, m->pool, h, key, len);
    if (!s->key) {
        if ((st = pool_room(m, len)) != IPR_OK)
            return st;
        if (len)
            memcpy(m->pool + m->pool_len, key, len);
        s->key = (uint32_t)m->pool_len + 1;
        s->len = (uint32_t)len;
        s->tag = tag_of(h);
        m->pool_len += len;
        m->count++;
        hash_filter_set(m->filter, m->filter_cap, h);
    } else
        *old = s->value;
    s->value = value;
    return IPR_OK;
}

ipr_status strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value)
{
    uint32_t old;
    return strmap_exchange(m, key, len, value, &old);
}

bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *value)
{
    return m->cap && strmap_get_hashed(m, key, len, strmap_hash(key, len), value);
}

bool strmap_get_hashed(const struct strmap *m, const char *key, size_t len, uint64_t h,
                       uint32_t *value)
{
    if (!m->cap)
        return false;
    if (!hash_filter_may_hold(m->filter, m->filter_cap, h))
        return false;
    const struct strmap_slot *s = probe(m->slots, m->cap, m->pool, h, key, len);
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}
