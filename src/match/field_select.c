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
    for (unsigned k = 0; fs->shapes && k < FIELD_SHAPES; k++) {
        struct field_shape *sh = &fs->shapes[k];
        vec_release(&sh->slots);
        free(sh->group_first);
        free(sh->group_count);
        vec_release(&sh->fields);
    }
    free(fs->shapes);
    fs->field_slot = fs->guess = NULL;
    fs->shapes = fs->shape = NULL;
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

static void forget_shapes(struct field_select *fs)
{
    for (unsigned k = 0; fs->shapes && k < FIELD_SHAPES; k++)
        fs->shapes[k].field_count = SIZE_MAX;
    fs->shape = NULL;
}

static ipr_status make_shapes(struct field_select *fs)
{
    uint32_t group_count = fs->rs->sel_group_count;
    fs->shapes = calloc(FIELD_SHAPES, sizeof(struct field_shape));
    if (!fs->shapes)
        return IPR_ENOMEM;
    for (unsigned k = 0; k < FIELD_SHAPES; k++) {
        struct field_shape *sh = &fs->shapes[k];
        sh->field_count = SIZE_MAX;
        vec_init(&sh->slots, sizeof(uint32_t));
        vec_init(&sh->fields, sizeof(uint32_t));
        /* one more than needed, so that no mask at all still allocates */
        sh->group_first = malloc((group_count + 1) * sizeof(uint32_t));
        sh->group_count = malloc((group_count + 1) * sizeof(uint32_t));
        if (!sh->group_first || !sh->group_count) {
            for (unsigned j = 0; j <= k; j++) {
                free(fs->shapes[j].group_first);
                free(fs->shapes[j].group_count);
            }
            free(fs->shapes);
            fs->shapes = NULL;
            return IPR_ENOMEM;
        }
    }
    return IPR_OK;
}

/* Lists the fields of rec each selector mask picks into sh: counted, then
 * placed, one pass each over the masks that pick each field. */
static ipr_status list_groups(struct field_select *fs, const struct ipr_record *rec,
                              struct field_shape *sh)
{
    uint32_t group_count = fs->rs->sel_group_count;
    memset(sh->group_count, 0, group_count * sizeof(uint32_t));
    const uint64_t *slot_groups = fs->groups.items;
    size_t total = 0;
    for (size_t i = 0; i < rec->field_count; i++) {
        const uint64_t *g = slot_groups + (size_t)fs->field_slot[i] * fs->group_words;
        for (uint32_t w = 0; w < fs->group_words; w++)
            for (uint64_t bits = g[w]; bits; bits &= bits - 1) {
                sh->group_count[w * 64 + (uint32_t)__builtin_ctzll(bits)]++;
                total++;
            }
    }
    if (total > UINT32_MAX)
        return IPR_ELIMIT;
    vec_clear(&sh->fields);
    vec_clear(&sh->slots);
    /* never a null list, even an empty one: field_select_group adds to it */
    if (vec_reserve(&sh->fields, total ? total : 1) != IPR_OK ||
        vec_reserve(&sh->slots, rec->field_count) != IPR_OK)
        return IPR_ENOMEM;
    uint32_t at = 0;
    for (uint32_t k = 0; k < group_count; k++) {
        sh->group_first[k] = at;
        at += sh->group_count[k];
        sh->group_count[k] = 0;
    }
    uint32_t *out = sh->fields.items;
    for (size_t i = 0; i < rec->field_count; i++) {
        const uint64_t *g = slot_groups + (size_t)fs->field_slot[i] * fs->group_words;
        for (uint32_t w = 0; w < fs->group_words; w++)
            for (uint64_t bits = g[w]; bits; bits &= bits - 1) {
                uint32_t k = w * 64 + (uint32_t)__builtin_ctzll(bits);
                out[sh->group_first[k] + sh->group_count[k]++] = (uint32_t)i;
            }
    }
    sh->fields.count = total;
    if (rec->field_count) /* a record may have no field at all (a broken row) */
        memcpy(sh->slots.items, fs->field_slot, rec->field_count * sizeof(uint32_t));
    sh->slots.count = rec->field_count;
    return IPR_OK;
}

/* Points fs->shape at the lists of rec's shape: kept ones when the shape
 * was seen lately, else made in place of the oldest. */
static ipr_status find_shape(struct field_select *fs, const struct ipr_record *rec)
{
    if (!fs->shapes) {
        ipr_status st = make_shapes(fs);
        if (st != IPR_OK)
            return st;
    }
    size_t n = rec->field_count;
    uint64_t h = strmap_hash((const char *)fs->field_slot, n * sizeof(uint32_t));
    for (unsigned k = 0; k < FIELD_SHAPES; k++) {
        struct field_shape *sh = &fs->shapes[k];
        if (sh->field_count == n && sh->hash == h &&
            (!n || memcmp(sh->slots.items, fs->field_slot, n * sizeof(uint32_t)) == 0)) {
            fs->shape = sh;
            return IPR_OK;
        }
    }
    struct field_shape *sh = &fs->shapes[fs->shape_next];
    fs->shape_next = (fs->shape_next + 1) % FIELD_SHAPES;
    sh->field_count = SIZE_MAX; /* until its lists are made */
    ipr_status st = list_groups(fs, rec, sh);
    if (st != IPR_OK)
        return st;
    sh->hash = h;
    sh->field_count = n;
    fs->shape = sh;
    return IPR_OK;
}

ipr_status field_select_begin(struct field_select *fs, const struct ipr_record *rec)
{
    /* The record before's shape stays when every field has that record's
     * slot at the same place (no field took the slow path below). */
    struct field_shape *last = fs->shape;
    bool same_shape = last && rec->field_count == last->field_count;
    fs->shape = NULL; /* until this record's is known */
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
        forget_shapes(fs); /* slot numbers start over */
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
        return find_shape(fs, rec);
    fs->shape = last;
    return IPR_OK;
}
