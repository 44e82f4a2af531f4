/*
 * csv.c - CSV/TSV rows to records (see csv.h).
 *
 * One pass per row: a byte state machine finds where the row ends (quotes
 * may hide line ends) and unescapes the cells on the way.  The row stays
 * unconsumed in the source until it is done, which lets a quote problem be
 * repaired by re-reading from the line after the row's first line.  Lenient
 * where exports are sloppy (a quote inside an unquoted cell is a literal);
 * strict where leniency would merge rows silently (text after a closing
 * quote, a quote that never closes).  A cell over the field cap keeps its
 * first bytes, cut at a character boundary, and the rest is only counted,
 * so the record is checked as far as it was kept.  A cell that stands in
 * the input as it is (one run of bytes: no doubled quotes) becomes a view
 * into the source's chunk once the row is read (add_cell).
 */
#include "csv.h"

#include "../base/limits.h"

struct csv_column {
    const char *name; /* trimmed header text; NULL when the header cell is empty */
    size_t name_len;
};

struct csv_cell {
    size_t column;    /* 0-based position in the row */
    size_t value_off; /* into csv_parser.values */
    size_t value_len;
    uint64_t input_off; /* file offset of the value as is in the input; UINT64_MAX: unescaped */
    uint64_t offset;    /* file offset of the cell's first byte */
    uint32_t line;      /* of that byte */
    uint32_t col;       /* 1-based byte column of that byte */
    bool too_big;       /* value longer than the field cap: only its first bytes are stored */
    uint64_t full_len;  /* the whole value's length, beyond what is stored */
};

enum scan_state {
    S_FIELD_START, /* before the first byte of a cell */
    S_UNQUOTED,    /* inside a cell that did not start with a quote */
    S_QUOTED,      /* inside quotes */
    S_QUOTE_SEEN,  /* a quote inside quotes: closing, or the first of "" */
    S_AFTER_QUOTE  /* blanks after a closing quote */
};

enum row_problem {
    ROW_FINE,
    ROW_UNTERMINATED,   /* a quote still open at the end of the input */
    ROW_QUOTE_TOO_LONG, /* a quote still open after the row cap */
    ROW_AFTER_QUOTE,    /* text between a closing quote and the delimiter */
    ROW_TOO_LONG        /* an unquoted row past the row cap */
};

struct row {
    bool none;      /* the input ended before a row began */
    uint64_t start; /* file offset of the row's first byte */
    uint64_t end;   /* one past its last byte, line end excluded */
    uint64_t next;  /* first byte after the line end */
    struct text_pos at_start;
    struct text_pos at_next;
    size_t column_count;  /* cells seen, empty ones included */
    bool too_many_fields; /* more non-empty cells than IPR_INPUT_MAX_FIELDS */
    enum row_problem problem;
    uint32_t quote_line; /* where the last quoted cell opened */
    uint64_t quote_offset;
    uint32_t problem_line; /* ROW_AFTER_QUOTE: where the stray text is */
    uint32_t problem_col;
    uint64_t problem_offset;
};

/* The cell being scanned. */
struct cell_acc {
    size_t value_off;
    uint64_t offset;
    uint32_t line;
    uint32_t col;
    bool too_big;
    uint64_t full_len; /* bytes of the value, stored or not */
    unsigned runs;     /* runs of input appended: one means the value is in the input as is */
    uint64_t run_off;  /* file offset of the first run */
};

void csv_parser_init(struct csv_parser *p, char delim)
{
    memset(p, 0, sizeof(*p));
    p->delim = delim;
    vec_init(&p->header, sizeof(struct csv_column));
    arena_init(&p->names, 16u * 1024u);
    buf_init(&p->values, IPR_INPUT_MAX_LINE_BYTES);
    vec_init(&p->cells, sizeof(struct csv_cell));
    buf_init(&p->scratch, 64);
    p->max_field_len = IPR_INPUT_MAX_FIELD_BYTES;
    p->max_row_len = IPR_INPUT_MAX_LINE_BYTES;
}

void csv_parser_set_caps(struct csv_parser *p, size_t field_len, size_t row_len)
{
    p->max_field_len = field_len;
    p->max_row_len = row_len;
    /* the unescaped cells of a row are never longer than the row */
    buf_release(&p->values);
    buf_init(&p->values, row_len);
}

void csv_parser_release(struct csv_parser *p)
{
    vec_release(&p->header);
    arena_release(&p->names);
    buf_release(&p->values);
    vec_release(&p->cells);
    buf_release(&p->scratch);
}

static uint32_t col_of(const struct text_pos *tp, uint64_t off)
{
    uint64_t col = off - tp->line_start + 1;
    return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

static void cell_begin(struct csv_parser *p, struct cell_acc *cell, const struct text_pos *tp,
                       uint64_t off)
{
    cell->value_off = p->values.len;
    cell->offset = off;
    cell->line = tp->line;
    cell->col = col_of(tp, off);
    cell->too_big = false;
    cell->full_len = 0;
    cell->runs = 0;
}

/* Appends the n bytes at file offset `at` of src to the cell. */
static ipr_status cell_append(struct csv_parser *p, struct cell_acc *cell, struct source *src,
                              uint64_t at, size_t n)
{
    const char *bytes = source_at(src, at);
    if (n && cell->runs++ == 0)
        cell->run_off = at;
    cell->full_len += n;
    if (cell->too_big || n == 0)
        return IPR_OK;
    size_t stored = p->values.len - cell->value_off;
    if (n > p->max_field_len - stored) {
        cell->too_big = true;
        n = p->max_field_len - stored;
    }
    return buf_append(&p->values, bytes, n);
}

static ipr_status cell_end(struct csv_parser *p, struct row *row, const struct cell_acc *cell)
{
    size_t column = row->column_count++;
    if (cell->too_big) {
        /* the cap may have fallen inside a character: keep it whole or not at all */
        size_t kept = utf8_cut(p->values.data + cell->value_off, p->values.len - cell->value_off);
        p->values.len = cell->value_off + kept;
    }
    size_t len = p->values.len - cell->value_off;
    if (len == 0 && !cell->too_big)
        return IPR_OK; /* empty cells are not fields */
    if (row->column_count > IPR_INPUT_MAX_COLUMNS)
        return IPR_OK; /* the row is reported as a whole */
    if (p->cells.count >= IPR_INPUT_MAX_FIELDS) {
        row->too_many_fields = true;
        return IPR_OK;
    }
    struct csv_cell *c = vec_push(&p->cells);
    if (!c)
        return IPR_ENOMEM;
    c->column = column;
    c->value_off = cell->value_off;
    c->value_len = len;
    c->offset = cell->offset;
    c->line = cell->line;
    c->col = cell->col;
    c->too_big = cell->too_big;
    c->full_len = cell->full_len;
    c->input_off = cell->runs == 1 ? cell->run_off : UINT64_MAX;
    return IPR_OK;
}

/* Scans one row starting at file offset `off` (position `tp`), without
 * consuming it, reading until the row ends. */
static ipr_status scan_row_at(struct csv_parser *p, struct source *src, uint64_t off,
                              struct text_pos tp, struct row *row)
{
    const unsigned char delim = (unsigned char)p->delim;
    const bool line_quotes = p->quotes == CSV_QUOTES_LINE;
    buf_clear(&p->values);
    vec_clear(&p->cells);
    memset(row, 0, sizeof(*row));

    row->start = off;
    row->at_start = tp;

    enum scan_state state = S_FIELD_START;
    struct cell_acc cell;
    cell_begin(p, &cell, &tp, off);
    struct text_pos cell_tp = tp; /* where the current cell starts */
    uint64_t run_start = off;     /* first byte of cell text not yet copied */
    bool restart = false;         /* line quotes: read the cell again without quoting */
    ipr_status st = IPR_OK;

    for (;;) {
        if (restart) {
            /* the cell's quotes did not pair up on its line: its first quote
             * was an ordinary character after all */
            restart = false;
            p->values.len = cell.value_off;
            cell.too_big = false;
            cell.full_len = 0;
            cell.runs = 0;
            off = cell.offset;
            tp = cell_tp;
            state = S_UNQUOTED;
            run_start = off;
            continue;
        }
        if (off == source_end(src)) {
            st = source_fill(src);
            if (st == IPR_OK)
                continue;
            if (st != IPR_DONE)
                return st;
            st = IPR_OK;
            if (state == S_QUOTED && line_quotes) {
                restart = true;
                continue;
            }
            if (state == S_QUOTED) {
                row->problem = ROW_UNTERMINATED;
                return IPR_OK;
            }
            if (off == row->start) {
                row->none = true;
                return IPR_OK;
            }
            if (state == S_UNQUOTED)
                st = cell_append(p, &cell, src, run_start, (size_t)(off - run_start));
            if (st == IPR_OK)
                st = cell_end(p, row, &cell);
            row->end = row->next = off;
            row->at_next = tp;
            return st;
        }
        if (off - row->start >= p->max_row_len) {
            row->problem = state == S_QUOTED ? ROW_QUOTE_TOO_LONG : ROW_TOO_LONG;
            row->end = row->next = off;
            row->at_next = tp;
            return IPR_OK;
        }

        if (state == S_UNQUOTED || state == S_QUOTED) {
            /* fast path over bytes that change nothing but the column */
            const unsigned char *d = (const unsigned char *)source_at(src, off);
            uint64_t limit = source_end(src);
            if (limit - row->start > p->max_row_len)
                limit = row->start + p->max_row_len;
            size_t n = (size_t)(limit - off), i = 0;
            unsigned char stop = state == S_QUOTED ? '"' : delim;
            while (i < n && d[i] != stop && d[i] != '\n' && d[i] != '\r')
                i++;
            if (i > 0) {
                tp.prev_cr = false;
                off += i;
                continue;
            }
        }

        unsigned char c = *(const unsigned char *)source_at(src, off);
        bool line_end = c == '\n' || c == '\r';
        switch (state) {
        case S_FIELD_START:
            if (c == '"') {
                state = S_QUOTED;
                run_start = off + 1;
                row->quote_line = tp.line;
                row->quote_offset = off;
            } else if (c != delim && !line_end) {
                state = S_UNQUOTED;
                run_start = off;
            }
            break;
        case S_UNQUOTED:
            if (c == delim || line_end)
                st = cell_append(p, &cell, src, run_start, (size_t)(off - run_start));
            break;
        case S_QUOTED:
            if (c == '"') {
                st = cell_append(p, &cell, src, run_start, (size_t)(off - run_start));
                state = S_QUOTE_SEEN;
            } else if (line_end && line_quotes) {
                restart = true;
                continue;
            }
            break;
        case S_QUOTE_SEEN:
        case S_AFTER_QUOTE:
            if (c == '"' && state == S_QUOTE_SEEN) {
                /* "" inside quotes: this second quote starts the next run */
                state = S_QUOTED;
                run_start = off;
            } else if ((c == ' ' || c == '\t') && c != delim) {
                state = S_AFTER_QUOTE;
            } else if (c != delim && !line_end && line_quotes) {
                restart = true;
                continue;
            } else if (c != delim && !line_end) {
                row->problem = ROW_AFTER_QUOTE;
                row->problem_line = tp.line;
                row->problem_col = col_of(&tp, off);
                row->problem_offset = off;
                return IPR_OK;
            }
            break;
        }
        if (st != IPR_OK)
            return st;

        bool cell_done = state != S_QUOTED && (c == delim || line_end);
        if (cell_done) {
            st = cell_end(p, row, &cell);
            if (st != IPR_OK)
                return st;
        }
        text_pos_step(&tp, c, off);
        off++;
        if (cell_done && line_end) {
            row->end = off - 1;
            row->next = off;
            row->at_next = tp;
            return IPR_OK;
        }
        if (cell_done) {
            state = S_FIELD_START;
            cell_begin(p, &cell, &tp, off);
            cell_tp = tp;
        }
    }
}

static ipr_status scan_row(struct csv_parser *p, struct source *src, struct row *row)
{
    return scan_row_at(p, src, source_offset(src), src->at, row);
}

static bool is_blank_row(const struct source *src, const struct row *row)
{
    const char *d = source_at(src, row->start);
    for (uint64_t i = 0; i < row->end - row->start; i++)
        if (d[i] != ' ' && d[i] != '\t')
            return false;
    return true;
}

/* Line of the byte at `off` inside the row. */
static uint32_t line_in_row(const struct source *src, const struct row *row, uint64_t off)
{
    struct text_pos tp = row->at_start;
    const unsigned char *d = (const unsigned char *)source_at(src, row->start);
    for (uint64_t o = row->start; o < off; o++)
        text_pos_step(&tp, d[o - row->start], o);
    return tp.line;
}

/* The header's name for a column, else `column_N` (valid until the next call). */
static ipr_status column_name(struct csv_parser *p, size_t column, const char **name,
                              size_t *name_len)
{
    if (column < p->header.count) {
        const struct csv_column *col = vec_at(&p->header, column);
        if (col->name) {
            *name = col->name;
            *name_len = col->name_len;
            return IPR_OK;
        }
    }
    buf_clear(&p->scratch);
    ipr_status st = buf_printf(&p->scratch, "column_%zu", column + 1);
    *name = buf_str(&p->scratch);
    *name_len = p->scratch.len;
    return st;
}

static const char *row_prefix(const struct csv_parser *p)
{
    return p->have_header ? "" : "header row: ";
}

/* Reports a quote problem and resumes at the line after the row's first
 * line: a stray quote costs one row, not the rest of the file. */
static ipr_status quote_error(struct csv_parser *p, struct source *src, const struct row *row,
                              struct ipr_record *rec)
{
    ipr_status st;
    const char *pre = row_prefix(p);
    switch (row->problem) {
    case ROW_UNTERMINATED:
        st =
            record_set_error(rec, row->quote_line, row->quote_offset,
                             "%sunterminated quoted field opened at line %u", pre, row->quote_line);
        break;
    case ROW_QUOTE_TOO_LONG:
        st = record_set_error(rec, row->quote_line, row->quote_offset,
                              "%squoted field opened at line %u is not closed within %zu bytes",
                              pre, row->quote_line, p->max_row_len);
        break;
    default:
        st = record_set_error(rec, row->problem_line, row->problem_offset,
                              "%sunexpected text after the closing quote at line %u, column %u "
                              "(quoted field opened at line %u)",
                              pre, row->problem_line, row->problem_col, row->quote_line);
        break;
    }
    if (st != IPR_OK)
        return st;
    p->have_header = true;
    return source_skip_line(src, true);
}

/* The first problem of a complete row that makes it unreadable, if any. */
static ipr_status row_error(struct csv_parser *p, const struct source *src, const struct row *row,
                            struct ipr_record *rec, bool *failed)
{
    const char *pre = row_prefix(p);
    const char *raw = source_at(src, row->start);
    size_t raw_len = (size_t)(row->end - row->start);
    size_t bad = utf8_check(raw, raw_len);
    *failed = true;
    if (bad < raw_len) {
        uint64_t off = row->start + bad;
        uint32_t line = line_in_row(src, row, off);
        const char *what = raw[bad] == '\0' ? "NUL byte" : "invalid UTF-8";
        return record_set_error(rec, line, off, "%s%s at byte offset %llu", pre, what,
                                (unsigned long long)off);
    }
    if (row->column_count > IPR_INPUT_MAX_COLUMNS)
        return record_set_error(rec, row->at_start.line, row->start, "%smore than %u columns", pre,
                                IPR_INPUT_MAX_COLUMNS);
    if (row->too_many_fields)
        return record_set_error(rec, row->at_start.line, row->start,
                                "%smore than %u non-empty cells", pre, IPR_INPUT_MAX_FIELDS);
    /* a data row keeps the first bytes of an oversized cell; a header
     * name cut short would name another column */
    for (size_t i = 0; !p->have_header && i < p->cells.count; i++) {
        const struct csv_cell *c = vec_at(&p->cells, i);
        if (c->too_big)
            return record_set_error(rec, c->line, c->offset,
                                    "%scell %zu at line %u, column %u is larger than %zu bytes",
                                    pre, c->column + 1, c->line, c->col, p->max_field_len);
    }
    *failed = false;
    return IPR_OK;
}

static ipr_status read_header(struct csv_parser *p)
{
    /* one slot per header cell, so a row's column index finds its name */
    size_t count = 0;
    for (size_t i = 0; i < p->cells.count; i++) {
        const struct csv_cell *c = vec_at(&p->cells, i);
        count = c->column + 1;
    }
    for (size_t i = 0; i < count; i++)
        if (!vec_push(&p->header))
            return IPR_ENOMEM;
    for (size_t i = 0; i < p->cells.count; i++) {
        const struct csv_cell *c = vec_at(&p->cells, i);
        const char *s = p->values.data + c->value_off;
        size_t len = c->value_len;
        while (len && ipr_is_ascii_space((unsigned char)s[0])) {
            s++;
            len--;
        }
        while (len && ipr_is_ascii_space((unsigned char)s[len - 1]))
            len--;
        if (len == 0)
            continue;
        struct csv_column *col = vec_at(&p->header, c->column);
        col->name = arena_strndup(&p->names, s, len);
        if (!col->name)
            return IPR_ENOMEM;
        col->name_len = len;
    }
    p->have_header = true;
    return IPR_OK;
}

/* A cell's value, kept as a view into the input when it is there as is (a
 * cell without doubled quotes): the byte after it (a delimiter, a quote, a
 * line end, or spare room at the end of the window) becomes its NUL, since
 * the row has been read.  Else the parser's unescaped copy. */
static ipr_status add_cell(struct csv_parser *p, struct source *src, const struct csv_cell *c,
                           struct ipr_record *rec, const char *name, size_t name_len)
{
    char *view = c->input_off == UINT64_MAX ? NULL : source_at_mut(src, c->input_off);
    struct chunk *chunk = source_chunk(src);
    if (view && view + c->value_len < chunk->data + chunk->cap) {
        view[c->value_len] = '\0';
        return record_add_field_view(rec, name, name_len, view, c->value_len, c->line, c->col,
                                     FIELD_STRING, chunk);
    }
    return record_add_field(rec, name, name_len, p->values.data + c->value_off, c->value_len,
                            c->line, c->col, FIELD_STRING);
}

static ipr_status add_fields(struct csv_parser *p, struct source *src, struct ipr_record *rec)
{
    for (size_t i = 0; i < p->cells.count; i++) {
        const struct csv_cell *c = vec_at(&p->cells, i);
        const char *name;
        size_t name_len;
        ipr_status st = column_name(p, c->column, &name, &name_len);
        if (st != IPR_OK)
            return st;
        st = add_cell(p, src, c, rec, name, name_len);
        if (st == IPR_ELIMIT)
            return record_set_error(rec, c->line, 0, "more than %u fields", IPR_INPUT_MAX_FIELDS);
        if (st == IPR_OK && c->too_big)
            st = record_set_incomplete(
                rec, "field '%.*s' is %llu bytes; only the first %zu were checked", (int)name_len,
                name, (unsigned long long)c->full_len, c->value_len);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

ipr_status csv_parser_next(struct csv_parser *p, struct source *src, struct ipr_record *rec)
{
    for (;;) {
        if (src->at.prev_cr) {
            /* the LF of a CRLF that ended the previous row */
            ipr_status st = source_want(src, 1);
            if (st != IPR_OK)
                return st;
            if (source_avail(src) && *source_at(src, source_offset(src)) == '\n')
                source_consume(src, source_offset(src) + 1);
        }
        struct row row;
        ipr_status st = scan_row(p, src, &row);
        if (st != IPR_OK)
            return st;
        if (row.none)
            return IPR_DONE;
        rec->line = row.at_start.line;

        if (row.problem == ROW_TOO_LONG) {
            st = record_set_error(rec, row.at_start.line, row.start, "%srow longer than %zu bytes",
                                  row_prefix(p), p->max_row_len);
            p->have_header = true;
            source_consume_at(src, row.next, &row.at_next);
            return st != IPR_OK ? st : source_skip_line(src, true);
        }
        if (row.problem != ROW_FINE)
            return quote_error(p, src, &row, rec);

        if (is_blank_row(src, &row)) {
            source_consume_at(src, row.next, &row.at_next);
            continue;
        }
        bool failed;
        st = row_error(p, src, &row, rec, &failed);
        if (st == IPR_OK && !failed) {
            if (!p->have_header) {
                st = read_header(p);
                if (st != IPR_OK)
                    return st;
                source_consume_at(src, row.next, &row.at_next);
                continue;
            }
            st = add_fields(p, src, rec);
        }
        p->have_header = true;
        source_consume_at(src, row.next, &row.at_next);
        return st;
    }
}

/* ---- looking ahead for the header row ------------------------------------------------- */

ipr_status csv_parser_peek(struct csv_parser *p, struct source *src, size_t max_rows,
                           size_t max_bytes, csv_peek_fn fn, void *ctx)
{
    struct vec view;
    vec_init(&view, sizeof(struct csv_peek_cell));
    uint64_t off = source_offset(src);
    uint64_t limit = off + max_bytes;
    struct text_pos tp = src->at;
    ipr_status st = IPR_OK;
    size_t seen = 0;
    while (seen < max_rows && off < limit) {
        if (tp.prev_cr) {
            /* the LF of a CRLF that ended the row before */
            if (off == source_end(src)) {
                st = source_fill(src);
                if (st != IPR_OK && st != IPR_DONE)
                    break;
                st = IPR_OK;
            }
            if (off < source_end(src) && *source_at(src, off) == '\n') {
                text_pos_step(&tp, '\n', off);
                off++;
            }
        }
        struct row row;
        st = scan_row_at(p, src, off, tp, &row);
        if (st != IPR_OK || row.none)
            break;
        if (row.problem == ROW_FINE && is_blank_row(src, &row)) {
            off = row.next;
            tp = row.at_next;
            continue;
        }
        vec_clear(&view);
        bool readable = row.problem == ROW_FINE &&
                        utf8_check(source_at(src, row.start), (size_t)(row.end - row.start)) ==
                            (size_t)(row.end - row.start);
        for (size_t i = 0; readable && i < p->cells.count; i++) {
            const struct csv_cell *c = vec_at(&p->cells, i);
            struct csv_peek_cell *v = vec_push(&view);
            if (!v) {
                st = IPR_ENOMEM;
                break;
            }
            v->column = c->column;
            v->value = c->too_big ? "" : p->values.data + c->value_off;
            v->len = c->too_big ? 0 : c->value_len;
        }
        if (st != IPR_OK)
            break;
        st = fn(ctx, seen++, row.at_start.line, view.items, readable ? view.count : 0);
        if (st != IPR_OK || row.problem != ROW_FINE)
            break; /* a row with a quote problem hides where the next one starts */
        off = row.next;
        tp = row.at_next;
    }
    vec_release(&view);
    buf_clear(&p->values);
    vec_clear(&p->cells);
    return st == IPR_DONE ? IPR_OK : st;
}

ipr_status csv_parser_skip_rows(struct csv_parser *p, struct source *src, size_t rows)
{
    size_t skipped = 0;
    while (skipped < rows) {
        if (src->at.prev_cr) {
            ipr_status st = source_want(src, 1);
            if (st != IPR_OK)
                return st;
            if (source_avail(src) && *source_at(src, source_offset(src)) == '\n')
                source_consume(src, source_offset(src) + 1);
        }
        struct row row;
        ipr_status st = scan_row(p, src, &row);
        if (st != IPR_OK)
            return st;
        if (row.none)
            break;
        bool blank = row.problem == ROW_FINE && is_blank_row(src, &row);
        if (row.problem == ROW_FINE || row.problem == ROW_TOO_LONG)
            source_consume_at(src, row.next, &row.at_next);
        if (row.problem != ROW_FINE) {
            st = source_skip_line(src, true);
            if (st != IPR_OK)
                return st;
        }
        if (!blank)
            skipped++;
    }
    buf_clear(&p->values);
    vec_clear(&p->cells);
    return IPR_OK;
}
