/*
 * limit_options.c - values of the run-time limit options (see
 * limit_options.h).
 *
 * Byte sizes take K, M and G as 1024-based multiples because that is how
 * the limits are documented (1 MiB, 16 MiB).  A message names the option,
 * says what it needs and quotes what was given, like every usage error.
 */
#include "limit_options.h"

#include <stdio.h>

static bool is_byte_limit(ipr_limit limit)
{
    return limit == IPR_LIMIT_FIELD_BYTES || limit == IPR_LIMIT_RECORD_BYTES;
}

/* "1M (1048576 bytes)" for a size that is an exact multiple, else "N bytes". */
static void describe_size(uint64_t bytes, char *out, size_t out_len)
{
    static const char units[] = "GMK";
    for (size_t i = 0; i < 3; i++) {
        uint64_t unit = 1ull << (10 * (3 - i));
        if (bytes >= unit && bytes % unit == 0) {
            snprintf(out, out_len, "%llu%c (%llu bytes)", (unsigned long long)(bytes / unit),
                     units[i], (unsigned long long)bytes);
            return;
        }
    }
    snprintf(out, out_len, "%llu bytes", (unsigned long long)bytes);
}

/* The multiple a size suffix stands for; 0 for an unknown suffix. */
static uint64_t suffix_multiple(const char *suffix)
{
    if (suffix[0] == '\0')
        return 1;
    if (suffix[1] != '\0')
        return 0;
    switch (suffix[0]) {
    case 'k':
    case 'K':
        return 1ull << 10;
    case 'm':
    case 'M':
        return 1ull << 20;
    case 'g':
    case 'G':
        return 1ull << 30;
    default:
        return 0;
    }
}

bool limit_option_parse(const char *option, const char *text, ipr_limit limit, uint64_t *out,
                        char *err, size_t err_len)
{
    uint64_t def = 0, max = 0;
    if (ipr_limit_range(limit, &def, &max) != IPR_OK) {
        snprintf(err, err_len, "%s: no such limit", option);
        return false;
    }
    bool bytes = is_byte_limit(limit);
    /* digits, stopping early once the value is past any ceiling */
    uint64_t v = 0;
    const char *p = text;
    bool huge = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (uint64_t)(*p - '0');
        huge = huge || v > max;
        if (huge)
            v = max + 1;
    }
    uint64_t multiple = bytes ? suffix_multiple(p) : (*p ? 0 : 1);
    if (p == text || multiple == 0) {
        if (bytes)
            snprintf(err, err_len, "%s needs a size in bytes such as 4096, 64K or 1M, not '%s'",
                     option, text);
        else
            snprintf(err, err_len, "%s needs a whole number such as 100000, not '%s'", option,
                     text);
        return false;
    }
    if (v == 0) {
        snprintf(err, err_len, "%s must be at least 1, not '%s'", option, text);
        return false;
    }
    if (huge || v > max / multiple) {
        char ceiling[64];
        if (bytes)
            describe_size(max, ceiling, sizeof(ceiling));
        else
            snprintf(ceiling, sizeof(ceiling), "%llu", (unsigned long long)max);
        snprintf(err, err_len, "%s must be at most %s, not '%s'", option, ceiling, text);
        return false;
    }
    *out = v * multiple;
    return true;
}
