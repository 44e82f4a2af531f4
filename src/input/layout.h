/*
 * layout.h - how one input is laid out: its encoding and its profile.
 *
 * The reader asks the layout twice while opening an input: before format
 * detection, to decide the encoding and put a converter in front of the
 * parsers when the bytes are not UTF-8; after it, to find the header row
 * and the profile (recognized from the header, named, or loaded from a
 * file).  Reading then goes through the layout when the profile maps
 * columns; with the canonical profile rows pass through unchanged.
 */
#ifndef IPR_INPUT_LAYOUT_H
#define IPR_INPUT_LAYOUT_H

#include "../base/arena.h"
#include "csv.h"
#include "encoding.h"
#include "group.h"
#include "profile.h"
#include "profile_map.h"
#include "reader.h"
#include "source.h"

struct layout {
    const struct reader_config *cfg; /* borrowed while opening only */
    struct encoding enc;
    bool enc_forced;     /* the user named the encoding */
    struct decoder *dec; /* NULL: the bytes are read as UTF-8 */
    const char *binary;  /* the binary format the input starts with, or NULL */
    struct profile_set builtin;
    struct profile *own;           /* a profile loaded from a file */
    const char *wanted;            /* NULL: auto; else the profile the user named */
    const struct profile *profile; /* chosen; NULL: columns as written */
    bool maps;                     /* the profile maps columns (not canonical) */
    struct mapper mapper;
    struct grouper grouper;
    uint32_t header_line; /* 0: no header (JSON) */
    struct arena meta;    /* unmapped column names */
    struct vec unmapped;  /* of const char * */
    char description[192];
};

/* Resolves cfg's encoding name and profile (loading a profile file).
 * Problems go to cfg->message. */
ipr_status layout_new(const struct reader_config *cfg, struct layout **out);
void layout_free(struct layout *l);

/* Decides the encoding of fd (reading a regular file once through, or
 * the first rows of a stream: see stream_sample in layout.c) and
 * initializes src to read it as UTF-8.
 * The source (or the converter) owns fd when owns_fd.  IPR_EUNSUPPORTED
 * when the first bytes are those of a binary format (l->binary names it). */
ipr_status layout_open_fd(struct layout *l, struct source *src, int fd, bool owns_fd,
                          bool is_regular);
ipr_status layout_open_mem(struct layout *l, struct source *src, const char *data, size_t len);

/* After the format is known and any UTF-8 byte order mark is consumed:
 * chooses the header row and the profile, consumes the rows above the
 * header, and configures csv (quoting).  It looks at the first
 * IPR_PROFILE_HEADER_ROWS rows (within IPR_PROFILE_HEADER_BYTES), waiting
 * for them on a pipe, so standard input is read as the file would be. */
ipr_status layout_choose(struct layout *l, ipr_input_format format, struct source *src,
                         struct csv_parser *csv);

/* The parsers report an invalid byte of a converted input at its offset
 * in the UTF-8 text; this names the encoding and the original offset.
 * consumed: the source offset up to which rows have been read. */
ipr_status layout_fix_error(struct layout *l, struct ipr_record *rec, uint64_t consumed);

/* Writes the next listing through the profile (layout->maps only). */
ipr_status layout_next(struct layout *l, raw_next_fn next, void *ctx, struct ipr_record *out);

void layout_describe(struct layout *l, ipr_input_format format);

#endif
