/*
 * json_check.c - see json_check.h.  An explicit stack instead of recursion;
 * each open object keeps its keys (pointers into the text) to find
 * duplicates, which jansson rejects.
 */
#include "json_check.h"

#include "../base/bytescan.h"

#define CHECK_MAX_DEPTH  32u  /* deeper: let jansson and the walker decide */
#define CHECK_MAX_KEYS   128u /* keys per object compared for duplicates */
#define CHECK_MAX_NUMBER 300u /* digits; longer numbers could overflow a double */

struct key {
    const char *s;
    size_t len;
};

struct frame {
    bool is_object;
    uint32_t first_key; /* index into keys of this object's first key */
};

struct checker {
    const char *s, *end;
    struct frame stack[CHECK_MAX_DEPTH];
    unsigned depth;
    struct key keys[CHECK_MAX_KEYS * 4]; /* shared by the open objects */
    uint32_t key_count;
};

static void skip_space(struct checker *c)
{
    while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r'))
        c->s++;
}

static bool is_hex(unsigned char ch)
{
    return ipr_is_ascii_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A string at c->s (on its quote); escapes allowed only when !is_key. */
static bool check_string(struct checker *c, bool is_key, struct key *out)
{
    const char *start = ++c->s;
    while (c->s < c->end) {
        c->s += bytescan_json_plain(c->s, (size_t)(c->end - c->s));
        while (c->s < c->end && bytescan_is_json_plain((unsigned char)*c->s))
            c->s++;
        if (c->s >= c->end)
            break;
        unsigned char ch = (unsigned char)*c->s;
        if (ch == '"') {
            out->s = start;
            out->len = (size_t)(c->s - start);
            c->s++;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch != '\\') {
            c->s++;
            continue;
        }
        if (is_key || c->end - c->s < 2)
            return false;
        unsigned char e = (unsigned char)c->s[1];
        if (e == 'u') {
            if (c->end - c->s < 6 || !is_hex((unsigned char)c->s[2]) ||
                !is_hex((unsigned char)c->s[3]) || !is_hex((unsigned char)c->s[4]) ||
                !is_hex((unsigned char)c->s[5]))
                return false;
            /* surrogates pair up or not, and \u0000 is refused: jansson decides */
            unsigned char h = (unsigned char)ipr_ascii_lower((unsigned char)c->s[2]);
            unsigned char h2 = (unsigned char)ipr_ascii_lower((unsigned char)c->s[3]);
            if (h == 'd' && h2 >= '8')
                return false;
            if (c->s[2] == '0' && c->s[3] == '0' && c->s[4] == '0' && c->s[5] == '0')
                return false;
            c->s += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                   e == 'r' || e == 't') {
            c->s += 2;
        } else {
            return false;
        }
    }
    return false;
}

static bool check_number(struct checker *c)
{
    const char *start = c->s;
    if (c->s < c->end && *c->s == '-')
        c->s++;
    if (c->s >= c->end || !ipr_is_ascii_digit((unsigned char)*c->s))
        return false;
    if (*c->s == '0') {
        c->s++;
    } else {
        while (c->s < c->end && ipr_is_ascii_digit((unsigned char)*c->s))
            c->s++;
    }
    if (c->s < c->end && *c->s == '.') {
        c->s++;
        if (c->s >= c->end || !ipr_is_ascii_digit((unsigned char)*c->s))
            return false;
        while (c->s < c->end && ipr_is_ascii_digit((unsigned char)*c->s))
            c->s++;
    }
    if (c->s < c->end && (*c->s == 'e' || *c->s == 'E'))
        return false; /* an exponent may overflow: jansson decides */
    return (size_t)(c->s - start) <= CHECK_MAX_NUMBER;
}

static bool check_literal(struct checker *c, const char *lit, size_t len)
{
    if ((size_t)(c->end - c->s) < len || memcmp(c->s, lit, len) != 0)
        return false;
    c->s += len;
    return true;
}

/* A scalar value at c->s. */
static bool check_scalar(struct checker *c)
{
    struct key ignored;
    switch (*c->s) {
    case '"':
        return check_string(c, false, &ignored);
    case 't':
        return check_literal(c, "true", 4);
    case 'f':
        return check_literal(c, "false", 5);
    case 'n':
        return check_literal(c, "null", 4);
    default:
        return check_number(c);
    }
}

static bool open_container(struct checker *c)
{
    if (c->depth >= CHECK_MAX_DEPTH)
        return false;
    struct frame *f = &c->stack[c->depth++];
    f->is_object = *c->s == '{';
    f->first_key = c->key_count;
    c->s++;
    return true;
}

/* A key of the innermost object: no escapes, not seen before in it. */
static bool check_key(struct checker *c)
{
    struct key k;
    if (c->s >= c->end || *c->s != '"' || !check_string(c, true, &k))
        return false;
    struct frame *f = &c->stack[c->depth - 1];
    if (c->key_count - f->first_key >= CHECK_MAX_KEYS || c->key_count >= IPR_ARRAY_LEN(c->keys))
        return false;
    for (uint32_t i = f->first_key; i < c->key_count; i++)
        if (c->keys[i].len == k.len && memcmp(c->keys[i].s, k.s, k.len) == 0)
            return false;
    c->keys[c->key_count++] = k;
    skip_space(c);
    if (c->s >= c->end || *c->s != ':')
        return false;
    c->s++;
    return true;
}

bool json_check_object(const char *text, size_t len)
{
    struct checker c;
    c.s = text;
    c.end = text + len;
    c.depth = 0;
    c.key_count = 0;
    skip_space(&c);
    if (c.s >= c.end || *c.s != '{' || !open_container(&c))
        return false;
    bool first = true; /* no member yet in the innermost container */
    while (c.depth > 0) {
        struct frame *f = &c.stack[c.depth - 1];
        skip_space(&c);
        if (c.s >= c.end)
            return false;
        char close = f->is_object ? '}' : ']';
        bool member;
        if (*c.s == close) {
            c.s++;
            member = false;
        } else if (first) {
            member = true;
        } else if (*c.s == ',') {
            c.s++;
            skip_space(&c);
            member = true;
        } else {
            return false;
        }
        if (member) {
            if (f->is_object && !check_key(&c))
                return false;
            skip_space(&c);
            if (c.s >= c.end)
                return false;
            if (*c.s == '{' || *c.s == '[') {
                if (!open_container(&c))
                    return false;
                first = true;
                continue;
            }
            if (!check_scalar(&c))
                return false;
            first = false;
            continue;
        }
        /* the container closed: drop its keys and go on in the parent */
        c.key_count = f->first_key;
        c.depth--;
        first = false;
    }
    skip_space(&c);
    return c.s == c.end;
}
