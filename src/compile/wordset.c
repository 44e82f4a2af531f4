/*
 * wordset.c - the ordinary words of a word list (see wordset.h).
 */
#include "wordset.h"

#include <stdlib.h>

#include "../base/hugepage.h"
#include "../base/strmap.h"

/* The next line of text at *pos, lowered in place when it is an ordinary
 * word; its length then, else 0.  *start is where it begins. */
static size_t next_word(char *text, size_t len, size_t *pos, size_t *start)
{
    size_t from = *pos;
    const char *nl = memchr(text + from, '\n', len - from);
    size_t end = nl ? (size_t)(nl - text) : len;
    *pos = end < len ? end + 1 : end;
    *start = from;
    if (end > from && text[end - 1] == '\r')
        end--;
    size_t n = end - from;
    unsigned char first = (unsigned char)text[from];
    if (n == 0 || n > 63 || (first >= 'A' && first <= 'Z'))
        return 0;
    for (size_t k = from; k < end; k++) {
        unsigned char c = (unsigned char)text[k];
        if (c >= 0x80 || c == '\'')
            return 0;
    }
    for (size_t k = from; k < end; k++)
        text[k] = (char)ipr_ascii_lower((unsigned char)text[k]);
    return n;
}

/* Puts the word at offset off in, unless it is there already (a list may
 * hold a word twice, or twice once lowered). */
static void insert(struct wordset *ws, size_t off, size_t n, uint64_t h)
{
    uint64_t key = (h >> 40) << 40 | (uint64_t)n << 32;
    for (size_t i = (size_t)h & (ws->cap - 1);; i = (i + 1) & (ws->cap - 1)) {
        uint64_t s = ws->slots[i];
        if (!s) {
            ws->slots[i] = key | (uint64_t)(off + 1);
            ws->count++;
            return;
        }
        if ((s & ~(uint64_t)UINT32_MAX) == key &&
            memcmp(ws->text + (uint32_t)s - 1, ws->text + off, n) == 0)
            return;
    }
}

ipr_status wordset_build(struct wordset *ws, char *text, size_t len, size_t text_alloc)
{
    memset(ws, 0, sizeof(*ws));
    ws->text = text;
    ws->text_alloc = text_alloc;
    if (len >= UINT32_MAX)
        return IPR_ELIMIT; /* offsets are 32-bit */
    /* at most half full with every line a word: no resize, short probes */
    size_t lines = 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    size_t cap = 64;
    while (cap < lines * 2)
        cap *= 2;
    ws->slots = hugepage_alloc_table(cap * sizeof(*ws->slots), NULL);
    if (!ws->slots)
        return IPR_ENOMEM;
    ws->cap = cap;
    /* a ring of AHEAD words: the next is hashed (and its slot prefetched)
     * while there is room, else the oldest goes in; every slot is a cache
     * miss, and these overlap */
    enum { AHEAD = 8 };
    size_t offs[AHEAD], lens[AHEAD];
    uint64_t hashes[AHEAD];
    size_t hashed = 0, inserted = 0, pos = 0;
    for (;;) {
        if (hashed - inserted < AHEAD && pos < len) {
            size_t k = hashed % AHEAD, start;
            size_t n = next_word(text, len, &pos, &start);
            if (n) {
                offs[k] = start;
                lens[k] = n;
                hashes[k] = strmap_hash(text + start, n);
                wordset_prefetch(ws, hashes[k]);
                hashed++;
            }
            continue;
        }
        if (inserted == hashed)
            break; /* the text is done and so is the ring */
        size_t k = inserted % AHEAD;
        insert(ws, offs[k], lens[k], hashes[k]);
        inserted++;
    }
    return IPR_OK;
}

void wordset_release(struct wordset *ws)
{
    hugepage_free(ws->text, ws->text_alloc);
    hugepage_free(ws->slots, ws->cap * sizeof(*ws->slots));
    memset(ws, 0, sizeof(*ws));
}
