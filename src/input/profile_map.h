/*
 * profile_map.h - rows of a marketplace export to one canonical record.
 *
 * The mapper applies a profile to the rows that make up one listing (one
 * row, a Shopify product's rows, a WooCommerce product with its
 * variations).  Values are copied as written except where the profile
 * says otherwise: list cells become list elements, HTML cells become text
 * (the original kept beside them as `<field>_html`), prices become a
 * number with a currency (the original kept as `<field>_text`).  Columns
 * no rule maps are kept under their own names.  Each leaf keeps the line
 * and column of the cell it came from.
 *
 * Single values: when several columns give the same field, the rule
 * listed first in the profile wins; across the rows of a listing, the
 * first row that has a value wins.  Lists: each row starts new elements,
 * and one element collects the fields a row gives it (`images[].url` and
 * `images[].alt_text` of one Shopify row land in the same image).
 */
#ifndef IPR_INPUT_PROFILE_MAP_H
#define IPR_INPUT_PROFILE_MAP_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "cell_value.h"
#include "html_text.h"
#include "profile.h"
#include "record.h"

enum column_role {
    ROLE_GROUP_KEY = 1u << 0, /* GROUP_BY key */
    ROLE_PARENT = 1u << 1,    /* GROUP_ATTACH: names the parent */
    ROLE_ID = 1u << 2         /* GROUP_ATTACH: identifies the row */
};

/* What the profile does with one column name. */
struct column_plan {
    size_t first_ref; /* into mapper.refs */
    size_t ref_count; /* 0: no rule maps the column */
    unsigned roles;   /* enum column_role */
    const char *id_prefix;
};

struct mapper {
    const struct profile *p;
    bool by_path;       /* match leaf paths (JSON), not names (CSV headers) */
    struct strmap seen; /* column name -> index in plans */
    struct vec plans;   /* of struct column_plan */
    struct vec refs;    /* of struct plan_ref */
    /* scratch, reused for every record */
    struct html_text html;
    struct buf items_text;
    struct vec items; /* of struct cell_item */
    struct buf name;
    struct buf value;
    struct vec lists;     /* of struct list_state */
    struct vec winners;   /* of struct winner */
    struct strmap set;    /* leaves already in the record */
    struct arena scratch; /* list paths and winner names of the record being built */
    char currency[4];     /* guessed from a price; written at the end when no column gave one */
    struct record_field currency_field; /* the price cell it was guessed from (position only) */
};

void mapper_init(struct mapper *m, const struct profile *p, bool by_path);
void mapper_release(struct mapper *m);

/* The plan for a column (cached by name).  NULL only when out of memory. */
const struct column_plan *mapper_column(struct mapper *m, const struct record_field *f);

/* One row of a listing; prefix ("" or "variants[2].") goes before the
 * names of its leaves. */
struct map_row {
    const struct record_field *fields;
    size_t count;
    const char *prefix;
};

/* Writes the listing's leaves into out (which the caller reset and gave
 * its provenance).  IPR_ENOMEM; a record over IPR_INPUT_MAX_FIELDS leaves
 * becomes an error record. */
ipr_status mapper_build(struct mapper *m, const struct map_row *rows, size_t row_count,
                        struct ipr_record *out);

/* Is the value one the profile counts as empty ("N/A")? */
bool mapper_is_empty(const struct mapper *m, const char *value, size_t len);

#endif
