/*
 * cond_load.c - condition mappings -> struct cond (see docs/rules.md
 * "Conditions").
 *
 * A condition is a mapping with exactly one operator key, plus `field` or
 * `fields` where the operator reads a field.  The operator table says which
 * operators take fields; each operator's value is checked by its own loader.
 * Nesting is bounded by the YAML depth limit, so the recursion is too.
 */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"

/* ---- conditions -------------------------------------------------------------------- */

struct op {
    const char *name;
    enum cond_kind kind;
    bool takes_fields; /* `field:` / `fields:` may stand beside it */
};

static const struct op ops[] = {
    {"all", COND_ALL, false},       {"any", COND_ANY, false},
    {"not", COND_NOT, false},       {"regex", COND_REGEX, true},
    {"terms", COND_TERMS, true},    {"mark", COND_MARK, true},
    {"near", COND_NEAR, true},      {"present", COND_PRESENT, false},
    {"absent", COND_ABSENT, false}, {"equals", COND_EQUALS, true},
    {"in", COND_IN, true},          {"pattern", COND_PATTERN, true},
    {"min", COND_MIN, true},        {"max", COND_MAX, true},
    {"length", COND_LENGTH, true},  {"compare", COND_COMPARE, false},
};

/* Every key a condition mapping may hold, for suggestions. */
static const char *const cond_keys[] = {
    "all", "any",     "not", "regex", "terms",  "mark",    "near",  "present", "absent",  "equals",
    "in",  "pattern", "min", "max",   "length", "compare", "field", "fields",  "keywords"};

static const struct op *find_op(const char *name)
{
    for (size_t i = 0; i < IPR_ARRAY_LEN(ops); i++)
        if (strcmp(ops[i].name, name) == 0)
            return &ops[i];
    return NULL;
}

static const char *op_name(enum cond_kind kind)
{
    for (size_t i = 0; i < IPR_ARRAY_LEN(ops); i++)
        if (ops[i].kind == kind)
            return ops[i].name;
    return "?";
}

struct cond *cond_load(struct loader *ld, const struct ynode *n, bool in_near);

static void load_children(struct loader *ld, struct cond *c, const struct ynode *v,
                          const char *name)
{
    if (v->kind != YNODE_SEQUENCE) {
        loader_err(ld, v, "expected a sequence of conditions for '%s', found %s", name,
                   ynode_describe(v));
        return;
    }
    if (v->u.seq.count == 0) {
        loader_err(ld, v, "'%s' needs at least one condition", name);
        return;
    }
    c->u.list.items = loader_array(ld, v->u.seq.count, sizeof(struct cond *));
    if (!c->u.list.items)
        return;
    c->u.list.count = v->u.seq.count;
    for (size_t i = 0; i < v->u.seq.count && !ld->oom; i++)
        c->u.list.items[i] = cond_load(ld, v->u.seq.items[i], false);
}

static void load_terms_leaf(struct loader *ld, struct cond *c, const struct ynode *v)
{
    char a[YAML_EXCERPT_CAP];
    if (v->kind == YNODE_SEQUENCE) {
        if (v->u.seq.count == 0)
            loader_err(ld, v, "'terms' needs at least one term");
        c->u.terms.terms = term_load_inline(ld, v, "an inline list", &c->u.terms.term_count);
        return;
    }
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        loader_err(ld, v, "expected a term list name or a sequence of terms for 'terms', found %s",
                   ynode_describe(v));
        return;
    }
    const struct term_list *l = term_find_list(ld->pack, v->u.scalar.text);
    if (l) {
        c->u.terms.list_name = l->name;
        c->u.terms.terms = l->terms;
        c->u.terms.term_count = l->term_count;
        return;
    }
    const char *s = NULL;
    if (ld->pack->list_count && v->u.scalar.len <= LOADER_SUGGEST_MAX_LEN) {
        const char **names = malloc(ld->pack->list_count * sizeof(char *));
        if (!names) {
            ld->oom = true;
            return;
        }
        size_t n = 0;
        for (size_t i = 0; i < ld->pack->list_count; i++)
            if (ld->pack->lists[i].name)
                names[n++] = ld->pack->lists[i].name;
        s = loader_suggest(ld, v->u.scalar.text, v->u.scalar.len, names, n);
        if (s)
            loader_err(ld, v, "unknown term list '%s' (did you mean '%s'?)", loader_show(a, v), s);
        free(names);
    }
    if (!s)
        loader_err(ld, v, "unknown term list '%s'", loader_show(a, v));
}

static const char **mark_strings(struct loader *ld, const struct ynode *v, const char *key,
                                 size_t *count)
{
    const char **items = loader_strings(ld, v, key, count);
    if (v && v->kind == YNODE_SEQUENCE && v->u.seq.count == 0)
        loader_err(ld, v, "'%s' needs at least one entry", key);
    return items;
}

static void load_mark_leaf(struct loader *ld, struct cond *c, const struct ynode *v)
{
    static const char *const keys[] = {"marks",         "classes", "kinds",
                                       "jurisdictions", "how",     "price_below"};
    static const char *const kinds[] = {"brand", "character", "event"};
    static const char *const hows[] = {"exact", "case",      "alias", "confusable",
                                       "leet",  "separator", "fuzzy"};
    char a[YAML_EXCERPT_CAP];
    if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
        if (strcmp(v->u.scalar.text, "any") == 0) {
            c->u.mark.any = true;
            return;
        }
        c->u.mark.marks = loader_array(ld, 1, sizeof(char *));
        if (c->u.mark.marks && (c->u.mark.marks[0] = loader_string(ld, v, "'mark'", true)) != NULL)
            c->u.mark.mark_count = 1;
        return;
    }
    if (v->kind == YNODE_SEQUENCE) {
        c->u.mark.marks = mark_strings(ld, v, "mark", &c->u.mark.mark_count);
        return;
    }
    if (v->kind != YNODE_MAPPING) {
        loader_err(ld, v, "expected any, a list of marks or a mapping for 'mark', found %s",
                   ynode_describe(v));
        return;
    }
    size_t unknown = loader_check_keys(ld, v, keys, IPR_ARRAY_LEN(keys), "'mark'");
    const struct ynode *marks = loader_get(v, "marks"), *classes = loader_get(v, "classes"),
                       *kinds_v = loader_get(v, "kinds"), *jur = loader_get(v, "jurisdictions"),
                       *how = loader_get(v, "how"), *price = loader_get(v, "price_below");
    if (price) {
        double ratio = 0;
        char *end = NULL;
        if (price->kind == YNODE_SCALAR && !ynode_is_null(price))
            ratio = strtod(price->u.scalar.text, &end);
        if (!end || *end || !(ratio > 0) || ratio > 1)
            loader_err(ld, price, "'price_below' must be a number above 0 and at most 1, not '%s'",
                       loader_show(a, price));
        c->u.mark.has_price_below = true;
        c->u.mark.price_below = ratio;
    }
    if (!marks && !classes && !kinds_v && !jur && !how && !price) {
        if (!unknown) /* a misspelt key said it already */
            loader_err(ld, v, "'mark' needs 'marks', 'classes', 'kinds', 'jurisdictions' or 'how'");
        return;
    }
    c->u.mark.marks = mark_strings(ld, marks, "marks", &c->u.mark.mark_count);
    c->u.mark.classes = mark_strings(ld, classes, "classes", &c->u.mark.class_count);
    c->u.mark.kinds = mark_strings(ld, kinds_v, "kinds", &c->u.mark.kind_count);
    c->u.mark.jurisdictions = mark_strings(ld, jur, "jurisdictions", &c->u.mark.jurisdiction_count);
    c->u.mark.how = mark_strings(ld, how, "how", &c->u.mark.how_count);
    for (size_t i = 0; how && how->kind == YNODE_SEQUENCE && i < how->u.seq.count; i++) {
        const struct ynode *e = how->u.seq.items[i];
        if (e->kind == YNODE_SCALAR && !ynode_is_null(e) &&
            !loader_in_names(e->u.scalar.text, hows, IPR_ARRAY_LEN(hows)))
            loader_err(ld, e,
                       "'how' must be exact, case, alias, confusable, leet, separator or fuzzy, "
                       "not '%s'",
                       loader_show(a, e));
    }
    for (size_t i = 0; classes && classes->kind == YNODE_SEQUENCE && i < classes->u.seq.count;
         i++) {
        const struct ynode *e = classes->u.seq.items[i];
        uint64_t cls = 0;
        if (e->kind == YNODE_SCALAR && !ynode_is_null(e) &&
            (!loader_parse_uint(e->u.scalar.text, &cls) || cls < 1 || cls > 45))
            loader_err(ld, e, "'classes' holds Nice classes 1 to 45, not '%s'", loader_show(a, e));
    }
    for (size_t i = 0; kinds_v && kinds_v->kind == YNODE_SEQUENCE && i < kinds_v->u.seq.count;
         i++) {
        const struct ynode *e = kinds_v->u.seq.items[i];
        if (e->kind == YNODE_SCALAR && !ynode_is_null(e) &&
            !loader_in_names(e->u.scalar.text, kinds, IPR_ARRAY_LEN(kinds)))
            loader_err(ld, e, "'kinds' must be brand, character or event, not '%s'",
                       loader_show(a, e));
    }
}

static void load_near_leaf(struct loader *ld, struct cond *c, const struct ynode *v)
{
    static const char *const keys[] = {"words", "first", "second"};
    char a[YAML_EXCERPT_CAP];
    if (v->kind != YNODE_MAPPING) {
        loader_err(ld, v, "expected a mapping {words, first, second} for 'near', found %s",
                   ynode_describe(v));
        return;
    }
    loader_check_keys(ld, v, keys, IPR_ARRAY_LEN(keys), "'near'");
    const struct ynode *w = loader_need(ld, v, "words", "'near'");
    uint64_t words = 0;
    if (loader_uint(ld, w, "'words'", &words)) {
        if (words > IPR_RULE_MAX_NEAR_WORDS)
            loader_err(ld, w, "'words' must be at most %u, not '%s'", IPR_RULE_MAX_NEAR_WORDS,
                       loader_show(a, w));
        else
            c->u.near.words = (uint32_t)words;
    }
    const char *const sides[] = {"first", "second"};
    for (size_t i = 0; i < 2; i++) {
        const struct ynode *side = loader_need(ld, v, sides[i], "'near'");
        struct cond *sub = side ? cond_load(ld, side, true) : NULL;
        if (sub && sub->kind != COND_REGEX && sub->kind != COND_TERMS && sub->kind != COND_MARK)
            loader_err(ld, side,
                       "'%s' of 'near' must be a regex, terms or mark condition, not '%s'",
                       sides[i], op_name(sub->kind));
        if (i == 0)
            c->u.near.first = sub;
        else
            c->u.near.second = sub;
    }
}

static void load_length_leaf(struct loader *ld, struct cond *c, const struct ynode *v)
{
    static const char *const keys[] = {"min", "max"};
    if (v->kind != YNODE_MAPPING) {
        loader_err(ld, v, "expected a mapping {min, max} for 'length', found %s",
                   ynode_describe(v));
        return;
    }
    loader_check_keys(ld, v, keys, IPR_ARRAY_LEN(keys), "'length'");
    const struct ynode *mn = loader_get(v, "min"), *mx = loader_get(v, "max");
    if (!mn && !mx) {
        loader_err(ld, v, "'length' needs 'min', 'max' or both");
        return;
    }
    c->u.length.has_min = mn && loader_uint(ld, mn, "'min' of 'length'", &c->u.length.min);
    c->u.length.has_max = mx && loader_uint(ld, mx, "'max' of 'length'", &c->u.length.max);
    if (c->u.length.has_min && c->u.length.has_max && c->u.length.min > c->u.length.max)
        loader_err(ld, v, "'length' has min %llu greater than max %llu",
                   (unsigned long long)c->u.length.min, (unsigned long long)c->u.length.max);
}

static void load_value_leaf(struct loader *ld, struct cond *c, const struct ynode *v,
                            const char *name)
{
    char a[YAML_EXCERPT_CAP], what[24];
    snprintf(what, sizeof(what), "'%s'", name);
    switch (c->kind) {
    case COND_REGEX:
    case COND_PATTERN:
        c->u.regex.pattern = loader_string(ld, v, what, true);
        c->u.regex.pattern_pos = loader_pos(v);
        c->u.regex.pattern_quoted = ynode_is_quoted(v);
        return;
    case COND_COMPARE:
        c->u.compare.expr = loader_string(ld, v, what, true);
        c->u.compare.expr_pos = loader_pos(v);
        return;
    case COND_PRESENT:
    case COND_ABSENT:
        c->fields = loader_array(ld, 1, sizeof(char *));
        if (c->fields && (c->fields[0] = loader_selector(ld, v, what)) != NULL)
            c->field_count = 1;
        return;
    case COND_EQUALS:
        if (v->kind != YNODE_SCALAR || ynode_is_null(v))
            loader_err(ld, v, "expected a value for 'equals', found %s", ynode_describe(v));
        else
            c->u.equals.value = loader_dup(ld, v->u.scalar.text, v->u.scalar.len);
        return;
    case COND_IN:
        if (v->kind == YNODE_SEQUENCE && v->u.seq.count == 0) {
            loader_err(ld, v, "'in' needs at least one value");
            return;
        }
        if (v->kind != YNODE_SEQUENCE) {
            loader_err(ld, v, "expected a sequence for 'in', found %s", ynode_describe(v));
            return;
        }
        c->u.in.values = loader_array(ld, v->u.seq.count, sizeof(char *));
        for (size_t i = 0; c->u.in.values && i < v->u.seq.count; i++) {
            const struct ynode *e = v->u.seq.items[i];
            if (e->kind == YNODE_BAD)
                continue;
            if (e->kind != YNODE_SCALAR || ynode_is_null(e))
                loader_err(ld, e, "expected a value for an entry of 'in', found %s",
                           ynode_describe(e));
            else
                c->u.in.values[c->u.in.count++] = loader_dup(ld, e->u.scalar.text, e->u.scalar.len);
        }
        return;
    case COND_MIN:
    case COND_MAX:
        if (v->kind != YNODE_SCALAR || ynode_is_null(v))
            loader_err(ld, v, "expected a number for '%s', found %s", name, ynode_describe(v));
        else if (!loader_parse_number(v->u.scalar.text, &c->u.num.value))
            loader_err(ld, v, "'%s' must be a number, not '%s'", name, loader_show(a, v));
        else
            c->u.num.text = loader_dup(ld, v->u.scalar.text, v->u.scalar.len);
        return;
    default:
        return;
    }
}

/* `keywords:` beside `regex:`.  A keyword shorter than the prefilter's
 * shortest atom would filter nothing, and more of them than it keeps per
 * regex would be dropped: both are errors, not a silent always-run. */
static void load_keywords(struct loader *ld, struct cond *c, const struct ypair *kw)
{
    if (c->kind != COND_REGEX) {
        loader_err(ld, kw->key, "'keywords' applies only to 'regex'");
        return;
    }
    const struct ynode *v = kw->value;
    if (v->kind == YNODE_SEQUENCE && v->u.seq.count == 0) {
        loader_err(ld, v, "'keywords' needs at least one keyword");
        return;
    }
    if (v->kind == YNODE_SEQUENCE && v->u.seq.count > IPR_ATOM_MAX_COUNT) {
        loader_err(ld, v, "'keywords' has %zu keywords; at most %u are looked for", v->u.seq.count,
                   IPR_ATOM_MAX_COUNT);
        return;
    }
    size_t n = 0;
    const char **words = loader_strings(ld, v, "keywords", &n);
    /* the entries themselves, not words: loader_strings leaves out those
     * that are not strings, and an error belongs at its own entry */
    for (size_t i = 0; words && i < v->u.seq.count; i++) {
        const struct ynode *e = v->u.seq.items[i];
        if (e->kind == YNODE_SCALAR && !ynode_is_null(e) && e->u.scalar.len < IPR_ATOM_MIN_LEN) {
            loader_err(ld, e, "keyword '%s' is shorter than %u bytes: it would filter nothing",
                       e->u.scalar.text, IPR_ATOM_MIN_LEN);
            return;
        }
    }
    c->u.regex.keywords = words;
    c->u.regex.keyword_count = n;
}

/* The `field:` / `fields:` beside an operator. */
static void load_leaf_fields(struct loader *ld, struct cond *c, const struct op *op,
                             const struct ypair *field, const struct ypair *fields, bool in_near)
{
    const struct ypair *given = field ? field : fields;
    const char *key = field ? "field" : "fields";
    if (!given)
        return;
    if (in_near) {
        loader_err(ld, given->key, "'%s' is not allowed inside 'near'; write it beside 'near'",
                   key);
        return;
    }
    if (!op->takes_fields) {
        loader_err(ld, given->key, "'%s' does not apply to '%s'", key, op->name);
        return;
    }
    if (field && fields) {
        loader_err(ld, fields->key, "use either 'field' or 'fields', not both");
        return;
    }
    if (fields) {
        c->fields = loader_selectors(ld, fields->value, "fields", &c->field_count);
        return;
    }
    c->fields = loader_array(ld, 1, sizeof(char *));
    if (c->fields && (c->fields[0] = loader_selector(ld, field->value, "'field'")) != NULL)
        c->field_count = 1;
}

struct cond *cond_load(struct loader *ld, const struct ynode *n, bool in_near)
{
    char a[YAML_EXCERPT_CAP];
    if (!n || n->kind == YNODE_BAD || ld->oom)
        return NULL;
    if (n->kind != YNODE_MAPPING) {
        loader_err(ld, n, "expected a mapping for a condition, found %s", ynode_describe(n));
        return NULL;
    }
    const struct op *op = NULL;
    const struct ypair *op_pair = NULL, *second = NULL, *field = NULL, *fields = NULL;
    const struct ypair *keywords = NULL;
    bool unknown = false;
    for (size_t i = 0; i < n->u.map.count; i++) {
        const struct ypair *p = &n->u.map.pairs[i];
        if (p->key->kind != YNODE_SCALAR) {
            unknown = true;
            continue;
        }
        const char *k = p->key->u.scalar.text;
        const struct op *o = find_op(k);
        if (o && !op) {
            op = o;
            op_pair = p;
        } else if (o && !second) {
            second = p;
        } else if (strcmp(k, "field") == 0) {
            field = p;
        } else if (strcmp(k, "fields") == 0) {
            fields = p;
        } else if (strcmp(k, "keywords") == 0) {
            keywords = p;
        } else if (!o) {
            unknown = true;
        }
    }
    loader_check_keys(ld, n, cond_keys, IPR_ARRAY_LEN(cond_keys), "this condition");
    if (!op) {
        if (!unknown)
            loader_err(ld, n,
                       "condition has no operator (one of all, any, not, regex, terms, mark, near, "
                       "present, absent, equals, in, pattern, min, max, length, compare)");
        return NULL;
    }
    if (second) {
        loader_err(ld, second->key,
                   "condition has more than one operator ('%s' and '%s'); combine conditions with "
                   "'all' or 'any'",
                   op->name, loader_show(a, second->key));
        return NULL;
    }
    struct cond *c = loader_array(ld, 1, sizeof(*c));
    if (!c)
        return NULL;
    c->kind = op->kind;
    c->pos = loader_pos(op_pair->key);
    load_leaf_fields(ld, c, op, field, fields, in_near);
    const struct ynode *v = op_pair->value;
    if (v->kind == YNODE_BAD)
        return c;
    switch (c->kind) {
    case COND_ALL:
    case COND_ANY:
        load_children(ld, c, v, op->name);
        break;
    case COND_NOT:
        c->u.child = cond_load(ld, v, false);
        break;
    case COND_TERMS:
        load_terms_leaf(ld, c, v);
        break;
    case COND_MARK:
        load_mark_leaf(ld, c, v);
        break;
    case COND_NEAR:
        load_near_leaf(ld, c, v);
        break;
    case COND_LENGTH:
        load_length_leaf(ld, c, v);
        break;
    default:
        load_value_leaf(ld, c, v, op->name);
        break;
    }
    if (keywords)
        load_keywords(ld, c, keywords);
    return c;
}
