/*
 * json_write.c - see json_write.h.
 */
#include "json_write.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>

#include "../base/bytescan.h"
#include "../base/number.h"
#include "escape.h"

/* Valid UTF-8 as a JSON string: jansson escapes the quote, the backslash
 * and every code point below U+0020, the usual five by name and the rest as
 * \u with upper-case hex; everything else, '/' and DEL included, is kept. */
static ipr_status write_utf8(struct buf *out, const char *s, size_t len)
{
    ipr_status st = buf_append_char(out, '"');
    size_t done = 0, i = 0;
    while (st == IPR_OK && i < len) {
        i += bytescan_json_plain(s + i, len - i);
        while (i < len && bytescan_is_json_plain((unsigned char)s[i]))
            i++;
        if (i == len)
            break;
        unsigned char c = (unsigned char)s[i];
        char esc[8] = {'\\', 0};
        size_t esc_len = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc_len = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)c);
            break;
        }
        st = buf_append(out, s + done, i - done);
        if (st == IPR_OK)
            st = buf_append(out, esc, esc_len);
        done = ++i;
    }
    if (st == IPR_OK)
        st = buf_append(out, s + done, len - done);
    return st == IPR_OK ? buf_append_char(out, '"') : st;
}

static ipr_status json_write_text(struct buf *out, const char *s, size_t len)
{
    if (escape_is_utf8(s, len))
        return write_utf8(out, s, len);
    struct buf fixed;
    buf_init(&fixed, 0);
    ipr_status st = escape_utf8(&fixed, s, len);
    if (st == IPR_OK)
        st = write_utf8(out, fixed.len ? fixed.data : "", fixed.len);
    buf_release(&fixed);
    return st;
}

static ipr_status json_write_str(struct buf *out, const char *s)
{
    return s ? json_write_text(out, s, strlen(s)) : json_write_text(out, "", 0);
}

static ipr_status json_write_key(struct buf *out, const char *key, bool first)
{
    ipr_status st = first ? IPR_OK : buf_append_char(out, ',');
    if (st == IPR_OK)
        st = buf_append_char(out, '"');
    if (st == IPR_OK)
        st = buf_append_str(out, key);
    return st == IPR_OK ? buf_append(out, "\":", 2) : st;
}

/* Decimal, as "%" PRId64 writes it. */
static ipr_status json_write_int(struct buf *out, int64_t v)
{
    char digits[NUMBER_U64_DIGITS + 1];
    size_t n = 0;
    if (v < 0)
        digits[n++] = '-';
    /* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
    n += number_format_u64(v < 0 ? 0u - (uint64_t)v : (uint64_t)v, digits + n);
    return buf_append(out, digits, n);
}

static ipr_status json_write_real(struct buf *out, double v)
{
    if (!isfinite(v))
        return IPR_EINVAL;
    char text[48];
    int n = snprintf(text, sizeof(text), "%.4g", v);
    if (n < 0 || (size_t)n >= sizeof(text) - 3)
        return IPR_EINVAL;
    size_t len = (size_t)n;
    /* printf follows the locale's decimal mark; JSON has one */
    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.') {
        char *p = memchr(text, point[0], len);
        if (p)
            *p = '.';
    }
    /* a dot or an exponent, so the value reads back as a real */
    if (!memchr(text, '.', len) && !memchr(text, 'e', len)) {
        memcpy(text + len, ".0", 3);
        len += 2;
    }
    /* "1e-05" -> "1e-5", "1e+05" -> "1e5" */
    char *e = memchr(text, 'e', len);
    if (e) {
        char *from = e + 1, *to = e + 1;
        if (*to == '-')
            to++;
        from++;
        while (*from == '0')
            from++;
        if (from != to) {
            memmove(to, from, len - (size_t)(from - text) + 1);
            len -= (size_t)(from - to);
        }
    }
    return buf_append(out, text, len);
}

void json_writer_init(struct json_writer *w, struct buf *out)
{
    w->out = out;
    w->status = IPR_OK;
    w->first = true;
}

void json_writer_open(struct json_writer *w, char bracket)
{
    if (w->status == IPR_OK)
        w->status = buf_append_char(w->out, bracket);
    w->first = true;
}

void json_writer_close(struct json_writer *w, char bracket)
{
    if (w->status == IPR_OK)
        w->status = buf_append_char(w->out, bracket);
    w->first = false;
}

void json_writer_key(struct json_writer *w, const char *key)
{
    if (w->status != IPR_OK)
        return;
    if (key)
        w->status = json_write_key(w->out, key, w->first);
    else if (!w->first)
        w->status = buf_append_char(w->out, ',');
    w->first = false;
}

void json_writer_str(struct json_writer *w, const char *key, const char *s)
{
    json_writer_key(w, key);
    if (w->status == IPR_OK)
        w->status = json_write_str(w->out, s);
}

void json_writer_text(struct json_writer *w, const char *key, const char *s, size_t len)
{
    json_writer_key(w, key);
    if (w->status == IPR_OK)
        w->status = json_write_text(w->out, s, len);
}

void json_writer_int(struct json_writer *w, const char *key, int64_t v)
{
    json_writer_key(w, key);
    if (w->status == IPR_OK)
        w->status = json_write_int(w->out, v);
}

void json_writer_real(struct json_writer *w, const char *key, double v)
{
    json_writer_key(w, key);
    if (w->status == IPR_OK)
        w->status = json_write_real(w->out, v);
}
