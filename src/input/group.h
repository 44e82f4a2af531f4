/*
 * group.h - which rows of an export form one listing.
 *
 * Most exports have one row per listing.  Shopify writes a product over
 * several consecutive rows sharing a Handle (variants and extra images);
 * WooCommerce writes variations as rows of their own that name their
 * parent anywhere in the file.  The grouper reads raw rows (records named
 * after the header) and hands each listing's rows to the mapper:
 *
 *   GROUP_NONE    each row alone;
 *   GROUP_BY      consecutive rows with the same key (an empty key joins
 *                 the row before), delivered when the next key starts, so
 *                 standard input still streams, one row behind;
 *   GROUP_ATTACH  rows are read in batches of up to IPR_PROFILE_MAX_BATCH_BYTES;
 *                 a row whose parent column names another row of the batch
 *                 is attached to it as variants[k]; the others are
 *                 listings in input order.
 *
 * A row that cannot be parsed ends the group before it and comes out as
 * its own error record, in its place.  Rows whose first cell starts with
 * one of the profile's skip_rows prefixes are not listings and are
 * dropped.
 */
#ifndef IPR_INPUT_GROUP_H
#define IPR_INPUT_GROUP_H

#include "../base/arena.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "profile_map.h"

/* Reads the next raw row: IPR_OK with *raw set (valid until the next
 * call), IPR_DONE at the end, or an error. */
typedef ipr_status (*raw_next_fn)(void *ctx, const struct ipr_record **raw);

struct grouper {
    struct mapper *m; /* borrowed */
    const struct profile *p;
    struct arena arena; /* the held rows */
    struct vec rows;    /* of struct held_row */
    bool input_done;
    bool batch_ready;    /* GROUP_ATTACH: rows hold a resolved batch */
    size_t next_emit;    /* GROUP_ATTACH: next held row to deliver */
    struct vec map_rows; /* scratch: struct map_row */
    struct vec prefixes; /* scratch: char[32] per attached row */
    struct strmap ids;   /* GROUP_ATTACH: row id -> row index */
};

void grouper_init(struct grouper *g, struct mapper *m);
void grouper_release(struct grouper *g);

/* Writes the next listing (its fields, line, or its error) to out, which
 * the caller has reset; the caller numbers it.  IPR_DONE at the end. */
ipr_status grouper_next(struct grouper *g, raw_next_fn next, void *ctx, struct ipr_record *out);

#endif
