/*
 * encoding.h - listings written in other encodings, read as UTF-8.
 *
 * The parsers only ever see UTF-8.  This module decides what an input is
 * written in (a byte order mark, else valid UTF-8, else the likeliest
 * legacy encoding according to ICU's charset detector) and converts it to
 * UTF-8 as it streams.  A byte sequence that is invalid in the encoding is
 * never dropped or replaced by a look-alike: it becomes one 0xFF byte,
 * which no UTF-8 parser accepts, so the row holding it becomes an error
 * record; the decoder remembers where the sequence sat in the original
 * input so that the error names the original byte offset.
 */
#ifndef IPR_INPUT_ENCODING_H
#define IPR_INPUT_ENCODING_H

#include "../base/common.h"
#include "../base/vec.h"

struct encoding {
    char name[48];      /* as reported: "utf-8", "windows-1252", "gb18030", "utf-16le", ... */
    char converter[48]; /* ICU converter name; "" when the bytes are UTF-8 and read as they are */
    size_t bom_len;     /* bytes of byte order mark at the start of the input (0 when none) */
};

/* Resolves a name the user gave ("gbk", "Shift_JIS", "cp1252", "utf-16le").
 * IPR_ENOTFOUND when ICU has no converter of that name. */
ipr_status encoding_lookup(const char *name, struct encoding *out);

/* The byte order mark at the start of data, if any: sets *out and returns
 * true.  A UTF-8 mark gives "utf-8" with an empty converter. */
bool encoding_from_bom(const char *data, size_t len, struct encoding *out);

/* Looks at the first bytes of an input, or at all of it, and guesses. */
struct encoding_sniffer {
    uint64_t seen;          /* bytes fed so far */
    uint64_t invalid_count; /* bytes that break UTF-8 */
    uint64_t valid_multi;   /* well-formed multi-byte UTF-8 sequences */
    unsigned need;          /* continuation bytes still expected by the UTF-8 check */
    unsigned char lo;       /* bounds of the next continuation byte */
    unsigned char hi;
    size_t zeros[2]; /* NUL bytes at even and odd offsets among the first 4 KiB */
    size_t head_len; /* bytes counted in zeros[] */
    char head[4];    /* the first bytes, for the byte order mark */
    size_t head_have;
    char *sample; /* lines holding non-ASCII bytes, for charset detection */
    size_t sample_len;
    uint64_t covered; /* offset up to which lines were copied to the sample */
};

void encoding_sniffer_init(struct encoding_sniffer *s);
void encoding_sniffer_release(struct encoding_sniffer *s);
/* Feeds the next bytes.  Returns false once more bytes cannot change the
 * answer (the input is known not to be UTF-8 and the sample is full).
 * IPR_ENOMEM is reported by finish. */
bool encoding_sniffer_feed(struct encoding_sniffer *s, const char *data, size_t len);
/* The guess.  complete: the whole input was fed, so a sequence cut at the
 * end is invalid rather than continued by bytes not yet read. */
ipr_status encoding_sniffer_finish(struct encoding_sniffer *s, bool complete, struct encoding *out);

/* Converts a legacy encoding to UTF-8 while the input streams. */
struct decoder;

/* The raw input is prefix (copied), then mem (borrowed), then what read(2)
 * gives on fd (when fd >= 0; closed by decoder_free when owns_fd).
 * first_offset is the offset in the original input of the first raw byte,
 * so that errors can name original offsets. */
ipr_status decoder_new(const struct encoding *enc, const char *prefix, size_t prefix_len,
                       const char *mem, size_t mem_len, int fd, bool owns_fd, uint64_t first_offset,
                       struct decoder **out);
void decoder_free(struct decoder *d);

/* A source_pull_fn: the next UTF-8 bytes.  IPR_EIO (errno set) when fd
 * cannot be read, IPR_ENOMEM. */
ipr_status decoder_pull(void *ctx, char *dst, size_t cap, size_t *len);

/* When the 0xFF at offset conv_off of the UTF-8 output stands for an
 * invalid sequence, sets *orig_off to where that sequence starts in the
 * original input and returns true. */
bool decoder_bad_offset(const struct decoder *d, uint64_t conv_off, uint64_t *orig_off);

/* Output before conv_off has been parsed: its bookkeeping can go. */
void decoder_forget_before(struct decoder *d, uint64_t conv_off);

#endif
