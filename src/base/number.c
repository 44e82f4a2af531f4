/*
 * number.c - forgiving number parser for listing values (see number.h).
 *
 * Separator rule: when both ',' and '.' occur, the later one is the decimal
 * separator; a single '.' is decimal; a single ',' followed by exactly three
 * digits separates thousands ("1,299" is 1299), otherwise it is decimal
 * ("12,5" is 12.5).  Repeated separators of one kind are thousands.
 */
#include "number.h"

#include <stdlib.h>

/* Skips currency symbols (multi-byte UTF-8 ones too), ISO codes and spaces. */
static size_t skip_decoration(const char *s, size_t i, size_t len)
{
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (ipr_is_ascii_space(c) || c == '$')
            i++;
        else if (c >= 0x80) /* €, £, ¥, ₹, non-breaking space: any non-ASCII symbol */
            i++;
        else if (ipr_is_ascii_alpha(c) && i + 2 < len &&
                 ipr_is_ascii_alpha((unsigned char)s[i + 1]) &&
                 ipr_is_ascii_alpha((unsigned char)s[i + 2]) &&
                 (i + 3 == len || !ipr_is_ascii_alpha((unsigned char)s[i + 3])))
            i += 3; /* USD, EUR, RMB ... */
        else
            break;
    }
    return i;
}

bool number_parse_loose(const char *s, size_t len, double *out)
{
    size_t i = skip_decoration(s, 0, len);
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
        i = skip_decoration(s, i, len);
    }
    size_t start = i;
    size_t commas = 0, dots = 0, last_comma = 0, last_dot = 0, digits = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (ipr_is_ascii_digit(c))
            digits++;
        else if (c == ',')
            commas++, last_comma = i;
        else if (c == '.')
            dots++, last_dot = i;
        else
            break;
        i++;
    }
    size_t end = i;
    if (digits == 0 || digits > 30)
        return false;
    i = skip_decoration(s, i, len);
    if (i != len)
        return false;
    /* decide which separator is the decimal one */
    char decimal = 0;
    if (commas && dots)
        decimal = last_comma > last_dot ? ',' : '.';
    else if (commas == 1)
        decimal = (end - last_comma - 1 == 3) ? 0 : ',';
    else if (dots == 1)
        decimal = '.';
    if ((decimal == ',' && commas > 1) || (decimal == '.' && dots > 1))
        return false;
    /* thousands separators must separate groups of exactly three digits */
    size_t group = 0;
    bool after_sep = false;
    for (size_t k = start; k < end && s[k] != decimal; k++) {
        if (s[k] == ',' || s[k] == '.') {
            if ((after_sep && group != 3) || (!after_sep && group == 0))
                return false;
            after_sep = true;
            group = 0;
        } else {
            group++;
        }
    }
    if (after_sep && group != 3)
        return false;
    char buf[64];
    size_t n = 0;
    if (neg)
        buf[n++] = '-';
    for (size_t k = start; k < end && n < sizeof(buf) - 1; k++) {
        char c = s[k];
        if (c == decimal)
            buf[n++] = '.';
        else if (c != ',' && c != '.')
            buf[n++] = c;
    }
    buf[n] = '\0';
    char *stop = NULL;
    *out = strtod(buf, &stop);
    return stop && *stop == '\0';
}

size_t number_format_u64(uint64_t v, char *out)
{
    char digits[NUMBER_U64_DIGITS];
    size_t n = sizeof(digits);
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(out, digits + n, sizeof(digits) - n);
    return sizeof(digits) - n;
}
