/*
 * random_text.c - text made at random from pieces (random_text.h).
 */
#include "random_text.h"

#include <string.h>

size_t random_text(uint32_t *seed, const char *const *pieces, size_t n_pieces, size_t max_pieces,
                   char *out)
{
    size_t len = 0;
    *seed = *seed * 1103515245u + 12345u;
    size_t count = (*seed >> 16) % max_pieces;
    for (size_t k = 0; k < count; k++) {
        *seed = *seed * 1103515245u + 12345u;
        const char *piece = pieces[(*seed >> 16) % n_pieces];
        memcpy(out + len, piece, strlen(piece));
        len += strlen(piece);
    }
    out[len] = '\0';
    return len;
}
