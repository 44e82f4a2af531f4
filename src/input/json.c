/*
 * json.c - JSONL lines and JSON array elements to records (see json.h).
 *
 * The leaves of each object are taken from its text by the walker of
 * json_walk.h, which checks plain objects as it goes; jansson judges the
 * rest (syntax, duplicate keys), and its message is the record's error.
 * Elements of a JSON array are delimited by a byte scanner that tracks
 * strings, escapes and depth, so only one element is ever held in memory.
 */
#include "json.h"

#include <jansson.h>

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "json_walk.h"

void json_parser_init(struct json_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->phase = PHASE_START;
    buf_init(&p->name, IPR_INPUT_MAX_LINE_BYTES);
    buf_init(&p->path, IPR_INPUT_MAX_LINE_BYTES);
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
    buf_release(&p->path);
    buf_release(&p->value);
    buf_init(&p->name, line_len);
    buf_init(&p->path, line_len);
    buf_init(&p->value, line_len);
}

void json_parser_release(struct json_parser *p)
{
    buf_release(&p->name);
    buf_release(&p->path);
    buf_release(&p->value);
}

static bool is_json_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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

    /* most objects are plain: checked as they are walked, without jansson's tree */
    bool vouched;
    ipr_status st =
        json_walk_object(p, rec, text, len, at->line, mut, chunk, JSON_WALK_CHECKING, &vouched);
    if (st != IPR_OK || vouched)
        return st;

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

    return json_walk_object(p, rec, text, len, at->line, mut, chunk, JSON_WALK_TRUSTED, NULL);
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
