/*
 * rule_load.c - YAML text -> struct rule_pack: the pack, its rules and their
 * test examples (see rule_load.h and docs/rules.md).
 *
 * The walk never stops at the first problem, so one run shows every error of
 * a pack; the partial AST of a pack with errors is never handed out.  The AST
 * lives in ctx->arena; the YAML tree in a scratch arena released before
 * returning.  Term lists (term_load.c) are read before the rules, which may
 * name a list defined further down; conditions are in cond_load.c.
 */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/buf.h"
#include "../base/limits.h"
#include "../base/vec.h"

/* ---- test examples ------------------------------------------------------------------ */

static ipr_status flatten(struct loader *ld, const struct ynode *n, struct buf *path,
                          struct vec *acc)
{
    size_t mark = path->len;
    ipr_status st = IPR_OK;
    if (n->kind == YNODE_MAPPING) {
        for (size_t i = 0; st == IPR_OK && i < n->u.map.count; i++) {
            const struct ynode *k = n->u.map.pairs[i].key;
            if (k->kind == YNODE_BAD)
                continue;
            if (k->kind != YNODE_SCALAR) {
                loader_err(ld, k, "expected a field name in an example, found %s",
                           ynode_describe(k));
                continue;
            }
            if (ynode_is_null(k) || loader_is_blank(k->u.scalar.text, k->u.scalar.len)) {
                loader_err(ld, k, "empty field name in an example");
                continue;
            }
            if (path->len)
                st = buf_append_char(path, '.');
            if (st == IPR_OK)
                st = buf_append(path, k->u.scalar.text, k->u.scalar.len);
            if (st == IPR_OK)
                st = flatten(ld, n->u.map.pairs[i].value, path, acc);
            path->len = mark;
        }
    } else if (n->kind == YNODE_SEQUENCE) {
        for (size_t i = 0; st == IPR_OK && i < n->u.seq.count; i++) {
            st = buf_printf(path, "[%zu]", i);
            if (st == IPR_OK)
                st = flatten(ld, n->u.seq.items[i], path, acc);
            path->len = mark;
        }
    } else if (n->kind == YNODE_SCALAR) {
        if (acc->count >= IPR_INPUT_MAX_FIELDS) {
            loader_err(ld, n, "example has more than %u fields", IPR_INPUT_MAX_FIELDS);
            return IPR_ELIMIT;
        }
        struct example_field *f = vec_push(acc);
        if (!f)
            return IPR_ENOMEM;
        f->path = loader_dup(ld, path->data ? path->data : "", mark);
        f->value = ynode_is_null(n) ? "" : loader_dup(ld, n->u.scalar.text, n->u.scalar.len);
    }
    if (path->data)
        path->data[mark] = '\0';
    return st;
}

/* `images[].alt_text` -> `images.alt_text`: the canonical path of a leaf. */
static const char *plain_example_path(struct loader *ld, const char *sel)
{
    size_t n = strlen(sel);
    char *p = arena_alloc(ld->out, n + 1);
    if (!p) {
        ld->oom = true;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (sel[i] == '[' && sel[i + 1] == ']') {
            i++;
            continue;
        }
        p[o++] = sel[i];
    }
    p[o] = '\0';
    return p;
}

static const char *render_display(struct loader *ld, const struct rule_example *ex, bool plain)
{
    struct buf b;
    buf_init(&b, 0);
    ipr_status st = plain ? IPR_OK : buf_append_char(&b, '{');
    for (size_t i = 0; st == IPR_OK && i < ex->field_count; i++) {
        if (!plain)
            st = buf_printf(&b, "%s%s: ", i ? ", " : "", ex->fields[i].path);
        if (st == IPR_OK)
            st = text_append_quoted(&b, ex->fields[i].value, strlen(ex->fields[i].value));
    }
    if (st == IPR_OK && !plain)
        st = buf_append_char(&b, '}');
    const char *out = NULL;
    if (st == IPR_OK) {
        size_t len = b.len;
        bool cut = len > IPR_RULE_EXAMPLE_DISPLAY_BYTES;
        if (cut) {
            len = IPR_RULE_EXAMPLE_DISPLAY_BYTES - 3;
            while (len && ((unsigned char)b.data[len] & 0xC0) == 0x80)
                len--;
        }
        char *p = arena_alloc(ld->out, len + (cut ? 4 : 1));
        if (p) {
            memcpy(p, b.data ? b.data : "", len);
            memcpy(p + len, cut ? "..." : "", cut ? 4 : 1);
            out = p;
        }
    }
    if (!out)
        ld->oom = true;
    buf_release(&b);
    return out;
}

static void load_example(struct loader *ld, const struct ynode *n, struct rule_example *ex)
{
    const struct rule *r = ld->rule;
    ex->pos = loader_pos(n);
    if (n->kind == YNODE_BAD)
        return;
    if (n->kind == YNODE_SCALAR && !ynode_is_null(n)) {
        if (!r->field_count)
            return; /* `fields` is missing or wrong, which is reported */
        if (strcmp(r->fields[0], "*") == 0) {
            loader_err(
                ld, n,
                "a plain example needs a named first field, but 'fields' starts with '*'; write "
                "the example as a mapping");
            return;
        }
        ex->fields = loader_array(ld, 1, sizeof(struct example_field));
        if (!ex->fields)
            return;
        ex->fields[0].path = plain_example_path(ld, r->fields[0]);
        ex->fields[0].value = loader_dup(ld, n->u.scalar.text, n->u.scalar.len);
        ex->field_count = 1;
        if (!ld->oom)
            ex->display = render_display(ld, ex, true);
        return;
    }
    if (n->kind != YNODE_MAPPING) {
        loader_err(ld, n, "expected a string or a mapping for an example, found %s",
                   ynode_describe(n));
        return;
    }
    struct vec acc;
    struct buf path;
    vec_init(&acc, sizeof(struct example_field));
    buf_init(&path, 0);
    ipr_status st = flatten(ld, n, &path, &acc);
    if (st == IPR_ENOMEM)
        ld->oom = true;
    if (st == IPR_OK && (ex->fields = loader_array(ld, acc.count, sizeof(struct example_field)))) {
        if (acc.count)
            memcpy(ex->fields, acc.items, acc.count * sizeof(struct example_field));
        ex->field_count = acc.count;
        if (!ld->oom)
            ex->display = render_display(ld, ex, false);
    }
    vec_release(&acc);
    buf_release(&path);
}

static struct rule_example *load_examples(struct loader *ld, const struct ynode *v, const char *key,
                                          size_t *count)
{
    *count = 0;
    if (!v || v->kind == YNODE_BAD)
        return NULL;
    if (v->kind != YNODE_SEQUENCE) {
        loader_err(ld, v, "expected a sequence of examples for '%s', found %s", key,
                   ynode_describe(v));
        return NULL;
    }
    struct rule_example *ex = loader_array(ld, v->u.seq.count, sizeof(struct rule_example));
    for (size_t i = 0; ex && i < v->u.seq.count && !ld->oom; i++)
        load_example(ld, v->u.seq.items[i], &ex[(*count)++]);
    return ex;
}

static void load_tests(struct loader *ld, struct rule *r, const struct ynode *v)
{
    static const char *const keys[] = {"match", "no_match"};
    if (!v || v->kind == YNODE_BAD)
        return;
    if (v->kind != YNODE_MAPPING) {
        loader_err(ld, v, "expected a mapping with 'match' and 'no_match' for 'tests', found %s",
                   ynode_describe(v));
        return;
    }
    loader_check_keys(ld, v, keys, IPR_ARRAY_LEN(keys), "'tests'");
    r->must_match = load_examples(ld, loader_get(v, "match"), "match", &r->must_match_count);
    r->must_not_match =
        load_examples(ld, loader_get(v, "no_match"), "no_match", &r->must_not_match_count);
}

/* ---- rules ---------------------------------------------------------------------------- */

static bool is_rule_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 64 || s[0] < 'A' || s[0] > 'Z')
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || ipr_is_ascii_digit((unsigned char)s[i]) ||
              s[i] == '-'))
            return false;
    return true;
}

static void load_severity(struct loader *ld, struct rule *r, const struct ynode *v)
{
    char a[YAML_EXCERPT_CAP];
    if (!v || v->kind == YNODE_BAD)
        return;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        loader_err(ld, v, "expected a string for 'severity', found %s", ynode_describe(v));
        return;
    }
    if (ipr_severity_parse(v->u.scalar.text, &r->severity) != IPR_OK)
        loader_err(ld, v, "'severity' must be one of info, low, medium, high, critical, not '%s'",
                   loader_show(a, v));
}

static void load_rule(struct loader *ld, const struct ynode *n, struct rule *r)
{
    static const char *const keys[] = {"id",         "title", "description", "severity", "enabled",
                                       "fields",     "match", "unless",      "message",  "fix",
                                       "references", "tags",  "tests"};
    char a[YAML_EXCERPT_CAP];
    r->file = ld->file;
    r->enabled = true;
    r->description = r->message = r->fix = "";
    r->pos = r->id_pos = loader_pos(n);
    if (n->kind == YNODE_BAD)
        return;
    if (n->kind != YNODE_MAPPING) {
        loader_err(ld, n, "expected a mapping for a rule, found %s", ynode_describe(n));
        return;
    }
    const struct ynode *id = loader_get(n, "id");
    if (id && id->kind == YNODE_SCALAR && !ynode_is_null(id))
        snprintf(ld->where, sizeof(ld->where), "rule '%s'", loader_show(a, id));
    else
        snprintf(ld->where, sizeof(ld->where), "this rule");
    const char *where = ld->where;
    loader_check_keys(ld, n, keys, IPR_ARRAY_LEN(keys), where);
    if (loader_need(ld, n, "id", where)) {
        r->id = loader_string(ld, id, "'id'", true);
        r->id_pos = loader_pos(id);
        if (r->id && !is_rule_id(r->id))
            loader_err(ld, id, "rule id '%s' does not match ^[A-Z][A-Z0-9-]{2,63}$",
                       loader_show(a, id));
    }
    r->title = loader_string(ld, loader_need(ld, n, "title", where), "'title'", true);
    const struct ynode *desc = loader_get(n, "description");
    if (desc)
        r->description = loader_string(ld, desc, "'description'", false);
    load_severity(ld, r, loader_need(ld, n, "severity", where));
    r->enabled = loader_bool(ld, loader_get(n, "enabled"), "enabled", true);
    r->fields =
        loader_selectors(ld, loader_need(ld, n, "fields", where), "fields", &r->field_count);
    ld->rule = r;
    r->match = cond_load(ld, loader_need(ld, n, "match", where), false);
    const struct ynode *unless = loader_get(n, "unless");
    if (unless && unless->kind == YNODE_SEQUENCE) {
        r->unless = loader_array(ld, unless->u.seq.count, sizeof(struct cond *));
        for (size_t i = 0; r->unless && i < unless->u.seq.count; i++)
            r->unless[r->unless_count++] = cond_load(ld, unless->u.seq.items[i], false);
    } else if (unless && unless->kind != YNODE_BAD) {
        loader_err(ld, unless, "expected a sequence of conditions for 'unless', found %s",
                   ynode_describe(unless));
    }
    const struct ynode *msg = loader_get(n, "message"), *fix = loader_get(n, "fix");
    if (msg)
        r->message = loader_string(ld, msg, "'message'", false);
    if (fix)
        r->fix = loader_string(ld, fix, "'fix'", false);
    r->references =
        loader_strings(ld, loader_get(n, "references"), "references", &r->reference_count);
    r->tags = loader_strings(ld, loader_get(n, "tags"), "tags", &r->tag_count);
    load_tests(ld, r, loader_get(n, "tests"));
    ld->rule = NULL;
}

static int cmp_rule_ref(const void *pa, const void *pb)
{
    const struct rule *x = *(const struct rule *const *)pa, *y = *(const struct rule *const *)pb;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x < y ? -1 : (x > y);
}

/* Reported at each later use, in document order; sorting keeps 100k rules
 * from costing 100k squared. */
static void check_duplicate_ids(struct loader *ld, struct rule *rules, size_t count)
{
    const struct rule **refs = malloc((count ? count : 1) * sizeof(*refs));
    const struct rule **first = calloc(count ? count : 1, sizeof(*first));
    if (!refs || !first) {
        ld->oom = true;
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (rules[i].id)
            refs[n++] = &rules[i];
    qsort(refs, n, sizeof(*refs), cmp_rule_ref);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(refs[i - 1]->id, refs[i]->id) != 0)
            continue;
        const struct rule *head = first[refs[i - 1] - rules];
        first[refs[i] - rules] = head ? head : refs[i - 1];
    }
    for (size_t i = 0; i < count; i++) {
        char a[YAML_EXCERPT_CAP];
        if (!first[i])
            continue;
        yaml_excerpt(a, sizeof(a), rules[i].id, strlen(rules[i].id));
        loader_err_pos(ld, ld->file, rules[i].id_pos.line, rules[i].id_pos.col,
                       "duplicate rule id '%s' in this pack (first at line %u)", a,
                       (unsigned)first[i]->id_pos.line);
    }
out:
    free(refs);
    free(first);
}

static void load_rules(struct loader *ld, const struct ynode *v)
{
    if (!v || v->kind == YNODE_BAD)
        return;
    if (v->kind != YNODE_SEQUENCE) {
        loader_err(ld, v, "expected a sequence of rules for 'rules', found %s", ynode_describe(v));
        return;
    }
    if (v->u.seq.count > IPR_MAX_RULES) {
        loader_err(ld, v, "more than %u rules in one pack", IPR_MAX_RULES);
        return;
    }
    struct rule *rules = loader_array(ld, v->u.seq.count, sizeof(struct rule));
    if (!rules)
        return;
    ld->pack->rules = rules;
    for (size_t i = 0; i < v->u.seq.count && !ld->oom && !ld->stopped; i++)
        load_rule(ld, v->u.seq.items[i], &rules[ld->pack->rule_count++]);
    if (!ld->oom && !ld->stopped)
        check_duplicate_ids(ld, rules, ld->pack->rule_count);
}

/* ---- the pack --------------------------------------------------------------------------- */

static void load_stage(struct loader *ld, const struct ynode *v)
{
    static const char *const stages[IPR_STAGE_COUNT] = {"headway", "tailing", "payment",
                                                        "marketing", "warehousing"};
    char a[YAML_EXCERPT_CAP];
    if (!v || v->kind == YNODE_BAD)
        return;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        loader_err(ld, v, "expected a string for 'stage', found %s", ynode_describe(v));
        return;
    }
    if (ipr_stage_parse(v->u.scalar.text, &ld->pack->stage) == IPR_OK)
        return;
    const char *s = loader_suggest(ld, v->u.scalar.text, v->u.scalar.len, stages, IPR_STAGE_COUNT);
    if (s)
        loader_err(ld, v, "unknown stage '%s' (did you mean '%s'?)", loader_show(a, v), s);
    else
        loader_err(ld, v,
                   "unknown stage '%s' (one of headway, tailing, payment, marketing, warehousing)",
                   loader_show(a, v));
}

static void load_pack(struct loader *ld, const struct ynode *root)
{
    static const char *const keys[] = {"pack",        "stage", "version", "title",
                                       "description", "terms", "rules"};
    struct rule_pack *p = ld->pack;
    p->file = ld->file;
    p->description = "";
    if (!root) {
        loader_err_pos(ld, ld->file, 1, 1, "the rule pack is empty");
        return;
    }
    if (root->kind == YNODE_BAD)
        return;
    if (root->kind != YNODE_MAPPING) {
        loader_err(ld, root, "expected a mapping at the top of the rule pack, found %s",
                   ynode_describe(root));
        return;
    }
    const char *where = "the pack";
    loader_check_keys(ld, root, keys, IPR_ARRAY_LEN(keys), where);
    p->name = loader_string(ld, loader_need(ld, root, "pack", where), "'pack'", true);
    load_stage(ld, loader_need(ld, root, "stage", where));
    p->version = loader_string(ld, loader_need(ld, root, "version", where), "'version'", true);
    p->title = loader_string(ld, loader_need(ld, root, "title", where), "'title'", true);
    const struct ynode *desc = loader_get(root, "description");
    if (desc)
        p->description = loader_string(ld, desc, "'description'", false);
    /* lists first: rules may name a list defined further down */
    term_load_lists(ld, loader_get(root, "terms"));
    if (!ld->oom)
        load_rules(ld, loader_need(ld, root, "rules", where));
}

ipr_status rule_load_pack(const struct rule_load_ctx *ctx, const char *file, const char *text,
                          size_t text_len, struct rule_pack **out)
{
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if (!ctx || !ctx->arena || !ctx->diags || !file || (!text && text_len))
        return IPR_EINVAL;
    struct diag_list *diags = ctx->diags;
    size_t errors_before = diags->error_count;
    bool diags_oom_before = diags->out_of_memory;
    struct arena scratch;
    arena_init(&scratch, 64u * 1024u);
    struct ynode *root = NULL;
    ipr_status st = yaml_tree_parse(&scratch, diags, file, text ? text : "", text_len, &root);
    struct loader ld;
    memset(&ld, 0, sizeof(ld));
    ld.ctx = ctx;
    ld.out = ctx->arena;
    ld.errors_before = errors_before;
    ld.suggest_budget = LOADER_SUGGEST_BUDGET;
    if (st == IPR_OK) {
        ld.file = arena_strdup(ctx->arena, file);
        ld.pack = arena_calloc(ctx->arena, 1, sizeof(struct rule_pack));
        if (!ld.file || !ld.pack)
            ld.oom = true;
        else
            load_pack(&ld, root);
    }
    arena_release(&scratch);
    if (st == IPR_ENOMEM || ld.oom || (diags->out_of_memory && !diags_oom_before))
        return IPR_ENOMEM;
    if (diags->error_count > errors_before)
        return IPR_ERULES;
    if (st != IPR_OK)
        return st;
    *out = ld.pack;
    return IPR_OK;
}
