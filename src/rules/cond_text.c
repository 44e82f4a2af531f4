/*
 * cond_text.c - the one-line text form of a condition (see rule_ast.h).
 *
 * The form is read by people (`rules show`, `explain`) and compared by golden
 * tests, so it is deterministic: numbers are printed as written in the pack,
 * never through printf's locale, and strings are always double-quoted with
 * the same escapes.  Names (term lists, field selectors, Nice classes) are
 * printed bare; free text (patterns, values, marks) is quoted.
 */
#include "rule_ast.h"

#include <stdio.h>

#include "../base/buf.h"

ipr_status text_append_quoted(struct buf *out, const char *text, size_t len)
{
    ipr_status st = buf_append_char(out, '"');
    size_t run = 0; /* bytes copied as they are, flushed in one append */
    for (size_t i = 0; st == IPR_OK && i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        const char *esc = NULL;
        char hex[8];
        if (ch == '"')
            esc = "\\\"";
        else if (ch == '\\')
            esc = "\\\\";
        else if (ch == '\n')
            esc = "\\n";
        else if (ch == '\t')
            esc = "\\t";
        else if (ch == '\r')
            esc = "\\r";
        else if (ch < 0x20 || ch == 0x7F) {
            snprintf(hex, sizeof(hex), "\\u%04x", ch);
            esc = hex;
        }
        if (!esc) {
            run++;
            continue;
        }
        st = buf_append(out, text + i - run, run);
        run = 0;
        if (st == IPR_OK)
            st = buf_append_str(out, esc);
    }
    if (st == IPR_OK)
        st = buf_append(out, text + len - run, run);
    if (st == IPR_OK)
        st = buf_append_char(out, '"');
    return st;
}

/* "[a, b]" of bare names, or of quoted strings. */
static ipr_status append_list(struct buf *out, const char *const *items, size_t count, bool quote)
{
    ipr_status st = buf_append_char(out, '[');
    for (size_t i = 0; st == IPR_OK && i < count; i++) {
        if (i)
            st = buf_append_str(out, ", ");
        if (st == IPR_OK)
            st = quote ? text_append_quoted(out, items[i], strlen(items[i]))
                       : buf_append_str(out, items[i]);
    }
    return st == IPR_OK ? buf_append_char(out, ']') : st;
}

/* "NAME(" plus the leaf's own fields ("title: ", "[a, b]: ") when it has any. */
static ipr_status open_leaf(struct buf *out, const char *name, const struct cond *c)
{
    ipr_status st = buf_printf(out, "%s(", name);
    if (st != IPR_OK || c->field_count == 0)
        return st;
    if (c->field_count == 1)
        st = buf_append_str(out, c->fields[0]);
    else
        st = append_list(out, c->fields, c->field_count, false);
    return st == IPR_OK ? buf_append_str(out, ": ") : st;
}

static ipr_status append_terms(struct buf *out, const struct cond *c)
{
    if (c->u.terms.list_name)
        return buf_append_str(out, c->u.terms.list_name);
    ipr_status st = buf_append_char(out, '[');
    for (size_t i = 0; st == IPR_OK && i < c->u.terms.term_count; i++) {
        const char *t = c->u.terms.terms[i].text;
        if (i)
            st = buf_append_str(out, ", ");
        if (st == IPR_OK)
            st = text_append_quoted(out, t, strlen(t));
    }
    return st == IPR_OK ? buf_append_char(out, ']') : st;
}

static ipr_status append_mark(struct buf *out, const struct cond *c)
{
    if (c->u.mark.any)
        return buf_append_str(out, "any");
    ipr_status st = IPR_OK;
    bool sep = false;
    if (c->u.mark.mark_count) {
        st = append_list(out, c->u.mark.marks, c->u.mark.mark_count, true);
        sep = true;
    }
    const struct {
        const char *name;
        const char *const *items;
        size_t count;
    } filters[] = {
        {"classes", c->u.mark.classes, c->u.mark.class_count},
        {"kinds", c->u.mark.kinds, c->u.mark.kind_count},
        {"jurisdictions", c->u.mark.jurisdictions, c->u.mark.jurisdiction_count},
        {"how", c->u.mark.how, c->u.mark.how_count},
    };
    for (size_t i = 0; st == IPR_OK && i < IPR_ARRAY_LEN(filters); i++) {
        if (!filters[i].count)
            continue;
        st = buf_printf(out, "%s%s=", sep ? ", " : "", filters[i].name);
        if (st == IPR_OK)
            st = append_list(out, filters[i].items, filters[i].count, false);
        sep = true;
    }
    return st;
}

static ipr_status append_cond(const struct cond *c, struct buf *out);

static ipr_status append_children(struct buf *out, const char *name, struct cond *const *items,
                                  size_t count)
{
    ipr_status st = buf_printf(out, "%s(", name);
    for (size_t i = 0; st == IPR_OK && i < count; i++) {
        if (i)
            st = buf_append_str(out, ", ");
        if (st == IPR_OK)
            st = append_cond(items[i], out);
    }
    return st == IPR_OK ? buf_append_char(out, ')') : st;
}

static ipr_status append_cond(const struct cond *c, struct buf *out)
{
    if (!c)
        return IPR_EINVAL;
    ipr_status st = IPR_OK;
    switch (c->kind) {
    case COND_ALL:
        return append_children(out, "all", c->u.list.items, c->u.list.count);
    case COND_ANY:
        return append_children(out, "any", c->u.list.items, c->u.list.count);
    case COND_NOT:
        return append_children(out, "not", &c->u.child, 1);
    case COND_PRESENT:
    case COND_ABSENT:
        st = buf_append_str(out, c->kind == COND_PRESENT ? "present(" : "absent(");
        if (st == IPR_OK && c->field_count)
            st = c->field_count == 1 ? buf_append_str(out, c->fields[0])
                                     : append_list(out, c->fields, c->field_count, false);
        break;
    case COND_COMPARE:
        st = buf_append_str(out, "compare(");
        if (st == IPR_OK)
            st = text_append_quoted(out, c->u.compare.expr, strlen(c->u.compare.expr));
        break;
    case COND_REGEX:
    case COND_PATTERN:
        st = open_leaf(out, c->kind == COND_REGEX ? "regex" : "pattern", c);
        if (st == IPR_OK)
            st = text_append_quoted(out, c->u.regex.pattern, strlen(c->u.regex.pattern));
        break;
    case COND_TERMS:
        st = open_leaf(out, "terms", c);
        if (st == IPR_OK)
            st = append_terms(out, c);
        break;
    case COND_MARK:
        st = open_leaf(out, "mark", c);
        if (st == IPR_OK)
            st = append_mark(out, c);
        break;
    case COND_NEAR:
        st = open_leaf(out, "near", c);
        if (st == IPR_OK)
            st = buf_printf(out, "%u, ", (unsigned)c->u.near.words);
        if (st == IPR_OK)
            st = append_cond(c->u.near.first, out);
        if (st == IPR_OK)
            st = buf_append_str(out, ", ");
        if (st == IPR_OK)
            st = append_cond(c->u.near.second, out);
        break;
    case COND_EQUALS:
        st = open_leaf(out, "equals", c);
        if (st == IPR_OK)
            st = text_append_quoted(out, c->u.equals.value, strlen(c->u.equals.value));
        break;
    case COND_IN:
        st = open_leaf(out, "in", c);
        if (st == IPR_OK)
            st = append_list(out, c->u.in.values, c->u.in.count, true);
        break;
    case COND_MIN:
    case COND_MAX:
        st = open_leaf(out, c->kind == COND_MIN ? "min" : "max", c);
        if (st == IPR_OK)
            st = buf_append_str(out, c->u.num.text ? c->u.num.text : "?");
        break;
    case COND_LENGTH:
        st = open_leaf(out, "length", c);
        if (st == IPR_OK && c->u.length.has_min)
            st = buf_printf(out, "%llu", (unsigned long long)c->u.length.min);
        if (st == IPR_OK)
            st = buf_append_str(out, "..");
        if (st == IPR_OK && c->u.length.has_max)
            st = buf_printf(out, "%llu", (unsigned long long)c->u.length.max);
        break;
    default:
        return IPR_EINVAL;
    }
    return st == IPR_OK ? buf_append_char(out, ')') : st;
}

ipr_status cond_to_text(const struct cond *cond, struct buf *out)
{
    if (!out)
        return IPR_EINVAL;
    return append_cond(cond, out);
}
