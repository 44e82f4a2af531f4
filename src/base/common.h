/*
 * common.h - first include of every library source file.
 *
 * Pulls in the C11 headers every module uses and the handful of small macros
 * the code base allows.  Nothing here allocates or has state.
 */
#ifndef IPR_BASE_COMMON_H
#define IPR_BASE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iprcheck.h"

#define IPR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define IPR_LIKELY(x)       __builtin_expect(!!(x), 1)
#define IPR_UNLIKELY(x)     __builtin_expect(!!(x), 0)
#define IPR_PRINTF(fmt, va) __attribute__((format(printf, fmt, va)))
#define IPR_ALWAYS_INLINE   __attribute__((always_inline))
#else
#define IPR_LIKELY(x)   (x)
#define IPR_UNLIKELY(x) (x)
#define IPR_PRINTF(fmt, va)
#define IPR_ALWAYS_INLINE
#endif

/* ASCII helpers that take unsigned char, so a UTF-8 byte never reaches
 * <ctype.h> with a negative value. */
static inline bool ipr_is_ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
static inline bool ipr_is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static inline bool ipr_is_ascii_alnum(unsigned char c)
{
    return ipr_is_ascii_alpha(c) || ipr_is_ascii_digit(c);
}
/* A word character of a regex (\w) in ASCII: letter, digit or '_'. */
static inline bool ipr_is_ascii_word(unsigned char c)
{
    return ipr_is_ascii_alnum(c) || c == '_';
}
static inline bool ipr_is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline unsigned char ipr_ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}
/* The value of a hex digit of either case; -1 for any other byte. */
static inline int ipr_hex_value(unsigned char c)
{
    if (ipr_is_ascii_digit(c))
        return c - '0';
    c = ipr_ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Bytes of a bitset of n bits (rules, regexes, gate triggers) kept as whole
 * 64-bit words, so that one set is ORed onto another, or walked, a word at
 * a time. */
static inline size_t ipr_bitset_bytes(size_t n)
{
    return (n / 64 + 1) * 8;
}

#endif
