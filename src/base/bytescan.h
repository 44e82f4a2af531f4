/*
 * bytescan.h - word-at-a-time tests for the byte loops of the readers.
 *
 * Listing text is mostly plain ASCII between a few bytes that matter
 * (quotes, backslashes, control bytes, line ends, bytes of multi-byte
 * characters).  These tests look at eight bytes at once and say only
 * whether one of them may matter; the caller then finds it byte by byte.
 * That keeps every loop's byte-level logic in one place and the result
 * independent of the machine's byte order.
 *
 * The tests are the classic "has a zero byte" trick: (w - 0x01..01 * n) &
 * ~w & 0x80..80 is non-zero exactly when some byte of w is below n (n at
 * most 0x80).  Which bits are set beyond the first such byte can be wrong,
 * so no caller reads positions off the mask.
 *
 * With SSE2 (every x86-64), the prefix scans first go sixteen bytes at a
 * time and stop exactly on the first byte that matters: a byte compare
 * sets whole lanes, and the lane mask is in memory order on any machine.
 */
#ifndef IPR_BASE_BYTESCAN_H
#define IPR_BASE_BYTESCAN_H

#include "common.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define BYTESCAN_SSE2 1
#endif

#define BYTESCAN_ONES 0x0101010101010101ull
#define BYTESCAN_HIGH 0x8080808080808080ull

static inline uint64_t bytescan_load(const char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof(w));
    return w;
}

/* Non-zero when a byte of w is below n (1 <= n <= 0x80). */
static inline uint64_t bytescan_below(uint64_t w, unsigned n)
{
    return (w - BYTESCAN_ONES * n) & ~w & BYTESCAN_HIGH;
}

/* Non-zero when a byte of w equals c. */
static inline uint64_t bytescan_equal(uint64_t w, unsigned char c)
{
    return bytescan_below(w ^ (BYTESCAN_ONES * c), 1);
}

/* Non-zero when a byte of w has its high bit set (is not ASCII). */
static inline uint64_t bytescan_high(uint64_t w)
{
    return w & BYTESCAN_HIGH;
}

/* The byte test bytescan_json_plain makes eight at a time. */
static inline bool bytescan_is_json_plain(unsigned char c)
{
    return c != '"' && c != '\\' && c >= 0x20;
}

/* A prefix of s in which no byte is '"', '\\' or below 0x20: the plain
 * middle of a JSON string.  It may stop short of the first such byte (the
 * caller goes on byte by byte), never past it. */
static inline size_t bytescan_json_plain(const char *s, size_t len)
{
    size_t i = 0;
#ifdef BYTESCAN_SSE2
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                  control = _mm_set1_epi8(0x1F);
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i stop =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                         _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
        unsigned lanes = (unsigned)_mm_movemask_epi8(stop);
        if (lanes)
            return i + (size_t)__builtin_ctz(lanes);
        i += 16;
    }
#endif
    while (i + 8 <= len) {
        uint64_t w = bytescan_load(s + i);
        if (bytescan_equal(w, '"') | bytescan_equal(w, '\\') | bytescan_below(w, 0x20))
            break;
        i += 8;
    }
    return i;
}

/* A prefix of s that is ASCII and holds no NUL; as bytescan_json_plain, it
 * may stop short of the first other byte, never past it. */
static inline size_t bytescan_ascii(const char *s, size_t len)
{
    size_t i = 0;
#ifdef BYTESCAN_SSE2
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned lanes =
            (unsigned)(_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)));
        if (lanes)
            return i + (size_t)__builtin_ctz(lanes);
        i += 16;
    }
#endif
    while (i + 8 <= len) {
        uint64_t w = bytescan_load(s + i);
        if (bytescan_high(w) | bytescan_below(w, 1))
            break;
        i += 8;
    }
    return i;
}

/* A prefix of s of ASCII bytes that are neither NUL nor a line end ('\n',
 * '\r'): a stretch of one line where characters are bytes.  As
 * bytescan_json_plain, it may stop short of the first other byte, never
 * past it. */
static inline size_t bytescan_ascii_line(const char *s, size_t len)
{
    size_t i = 0;
#ifdef BYTESCAN_SSE2
    const __m128i zero = _mm_setzero_si128(), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, zero),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        unsigned lanes = (unsigned)(_mm_movemask_epi8(v) | _mm_movemask_epi8(stop));
        if (lanes)
            return i + (size_t)__builtin_ctz(lanes);
        i += 16;
    }
#endif
    while (i + 8 <= len) {
        uint64_t w = bytescan_load(s + i);
        if (bytescan_high(w) | bytescan_below(w, 1) | bytescan_equal(w, '\n') |
            bytescan_equal(w, '\r'))
            break;
        i += 8;
    }
    return i;
}

#endif
