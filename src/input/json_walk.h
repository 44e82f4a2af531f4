/*
 * json_walk.h - the leaves of one JSON object's text, as record fields.
 *
 * A record must keep every value exactly as written (`0012`, `1.50`, a
 * 20-digit EAN), which jansson's numbers cannot, so the leaves are always
 * taken from the text by this walker.  Whether the text is JSON at all is
 * jansson's verdict, and its messages are the ones users see; but most
 * objects are plain, and for those the walk checks as it goes and vouches
 * for the text itself, so they are read in one pass without jansson's tree.
 *
 * Checking, the walk vouches only for what it fully understands: anything
 * else (an escape in a key, a \u escape of a surrogate or NUL, an exponent
 * or a very long number, deep nesting, objects with many keys, too many
 * leaves, any syntax error) makes it unsure, and it leaves the record as it
 * found it so that the caller can ask jansson and walk again, trusting.  It
 * never vouches for text jansson rejects; the unit test and the JSON fuzz
 * target assert exactly that.
 */
#ifndef IPR_INPUT_JSON_WALK_H
#define IPR_INPUT_JSON_WALK_H

#include "chunk.h"
#include "json.h"

enum json_walk_mode {
    JSON_WALK_CHECKING, /* check the text while walking it; be unsure of anything odd */
    JSON_WALK_TRUSTED   /* jansson accepted the text as an object */
};

/* Adds the leaves of the object in text (valid UTF-8 without NUL, checked
 * by the caller) to rec, named `a.b` and `a[0]`; a record error (too deep,
 * too many leaves) is set on rec, not returned.  `mut` is the same bytes,
 * writable, and `chunk` holds them: then string values are kept as views,
 * each ended by a NUL written over its closing quote once the walk is done.
 * Without them (NULL) every value is copied.
 *
 * CHECKING sets *vouched: false means rec has the fields and incomplete
 * note it had before the call (it may hold the chunk already) and only
 * jansson can judge the text.  IPR_OK, or IPR_ENOMEM. */
ipr_status json_walk_object(struct json_parser *p, struct ipr_record *rec, const char *text,
                            size_t len, uint32_t line, char *mut, struct chunk *chunk,
                            enum json_walk_mode mode, bool *vouched);

#endif
