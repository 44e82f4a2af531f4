/*
 * chains.c - see chains.h.
 */
#include "chains.h"

static void *entry(const struct chain_table *t, uint32_t i)
{
    return (char *)t->items + (size_t)i * t->size;
}

static uint32_t *next_of(const struct chain_table *t, uint32_t i)
{
    return (uint32_t *)(void *)((char *)entry(t, i) + t->next_at);
}

static uint32_t *skip_of(const struct chain_table *t, uint32_t i)
{
    return (uint32_t *)(void *)((char *)entry(t, i) + t->skip_at);
}

uint32_t chain_regroup(struct chain_table *t, uint32_t head)
{
    size_t m = 0;
    for (uint32_t e = head; e != CHAIN_END; e = *next_of(t, e))
        t->members[m++] = e;
    uint32_t first = CHAIN_END, *link = &first;
    for (size_t i = 0; i < m; i++) {
        if (t->placed[t->members[i]])
            continue;
        /* a run: this entry, then every later one alike */
        const void *run = entry(t, t->members[i]);
        for (size_t k = i; k < m; k++) {
            uint32_t e = t->members[k];
            if (t->placed[e] || !t->alike(run, entry(t, e)))
                continue;
            t->placed[e] = true;
            *link = e;
            link = next_of(t, e);
        }
    }
    *link = CHAIN_END;
    for (uint32_t e = first; e != CHAIN_END;) {
        uint32_t last = e;
        while (*next_of(t, last) != CHAIN_END && t->alike(entry(t, e), entry(t, *next_of(t, last))))
            last = *next_of(t, last);
        uint32_t after = *next_of(t, last);
        for (uint32_t k = e; k != after; k = *next_of(t, k))
            *skip_of(t, k) = after;
        e = after;
    }
    return first;
}
