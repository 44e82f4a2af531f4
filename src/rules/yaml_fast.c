/*
 * yaml_fast.c - the plain-YAML reader (see yaml_fast.h).
 *
 * The text is read line by line.  A block mapping is a run of "key: ..."
 * lines at one indentation; a block sequence a run of "- ..." lines; a
 * value is on the key's line (a one-line scalar or flow collection) or on
 * the lines below, indented further (or, for a sequence under a key, at
 * the key's own indentation, as YAML allows).  Each rule below is the
 * narrow case of the YAML rule it stands for; where the two could differ,
 * the reader declines:
 *   - text: valid UTF-8, LF or CRLF line ends, no tab, no other control
 *     or non-printable character, no character libyaml takes for a line
 *     break (NEL, LS, PS) or skips (BOM);
 *   - keys: [A-Za-z0-9_][A-Za-z0-9_.-]* followed by ':' and a space or the
 *     line end, at most one of each key per mapping;
 *   - plain scalars: no indicator first, no ": " or ':' at the end, and in
 *     flow collections no ':' at all; " #" starts a comment;
 *   - quoted scalars: on one line; double-quoted ones without escapes;
 *   - no empty value, no block scalar, anchor, alias, tag or directive.
 * Positions are what yaml_tree gives: the first byte of a scalar (its quote
 * when quoted), a block mapping's first key, a block sequence's first '-',
 * a flow collection's bracket.  The differential test and fuzzer hold the
 * two readers' trees equal wherever this one does not decline.
 */
#include "yaml_fast.h"

#include <stdlib.h>

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "../base/vec.h"

#define FAST_MAX_DEPTH   16u  /* nesting the reader takes; deeper goes to libyaml */
#define FAST_MAX_KEYS    64u  /* keys of one mapping, compared for duplicates */
#define FAST_MAX_KEY_LEN 128u /* libyaml's simple keys stop at 1024 characters */

struct fast {
    const char *text;
    size_t len;
    size_t pos;          /* the start of the line being read */
    size_t nl;           /* where its LF is, or len: found once per line, since a flow
                            collection of many scalars asks for it again and again */
    size_t end;          /* where its text ends: nl, or the CR of a CRLF */
    uint32_t line;       /* its 1-based number */
    struct arena *arena; /* where nodes go now: tree, or items inside the list */
    struct arena *tree;
    struct arena *items; /* one streamed item's nodes, reset after each */
    const char *list_key;
    yaml_item_fn on_item; /* NULL while checking */
    void *user;
    size_t handed; /* items on_item took */
    bool streamed; /* the list was found: a second one would be kept */
    bool declined;
    ipr_status status;                /* not IPR_OK: stop (out of memory, on_item failed) */
    struct vec pairs[FAST_MAX_DEPTH]; /* struct ypair, per open mapping */
    struct vec kids[FAST_MAX_DEPTH];  /* struct ynode *, per open sequence */
};

/* ---- the text ------------------------------------------------------------------------ */

/* The code point of a valid UTF-8 sequence at u (w bytes), or 0 when the
 * bytes are not one (overlong, surrogate, beyond U+10FFFF, cut short). */
static uint32_t utf8_at(const unsigned char *u, size_t left, size_t *w)
{
    uint32_t cp;
    size_t n;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        cp = u[0] & 0x1Fu;
        n = 2;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        cp = u[0] & 0x0Fu;
        n = 3;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        cp = u[0] & 0x07u;
        n = 4;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (u[k] & 0x3Fu);
    }
    static const uint32_t min_of[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *w = n;
    return cp;
}

/* Is every character one the reader may pass on as libyaml would? */
static bool text_in_subset(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        i += bytescan_prefix(text + i, len - i, BYTESCAN_STOP_HIGH | BYTESCAN_STOP_CONTROL);
        if (i >= len)
            break;
        if (u[i] == '\n' || (u[i] >= 0x20 && u[i] < 0x80) ||
            (u[i] == '\r' && i + 1 < len && u[i + 1] == '\n')) {
            i++;
            continue;
        }
        size_t w = 1;
        uint32_t cp = u[i] >= 0x80 ? utf8_at(u + i, len - i, &w) : 0;
        /* below U+00A0: C1 controls and NEL; U+2028/9 break lines; U+FEFF
         * is skipped between tokens; U+FFFE/F are not printable */
        if (cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
            cp == 0xFFFF)
            return false;
        i += w;
    }
    return memchr(text, 0x7F, len) == NULL;
}

/* ---- lines ------------------------------------------------------------------------- */

static struct ynode *decline(struct fast *f)
{
    f->declined = true;
    return NULL;
}

/* Where the current line's text ends: at its LF, or at the CR of a CRLF
 * (a CR is only ever there, see text_in_subset). */
static size_t line_end(const struct fast *f)
{
    return f->end;
}

/* Makes the line at offset pos the current one. */
static void enter_line(struct fast *f, size_t pos)
{
    f->pos = pos;
    const char *nl = memchr(f->text + pos, '\n', f->len - pos);
    f->nl = nl ? (size_t)(nl - f->text) : f->len;
    f->end = f->nl > f->pos && f->text[f->nl - 1] == '\r' ? f->nl - 1 : f->nl;
}

static void next_line(struct fast *f)
{
    enter_line(f, f->nl < f->len ? f->nl + 1 : f->len);
    f->line++;
}

/* Moves past blank and comment lines.  False at the end of the text;
 * else *indent is the next line's indentation. */
static bool next_content(struct fast *f, size_t *indent)
{
    while (f->pos < f->len) {
        size_t i = f->pos;
        while (i < f->len && f->text[i] == ' ')
            i++;
        if (i < f->len && f->text[i] != '\n' && f->text[i] != '\r' && f->text[i] != '#') {
            *indent = i - f->pos;
            return true;
        }
        next_line(f);
    }
    return false;
}

/* The byte at offset i of the current line, '\n' at its end.  Nothing
 * reads past a line's end: every scan stops at the '\n' it reads there.
 * Before the end there is no CR (text_in_subset), and the CR of a CRLF
 * reads as the line end it is part of.  One comparison: this is what the
 * reader does most. */
static char at(const struct fast *f, size_t i)
{
    return i < f->end ? f->text[i] : '\n';
}

static bool is_blank_or_end(char c)
{
    return c == ' ' || c == '\n';
}

/* Does a "- " item (or a lone "-") start at offset i? */
static bool is_item(const struct fast *f, size_t i)
{
    return at(f, i) == '-' && is_blank_or_end(at(f, i + 1));
}

static bool key_start(char c)
{
    return ipr_is_ascii_word((unsigned char)c);
}

/* The length of a key at offset i followed by ':' and a blank or the line
 * end; 0 when there is none. */
static size_t key_at(const struct fast *f, size_t i)
{
    if (!key_start(at(f, i)))
        return 0;
    size_t n = 1;
    for (char c; (c = at(f, i + n)) != ':'; n++)
        if (!(key_start(c) || c == '-' || c == '.') || n >= FAST_MAX_KEY_LEN)
            return 0;
    return is_blank_or_end(at(f, i + n + 1)) ? n : 0;
}

/* After a value at offset i: only blanks and a comment may follow on the
 * line.  Moves to the next line. */
static bool finish_line(struct fast *f, size_t i)
{
    size_t start = i;
    while (at(f, i) == ' ')
        i++;
    if (at(f, i) != '\n' && !(at(f, i) == '#' && i > start))
        return false;
    next_line(f);
    return true;
}

/* ---- nodes ------------------------------------------------------------------------- */

static struct ynode *new_node(struct fast *f, enum ynode_kind kind, size_t offset)
{
    struct ynode *n = arena_alloc(f->arena, sizeof(*n));
    if (!n) {
        f->status = IPR_ENOMEM;
        return NULL;
    }
    /* a few stores, where arena_calloc called memset for every node */
    *n = (struct ynode){.kind = kind, .line = f->line, .col = (uint32_t)(offset - f->pos + 1)};
    return n;
}

static struct ynode *new_scalar(struct fast *f, size_t offset, const char *text, size_t len,
                                enum yscalar_style style)
{
    if (len > IPR_YAML_MAX_SCALAR_BYTES)
        return decline(f); /* libyaml's reading reports it */
    struct ynode *n = new_node(f, YNODE_SCALAR, offset);
    if (!n)
        return NULL;
    /* checking, the text is only compared (keys): it stays where it is;
     * else a copy with a NUL, made here (arena_strndup's call was a tenth
     * of reading a registry) */
    const char *copy = text;
    if (f->on_item) {
        char *p = arena_alloc_text(f->arena, len + 1);
        if (!p) {
            f->status = IPR_ENOMEM;
            return NULL;
        }
        memcpy(p, text, len);
        p[len] = '\0';
        copy = p;
    }
    n->u.scalar.text = copy;
    n->u.scalar.len = len;
    n->u.scalar.style = style;
    return n;
}

/* Gives a mapping or sequence node its children, copied out of v. */
static bool close_node(struct fast *f, struct ynode *n, struct vec *v)
{
    size_t count = v->count;
    v->count = 0;
    if (!f->on_item)
        return true; /* checking: the tree is not kept */
    size_t size = n->kind == YNODE_MAPPING ? sizeof(struct ypair) : sizeof(struct ynode *);
    /* filled from v at once: not zeroed first (v holds count * size bytes,
     * so the product does not overflow) */
    void *kids = arena_alloc(f->arena, count ? count * size : size);
    if (!kids) {
        f->status = IPR_ENOMEM;
        return false;
    }
    if (count)
        memcpy(kids, v->items, count * size);
    if (n->kind == YNODE_MAPPING) {
        n->u.map.pairs = kids;
        n->u.map.count = count;
    } else {
        n->u.seq.items = kids;
        n->u.seq.count = count;
    }
    return true;
}

/* Appends a pair; a key the mapping already has is for libyaml to report. */
static bool add_pair(struct fast *f, struct vec *pairs, struct ynode *key, struct ynode *value)
{
    if (pairs->count >= FAST_MAX_KEYS) {
        decline(f);
        return false;
    }
    for (size_t i = 0; i < pairs->count; i++) {
        const struct ynode *k = ((const struct ypair *)vec_at(pairs, i))->key;
        if (k->u.scalar.len == key->u.scalar.len &&
            memcmp(k->u.scalar.text, key->u.scalar.text, key->u.scalar.len) == 0) {
            decline(f);
            return false;
        }
    }
    /* vec_push's call and zeroing, spared while there is room */
    struct ypair *p =
        pairs->count < pairs->cap ? (struct ypair *)pairs->items + pairs->count++ : vec_push(pairs);
    if (!p) {
        f->status = IPR_ENOMEM;
        return false;
    }
    p->key = key;
    p->value = value;
    return true;
}

static bool add_kid(struct fast *f, struct vec *kids, struct ynode *node)
{
    struct ynode **slot =
        kids->count < kids->cap ? (struct ynode **)kids->items + kids->count++ : vec_push(kids);
    if (!slot) {
        f->status = IPR_ENOMEM;
        return false;
    }
    *slot = node;
    return true;
}

/* ---- the streamed list -------------------------------------------------------------- */

/* Is the value of this key the list whose items are handed over? */
static bool streams(const struct fast *f, const struct ynode *key, unsigned depth)
{
    return depth == 0 && !f->streamed && key->u.scalar.len == strlen(f->list_key) &&
           memcmp(key->u.scalar.text, f->list_key, key->u.scalar.len) == 0;
}

/* An item of the list is complete: handed over (when not checking) and
 * its nodes forgotten. */
static bool hand_over(struct fast *f, const struct ynode *item)
{
    if (f->on_item) {
        ipr_status st = f->on_item(item, f->user);
        if (st != IPR_OK) {
            f->status = st;
            return false;
        }
        f->handed++;
    }
    arena_reset(f->items);
    return true;
}

/* Items of a streamed list go into the items arena, the list node stays
 * in the tree's with none. */
static void stream_begin(struct fast *f)
{
    f->streamed = true;
    f->arena = f->items;
}

static void stream_end(struct fast *f)
{
    f->arena = f->tree;
}

/* ---- scalars and flow collections (one line) ---------------------------------------- */

static struct ynode *parse_flow(struct fast *f, size_t *i, unsigned depth, bool stream);

/* A quoted scalar at *i (on its quote); *i moves past the closing one. */
static struct ynode *parse_quoted(struct fast *f, size_t *i)
{
    size_t start = *i;
    char q = f->text[start];
    size_t end = line_end(f);
    if (q == '"') {
        const char *close = memchr(f->text + start + 1, '"', end - start - 1);
        if (!close || memchr(f->text + start + 1, '\\', (size_t)(close - f->text) - start - 1))
            return decline(f); /* escapes and lines folded inside quotes: libyaml's */
        *i = (size_t)(close - f->text) + 1;
        return new_scalar(f, start, f->text + start + 1, (size_t)(close - f->text) - start - 1,
                          YSCALAR_DOUBLE_QUOTED);
    }
    /* single quotes: '' is one quote */
    struct ynode *n = NULL;
    size_t k = start + 1, quotes = 0;
    for (;; k++) {
        if (k >= end)
            return decline(f);
        if (f->text[k] != '\'')
            continue;
        if (at(f, k + 1) != '\'')
            break;
        quotes++;
        k++;
    }
    *i = k + 1;
    if (!quotes)
        return new_scalar(f, start, f->text + start + 1, k - start - 1, YSCALAR_SINGLE_QUOTED);
    size_t len = k - start - 1 - quotes;
    char *text = malloc(len ? len : 1);
    if (!text) {
        f->status = IPR_ENOMEM;
        return NULL;
    }
    size_t o = 0;
    for (size_t p = start + 1; p < k; p++) {
        text[o++] = f->text[p];
        p += f->text[p] == '\'';
    }
    n = new_scalar(f, start, text, len, YSCALAR_SINGLE_QUOTED);
    free(text);
    return n;
}

/* Characters a plain scalar may not start with (YAML's indicators), and
 * the end of the text; a table, since every scalar asks. */
static const bool plain_start_bad[256] = {
    ['\0'] = true, ['\n'] = true, [' '] = true, ['-'] = true, ['?'] = true, [':'] = true,
    [','] = true,  ['['] = true,  [']'] = true, ['{'] = true, ['}'] = true, ['#'] = true,
    ['&'] = true,  ['*'] = true,  ['!'] = true, ['|'] = true, ['>'] = true, ['\''] = true,
    ['"'] = true,  ['%'] = true,  ['@'] = true, ['`'] = true};

static bool plain_start_ok(char c)
{
    return !plain_start_bad[(unsigned char)c];
}

/* A plain scalar at *i in a block (to the line end or " #"). */
static struct ynode *parse_plain_block(struct fast *f, size_t *i)
{
    size_t start = *i, end = line_end(f), k = start;
    for (; k < end; k++) {
        char c = f->text[k];
        if (c == '#' && f->text[k - 1] == ' ')
            break;
        if (c == ':' && is_blank_or_end(at(f, k + 1)))
            return decline(f); /* a mapping where a value stands: libyaml's error */
    }
    size_t stop = k;
    while (stop > start && f->text[stop - 1] == ' ')
        stop--;
    *i = stop;
    return new_scalar(f, start, f->text + start, stop - start, YSCALAR_PLAIN);
}

/* Bytes a plain scalar in a flow collection stops at: those that end it
 * (a line end, ",[]{}"), and ':' and '#', which need a closer look. */
enum { FLOW_END = 1, FLOW_LOOK = 2 };
static const uint8_t flow_class[256] = {
    ['\n'] = FLOW_END, [','] = FLOW_END, ['['] = FLOW_END,  [']'] = FLOW_END,
    ['{'] = FLOW_END,  ['}'] = FLOW_END, [':'] = FLOW_LOOK, ['#'] = FLOW_LOOK};

/* A plain scalar at *i in a flow collection: up to ",[]{}", the line end
 * or " #"; a ':' anywhere declines (libyaml's versions disagree on it). */
static struct ynode *parse_plain_flow(struct fast *f, size_t *i)
{
    size_t start = *i, k = start;
    for (;; k++) {
        char c = at(f, k);
        uint8_t cls = flow_class[(unsigned char)c];
        if (!cls)
            continue;
        if (c == ':')
            return decline(f);
        if (cls == FLOW_END || f->text[k - 1] == ' ')
            break; /* " #" starts a comment */
    }
    size_t stop = k;
    while (stop > start && f->text[stop - 1] == ' ')
        stop--;
    *i = stop;
    return new_scalar(f, start, f->text + start, stop - start, YSCALAR_PLAIN);
}

/* A value inside a flow collection. */
static struct ynode *parse_flow_value(struct fast *f, size_t *i, unsigned depth)
{
    char c = at(f, *i);
    if (c == '[' || c == '{')
        return parse_flow(f, i, depth, false);
    if (c == '"' || c == '\'')
        return parse_quoted(f, i);
    if (!plain_start_ok(c))
        return decline(f);
    return parse_plain_flow(f, i);
}

static void skip_spaces(const struct fast *f, size_t *i)
{
    while (at(f, *i) == ' ')
        (*i)++;
}

/* A flow sequence or mapping at *i (on its bracket), closed on the same
 * line; *i moves past the closing bracket.  With stream, the sequence is
 * the list: its items are handed over. */
static struct ynode *parse_flow(struct fast *f, size_t *i, unsigned depth, bool stream)
{
    if (depth >= FAST_MAX_DEPTH)
        return decline(f);
    bool is_map = f->text[*i] == '{';
    char close = is_map ? '}' : ']';
    struct ynode *n = new_node(f, is_map ? YNODE_MAPPING : YNODE_SEQUENCE, *i);
    if (!n)
        return NULL;
    struct vec *kids = is_map ? &f->pairs[depth] : &f->kids[depth];
    kids->count = 0;
    if (stream)
        stream_begin(f);
    (*i)++;
    skip_spaces(f, i);
    bool first = true;
    while (at(f, *i) != close) {
        if (!first) {
            if (at(f, *i) != ',')
                return decline(f); /* includes a line end: one line only */
            (*i)++;
            skip_spaces(f, i);
            if (at(f, *i) == close)
                return decline(f); /* a trailing comma */
        }
        first = false;
        struct ynode *key = NULL;
        if (is_map) {
            /* a plain key and ": " */
            size_t k = *i;
            while (key_start(at(f, k)) || ((at(f, k) == '-' || at(f, k) == '.') && k > *i))
                k++;
            if (k == *i || at(f, k) != ':' || at(f, k + 1) != ' ' || k - *i > FAST_MAX_KEY_LEN)
                return decline(f);
            key = new_scalar(f, *i, f->text + *i, k - *i, YSCALAR_PLAIN);
            if (!key)
                return NULL;
            *i = k + 1;
            skip_spaces(f, i);
            if (at(f, *i) == ',' || at(f, *i) == close)
                return decline(f); /* an empty value */
        }
        struct ynode *value = parse_flow_value(f, i, depth + 1);
        if (!value)
            return NULL;
        skip_spaces(f, i);
        if (is_map   ? !add_pair(f, kids, key, value)
            : stream ? !hand_over(f, value)
                     : !add_kid(f, kids, value))
            return NULL;
    }
    (*i)++;
    if (stream)
        stream_end(f);
    return close_node(f, n, kids) ? n : NULL;
}

/* A value on a line, at *i: a flow collection or a scalar. */
static struct ynode *parse_inline(struct fast *f, size_t *i, unsigned depth, bool stream)
{
    char c = at(f, *i);
    if (c == '[' || c == '{')
        return c == '[' || !stream ? parse_flow(f, i, depth, stream) : decline(f);
    if (stream)
        return decline(f); /* a list that is a scalar: libyaml's path reports it */
    if (c == '"' || c == '\'')
        return parse_quoted(f, i);
    if (!plain_start_ok(c))
        return decline(f);
    return parse_plain_block(f, i);
}

/* ---- block collections ------------------------------------------------------------- */

static struct ynode *parse_block(struct fast *f, size_t indent, unsigned depth, bool stream);
static struct ynode *parse_mapping(struct fast *f, size_t col, unsigned depth);

/* The value after "key:" or "- " at offset i of the current line, whose
 * block is at indentation `indent`; `under_key` allows a sequence at the
 * key's own indentation. */
static struct ynode *parse_value(struct fast *f, size_t i, size_t indent, unsigned depth,
                                 bool under_key, bool stream)
{
    size_t after = i;
    skip_spaces(f, &i);
    if (at(f, i) != '\n' && !(at(f, i) == '#' && i > after)) {
        struct ynode *v = parse_inline(f, &i, depth, stream);
        if (v && !finish_line(f, i))
            return decline(f);
        return v;
    }
    next_line(f);
    size_t next;
    if (!next_content(f, &next))
        return decline(f); /* an empty value */
    if (next > indent)
        return parse_block(f, next, depth, stream);
    if (under_key && next == indent && is_item(f, f->pos + next))
        return parse_block(f, next, depth, stream);
    return decline(f);
}

/* A block sequence whose first '-' is at indentation `indent` of the
 * current line. */
static struct ynode *parse_sequence(struct fast *f, size_t indent, unsigned depth, bool stream)
{
    struct ynode *n = new_node(f, YNODE_SEQUENCE, f->pos + indent);
    if (!n)
        return NULL;
    struct vec *kids = &f->kids[depth];
    kids->count = 0;
    if (stream)
        stream_begin(f);
    size_t next = indent;
    do {
        size_t i = f->pos + next + 1;
        skip_spaces(f, &i);
        struct ynode *item;
        if (key_at(f, i))
            item = parse_mapping(f, i - f->pos, depth + 1);
        else if (is_item(f, i))
            item = decline(f); /* "- - x": libyaml's */
        else
            item = parse_value(f, f->pos + next + 1, indent, depth + 1, false, false);
        if (!item || !(stream ? hand_over(f, item) : add_kid(f, kids, item)))
            return NULL;
        if (!next_content(f, &next))
            break;
    } while (next == indent && is_item(f, f->pos + next));
    if (next > indent && f->pos < f->len)
        return decline(f);
    if (stream)
        stream_end(f);
    return close_node(f, n, kids) ? n : NULL;
}

/* A block mapping whose first key is at column `col` of the current line;
 * the following keys are at the start of lines indented by col. */
static struct ynode *parse_mapping(struct fast *f, size_t col, unsigned depth)
{
    if (depth >= FAST_MAX_DEPTH)
        return decline(f);
    struct ynode *n = new_node(f, YNODE_MAPPING, f->pos + col);
    if (!n)
        return NULL;
    struct vec *pairs = &f->pairs[depth];
    pairs->count = 0;
    size_t next = col;
    for (;;) {
        size_t k = f->pos + next, klen = key_at(f, k);
        if (!klen)
            return decline(f); /* a line that is not a key where one must be */
        struct ynode *key = new_scalar(f, k, f->text + k, klen, YSCALAR_PLAIN);
        if (!key)
            return NULL;
        bool stream = streams(f, key, depth);
        struct ynode *value = parse_value(f, k + klen + 1, col, depth + 1, true, stream);
        if (!value)
            return NULL;
        if (stream && value->kind != YNODE_SEQUENCE)
            return decline(f);
        if (!add_pair(f, pairs, key, value))
            return NULL;
        if (!next_content(f, &next) || next < col)
            break;
        if (next > col || is_item(f, f->pos + next))
            return decline(f);
    }
    return close_node(f, n, pairs) ? n : NULL;
}

static struct ynode *parse_block(struct fast *f, size_t indent, unsigned depth, bool stream)
{
    if (depth >= FAST_MAX_DEPTH)
        return decline(f);
    if (is_item(f, f->pos + indent))
        return parse_sequence(f, indent, depth, stream);
    if (stream)
        return decline(f);
    return parse_mapping(f, indent, depth);
}

/* ---- the document ------------------------------------------------------------------ */

/* One pass over the text; false when it declined or stopped. */
static bool read_document(struct fast *f, struct ynode **root)
{
    enter_line(f, 0);
    f->line = 1;
    f->streamed = false;
    f->arena = f->tree;
    size_t indent;
    if (!next_content(f, &indent) || indent != 0) {
        decline(f);
        return false;
    }
    *root = parse_mapping(f, 0, 0);
    if (!*root)
        return false;
    if (next_content(f, &indent)) {
        decline(f); /* something after the root mapping */
        return false;
    }
    return true;
}

enum yaml_fast_result yaml_fast_parse_items(struct arena *arena, const char *text, size_t len,
                                            const char *list_key, yaml_item_fn on_item,
                                            yaml_restart_fn on_restart, void *user,
                                            struct ynode **root, ipr_status *status)
{
    *root = NULL;
    *status = IPR_OK;
    if (!list_key || !on_item || !text_in_subset(text, len))
        return YAML_FAST_DECLINED;
    struct fast f;
    memset(&f, 0, sizeof(f));
    f.text = text;
    f.len = len;
    f.list_key = list_key;
    f.user = user;
    for (size_t d = 0; d < FAST_MAX_DEPTH; d++) {
        vec_init(&f.pairs[d], sizeof(struct ypair));
        vec_init(&f.kids[d], sizeof(struct ynode *));
    }
    struct arena items;
    arena_init(&items, 16u * 1024u);
    f.items = &items;
    bool ok = true;
    if (!on_restart) {
        /* first the whole text without handing anything over, so that a
         * decline leaves nothing half done; then for real */
        struct arena check_tree;
        arena_init(&check_tree, 16u * 1024u);
        f.tree = &check_tree;
        struct ynode *checked;
        ok = read_document(&f, &checked);
        arena_release(&check_tree);
    }
    enum yaml_fast_result result = YAML_FAST_DECLINED;
    if (ok) {
        f.tree = arena;
        f.on_item = on_item;
        if (read_document(&f, root))
            result = YAML_FAST_DONE;
        else if (f.status != IPR_OK)
            result = YAML_FAST_FAILED;
        else if (!on_restart) {
            f.status = IPR_EINVAL; /* the two passes disagree: cannot happen */
            result = YAML_FAST_FAILED;
        } else if (f.handed && (f.status = on_restart(user)) != IPR_OK)
            result = YAML_FAST_FAILED;
        /* else not in the subset after all: declined, nothing left handed over */
    } else if (f.status != IPR_OK) {
        result = YAML_FAST_FAILED;
    }
    if (result != YAML_FAST_DONE)
        *root = NULL;
    *status = f.status;
    for (size_t d = 0; d < FAST_MAX_DEPTH; d++) {
        vec_release(&f.pairs[d]);
        vec_release(&f.kids[d]);
    }
    arena_release(&items);
    return result;
}
