/*
 * json_walk.c - see json_walk.h.  A recursive walk (depth is capped by
 * IPR_INPUT_MAX_JSON_DEPTH); checking, every open object keeps its keys
 * (pointers into the text) to find duplicates, which jansson rejects.
 */
#include "json_walk.h"

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "../base/normalize.h"

/* Returned by the walker once the record's error is set, or once it is
 * unsure: stop, not a failure. */
#define WALK_STOP IPR_EPARSE

#define CHECK_MAX_KEYS   128u /* keys per object compared for duplicates */
#define CHECK_KEY_SLOTS  512u /* keys of all the open objects */
#define CHECK_MAX_NUMBER 300u /* characters; longer numbers could overflow a double */

struct key {
    const char *s;
    size_t len;
};

struct walk {
    struct json_parser *p;
    struct ipr_record *rec;
    const char *s;       /* next byte */
    const char *end;     /* end of the object's text */
    uint32_t line;       /* the record's line: JSON leaves have no column */
    bool views;          /* string values in the text may be kept where they are */
    struct chunk *chunk; /* holds the text, for values kept as views */
    bool checking;       /* see enum json_walk_mode */
    bool unsure;         /* checking met what only jansson can judge */
    unsigned odd_keys;   /* keys of the current name holding '[' or ']' */
    uint32_t key_count;  /* checking: keys of the open objects */
    struct key *keys;    /* CHECK_KEY_SLOTS of them, not cleared: a walk writes before it reads */
};

/* Checking: let jansson decide.  Trusted: jansson accepted the text, so
 * this means the two disagree. */
static ipr_status walk_malformed(struct walk *w)
{
    if (w->checking) {
        w->unsure = true;
        return WALK_STOP;
    }
    ipr_status st = record_set_error(w->rec, w->line, 0, "malformed JSON object");
    return st == IPR_OK ? WALK_STOP : st;
}

static bool is_json_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(struct walk *w)
{
    while (w->s < w->end && is_json_space((unsigned char)*w->s))
        w->s++;
}

/* Inline for the common case, compact JSON: no space at all. */
static inline void walk_space(struct walk *w)
{
    if (w->s < w->end && (unsigned char)*w->s <= ' ')
        skip_space(w);
}

static void buf_truncate(struct buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

/* Reads \uXXXX at s (after the backslash and 'u' were checked). */
static long read_hex4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = ipr_hex_value((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Moves w->s to the first byte at or after it that may not sit plainly in
 * a JSON string: '"', '\\', a control character, or the end. */
static void skip_plain(struct walk *w)
{
    w->s += bytescan_json_plain(w->s, (size_t)(w->end - w->s));
    while (w->s < w->end && bytescan_is_json_plain((unsigned char)*w->s))
        w->s++;
}

/* One escape at w->s (on its backslash), unescaped onto out. */
static ipr_status walk_escape(struct walk *w, struct buf *out)
{
    if (w->end - w->s < 2)
        return walk_malformed(w);
    char e = w->s[1];
    w->s += 2;
    static const char plain_from[] = "\"\\/bfnrt";
    static const char plain_to[] = "\"\\/\b\f\n\r\t";
    const char *hit = e ? strchr(plain_from, e) : NULL;
    if (hit)
        return buf_append_char(out, plain_to[hit - plain_from]);
    if (e != 'u')
        return walk_malformed(w);
    long cp = read_hex4(w->s, w->end);
    /* surrogates pair up or not, and \u0000 is refused: jansson decides */
    if (cp < 0 || (w->checking && (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))))
        return walk_malformed(w);
    w->s += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && w->end - w->s >= 6 && w->s[0] == '\\' && w->s[1] == 'u') {
        long lo = read_hex4(w->s + 2, w->end);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            w->s += 6;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
    char utf8[4];
    return buf_append(out, utf8, norm_utf8_put(utf8, (uint32_t)cp));
}

/* Appends the unescaped string at w->s (on its opening quote) to out. */
static ipr_status walk_string(struct walk *w, struct buf *out)
{
    w->s++;
    const char *run = w->s;
    for (;;) {
        skip_plain(w);
        ipr_status st = buf_append(out, run, (size_t)(w->s - run));
        if (st != IPR_OK)
            return st;
        if (w->s >= w->end || (unsigned char)*w->s < 0x20)
            return walk_malformed(w);
        if (*w->s == '"') {
            w->s++;
            return IPR_OK;
        }
        st = walk_escape(w, out);
        if (st != IPR_OK)
            return st;
        run = w->s;
    }
}

/* A leaf; `in_text` says the value lies in the object's text, so it may be
 * kept as a view (json_walk_object ends it with a NUL once the walk is done). */
static ipr_status walk_leaf_at(struct walk *w, const char *value, size_t len, enum field_kind kind,
                               bool in_text)
{
    struct buf *name = &w->p->name, *path = &w->p->path;
    /* a value over the cap is checked as far as it goes, cut between characters */
    size_t kept = len > w->p->max_field_len ? utf8_cut(value, w->p->max_field_len) : len;
    /* a key with brackets of its own ("size[cm]") makes the path the
     * record's to derive, as for any other reader */
    struct leaf_name ln = {buf_str(name), name->len, w->odd_keys ? NULL : buf_str(path), path->len};
    ipr_status st = record_add_leaf(w->rec, &ln, value, kept, w->line, 0, kind,
                                    in_text && w->views ? w->chunk : NULL);
    if (st == IPR_ELIMIT) {
        if (w->checking)
            return walk_malformed(w); /* the record error waits for jansson's verdict */
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

/* Checking: moves past -?(0|[1-9][0-9]*)(.[0-9]+)?, false when the number
 * is not that.  An exponent may overflow a double, so jansson decides. */
static bool number_end(struct walk *w)
{
    const char *start = w->s;
    if (w->s < w->end && *w->s == '-')
        w->s++;
    if (w->s >= w->end || !ipr_is_ascii_digit((unsigned char)*w->s))
        return false;
    if (*w->s == '0') {
        w->s++;
    } else {
        while (w->s < w->end && ipr_is_ascii_digit((unsigned char)*w->s))
            w->s++;
    }
    if (w->s < w->end && *w->s == '.') {
        w->s++;
        if (w->s >= w->end || !ipr_is_ascii_digit((unsigned char)*w->s))
            return false;
        while (w->s < w->end && ipr_is_ascii_digit((unsigned char)*w->s))
            w->s++;
    }
    if (w->s < w->end && (*w->s == 'e' || *w->s == 'E'))
        return false;
    return (size_t)(w->s - start) <= CHECK_MAX_NUMBER;
}

/* A number, kept as written. */
static ipr_status walk_number(struct walk *w)
{
    const char *start = w->s;
    if (w->checking) {
        if (!number_end(w))
            return walk_malformed(w);
    } else {
        while (w->s < w->end && (ipr_is_ascii_digit((unsigned char)*w->s) || *w->s == '-' ||
                                 *w->s == '+' || *w->s == '.' || *w->s == 'e' || *w->s == 'E'))
            w->s++;
        if (w->s == start)
            return walk_malformed(w);
    }
    return walk_leaf(w, start, (size_t)(w->s - start), FIELD_NUMBER);
}

/* Checking: the key at w->s (on its quote) of the innermost object, whose
 * keys start at keys[first]: plain (no escapes) and not seen before in it.
 * *seen has a bit for each sort of key (length and end bytes) the object
 * has had: a key of a new sort is new, without comparing it to the rest. */
static ipr_status check_key(struct walk *w, uint32_t first, uint64_t *seen, struct key *out)
{
    out->s = ++w->s;
    skip_plain(w);
    if (w->s >= w->end || *w->s != '"')
        return walk_malformed(w);
    out->len = (size_t)(w->s - out->s);
    w->s++;
    if (w->key_count - first >= CHECK_MAX_KEYS || w->key_count >= CHECK_KEY_SLOTS)
        return walk_malformed(w);
    unsigned sort = (unsigned)out->len * 7u;
    if (out->len)
        sort += (unsigned char)out->s[0] + 3u * (unsigned char)out->s[out->len - 1];
    uint64_t bit = 1ull << (sort & 63);
    for (uint32_t i = first; (*seen & bit) && i < w->key_count; i++)
        if (w->keys[i].len == out->len && memcmp(w->keys[i].s, out->s, out->len) == 0)
            return walk_malformed(w);
    *seen |= bit;
    w->keys[w->key_count++] = *out;
    return IPR_OK;
}

/* A member's key, appended to the name and the path after a '.' when
 * nested; *odd when it holds a bracket. */
static ipr_status walk_key(struct walk *w, uint32_t first_key, uint64_t *seen, bool nested,
                           bool *odd)
{
    struct buf *name = &w->p->name, *path = &w->p->path;
    ipr_status st = nested ? buf_append_char(name, '.') : IPR_OK;
    if (st != IPR_OK)
        return st;
    size_t from = name->len;
    if (w->checking) {
        struct key k;
        st = check_key(w, first_key, seen, &k);
        if (st == IPR_OK)
            st = buf_append(name, k.s, k.len);
    } else {
        st = walk_string(w, name);
    }
    if (st != IPR_OK)
        return st;
    const char *key = name->data + from;
    size_t key_len = name->len - from;
    *odd = false; /* keys are short: a loop, not two calls */
    for (size_t i = 0; i < key_len && !*odd; i++)
        *odd = key[i] == '[' || key[i] == ']';
    st = nested ? buf_append_char(path, '.') : IPR_OK;
    return st == IPR_OK ? buf_append(path, key, key_len) : st;
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
    struct buf *name = &w->p->name, *path = &w->p->path;
    if (depth > IPR_INPUT_MAX_JSON_DEPTH) {
        if (w->checking)
            return walk_malformed(w);
        ipr_status st = record_set_error(w->rec, w->line, 0, "nested deeper than %u levels",
                                         IPR_INPUT_MAX_JSON_DEPTH);
        return st == IPR_OK ? WALK_STOP : st;
    }
    bool is_object = *w->s == '{';
    char close = is_object ? '}' : ']';
    size_t mark = name->len, path_mark = path->len;
    uint32_t first_key = w->key_count;
    uint64_t key_sorts = 0; /* see check_key */
    w->s++;
    walk_space(w);
    if (w->s < w->end && *w->s == close) {
        w->s++;
        return IPR_OK; /* empty containers have no leaves */
    }
    for (size_t index = 0;; index++) {
        ipr_status st;
        bool odd = false;
        walk_space(w);
        if (is_object) {
            if (w->s >= w->end || *w->s != '"')
                return walk_malformed(w);
            st = walk_key(w, first_key, &key_sorts, mark > 0, &odd);
            if (st != IPR_OK)
                return st;
            w->odd_keys += odd;
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
        buf_truncate(path, path_mark);
        w->odd_keys -= odd;
        walk_space(w);
        if (w->s < w->end && *w->s == ',') {
            w->s++;
            continue;
        }
        if (w->s < w->end && *w->s == close) {
            w->s++;
            w->key_count = first_key; /* the object's keys are done with */
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
        const char *body = w->s + 1;
        w->s = body;
        skip_plain(w);
        if (w->s < w->end && *w->s == '"') {
            w->s++;
            return walk_leaf_at(w, body, (size_t)(w->s - 1 - body), FIELD_STRING, true);
        }
        w->s = body - 1;
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
    return walk_number(w);
}

ipr_status json_walk_object(struct json_parser *p, struct ipr_record *rec, const char *text,
                            size_t len, uint32_t line, char *mut, struct chunk *chunk,
                            enum json_walk_mode mode, bool *vouched)
{
    struct key keys[CHECK_KEY_SLOTS];
    struct walk w = {.p = p,
                     .rec = rec,
                     .s = text,
                     .end = text + len,
                     .line = line,
                     .views = mut && chunk,
                     .chunk = chunk,
                     .checking = mode == JSON_WALK_CHECKING,
                     .keys = keys};
    size_t first_field = rec->field_count;
    const char *incomplete = rec->incomplete;
    buf_clear(&p->name);
    buf_clear(&p->path);
    walk_space(&w);
    ipr_status st;
    if (w.checking && (w.s >= w.end || *w.s != '{')) {
        st = walk_malformed(&w);
    } else {
        st = walk_container(&w, 1);
        walk_space(&w);
        if (st == IPR_OK && w.checking && w.s != w.end)
            st = walk_malformed(&w); /* text after the object */
    }
    if (vouched)
        *vouched = !w.unsure;
    if (w.unsure) {
        rec->field_count = first_field; /* as it was: jansson decides */
        rec->incomplete = incomplete;
        return IPR_OK;
    }
    /* Views end where their closing quote was.  Not before: until the walk
     * is done the text may still go to jansson, and other leaves (a
     * record error stops the walk) still lie ahead in it. */
    for (size_t i = first_field; w.views && i < rec->field_count; i++) {
        const struct record_field *f = &rec->fields[i];
        if (f->value >= text && f->value < text + len)
            mut[f->value - text + f->value_len] = '\0';
    }
    return st == WALK_STOP ? IPR_OK : st;
}
