/*
 * mark_case.c - a mark's name as its spelling with the case of its
 * letters put back (enum mark_case in registry.h).
 *
 * Nearly every name in a registry is its own normalized spelling in one
 * of three shapes of case ("adidas", "IKEA", "Louis Vuitton"), and the
 * mark set keeps that spelling to match it anyway; a name is kept as its
 * spelling only when putting the case back gives it exactly, byte for
 * byte, so no name ever reads differently.
 */
#include "registry.h"

/* The letter at i of the lowercase spelling s, with the case put back. */
static char put_back(const char *s, size_t i, enum mark_case how)
{
    unsigned char c = (unsigned char)s[i];
    bool upper =
        how == MARK_CASE_UPPER ||
        (how == MARK_CASE_TITLE && (i == 0 || !ipr_is_ascii_alpha((unsigned char)s[i - 1])));
    return upper && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : (char)c;
}

void mark_case_put_back(const char *spelling, size_t n, enum mark_case how, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = put_back(spelling, i, how);
    out[n] = '\0';
}

/* Does putting the case back into the spelling give the name? */
static bool gives(const char *name, const char *spelling, size_t n, enum mark_case how)
{
    for (size_t i = 0; i < n; i++)
        if (put_back(spelling, i, how) != name[i])
            return false;
    return true;
}

enum mark_case mark_case_of(const char *name, const char *spelling, size_t n)
{
    if (n > MARK_SPELLED_NAME_MAX)
        return MARK_CASE_KEPT;
    static const enum mark_case ways[] = {MARK_CASE_LOWER, MARK_CASE_TITLE, MARK_CASE_UPPER};
    for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++)
        if (gives(name, spelling, n, ways[w])) /* then name has n bytes or more */
            return name[n] == '\0' ? ways[w] : MARK_CASE_KEPT;
    return MARK_CASE_KEPT;
}
