/*
 * limit_options.h - the values of --max-field-bytes, --max-record-bytes,
 * --regex-match-limit and --regex-depth-limit.
 *
 * The accepted range of each comes from the library (ipr_limit_range), so
 * the program never refuses what the library accepts or the reverse.
 */
#ifndef IPR_CLI_LIMIT_OPTIONS_H
#define IPR_CLI_LIMIT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "iprcheck.h"

/* Parses the value `text` of `option` for `limit`: a whole number from 1
 * to the limit's maximum, for byte sizes optionally followed by K, M or G
 * (binary multiples, either case).  On a bad value returns false and
 * writes the reason (no trailing newline) to err. */
bool limit_option_parse(const char *option, const char *text, ipr_limit limit, uint64_t *out,
                        char *err, size_t err_len);

#endif
