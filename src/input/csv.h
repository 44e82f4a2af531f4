/*
 * csv.h - CSV and TSV rows to records (RFC 4180, lenient where exports are).
 *
 * The first non-blank row names the columns.  Each later non-blank row
 * becomes exactly one record: a parsed one, or one whose error says why the
 * row could not be read; a bad row never swallows the rows after it.  A
 * cell longer than the field cap is kept up to the cap and its record says
 * so (record->incomplete).
 */
#ifndef IPR_INPUT_CSV_H
#define IPR_INPUT_CSV_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "record.h"
#include "source.h"

enum csv_quotes {
    CSV_QUOTES_RFC = 0, /* a quoted cell may hold delimiters and line ends */
    CSV_QUOTES_LINE = 1 /* a quote opens a quoted cell only when the cell closes on the same
                           line; otherwise it is an ordinary character (tab-delimited exports
                           that never quote, such as Amazon's) */
};

struct csv_parser {
    char delim;         /* ',' or '\t' */
    bool have_header;   /* the header row has been read (or failed) */
    struct vec header;  /* of struct csv_column, one per header cell */
    struct arena names; /* header names */
    struct buf values;  /* unescaped non-empty cell values of the current row */
    struct vec cells;   /* of struct csv_cell: the current row's non-empty cells */
    struct buf scratch; /* generated column names */

    enum csv_quotes quotes; /* CSV_QUOTES_RFC unless a profile says otherwise */
    size_t max_field_len;   /* bytes of a cell kept; the rest is dropped, the record incomplete */
    size_t max_row_len;     /* a longer row is an error record */
};

/* Caps IPR_INPUT_MAX_FIELD_BYTES and IPR_INPUT_MAX_LINE_BYTES until
 * csv_parser_set_caps says otherwise. */
void csv_parser_init(struct csv_parser *p, char delim);
void csv_parser_release(struct csv_parser *p);
/* Before the first row: a cell keeps at most field_len bytes (cut at a
 * character boundary), a row is at most row_len bytes. */
void csv_parser_set_caps(struct csv_parser *p, size_t field_len, size_t row_len);

/* Fills rec (line, fields or error) from the next non-blank row.
 * IPR_OK, IPR_DONE at the end of the input, IPR_EIO or IPR_ENOMEM. */
ipr_status csv_parser_next(struct csv_parser *p, struct source *src, struct ipr_record *rec);

/* One non-empty cell of a row seen by csv_parser_peek. */
struct csv_peek_cell {
    size_t column; /* 0-based */
    const char *value;
    size_t len;
};

/* Called for each row csv_parser_peek looks at: its 0-based position among
 * non-blank rows, its line and its non-empty cells (none for a row that
 * cannot be read).  A status other than IPR_OK stops the peek and is
 * returned, except IPR_DONE, which stops it quietly. */
typedef ipr_status (*csv_peek_fn)(void *ctx, size_t row, uint32_t line,
                                  const struct csv_peek_cell *cells, size_t count);

/* Shows up to max_rows non-blank rows from the source position, within
 * max_bytes, without consuming them (so the header row can be chosen).
 * It reads until it has them or the input ends, so what it shows depends
 * on the bytes only, never on how a pipe happened to deliver them. */
ipr_status csv_parser_peek(struct csv_parser *p, struct source *src, size_t max_rows,
                           size_t max_bytes, csv_peek_fn fn, void *ctx);

/* Consumes `rows` non-blank rows: the rows above the real header. */
ipr_status csv_parser_skip_rows(struct csv_parser *p, struct source *src, size_t rows);

#endif
