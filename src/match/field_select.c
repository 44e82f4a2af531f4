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
    fs->group_words = (rs->sel_group_count + 63) / 64;
    strmap_init(&fs->paths);
    vec_init(&fs->bits, fs->words * sizeof(uint64_t));
    vec_init(&fs->uses, 1);
    vec_init(&fs->slot_path, sizeof(struct slot_path));
    vec_init(&fs->groups, fs->group_words ? fs->group_words * sizeof(uint64_t) : 1);
    buf_init(&fs->path_text, 0);
    vec_init(&fs->group_fields, sizeof(uint32_t));
}

void field_select_release(struct field_select *fs)
{
    strmap_release(&fs->paths);
    vec_release(&fs->bits);
    vec_release(&fs->uses);
    vec_release(&fs->slot_path);
    vec_release(&fs->groups);
    buf_release(&fs->path_text);
    free(fs->field_slot);
    free(fs->guess);
    free(fs->group_first);
    free(fs->group_count);
    vec_release(&fs->group_fields);
    fs->field_slot = fs->guess = fs->group_first = fs->group_count = NULL;
    fs->field_cap = fs->guess_count = fs->shape_count = 0;
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
    uint64_t *groups = sp ? vec_push(&fs->groups) : NULL;
    if (!groups || buf_append(&fs->path_text, path, len) != IPR_OK) {
        /* slots of all four vectors stay in step */
        fs->bits.count--;
        fs->uses.count -= use != NULL;
        fs->slot_path.count -= sp != NULL;
        fs->groups.count -= groups != NULL;
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
    for (uint32_t g = 0; g < rs->sel_group_count; g++)
        for (uint32_t w = 0; w < fs->words; w++)
            if (bits[w] & rs->sel_groups[g][w]) {
                groups[g >> 6] |= (uint64_t)1 << (g & 63);
                break;
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

/* Lists the fields of rec each selector mask picks: counted, then placed,
 * one pass each over the masks that pick each field. */
static ipr_status list_groups(struct field_select *fs, const struct ipr_record *rec)
{
    uint32_t group_count = fs->rs->sel_group_count;
    if (!fs->group_first && group_count) {
        fs->group_first = malloc(group_count * sizeof(uint32_t));
        fs->group_count = fs->group_first ? malloc(group_count * sizeof(uint32_t)) : NULL;
        if (!fs->group_count) {
            free(fs->group_first);
            fs->group_first = NULL;
            return IPR_ENOMEM;
        }
    }
    if (group_count)
        memset(fs->group_count, 0, group_count * sizeof(uint32_t));
    const uint64_t *slot_groups = fs->groups.items;
    size_t total = 0;
    for (size_t i = 0; i < rec->field_count; i++) {
        const uint64_t *g = slot_groups + (size_t)fs->field_slot[i] * fs->group_words;
        for (uint32_t w = 0; w < fs->group_words; w++)
            for (uint64_t bits = g[w]; bits; bits &= bits - 1) {
                fs->group_count[w * 64 + (uint32_t)__builtin_ctzll(bits)]++;
                total++;
            }
    }
    if (total > UINT32_MAX)
        return IPR_ELIMIT;
    vec_clear(&fs->group_fields);
    if (vec_reserve(&fs->group_fields, total) != IPR_OK)
        return IPR_ENOMEM;
    uint32_t at = 0;
    for (uint32_t k = 0; k < group_count; k++) {
        fs->group_first[k] = at;
        at += fs->group_count[k];
        fs->group_count[k] = 0;
    }
    uint32_t *out = fs->group_fields.items;
    for (size_t i = 0; i < rec->field_count; i++) {
        const uint64_t *g = slot_groups + (size_t)fs->field_slot[i] * fs->group_words;
        for (uint32_t w = 0; w < fs->group_words; w++)
            for (uint64_t bits = g[w]; bits; bits &= bits - 1) {
                uint32_t k = w * 64 + (uint32_t)__builtin_ctzll(bits);
                out[fs->group_first[k] + fs->group_count[k]++] = (uint32_t)i;
            }
    }
    fs->group_fields.count = total;
    fs->shape_count = rec->field_count;
    return IPR_OK;
}

ipr_status field_select_begin(struct field_select *fs, const struct ipr_record *rec)
{
    /* The lists of the record before stay when every field has that
     * record's slot at the same place (no field took the slow path below). */
    bool same_shape = rec->field_count == fs->shape_count;
    fs->shape_count = SIZE_MAX; /* until this record's lists are made */
    /* far above the columns of any real export: a feed of ever-new keys starts over */
    if (fs->uses.count > IPR_SCAN_MAX_CACHED_PATHS) {
        strmap_release(&fs->paths);
        strmap_init(&fs->paths);
        vec_clear(&fs->bits);
        vec_clear(&fs->uses);
        vec_clear(&fs->slot_path);
        vec_clear(&fs->groups);
        buf_clear(&fs->path_text);
        fs->guess_count = 0;
        same_shape = false;
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
        same_shape = false;
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
    if (!same_shape)
        return list_groups(fs, rec);
    fs->shape_count = rec->field_count;
    return IPR_OK;
}
