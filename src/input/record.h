/*
 * record.h - one listing as the matcher sees it: a flat list of leaf fields
 * plus where the record came from.
 *
 * Nested input (JSON objects and arrays, CSV headers such as
 * `customs.hs_code` or `images[0].alt_text`) is flattened into leaves.  Each
 * leaf has two names: `name` keeps array indices (`images[1].alt_text`) and is
 * what findings show; `path` drops them (`images.alt_text`) and is what rule
 * field selectors match.  Leaves keep input order.
 *
 * Names, messages and most values live in the record's arena, which
 * record_reset() recycles, so reading a file allocates only while records
 * grow past the largest so far.  A value the input holds as it is (a JSON
 * string without escapes, a CSV cell without doubled quotes) is not
 * copied: it is a view into the chunk the reader read it into, and the
 * record holds a reference to that chunk.
 */
#ifndef IPR_INPUT_RECORD_H
#define IPR_INPUT_RECORD_H

#include "../base/arena.h"
#include "../base/common.h"
#include "chunk.h"

enum field_kind {
    FIELD_STRING = 0,
    FIELD_NUMBER = 1, /* a JSON number; the value holds its text */
    FIELD_BOOL = 2,   /* "true" / "false" */
    FIELD_NULL = 3    /* JSON null; value "" */
};

struct record_field {
    const char *path;  /* canonical, without indices */
    const char *name;  /* with indices */
    const char *value; /* NUL-terminated */
    size_t value_len;
    uint32_t line; /* 1-based line where the value starts */
    uint32_t col;  /* 1-based byte column; 0 when unknown */
    enum field_kind kind;
};

struct ipr_record {
    const char *file;       /* borrowed from the reader (or the test runner) */
    uint32_t line;          /* 1-based line where the record starts */
    uint64_t index;         /* 0-based position among the file's records */
    const char *key;        /* sku, else record_id, else the index as text */
    const char *error;      /* NULL when parsed; why not otherwise */
    const char *incomplete; /* NULL when every value is whole; else why not (a value cut at
                               its cap), which leaves the record incomplete when scanned */
    uint32_t error_line;    /* where the problem is, 1-based */
    uint64_t error_offset;  /* byte offset of the problem in the file */
    struct record_field *fields;
    size_t field_count;
    size_t field_cap;
    struct arena arena;  /* owns fields[] strings and error text */
    struct chunk *chunk; /* the input bytes views point into (one reference); NULL: none */
};

void record_init(struct ipr_record *rec);
void record_release(struct ipr_record *rec);
/* Empties the record for reuse; keeps its memory. */
void record_reset(struct ipr_record *rec);

/* Adds a leaf.  `name` may carry indices ("bullets[2]"); the canonical path
 * is derived from it.  The value is copied.  IPR_ELIMIT past
 * IPR_INPUT_MAX_FIELDS leaves. */
ipr_status record_add_field(struct ipr_record *rec, const char *name, size_t name_len,
                            const char *value, size_t value_len, uint32_t line, uint32_t col,
                            enum field_kind kind);

/* Adds a leaf whose value stays where it is: value[value_len] must be NUL
 * and the bytes must lie in chunk, which the record then holds until reset.
 * Copies the value instead when the record already views another chunk. */
ipr_status record_add_field_view(struct ipr_record *rec, const char *name, size_t name_len,
                                 const char *value, size_t value_len, uint32_t line, uint32_t col,
                                 enum field_kind kind, struct chunk *chunk);

/* A leaf's name and, when the reader built it along with the name (JSON
 * does, member by member), its canonical path; path NULL: derived from the
 * name. */
struct leaf_name {
    const char *name;
    size_t name_len;
    const char *path;
    size_t path_len;
};

/* The one the two above stand for: chunk NULL copies the value, else it is
 * a view as for record_add_field_view. */
ipr_status record_add_leaf(struct ipr_record *rec, const struct leaf_name *ln, const char *value,
                           size_t value_len, uint32_t line, uint32_t col, enum field_kind kind,
                           struct chunk *chunk);

/* Marks the record unparseable; the message is copied (printf-style). */
ipr_status record_set_error(struct ipr_record *rec, uint32_t line, uint64_t offset, const char *fmt,
                            ...) IPR_PRINTF(4, 5);

/* Says that part of the record was not kept (a value over its cap was
 * cut); printf-style, copied.  The first reason stays; later calls change
 * nothing. */
ipr_status record_set_incomplete(struct ipr_record *rec, const char *fmt, ...) IPR_PRINTF(2, 3);

/* Makes dst (initialized) a deep copy of src, strings included. */
ipr_status record_copy(struct ipr_record *dst, const struct ipr_record *src);

/* Sets key from sku, record_id or index; call after all fields are added. */
ipr_status record_finish(struct ipr_record *rec);

/* First leaf whose canonical path equals `path` exactly; NULL when none. */
const struct record_field *record_find(const struct ipr_record *rec, const char *path);

/* Does selector `sel` pick the leaf with canonical path `path`?  A selector
 * is a path with optional `[]` ("images[].alt_text" == "images.alt_text"),
 * a prefix of whole segments ("customs" picks "customs.hs_code"), or "*". */
bool record_selector_matches(const char *sel, const char *path);

/* Writes the canonical path of `name` (indices removed) into out. */
size_t record_canonical_path(const char *name, size_t name_len, char *out, size_t out_cap);

#endif
