/*
 * csv.h - CSV and TSV rows to records (RFC 4180, lenient where exports are).
 *
 * The first non-blank row names the columns.  Each later non-blank row
 * becomes exactly one record: a parsed one, or one whose error says why the
 * row could not be read; a bad row never swallows the rows after it.
 */
#ifndef IPR_INPUT_CSV_H
#define IPR_INPUT_CSV_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "record.h"
#include "source.h"

struct csv_parser {
    char delim;         /* ',' or '\t' */
    bool have_header;   /* the header row has been read (or failed) */
    struct vec header;  /* of struct csv_column, one per header cell */
    struct arena names; /* header names */
    struct buf values;  /* unescaped non-empty cell values of the current row */
    struct vec cells;   /* of struct csv_cell: the current row's non-empty cells */
    struct buf scratch; /* generated column names */
};

void csv_parser_init(struct csv_parser *p, char delim);
void csv_parser_release(struct csv_parser *p);

/* Fills rec (line, fields or error) from the next non-blank row.
 * IPR_OK, IPR_DONE at the end of the input, IPR_EIO or IPR_ENOMEM. */
ipr_status csv_parser_next(struct csv_parser *p, struct source *src, struct ipr_record *rec);

#endif
