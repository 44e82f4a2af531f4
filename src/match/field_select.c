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
    vec_init(&fs->slot_path, sizeof(struct slot_path));
    buf_init(&fs->path_text, 0);
}

void field_select_release(struct field_select *fs)
{
    strmap_release(&fs->paths);
    vec_release(&fs->bits);
    vec_release(&fs->uses);
    vec_release(&fs->slot_path);
    buf_release(&fs->path_text);
    free(fs->field_slot);
    free(fs->guess);
    fs->field_slot = NULL;
    fs->guess = NULL;
    fs->field_cap = fs->guess_count = 0;
}

static ipr_status add_path(struct field_select *fs, const char *path, size_t len, uint32_t *slot)
{
    if (len > UINT32_MAX || fs->path_text.len > UINT32_MAX - len)
        return IPR_ELIMIT;
    uint64_t *bits = vec_push(&fs->bits);
    if (!bits)
        return IPR_ENOMEM;
    uint8_t *use = vec_push(&fs->uses);
    struct slot_path *sp = use ? vec_push(&fs->slot_path) : NULL;
    if (!sp || buf_append(&fs->path_text, path, len) != IPR_OK) {
        /* slots of all three vectors stay in step */
        fs->bits.count--;
        fs->uses.count -= use != NULL;
        fs->slot_path.count -= sp != NULL;
        return IPR_ENOMEM;
    }
    *sp = (struct slot_path){(uint32_t)(fs->path_text.len - len), (uint32_t)len};
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
        vec_clear(&fs->slot_path);
        buf_clear(&fs->path_text);
        fs->guess_count = 0;
    }
    if (rec->field_count > fs->field_cap) {
        uint32_t *p = realloc(fs->field_slot, rec->field_count * sizeof(uint32_t));
        if (p)
            fs->field_slot = p;
        uint32_t *g = p ? realloc(fs->guess, rec->field_count * sizeof(uint32_t)) : NULL;
        if (!g)
            return IPR_ENOMEM;
        fs->guess = g;
        fs->field_cap = rec->field_count;
    }
    const struct slot_path *paths = fs->slot_path.items;
    for (size_t i = 0; i < rec->field_count; i++) {
        const char *path = rec->fields[i].path;
        if (i < fs->guess_count) {
            const struct slot_path *g = &paths[fs->guess[i]];
            /* strncmp stops at the path's end: it may be shorter than the guess */
            if (strncmp(path, fs->path_text.data + g->off, g->len) == 0 && path[g->len] == '\0') {
                fs->field_slot[i] = fs->guess[i];
                continue;
            }
        }
        size_t len = strlen(path);
        uint32_t slot;
        ipr_status st = find_slot(fs, path, len, &slot);
        if (st != IPR_OK)
            return st;
        paths = fs->slot_path.items; /* a new slot may have moved them */
        fs->field_slot[i] = slot;
        fs->guess[i] = slot;
        if (i == fs->guess_count)
            fs->guess_count++;
    }
    return IPR_OK;
}
