/*
 * profile_map.c - applies a profile to the rows of one listing (see
 * profile_map.h).
 *
 * Each row is walked twice: the first pass decides which column gives
 * each single-valued field (the rule listed first wins, so a profile can
 * say "Sale price before Regular price"), the second writes the leaves in
 * column order, so findings still come out in the order the export shows
 * its columns.
 */
#include "profile_map.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"

struct plan_ref {
    size_t rule;
    long n; /* the number `{n}` matched in the column name */
};

/* A list of the record, e.g. "images" or "variants[0].images". */
struct list_state {
    const char *path; /* in the scratch arena */
    size_t next;      /* index of the next element */
    long open;        /* element the current row writes to; -1 when none */
    size_t open_row;
};

/* The column chosen for a single-valued field within one row. */
struct winner {
    const char *name; /* in the scratch arena */
    size_t rule;
    size_t field;
};

#define MAPPER_MAX_CACHED 65536u

void mapper_init(struct mapper *m, const struct profile *p, bool by_path)
{
    memset(m, 0, sizeof(*m));
    m->p = p;
    m->by_path = by_path;
    strmap_init(&m->seen);
    vec_init(&m->plans, sizeof(struct column_plan));
    vec_init(&m->refs, sizeof(struct plan_ref));
    html_text_init(&m->html);
    buf_init(&m->items_text, IPR_INPUT_MAX_FIELD_BYTES_CEILING);
    vec_init(&m->items, sizeof(struct cell_item));
    buf_init(&m->name,
             IPR_INPUT_MAX_FIELD_BYTES_CEILING + 1024u); /* a header cell may be that long */
    buf_init(&m->value, IPR_INPUT_MAX_FIELD_BYTES_CEILING);
    vec_init(&m->lists, sizeof(struct list_state));
    vec_init(&m->winners, sizeof(struct winner));
    strmap_init(&m->set);
    arena_init(&m->scratch, 16u * 1024u);
}

void mapper_release(struct mapper *m)
{
    strmap_release(&m->seen);
    vec_release(&m->plans);
    vec_release(&m->refs);
    html_text_release(&m->html);
    buf_release(&m->items_text);
    vec_release(&m->items);
    buf_release(&m->name);
    buf_release(&m->value);
    vec_release(&m->lists);
    vec_release(&m->winners);
    strmap_release(&m->set);
    arena_release(&m->scratch);
}

/* ---- column plans ------------------------------------------------------------------ */

static ipr_status plan_column(struct mapper *m, const char *name, size_t len,
                              struct column_plan *plan)
{
    const struct profile *p = m->p;
    memset(plan, 0, sizeof(*plan));
    plan->first_ref = m->refs.count;
    for (size_t r = 0; r < p->rule_count; r++) {
        long n = 0;
        if (!profile_names_match(&p->rules[r].from, name, len, &n))
            continue;
        struct plan_ref *ref = vec_push(&m->refs);
        if (!ref)
            return IPR_ENOMEM;
        ref->rule = r;
        ref->n = n;
        plan->ref_count++;
    }
    if (p->group == GROUP_BY && profile_names_match(&p->group_by, name, len, NULL))
        plan->roles |= ROLE_GROUP_KEY;
    if (p->group == GROUP_ATTACH) {
        if (profile_names_match(&p->parent, name, len, NULL))
            plan->roles |= ROLE_PARENT;
        for (size_t i = 0; i < p->id_count; i++) {
            if (profile_pattern_match(p->ids[i].column, name, len, NULL)) {
                plan->roles |= ROLE_ID;
                plan->id_prefix = p->ids[i].prefix;
                break;
            }
        }
    }
    return IPR_OK;
}

const struct column_plan *mapper_column(struct mapper *m, const struct record_field *f)
{
    const char *name = m->by_path ? f->path : f->name;
    size_t len = strlen(name);
    uint32_t idx;
    if (strmap_get(&m->seen, name, len, &idx))
        return vec_at(&m->plans, idx);
    if (m->plans.count >= MAPPER_MAX_CACHED) {
        /* JSON keys can be endless; start the cache over rather than grow */
        strmap_release(&m->seen);
        strmap_init(&m->seen);
        vec_clear(&m->plans);
        vec_clear(&m->refs);
    }
    struct column_plan plan;
    if (plan_column(m, name, len, &plan) != IPR_OK)
        return NULL;
    struct column_plan *slot = vec_push(&m->plans);
    if (!slot || strmap_put(&m->seen, name, len, (uint32_t)(m->plans.count - 1)) != IPR_OK)
        return NULL;
    *slot = plan;
    return slot;
}

bool mapper_is_empty(const struct mapper *m, const char *value, size_t len)
{
    while (len && ipr_is_ascii_space((unsigned char)value[0])) {
        value++;
        len--;
    }
    while (len && ipr_is_ascii_space((unsigned char)value[len - 1]))
        len--;
    if (len == 0)
        return true;
    const struct profile_names *e = &m->p->empty_values;
    for (size_t i = 0; i < e->count; i++) {
        const char *v = e->items[i];
        if (strlen(v) != len)
            continue;
        size_t k = 0;
        while (k < len &&
               ipr_ascii_lower((unsigned char)v[k]) == ipr_ascii_lower((unsigned char)value[k]))
            k++;
        if (k == len)
            return true;
    }
    return false;
}

/* ---- names ---------------------------------------------------------------------------- */

/* prefix + target with {n} replaced, into m->name. */
static ipr_status target_name(struct mapper *m, const char *prefix, const char *to, long n)
{
    buf_clear(&m->name);
    ipr_status st = buf_append_str(&m->name, prefix);
    for (const char *c = to; *c && st == IPR_OK; c++) {
        if (strncmp(c, "{n}", 3) == 0) {
            st = buf_printf(&m->name, "%ld", n);
            c += 2;
        } else {
            st = buf_append_char(&m->name, *c);
        }
    }
    return st;
}

static bool is_set(const struct mapper *m, const char *name, size_t len)
{
    uint32_t v;
    return strmap_get(&m->set, name, len, &v);
}

/* Adds a leaf, remembering its name. */
static ipr_status put_leaf(struct mapper *m, struct ipr_record *out, const char *name,
                           size_t name_len, const char *value, size_t value_len,
                           const struct record_field *f)
{
    if (out->error)
        return IPR_OK;
    ipr_status st =
        record_add_field(out, name, name_len, value, value_len, f->line, f->col, f->kind);
    if (st == IPR_ELIMIT) {
        out->field_count = 0;
        return record_set_error(out, f->line, 0, "more than %u fields", IPR_INPUT_MAX_FIELDS);
    }
    if (st == IPR_OK)
        st = strmap_put(&m->set, name, name_len, 1);
    return st;
}

/* The leaf for one value, and its `_html` / `_text` sibling. */
static ipr_status put_value(struct mapper *m, struct ipr_record *out, const char *leaf,
                            const struct profile_rule *rule, const char *value, size_t len,
                            const struct record_field *f)
{
    size_t leaf_len = strlen(leaf);
    if (rule->html) {
        ipr_status st = html_text_convert(&m->html, value, len, rule->html_mode);
        if (st != IPR_OK)
            return st;
        const char *text = buf_str(&m->html.text);
        size_t text_len = m->html.text.len;
        if (text_len == len && memcmp(text, value, len) == 0)
            return put_leaf(m, out, leaf, leaf_len, value, len, f);
        if (text_len)
            st = put_leaf(m, out, leaf, leaf_len, text, text_len, f);
        if (st != IPR_OK)
            return st;
        char sibling[512];
        int n = snprintf(sibling, sizeof(sibling), "%s_html", leaf);
        if (n < 0 || (size_t)n >= sizeof(sibling))
            return IPR_OK;
        return put_leaf(m, out, sibling, (size_t)n, value, len, f);
    }
    if (rule->price) {
        char number[64], currency[4];
        if (!cell_price(value, len, number, sizeof(number), currency))
            return put_leaf(m, out, leaf, leaf_len, value, len, f);
        if (currency[0] && !m->currency[0]) {
            memcpy(m->currency, currency, sizeof(currency));
            m->currency_field = *f;
        }
        size_t number_len = strlen(number);
        ipr_status st = put_leaf(m, out, leaf, leaf_len, number, number_len, f);
        if (st != IPR_OK || (number_len == len && memcmp(number, value, len) == 0))
            return st;
        char sibling[512];
        int n = snprintf(sibling, sizeof(sibling), "%s_text", leaf);
        if (n < 0 || (size_t)n >= sizeof(sibling))
            return IPR_OK;
        return put_leaf(m, out, sibling, (size_t)n, value, len, f);
    }
    return put_leaf(m, out, leaf, leaf_len, value, len, f);
}

/* ---- values of one cell ------------------------------------------------------------- */

/* The items a cell gives a rule, into m->items / m->items_text. */
static ipr_status cell_items(struct mapper *m, const struct profile_rule *rule,
                             const struct record_field *f)
{
    const char *v = f->value;
    size_t len = f->value_len;
    if (m->p->formula_escapes) {
        size_t skip = cell_formula_escape(v, len);
        v += skip;
        len -= skip;
    }
    if (mapper_is_empty(m, v, len)) {
        buf_clear(&m->items_text);
        vec_clear(&m->items);
        return IPR_OK;
    }
    ipr_status st = cell_split(v, len, rule->list, &m->items_text, &m->items);
    if (st != IPR_OK || rule->list || m->items.count == 0)
        return st;
    /* a single value keeps its blanks exactly as written */
    buf_clear(&m->items_text);
    vec_clear(&m->items);
    struct cell_item *it = vec_push(&m->items);
    if (!it)
        return IPR_ENOMEM;
    it->off = 0;
    it->len = len;
    return buf_append(&m->items_text, v, len);
}

/* The items joined into m->value. */
static ipr_status joined(struct mapper *m, const struct profile_rule *rule)
{
    buf_clear(&m->value);
    for (size_t i = 0; i < m->items.count; i++) {
        const struct cell_item *it = vec_at(&m->items, i);
        ipr_status st = i ? buf_append_str(&m->value, rule->join) : IPR_OK;
        if (st == IPR_OK)
            st = buf_append(&m->value, m->items_text.data + it->off, it->len);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

static struct list_state *list_for(struct mapper *m, const char *path, size_t path_len)
{
    for (size_t i = 0; i < m->lists.count; i++) {
        struct list_state *l = vec_at(&m->lists, i);
        if (strlen(l->path) == path_len && memcmp(l->path, path, path_len) == 0)
            return l;
    }
    char *copy = arena_strndup(&m->scratch, path, path_len);
    struct list_state *l = copy ? vec_push(&m->lists) : NULL;
    if (!l)
        return NULL;
    l->path = copy;
    l->next = 0;
    l->open = -1;
    return l;
}

/* Writes each item as an element of the list target (prefix already in
 * m->name, which holds "path[]sub"). */
static ipr_status put_list(struct mapper *m, struct ipr_record *out, size_t row,
                           const struct profile_rule *rule, const struct record_field *f)
{
    const char *full = buf_str(&m->name);
    const char *brackets = strstr(full, "[]");
    size_t path_len = (size_t)(brackets - full);
    const char *sub = brackets + 2; /* "" or ".url" */
    char path[512];
    if (path_len >= sizeof(path))
        return IPR_OK;
    memcpy(path, full, path_len);
    path[path_len] = '\0';
    char sub_copy[256];
    if (strlen(sub) >= sizeof(sub_copy))
        return IPR_OK;
    memcpy(sub_copy, sub, strlen(sub) + 1);
    struct list_state *l = list_for(m, path, path_len);
    if (!l)
        return IPR_ENOMEM;
    for (size_t i = 0; i < m->items.count; i++) {
        const struct cell_item *it = vec_at(&m->items, i);
        char leaf[1024];
        int n = -1;
        if (sub_copy[0] && l->open >= 0 && l->open_row == row) {
            n = snprintf(leaf, sizeof(leaf), "%s[%ld]%s", path, l->open, sub_copy);
            if (n > 0 && (size_t)n < sizeof(leaf) && is_set(m, leaf, (size_t)n))
                n = -1; /* this element already has that field: start another */
        }
        if (n < 0) {
            l->open = (long)l->next++;
            l->open_row = row;
            n = snprintf(leaf, sizeof(leaf), "%s[%ld]%s", path, l->open, sub_copy);
        }
        if (n < 0 || (size_t)n >= sizeof(leaf))
            continue;
        ipr_status st = put_value(m, out, leaf, rule, m->items_text.data + it->off, it->len, f);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

/* ---- rows ------------------------------------------------------------------------------- */

static struct winner *winner_for(struct mapper *m, const char *name)
{
    for (size_t i = 0; i < m->winners.count; i++) {
        struct winner *w = vec_at(&m->winners, i);
        if (strcmp(w->name, name) == 0)
            return w;
    }
    return NULL;
}

/* Pass 1: which field gives each single-valued target of this row. */
static ipr_status choose_winners(struct mapper *m, const struct map_row *row)
{
    vec_clear(&m->winners);
    for (size_t fi = 0; fi < row->count; fi++) {
        const struct column_plan *plan = mapper_column(m, &row->fields[fi]);
        if (!plan)
            return IPR_ENOMEM;
        size_t first = plan->first_ref, count = plan->ref_count;
        for (size_t k = 0; k < count; k++) {
            const struct plan_ref *ref = vec_at(&m->refs, first + k);
            const struct profile_rule *rule = &m->p->rules[ref->rule];
            bool has_value = false;
            for (size_t t = 0; t < rule->to.count; t++) {
                if (strstr(rule->to.items[t], "[]"))
                    continue;
                if (!has_value) {
                    ipr_status st = cell_items(m, rule, &row->fields[fi]);
                    if (st != IPR_OK)
                        return st;
                    if (m->items.count == 0)
                        break;
                    has_value = true;
                }
                ipr_status st = target_name(m, row->prefix, rule->to.items[t], ref->n);
                if (st != IPR_OK)
                    return st;
                struct winner *w = winner_for(m, buf_str(&m->name));
                if (w && w->rule <= ref->rule)
                    continue;
                if (!w) {
                    w = vec_push(&m->winners);
                    if (!w)
                        return IPR_ENOMEM;
                    w->name = arena_strndup(&m->scratch, m->name.data, m->name.len);
                    if (!w->name)
                        return IPR_ENOMEM;
                }
                w->rule = ref->rule;
                w->field = fi;
            }
        }
    }
    return IPR_OK;
}

static ipr_status map_field(struct mapper *m, struct ipr_record *out, size_t row_index,
                            const struct map_row *row, size_t fi, bool dedupe_raw)
{
    const struct record_field *f = &row->fields[fi];
    const struct column_plan *plan = mapper_column(m, f);
    if (!plan)
        return IPR_ENOMEM;
    size_t first = plan->first_ref, count = plan->ref_count;
    if (count == 0) {
        /* no rule maps it: kept under its own name */
        buf_clear(&m->name);
        ipr_status st = buf_append_str(&m->name, row->prefix);
        if (st == IPR_OK)
            st = buf_append_str(&m->name, f->name);
        if (st != IPR_OK || (dedupe_raw && is_set(m, m->name.data, m->name.len)))
            return st;
        if (mapper_is_empty(m, f->value, f->value_len))
            return IPR_OK;
        return put_leaf(m, out, m->name.data, m->name.len, f->value, f->value_len, f);
    }
    for (size_t k = 0; k < count; k++) {
        const struct plan_ref *ref = vec_at(&m->refs, first + k);
        size_t rule_index = ref->rule;
        long n = ref->n;
        const struct profile_rule *rule = &m->p->rules[rule_index];
        ipr_status st = cell_items(m, rule, f);
        if (st != IPR_OK)
            return st;
        if (m->items.count == 0)
            continue;
        for (size_t t = 0; t < rule->to.count; t++) {
            st = target_name(m, row->prefix, rule->to.items[t], n);
            if (st != IPR_OK)
                return st;
            if (strstr(m->name.data, "[]")) {
                st = put_list(m, out, row_index, rule, f);
            } else {
                const struct winner *w = winner_for(m, m->name.data);
                if (!w || w->field != fi || w->rule != rule_index ||
                    is_set(m, m->name.data, m->name.len))
                    continue;
                char leaf[1024];
                if (m->name.len >= sizeof(leaf))
                    continue;
                memcpy(leaf, m->name.data, m->name.len + 1);
                if (m->items.count == 1) {
                    const struct cell_item *it = vec_at(&m->items, 0);
                    st = put_value(m, out, leaf, rule, m->items_text.data + it->off, it->len, f);
                } else {
                    st = joined(m, rule);
                    if (st == IPR_OK)
                        st = put_value(m, out, leaf, rule, m->value.data, m->value.len, f);
                }
            }
            if (st != IPR_OK)
                return st;
        }
    }
    return IPR_OK;
}

static ipr_status add_constant(struct mapper *m, struct ipr_record *out, const char *name,
                               const char *value, const struct record_field *at)
{
    if (is_set(m, name, strlen(name)))
        return IPR_OK;
    return put_leaf(m, out, name, strlen(name), value, strlen(value), at);
}

ipr_status mapper_build(struct mapper *m, const struct map_row *rows, size_t row_count,
                        struct ipr_record *out)
{
    strmap_release(&m->set);
    strmap_init(&m->set);
    arena_reset(&m->scratch);
    vec_clear(&m->lists);
    m->currency[0] = '\0';
    ipr_status st = IPR_OK;
    for (size_t r = 0; r < row_count && st == IPR_OK; r++) {
        st = choose_winners(m, &rows[r]);
        for (size_t fi = 0; fi < rows[r].count && st == IPR_OK; fi++)
            st = map_field(m, out, r, &rows[r], fi, row_count > 1);
    }
    if (st == IPR_ELIMIT) {
        /* a joined list or a name grew past its cap: this listing, not the input, fails */
        out->field_count = 0;
        return record_set_error(out, out->line, 0, "a mapped value is larger than %u bytes",
                                IPR_INPUT_MAX_FIELD_BYTES_CEILING);
    }
    if (st != IPR_OK || out->error)
        return st;
    struct record_field at = {"", "", "", 0, out->line, 0, FIELD_STRING};
    if (m->currency[0])
        st = add_constant(m, out, "currency", m->currency, &m->currency_field);
    if (st == IPR_OK && m->p->marketplace)
        st = add_constant(m, out, "marketplace", m->p->marketplace, &at);
    return st;
}
