/*
 * compile_rule.c - compile each rule's conditions (see compile_rule.h).
 *
 * The effective field selectors of a leaf are resolved here once (the leaf's
 * own `field`/`fields`, else the rule's), so the scanner never looks at the
 * rule to know where a leaf reads.
 */
#include "compile_rule.h"

#include <stdlib.h>

#include "../base/buf.h"
#include "../base/limits.h"

struct compile_ctx {
    struct ipr_ruleset *rs;
    struct diag_list *diags;
    struct normalizer *norm;
    const struct rule *rule;
    struct buf scratch;
};

ipr_status fold_value(struct normalizer *norm, const char *s, size_t len, struct buf *out)
{
    buf_clear(out);
    struct norm_text nt;
    ipr_status st = normalizer_run(norm, s, len, NORM_FOLD, &nt);
    if (st != IPR_OK)
        return st;
    bool pending_space = false;
    for (size_t i = 0; i < nt.len; i++) {
        unsigned char ch = (unsigned char)nt.text[i];
        if (ipr_is_ascii_space(ch)) {
            pending_space = out->len > 0;
            continue;
        }
        if (pending_space && (st = buf_append_char(out, ' ')) != IPR_OK)
            return st;
        pending_space = false;
        if ((st = buf_append_char(out, (char)ch)) != IPR_OK)
            return st;
    }
    return buf_reserve(out, 0);
}

static ipr_status compile_cond(struct compile_ctx *cx, const struct cond *src, struct ccond **out);

static ipr_status compile_children(struct compile_ctx *cx, struct ccond *cc,
                                   struct cond *const *items, size_t count)
{
    cc->items = arena_calloc(&cx->rs->arena, count ? count : 1, sizeof(struct ccond *));
    if (!cc->items)
        return IPR_ENOMEM;
    cc->item_count = count;
    for (size_t i = 0; i < count; i++) {
        ipr_status st = compile_cond(cx, items[i], &cc->items[i]);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

static ipr_status compile_regex(struct compile_ctx *cx, struct ccond *cc, bool anchored)
{
    ipr_status st = regex_compile(&cc->re, cc->src, cx->rule->file, anchored, cx->diags);
    if (st == IPR_ERULES)
        return IPR_OK; /* reported; keep compiling to find more problems */
    if (st != IPR_OK)
        return st;
    struct regex **slot = vec_push(&cx->rs->regexes);
    if (!slot) {
        regex_release(&cc->re);
        return IPR_ENOMEM;
    }
    *slot = &cc->re;
    return IPR_OK;
}

static ipr_status fold_values(struct compile_ctx *cx, struct ccond *cc, const char *const *values,
                              size_t count)
{
    cc->folded = arena_calloc(&cx->rs->arena, count ? count : 1, sizeof(char *));
    if (!cc->folded)
        return IPR_ENOMEM;
    cc->folded_count = count;
    for (size_t i = 0; i < count; i++) {
        ipr_status st = fold_value(cx->norm, values[i], strlen(values[i]), &cx->scratch);
        if (st != IPR_OK)
            return st;
        cc->folded[i] = arena_strndup(&cx->rs->arena, buf_str(&cx->scratch), cx->scratch.len);
        if (!cc->folded[i])
            return IPR_ENOMEM;
    }
    return IPR_OK;
}

static ipr_status compile_cond(struct compile_ctx *cx, const struct cond *src, struct ccond **out)
{
    struct ccond *cc = arena_calloc(&cx->rs->arena, 1, sizeof(*cc));
    if (!cc)
        return IPR_ENOMEM;
    *out = cc;
    cc->kind = src->kind;
    cc->src = src;
    if (src->field_count) {
        cc->fields = src->fields;
        cc->field_count = src->field_count;
    } else {
        cc->fields = cx->rule->fields;
        cc->field_count = cx->rule->field_count;
    }
    const char *file = cx->rule->file;
    switch (src->kind) {
    case COND_ALL:
    case COND_ANY:
        return compile_children(cx, cc, src->u.list.items, src->u.list.count);
    case COND_NOT:
        return compile_children(cx, cc, &src->u.child, 1);
    case COND_NEAR: {
        struct cond *pair[2] = {src->u.near.first, src->u.near.second};
        ipr_status st = compile_children(cx, cc, pair, 2);
        for (size_t i = 0; st == IPR_OK && i < 2; i++) {
            enum cond_kind k = cc->items[i]->kind;
            if (k != COND_REGEX && k != COND_TERMS && k != COND_MARK)
                diag_add(cx->diags, IPR_DIAG_ERROR, file, pair[i]->pos.line, pair[i]->pos.col,
                         "'near' takes text conditions (regex, terms, mark)");
        }
        return st;
    }
    case COND_REGEX:
        return compile_regex(cx, cc, false);
    case COND_PATTERN:
        return compile_regex(cx, cc, true);
    case COND_TERMS: {
        const struct term *empty = NULL;
        ipr_status st = termset_build(&cc->terms, src->u.terms.terms, src->u.terms.term_count,
                                      cx->norm, &cx->rs->arena, &empty);
        if (st == IPR_ERULES) {
            diag_add(cx->diags, IPR_DIAG_ERROR, empty->file, empty->pos.line, empty->pos.col,
                     "term '%s' is empty after normalization", empty->text);
            return IPR_OK;
        }
        return st;
    }
    case COND_EQUALS:
        return fold_values(cx, cc, &src->u.equals.value, 1);
    case COND_IN:
        return fold_values(cx, cc, src->u.in.values, src->u.in.count);
    case COND_COMPARE: {
        size_t off = 0;
        const char *why = NULL;
        ipr_status st = expr_parse(&cx->rs->arena, src->u.compare.expr, &cc->cmp, &off, &why);
        if (st == IPR_ERULES) {
            uint32_t col = src->u.compare.expr_pos.col;
            diag_add(cx->diags, IPR_DIAG_ERROR, file, src->u.compare.expr_pos.line,
                     col ? col + (uint32_t)off : 0, "bad compare expression: %s (at offset %zu)",
                     why, off);
            return IPR_OK;
        }
        return st;
    }
    case COND_MARK: {
        for (size_t i = 0; i < src->u.mark.class_count; i++) {
            char *end = NULL;
            long v = strtol(src->u.mark.classes[i], &end, 10);
            if (!end || *end || v < 1 || v > 45) {
                diag_add(cx->diags, IPR_DIAG_ERROR, file, src->pos.line, src->pos.col,
                         "Nice class must be a number from 1 to 45, not '%s'",
                         src->u.mark.classes[i]);
                continue;
            }
            cc->class_mask |= 1ull << v;
        }
        for (size_t i = 0; i < src->u.mark.kind_count; i++) {
            const char *k = src->u.mark.kinds[i];
            if (strcmp(k, "brand") == 0)
                cc->kind_mask |= 1u << MARK_BRAND;
            else if (strcmp(k, "character") == 0)
                cc->kind_mask |= 1u << MARK_CHARACTER;
            else if (strcmp(k, "event") == 0)
                cc->kind_mask |= 1u << MARK_EVENT;
            else
                diag_add(cx->diags, IPR_DIAG_ERROR, file, src->pos.line, src->pos.col,
                         "mark kind must be brand, character or event, not '%s'", k);
        }
        return fold_values(cx, cc, src->u.mark.marks, src->u.mark.mark_count);
    }
    case COND_PRESENT:
    case COND_ABSENT:
    case COND_MIN:
    case COND_MAX:
    case COND_LENGTH:
        return IPR_OK;
    }
    return IPR_OK;
}

/* ---- rule info ---------------------------------------------------------------- */

static ipr_status describe(const struct rule *r, struct buf *text)
{
    buf_clear(text);
    ipr_status st = cond_to_text(r->match, text);
    for (size_t i = 0; st == IPR_OK && i < r->unless_count; i++) {
        st = buf_append_str(text, i == 0 ? " unless " : ", ");
        if (st == IPR_OK)
            st = cond_to_text(r->unless[i], text);
    }
    return st;
}

/* Folded YAML blocks end in a newline; reports add their own. */
static const char *trimmed(struct arena *arena, const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && ipr_is_ascii_space((unsigned char)s[n - 1]))
        n--;
    return arena_strndup(arena, s, n);
}

static ipr_status example_texts(struct arena *arena, const struct rule_example *ex, size_t n,
                                const char *const **out)
{
    const char **texts = arena_calloc(arena, n ? n : 1, sizeof(char *));
    if (!texts)
        return IPR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        texts[i] = ex[i].display ? ex[i].display : "";
    *out = texts;
    return IPR_OK;
}

static int cmp_rule_id(const void *a, const void *b)
{
    const struct crule *x = *(const struct crule *const *)a, *y = *(const struct crule *const *)b;
    int c = strcmp(x->info.id, y->info.id);
    if (c)
        return c;
    return x->index < y->index ? -1 : (x->index > y->index);
}

static void check_duplicate_ids(struct ipr_ruleset *rs, struct diag_list *diags)
{
    if (rs->rule_count < 2)
        return;
    struct crule **sorted = malloc(rs->rule_count * sizeof(*sorted));
    if (!sorted) {
        diags->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < rs->rule_count; i++)
        sorted[i] = &rs->rules[i];
    qsort(sorted, rs->rule_count, sizeof(*sorted), cmp_rule_id);
    for (size_t i = 1; i < rs->rule_count; i++) {
        const struct crule *a = sorted[i - 1], *b = sorted[i];
        if (strcmp(a->info.id, b->info.id) == 0)
            diag_add(diags, IPR_DIAG_ERROR, b->ast->file, b->ast->id_pos.line, b->ast->id_pos.col,
                     "duplicate rule id '%s' (first in %s:%u)", b->info.id, a->ast->file,
                     a->ast->id_pos.line);
    }
    free(sorted);
}

ipr_status compile_packs(struct ipr_ruleset *rs, struct rule_pack *const *packs, size_t pack_count,
                         unsigned stage_mask, struct diag_list *diags)
{
    size_t total = 0;
    for (size_t p = 0; p < pack_count; p++)
        total += packs[p]->rule_count;
    if (total > IPR_MAX_RULES) {
        diag_add(diags, IPR_DIAG_ERROR, "", 0, 0, "%zu rules loaded, more than the limit of %u",
                 total, IPR_MAX_RULES);
        return IPR_OK;
    }
    rs->rules = arena_calloc(&rs->arena, total ? total : 1, sizeof(struct crule));
    if (!rs->rules)
        return IPR_ENOMEM;
    struct compile_ctx cx = {rs, diags, NULL, NULL, {0}};
    buf_init(&cx.scratch, 0);
    ipr_status st = normalizer_new(&cx.norm);
    struct buf text;
    buf_init(&text, 0);
    /* stage order first, load order within a stage: reports list stages in
     * the order of the supply chain */
    for (unsigned stage = 0; st == IPR_OK && stage < IPR_STAGE_COUNT; stage++) {
        for (size_t p = 0; st == IPR_OK && p < pack_count; p++) {
            const struct rule_pack *pack = packs[p];
            if (pack->stage != stage)
                continue;
            for (size_t i = 0; st == IPR_OK && i < pack->rule_count; i++) {
                const struct rule *r = &pack->rules[i];
                if (!r->enabled)
                    continue;
                struct crule *cr = &rs->rules[rs->rule_count];
                cr->index = rs->rule_count++;
                cr->ast = r;
                cx.rule = r;
                ipr_rule_info *info = &cr->info;
                info->id = r->id;
                info->title = r->title;
                info->description = r->description;
                info->stage = pack->stage;
                info->severity = r->severity;
                info->message =
                    trimmed(&rs->arena, r->message && r->message[0] ? r->message : r->title);
                info->fix = trimmed(&rs->arena, r->fix ? r->fix : "");
                info->description = trimmed(&rs->arena, r->description ? r->description : "");
                if (!info->message || !info->fix || !info->description)
                    st = IPR_ENOMEM;
                info->references = r->references;
                info->reference_count = r->reference_count;
                info->fields = r->fields;
                info->field_count = r->field_count;
                info->pack = pack->name;
                info->file = r->file;
                info->line = r->pos.line;
                info->must_match_count = r->must_match_count;
                info->must_not_match_count = r->must_not_match_count;
                st = example_texts(&rs->arena, r->must_match, r->must_match_count,
                                   &info->match_examples);
                if (st == IPR_OK)
                    st = example_texts(&rs->arena, r->must_not_match, r->must_not_match_count,
                                       &info->no_match_examples);
                st = describe(r, &text);
                if (st == IPR_OK) {
                    info->condition = arena_strndup(&rs->arena, buf_str(&text), text.len);
                    if (!info->condition)
                        st = IPR_ENOMEM;
                }
                if (st == IPR_OK)
                    st = compile_cond(&cx, r->match, &cr->match);
                if (st == IPR_OK && r->unless_count) {
                    cr->unless = arena_calloc(&rs->arena, r->unless_count, sizeof(struct ccond *));
                    if (!cr->unless)
                        st = IPR_ENOMEM;
                    for (size_t u = 0; st == IPR_OK && u < r->unless_count; u++)
                        st = compile_cond(&cx, r->unless[u], &cr->unless[u]);
                    cr->unless_count = r->unless_count;
                }
                if (st == IPR_OK && (stage_mask & (1u << stage)))
                    rs->stage_rule_count[stage]++;
            }
        }
    }
    if (st == IPR_OK)
        check_duplicate_ids(rs, diags);
    /* rules of stages the user did not ask for were compiled (so their
     * errors are still reported) but are dropped from the run */
    if (st == IPR_OK) {
        size_t kept = 0;
        for (size_t i = 0; i < rs->rule_count; i++) {
            if (!(stage_mask & (1u << rs->rules[i].info.stage)))
                continue;
            rs->rules[kept] = rs->rules[i];
            rs->rules[kept].index = kept;
            kept++;
        }
        rs->rule_count = kept;
    }
    buf_release(&text);
    buf_release(&cx.scratch);
    normalizer_free(cx.norm);
    return st;
}
