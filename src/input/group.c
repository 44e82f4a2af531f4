/*
 * group.c - rows to listings (see group.h).
 *
 * Held rows are deep copies in one arena, reset when their listings have
 * been delivered, so memory follows the largest group (or batch), not the
 * file.  The record being delivered is built from held rows only after
 * the raw row that ended its group has been looked at; that raw row is
 * held again, in the fresh arena, before the next read overwrites it.
 */
#include "group.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"

#define NONE SIZE_MAX

struct held_row {
    struct record_field *fields;
    size_t count;
    uint32_t line;
    const char *error;      /* NULL for a parsed row */
    const char *incomplete; /* why a value of the row was cut short, or NULL */
    uint32_t error_line;
    uint64_t error_offset;
    const char *key;    /* GROUP_BY: the key value, "" when none */
    const char *parent; /* GROUP_ATTACH: the parent it names, "" when none */
    size_t attached_to; /* NONE: a listing of its own */
    size_t first_child, last_child, next_sibling, child_count;
};

void grouper_init(struct grouper *g, struct mapper *m)
{
    memset(g, 0, sizeof(*g));
    g->m = m;
    g->p = m->p;
    arena_init(&g->arena, 64u * 1024u);
    vec_init(&g->rows, sizeof(struct held_row));
    vec_init(&g->map_rows, sizeof(struct map_row));
    vec_init(&g->prefixes, 32);
    strmap_init(&g->ids);
}

void grouper_release(struct grouper *g)
{
    arena_release(&g->arena);
    vec_release(&g->rows);
    vec_release(&g->map_rows);
    vec_release(&g->prefixes);
    strmap_release(&g->ids);
}

static void drop_held(struct grouper *g)
{
    arena_reset(&g->arena);
    vec_clear(&g->rows);
    strmap_release(&g->ids);
    strmap_init(&g->ids);
    g->batch_ready = false;
    g->next_emit = 0;
}

static const char *copy(struct grouper *g, const char *s, size_t len)
{
    return arena_strndup(&g->arena, s ? s : "", s ? len : 0);
}

/* The value of the first field with `role`, or "". */
static ipr_status role_value(struct grouper *g, const struct ipr_record *raw, unsigned role,
                             const char **value)
{
    *value = "";
    for (size_t i = 0; i < raw->field_count; i++) {
        const struct column_plan *plan = mapper_column(g->m, &raw->fields[i]);
        if (!plan)
            return IPR_ENOMEM;
        if (plan->roles & role) {
            *value = raw->fields[i].value;
            return IPR_OK;
        }
    }
    return IPR_OK;
}

static ipr_status hold(struct grouper *g, const struct ipr_record *raw, struct held_row **out)
{
    struct held_row *h = vec_push(&g->rows);
    if (!h)
        return IPR_ENOMEM;
    h->line = raw->line;
    h->attached_to = h->first_child = h->last_child = h->next_sibling = NONE;
    h->key = h->parent = "";
    if (raw->error) {
        h->error = copy(g, raw->error, strlen(raw->error));
        h->error_line = raw->error_line;
        h->error_offset = raw->error_offset;
        *out = h;
        return h->error ? IPR_OK : IPR_ENOMEM;
    }
    if (raw->incomplete) {
        h->incomplete = copy(g, raw->incomplete, strlen(raw->incomplete));
        if (!h->incomplete)
            return IPR_ENOMEM;
    }
    h->count = raw->field_count;
    h->fields = arena_calloc(&g->arena, raw->field_count ? raw->field_count : 1,
                             sizeof(struct record_field));
    if (!h->fields)
        return IPR_ENOMEM;
    for (size_t i = 0; i < raw->field_count; i++) {
        const struct record_field *f = &raw->fields[i];
        struct record_field *c = &h->fields[i];
        *c = *f;
        c->name = copy(g, f->name, strlen(f->name));
        c->path = copy(g, f->path, strlen(f->path));
        c->value = copy(g, f->value, f->value_len);
        if (!c->name || !c->path || !c->value)
            return IPR_ENOMEM;
    }
    *out = h;
    return IPR_OK;
}

static bool is_skipped(const struct grouper *g, const struct ipr_record *raw)
{
    const struct profile_names *s = &g->p->skip_rows;
    if (raw->error || s->count == 0 || raw->field_count == 0 || raw->fields[0].col != 1)
        return false;
    const char *v = raw->fields[0].value;
    for (size_t i = 0; i < s->count; i++) {
        size_t n = strlen(s->items[i]), k = 0;
        while (k < n && v[k] &&
               ipr_ascii_lower((unsigned char)v[k]) ==
                   ipr_ascii_lower((unsigned char)s->items[i][k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static ipr_status emit_error(const struct held_row *h, struct ipr_record *out)
{
    out->line = h->line;
    out->field_count = 0;
    return record_set_error(out, h->error_line, h->error_offset, "%s", h->error);
}

static ipr_status emit_raw_error(const struct ipr_record *raw, struct ipr_record *out)
{
    out->line = raw->line;
    out->field_count = 0;
    return record_set_error(out, raw->error_line, raw->error_offset, "%s", raw->error);
}

/* A listing built from a row that was cut short is cut short too. */
static ipr_status carry_incomplete(struct ipr_record *out, const char *why)
{
    return why && !out->error ? record_set_incomplete(out, "%s", why) : IPR_OK;
}

/* Builds one listing from held rows [first, first + count) (GROUP_BY) or
 * from a row and its attached children (GROUP_ATTACH). */
static ipr_status build(struct grouper *g, size_t first, size_t count, bool children,
                        struct ipr_record *out)
{
    vec_clear(&g->map_rows);
    vec_clear(&g->prefixes);
    struct held_row *rows = g->rows.items;
    out->line = rows[first].line;
    for (size_t i = first; i < first + count; i++) {
        struct map_row *mr = vec_push(&g->map_rows);
        if (!mr)
            return IPR_ENOMEM;
        mr->fields = rows[i].fields;
        mr->count = rows[i].count;
        mr->prefix = "";
    }
    if (children) {
        size_t k = 0;
        for (size_t c = rows[first].first_child; c != NONE; c = rows[c].next_sibling, k++) {
            char *prefix = vec_push(&g->prefixes);
            if (!prefix)
                return IPR_ENOMEM;
            snprintf(prefix, 32, "variants[%zu].", k);
        }
        k = 0;
        for (size_t c = rows[first].first_child; c != NONE; c = rows[c].next_sibling, k++) {
            struct map_row *mr = vec_push(&g->map_rows);
            if (!mr)
                return IPR_ENOMEM;
            mr->fields = rows[c].fields;
            mr->count = rows[c].count;
            mr->prefix = vec_at(&g->prefixes, k);
        }
    }
    ipr_status st = mapper_build(g->m, g->map_rows.items, g->map_rows.count, out);
    for (size_t i = first; i < first + count && st == IPR_OK; i++)
        st = carry_incomplete(out, rows[i].incomplete);
    for (size_t c = children ? rows[first].first_child : NONE; c != NONE && st == IPR_OK;
         c = rows[c].next_sibling)
        st = carry_incomplete(out, rows[c].incomplete);
    return st;
}

static ipr_status next_single(struct grouper *g, raw_next_fn next, void *ctx,
                              struct ipr_record *out)
{
    for (;;) {
        const struct ipr_record *raw = NULL;
        ipr_status st = next(ctx, &raw);
        if (st != IPR_OK)
            return st;
        if (raw->error)
            return emit_raw_error(raw, out);
        if (is_skipped(g, raw))
            continue;
        struct map_row row = {raw->fields, raw->field_count, ""};
        out->line = raw->line;
        st = mapper_build(g->m, &row, 1, out);
        return st == IPR_OK ? carry_incomplete(out, raw->incomplete) : st;
    }
}

static ipr_status next_by_key(struct grouper *g, raw_next_fn next, void *ctx,
                              struct ipr_record *out)
{
    for (;;) {
        struct held_row *rows = g->rows.items;
        if (g->rows.count == 1 && rows[0].error) {
            ipr_status st = emit_error(&rows[0], out);
            drop_held(g);
            return st;
        }
        if (g->input_done) {
            if (g->rows.count == 0)
                return IPR_DONE;
            ipr_status st = build(g, 0, g->rows.count, false, out);
            drop_held(g);
            return st;
        }
        const struct ipr_record *raw = NULL;
        ipr_status st = next(ctx, &raw);
        if (st == IPR_DONE) {
            g->input_done = true;
            continue;
        }
        if (st != IPR_OK)
            return st;
        if (!raw->error && is_skipped(g, raw))
            continue;
        const char *key = "";
        if (!raw->error) {
            st = role_value(g, raw, ROLE_GROUP_KEY, &key);
            if (st != IPR_OK)
                return st;
        }
        if (g->rows.count == 0) {
            if (raw->error)
                return emit_raw_error(raw, out);
            struct held_row *h;
            st = hold(g, raw, &h);
            if (st == IPR_OK)
                h->key = copy(g, key, strlen(key));
            if (st == IPR_OK && !h->key)
                st = IPR_ENOMEM;
            if (st != IPR_OK)
                return st;
            continue;
        }
        bool same = !raw->error && (key[0] == '\0' || strcmp(key, rows[0].key) == 0) &&
                    g->rows.count < IPR_PROFILE_MAX_GROUP_ROWS;
        if (same) {
            struct held_row *h;
            st = hold(g, raw, &h);
            if (st != IPR_OK)
                return st;
            continue;
        }
        /* the raw row starts the next listing: deliver this one, then hold it */
        st = build(g, 0, g->rows.count, false, out);
        drop_held(g);
        if (st != IPR_OK)
            return st;
        struct held_row *h;
        st = hold(g, raw, &h);
        if (st == IPR_OK && !raw->error) {
            h->key = copy(g, key, strlen(key));
            if (!h->key)
                st = IPR_ENOMEM;
        }
        return st;
    }
}

/* Reads a batch and attaches rows to the parents they name. */
static ipr_status read_batch(struct grouper *g, raw_next_fn next, void *ctx)
{
    drop_held(g);
    while (g->arena.used_total < IPR_PROFILE_MAX_BATCH_BYTES) {
        const struct ipr_record *raw = NULL;
        ipr_status st = next(ctx, &raw);
        if (st == IPR_DONE) {
            g->input_done = true;
            break;
        }
        if (st != IPR_OK)
            return st;
        if (is_skipped(g, raw))
            continue;
        const char *parent = "";
        if (!raw->error) {
            st = role_value(g, raw, ROLE_PARENT, &parent);
            if (st != IPR_OK)
                return st;
        }
        struct held_row *h;
        st = hold(g, raw, &h);
        if (st != IPR_OK)
            return st;
        h->parent = copy(g, parent, strlen(parent));
        if (!h->parent)
            return IPR_ENOMEM;
        /* every id column names the row: "cc-tee" and "id:741" alike */
        for (size_t i = 0; !raw->error && i < raw->field_count; i++) {
            const struct column_plan *plan = mapper_column(g->m, &raw->fields[i]);
            if (!plan)
                return IPR_ENOMEM;
            if (!(plan->roles & ROLE_ID) || raw->fields[i].value_len == 0)
                continue;
            char key[512];
            int n = snprintf(key, sizeof(key), "%s%s", plan->id_prefix ? plan->id_prefix : "",
                             raw->fields[i].value);
            uint32_t existing;
            if (n > 0 && (size_t)n < sizeof(key) &&
                !strmap_get(&g->ids, key, (size_t)n, &existing) &&
                strmap_put(&g->ids, key, (size_t)n, (uint32_t)(g->rows.count - 1)) != IPR_OK)
                return IPR_ENOMEM;
        }
    }
    struct held_row *rows = g->rows.items;
    for (size_t i = 0; i < g->rows.count; i++) {
        uint32_t p;
        if (rows[i].error || !rows[i].parent[0] ||
            !strmap_get(&g->ids, rows[i].parent, strlen(rows[i].parent), &p))
            continue;
        /* one level only: a parent that is itself attached keeps its children apart */
        if (p == i || rows[p].error || rows[p].parent[0] ||
            rows[p].child_count >= IPR_PROFILE_MAX_GROUP_ROWS)
            continue;
        rows[i].attached_to = p;
        if (rows[p].last_child == NONE)
            rows[p].first_child = i;
        else
            rows[rows[p].last_child].next_sibling = i;
        rows[p].last_child = i;
        rows[p].child_count++;
    }
    g->batch_ready = true;
    g->next_emit = 0;
    return IPR_OK;
}

static ipr_status next_attached(struct grouper *g, raw_next_fn next, void *ctx,
                                struct ipr_record *out)
{
    for (;;) {
        if (!g->batch_ready) {
            if (g->input_done)
                return IPR_DONE;
            ipr_status st = read_batch(g, next, ctx);
            if (st != IPR_OK)
                return st;
        }
        struct held_row *rows = g->rows.items;
        while (g->next_emit < g->rows.count && rows[g->next_emit].attached_to != NONE)
            g->next_emit++;
        if (g->next_emit == g->rows.count) {
            g->batch_ready = false;
            if (g->input_done)
                return IPR_DONE;
            continue;
        }
        size_t i = g->next_emit++;
        if (rows[i].error)
            return emit_error(&rows[i], out);
        return build(g, i, 1, true, out);
    }
}

ipr_status grouper_next(struct grouper *g, raw_next_fn next, void *ctx, struct ipr_record *out)
{
    switch (g->p->group) {
    case GROUP_BY:
        return next_by_key(g, next, ctx, out);
    case GROUP_ATTACH:
        return next_attached(g, next, ctx, out);
    default:
        return next_single(g, next, ctx, out);
    }
}
