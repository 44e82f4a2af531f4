/*
 * field_select.c - per-path selector bitsets (see field_select.h).
 */
#include "field_select.h"

#include <stdlib.h>

#include "../base/limits.h"
#include "../compile/ruleset.h"
#include "../input/record.h"

void field_select_init(struct field_select *fs, const struct ipr_ruleset *rs)
{
    memset(fs, 0, sizeof(*fs));
    fs->rs = rs;
    fs->words = rs->selector_words;
    strmap_init(&fs->paths);
    vec_init(&fs->bits, fs->words * sizeof(uint64_t));
    vec_init(&fs->uses, 1);
    buf_init(&fs->guess_text, 0);
}

void field_select_release(struct field_select *fs)
{
    strmap_release(&fs->paths);
    vec_release(&fs->bits);
    vec_release(&fs->uses);
    free(fs->field_slot);
    free(fs->guess);
    buf_release(&fs->guess_text);
    fs->field_slot = NULL;
    fs->guess = NULL;
    fs->field_cap = fs->guess_count = 0;
}

static ipr_status add_path(struct field_select *fs, const char *path, size_t len, uint32_t *slot)
{
    uint64_t *bits = vec_push(&fs->bits);
    if (!bits)
        return IPR_ENOMEM;
    uint8_t *use = vec_push(&fs->uses);
    if (!use) {
        fs->bits.count--; /* slots of both vectors stay in step */
        return IPR_ENOMEM;
    }
    const struct ipr_ruleset *rs = fs->rs;
    for (uint32_t i = 0; i < rs->selector_count; i++) {
        if (record_selector_matches(rs->selectors[i], path)) {
            bits[i >> 6] |= (uint64_t)1 << (i & 63);
            *use |= rs->selector_use[i];
        }
    }
    *slot = (uint32_t)(fs->uses.count - 1);
    return strmap_put(&fs->paths, path, len, *slot);
}

/* The slot of a path, found the slow way: hashed, and added when new. */
static ipr_status find_slot(struct field_select *fs, const char *path, size_t len, uint32_t *slot)
{
    if (strmap_get(&fs->paths, path, len, slot))
        return IPR_OK;
    return add_path(fs, path, len, slot);
}

ipr_status field_select_begin(struct field_select *fs, const struct ipr_record *rec)
{
    /* far above the columns of any real export: a feed of ever-new keys starts over */
    if (fs->uses.count > IPR_SCAN_MAX_CACHED_PATHS) {
        strmap_release(&fs->paths);
        strmap_init(&fs->paths);
        vec_clear(&fs->bits);
        vec_clear(&fs->uses);
        fs->guess_count = 0;
    }
    /* the guesses' text only grows when a guess is wrong: start it over
     * now and then rather than let it grow with a feed of changing keys */
    if (fs->guess_text.len > IPR_SCAN_MAX_CACHED_PATHS * 64u) {
        buf_clear(&fs->guess_text);
        fs->guess_count = 0;
    }
    if (rec->field_count > fs->field_cap) {
        uint32_t *p = realloc(fs->field_slot, rec->field_count * sizeof(uint32_t));
        if (p)
            fs->field_slot = p;
        struct path_guess *g = p ? realloc(fs->guess, rec->field_count * sizeof(*g)) : NULL;
        if (!g)
            return IPR_ENOMEM;
        fs->guess = g;
        fs->field_cap = rec->field_count;
    }
    for (size_t i = 0; i < rec->field_count; i++) {
        const char *path = rec->fields[i].path;
        if (i < fs->guess_count) {
            const struct path_guess *g = &fs->guess[i];
            /* strncmp stops at the path's end: it may be shorter than the guess */
            if (strncmp(path, fs->guess_text.data + g->off, g->len) == 0 && path[g->len] == '\0') {
                fs->field_slot[i] = g->slot;
                continue;
            }
        }
        size_t len = strlen(path);
        uint32_t slot;
        ipr_status st = find_slot(fs, path, len, &slot);
        if (st != IPR_OK)
            return st;
        fs->field_slot[i] = slot;
        size_t off = fs->guess_text.len;
        if (len > UINT32_MAX || off > UINT32_MAX ||
            buf_append(&fs->guess_text, path, len) != IPR_OK)
            continue; /* no guess for this place: the next record hashes it too */
        if (i > fs->guess_count)
            continue; /* guesses are kept for the leading places only */
        fs->guess[i] = (struct path_guess){(uint32_t)off, (uint32_t)len, slot};
        if (i == fs->guess_count)
            fs->guess_count++;
    }
    return IPR_OK;
}
