/*
 * number.h - numbers as listings write them.
 *
 * Prices arrive as "$1,299.00", "1.299,00 €", "2659900.00", "20 EUR" or
 * "¥ 3500".  Rules compare numbers, so one forgiving parser reads them all
 * and refuses anything that is not clearly one number.  Counts go out in
 * decimal.
 */
#ifndef IPR_BASE_NUMBER_H
#define IPR_BASE_NUMBER_H

#include "common.h"

/* Parses s[0..len) as a number with optional currency symbol or ISO code
 * before or after it and thousands separators.  Returns false when the text
 * is not one number. */
bool number_parse_loose(const char *s, size_t len, double *out);

/* Writes v in decimal (as "%" PRIu64 does) to out, which has room for
 * NUMBER_U64_DIGITS bytes, without a NUL; returns the length.  By hand:
 * snprintf costs some hundreds of instructions a number, and every record
 * and report line needs one or two. */
#define NUMBER_U64_DIGITS 20
size_t number_format_u64(uint64_t v, char *out);

#endif
