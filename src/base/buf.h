/*
 * buf.h - growable byte buffer with a hard cap.
 *
 * Every buffer that grows with untrusted input has a cap; going past it is an
 * IPR_ELIMIT error that the caller turns into a diagnostic, never an OOM kill.
 * The content is always NUL-terminated so it can be handed out as a string.
 */
#ifndef IPR_BASE_BUF_H
#define IPR_BASE_BUF_H

#include "common.h"

struct buf {
    char *data;     /* owned; NUL-terminated when len > 0 or after buf_reserve */
    size_t len;     /* bytes in use, excluding the NUL */
    size_t cap;     /* bytes allocated */
    size_t max_len; /* hard cap on len; 0 means SIZE_MAX / 2 */
};

void buf_init(struct buf *b, size_t max_len);
void buf_release(struct buf *b);
void buf_clear(struct buf *b);
ipr_status buf_reserve(struct buf *b, size_t extra);
ipr_status buf_append_grow(struct buf *b, const void *data, size_t len);
/* Inline when the bytes fit: names and values are appended a few bytes at
 * a time for every field of every record. */
static inline ipr_status buf_append(struct buf *b, const void *data, size_t len)
{
    if (len < b->cap - b->len && len <= b->max_len - b->len) {
        if (len) /* data may be NULL then */
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return IPR_OK;
    }
    return buf_append_grow(b, data, len);
}
ipr_status buf_append_str(struct buf *b, const char *s);
static inline ipr_status buf_append_char(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}
ipr_status buf_printf(struct buf *b, const char *fmt, ...) IPR_PRINTF(2, 3);
/* The content as a string; "" when empty.  Borrowed. */
static inline const char *buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}
/* Hands the allocation to the caller (NULL when empty) and resets the buffer. */
char *buf_detach(struct buf *b);

#endif
