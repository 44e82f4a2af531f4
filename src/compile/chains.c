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

/* The members at chain places a and b, compared. */
static int compare_at(const struct chain_table *t, const uint32_t *members, uint32_t a, uint32_t b)
{
    return t->compare(entry(t, members[a]), entry(t, members[b]));
}

/* Sorts the n chain places in order by their entries, stably (a place
 * before a later one of an alike entry), tmp for room: a merge sort from
 * runs of one upwards. */
static void sort_places(const struct chain_table *t, const uint32_t *members, uint32_t *order,
                        uint32_t *tmp, size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = compare_at(t, members, order[j], order[i]) < 0 ? order[j++] : order[i++];
            while (i < mid)
                tmp[k++] = order[i++];
            while (j < hi)
                tmp[k++] = order[j++];
        }
        memcpy(order, tmp, n * sizeof(*order));
    }
}

uint32_t chain_regroup(struct chain_table *t, uint32_t head)
{
    uint32_t *members = t->scratch; /* the chain's entries in chain order */
    size_t m = 0;
    for (uint32_t e = head; e != CHAIN_END; e = *next_of(t, e))
        members[m++] = e;
    uint32_t *order = members + m, *run_at = order + m; /* run_at: also the sort's room */
    for (size_t i = 0; i < m; i++)
        order[i] = (uint32_t)i;
    sort_places(t, members, order, run_at, m);
    /* each run starts at the place of its first entry: runs in that order */
    for (size_t i = 0; i < m; i++)
        run_at[i] = CHAIN_END;
    for (size_t s = 0; s < m;) {
        run_at[order[s]] = (uint32_t)s;
        size_t end = s + 1;
        while (end < m && compare_at(t, members, order[s], order[end]) == 0)
            end++;
        s = end;
    }
    uint32_t first = CHAIN_END, *link = &first;
    size_t prev = 0, prev_end = 0; /* the run linked last, as places in order */
    for (size_t p = 0; p < m; p++) {
        if (run_at[p] == CHAIN_END)
            continue;
        size_t s = run_at[p], end = s + 1;
        while (end < m && compare_at(t, members, order[s], order[end]) == 0)
            end++;
        for (size_t k = prev; k < prev_end; k++)
            *skip_of(t, members[order[k]]) = members[order[s]];
        for (size_t k = s; k < end; k++) {
            *link = members[order[k]];
            link = next_of(t, members[order[k]]);
        }
        prev = s;
        prev_end = end;
    }
    for (size_t k = prev; k < prev_end; k++)
        *skip_of(t, members[order[k]]) = CHAIN_END;
    *link = CHAIN_END;
    return first;
}
