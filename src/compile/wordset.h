/*
 * wordset.h - the ordinary words of a word list, for "is this token a word
 * of the language?" (a near-miss of a mark that is an ordinary word, like
 * "channel" for Chanel, is not reported).
 *
 * The system list is read on every run that has marks, so building the set
 * is part of every start-up: the words stay where the file's text is (each
 * lowered in place) and the table holds 8-byte references to them.  A
 * general string map copied each word into a pool and took 16-byte slots;
 * with page faults as dear as they are in a small VM, that doubled the cost
 * of loading the list.
 */
#ifndef IPR_COMPILE_WORDSET_H
#define IPR_COMPILE_WORDSET_H

#include "../base/common.h"

struct wordset {
    char *text;        /* owned: the list, each kept word lowered in place */
    size_t text_alloc; /* for hugepage_free */
    uint64_t *slots; /* owned: 1 + offset (bits 0-31), length (32-39), hash tag (40-63); 0: empty */
    size_t cap;      /* power of two; 0: no list */
    size_t count;
};

/* Builds the set from text (one word per line, LF or CRLF), taking
 * ownership of it: text came from hugepage_alloc(text_alloc) (or malloc,
 * with text_alloc under IPR_HUGEPAGE_MIN), and wordset_release frees it,
 * also after a failure.
 * Kept: lines of 1 to 63 bytes that start with no capital letter (Nike,
 * Rolex: names, not ordinary words) and hold no apostrophe and no byte
 * above ASCII; they are lowered.  IPR_ENOMEM, IPR_ELIMIT (over 4 GiB). */
ipr_status wordset_build(struct wordset *ws, char *text, size_t len, size_t text_alloc);
void wordset_release(struct wordset *ws);

/* Is word (n bytes, lowercase), whose strmap_hash is h, in the set? */
static inline bool wordset_has(const struct wordset *ws, const char *word, size_t n, uint64_t h)
{
    if (!ws->cap || n == 0 || n > 63)
        return false;
    uint64_t want = (h >> 40) << 40 | (uint64_t)n << 32;
    for (size_t i = (size_t)h & (ws->cap - 1);; i = (i + 1) & (ws->cap - 1)) {
        uint64_t s = ws->slots[i];
        if (!s)
            return false;
        if ((s & ~(uint64_t)UINT32_MAX) == want && memcmp(ws->text + (uint32_t)s - 1, word, n) == 0)
            return true;
    }
}

/* Starts loading the slot where word's lookup begins, so that it overlaps
 * with other work. */
static inline void wordset_prefetch(const struct wordset *ws, uint64_t h)
{
    if (ws->cap)
        __builtin_prefetch(&ws->slots[(size_t)h & (ws->cap - 1)]);
}

#endif
