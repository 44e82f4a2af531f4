/*
 * cell_value.h - what a marketplace cell holds besides plain text.
 *
 * Exports pack lists into one cell (Etsy writes Python list literals such
 * as "['Silver', 'Formal']", Shopify separates tags with commas, scraped
 * Amazon data uses '|') and write prices with their currency ("$399.00",
 * "1.299,00 EUR").  These helpers turn such cells into list items and into
 * a plain number plus an ISO 4217 code, and never guess when unsure: a
 * cell that is not clearly a list literal is split at the separator only,
 * and a currency is named only when its symbol or code is unambiguous.
 */
#ifndef IPR_INPUT_CELL_VALUE_H
#define IPR_INPUT_CELL_VALUE_H

#include "../base/buf.h"
#include "../base/vec.h"

struct cell_item {
    size_t off; /* into the text buffer */
    size_t len;
};

/* Splits a cell into items: a bracketed list literal (Python or JSON
 * strings, or bare words: "[a, b]") gives its elements; otherwise the cell
 * is split at every occurrence of sep (NULL or "": the whole cell is one
 * item).  Items are trimmed and empty ones dropped.  Item text goes to
 * text (cleared first), positions to items (of struct cell_item). */
ipr_status cell_split(const char *s, size_t len, const char *sep, struct buf *text,
                      struct vec *items);

/* Reads a price such as "$399.00", "2659900.00" or "1.299,00 €": writes
 * the number with '.' as decimal separator and without thousands
 * separators ("399.00", "1299.00") to number, and the ISO 4217 code its
 * symbol or code names to currency ("" when none or ambiguous, e.g. "¥").
 * Returns false when the cell is not one number. */
bool cell_price(const char *s, size_t len, char *number, size_t number_cap, char currency[4]);

/* WooCommerce writes a cell that starts with = + - @ TAB or CR with a
 * leading apostrophe so spreadsheets do not run it; returns how many bytes
 * to skip (0 or 1). */
size_t cell_formula_escape(const char *s, size_t len);

#endif
