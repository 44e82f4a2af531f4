/*
 * strmap.c - see strmap.h.  FNV-1a hashing, linear probing, load <= 1/2.
 */
#include "strmap.h"

#include <stdlib.h>

uint64_t strmap_hash(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ull;
    }
    return h;
}

void strmap_init(struct strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    arena_init(&m->keys, 16u * 1024u);
}

void strmap_release(struct strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
    arena_release(&m->keys);
}

static struct strmap_slot *probe(struct strmap_slot *slots, size_t cap, uint64_t h, const char *key,
                                 size_t len)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key) {
        if (slots[i].hash == h && slots[i].len == len && memcmp(slots[i].key, key, len) == 0)
            return &slots[i];
        i = (i + 1) & (cap - 1);
    }
    return &slots[i];
}

static ipr_status grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct strmap_slot *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return IPR_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        const struct strmap_slot *s = &m->slots[i];
        if (s->key)
            *probe(slots, cap, s->hash, s->key, s->len) = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return IPR_OK;
}

ipr_status strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value)
{
    if (len > UINT32_MAX)
        return IPR_ELIMIT;
    if ((m->count + 1) * 2 > m->cap) {
        ipr_status st = grow(m);
        if (st != IPR_OK)
            return st;
    }
    uint64_t h = strmap_hash(key, len);
    struct strmap_slot *s = probe(m->slots, m->cap, h, key, len);
    if (!s->key) {
        char *copy = arena_strndup(&m->keys, key, len);
        if (!copy)
            return IPR_ENOMEM;
        s->key = copy;
        s->len = (uint32_t)len;
        s->hash = h;
        m->count++;
    }
    s->value = value;
    return IPR_OK;
}

bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *value)
{
    if (!m->cap)
        return false;
    const struct strmap_slot *s = probe(m->slots, m->cap, strmap_hash(key, len), key, len);
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}
