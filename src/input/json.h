/*
 * json.h - JSON Lines and JSON documents to records.
 *
 * JSONL: each non-blank line is one object.  JSON: a top-level array whose
 * elements are objects, found one at a time by scanning the bytes, so a
 * large array never has to fit in memory; a document that is not an array
 * is read as a sequence of top-level values.  Every element or line becomes
 * exactly one record, parsed or carrying the reason it could not be.
 * Nested objects and arrays are flattened to leaves named `a.b` and `a[0]`.
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
    struct buf value;      /* an unescaped string value */
};

void json_parser_init(struct json_parser *p);
void json_parser_release(struct json_parser *p);

/* Fill rec (line, fields or error) from the next line (JSONL) or element
 * (JSON).  IPR_OK, IPR_DONE at the end, IPR_EIO or IPR_ENOMEM. */
ipr_status json_parser_next_line(struct json_parser *p, struct source *src, struct ipr_record *rec);
ipr_status json_parser_next_element(struct json_parser *p, struct source *src,
                                    struct ipr_record *rec);

#endif
