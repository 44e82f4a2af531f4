/*
 * buf.c - growable byte buffer with a hard cap (see buf.h).
 *
 * Growth doubles the allocation so appending n bytes one at a time costs
 * O(n); the cap is checked before any allocation so a hostile input cannot
 * make us allocate past it.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hugepage.h"

void buf_init(struct buf *b, size_t max_len)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max_len = max_len ? max_len : SIZE_MAX / 2;
}

void buf_release(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_clear(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

ipr_status buf_reserve(struct buf *b, size_t extra)
{
    if (extra > b->max_len || b->len > b->max_len - extra)
        return IPR_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return IPR_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return IPR_ENOMEM;
    hugepage_advise(p, cap);
    if (!b->data)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return IPR_OK;
}

ipr_status buf_append_grow(struct buf *b, const void *data, size_t len)
{
    ipr_status st = buf_reserve(b, len);
    if (st != IPR_OK)
        return st;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return IPR_OK;
}

ipr_status buf_append_str(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

ipr_status buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ipr_status st = IPR_EINVAL;
    if (n >= 0) {
        st = buf_reserve(b, (size_t)n);
        if (st == IPR_OK) {
            vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
            b->len += (size_t)n;
        }
    }
    va_end(ap2);
    return st;
}

char *buf_detach(struct buf *b)
{
    char *p = b->data;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
