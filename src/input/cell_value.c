/*
 * cell_value.c - list cells and price cells (see cell_value.h).
 *
 * The list-literal reader accepts what Python's repr() and json.dumps()
 * write for a list of strings, plus unquoted items; anything else (a
 * nested list, a number followed by text, a quote that does not close)
 * makes the cell an ordinary string, split at the separator.
 */
#include "cell_value.h"

#include <stdio.h>

#include "../base/normalize.h"
#include "../base/number.h"

/* ---- lists ------------------------------------------------------------------------- */

static bool is_blank(unsigned char c)
{
    return ipr_is_ascii_space(c);
}

static ipr_status push_item(struct buf *text, struct vec *items, const char *s, size_t len)
{
    while (len && is_blank((unsigned char)s[0])) {
        s++;
        len--;
    }
    while (len && is_blank((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return IPR_OK;
    struct cell_item *it = vec_push(items);
    if (!it)
        return IPR_ENOMEM;
    it->off = text->len;
    it->len = len;
    return buf_append(text, s, len);
}

static ipr_status put_code_point(struct buf *b, uint32_t cp)
{
    char out[4];
    return buf_append(b, out, norm_utf8_put(out, cp));
}

/* Reads `count` hex digits at s[*i]; false when they are not there. */
static bool read_hex(const char *s, size_t len, size_t *i, size_t count, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t k = 0; k < count; k++) {
        if (*i >= len)
            return false;
        int h = ipr_hex_value((unsigned char)s[*i]);
        if (h < 0)
            return false;
        v = v * 16u + (uint32_t)h;
        (*i)++;
    }
    *out = v;
    return true;
}

/* One quoted string starting at s[*i] (the quote); appends its text.
 * Returns false when it is not a well-formed string. */
static bool read_string(const char *s, size_t len, size_t *i, struct buf *text, ipr_status *st)
{
    char quote = s[(*i)++];
    while (*i < len) {
        char c = s[(*i)++];
        if (c == quote)
            return true;
        if (c != '\\') {
            *st = buf_append_char(text, c);
            if (*st != IPR_OK)
                return false;
            continue;
        }
        if (*i >= len)
            return false;
        char e = s[(*i)++];
        uint32_t cp;
        switch (e) {
        case 'n':
            cp = '\n';
            break;
        case 't':
            cp = '\t';
            break;
        case 'r':
            cp = '\r';
            break;
        case 'x':
            if (!read_hex(s, len, i, 2, &cp))
                return false;
            break;
        case 'u':
            if (!read_hex(s, len, i, 4, &cp))
                return false;
            if (cp >= 0xD800 && cp <= 0xDBFF && *i + 1 < len && s[*i] == '\\' && s[*i + 1] == 'u') {
                size_t j = *i + 2;
                uint32_t lo;
                if (read_hex(s, len, &j, 4, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    *i = j;
                }
            }
            break;
        case 'U':
            if (!read_hex(s, len, i, 8, &cp))
                return false;
            break;
        default:
            cp = (unsigned char)e; /* \\ \' \" and anything else: the character itself */
            break;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        *st = put_code_point(text, cp);
        if (*st != IPR_OK)
            return false;
    }
    return false;
}

/* Reads "[...]" as a list; false (and nothing kept) when it is not one. */
static bool read_literal(const char *s, size_t len, struct buf *text, struct vec *items,
                         ipr_status *st)
{
    size_t i = 1, end = len - 1; /* inside the brackets */
    while (i < end) {
        while (i < end && is_blank((unsigned char)s[i]))
            i++;
        if (i == end)
            break;
        if (s[i] == '\'' || s[i] == '"') {
            size_t start = text->len;
            if (!read_string(s, end, &i, text, st))
                return false;
            size_t lead = start, trail = text->len;
            while (lead < trail && is_blank((unsigned char)text->data[lead]))
                lead++;
            while (trail > lead && is_blank((unsigned char)text->data[trail - 1]))
                trail--;
            if (trail > lead) {
                struct cell_item *it = vec_push(items);
                if (!it) {
                    *st = IPR_ENOMEM;
                    return false;
                }
                it->off = lead;
                it->len = trail - lead;
            }
        } else if (s[i] == '[' || s[i] == ']' || s[i] == ',') {
            return false;
        } else {
            size_t start = i;
            while (i < end && s[i] != ',' && s[i] != '\'' && s[i] != '"' && s[i] != '[' &&
                   s[i] != ']')
                i++;
            *st = push_item(text, items, s + start, i - start);
            if (*st != IPR_OK)
                return false;
        }
        while (i < end && is_blank((unsigned char)s[i]))
            i++;
        if (i < end && s[i] != ',')
            return false;
        i++;
    }
    return true;
}

ipr_status cell_split(const char *s, size_t len, const char *sep, struct buf *text,
                      struct vec *items)
{
    buf_clear(text);
    vec_clear(items);
    size_t a = 0, b = len;
    while (a < b && is_blank((unsigned char)s[a]))
        a++;
    while (b > a && is_blank((unsigned char)s[b - 1]))
        b--;
    if (b - a >= 2 && s[a] == '[' && s[b - 1] == ']') {
        ipr_status st = IPR_OK;
        if (read_literal(s + a, b - a, text, items, &st))
            return IPR_OK;
        if (st != IPR_OK)
            return st;
        buf_clear(text);
        vec_clear(items);
    }
    size_t sep_len = sep ? strlen(sep) : 0;
    if (sep_len == 0)
        return push_item(text, items, s, len);
    size_t start = 0;
    for (size_t i = 0; i + sep_len <= len;) {
        if (memcmp(s + i, sep, sep_len) == 0) {
            ipr_status st = push_item(text, items, s + start, i - start);
            if (st != IPR_OK)
                return st;
            i += sep_len;
            start = i;
        } else {
            i++;
        }
    }
    return push_item(text, items, s + start, len - start);
}

/* ---- prices ------------------------------------------------------------------------ */

static const struct {
    const char *mark;
    const char *code;
} currency_marks[] = {
    {"$", "USD"},   {"US$", "USD"}, {"C$", "CAD"}, {"CA$", "CAD"}, {"A$", "AUD"},  {"AU$", "AUD"},
    {"NZ$", "NZD"}, {"HK$", "HKD"}, {"S$", "SGD"}, {"R$", "BRL"},  {"MX$", "MXN"}, {"£", "GBP"},
    {"€", "EUR"},   {"CN¥", "CNY"}, {"元", "CNY"}, {"JP¥", "JPY"}, {"円", "JPY"},  {"₹", "INR"},
    {"Rs", "INR"},  {"Rs.", "INR"}, {"₩", "KRW"},  {"₽", "RUB"}, {"zł", "PLN"},  {"₺", "TRY"},
    {"₫", "VND"},   {"฿", "THB"},   {"₱", "PHP"},
};

static bool is_number_byte(unsigned char c)
{
    return ipr_is_ascii_digit(c) || c == ',' || c == '.' || c == '-' || c == '+';
}

/* The text around the number, blanks trimmed, e.g. "US$" or "EUR". */
static bool currency_of(const char *s, size_t len, char currency[4])
{
    currency[0] = '\0';
    size_t first = 0;
    while (first < len && !ipr_is_ascii_digit((unsigned char)s[first]))
        first++;
    size_t last = first;
    while (last < len && is_number_byte((unsigned char)s[last]))
        last++;
    char mark[16];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (i >= first && i < last)
            continue;
        unsigned char c = (unsigned char)s[i];
        if (is_blank(c) || c == '-' || c == '+')
            continue;
        if (n + 1 >= sizeof(mark))
            return false;
        mark[n++] = (char)c;
    }
    mark[n] = '\0';
    if (n == 3 && ipr_is_ascii_alpha((unsigned char)mark[0]) &&
        ipr_is_ascii_alpha((unsigned char)mark[1]) && ipr_is_ascii_alpha((unsigned char)mark[2])) {
        for (size_t i = 0; i < 3; i++)
            currency[i] = (char)(ipr_ascii_lower((unsigned char)mark[i]) - 'a' + 'A');
        currency[3] = '\0';
        return true;
    }
    for (size_t i = 0; i < IPR_ARRAY_LEN(currency_marks); i++) {
        if (strcmp(mark, currency_marks[i].mark) == 0) {
            memcpy(currency, currency_marks[i].code, 4);
            return true;
        }
    }
    return false;
}

bool cell_price(const char *s, size_t len, char *number, size_t number_cap, char currency[4])
{
    currency[0] = '\0';
    double v;
    bool marked = currency_of(s, len, currency);
    if (!number_parse_loose(s, len, &v)) {
        /* "US $12", "CN¥3500": number.c knows symbols and ISO codes, not
         * every mark; read the number alone when the rest is a known mark */
        size_t first = 0;
        while (first < len && !ipr_is_ascii_digit((unsigned char)s[first]))
            first++;
        size_t last = first;
        while (last < len && is_number_byte((unsigned char)s[last]))
            last++;
        if (!marked || first == len || !number_parse_loose(s + first, last - first, &v))
            return false;
        if (first > 0 && s[first - 1] == '-')
            v = -v;
    }
    /* digits after the decimal separator, by number.c's rule */
    size_t commas = 0, dots = 0, last_comma = 0, last_dot = 0, end = 0;
    bool in_number = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ipr_is_ascii_digit(c)) {
            in_number = true;
            end = i + 1;
        } else if (in_number && c == ',') {
            commas++;
            last_comma = i;
        } else if (in_number && c == '.') {
            dots++;
            last_dot = i;
        } else if (in_number) {
            break;
        }
    }
    size_t sep = 0;
    if (commas && dots)
        sep = last_comma > last_dot ? last_comma : last_dot;
    else if (dots == 1)
        sep = last_dot;
    else if (commas == 1 && end - last_comma - 1 != 3)
        sep = last_comma;
    int decimals = sep && end > sep ? (int)(end - sep - 1) : 0;
    if (decimals > 6)
        decimals = 6;
    int n = snprintf(number, number_cap, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= number_cap)
        return false;
    return true;
}

size_t cell_formula_escape(const char *s, size_t len)
{
    if (len < 2 || s[0] != '\'')
        return 0;
    char c = s[1];
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? 1 : 0;
}
