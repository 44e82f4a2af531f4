/*
 * source.h - the bytes of one listing, read in chunks, with line bookkeeping.
 *
 * A source is a window onto the input: bytes before `pos` are consumed, the
 * rest are buffered and not yet part of a record.  Parsers address bytes by
 * absolute file offset because source_fill() may move the window; an offset
 * stays valid until it is consumed.  The window holds the record being parsed
 * plus one read, so memory is bounded by the largest record.  Lines end at
 * LF, CRLF or a lone CR; `at` is the position of the first unconsumed byte.
 */
#ifndef IPR_INPUT_SOURCE_H
#define IPR_INPUT_SOURCE_H

#include "../base/common.h"
#include "chunk.h"

/* Where a byte sits: 1-based line, and the offset where that line begins. */
struct text_pos {
    uint32_t line;       /* saturates at UINT32_MAX instead of wrapping */
    uint64_t line_start; /* file offset of the line's first byte */
    bool prev_cr;        /* the byte before was CR: an LF now ends no new line */
};

/* Supplies bytes in place of read(2), e.g. a converter to UTF-8: writes at
 * most cap bytes to dst and sets *len; IPR_OK with *len > 0, IPR_DONE at
 * the end, or an error. */
typedef ipr_status (*source_pull_fn)(void *ctx, char *dst, size_t cap, size_t *len);

struct source {
    int fd;              /* -1 for memory input */
    bool owns_fd;        /* close fd on release (not for standard input) */
    struct chunk *chunk; /* owned window for fd and pull input; records may share it */
    const char *data;    /* chunk->data, or the caller's memory; data[0] is at file offset base */
    size_t len;          /* bytes valid in data */
    size_t pos;          /* first byte of data not yet consumed */
    uint64_t base;       /* file offset of data[0] */
    bool eof;            /* no byte will arrive after data[len - 1] */
    struct text_pos at;  /* position of data[pos] */

    /* when pull is set, bytes come from pull(pull_ctx) instead of fd */
    source_pull_fn pull;
    void *pull_ctx; /* borrowed */

    size_t max_window; /* bytes the window may hold: the record cap plus a few reads */
};

/* The caller's memory is borrowed for the source's lifetime. */
void source_init_mem(struct source *s, const char *data, size_t len);
void source_init_fd(struct source *s, int fd, bool owns_fd);
/* Bytes come from pull(ctx), which must outlive the source. */
void source_init_pull(struct source *s, source_pull_fn pull, void *ctx);
void source_release(struct source *s);

/* Sizes the window for records of up to record_bytes (the parsers stop a
 * record there; the window only guards against one that forgets to).
 * The init functions set it for IPR_INPUT_MAX_LINE_BYTES. */
void source_set_record_cap(struct source *s, size_t record_bytes);

/* Blocks until more bytes arrive.  IPR_OK when at least one byte was added,
 * IPR_DONE at the end of the input, IPR_EIO (errno set) or IPR_ENOMEM.
 * Consumed bytes may be dropped, so pointers into data do not survive. */
ipr_status source_fill(struct source *s);

/* Makes at least `want` unconsumed bytes available unless the input ends
 * first; IPR_OK either way (check source_avail), or an error of source_fill. */
ipr_status source_want(struct source *s, size_t want);

static inline uint64_t source_offset(const struct source *s)
{
    return s->base + s->pos;
}
static inline uint64_t source_end(const struct source *s)
{
    return s->base + s->len;
}
static inline size_t source_avail(const struct source *s)
{
    return s->len - s->pos;
}
/* The chunk the window is in, and a writable pointer to the byte at file
 * offset `off` in it, for values a record keeps as views; both NULL for
 * memory input, whose bytes are the caller's.  A record that keeps a view
 * holds a reference to the chunk (chunk_retain). */
static inline struct chunk *source_chunk(const struct source *s)
{
    return s->chunk;
}
static inline char *source_at_mut(struct source *s, uint64_t off)
{
    return s->chunk ? s->chunk->data + (off - s->base) : NULL;
}

/* The byte at file offset `off`, which must be buffered and unconsumed. */
static inline const char *source_at(const struct source *s, uint64_t off)
{
    return s->data + (size_t)(off - s->base);
}

/* Advances the text position over one byte at file offset `off`. */
static inline void text_pos_step(struct text_pos *p, unsigned char c, uint64_t off)
{
    if (c == '\r' || (c == '\n' && !p->prev_cr)) {
        if (p->line != UINT32_MAX)
            p->line++;
    }
    if (c == '\r' || c == '\n')
        p->line_start = off + 1;
    p->prev_cr = c == '\r';
}

/* Consumes up to file offset `to`, counting the lines passed over. */
void source_consume(struct source *s, uint64_t to);
/* Consumes up to `to` when the caller already knows the position there. */
void source_consume_at(struct source *s, uint64_t to, const struct text_pos *at);

/* Consumes through the end of the current line (LF, CR or CRLF when
 * cr_ends_line, else LF only), reading as needed; IPR_OK at the end of the
 * input too. */
ipr_status source_skip_line(struct source *s, bool cr_ends_line);

/* Offset of the first byte that is not valid UTF-8 or is NUL; len if none.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
size_t utf8_check(const char *s, size_t len);

/* The length of the longest prefix of s[0..len) that does not end inside
 * a UTF-8 sequence: where a value cut at a byte cap may end. */
size_t utf8_cut(const char *s, size_t len);

#endif
