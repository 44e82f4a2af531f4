/*
 * field_select.h - which interned selectors pick each field of the record
 * being scanned.
 *
 * Records of one file repeat the same field paths, so the answer is kept
 * per path (a bitset over the ruleset's selectors plus the text passes the
 * field needs) and looked up once per field per record instead of matching
 * every selector of every rule against every field.  The per-path cache is
 * bounded: a feed with ever-new keys empties it now and then.
 *
 * A condition needs the fields its selectors pick, not a test of every
 * field: each path also knows which selector masks (ccond.sel_group) pick
 * it, and field_select_begin lists, per mask, the record's fields it picks,
 * in record order.  Those lists depend only on the record's shape (the
 * slots of its fields, in order), and a feed has few shapes (the rows of
 * one export have one; JSON records differ by how many bullets or images
 * they list), so the lists of the last few shapes are kept.
 */
#ifndef IPR_MATCH_FIELD_SELECT_H
#define IPR_MATCH_FIELD_SELECT_H

#include "../base/buf.h"
#include "../base/strmap.h"
#include "../base/vec.h"

struct ipr_ruleset;
struct ipr_record;

/* Where a slot's path is kept in path_text. */
struct slot_path {
    uint32_t off;
    uint32_t len;
};

struct field_select {
    const struct ipr_ruleset *rs;
    uint32_t words;       /* uint64_t words per bitset */
    struct strmap paths;  /* field path -> slot */
    struct vec bits;      /* words uint64_t per slot */
    struct vec uses;      /* uint8_t enum selector_use bits per slot */
    struct vec slot_path; /* struct slot_path per slot */
    uint32_t group_words; /* uint64_t words per bitset over the selector masks */
    struct vec groups;    /* group_words uint64_t per slot: the masks that pick it */
    struct buf path_text; /* the slots' paths, back to back */
    uint32_t *field_slot; /* per field of the current record */
    /* The slot the field at each place had in the record before: records
     * of one file mostly list the same fields in the same order, and
     * comparing a path with that slot's is cheaper than hashing it.
     * guess_count places have one. */
    uint32_t *guess;
    size_t guess_count;
    size_t field_cap;           /* of field_slot and guess */
    struct field_shape *shapes; /* owned: FIELD_SHAPES of them, made at the first record */
    struct field_shape *shape;  /* the current record's */
    unsigned shape_next;        /* the one to replace next */
};

/* A record shape and, per selector mask, the fields it picks. */
struct field_shape {
    uint64_t hash;         /* of the slots */
    size_t field_count;    /* SIZE_MAX: none kept here */
    struct vec slots;      /* uint32_t slot per field */
    uint32_t *group_first; /* per selector mask: where its list starts in fields */
    uint32_t *group_count; /* per selector mask: the fields in its list */
    struct vec fields;     /* uint32_t field indices, the lists back to back */
};

#define FIELD_SHAPES 8

void field_select_init(struct field_select *fs, const struct ipr_ruleset *rs);
void field_select_release(struct field_select *fs);

/* Resolves the slots of every field of rec and lists the fields each
 * selector mask picks.  IPR_ENOMEM. */
ipr_status field_select_begin(struct field_select *fs, const struct ipr_record *rec);

static inline bool field_select_has(const struct field_select *fs, size_t field, uint32_t sel)
{
    const uint64_t *bits =
        (const uint64_t *)fs->bits.items + (size_t)fs->field_slot[field] * fs->words;
    return (bits[sel >> 6] >> (sel & 63)) & 1u;
}

/* Does any selector of mask (selector_words words) pick the field? */
static inline bool field_select_any(const struct field_select *fs, size_t field,
                                    const uint64_t *mask)
{
    const uint64_t *bits =
        (const uint64_t *)fs->bits.items + (size_t)fs->field_slot[field] * fs->words;
    for (uint32_t w = 0; w < fs->words; w++)
        if (bits[w] & mask[w])
            return true;
    return false;
}

/* The fields that selector mask number group picks in the current record,
 * in record order: *count of them. */
static inline const uint32_t *field_select_group(const struct field_select *fs, uint32_t group,
                                                 uint32_t *count)
{
    *count = fs->shape->group_count[group];
    return (const uint32_t *)fs->shape->fields.items + fs->shape->group_first[group];
}

/* enum selector_use bits of the selectors that pick the field. */
static inline unsigned field_select_uses(const struct field_select *fs, size_t field)
{
    return ((const uint8_t *)fs->uses.items)[fs->field_slot[field]];
}

#endif
