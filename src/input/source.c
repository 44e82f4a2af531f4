/*
 * source.c - chunked reading of a listing (see source.h).
 *
 * read(2) returns whatever is there, so a pipe that delivers one line at a
 * time hands each line to the parser as soon as it arrives.  The window is
 * compacted before each read: the unconsumed tail (part of one record) moves
 * to the front, and the allocation only grows while a single record is
 * longer than everything seen before.
 */
#define _POSIX_C_SOURCE 200809L /* open flags, read(2), poll(2) */

#include "source.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "../base/bytescan.h"
#include "../base/limits.h"

static void source_init(struct source *s)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->at.line = 1;
    source_set_record_cap(s, IPR_INPUT_MAX_LINE_BYTES);
}

void source_set_record_cap(struct source *s, size_t record_bytes)
{
    s->max_window = record_bytes + 4u * IPR_INPUT_READ_BYTES;
}

void source_init_mem(struct source *s, const char *data, size_t len)
{
    source_init(s);
    s->data = data ? data : "";
    s->len = data ? len : 0;
    s->eof = true;
}

void source_init_fd(struct source *s, int fd, bool owns_fd)
{
    source_init(s);
    s->fd = fd;
    s->owns_fd = owns_fd;
    s->data = "";
}

void source_init_pull(struct source *s, source_pull_fn pull, void *ctx)
{
    source_init(s);
    s->pull = pull;
    s->pull_ctx = ctx;
    s->data = "";
}

void source_release(struct source *s)
{
    if (s->owns_fd && s->fd >= 0)
        close(s->fd);
    chunk_release(s->chunk);
    memset(s, 0, sizeof(*s));
    s->fd = -1;
}

/* The unconsumed bytes go to the front of the window, and the window grows
 * when less than half a read is free.  A chunk a record still points into
 * is left to the record: the bytes move to a new chunk instead. */
static ipr_status make_room(struct source *s)
{
    size_t keep = s->len - s->pos;
    if (s->chunk && chunk_shared(s->chunk)) {
        size_t cap = s->chunk->cap > keep + IPR_INPUT_READ_BYTES / 2 ? s->chunk->cap
                                                                     : keep + IPR_INPUT_READ_BYTES;
        if (cap > s->max_window)
            return IPR_ELIMIT;
        struct chunk *fresh = chunk_new(cap);
        if (!fresh)
            return IPR_ENOMEM;
        memcpy(fresh->data, s->chunk->data + s->pos, keep);
        chunk_release(s->chunk);
        s->chunk = fresh;
        s->data = fresh->data;
    } else if (s->pos > 0) {
        memmove(s->chunk->data, s->chunk->data + s->pos, keep);
    }
    s->base += s->pos;
    s->len = keep;
    s->pos = 0;
    if (s->chunk && s->chunk->cap - s->len >= IPR_INPUT_READ_BYTES / 2)
        return IPR_OK;
    size_t cap = s->len + IPR_INPUT_READ_BYTES;
    if (cap > s->max_window)
        return IPR_ELIMIT;
    struct chunk *grown = s->chunk ? chunk_resize(s->chunk, cap) : chunk_new(cap);
    if (!grown)
        return IPR_ENOMEM;
    s->chunk = grown;
    s->data = grown->data;
    return IPR_OK;
}

ipr_status source_fill(struct source *s)
{
    if (s->eof)
        return IPR_DONE;
    ipr_status st = make_room(s);
    if (st != IPR_OK)
        return st;
    if (s->pull) {
        size_t n = 0;
        st = s->pull(s->pull_ctx, s->chunk->data + s->len, s->chunk->cap - s->len, &n);
        if (st == IPR_OK && n == 0)
            st = IPR_DONE;
        if (st == IPR_DONE)
            s->eof = true;
        else if (st == IPR_OK)
            s->len += n;
        return st;
    }
    for (;;) {
        ssize_t n = read(s->fd, s->chunk->data + s->len, s->chunk->cap - s->len);
        if (n > 0) {
            s->len += (size_t)n;
            return IPR_OK;
        }
        if (n == 0) {
            s->eof = true;
            return IPR_DONE;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            /* standard input may have been left non-blocking by a parent */
            struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
            if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
                continue;
        }
        return IPR_EIO;
    }
}

ipr_status source_want(struct source *s, size_t want)
{
    while (source_avail(s) < want) {
        ipr_status st = source_fill(s);
        if (st == IPR_DONE)
            return IPR_OK;
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

/* Lines passed over in a range without CR: LFs counted with memchr, not
 * stepped byte by byte (most input has no CR, and this runs over every
 * byte read).  False when the range needs the byte-by-byte rules. */
static bool consume_lf_only(struct text_pos *at, const char *d, size_t n, uint64_t off)
{
    if (n == 0 || at->prev_cr || memchr(d, '\r', n))
        return false;
    const char *p = d, *end = d + n, *last = NULL;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (at->line != UINT32_MAX)
            at->line++;
        last = p++;
    }
    if (last)
        at->line_start = off + (uint64_t)(last - d) + 1;
    return true;
}

void source_consume(struct source *s, uint64_t to)
{
    uint64_t from = source_offset(s);
    const char *d = s->data + (from - s->base);
    if (to > from && !consume_lf_only(&s->at, d, (size_t)(to - from), from)) {
        for (uint64_t off = from; off < to; off++)
            text_pos_step(&s->at, (unsigned char)d[off - from], off);
    }
    s->pos = (size_t)(to - s->base);
}

void source_consume_at(struct source *s, uint64_t to, const struct text_pos *at)
{
    s->at = *at;
    s->pos = (size_t)(to - s->base);
}

ipr_status source_skip_line(struct source *s, bool cr_ends_line)
{
    for (;;) {
        const char *start = s->data + s->pos;
        size_t n = source_avail(s);
        const char *lf = memchr(start, '\n', n);
        const char *cr = cr_ends_line ? memchr(start, '\r', lf ? (size_t)(lf - start) : n) : NULL;
        const char *brk = cr ? cr : lf;
        if (brk) {
            source_consume(s, s->base + (uint64_t)(brk - s->data) + 1);
            return IPR_OK;
        }
        /* nothing of this line is needed: drop it so the window stays small */
        source_consume(s, source_end(s));
        ipr_status st = source_fill(s);
        if (st == IPR_DONE)
            return IPR_OK;
        if (st != IPR_OK)
            return st;
    }
}

size_t utf8_check(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            i += bytescan_ascii(str + i, len - i);
            while (i < len && s[i] >= 0x01 && s[i] < 0x80)
                i++;
            continue;
        }
        if (c == 0x00)
            return i;
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* past U+10FFFF */
        } else {
            return i;
        }
        if (len - i <= need)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += need + 1;
    }
    return len;
}

size_t utf8_cut(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = len; /* back to the last byte that is not a continuation byte */
    while (i > 0 && len - i < 4 && (s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return len; /* not UTF-8: no character to keep whole */
    unsigned char c = s[i - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return len - (i - 1) >= need ? len : i - 1;
}
