/*
 * jurisdictions.c - a mark's list of jurisdiction codes as the registry
 * keeps it (registry.h: mark_def.jurisdictions).
 *
 * A registry of 100,000 marks names thousands of different lists, each of
 * a few two-letter codes ("US|EU|CN"), and a mark registered through the
 * Madrid system may list a hundred.  A code of the table below (the
 * ISO 3166-1 alpha-2 codes, EU and WO) takes one byte, its number in the
 * table plus one, where its text and a bar took three: the benchmark's
 * lists went from 16 bytes to 6 on average.  A list with any other code
 * ("USA", "us": codes are matched exactly as written) is kept as its text
 * after a byte that says so.
 */
#include "registry.h"

static const char table[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "EU", "WO"};

_Static_assert(sizeof(table) / sizeof(table[0]) < JURISDICTIONS_TEXT,
               "a code's byte is its number plus one, below JURISDICTIONS_TEXT");

/* Codes of the table; the ISO codes, sorted, are all but the last two. */
#define TABLE_CODES (sizeof(table) / sizeof(table[0]))

/* The byte of the code of len bytes at s; 0 when it is not in the table. */
static unsigned char code_byte(const char *s, size_t len)
{
    if (len != 2)
        return 0;
    size_t lo = 0, hi = TABLE_CODES - 2;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = memcmp(table[mid], s, 2);
        if (cmp == 0)
            return (unsigned char)(mid + 1);
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = TABLE_CODES - 2; i < TABLE_CODES; i++)
        if (memcmp(table[i], s, 2) == 0)
            return (unsigned char)(i + 1);
    return 0;
}

void jurisdictions_map_init(struct jurisdictions_map *map)
{
    memset(map->byte, 0, sizeof(map->byte));
    for (size_t i = 0; i < TABLE_CODES; i++)
        map->byte[(table[i][0] - 'A') * 26 + (table[i][1] - 'A')] = (unsigned char)(i + 1);
}

ipr_status jurisdictions_encode(const struct jurisdictions_map *map, const char *joined, size_t len,
                                struct buf *out)
{
    buf_clear(out);
    if (buf_reserve(out, len + 1) != IPR_OK) /* the longest it gets: the text after a byte */
        return IPR_ENOMEM;
    unsigned char *coded = (unsigned char *)out->data;
    size_t n = 0;
    for (size_t at = 0; at < len; n++) {
        const char *bar = memchr(joined + at, '|', len - at);
        size_t end = bar ? (size_t)(bar - joined) : len;
        unsigned char b = jurisdictions_byte(map, joined + at, end - at);
        if (!b) { /* a code of no table: the text, as it is */
            coded[0] = JURISDICTIONS_TEXT;
            memcpy(coded + 1, joined, len);
            out->len = len + 1;
            coded[out->len] = '\0';
            return IPR_OK;
        }
        coded[n] = b;
        at = end + 1;
    }
    out->len = n;
    coded[n] = '\0';
    return IPR_OK;
}

size_t jurisdictions_text_len(const char *kept)
{
    size_t n = strlen(kept);
    if ((unsigned char)kept[0] == JURISDICTIONS_TEXT)
        return n - 1;
    return n ? 3 * n - 1 : 0;
}

void jurisdictions_text(const char *kept, char *out)
{
    if ((unsigned char)kept[0] == JURISDICTIONS_TEXT) {
        strcpy(out, kept + 1);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)kept; *p; p++) {
        if (p != (const unsigned char *)kept)
            *out++ = '|';
        memcpy(out, table[*p - 1], 2);
        out += 2;
    }
    *out = '\0';
}

bool jurisdictions_have(const char *kept, const char *code)
{
    size_t n = strlen(code);
    if ((unsigned char)kept[0] != JURISDICTIONS_TEXT) {
        unsigned char b = code_byte(code, n);
        return b && strchr(kept, (char)b) != NULL;
    }
    for (const char *p = kept + 1; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && memcmp(p, code, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}
