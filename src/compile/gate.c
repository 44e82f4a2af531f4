/*
 * gate.c - interned field selectors and per-rule gates (see gate.h).
 *
 * Gates are built in the ruleset's arena; intermediate clause lists of
 * `any` children are left there too, which costs a few bytes per leaf and
 * keeps the builder free of ownership bookkeeping.
 */
#include "gate.h"

#include <stdlib.h>
#include <string.h>

#include "../base/strmap.h"
#include "ruleset.h"

struct clauses {
    struct gate_clause *items;
    uint32_t count;
};

struct gate_builder {
    struct ipr_ruleset *rs;
    struct strmap selectors; /* selector text -> id */
    struct vec names;        /* const char * per id */
    struct vec uses;         /* uint8_t per id */
};

/* ---- selectors ----------------------------------------------------------------- */

/* The id of selector sel, a new one when first seen; `use` (enum
 * selector_use bits) is added to what it is used for. */
static ipr_status intern_selector(struct gate_builder *b, const char *sel, unsigned use,
                                  uint32_t *out)
{
    uint32_t id;
    if (!strmap_get(&b->selectors, sel, strlen(sel), &id)) {
        id = (uint32_t)b->names.count;
        const char **name = vec_push(&b->names);
        uint8_t *u = vec_push(&b->uses);
        if (!name || !u)
            return IPR_ENOMEM;
        *name = sel;
        ipr_status st = strmap_put(&b->selectors, sel, strlen(sel), id);
        if (st != IPR_OK)
            return st;
    }
    *(uint8_t *)vec_at(&b->uses, id) |= (uint8_t)use;
    *out = id;
    return IPR_OK;
}

/* The fields a `compare:` expression reads are selectors too, so that the
 * scanner finds them by the per-path bitsets rather than by matching the
 * selector's text against every field. */
static ipr_status intern_expr(struct gate_builder *b, struct expr *e)
{
    if (!e)
        return IPR_OK;
    if (e->kind == EXPR_FIELD)
        return intern_selector(b, e->field, 0, &e->sel_id);
    ipr_status st = intern_expr(b, e->lhs);
    return st == IPR_OK ? intern_expr(b, e->rhs) : st;
}

static ipr_status intern_selectors(struct gate_builder *b, struct ccond *c)
{
    uint32_t *ids = NULL;
    if (c->field_count) {
        ids = arena_alloc(&b->rs->arena, c->field_count * sizeof(uint32_t));
        if (!ids)
            return IPR_ENOMEM;
    }
    unsigned use = 0;
    if (c->kind == COND_REGEX && c->prefiltered)
        use = SEL_USE_REGEX;
    else if (c->kind == COND_TERMS)
        use = SEL_USE_TERMS;
    else if (c->kind == COND_MARK)
        use = SEL_USE_MARKS;
    for (size_t i = 0; i < c->field_count; i++) {
        ipr_status st = intern_selector(b, c->fields[i], use, &ids[i]);
        if (st != IPR_OK)
            return st;
    }
    c->sel_ids = ids;
    if (c->kind == COND_COMPARE) {
        ipr_status st = intern_expr(b, c->cmp.lhs);
        if (st == IPR_OK)
            st = intern_expr(b, c->cmp.rhs);
        if (st != IPR_OK)
            return st;
    }
    for (size_t i = 0; i < c->item_count; i++) {
        ipr_status st = intern_selectors(b, c->items[i]);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

/* The group of the n selectors ids as a bitset of `words` words, built
 * in scratch: sets of the same selectors share one mask and its number
 * (groups: mask bytes -> number, masks: the masks by number). */
static ipr_status intern_group(struct ipr_ruleset *rs, struct strmap *groups, struct vec *masks,
                               uint64_t *scratch, const uint32_t *ids, size_t n, uint32_t *group)
{
    size_t bytes = rs->selector_words * sizeof(uint64_t);
    memset(scratch, 0, bytes);
    for (size_t i = 0; i < n; i++)
        scratch[ids[i] >> 6] |= (uint64_t)1 << (ids[i] & 63);
    if (strmap_get(groups, (const char *)scratch, bytes, group))
        return IPR_OK;
    uint64_t *mask = arena_alloc(&rs->arena, bytes);
    const uint64_t **slot = mask ? vec_push(masks) : NULL;
    if (!slot)
        return IPR_ENOMEM;
    memcpy(mask, scratch, bytes);
    *slot = mask;
    *group = (uint32_t)(masks->count - 1);
    return strmap_put(groups, (const char *)mask, bytes, *group);
}

/* The group of each field of a comparison, for its value. */
static ipr_status expr_groups(struct ipr_ruleset *rs, struct strmap *groups, struct vec *masks,
                              uint64_t *scratch, struct expr *e)
{
    if (!e)
        return IPR_OK;
    if (e->kind == EXPR_FIELD)
        return intern_group(rs, groups, masks, scratch, &e->sel_id, 1, &e->sel_group);
    ipr_status st = expr_groups(rs, groups, masks, scratch, e->lhs);
    return st == IPR_OK ? expr_groups(rs, groups, masks, scratch, e->rhs) : st;
}

/* The group of c's selectors (and of its children's), and for a
 * comparison, of each of its fields. */
static ipr_status selector_masks(struct ipr_ruleset *rs, struct strmap *groups, struct vec *masks,
                                 uint64_t *scratch, struct ccond *c)
{
    uint32_t group;
    ipr_status st = intern_group(rs, groups, masks, scratch, c->sel_ids, c->field_count, &group);
    if (st != IPR_OK)
        return st;
    c->sel_mask = *(const uint64_t **)vec_at(masks, group);
    c->sel_group = group;
    if (st == IPR_OK && c->kind == COND_COMPARE)
        st = expr_groups(rs, groups, masks, scratch, c->cmp.lhs);
    if (st == IPR_OK && c->kind == COND_COMPARE)
        st = expr_groups(rs, groups, masks, scratch, c->cmp.rhs);
    for (size_t i = 0; st == IPR_OK && i < c->item_count; i++)
        st = selector_masks(rs, groups, masks, scratch, c->items[i]);
    return st;
}

/* Every condition's selector mask and group; the ruleset keeps the groups. */
static ipr_status selector_groups(struct ipr_ruleset *rs)
{
    struct strmap groups;
    struct vec masks;
    strmap_init(&groups);
    vec_init(&masks, sizeof(const uint64_t *));
    uint64_t *scratch = calloc(rs->selector_words, sizeof(uint64_t));
    ipr_status st = scratch ? IPR_OK : IPR_ENOMEM;
    for (size_t r = 0; st == IPR_OK && r < rs->rule_count; r++) {
        struct crule *cr = &rs->rules[r];
        st = selector_masks(rs, &groups, &masks, scratch, cr->match);
        for (size_t u = 0; st == IPR_OK && u < cr->unless_count; u++)
            st = selector_masks(rs, &groups, &masks, scratch, cr->unless[u]);
    }
    if (st == IPR_OK && masks.count) {
        rs->sel_groups = arena_alloc(&rs->arena, masks.count * sizeof(const uint64_t *));
        if (rs->sel_groups) {
            memcpy(rs->sel_groups, masks.items, masks.count * sizeof(const uint64_t *));
            rs->sel_group_count = (uint32_t)masks.count;
        } else {
            st = IPR_ENOMEM;
        }
    }
    free(scratch);
    strmap_release(&groups);
    vec_release(&masks);
    return st;
}

/* ---- gates --------------------------------------------------------------------- */

static ipr_status single(struct gate_builder *b, bool never, uint32_t trigger, struct clauses *out)
{
    struct gate_clause *cl = arena_calloc(&b->rs->arena, 1, sizeof(*cl));
    uint32_t *t = arena_alloc(&b->rs->arena, sizeof(uint32_t));
    if (!cl || !t)
        return IPR_ENOMEM;
    *t = trigger;
    cl->triggers = t;
    cl->count = never ? 0 : 1; /* a clause without triggers never holds */
    out->items = cl;
    out->count = 1;
    return IPR_OK;
}

static ipr_status gate_of(struct gate_builder *b, const struct ccond *c, struct clauses *out);

/* `all` and `near`: every child must hold, so every child's clauses apply
 * (past the 64th child none are added: fewer clauses only open the gate
 * more often, never wrongly close it). */
static ipr_status join(struct gate_builder *b, const struct ccond *c, struct clauses *out)
{
    struct clauses parts[64];
    size_t n = c->item_count < IPR_ARRAY_LEN(parts) ? c->item_count : IPR_ARRAY_LEN(parts);
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++) {
        ipr_status st = gate_of(b, c->items[i], &parts[i]);
        if (st != IPR_OK)
            return st;
        total += parts[i].count;
    }
    if (!total)
        return IPR_OK;
    struct gate_clause *all = arena_alloc(&b->rs->arena, total * sizeof(*all));
    if (!all)
        return IPR_ENOMEM;
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < parts[i].count; j++)
            all[k++] = parts[i].items[j];
    out->items = all;
    out->count = total;
    return IPR_OK;
}

/* `any`: one clause holding a clause of every child (the narrowest). */
static ipr_status unite(struct gate_builder *b, const struct ccond *c, struct clauses *out)
{
    struct vec triggers;
    vec_init(&triggers, sizeof(uint32_t));
    ipr_status st = IPR_OK;
    bool always = false;
    for (size_t i = 0; st == IPR_OK && i < c->item_count && !always; i++) {
        struct clauses part = {NULL, 0};
        st = gate_of(b, c->items[i], &part);
        if (st != IPR_OK || !part.count) {
            always = true;
            break;
        }
        const struct gate_clause *best = &part.items[0];
        for (uint32_t j = 1; j < part.count; j++)
            if (part.items[j].count < best->count)
                best = &part.items[j];
        for (uint32_t j = 0; j < best->count && st == IPR_OK; j++) {
            uint32_t *slot = vec_push(&triggers);
            if (slot)
                *slot = best->triggers[j];
            else
                st = IPR_ENOMEM;
        }
    }
    if (st == IPR_OK && !always && c->item_count) {
        struct gate_clause *cl = arena_calloc(&b->rs->arena, 1, sizeof(*cl));
        uint32_t *t = arena_alloc(&b->rs->arena, (triggers.count + 1) * sizeof(uint32_t));
        if (cl && t) {
            if (triggers.count)
                memcpy(t, triggers.items, triggers.count * sizeof(uint32_t));
            cl->triggers = t;
            cl->count = (uint32_t)triggers.count;
            out->items = cl;
            out->count = 1;
        } else {
            st = IPR_ENOMEM;
        }
    }
    vec_release(&triggers);
    return st;
}

static ipr_status gate_of(struct gate_builder *b, const struct ccond *c, struct clauses *out)
{
    const struct prefilter *pf = b->rs->prefilter;
    out->items = NULL;
    out->count = 0;
    switch (c->kind) {
    case COND_REGEX:
        return c->prefiltered ? single(b, false, c->pf_id, out) : IPR_OK;
    case COND_TERMS:
        return single(b, false, gate_terms_trigger(pf->regex_count, c->pf_id), out);
    case COND_MARK:
        /* without a registry a mark leaf never holds */
        return single(b, !b->rs->marks, b->rs->marks_trigger, out);
    case COND_ALL:
    case COND_NEAR:
        return join(b, c, out);
    case COND_ANY:
        return unite(b, c, out);
    default:
        return IPR_OK; /* `not` and field constraints: nothing the prefilter sees */
    }
}

/* Lists each rule whose gate is one clause of regex triggers under those
 * regexes (struct regex_gated). */
static ipr_status list_regex_gated(struct ipr_ruleset *rs)
{
    uint32_t regexes = rs->prefilter->regex_count;
    struct regex_gated *rg = &rs->regex_gated;
    rg->start = arena_calloc(&rs->arena, (size_t)regexes + 2, sizeof(uint32_t));
    if (!rg->start)
        return IPR_ENOMEM;
    rg->unlisted = arena_calloc(&rs->arena, ipr_bitset_bytes(rs->rule_count), 1);
    if (!rg->unlisted)
        return IPR_ENOMEM;
    size_t listed = 0;
    for (size_t r = 0; r < rs->rule_count; r++) {
        struct rule_gate *g = &rs->rules[r].gate;
        g->regex_only = g->count == 1;
        for (uint32_t i = 0; g->regex_only && i < g->clauses[0].count; i++)
            g->regex_only = g->clauses[0].triggers[i] < regexes;
        if (!g->regex_only) {
            rg->unlisted[r >> 3] |= (uint8_t)(1u << (r & 7));
            continue;
        }
        rg->rule_count++;
        for (uint32_t i = 0; i < g->clauses[0].count; i++)
            rg->start[g->clauses[0].triggers[i] + 2]++;
        listed += g->clauses[0].count;
    }
    for (uint32_t t = 0; t < regexes; t++)
        rg->start[t + 2] += rg->start[t + 1];
    rg->rules = arena_alloc(&rs->arena, (listed ? listed : 1) * sizeof(uint32_t));
    if (!rg->rules)
        return IPR_ENOMEM;
    /* start[t + 1] is the fill position of regex t; it ends at start[t + 2],
     * which is where the next regex's list begins once filled */
    for (size_t r = 0; r < rs->rule_count; r++) {
        const struct rule_gate *g = &rs->rules[r].gate;
        for (uint32_t i = 0; g->regex_only && i < g->clauses[0].count; i++)
            rg->rules[rg->start[g->clauses[0].triggers[i] + 1]++] = (uint32_t)r;
    }
    return IPR_OK;
}

ipr_status gate_build(struct ipr_ruleset *rs)
{
    struct gate_builder b = {.rs = rs};
    strmap_init(&b.selectors);
    vec_init(&b.names, sizeof(const char *));
    vec_init(&b.uses, sizeof(uint8_t));
    rs->marks_trigger = rs->prefilter->regex_count + rs->prefilter->termset_count;
    rs->trigger_count = rs->marks_trigger + 1;
    ipr_status st = IPR_OK;
    for (size_t r = 0; st == IPR_OK && r < rs->rule_count; r++) {
        struct crule *cr = &rs->rules[r];
        st = intern_selectors(&b, cr->match);
        for (size_t u = 0; st == IPR_OK && u < cr->unless_count; u++)
            st = intern_selectors(&b, cr->unless[u]);
        struct clauses g = {NULL, 0};
        if (st == IPR_OK)
            st = gate_of(&b, cr->match, &g);
        cr->gate.clauses = g.items;
        cr->gate.count = g.count;
    }
    if (st == IPR_OK && b.names.count) {
        size_t n = b.names.count;
        rs->selectors = arena_alloc(&rs->arena, n * sizeof(const char *));
        rs->selector_use = arena_alloc(&rs->arena, n);
        if (rs->selectors && rs->selector_use) {
            memcpy(rs->selectors, b.names.items, n * sizeof(const char *));
            memcpy(rs->selector_use, b.uses.items, n);
            rs->selector_count = (uint32_t)n;
        } else {
            st = IPR_ENOMEM;
        }
    }
    rs->selector_words = (rs->selector_count + 63) / 64;
    if (!rs->selector_words)
        rs->selector_words = 1;
    if (st == IPR_OK)
        st = selector_groups(rs);
    if (st == IPR_OK)
        st = list_regex_gated(rs);
    strmap_release(&b.selectors);
    vec_release(&b.names);
    vec_release(&b.uses);
    return st;
}
