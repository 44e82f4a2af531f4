/*
 * limits.c - the budgets a caller may set at run time (ipr_limit_range).
 *
 * Defaults and ceilings come from base/limits.h only, so the reader, the
 * scanner and the program that checks a user's --max-field-bytes all agree
 * on them.  Each ceiling is where a larger value would stop being a safe
 * budget: memory per record, time per regex attempt, or text the matcher
 * is not sized for.
 */
#include "base/common.h"
#include "base/limits.h"

ipr_status ipr_limit_range(ipr_limit limit, uint64_t *default_out, uint64_t *max_out)
{
    uint64_t def, max;
    switch (limit) {
    case IPR_LIMIT_FIELD_BYTES:
        def = IPR_INPUT_MAX_FIELD_BYTES;
        max = IPR_INPUT_MAX_FIELD_BYTES_CEILING;
        break;
    case IPR_LIMIT_RECORD_BYTES:
        def = IPR_INPUT_MAX_LINE_BYTES;
        max = IPR_INPUT_MAX_LINE_BYTES_CEILING;
        break;
    case IPR_LIMIT_REGEX_MATCH:
        def = IPR_REGEX_MATCH_LIMIT;
        max = IPR_REGEX_MATCH_LIMIT_CEILING;
        break;
    case IPR_LIMIT_REGEX_DEPTH:
        def = IPR_REGEX_DEPTH_LIMIT;
        max = IPR_REGEX_DEPTH_LIMIT_CEILING;
        break;
    default:
        return IPR_EINVAL;
    }
    if (default_out)
        *default_out = def;
    if (max_out)
        *max_out = max;
    return IPR_OK;
}
