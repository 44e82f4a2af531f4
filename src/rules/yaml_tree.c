/*
 * yaml_tree.c - libyaml events -> struct ynode tree (see yaml_tree.h).
 *
 * libyaml marks count characters; the library reports byte columns, so each
 * mark is converted by walking the text with libyaml's own notion of a line
 * break (LF, CR, CRLF, NEL, LS, PS).  Events arrive in document order, so a
 * cursor that only moves forward makes the conversion linear overall.  Open
 * containers sit on a fixed stack of IPR_YAML_MAX_DEPTH frames: the depth
 * check happens on the event stream, before any deep structure exists.
 */
#include "yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

#include "../base/bytescan.h"
#include "../base/limits.h"
#include "../base/vec.h"
#include "yaml_fast.h"

/* ---- positions -------------------------------------------------------------- */

struct cursor {
    const unsigned char *text;
    size_t len;
    size_t line;       /* 0-based line the cursor is on */
    size_t line_start; /* byte offset of that line */
    size_t off;        /* byte offset of the cursor */
    size_t chars;      /* characters between line_start and off */
    size_t plain_end;  /* the line's bytes before this one are ASCII, no breaks */
    bool plain_known;  /* plain_end was found for this line */
    bool ascii;        /* the whole text is ASCII: libyaml's characters are bytes */
};

/* Width of the line break at p, 0 when there is none (libyaml's IS_BREAK). */
static size_t break_width(const unsigned char *p, size_t left)
{
    if (p[0] == '\n')
        return 1;
    if (p[0] == '\r')
        return left > 1 && p[1] == '\n' ? 2 : 1;
    if (p[0] == 0xC2 && left > 1 && p[1] == 0x85)
        return 2;
    if (p[0] == 0xE2 && left > 2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    return 0;
}

static size_t utf8_width(unsigned char lead)
{
    if (lead < 0xC0)
        return 1;
    if (lead < 0xE0)
        return 2;
    return lead < 0xF0 ? 3 : 4;
}

/* Where the cursor's line stops being plain ASCII (a character a byte):
 * at its end, or at its first other byte.  Most lines of a registry are
 * plain all through, and a node on them is found without a walk. */
static void find_plain_end(struct cursor *c)
{
    size_t k = c->line_start;
    k += bytescan_ascii_line((const char *)c->text + k, c->len - k);
    while (k < c->len && c->text[k] > 0 && c->text[k] < 0x80 && c->text[k] != '\n' &&
           c->text[k] != '\r')
        k++;
    c->plain_end = k;
    c->plain_known = true;
}

/* libyaml (line, column), both 0-based, in characters -> 1-based line and
 * byte column. */
static void mark_pos(struct cursor *c, size_t line, size_t column, uint32_t *out_line,
                     uint32_t *out_col)
{
    if (c->ascii) {
        /* a registry of 100,000 marks has some 2 million nodes: walking the
         * text to each took a twentieth of loading it */
        *out_line = (uint32_t)(line + 1);
        *out_col = (uint32_t)(column + 1);
        return;
    }
    if (line < c->line || (line == c->line && column < c->chars)) {
        c->line = 0;
        c->line_start = 0;
        c->off = 0;
        c->chars = 0;
        c->plain_known = false;
    }
    if (!c->plain_known)
        find_plain_end(c);
    /* the bytes a line break can start with: the other non-ASCII bytes are
     * skipped by one table lookup each */
    static const bool break_lead[256] = {
        ['\n'] = true, ['\r'] = true, [0xC2] = true, [0xE2] = true};
    while (c->line < line && c->off < c->len) {
        if (c->off < c->plain_end)
            c->off = c->plain_end; /* no break before it */
        const unsigned char *p = c->text + c->off, *end = c->text + c->len;
        while (p < end && !break_lead[*p])
            p++;
        c->off = (size_t)(p - c->text);
        if (p == end)
            break;
        size_t w = break_width(c->text + c->off, c->len - c->off);
        if (w) {
            c->line++;
            c->off += w;
            c->line_start = c->off;
            c->chars = 0;
            find_plain_end(c);
        } else {
            c->off++;
        }
    }
    if (c->line == line && c->chars < column && c->off < c->plain_end) {
        /* within the plain part of the line, characters are bytes: the
         * cursor is there (chars == off - line_start) */
        size_t plain_chars = c->plain_end - c->line_start;
        size_t to = column < plain_chars ? column : plain_chars;
        c->off = c->line_start + to;
        c->chars = to;
    }
    while (c->line == line && c->chars < column && c->off < c->len) {
        unsigned char b = c->text[c->off];
        if (b < 0x80 && b != '\n' && b != '\r') {
            c->off++; /* ASCII: one byte, one character, no line break */
            c->chars++;
            continue;
        }
        if (break_width(c->text + c->off, c->len - c->off))
            break;
        size_t w = utf8_width(b);
        c->off += w < c->len - c->off ? w : c->len - c->off;
        c->chars++;
    }
    *out_line = (uint32_t)(line + 1);
    *out_col = (uint32_t)(c->off - c->line_start + 1);
}

/* A byte offset -> 1-based line and byte column.  Used once, for errors. */
static void offset_pos(const unsigned char *text, size_t len, size_t offset, uint32_t *out_line,
                       uint32_t *out_col)
{
    size_t line = 0, start = 0;
    for (size_t i = 0; i < offset && i < len;) {
        size_t w = break_width(text + i, len - i);
        if (w && i + w <= offset) {
            line++;
            i += w;
            start = i;
        } else {
            i++;
        }
    }
    *out_line = (uint32_t)(line + 1);
    *out_col = (uint32_t)(offset - start + 1);
}

/* ---- node queries for the schema walk --------------------------------------------- */

bool ynode_is_null(const struct ynode *node)
{
    if (!node || node->kind != YNODE_SCALAR || node->u.scalar.style != YSCALAR_PLAIN)
        return false;
    /* by length first: a registry asks this of every value it reads */
    const char *t = node->u.scalar.text;
    switch (node->u.scalar.len) {
    case 0:
        return true;
    case 1:
        return t[0] == '~';
    case 4:
        return memcmp(t, "null", 4) == 0 || memcmp(t, "Null", 4) == 0 || memcmp(t, "NULL", 4) == 0;
    default:
        return false;
    }
}

bool ynode_is_quoted(const struct ynode *node)
{
    return node && node->kind == YNODE_SCALAR &&
           (node->u.scalar.style == YSCALAR_SINGLE_QUOTED ||
            node->u.scalar.style == YSCALAR_DOUBLE_QUOTED);
}

const char *ynode_describe(const struct ynode *node)
{
    if (!node || ynode_is_null(node))
        return "nothing";
    switch (node->kind) {
    case YNODE_SCALAR:
        return "a scalar";
    case YNODE_SEQUENCE:
        return "a sequence";
    case YNODE_MAPPING:
        return "a mapping";
    case YNODE_BAD:
        break;
    }
    return "an alias";
}

void yaml_excerpt(char *out, size_t out_cap, const char *text, size_t len)
{
    static const char ellipsis[] = "...";
    size_t o = 0;
    /* leave room for "..." and the NUL */
    size_t room = out_cap > sizeof(ellipsis) ? out_cap - sizeof(ellipsis) : 0;
    size_t i = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)text[i];
        size_t w = utf8_width(ch);
        if (w > len - i)
            w = len - i;
        if (o + w > room)
            break;
        if (ch < 0x20 || ch == 0x7F) {
            out[o++] = '?'; /* keep a message on one line and free of escapes */
        } else {
            memcpy(out + o, text + i, w);
            o += w;
        }
        i += w;
    }
    if (i < len && o + sizeof(ellipsis) <= out_cap) {
        memcpy(out + o, ellipsis, sizeof(ellipsis) - 1);
        o += sizeof(ellipsis) - 1;
    }
    if (out_cap)
        out[o < out_cap ? o : out_cap - 1] = '\0';
}

/* ---- the builder ------------------------------------------------------------------ */

/* A container being read.  Both children vectors stay allocated from one
 * container to the next at the same depth: a registry of 25,000 marks is
 * 25,000 mappings, and each used to allocate and free its own. */
struct frame {
    struct ynode *node;
    struct vec items;  /* struct ynode *, when node is a sequence */
    struct vec pairs;  /* struct ypair, when node is a mapping */
    struct vec *kids;  /* the one of the two in use */
    struct ynode *key; /* mapping: a key still waiting for its value */
};

/* The sequence whose items are handed over (yaml_tree_parse_items). */
struct stream {
    const char *list_key; /* NULL: keep everything */
    yaml_item_fn on_item;
    void *user;
    struct arena items; /* the nodes of the item being read; reset after each */
    struct arena *tree; /* the tree's own arena, while items are read */
    size_t depth;       /* the builder's depth inside the sequence; 0: not in it */
    bool started;       /* the sequence was found: a second one is kept */
};

struct builder {
    struct arena *arena; /* where new nodes go: the tree's, or stream.items */
    struct stream stream;
    struct diag_list *diags;
    const char *file;
    struct cursor cur;
    struct frame frames[IPR_YAML_MAX_DEPTH];
    size_t depth;
    struct ynode *root;
    unsigned documents;
    size_t errors_before; /* the diagnostics' error count when parsing began */
};

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, const yaml_mark_t *mark)
{
    struct ynode *n = arena_calloc(b->arena, 1, sizeof(*n));
    if (n) {
        n->kind = kind;
        mark_pos(&b->cur, mark->line, mark->column, &n->line, &n->col);
    }
    return n;
}

static ipr_status attach(struct builder *b, struct ynode *node)
{
    if (b->depth == 0) {
        b->root = node;
        return IPR_OK;
    }
    if (b->depth == b->stream.depth) {
        /* an item of the streamed sequence: handed over, then forgotten */
        ipr_status st = b->stream.on_item(node, b->stream.user);
        arena_reset(&b->stream.items);
        return st;
    }
    struct frame *f = &b->frames[b->depth - 1];
    if (f->node->kind == YNODE_SEQUENCE) {
        struct ynode **slot = vec_push(f->kids);
        if (!slot)
            return IPR_ENOMEM;
        *slot = node;
        return IPR_OK;
    }
    if (!f->key) {
        f->key = node;
        return IPR_OK;
    }
    struct ypair *pair = vec_push(f->kids);
    if (!pair)
        return IPR_ENOMEM;
    pair->key = f->key;
    pair->value = node;
    f->key = NULL;
    return IPR_OK;
}

/* Shows a resolved tag the way it is usually written. */
static void tag_display(const char *tag, char *out, size_t cap)
{
    static const char core[] = "tag:yaml.org,2002:";
    if (strncmp(tag, core, sizeof(core) - 1) == 0)
        snprintf(out, cap, "!!%s", tag + sizeof(core) - 1);
    else
        snprintf(out, cap, "%s", tag);
}

/* Anchors and tags are reported but the node is kept: the rest of the pack
 * can still be checked. */
static void check_properties(struct builder *b, const yaml_mark_t *mark, const yaml_char_t *anchor,
                             const yaml_char_t *tag)
{
    if (!anchor && !tag)
        return;
    uint32_t line, col;
    mark_pos(&b->cur, mark->line, mark->column, &line, &col);
    char shown[YAML_EXCERPT_CAP];
    if (anchor) {
        yaml_excerpt(shown, sizeof(shown), (const char *)anchor, strlen((const char *)anchor));
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col,
                 "anchor '&%s' is not allowed in a rule pack", shown);
    }
    if (tag) {
        char full[YAML_EXCERPT_CAP + 8];
        yaml_excerpt(shown, sizeof(shown), (const char *)tag, strlen((const char *)tag));
        tag_display(shown, full, sizeof(full));
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col,
                 "tag '%s' is not allowed in a rule pack", full);
    }
}

static bool same_key(const struct ynode *x, const struct ynode *y)
{
    return x->u.scalar.len == y->u.scalar.len &&
           memcmp(x->u.scalar.text, y->u.scalar.text, x->u.scalar.len) == 0;
}

static int cmp_keyref(const void *pa, const void *pb)
{
    const struct ypair *const *a = pa, *const *b = pb;
    const struct ynode *x = (*a)->key, *y = (*b)->key;
    size_t n = x->u.scalar.len < y->u.scalar.len ? x->u.scalar.len : y->u.scalar.len;
    int c = memcmp(x->u.scalar.text, y->u.scalar.text, n);
    if (c)
        return c;
    if (x->u.scalar.len != y->u.scalar.len)
        return x->u.scalar.len < y->u.scalar.len ? -1 : 1;
    return *a < *b ? -1 : (*a > *b); /* document order inside a run of equal keys */
}

/* Drops later duplicates of a scalar key (nulling their key) after
 * reporting each where it stands.  Sorting keeps a hostile mapping with a
 * million keys from costing a million squared. */
static ipr_status drop_duplicates(struct builder *b, struct ypair *pairs, size_t count)
{
    if (count < 2)
        return IPR_OK;
    /* the usual mapping (a rule, a mark) has a handful of keys: compared
     * pairwise, without allocating */
    enum { SMALL_MAPPING = 16 };
    const struct ynode *small_first[SMALL_MAPPING] = {0};
    struct ypair **refs = NULL;
    const struct ynode **first = small_first; /* by pair index */
    if (count <= SMALL_MAPPING) {
        for (size_t i = 1; i < count; i++)
            for (size_t j = 0; j < i && pairs[i].key->kind == YNODE_SCALAR; j++)
                if (pairs[j].key->kind == YNODE_SCALAR && same_key(pairs[j].key, pairs[i].key)) {
                    first[i] = pairs[j].key;
                    break;
                }
    } else {
        refs = malloc(count * sizeof(*refs));
        first = calloc(count, sizeof(*first));
        if (!refs || !first) {
            free(refs);
            free((void *)first);
            return IPR_ENOMEM;
        }
        size_t nrefs = 0;
        for (size_t i = 0; i < count; i++)
            if (pairs[i].key->kind == YNODE_SCALAR)
                refs[nrefs++] = &pairs[i];
        qsort(refs, nrefs, sizeof(*refs), cmp_keyref);
        for (size_t i = 1; i < nrefs; i++) {
            if (!same_key(refs[i - 1]->key, refs[i]->key))
                continue;
            const struct ynode *head = first[refs[i - 1] - pairs];
            first[refs[i] - pairs] = head ? head : refs[i - 1]->key;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (!first[i])
            continue;
        const struct ynode *k = pairs[i].key;
        pairs[i].key = NULL;
        if (b->diags->error_count - b->errors_before >= IPR_YAML_MAX_ERRORS)
            continue; /* the next event reports "too many errors" */
        char shown[YAML_EXCERPT_CAP];
        yaml_excerpt(shown, sizeof(shown), k->u.scalar.text, k->u.scalar.len);
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, k->line, k->col,
                 "duplicate key '%s' (first at line %u)", shown, (unsigned)first[i]->line);
    }
    if (first != small_first) {
        free(refs);
        free((void *)first);
    }
    return IPR_OK;
}

static ipr_status close_container(struct builder *b)
{
    if (b->depth == b->stream.depth) {
        /* the streamed sequence ends: its node is the tree's, and empty */
        b->arena = b->stream.tree;
        b->stream.depth = 0;
    }
    struct frame *f = &b->frames[--b->depth];
    struct ynode *n = f->node;
    ipr_status st = IPR_OK;
    size_t count = f->kids->count;
    if (n->kind == YNODE_SEQUENCE) {
        n->u.seq.items = arena_calloc(b->arena, count ? count : 1, sizeof(struct ynode *));
        if (!n->u.seq.items)
            st = IPR_ENOMEM;
        else if (count)
            memcpy(n->u.seq.items, f->kids->items, count * sizeof(struct ynode *));
        n->u.seq.count = count;
    } else {
        st = drop_duplicates(b, f->kids->items, count);
        n->u.map.pairs =
            st == IPR_OK ? arena_calloc(b->arena, count ? count : 1, sizeof(struct ypair)) : NULL;
        if (!n->u.map.pairs)
            st = IPR_ENOMEM;
        size_t kept = 0;
        for (size_t i = 0; st == IPR_OK && i < count; i++) {
            const struct ypair *p = (const struct ypair *)vec_at(f->kids, i);
            if (p->key)
                n->u.map.pairs[kept++] = *p;
        }
        n->u.map.count = kept;
    }
    f->kids->count = 0; /* kept for the next container at this depth */
    return st == IPR_OK ? attach(b, n) : st;
}

static ipr_status open_container(struct builder *b, enum ynode_kind kind, const yaml_event_t *ev)
{
    if (b->depth == IPR_YAML_MAX_DEPTH) {
        uint32_t line, col;
        mark_pos(&b->cur, ev->start_mark.line, ev->start_mark.column, &line, &col);
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "nesting deeper than %u levels",
                 IPR_YAML_MAX_DEPTH);
        return IPR_ERULES;
    }
    const yaml_char_t *anchor =
        kind == YNODE_SEQUENCE ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    const yaml_char_t *tag =
        kind == YNODE_SEQUENCE ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;
    check_properties(b, &ev->start_mark, anchor, tag);
    struct ynode *n = new_node(b, kind, &ev->start_mark);
    if (!n)
        return IPR_ENOMEM;
    /* the first sequence under the root mapping's list_key is streamed */
    const struct frame *root = b->depth == 1 ? &b->frames[0] : NULL;
    bool stream = kind == YNODE_SEQUENCE && b->stream.list_key && !b->stream.started && root &&
                  root->node->kind == YNODE_MAPPING && root->key &&
                  root->key->kind == YNODE_SCALAR &&
                  strcmp(root->key->u.scalar.text, b->stream.list_key) == 0;
    struct frame *f = &b->frames[b->depth++];
    f->node = n;
    f->key = NULL;
    f->kids = kind == YNODE_SEQUENCE ? &f->items : &f->pairs;
    f->kids->count = 0;
    if (stream) {
        b->stream.started = true;
        b->stream.depth = b->depth;
        b->stream.tree = b->arena;
        b->arena = &b->stream.items;
    }
    return IPR_OK;
}

static enum yscalar_style scalar_style(yaml_scalar_style_t style)
{
    switch (style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return YSCALAR_SINGLE_QUOTED;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return YSCALAR_DOUBLE_QUOTED;
    case YAML_LITERAL_SCALAR_STYLE:
        return YSCALAR_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return YSCALAR_FOLDED;
    default:
        return YSCALAR_PLAIN;
    }
}

static ipr_status on_scalar(struct builder *b, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    check_properties(b, &ev->start_mark, ev->data.scalar.anchor, ev->data.scalar.tag);
    if (len > IPR_YAML_MAX_SCALAR_BYTES) {
        uint32_t line, col;
        mark_pos(&b->cur, ev->start_mark.line, ev->start_mark.column, &line, &col);
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "scalar longer than %u bytes",
                 IPR_YAML_MAX_SCALAR_BYTES);
        return IPR_ERULES;
    }
    struct ynode *n;
    if (memchr(value, '\0', len)) {
        /* only a "\0" escape gets here: the text itself has no NUL */
        n = new_node(b, YNODE_BAD, &ev->start_mark);
        if (!n)
            return IPR_ENOMEM;
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, n->line, n->col,
                 "NUL character in a scalar is not allowed in a rule pack");
        return attach(b, n);
    }
    n = new_node(b, YNODE_SCALAR, &ev->start_mark);
    if (!n)
        return IPR_ENOMEM;
    n->u.scalar.text = arena_strndup(b->arena, value, len);
    if (!n->u.scalar.text)
        return IPR_ENOMEM;
    n->u.scalar.len = len;
    n->u.scalar.style = scalar_style(ev->data.scalar.style);
    return attach(b, n);
}

static ipr_status on_event(struct builder *b, const yaml_event_t *ev, bool *done)
{
    /* a hostile pack of a million anchors must not become a million messages */
    if (b->diags->error_count - b->errors_before >= IPR_YAML_MAX_ERRORS) {
        uint32_t line, col;
        mark_pos(&b->cur, ev->start_mark.line, ev->start_mark.column, &line, &col);
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "too many errors; stopping after %u",
                 IPR_YAML_MAX_ERRORS);
        return IPR_ERULES;
    }
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            uint32_t line, col;
            mark_pos(&b->cur, ev->start_mark.line, ev->start_mark.column, &line, &col);
            diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col,
                     "a rule pack holds one YAML document; this is a second one");
            return IPR_ERULES;
        }
        return IPR_OK;
    case YAML_ALIAS_EVENT: {
        struct ynode *n = new_node(b, YNODE_BAD, &ev->start_mark);
        if (!n)
            return IPR_ENOMEM;
        const char *name = (const char *)ev->data.alias.anchor;
        char shown[YAML_EXCERPT_CAP];
        yaml_excerpt(shown, sizeof(shown), name, strlen(name));
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, n->line, n->col,
                 "alias '*%s' is not allowed in a rule pack", shown);
        return attach(b, n);
    }
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return open_container(b, YNODE_SEQUENCE, ev);
    case YAML_MAPPING_START_EVENT:
        return open_container(b, YNODE_MAPPING, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return b->depth ? close_container(b) : IPR_OK;
    case YAML_STREAM_END_EVENT:
        *done = true;
        return IPR_OK;
    default:
        return IPR_OK;
    }
}

static ipr_status report_parser_error(struct builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return IPR_ENOMEM;
    uint32_t line, col;
    const char *problem = p->problem ? p->problem : "cannot parse the YAML";
    if (p->error == YAML_READER_ERROR) {
        offset_pos(b->cur.text, b->cur.len, p->problem_offset, &line, &col);
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "%s", problem);
        return IPR_ERULES;
    }
    mark_pos(&b->cur, p->problem_mark.line, p->problem_mark.column, &line, &col);
    if (p->context) {
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "%s (%s that starts at line %u)",
                 problem, p->context, (unsigned)p->context_mark.line + 1);
    } else {
        diag_add(b->diags, IPR_DIAG_ERROR, b->file, line, col, "%s", problem);
    }
    return IPR_ERULES;
}

static ipr_status parse_items(struct arena *arena, struct diag_list *diags, const char *file,
                              const char *text, size_t text_len, const char *list_key,
                              yaml_item_fn on_item, yaml_restart_fn on_restart, void *user,
                              bool fast, struct ynode **root);

ipr_status yaml_tree_parse(struct arena *arena, struct diag_list *diags, const char *file,
                           const char *text, size_t text_len, struct ynode **root)
{
    return parse_items(arena, diags, file, text, text_len, NULL, NULL, NULL, NULL, false, root);
}

static ipr_status parse_items(struct arena *arena, struct diag_list *diags, const char *file,
                              const char *text, size_t text_len, const char *list_key,
                              yaml_item_fn on_item, yaml_restart_fn on_restart, void *user,
                              bool fast, struct ynode **root)
{
    *root = NULL;
    if (text_len > IPR_YAML_MAX_FILE_BYTES) {
        diag_add(diags, IPR_DIAG_ERROR, file, 0, 0, "rule pack larger than %u bytes",
                 IPR_YAML_MAX_FILE_BYTES);
        return IPR_ERULES;
    }
    /* positions are counted after the BOM, as an editor shows them */
    if (text_len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        text_len -= 3;
    }
    if (fast) {
        /* a registry in plain YAML is read without libyaml (yaml_fast.h), and
         * without the position and NUL scans below: it declines a NUL */
        ipr_status st;
        enum yaml_fast_result r = yaml_fast_parse_items(arena, text, text_len, list_key, on_item,
                                                        on_restart, user, root, &st);
        if (r != YAML_FAST_DECLINED)
            return r == YAML_FAST_DONE ? IPR_OK : st;
    }
    struct builder b;
    memset(&b, 0, sizeof(b));
    b.arena = arena;
    b.stream.list_key = on_item ? list_key : NULL;
    b.stream.on_item = on_item;
    b.stream.user = user;
    arena_init(&b.stream.items, 16u * 1024u);
    b.diags = diags;
    b.file = file;
    b.errors_before = diags->error_count;
    for (size_t d = 0; d < IPR_YAML_MAX_DEPTH; d++) {
        vec_init(&b.frames[d].items, sizeof(struct ynode *));
        vec_init(&b.frames[d].pairs, sizeof(struct ypair));
    }
    b.cur.text = (const unsigned char *)text;
    b.cur.len = text_len;
    size_t ascii = bytescan_ascii(text, text_len); /* a prefix; the rest byte by byte */
    while (ascii < text_len && (unsigned char)text[ascii] < 0x80)
        ascii++;
    b.cur.ascii = ascii == text_len;
    const char *nul = memchr(text, '\0', text_len);
    if (nul) {
        uint32_t line, col;
        offset_pos(b.cur.text, text_len, (size_t)(nul - text), &line, &col);
        diag_add(diags, IPR_DIAG_ERROR, file, line, col, "NUL byte in a rule pack");
        return IPR_ERULES;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return IPR_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, text_len);
    /* UTF-16 would make byte columns meaningless; packs are UTF-8 */
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    ipr_status st = IPR_OK;
    bool done = false;
    while (st == IPR_OK && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = report_parser_error(&b, &parser);
            break;
        }
        st = on_event(&b, &ev, &done);
        yaml_event_delete(&ev);
    }
    for (size_t d = 0; d < IPR_YAML_MAX_DEPTH; d++) {
        vec_release(&b.frames[d].items);
        vec_release(&b.frames[d].pairs);
    }
    arena_release(&b.stream.items);
    yaml_parser_delete(&parser);
    if (st == IPR_OK)
        *root = b.root;
    return st;
}

ipr_status yaml_tree_parse_items(struct arena *arena, struct diag_list *diags, const char *file,
                                 const char *text, size_t text_len, const char *list_key,
                                 yaml_item_fn on_item, yaml_restart_fn on_restart, void *user,
                                 struct ynode **root)
{
    return parse_items(arena, diags, file, text, text_len, list_key, on_item, on_restart, user,
                       true, root);
}

ipr_status yaml_tree_parse_events(struct arena *arena, struct diag_list *diags, const char *file,
                                  const char *text, size_t text_len, const char *list_key,
                                  yaml_item_fn on_item, void *user, struct ynode **root)
{
    return parse_items(arena, diags, file, text, text_len, list_key, on_item, NULL, user, false,
                       root);
}
