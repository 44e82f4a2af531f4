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
/* Eight ASCII bytes with 0x20 added to each of 'A'..'Z'. */
static inline uint64_t bytescan_lower8(uint64_t w)
{
    uint64_t ge_a = w + BYTESCAN_ONES * (0x80 - 'A');
    uint64_t gt_z = w + BYTESCAN_ONES * (0x80 - 'Z' - 1);
    return w | (ge_a & ~gt_z & BYTESCAN_HIGH) >> 2;
}

/* The n ASCII bytes at src lowercased to dst, eight at a time. */
static inline void bytescan_lower_ascii(const char *src, size_t n, char *dst)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = bytescan_lower8(bytescan_load(src + i));
        memcpy(dst + i, &w, 8);
    }
    for (; i < n; i++)
        dst[i] = (char)ipr_ascii_lower((unsigned char)src[i]);
}

static inline bool bytescan_is_json_plain(unsigned char c)
{
    return c != '"' && c != '\\' && c >= 0x20;
}

/* The bytes that end a prefix scan (bytescan_prefix), as a set.  Each
 * scan below passes a constant set, so only its own tests are compiled
 * into it. */
enum {
    BYTESCAN_STOP_HIGH = 1,      /* 0x80 and above: not ASCII */
    BYTESCAN_STOP_NUL = 2,       /* 0x00 */
    BYTESCAN_STOP_CONTROL = 4,   /* below 0x20, NUL included */
    BYTESCAN_STOP_LINE_END = 8,  /* '\n', '\r' */
    BYTESCAN_STOP_JSON_MARK = 16 /* '"', '\\' */
};

/* A prefix of s in which no byte is in the set `stop`.  It may stop short
 * of the first such byte (the caller goes on byte by byte), never past
 * it: sixteen bytes a step with SSE2, stopping on the byte, then eight a
 * step, stopping before a word that holds one. */
static inline IPR_ALWAYS_INLINE size_t bytescan_prefix(const char *s, size_t len, unsigned stop)
{
    size_t i = 0;
#ifdef BYTESCAN_SSE2
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_setzero_si128();
        if (stop & BYTESCAN_STOP_NUL)
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_setzero_si128()));
        if (stop & BYTESCAN_STOP_CONTROL) /* unsigned v <= 0x1F */
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
        if (stop & BYTESCAN_STOP_LINE_END)
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
        if (stop & BYTESCAN_STOP_JSON_MARK)
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        unsigned lanes = (unsigned)_mm_movemask_epi8(hit);
        if (stop & BYTESCAN_STOP_HIGH)
            lanes |= (unsigned)_mm_movemask_epi8(v); /* the high bits themselves */
        if (lanes)
            return i + (size_t)__builtin_ctz(lanes);
        i += 16;
    }
#endif
    while (i + 8 <= len) {
        uint64_t w = bytescan_load(s + i), hit = 0;
        if (stop & BYTESCAN_STOP_HIGH)
            hit |= bytescan_high(w);
        if (stop & BYTESCAN_STOP_NUL)
            hit |= bytescan_below(w, 1);
        if (stop & BYTESCAN_STOP_CONTROL)
            hit |= bytescan_below(w, 0x20);
        if (stop & BYTESCAN_STOP_LINE_END)
            hit |= bytescan_equal(w, '\n') | bytescan_equal(w, '\r');
        if (stop & BYTESCAN_STOP_JSON_MARK)
            hit |= bytescan_equal(w, '"') | bytescan_equal(w, '\\');
        if (hit)
            break;
        i += 8;
    }
    return i;
}

/* The plain middle of a JSON string: no '"', '\\' or byte below 0x20. */
static inline size_t bytescan_json_plain(const char *s, size_t len)
{
    return bytescan_prefix(s, len, BYTESCAN_STOP_CONTROL | BYTESCAN_STOP_JSON_MARK);
}

/* ASCII without NUL. */
static inline size_t bytescan_ascii(const char *s, size_t len)
{
    return bytescan_prefix(s, len, BYTESCAN_STOP_HIGH | BYTESCAN_STOP_NUL);
}

/* Is every byte of s ASCII (NUL included)?  The prefix scan, then the
 * bytes it may have left. */
static inline bool bytescan_all_ascii(const char *s, size_t len)
{
    size_t i = bytescan_prefix(s, len, BYTESCAN_STOP_HIGH);
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    return i == len;
}

/* Bit i set when byte i of the n bytes at s is an ASCII letter or digit,
 * for the first 64 of them; bits from n on are clear; *digits gets the
 * digits alone.  One mask per 64 bytes lets a tokenizer find its word
 * edges with bit operations, and tell the words of letters alone. */
static inline uint64_t bytescan_alnum_digits64(const char *s, size_t n, uint64_t *digits)
{
#ifdef BYTESCAN_SSE2
    char pad[64];
    if (n < 64) {
        memset(pad, 0, sizeof(pad));
        memcpy(pad, s, n);
        s = pad;
    }
    uint64_t bits = 0, digit_bits = 0;
    for (unsigned k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), folded));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v));
        bits |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) << (16 * k);
        digit_bits |= (uint64_t)(unsigned)_mm_movemask_epi8(digit) << (16 * k);
    }
    *digits = digit_bits;
    return bits;
#else
    uint64_t bits = 0, digit_bits = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ipr_is_ascii_alnum(c))
            bits |= (uint64_t)1 << i;
        if (c >= '0' && c <= '9')
            digit_bits |= (uint64_t)1 << i;
    }
    *digits = digit_bits;
    return bits;
#endif
}

/* bytescan_alnum_digits64 without the digits. */
static inline uint64_t bytescan_alnum64(const char *s, size_t n)
{
    uint64_t digits;
    return bytescan_alnum_digits64(s, n, &digits);
}

/* ASCII without NUL or a line end: a stretch of one line where
 * characters are bytes. */
static inline size_t bytescan_ascii_line(const char *s, size_t len)
{
    return bytescan_prefix(s, len, BYTESCAN_STOP_HIGH | BYTESCAN_STOP_NUL | BYTESCAN_STOP_LINE_END);
}

#endif
