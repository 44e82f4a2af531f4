/*
 * number.h - numbers as listings write them.
 *
 * Prices arrive as "$1,299.00", "1.299,00 €", "2659900.00", "20 EUR" or
 * "¥ 3500".  Rules compare numbers, so one forgiving parser reads them all
 * and refuses anything that is not clearly one number.
 */
#ifndef IPR_BASE_NUMBER_H
#define IPR_BASE_NUMBER_H

#include "common.h"

/* Parses s[0..len) as a number with optional currency symbol or ISO code
 * before or after it and thousands separators.  Returns false when the text
 * is not one number. */
bool number_parse_loose(const char *s, size_t len, double *out);

#endif
