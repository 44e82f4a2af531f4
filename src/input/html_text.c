/*
 * html_text.c - HTML cells to text with an offset map (see html_text.h).
 *
 * Not an HTML parser: listings hold fragments written by hand or by an
 * editor, often broken, and the goal is the words a shopper reads.  A '<'
 * that does not start a tag stays text, an entity that is not known stays
 * as written, and nothing is ever dropped except markup.  White space is
 * collapsed as a browser does, except that a run holding a line break (or
 * a block element) becomes one line break, so plain-text cells keep their
 * lines.
 */
#include "html_text.h"

#include "../base/limits.h"

void html_text_init(struct html_text *h)
{
    buf_init(&h->text, IPR_INPUT_MAX_FIELD_BYTES_CEILING);
    vec_init(&h->map, sizeof(struct html_span));
}

void html_text_release(struct html_text *h)
{
    buf_release(&h->text);
    vec_release(&h->map);
}

/* ---- entities ------------------------------------------------------------------ */

/* U+00A0 .. U+00FF in order. */
static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

static const struct {
    const char *name;
    uint32_t cp;
} other_names[] = {
    {"amp", 0x26},      {"lt", 0x3C},      {"gt", 0x3E},       {"quot", 0x22},
    {"apos", 0x27},     {"OElig", 0x152},  {"oelig", 0x153},   {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},   {"fnof", 0x192},    {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"mu", 0x3BC},     {"pi", 0x3C0},      {"Omega", 0x3A9},
    {"ensp", 0x2002},   {"emsp", 0x2003},  {"thinsp", 0x2009}, {"zwnj", 0x200C},
    {"zwj", 0x200D},    {"lrm", 0x200E},   {"rlm", 0x200F},    {"ndash", 0x2013},
    {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"sbquo", 0x201A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"bdquo", 0x201E},  {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"bull", 0x2022},  {"hellip", 0x2026}, {"permil", 0x2030},
    {"prime", 0x2032},  {"Prime", 0x2033}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A},
    {"oline", 0x203E},  {"frasl", 0x2044}, {"euro", 0x20AC},   {"trade", 0x2122},
    {"larr", 0x2190},   {"uarr", 0x2191},  {"rarr", 0x2192},   {"darr", 0x2193},
    {"harr", 0x2194},   {"minus", 0x2212}, {"infin", 0x221E},  {"asymp", 0x2248},
    {"ne", 0x2260},     {"le", 0x2264},    {"ge", 0x2265},     {"hearts", 0x2665},
    {"star", 0x2606},   {"check", 0x2713}, {"Ohm", 0x2126},
};

static bool name_is(const char *want, const char *s, size_t len)
{
    return strlen(want) == len && memcmp(want, s, len) == 0;
}

static uint32_t named_entity(const char *s, size_t len)
{
    for (size_t i = 0; i < IPR_ARRAY_LEN(latin1_names); i++)
        if (name_is(latin1_names[i], s, len))
            return 0xA0 + (uint32_t)i;
    for (size_t i = 0; i < IPR_ARRAY_LEN(other_names); i++)
        if (name_is(other_names[i].name, s, len))
            return other_names[i].cp;
    return 0;
}

/* Decodes the entity at s[i] ('&'); returns its length, 0 when s[i] does
 * not start an entity this code knows. */
static size_t parse_entity(const char *s, size_t len, size_t i, uint32_t *cp)
{
    size_t j = i + 1;
    if (j < len && s[j] == '#') {
        j++;
        bool hex = j < len && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            j++;
        uint32_t v = 0;
        size_t digits = 0;
        while (j < len && digits < 8) {
            unsigned char c = (unsigned char)s[j];
            uint32_t d;
            if (ipr_is_ascii_digit(c))
                d = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                d = (uint32_t)((c | 0x20) - 'a' + 10);
            else
                break;
            v = v * (hex ? 16u : 10u) + d;
            digits++;
            j++;
        }
        if (digits == 0)
            return 0;
        if (j < len && s[j] == ';')
            j++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = v;
        return j - i;
    }
    size_t start = j;
    while (j < len && j - start < 32 && ipr_is_ascii_alnum((unsigned char)s[j]))
        j++;
    if (j == start || j >= len || s[j] != ';')
        return 0;
    uint32_t v = named_entity(s + start, j - start);
    if (!v)
        return 0;
    *cp = v;
    return j + 1 - i;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- output with its map ------------------------------------------------------- */

enum blank { BLANK_NONE = 0, BLANK_SPACE = 1, BLANK_LINE = 2 };

struct conv {
    struct html_text *h;
    const char *src;
    size_t len;
    bool collapse;      /* HTML_FULL on a cell with markup */
    enum blank pending; /* white space seen since the last text */
    size_t pending_off; /* where it starts in the source */
    size_t pending_len;
};

static ipr_status put(struct conv *c, const char *bytes, size_t n, size_t src_off, size_t src_len,
                      bool copied)
{
    struct html_text *h = c->h;
    struct html_span *last = h->map.count ? vec_at(&h->map, h->map.count - 1) : NULL;
    if (last && copied && last->copied && last->src_off + last->src_len == src_off &&
        last->text_off + last->text_len == h->text.len) {
        last->text_len += n;
        last->src_len += src_len;
    } else {
        struct html_span *sp = vec_push(&h->map);
        if (!sp)
            return IPR_ENOMEM;
        sp->text_off = h->text.len;
        sp->text_len = n;
        sp->src_off = src_off;
        sp->src_len = src_len;
        sp->copied = copied;
    }
    return buf_append(&h->text, bytes, n);
}

/* Emits text, preceded by the white space pending before it (none at the
 * start of the text). */
static ipr_status emit(struct conv *c, const char *bytes, size_t n, size_t src_off, size_t src_len,
                       bool copied)
{
    if (c->pending != BLANK_NONE && c->h->text.len > 0) {
        const char *blank = c->pending == BLANK_LINE ? "\n" : " ";
        ipr_status st = put(c, blank, 1, c->pending_off, c->pending_len, false);
        if (st != IPR_OK)
            return st;
    }
    c->pending = BLANK_NONE;
    return put(c, bytes, n, src_off, src_len, copied);
}

static void add_blank(struct conv *c, enum blank kind, size_t off, size_t len)
{
    if (c->pending == BLANK_NONE) {
        c->pending_off = off;
        c->pending_len = len;
    } else {
        c->pending_len = off + len - c->pending_off;
    }
    if (kind > c->pending)
        c->pending = kind;
}

static ipr_status emit_entity_or_amp(struct conv *c, size_t i, size_t end, size_t *used)
{
    uint32_t cp = 0;
    size_t n = parse_entity(c->src, end, i, &cp);
    if (n == 0) {
        *used = 1;
        return emit(c, "&", 1, i, 1, true);
    }
    char enc[4];
    *used = n;
    return emit(c, enc, utf8_encode(cp, enc), i, n, false);
}

/* Text of src[from..to) with entities decoded: an attribute value. */
static ipr_status emit_decoded(struct conv *c, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        if (c->src[i] == '&') {
            size_t used;
            ipr_status st = emit_entity_or_amp(c, i, to, &used);
            if (st != IPR_OK)
                return st;
            i += used;
            continue;
        }
        size_t j = i;
        while (j < to && c->src[j] != '&')
            j++;
        ipr_status st = emit(c, c->src + i, j - i, i, j - i, true);
        if (st != IPR_OK)
            return st;
        i = j;
    }
    return IPR_OK;
}

/* ---- tags ------------------------------------------------------------------------ */

static bool is_tag_start(const char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return false;
    unsigned char c = (unsigned char)s[i + 1];
    if (c == '!' || c == '?' || ipr_is_ascii_alpha(c))
        return true;
    return c == '/' && i + 2 < len && ipr_is_ascii_alpha((unsigned char)s[i + 2]);
}

static bool has_markup(const char *s, size_t len)
{
    for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s)))
        if (is_tag_start(s, len, (size_t)(p - s)))
            return true;
    return false;
}

static bool tag_is(const char *name, size_t name_len, const char *want)
{
    if (strlen(want) != name_len)
        return false;
    for (size_t i = 0; i < name_len; i++)
        if (ipr_ascii_lower((unsigned char)name[i]) != (unsigned char)want[i])
            return false;
    return true;
}

static bool is_block(const char *name, size_t name_len)
{
    static const char *const blocks[] = {
        "address",    "article", "aside",  "blockquote", "br",  "dd",    "div", "dl",  "dt",
        "figcaption", "figure",  "footer", "h1",         "h2",  "h3",    "h4",  "h5",  "h6",
        "header",     "hr",      "li",     "main",       "nav", "ol",    "p",   "pre", "section",
        "table",      "tbody",   "td",     "tfoot",      "th",  "thead", "tr",  "ul",
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(blocks); i++)
        if (tag_is(name, name_len, blocks[i]))
            return true;
    return false;
}

/* Offset just past the '>' closing the tag that starts at i, honouring
 * quoted attribute values; 0 when the tag never closes. */
static size_t tag_end(const char *s, size_t len, size_t i)
{
    char quote = 0;
    for (size_t j = i + 1; j < len; j++) {
        if (quote) {
            if (s[j] == quote)
                quote = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
            quote = s[j];
        } else if (s[j] == '>') {
            return j + 1;
        }
    }
    return 0;
}

/* Where the value of attribute `want` lies inside the tag s[from..to). */
static bool find_attribute(const char *s, size_t from, size_t to, const char *want,
                           size_t *value_start, size_t *value_end)
{
    size_t i = from;
    while (i < to) {
        while (i < to && !ipr_is_ascii_alpha((unsigned char)s[i]))
            i++;
        size_t name_start = i;
        while (i < to && (ipr_is_ascii_alnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' ||
                          s[i] == ':'))
            i++;
        size_t name_len = i - name_start;
        while (i < to && ipr_is_ascii_space((unsigned char)s[i]))
            i++;
        if (i >= to || s[i] != '=')
            continue;
        i++;
        while (i < to && ipr_is_ascii_space((unsigned char)s[i]))
            i++;
        size_t vs, ve;
        if (i < to && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i++];
            vs = i;
            while (i < to && s[i] != q)
                i++;
            ve = i;
            if (i < to)
                i++;
        } else {
            vs = i;
            while (i < to && !ipr_is_ascii_space((unsigned char)s[i]) && s[i] != '>')
                i++;
            ve = i;
        }
        if (tag_is(s + name_start, name_len, want)) {
            *value_start = vs;
            *value_end = ve;
            return true;
        }
    }
    return false;
}

/* Offset of the first case-insensitive occurrence of `needle` at or after
 * i; len when there is none. */
static size_t find_ci(const char *s, size_t len, size_t i, const char *needle)
{
    size_t n = strlen(needle);
    for (; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && ipr_ascii_lower((unsigned char)s[i + k]) == (unsigned char)needle[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* Handles the markup starting at s[i] ('<'); *next is where text resumes. */
static ipr_status handle_tag(struct conv *c, size_t i, size_t *next)
{
    const char *s = c->src;
    size_t len = c->len;
    if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
        size_t close = find_ci(s, len, i + 4, "-->");
        *next = close < len ? close + 3 : len;
        return IPR_OK;
    }
    size_t end = tag_end(s, len, i);
    if (end == 0) {
        /* a '<' whose tag never closes is text */
        *next = i + 1;
        return emit(c, "<", 1, i, 1, true);
    }
    *next = end;
    if (s[i + 1] == '!' || s[i + 1] == '?')
        return IPR_OK;
    bool closing = s[i + 1] == '/';
    size_t name_start = i + 1 + (closing ? 1 : 0), name_end = name_start;
    while (name_end < end && ipr_is_ascii_alnum((unsigned char)s[name_end]))
        name_end++;
    const char *name = s + name_start;
    size_t name_len = name_end - name_start;
    if (!closing && (tag_is(name, name_len, "script") || tag_is(name, name_len, "style"))) {
        /* their content is never shown */
        size_t close =
            find_ci(s, len, end, tag_is(name, name_len, "script") ? "</script" : "</style");
        size_t after = close < len ? tag_end(s, len, close) : 0;
        *next = after ? after : len;
        return IPR_OK;
    }
    if (is_block(name, name_len)) {
        add_blank(c, BLANK_LINE, i, end - i);
        return IPR_OK;
    }
    size_t vs, ve;
    if (!closing && tag_is(name, name_len, "img") &&
        find_attribute(s, name_end, end - 1, "alt", &vs, &ve) && ve > vs) {
        add_blank(c, BLANK_LINE, i, vs - i);
        ipr_status st = emit_decoded(c, vs, ve);
        if (st == IPR_OK)
            add_blank(c, BLANK_LINE, ve, end - ve);
        return st;
    }
    return IPR_OK;
}

/* ---- driver ------------------------------------------------------------------------ */

ipr_status html_text_convert(struct html_text *h, const char *html, size_t len, enum html_mode mode)
{
    buf_clear(&h->text);
    vec_clear(&h->map);
    ipr_status st = buf_reserve(&h->text, len);
    if (st != IPR_OK)
        return st;
    struct conv c = {h, html, len, mode == HTML_FULL && has_markup(html, len), BLANK_NONE, 0, 0};
    size_t i = 0;
    while (i < len && st == IPR_OK) {
        char ch = html[i];
        if (ch == '&') {
            size_t used;
            st = emit_entity_or_amp(&c, i, len, &used);
            i += used;
        } else if (c.collapse && ch == '<' && is_tag_start(html, len, i)) {
            size_t next;
            st = handle_tag(&c, i, &next);
            i = next;
        } else if (c.collapse && ipr_is_ascii_space((unsigned char)ch)) {
            size_t j = i;
            bool line = false;
            while (j < len && ipr_is_ascii_space((unsigned char)html[j])) {
                line = line || html[j] == '\n' || html[j] == '\r';
                j++;
            }
            add_blank(&c, line ? BLANK_LINE : BLANK_SPACE, i, j - i);
            i = j;
        } else {
            size_t j = i + 1;
            while (j < len && html[j] != '&' &&
                   !(c.collapse && (html[j] == '<' || ipr_is_ascii_space((unsigned char)html[j]))))
                j++;
            st = emit(&c, html + i, j - i, i, j - i, true);
            i = j;
        }
    }
    return st;
}

void html_text_span_to_source(const struct html_text *h, size_t start, size_t end,
                              size_t *src_start, size_t *src_end)
{
    *src_start = *src_end = 0;
    if (h->map.count == 0)
        return;
    /* the span holding byte `start`, and the one holding byte `end - 1` */
    size_t lo = 0, hi = h->map.count;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (((const struct html_span *)vec_at(&h->map, mid))->text_off <= start)
            lo = mid;
        else
            hi = mid;
    }
    const struct html_span *a = vec_at(&h->map, lo);
    *src_start = a->copied ? a->src_off + (start - a->text_off) : a->src_off;
    size_t last = end > start ? end - 1 : start;
    lo = 0;
    hi = h->map.count;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (((const struct html_span *)vec_at(&h->map, mid))->text_off <= last)
            lo = mid;
        else
            hi = mid;
    }
    const struct html_span *b = vec_at(&h->map, lo);
    if (end <= start)
        *src_end = *src_start;
    else if (b->copied)
        *src_end = b->src_off + (last - b->text_off) + 1;
    else
        *src_end = b->src_off + b->src_len;
}
