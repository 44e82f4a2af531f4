/*
 * random_text.h - text made at random from pieces (letters, separators,
 * characters beyond ASCII), for tests that check a fast path against the
 * slow one it stands in for over many inputs.
 */
#ifndef IPR_TEST_RANDOM_TEXT_H
#define IPR_TEST_RANDOM_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Text of fewer than max_pieces pieces picked at random, NUL-terminated in
 * out (room for max_pieces - 1 of the longest piece and the NUL); *seed
 * steps once for the count and once per piece, so a seed gives the same
 * texts on every run.  Returns the text's length. */
size_t random_text(uint32_t *seed, const char *const *pieces, size_t n_pieces, size_t max_pieces,
                   char *out);

#endif
