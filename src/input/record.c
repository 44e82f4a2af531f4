/*
 * record.c - the flat leaf list of one listing (see record.h).
 */
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"
#include "../base/number.h"

void record_init(struct ipr_record *rec)
{
    memset(rec, 0, sizeof(*rec));
    arena_init(&rec->arena, 16u * 1024u);
}

void record_release(struct ipr_record *rec)
{
    chunk_release(rec->chunk);
    free(rec->fields);
    arena_release(&rec->arena);
    memset(rec, 0, sizeof(*rec));
}

void record_reset(struct ipr_record *rec)
{
    rec->line = 0;
    rec->index = 0;
    rec->key = NULL;
    rec->error = NULL;
    rec->incomplete = NULL;
    rec->error_line = 0;
    rec->error_offset = 0;
    rec->field_count = 0;
    arena_reset(&rec->arena);
    chunk_release(rec->chunk);
    rec->chunk = NULL;
}

size_t record_canonical_path(const char *name, size_t name_len, char *out, size_t out_cap)
{
    size_t n = 0;
    for (size_t i = 0; i < name_len; i++) {
        if (name[i] == '[') {
            size_t j = i + 1;
            while (j < name_len && name[j] != ']')
                j++;
            if (j < name_len) {
                i = j;
                continue;
            }
        }
        if (n + 1 < out_cap)
            out[n] = name[i];
        n++;
    }
    if (out_cap)
        out[n < out_cap ? n : out_cap - 1] = '\0';
    return n;
}

/* Adds a leaf whose value is `value` as it is (already NUL-terminated and
 * owned by the record or its chunk).  Name and path are copied together. */
static ipr_status add_leaf(struct ipr_record *rec, const struct leaf_name *ln, const char *value,
                           size_t value_len, uint32_t line, uint32_t col, enum field_kind kind)
{
    if (rec->field_count >= IPR_INPUT_MAX_FIELDS)
        return IPR_ELIMIT;
    if (rec->field_count == rec->field_cap) {
        size_t cap = rec->field_cap ? rec->field_cap * 2 : 32;
        struct record_field *f = realloc(rec->fields, cap * sizeof(*f));
        if (!f)
            return IPR_ENOMEM;
        rec->fields = f;
        rec->field_cap = cap;
    }
    size_t name_len = ln->name_len;
    /* a path as long as its name is the name: only indices are ever taken
     * out ("title", "seller.name" are their own paths) */
    bool indexed = ln->path ? ln->path_len != name_len : memchr(ln->name, '[', name_len) != NULL;
    char *name = arena_alloc(&rec->arena, indexed ? 2 * name_len + 2 : name_len + 1);
    if (!name || !value)
        return IPR_ENOMEM;
    memcpy(name, ln->name, name_len);
    name[name_len] = '\0';
    char *path = name;
    if (indexed) {
        path = name + name_len + 1;
        if (ln->path) {
            memcpy(path, ln->path, ln->path_len);
            path[ln->path_len] = '\0';
        } else {
            record_canonical_path(ln->name, name_len, path, name_len + 1);
        }
    }
    struct record_field *f = &rec->fields[rec->field_count++];
    f->path = path;
    f->name = name;
    f->value = value;
    f->value_len = value_len;
    f->line = line;
    f->col = col;
    f->kind = kind;
    return IPR_OK;
}

ipr_status record_add_leaf(struct ipr_record *rec, const struct leaf_name *ln, const char *value,
                           size_t value_len, uint32_t line, uint32_t col, enum field_kind kind,
                           struct chunk *chunk)
{
    if (rec->field_count >= IPR_INPUT_MAX_FIELDS)
        return IPR_ELIMIT; /* before copying anything */
    if (chunk && !rec->chunk) {
        chunk_retain(chunk);
        rec->chunk = chunk;
    }
    if (!chunk || rec->chunk != chunk) /* no chunk, or the record views another: a copy */
        value = arena_strndup(&rec->arena, value, value_len);
    return add_leaf(rec, ln, value, value_len, line, col, kind);
}

ipr_status record_add_field(struct ipr_record *rec, const char *name, size_t name_len,
                            const char *value, size_t value_len, uint32_t line, uint32_t col,
                            enum field_kind kind)
{
    struct leaf_name ln = {name, name_len, NULL, 0};
    return record_add_leaf(rec, &ln, value, value_len, line, col, kind, NULL);
}

ipr_status record_add_field_view(struct ipr_record *rec, const char *name, size_t name_len,
                                 const char *value, size_t value_len, uint32_t line, uint32_t col,
                                 enum field_kind kind, struct chunk *chunk)
{
    struct leaf_name ln = {name, name_len, NULL, 0};
    return record_add_leaf(rec, &ln, value, value_len, line, col, kind, chunk);
}

/* The formatted message in the record's arena. */
static ipr_status format_message(struct ipr_record *rec, const char **out, const char *fmt,
                                 va_list ap) IPR_PRINTF(3, 0);

static ipr_status format_message(struct ipr_record *rec, const char **out, const char *fmt,
                                 va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *msg = n < 0 ? NULL : arena_alloc(&rec->arena, (size_t)n + 1);
    if (msg)
        vsnprintf(msg, (size_t)n + 1, fmt, again);
    va_end(again);
    if (n < 0)
        return IPR_EINVAL;
    if (!msg)
        return IPR_ENOMEM;
    *out = msg;
    return IPR_OK;
}

ipr_status record_set_error(struct ipr_record *rec, uint32_t line, uint64_t offset, const char *fmt,
                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = NULL;
    ipr_status st = format_message(rec, &msg, fmt, ap);
    va_end(ap);
    if (st != IPR_OK)
        return st;
    rec->error = msg;
    rec->error_line = line;
    rec->error_offset = offset;
    return IPR_OK;
}

ipr_status record_set_incomplete(struct ipr_record *rec, const char *fmt, ...)
{
    if (rec->incomplete)
        return IPR_OK;
    va_list ap;
    va_start(ap, fmt);
    ipr_status st = format_message(rec, &rec->incomplete, fmt, ap);
    va_end(ap);
    return st;
}

static const char *copy_opt(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

ipr_status record_copy(struct ipr_record *dst, const struct ipr_record *src)
{
    record_reset(dst);
    dst->line = src->line;
    dst->index = src->index;
    dst->error_line = src->error_line;
    dst->error_offset = src->error_offset;
    dst->file = copy_opt(&dst->arena, src->file);
    dst->key = copy_opt(&dst->arena, src->key);
    dst->error = copy_opt(&dst->arena, src->error);
    dst->incomplete = copy_opt(&dst->arena, src->incomplete);
    if ((src->file && !dst->file) || (src->key && !dst->key) || (src->error && !dst->error) ||
        (src->incomplete && !dst->incomplete))
        return IPR_ENOMEM;
    for (size_t i = 0; i < src->field_count; i++) {
        const struct record_field *f = &src->fields[i];
        ipr_status st = record_add_field(dst, f->name, strlen(f->name), f->value, f->value_len,
                                         f->line, f->col, f->kind);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!ipr_is_ascii_space((unsigned char)s[i]))
            return false;
    return true;
}

static bool usable_key(const struct record_field *f)
{
    /* "[]" is what some exports write for an empty list */
    return f && !is_blank(f->value, f->value_len) &&
           !(f->value_len == 2 && f->value[0] == '[' && f->value[1] == ']');
}

ipr_status record_finish(struct ipr_record *rec)
{
    /* one walk for both names: this runs for every record */
    const struct record_field *sku = NULL, *record_id = NULL;
    for (size_t i = 0; i < rec->field_count && !(sku && record_id); i++) {
        const char *path = rec->fields[i].path;
        if (!sku && path[0] == 's' && strcmp(path, "sku") == 0)
            sku = &rec->fields[i];
        else if (!record_id && path[0] == 'r' && strcmp(path, "record_id") == 0)
            record_id = &rec->fields[i];
    }
    const struct record_field *f = usable_key(sku) ? sku : record_id;
    if (usable_key(f)) {
        rec->key = f->value;
        return IPR_OK;
    }
    char num[NUMBER_U64_DIGITS];
    rec->key = arena_strndup(&rec->arena, num, number_format_u64(rec->index, num));
    return rec->key ? IPR_OK : IPR_ENOMEM;
}

const struct record_field *record_find(const struct ipr_record *rec, const char *path)
{
    for (size_t i = 0; i < rec->field_count; i++) /* the first byte rules out most */
        if (rec->fields[i].path[0] == path[0] && strcmp(rec->fields[i].path, path) == 0)
            return &rec->fields[i];
    return NULL;
}

bool record_selector_matches(const char *sel, const char *path)
{
    if (sel[0] == '*' && sel[1] == '\0')
        return true;
    /* compare while skipping "[]" (or "[N]") in the selector */
    const char *s = sel, *p = path;
    while (*s) {
        if (*s == '[') {
            while (*s && *s != ']')
                s++;
            if (*s == ']')
                s++;
            continue;
        }
        if (*s != *p)
            return false;
        s++;
        p++;
    }
    return *p == '\0' || *p == '.';
}
