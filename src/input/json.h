/*
 * json.h - JSON Lines and JSON documents to records.
 *
 * JSONL: each non-blank line is one object.  JSON: a top-level array whose
 * elements are objects, found one at a time by scanning the bytes, so a
 * large array never has to fit in memory; a document that is not an array
 * is read as a sequence of top-level values.  Every element or line becomes
 * exactly one record, parsed or carrying the reason it could not be.
 * Nested objects and arrays are flattened to leaves named `a.b` and `a[0]`.
 * A value longer than the field cap is kept up to the cap and its record
 * says so (record->incomplete).
 */
#ifndef IPR_INPUT_JSON_H
#define IPR_INPUT_JSON_H

#include "../base/buf.h"
#include "record.h"
#include "source.h"

enum json_phase {
    PHASE_START,   /* nothing read yet */
    PHASE_ARRAY,   /* inside the top-level array */
    PHASE_VALUES,  /* the document is a sequence of values, not an array */
    PHASE_TRAILER, /* after the closing ']' */
    PHASE_END      /* nothing more will be returned */
};

struct json_parser {
    enum json_phase phase; /* JSON documents only */
    bool need_comma;       /* an element was read and no ',' has followed yet */
    bool after_comma;      /* the last token was ',' */
    struct buf name;       /* the flattened name being built */
    struct buf path;       /* the same without indices: the canonical path */
    struct buf value;      /* an unescaped string value */
    size_t max_field_len;  /* bytes of a value kept; the rest is dropped, the record incomplete */
    size_t max_line_len;   /* a longer line (JSONL) or element (JSON) is an error record */
};

/* Caps IPR_INPUT_MAX_FIELD_BYTES and IPR_INPUT_MAX_LINE_BYTES until
 * json_parser_set_caps says otherwise. */
void json_parser_init(struct json_parser *p);
void json_parser_release(struct json_parser *p);
/* Before the first record: a value keeps at most field_len bytes (cut at a
 * character boundary), a line or element is at most line_len bytes. */
void json_parser_set_caps(struct json_parser *p, size_t field_len, size_t line_len);

/* Fill rec (line, fields or error) from the next line (JSONL) or element
 * (JSON).  IPR_OK, IPR_DONE at the end, IPR_EIO or IPR_ENOMEM. */
ipr_status json_parser_next_line(struct json_parser *p, struct source *src, struct ipr_record *rec);
ipr_status json_parser_next_element(struct json_parser *p, struct source *src,
                                    struct ipr_record *rec);

#endif
