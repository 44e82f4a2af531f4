/*
 * value_memo.c - see value_memo.h.
 */
#include "value_memo.h"

#include <stdlib.h>

struct memo_slot {
    uint64_t hash;
    uint32_t len; /* of value */
    bool has_candidates;
    bool has_marks;
    bool has_terms;
    uint8_t mark_count;
    uint8_t term_count;
    char value[VALUE_MEMO_MAX_BYTES];
    struct mark_hit marks[VALUE_MEMO_MAX_HITS];
    struct pf_term_hit terms[VALUE_MEMO_MAX_TERMS];
};

struct value_memo {
    /* calloc'd, so the pages stay untouched until a slot on them is used:
     * a slot is read only after the bit says it was written, since
     * reading a page first maps it to the zero page, and the write after
     * then has the kernel flush every other thread's TLB (1.5 % of a
     * two-thread scan went to those flushes) */
    struct memo_slot *slots;
    uint8_t *candidates; /* VALUE_MEMO_SLOTS bitsets of candidate_bytes */
    size_t candidate_bytes;
    uint64_t used[VALUE_MEMO_SLOTS / 64]; /* slots that hold a value */
};

struct value_memo *value_memo_new(size_t candidate_bytes)
{
    struct value_memo *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->slots = calloc(VALUE_MEMO_SLOTS, sizeof(*m->slots));
    m->candidates = calloc(VALUE_MEMO_SLOTS, candidate_bytes ? candidate_bytes : 1);
    if (!m->slots || !m->candidates) {
        value_memo_free(m);
        return NULL;
    }
    m->candidate_bytes = candidate_bytes;
    return m;
}

void value_memo_free(struct value_memo *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->candidates);
    free(m);
}

static size_t slot_of(uint64_t h)
{
    return (size_t)(h >> 40) % VALUE_MEMO_SLOTS;
}

/* The value's slot if it holds the value, else NULL. */
static struct memo_slot *find(const struct value_memo *m, uint64_t h, const char *value, size_t len)
{
    size_t i = slot_of(h);
    if (!(m->used[i / 64] >> (i % 64) & 1))
        return NULL;
    struct memo_slot *s = &m->slots[i];
    if (s->len != len || s->hash != h || memcmp(s->value, value, len) != 0)
        return NULL;
    return s;
}

/* The value's slot, taken over for it (what it held is dropped) unless it
 * holds the value already; NULL when the value is too long to keep. */
static struct memo_slot *claim(struct value_memo *m, uint64_t h, const char *value, size_t len)
{
    if (!value_memo_fits(len))
        return NULL;
    struct memo_slot *s = find(m, h, value, len);
    if (s)
        return s;
    size_t i = slot_of(h);
    m->used[i / 64] |= 1ull << (i % 64);
    s = &m->slots[i];
    s->hash = h;
    s->len = (uint32_t)len;
    s->has_candidates = s->has_marks = s->has_terms = false;
    memcpy(s->value, value, len);
    return s;
}

const uint8_t *value_memo_candidates(const struct value_memo *m, uint64_t h, const char *value,
                                     size_t len)
{
    const struct memo_slot *s = find(m, h, value, len); /* a longer value is in no slot */
    if (!s || !s->has_candidates)
        return NULL;
    return m->candidates + (size_t)(s - m->slots) * m->candidate_bytes;
}

void value_memo_keep_candidates(struct value_memo *m, uint64_t h, const char *value, size_t len,
                                const uint8_t *candidates)
{
    struct memo_slot *s = claim(m, h, value, len);
    if (!s)
        return;
    memcpy(m->candidates + (size_t)(s - m->slots) * m->candidate_bytes, candidates,
           m->candidate_bytes);
    s->has_candidates = true;
}

bool value_memo_marks(const struct value_memo *m, uint64_t h, const char *value, size_t len,
                      const struct mark_hit **hits, size_t *count)
{
    const struct memo_slot *s = find(m, h, value, len);
    if (!s || !s->has_marks)
        return false;
    *hits = s->marks;
    *count = s->mark_count;
    return true;
}

void value_memo_keep_marks(struct value_memo *m, uint64_t h, const char *value, size_t len,
                           const struct mark_hit *hits, size_t count)
{
    if (count > VALUE_MEMO_MAX_HITS)
        return;
    struct memo_slot *s = claim(m, h, value, len);
    if (!s)
        return;
    if (count)
        memcpy(s->marks, hits, count * sizeof(*hits));
    s->mark_count = (uint8_t)count;
    s->has_marks = true;
}

bool value_memo_terms(const struct value_memo *m, uint64_t h, const char *value, size_t len,
                      const struct pf_term_hit **hits, size_t *count)
{
    const struct memo_slot *s = find(m, h, value, len);
    if (!s || !s->has_terms)
        return false;
    *hits = s->terms;
    *count = s->term_count;
    return true;
}

void value_memo_keep_terms(struct value_memo *m, uint64_t h, const char *value, size_t len,
                           const struct pf_term_hit *hits, size_t count)
{
    if (count > VALUE_MEMO_MAX_TERMS)
        return;
    struct memo_slot *s = claim(m, h, value, len);
    if (!s)
        return;
    if (count)
        memcpy(s->terms, hits, count * sizeof(*hits));
    s->term_count = (uint8_t)count;
    s->has_terms = true;
}
