/*
 * escape.c - terminal-safe and JSON-safe renderings of listing text (see
 * escape.h).
 *
 * One predicate, is_hidden(), decides which code points never reach output
 * raw; the terminal and the JSON renderings both use it, so the two cannot
 * drift apart.  The UTF-8 decoder is strict (RFC 3629): a byte that does not
 * start a complete, shortest-form sequence is one unit on its own, which
 * keeps every unit boundary the same whichever position decoding starts
 * from, as long as that position is not a continuation byte.
 */
#include "escape.h"

#include "../base/bytescan.h"

#include <unicode/uchar.h>

/* The terminal shows \x1b and \u202e; JSON matches jansson's \u001B. */
static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* Length of the valid sequence at s, with its code point; 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_out)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
        *cp_out = b;
        return 1;
    }
    if (b >= 0xc2 && b <= 0xdf) {
        n = 2;
        cp = b & 0x1fu;
    } else if (b >= 0xe0 && b <= 0xef) {
        n = 3;
        cp = b & 0x0fu;
    } else if (b >= 0xf0 && b <= 0xf4) {
        n = 4;
        cp = b & 0x07u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *cp_out = cp;
    return n;
}

/* Code points that change how a terminal or a text layout treats what
 * follows, or that are invisible and so can hide text from a reviewer.
 * ZWJ and ZWNJ are left alone: scripts and emoji need them to render. */
static bool is_hidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200b ||
           cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb);
}

/* Columns a terminal gives a printable code point, as wcwidth() would but
 * from ICU's tables so the answer does not depend on the C locale. */
static unsigned display_width(uint32_t cp)
{
    if (cp < 0x300)
        return 1;
    int8_t type = u_charType((UChar32)cp);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR)
        return 0;
    if (cp >= 0x1160 && cp <= 0x11ff) /* Hangul medial vowels and finals join the syllable */
        return 0;
    int eaw = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
    return (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
}

static void set_text(struct term_unit *u, const char *text, size_t len)
{
    memcpy(u->text, text, len);
    u->text[len] = '\0';
    u->text_len = len;
    u->width = (unsigned)len;
}

static void set_hex(struct term_unit *u, char kind, uint32_t value, size_t digits, const char *hex)
{
    char tmp[8];
    size_t n = 0;
    tmp[n++] = '\\';
    tmp[n++] = kind;
    for (size_t i = digits; i-- > 0;)
        tmp[n++] = hex[(value >> (4 * i)) & 0xfu];
    set_text(u, tmp, n);
}

void term_unit_next(const char *s, size_t len, struct term_unit *out)
{
    uint32_t cp = 0;
    size_t n = utf8_decode((const unsigned char *)s, len, &cp);
    out->text[0] = '\0';
    out->text_len = 0;
    if (n == 0) {
        out->src_len = 1;
        set_hex(out, 'x', (unsigned char)s[0], 2, hex_lower);
        return;
    }
    out->src_len = n;
    if (!is_hidden(cp)) {
        out->width = display_width(cp);
        return;
    }
    if (cp == '\t')
        set_text(out, " ", 1);
    else if (cp == '\n')
        set_text(out, "\\n", 2);
    else if (cp == '\r')
        set_text(out, "\\r", 2);
    else if (cp < 0x80)
        set_hex(out, 'x', cp, 2, hex_lower);
    else
        set_hex(out, 'u', cp, 4, hex_lower);
}

ipr_status escape_term(struct buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* printable ASCII is the common case: copy it in runs */
        size_t run = i;
        while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f)
            run++;
        if (run > i) {
            ipr_status st = buf_append(out, s + i, run - i);
            if (st != IPR_OK)
                return st;
            i = run;
            continue;
        }
        struct term_unit u;
        term_unit_next(s + i, len - i, &u);
        ipr_status st =
            u.text_len ? buf_append(out, u.text, u.text_len) : buf_append(out, s + i, u.src_len);
        if (st != IPR_OK)
            return st;
        i += u.src_len;
    }
    return IPR_OK;
}

ipr_status escape_term_str(struct buf *out, const char *s)
{
    return s ? escape_term(out, s, strlen(s)) : IPR_OK;
}

bool escape_is_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

ipr_status escape_utf8(struct buf *out, const char *s, size_t len)
{
    static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
    const unsigned char *p = (const unsigned char *)s;
    size_t done = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = p[i] < 0x80 ? 1 : utf8_decode(p + i, len - i, &cp);
        if (n) {
            i += n;
            continue;
        }
        ipr_status st = buf_append(out, s + done, i - done);
        if (st == IPR_OK)
            st = buf_append(out, replacement, sizeof replacement - 1);
        if (st != IPR_OK)
            return st;
        i++;
        done = i;
    }
    return buf_append(out, s + done, len - done);
}

ipr_status escape_json_text(struct buf *out, const char *json, size_t len)
{
    const unsigned char *p = (const unsigned char *)json;
    size_t done = 0, i = 0;
    while (i < len) {
        /* a whole word of ASCII below DEL needs nothing */
        while (i + 8 <= len) {
            uint64_t w = bytescan_load(json + i);
            if (bytescan_high(w) | bytescan_equal(w, 0x7f))
                break;
            i += 8;
        }
        if (i == len)
            break;
        if (p[i] < 0x7f) {
            while (i < len && p[i] < 0x7f)
                i++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0 || !is_hidden(cp)) {
            i += n ? n : 1;
            continue;
        }
        struct term_unit u;
        set_hex(&u, 'u', cp, 4, hex_upper);
        ipr_status st = buf_append(out, json + done, i - done);
        if (st == IPR_OK)
            st = buf_append(out, u.text, u.text_len);
        if (st != IPR_OK)
            return st;
        i += n;
        done = i;
    }
    return buf_append(out, json + done, len - done);
}
