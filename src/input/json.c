/*
 * json.c - JSONL lines and JSON array elements to records (see json.h).
 *
 * jansson checks each object (syntax, UTF-8, duplicate keys) unless the
 * one-pass check of json_check.h vouches for it; the leaves are
 * then taken from the checked text by a small walker of our own, because
 * jansson keeps numbers as C doubles and integers while a record must keep
 * a number exactly as written (`0012`, `1.50`, a 20-digit EAN).  Elements of
 * a JSON array are delimited by a byte scanner that tracks strings, escapes
 * and depth, so only one element is ever held in memory.
 */
#include "json.h"

#include <jansson.h>

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "json_check.h"

/* Returned by the walker once the record's error is set: stop, not a failure. */
#define WALK_STOP IPR_EPARSE

void json_parser_init(struct json_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->phase = PHASE_START;
    buf_init(&p->name, IPR_INPUT_MAX_LINE_BYTES);
    buf_init(&p->value, IPR_INPUT_MAX_LINE_BYTES);
    p->max_field_len = IPR_INPUT_MAX_FIELD_BYTES;
    p->max_line_len = IPR_INPUT_MAX_LINE_BYTES;
}

void json_parser_set_caps(struct json_parser *p, size_t field_len, size_t line_len)
{
    p->max_field_len = field_len;
    p->max_line_len = line_len;
    /* names and unescaped values are never longer than the text they come from */
    buf_release(&p->name);
    buf_release(&p->value);
    buf_init(&p->name, line_len);
    buf_init(&p->value, line_len);
}

void json_parser_release(struct json_parser *p)
{
    buf_release(&p->name);
    buf_release(&p->value);
}

static bool is_json_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- flattening ---------------------------------------------------------- */

struct walk {
    struct json_parser *p;
    struct ipr_record *rec;
    const char *s;       /* next byte */
    const char *end;     /* end of the object's text */
    uint32_t line;       /* the record's line: JSON leaves have no column */
    const char *text;    /* the object's text */
    char *mut;           /* the same bytes, writable; NULL when they are not ours */
    struct chunk *chunk; /* holds them, for values kept as views */
};

static ipr_status walk_malformed(struct walk *w)
{
    /* jansson accepted the text, so this means the two disagree */
    ipr_status st = record_set_error(w->rec, w->line, 0, "malformed JSON object");
    return st == IPR_OK ? WALK_STOP : st;
}

static void walk_space(struct walk *w)
{
    while (w->s < w->end && is_json_space((unsigned char)*w->s))
        w->s++;
}

static void buf_truncate(struct buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

static int hex_value(unsigned char c)
{
    if (ipr_is_ascii_digit(c))
        return c - '0';
    c = ipr_ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads \uXXXX at s (after the backslash and 'u' were checked). */
static long read_hex4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static ipr_status append_utf8(struct buf *out, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_append(out, b, n);
}

/* Appends the unescaped string at w->s (on its opening quote) to out. */
static ipr_status walk_string(struct walk *w, struct buf *out)
{
    w->s++;
    const char *run = w->s;
    while (w->s < w->end) {
        w->s += bytescan_json_plain(w->s, (size_t)(w->end - w->s));
        while (w->s < w->end && *w->s != '"' && *w->s != '\\')
            w->s++;
        if (w->s >= w->end)
            break;
        char c = *w->s;
        if (c == '"') {
            ipr_status st = buf_append(out, run, (size_t)(w->s - run));
            w->s++;
            return st;
        }
        if (c != '\\') {
            w->s++;
            continue;
        }
        ipr_status st = buf_append(out, run, (size_t)(w->s - run));
        if (st != IPR_OK)
            return st;
        if (w->end - w->s < 2)
            return walk_malformed(w);
        char e = w->s[1];
        w->s += 2;
        static const char plain_from[] = "\"\\/bfnrt";
        static const char plain_to[] = "\"\\/\b\f\n\r\t";
        const char *hit = e ? strchr(plain_from, e) : NULL;
        if (hit) {
            st = buf_append_char(out, plain_to[hit - plain_from]);
        } else if (e == 'u') {
            long cp = read_hex4(w->s, w->end);
            if (cp < 0)
                return walk_malformed(w);
            w->s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && w->end - w->s >= 6 && w->s[0] == '\\' &&
                w->s[1] == 'u') {
                long lo = read_hex4(w->s + 2, w->end);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    w->s += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
            st = append_utf8(out, (unsigned long)cp);
        } else {
            return walk_malformed(w);
        }
        if (st != IPR_OK)
            return st;
        run = w->s;
    }
    return walk_malformed(w);
}

/* A leaf; `in_text` says the value lies in the object's text, so it may be
 * kept as a view (its end is overwritten with a NUL: the walk is past it). */
static ipr_status walk_leaf_at(struct walk *w, const char *value, size_t len, enum field_kind kind,
                               bool in_text)
{
    struct buf *name = &w->p->name;
    /* a value over the cap is checked as far as it goes, cut between characters */
    size_t kept = len > w->p->max_field_len ? utf8_cut(value, w->p->max_field_len) : len;
    ipr_status st;
    if (in_text && w->mut) {
        w->mut[value - w->text + kept] = '\0';
        st = record_add_field_view(w->rec, buf_str(name), name->len, value, kept, w->line, 0, kind,
                                   w->chunk);
    } else {
        st = record_add_field(w->rec, buf_str(name), name->len, value, kept, w->line, 0, kind);
    }
    if (st == IPR_ELIMIT) {
        st = record_set_error(w->rec, w->line, 0, "more than %u fields", IPR_INPUT_MAX_FIELDS);
        return st == IPR_OK ? WALK_STOP : st;
    }
    if (st == IPR_OK && kept < len)
        st = record_set_incomplete(w->rec,
                                   "field '%s' is %zu bytes; only the first %zu were checked",
                                   buf_str(name), len, kept);
    return st;
}

static ipr_status walk_leaf(struct walk *w, const char *value, size_t len, enum field_kind kind)
{
    return walk_leaf_at(w, value, len, kind, false);
}

static bool literal_at(const struct walk *w, const char *lit, size_t len)
{
    return (size_t)(w->end - w->s) >= len && memcmp(w->s, lit, len) == 0;
}

static ipr_status walk_value(struct walk *w, unsigned depth);

/* Appends "[index]": the name of an array element (no printf per leaf). */
static ipr_status append_index(struct buf *name, size_t index)
{
    char digits[24];
    size_t n = sizeof(digits);
    digits[--n] = ']';
    do {
        digits[--n] = (char)('0' + index % 10);
        index /= 10;
    } while (index && n > 1);
    digits[--n] = '[';
    return buf_append(name, digits + n, sizeof(digits) - n);
}

/* An object or array at w->s; its members extend the current name. */
static ipr_status walk_container(struct walk *w, unsigned depth)
{
    struct buf *name = &w->p->name;
    if (depth > IPR_INPUT_MAX_JSON_DEPTH) {
        ipr_status st = record_set_error(w->rec, w->line, 0, "nested deeper than %u levels",
                                         IPR_INPUT_MAX_JSON_DEPTH);
        return st == IPR_OK ? WALK_STOP : st;
    }
    bool is_object = *w->s == '{';
    char close = is_object ? '}' : ']';
    size_t mark = name->len;
    w->s++;
    walk_space(w);
    if (w->s < w->end && *w->s == close) {
        w->s++;
        return IPR_OK; /* empty containers have no leaves */
    }
    for (size_t index = 0;; index++) {
        ipr_status st;
        walk_space(w);
        if (is_object) {
            if (w->s >= w->end || *w->s != '"')
                return walk_malformed(w);
            st = mark > 0 ? buf_append_char(name, '.') : IPR_OK;
            if (st == IPR_OK)
                st = walk_string(w, name);
            if (st != IPR_OK)
                return st;
            walk_space(w);
            if (w->s >= w->end || *w->s != ':')
                return walk_malformed(w);
            w->s++;
        } else {
            st = append_index(name, index);
            if (st != IPR_OK)
                return st;
        }
        st = walk_value(w, depth + 1);
        if (st != IPR_OK)
            return st;
        buf_truncate(name, mark);
        walk_space(w);
        if (w->s < w->end && *w->s == ',') {
            w->s++;
            continue;
        }
        if (w->s < w->end && *w->s == close) {
            w->s++;
            return IPR_OK;
        }
        return walk_malformed(w);
    }
}

static ipr_status walk_value(struct walk *w, unsigned depth)
{
    walk_space(w);
    if (w->s >= w->end)
        return walk_malformed(w);
    char c = *w->s;
    if (c == '{' || c == '[')
        return walk_container(w, depth);
    if (c == '"') {
        /* most strings have no escapes: the leaf is the text itself */
        const char *body = w->s + 1, *q = body;
        q += bytescan_json_plain(q, (size_t)(w->end - q));
        while (q < w->end && *q != '"' && *q != '\\')
            q++;
        if (q < w->end && *q == '"') {
            w->s = q + 1;
            return walk_leaf_at(w, body, (size_t)(q - body), FIELD_STRING, true);
        }
        struct buf *value = &w->p->value;
        buf_clear(value);
        ipr_status st = walk_string(w, value);
        if (st != IPR_OK)
            return st;
        return walk_leaf(w, buf_str(value), value->len, FIELD_STRING);
    }
    if (literal_at(w, "true", 4)) {
        w->s += 4;
        return walk_leaf(w, "true", 4, FIELD_BOOL);
    }
    if (literal_at(w, "false", 5)) {
        w->s += 5;
        return walk_leaf(w, "false", 5, FIELD_BOOL);
    }
    if (literal_at(w, "null", 4)) {
        w->s += 4;
        return walk_leaf(w, "", 0, FIELD_NULL);
    }
    const char *start = w->s;
    while (w->s < w->end && (ipr_is_ascii_digit((unsigned char)*w->s) || *w->s == '-' ||
                             *w->s == '+' || *w->s == '.' || *w->s == 'e' || *w->s == 'E'))
        w->s++;
    if (w->s == start)
        return walk_malformed(w);
    return walk_leaf(w, start, (size_t)(w->s - start), FIELD_NUMBER);
}

static const char *json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    default:
        return "an object";
    }
}

/* Line of the byte `len` bytes after a position `at`. */
static uint32_t line_after(const struct text_pos *at, const char *text, uint64_t off, size_t len)
{
    struct text_pos tp = *at;
    for (size_t i = 0; i < len; i++)
        text_pos_step(&tp, (unsigned char)text[i], off + i);
    return tp.line;
}

/* The leaves of an object the text of which has been checked. */
static ipr_status walk_object(struct json_parser *p, struct ipr_record *rec, const char *text,
                              size_t len, const struct text_pos *at, char *mut, struct chunk *chunk)
{
    struct walk w = {.p = p,
                     .rec = rec,
                     .s = text,
                     .end = text + len,
                     .line = at->line,
                     .text = text,
                     .mut = mut,
                     .chunk = chunk};
    buf_clear(&p->name);
    walk_space(&w);
    ipr_status st = walk_container(&w, 1);
    return st == WALK_STOP ? IPR_OK : st;
}

/* Turns the text of one object into rec's fields, or rec's error.  `off`
 * and `at` say where text[0] is in the source, which may lend the text
 * writable (source_at_mut) so that values are kept as views. */
static ipr_status parse_object(struct json_parser *p, struct ipr_record *rec, struct source *src,
                               size_t len, uint64_t off, const struct text_pos *at)
{
    const char *text = source_at(src, off);
    char *mut = source_at_mut(src, off);
    struct chunk *chunk = source_chunk(src);
    size_t bad = utf8_check(text, len);
    if (bad < len) {
        const char *what = text[bad] == '\0' ? "NUL byte" : "invalid UTF-8";
        return record_set_error(rec, line_after(at, text, off, bad), off + bad,
                                "%s at byte offset %llu", what, (unsigned long long)(off + bad));
    }

    /* most objects are plain: checked in one pass, without jansson's tree */
    if (json_check_object(text, len))
        return walk_object(p, rec, text, len, at, mut, chunk);

    json_error_t err;
    json_t *root = json_loadb(
        text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY, &err);
    if (!root) {
        uint32_t line = at->line;
        long col = err.column;
        if (err.line > 1)
            line += (uint32_t)(err.line - 1);
        else
            col += (long)(off - at->line_start);
        size_t pos = err.position > 0 && (size_t)err.position < len ? (size_t)err.position : 0;
        return record_set_error(rec, line, off + pos, "invalid JSON at line %u, column %ld: %s",
                                line, col, err.text);
    }
    bool is_object = json_is_object(root);
    const char *type = json_type_name(root);
    json_decref(root);
    if (!is_object)
        return record_set_error(rec, at->line, off, "not a JSON object but %s", type);

    return walk_object(p, rec, text, len, at, mut, chunk);
}

/* ---- JSON Lines ------------------------------------------------------------ */

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_json_space((unsigned char)s[i]))
            return false;
    return true;
}

ipr_status json_parser_next_line(struct json_parser *p, struct source *src, struct ipr_record *rec)
{
    for (;;) {
        uint64_t start = source_offset(src), scan = start, line_end;
        bool found = false;
        for (;;) {
            const char *d = source_at(src, scan);
            const char *nl = memchr(d, '\n', (size_t)(source_end(src) - scan));
            if (nl) {
                line_end = scan + (uint64_t)(nl - d);
                found = true;
                break;
            }
            scan = source_end(src);
            if (scan - start > p->max_line_len)
                break;
            ipr_status st = source_fill(src);
            if (st == IPR_DONE)
                break;
            if (st != IPR_OK)
                return st;
        }
        if (!found)
            line_end = source_end(src);
        if (!found && line_end == start)
            return IPR_DONE;
        if (line_end - start > p->max_line_len) {
            rec->line = src->at.line;
            ipr_status st = record_set_error(rec, rec->line, start, "line longer than %zu bytes",
                                             p->max_line_len);
            return st != IPR_OK ? st : source_skip_line(src, false);
        }
        uint64_t next = found ? line_end + 1 : line_end;
        const char *text = source_at(src, start);
        size_t len = (size_t)(line_end - start);
        if (is_blank(text, len)) {
            source_consume(src, next);
            continue;
        }
        rec->line = src->at.line;
        ipr_status st = parse_object(p, rec, src, len, start, &src->at);
        source_consume(src, next);
        return st;
    }
}

/* ---- JSON documents ---------------------------------------------------------- */

/* Where a value ends, found without parsing it. */
struct value_scan {
    unsigned long depth; /* open '{' and '[' */
    bool in_string;
    bool escaped; /* the previous byte was a backslash inside a string */
    bool scalar;  /* a number or literal: ends before a delimiter */
};

static void value_scan_begin(struct value_scan *v, unsigned char first)
{
    memset(v, 0, sizeof(*v));
    if (first == '{' || first == '[')
        v->depth = 1;
    else if (first == '"')
        v->in_string = true;
    else
        v->scalar = true;
}

/* Feeds bytes that follow the first one; returns how many belong to the
 * value and sets *done when it ends among them. */
static size_t value_scan_feed(struct value_scan *v, const unsigned char *d, size_t n, bool *done)
{
    *done = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        if (v->in_string) {
            if (v->escaped)
                v->escaped = false;
            else if (c == '\\')
                v->escaped = true;
            else if (c == '"') {
                v->in_string = false;
                if (v->depth == 0) {
                    *done = true;
                    return i + 1;
                }
            }
        } else if (v->scalar) {
            if (is_json_space(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' ||
                c == '"') {
                *done = true;
                return i;
            }
        } else if (c == '"') {
            v->in_string = true;
        } else if (c == '{' || c == '[') {
            v->depth++;
        } else if (c == '}' || c == ']') {
            if (--v->depth == 0) {
                *done = true;
                return i + 1;
            }
        }
    }
    return n;
}

/* Consumes JSON white space; *at_end when the input ends first. */
static ipr_status skip_space(struct source *src, bool *at_end)
{
    for (;;) {
        const unsigned char *d = (const unsigned char *)src->data + src->pos;
        size_t n = source_avail(src), i = 0;
        while (i < n && is_json_space(d[i]))
            i++;
        source_consume(src, source_offset(src) + i);
        if (i < n) {
            *at_end = false;
            return IPR_OK;
        }
        ipr_status st = source_fill(src);
        if (st == IPR_DONE) {
            *at_end = true;
            return IPR_OK;
        }
        if (st != IPR_OK)
            return st;
    }
}

/* Reads the value at the source's position into one record.  `problem`,
 * when set, makes it an error record whatever the value holds. */
static ipr_status read_value(struct json_parser *p, struct source *src, struct ipr_record *rec,
                             const char *problem)
{
    struct text_pos at = src->at;
    uint64_t start = source_offset(src), off = start + 1;
    struct value_scan v;
    value_scan_begin(&v, *(const unsigned char *)source_at(src, start));
    rec->line = at.line;
    bool done = false;
    const size_t cap = p->max_line_len;
    while (!done) {
        if (off - start >= cap)
            break;
        if (off == source_end(src)) {
            ipr_status st = source_fill(src);
            if (st == IPR_DONE)
                break; /* cut short: jansson will say how */
            if (st != IPR_OK)
                return st;
            continue;
        }
        size_t n = (size_t)(source_end(src) - off);
        if (n > cap - (off - start))
            n = (size_t)(cap - (off - start));
        off += value_scan_feed(&v, (const unsigned char *)source_at(src, off), n, &done);
    }
    if (!done && off - start >= cap) {
        ipr_status st =
            record_set_error(rec, at.line, start, "JSON value longer than %zu bytes", cap);
        if (st != IPR_OK)
            return st;
        /* drop the rest of the value as it arrives */
        source_consume(src, off);
        while (!done) {
            size_t used = value_scan_feed(&v, (const unsigned char *)src->data + src->pos,
                                          source_avail(src), &done);
            source_consume(src, source_offset(src) + used);
            if (done)
                break;
            st = source_fill(src);
            if (st == IPR_DONE)
                break;
            if (st != IPR_OK)
                return st;
        }
        return IPR_OK;
    }
    ipr_status st;
    if (problem)
        st = record_set_error(rec, at.line, start, "%s", problem);
    else
        st = parse_object(p, rec, src, (size_t)(off - start), start, &at);
    source_consume(src, off);
    return st;
}

ipr_status json_parser_next_element(struct json_parser *p, struct source *src,
                                    struct ipr_record *rec)
{
    for (;;) {
        bool at_end;
        ipr_status st = skip_space(src, &at_end);
        if (st != IPR_OK)
            return st;
        char c = at_end ? '\0' : *source_at(src, source_offset(src));
        rec->line = src->at.line;
        switch (p->phase) {
        case PHASE_START:
            if (at_end) {
                p->phase = PHASE_END;
                return IPR_DONE;
            }
            if (c == '[') {
                source_consume(src, source_offset(src) + 1);
                p->phase = PHASE_ARRAY;
            } else {
                p->phase = PHASE_VALUES;
            }
            continue;
        case PHASE_ARRAY:
            if (at_end) {
                p->phase = PHASE_END;
                return record_set_error(rec, rec->line, source_offset(src),
                                        "the JSON array is not closed: the input ended");
            }
            if (c == ']') {
                source_consume(src, source_offset(src) + 1);
                p->phase = PHASE_TRAILER;
                if (p->after_comma)
                    return record_set_error(rec, rec->line, source_offset(src) - 1,
                                            "',' before the closing ']' of the JSON array");
                continue;
            }
            if (c == ',') {
                source_consume(src, source_offset(src) + 1);
                bool empty = !p->need_comma;
                p->need_comma = false;
                p->after_comma = true;
                if (empty)
                    return record_set_error(rec, rec->line, source_offset(src) - 1,
                                            "empty element in the JSON array");
                continue;
            }
            st = read_value(p, src, rec,
                            p->need_comma ? "missing ',' before this JSON array element" : NULL);
            p->need_comma = true;
            p->after_comma = false;
            return st;
        case PHASE_VALUES:
            if (at_end) {
                p->phase = PHASE_END;
                return IPR_DONE;
            }
            return read_value(p, src, rec, NULL);
        case PHASE_TRAILER:
            p->phase = PHASE_END;
            if (at_end)
                return IPR_DONE;
            return record_set_error(rec, rec->line, source_offset(src),
                                    "unexpected text after the JSON array");
        case PHASE_END:
            return IPR_DONE;
        }
    }
}
