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

void jurisdictions_map_init(struct jurisdictions_map *map)
{
    memset(map->byte, 0, sizeof(map->byte));
    for (size_t i = 0; i < TABLE_CODES; i++)
        map->byte[(table[i][0] - 'A') * 26 + (table[i][1] - 'A')] = (unsigned char)(i + 1);
}

/* The byte of the code of len bytes at s; 0 when it has none.  One load:
 * a binary search of the table a code was 12 % of loading 100,000 marks. */
static unsigned char code_byte(const struct jurisdictions_map *map, const char *s, size_t len)
{
    if (len != 2)
        return 0;
    unsigned a = (unsigned char)s[0] - 'A', b = (unsigned char)s[1] - 'A';
    return a < 26 && b < 26 ? map->byte[a * 26 + b] : 0;
}

void jurisdictions_list_init(struct jurisdictions_list *list, const struct jurisdictions_map *map)
{
    list->map = map;
    buf_init(&list->kept, 0);
    buf_init(&list->text, 0);
    list->coded = true;
}

void jurisdictions_list_release(struct jurisdictions_list *list)
{
    buf_release(&list->kept);
    buf_release(&list->text);
}

void jurisdictions_list_clear(struct jurisdictions_list *list)
{
    buf_clear(&list->kept);
    buf_clear(&list->text);
    list->coded = true;
}

ipr_status jurisdictions_list_add(struct jurisdictions_list *list, const char *code, size_t len)
{
    /* its byte, while every code so far has one: a list joined as text and
     * read again for the bytes took 35 M instructions more to load
     * 100,000 marks */
    unsigned char b = list->coded ? code_byte(list->map, code, len) : 0;
    if (b)
        return buf_append_char(&list->kept, (char)b);
    if (list->coded) { /* the first code of no byte: the codes so far as text */
        list->coded = false;
        size_t n = jurisdictions_text_len(list->kept.len ? list->kept.data : "");
        ipr_status st = buf_reserve(&list->text, n);
        if (st != IPR_OK)
            return st;
        jurisdictions_text(list->kept.len ? list->kept.data : "", list->text.data);
        list->text.len = n;
    }
    ipr_status st = list->text.len ? buf_append_char(&list->text, '|') : IPR_OK;
    return st == IPR_OK ? buf_append(&list->text, code, len) : st;
}

ipr_status jurisdictions_list_done(struct jurisdictions_list *list)
{
    if (list->coded)
        return IPR_OK;
    buf_clear(&list->kept); /* the text after a byte that says so */
    ipr_status st = buf_append_char(&list->kept, (char)JURISDICTIONS_TEXT);
    return st == IPR_OK ? buf_append(&list->kept, list->text.data, list->text.len) : st;
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
    if ((unsigned char)kept[0] != JURISDICTIONS_TEXT) { /* each code's text is the table's */
        for (const unsigned char *p = (const unsigned char *)kept; *p && n == 2; p++)
            if (memcmp(table[*p - 1], code, 2) == 0)
                return true;
        return false;
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
