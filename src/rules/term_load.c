/*
 * term_load.c - term lists: inline sequences and `{file: PATH}` term files
 * (see docs/rules.md "Term lists").
 *
 * Every term keeps the file and line:col it came from, so the compiler can
 * point at the term itself.  A term file is read through the caller's
 * read_file hook, never opened here, and is checked for NUL bytes and UTF-8
 * before any term is taken from it.
 */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"

/* ---- term lists ------------------------------------------------------------------ */

/* Inline terms of a sequence; owner names it in messages ("list 'x'"). */
struct term *term_load_inline(struct loader *ld, const struct ynode *seq, const char *owner,
                              size_t *count)
{
    *count = 0;
    struct term *terms = loader_array(ld, seq->u.seq.count, sizeof(struct term));
    if (!terms)
        return NULL;
    for (size_t i = 0; i < seq->u.seq.count; i++) {
        const struct ynode *t = seq->u.seq.items[i];
        if (t->kind == YNODE_BAD)
            continue;
        if (t->kind != YNODE_SCALAR) {
            loader_err(ld, t, "expected a string for a term, found %s", ynode_describe(t));
            continue;
        }
        if (ynode_is_null(t) || loader_is_blank(t->u.scalar.text, t->u.scalar.len)) {
            loader_err(ld, t, "empty term in %s", owner);
            continue;
        }
        struct term *dst = &terms[(*count)++];
        dst->text = loader_dup(ld, t->u.scalar.text, t->u.scalar.len);
        dst->file = ld->file;
        dst->pos = loader_pos(t);
    }
    return terms;
}

static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

static void text_pos(const char *text, size_t offset, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (uint32_t)(offset - start + 1);
}

/* One term per line; '#' as the first non-blank starts a comment; blank
 * lines skipped; CRLF and surrounding blanks trimmed (invisible in an
 * editor, so never meant).  path is the term file as shown in messages. */
static struct term *parse_term_file(struct loader *ld, const char *path, const char *data,
                                    size_t len, size_t *count)
{
    *count = 0;
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *text = data + skip;
    size_t text_len = len - skip;
    uint32_t line, col;
    const char *nul = memchr(text, '\0', text_len);
    size_t valid = utf8_valid_prefix((const unsigned char *)text, text_len);
    if (nul || valid < text_len) {
        size_t at = nul && (size_t)(nul - text) < valid ? (size_t)(nul - text) : valid;
        text_pos(text, at, &line, &col);
        loader_err_pos(ld, path, line, col, "%s",
                       nul && (size_t)(nul - text) == at ? "NUL byte in a term file"
                                                         : "invalid UTF-8 in a term file");
        return NULL;
    }
    size_t lines = 1;
    for (size_t i = 0; i < text_len; i++)
        lines += text[i] == '\n';
    struct term *terms = loader_array(ld, lines, sizeof(struct term));
    if (!terms)
        return NULL;
    line = 0;
    for (size_t start = 0; start < text_len;) {
        const char *nl = memchr(text + start, '\n', text_len - start);
        size_t end = nl ? (size_t)(nl - text) : text_len;
        size_t next = nl ? end + 1 : text_len;
        line++;
        size_t a = start, b = end;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
            b--;
        if (a < b && text[a] != '#') {
            struct term *t = &terms[(*count)++];
            t->text = loader_dup(ld, text + a, b - a);
            t->file = path;
            t->pos.line = line;
            t->pos.col = (uint32_t)(a - start + 1);
        }
        start = next;
    }
    return terms;
}

/* The file as shown in messages: beside the pack, like the reader resolves it. */
static const char *term_file_path(struct loader *ld, const char *rel)
{
    const char *slash = strrchr(ld->file, '/');
    size_t dir_len = slash && rel[0] != '/' ? (size_t)(slash - ld->file) + 1 : 0;
    size_t rel_len = strlen(rel);
    char *p = arena_alloc(ld->out, dir_len + rel_len + 1);
    if (!p) {
        ld->oom = true;
        return NULL;
    }
    memcpy(p, ld->file, dir_len);
    memcpy(p + dir_len, rel, rel_len + 1);
    return p;
}

static struct term *file_terms(struct loader *ld, const struct ynode *map, const char *where,
                               size_t *count)
{
    static const char *const keys[] = {"file"};
    char a[YAML_EXCERPT_CAP];
    *count = 0;
    loader_check_keys(ld, map, keys, IPR_ARRAY_LEN(keys), where);
    const struct ynode *f = loader_need(ld, map, "file", where);
    const char *rel = loader_string(ld, f, "'file'", true);
    if (!rel)
        return NULL;
    if (!ld->ctx->read_file) {
        loader_err(ld, f, "cannot read term file '%s': this pack cannot refer to files",
                   loader_show(a, f));
        return NULL;
    }
    char *data = NULL;
    size_t len = 0;
    ipr_status st = ld->ctx->read_file(ld->ctx->read_user, ld->file, rel, &data, &len);
    if (st == IPR_OK && len > IPR_MAX_TERM_FILE_BYTES)
        st = IPR_ELIMIT;
    struct term *terms = NULL;
    const char *path = st == IPR_OK ? term_file_path(ld, rel) : NULL;
    if (st == IPR_ENOMEM)
        ld->oom = true;
    else if (st == IPR_EINVAL)
        loader_err(ld, f, "term file '%s' must be a relative path inside the pack's folder",
                   loader_show(a, f));
    else if (st == IPR_ELIMIT)
        loader_err(ld, f, "term file '%s' is larger than %u bytes", loader_show(a, f),
                   IPR_MAX_TERM_FILE_BYTES);
    else if (st != IPR_OK)
        loader_err(ld, f, "cannot read term file '%s'", loader_show(a, f));
    else if (path && (terms = parse_term_file(ld, path, data, len, count)) != NULL && !*count)
        loader_err(ld, f, "term file '%s' holds no terms", loader_show(a, f));
    free(data);
    return terms;
}

static bool is_list_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!ipr_is_ascii_alnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

void term_load_lists(struct loader *ld, const struct ynode *v)
{
    char a[YAML_EXCERPT_CAP], where[YAML_EXCERPT_CAP + 16];
    if (!v || v->kind == YNODE_BAD)
        return;
    if (v->kind != YNODE_MAPPING) {
        loader_err(ld, v, "expected a mapping of term lists for 'terms', found %s",
                   ynode_describe(v));
        return;
    }
    struct term_list *lists = loader_array(ld, v->u.map.count, sizeof(struct term_list));
    if (!lists)
        return;
    ld->pack->lists = lists;
    for (size_t i = 0; i < v->u.map.count && !ld->oom; i++) {
        const struct ynode *k = v->u.map.pairs[i].key, *val = v->u.map.pairs[i].value;
        if (k->kind == YNODE_BAD)
            continue;
        if (k->kind != YNODE_SCALAR) {
            loader_err(ld, k, "expected a name for a term list, found %s", ynode_describe(k));
            continue;
        }
        if (!is_list_name(k->u.scalar.text))
            loader_err(ld, k, "term list name '%s' may only hold letters, digits, '_' and '-'",
                       loader_show(a, k));
        struct term_list *l = &lists[ld->pack->list_count++];
        l->name = loader_dup(ld, k->u.scalar.text, k->u.scalar.len);
        l->pos = loader_pos(k);
        snprintf(where, sizeof(where), "list '%s'", loader_show(a, k));
        if (val->kind == YNODE_SEQUENCE) {
            l->terms = term_load_inline(ld, val, where, &l->term_count);
            if (val->u.seq.count == 0)
                loader_err(ld, val, "term list '%s' is empty", loader_show(a, k));
        } else if (val->kind == YNODE_MAPPING) {
            snprintf(where, sizeof(where), "term list '%s'", loader_show(a, k));
            l->terms = file_terms(ld, val, where, &l->term_count);
        } else if (val->kind != YNODE_BAD) {
            loader_err(ld, val,
                       "expected a sequence of terms or {file: PATH} for term list '%s', found %s",
                       loader_show(a, k), ynode_describe(val));
        }
    }
}

const struct term_list *term_find_list(const struct rule_pack *pack, const char *name)
{
    for (size_t i = 0; i < pack->list_count; i++)
        if (pack->lists[i].name && strcmp(pack->lists[i].name, name) == 0)
            return &pack->lists[i];
    return NULL;
}
