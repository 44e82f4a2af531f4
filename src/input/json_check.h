/*
 * json_check.h - a strict one-pass check that a JSON object is one jansson
 * would accept without comment, so the reader can skip building jansson's
 * tree for it.
 *
 * The check answers "certainly accepted" or "not sure": anything it does
 * not fully vouch for (an escape in a key, a \u escape of a surrogate or
 * NUL, an exponent or a very long number, deep nesting, objects with many
 * keys, any syntax error) is "not sure", and the reader then asks jansson,
 * whose verdict and message stand.  It never accepts text jansson rejects;
 * the JSON fuzz target asserts exactly that.
 */
#ifndef IPR_INPUT_JSON_CHECK_H
#define IPR_INPUT_JSON_CHECK_H

#include "../base/common.h"

/* True when text (valid UTF-8 without NUL, checked by the caller) is one
 * JSON object, with white space around it, that jansson parses with
 * JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL. */
bool json_check_object(const char *text, size_t len);

#endif
