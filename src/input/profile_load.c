/*
 * profile_load.c - profile files (YAML) to struct profile.
 *
 * Profiles are small data files, read from libyaml's event stream into a
 * tiny tree (bounded depth, no aliases), then checked against the schema
 * of docs/profiles.md.  The first problem stops loading and is reported as
 * "file:line: message"; a profile that loads is complete and consistent,
 * so the mapping code never meets a half-valid profile.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

#include "../base/limits.h"
#include "../base/vec.h"
#include "profile.h"

#define PROFILE_MAX_DEPTH 16u

enum pkind { P_SCALAR, P_SEQ, P_MAP };

struct pnode {
    enum pkind kind;
    uint32_t line;
    const char *text; /* scalars: NUL-terminated */
    size_t len;
    struct pnode **items; /* sequences: the items; mappings: key, value, key, value ... */
    size_t count;
};

struct loader {
    struct profile *p;
    const char *file;
    char *msg;
    size_t msg_len;
};

static ipr_status fail(struct loader *l, uint32_t line, const char *fmt, ...) IPR_PRINTF(3, 4);

static ipr_status fail(struct loader *l, uint32_t line, const char *fmt, ...)
{
    if (l->msg && l->msg_len) {
        int n = snprintf(l->msg, l->msg_len, "%s:%u: ", l->file, line);
        if (n >= 0 && (size_t)n < l->msg_len) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(l->msg + n, l->msg_len - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return IPR_EPARSE;
}

/* ---- YAML events to a tree --------------------------------------------------------- */

struct open_node {
    struct pnode *node;
    struct vec children; /* of struct pnode * */
};

static ipr_status add_child(struct open_node *parent, struct pnode *child)
{
    struct pnode **slot = vec_push(&parent->children);
    if (!slot)
        return IPR_ENOMEM;
    *slot = child;
    return IPR_OK;
}

static ipr_status close_node(struct arena *a, struct open_node *o)
{
    size_t n = o->children.count;
    o->node->count = n;
    if (n) {
        o->node->items = arena_alloc(a, n * sizeof(struct pnode *));
        if (!o->node->items)
            return IPR_ENOMEM;
        memcpy(o->node->items, o->children.items, n * sizeof(struct pnode *));
    }
    vec_release(&o->children);
    return IPR_OK;
}

static ipr_status parse_tree(struct loader *l, const char *text, size_t len, struct pnode **root)
{
    struct arena *a = &l->p->arena;
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return IPR_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    struct open_node stack[PROFILE_MAX_DEPTH];
    size_t depth = 0;
    ipr_status st = IPR_OK;
    bool done = false;
    while (!done && st == IPR_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = fail(l, (uint32_t)parser.problem_mark.line + 1, "YAML syntax error: %s",
                      parser.problem ? parser.problem : "unknown");
            break;
        }
        uint32_t line = (uint32_t)ev.start_mark.line + 1;
        struct pnode *node = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (*root)
                st = fail(l, line, "a profile file holds one document");
            break;
        case YAML_ALIAS_EVENT:
            st = fail(l, line, "aliases are not allowed in a profile");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            node = arena_calloc(a, 1, sizeof(*node));
            if (!node) {
                st = IPR_ENOMEM;
                break;
            }
            node->line = line;
            if (ev.type == YAML_SCALAR_EVENT) {
                node->kind = P_SCALAR;
                node->len = ev.data.scalar.length;
                node->text = arena_strndup(a, (const char *)ev.data.scalar.value, node->len);
                if (!node->text)
                    st = IPR_ENOMEM;
            } else {
                node->kind = ev.type == YAML_SEQUENCE_START_EVENT ? P_SEQ : P_MAP;
            }
            if (st == IPR_OK && depth > 0)
                st = add_child(&stack[depth - 1], node);
            else if (st == IPR_OK)
                *root = node;
            if (st == IPR_OK && node->kind != P_SCALAR) {
                if (depth == PROFILE_MAX_DEPTH) {
                    st = fail(l, line, "nested deeper than %u levels", PROFILE_MAX_DEPTH);
                    break;
                }
                stack[depth].node = node;
                vec_init(&stack[depth].children, sizeof(struct pnode *));
                depth++;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0)
                st = close_node(a, &stack[--depth]);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    while (depth > 0)
        vec_release(&stack[--depth].children);
    yaml_parser_delete(&parser);
    return st;
}

/* ---- schema ------------------------------------------------------------------------ */

static const char *kind_name(const struct pnode *n)
{
    return n->kind == P_SCALAR ? "a scalar" : n->kind == P_SEQ ? "a list" : "a mapping";
}

static ipr_status want_scalar(struct loader *l, const struct pnode *n, const char *what)
{
    if (n->kind == P_SCALAR)
        return IPR_OK;
    return fail(l, n->line, "%s must be a scalar, not %s", what, kind_name(n));
}

static ipr_status get_bool(struct loader *l, const struct pnode *n, const char *what, bool *out)
{
    ipr_status st = want_scalar(l, n, what);
    if (st != IPR_OK)
        return st;
    if (strcmp(n->text, "true") == 0 || strcmp(n->text, "yes") == 0) {
        *out = true;
        return IPR_OK;
    }
    if (strcmp(n->text, "false") == 0 || strcmp(n->text, "no") == 0) {
        *out = false;
        return IPR_OK;
    }
    return fail(l, n->line, "%s must be true or false, not '%s'", what, n->text);
}

/* A scalar or a list of scalars. */
static ipr_status get_names(struct loader *l, const struct pnode *n, const char *what,
                            struct profile_names *out)
{
    size_t count = n->kind == P_SEQ ? n->count : 1;
    if (n->kind == P_MAP)
        return fail(l, n->line, "%s must be a name or a list of names", what);
    if (count == 0)
        return fail(l, n->line, "%s is an empty list", what);
    if (count > IPR_PROFILE_MAX_NAMES)
        return fail(l, n->line, "%s has more than %u names", what, IPR_PROFILE_MAX_NAMES);
    out->items = arena_alloc(&l->p->arena, count * sizeof(char *));
    if (!out->items)
        return IPR_ENOMEM;
    out->count = count;
    for (size_t i = 0; i < count; i++) {
        const struct pnode *item = n->kind == P_SEQ ? n->items[i] : n;
        ipr_status st = want_scalar(l, item, what);
        if (st != IPR_OK)
            return st;
        if (item->len == 0)
            return fail(l, item->line, "%s holds an empty name", what);
        out->items[i] = item->text;
    }
    return IPR_OK;
}

/* Checks a `to` name: a dotted path, at most one `[]`, `{n}` only when a
 * `from` pattern captures a number. */
static ipr_status check_target(struct loader *l, uint32_t line, const char *to, bool has_n)
{
    if (strlen(to) > 200)
        return fail(l, line, "'%.40s...' is longer than 200 bytes", to);
    const char *lists = strstr(to, "[]");
    if (lists && strstr(lists + 2, "[]"))
        return fail(l, line, "'%s' has more than one '[]'", to);
    if (strstr(to, "{n}") && !has_n)
        return fail(l, line, "'%s' uses {n} but no 'from' pattern has {n}", to);
    if (to[0] == '.' || to[0] == '[' || to[strlen(to) - 1] == '.')
        return fail(l, line, "'%s' is not a field name", to);
    for (const char *c = to; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (!(ipr_is_ascii_alnum(u) || u == '_' || u == '.' || u == '[' || u == ']' || u == '{' ||
              u == '}' || u == '-'))
            return fail(l, line, "'%s' is not a field name (letters, digits, '_', '.', '[]')", to);
    }
    return IPR_OK;
}

static ipr_status load_rule(struct loader *l, const struct pnode *n, struct profile_rule *r)
{
    if (n->kind != P_MAP)
        return fail(l, n->line, "a column rule must be a mapping, not %s", kind_name(n));
    r->line = n->line;
    r->join = ", ";
    bool has_from = false, has_to = false;
    for (size_t i = 0; i + 1 < n->count; i += 2) {
        const struct pnode *k = n->items[i], *v = n->items[i + 1];
        ipr_status st = want_scalar(l, k, "a key");
        if (st != IPR_OK)
            return st;
        if (strcmp(k->text, "from") == 0) {
            st = get_names(l, v, "'from'", &r->from);
            has_from = true;
        } else if (strcmp(k->text, "to") == 0) {
            st = get_names(l, v, "'to'", &r->to);
            has_to = true;
        } else if (strcmp(k->text, "list") == 0) {
            st = want_scalar(l, v, "'list'");
            if (st == IPR_OK)
                r->list = strcmp(v->text, "literal") == 0 ? "" : v->text;
            if (st == IPR_OK && v->len == 0)
                st = fail(l, v->line, "'list' must be a separator or 'literal'");
        } else if (strcmp(k->text, "join") == 0) {
            st = want_scalar(l, v, "'join'");
            if (st == IPR_OK)
                r->join = v->text;
        } else if (strcmp(k->text, "html") == 0) {
            st = want_scalar(l, v, "'html'");
            if (st == IPR_OK && strcmp(v->text, "entities") == 0) {
                r->html = true;
                r->html_mode = HTML_ENTITIES;
            } else if (st == IPR_OK) {
                st = get_bool(l, v, "'html'", &r->html);
                r->html_mode = HTML_FULL;
            }
        } else if (strcmp(k->text, "price") == 0) {
            st = get_bool(l, v, "'price'", &r->price);
        } else {
            st = fail(l, k->line,
                      "unknown key '%s' in a column rule (expected from, to, list, join, html, "
                      "price)",
                      k->text);
        }
        if (st != IPR_OK)
            return st;
    }
    if (!has_from || !has_to)
        return fail(l, n->line, "a column rule needs 'from' and 'to'");
    bool has_n = false;
    for (size_t i = 0; i < r->from.count; i++)
        has_n = has_n || strstr(r->from.items[i], "{n}") != NULL;
    for (size_t i = 0; i < r->to.count; i++) {
        ipr_status st = check_target(l, n->line, r->to.items[i], has_n);
        if (st != IPR_OK)
            return st;
    }
    return IPR_OK;
}

static ipr_status load_columns(struct loader *l, const struct pnode *n)
{
    if (n->kind != P_SEQ)
        return fail(l, n->line, "'columns' must be a list of column rules");
    if (n->count > IPR_PROFILE_MAX_RULES)
        return fail(l, n->line, "more than %u column rules", IPR_PROFILE_MAX_RULES);
    struct profile *p = l->p;
    p->rules = arena_calloc(&p->arena, n->count ? n->count : 1, sizeof(struct profile_rule));
    if (!p->rules)
        return IPR_ENOMEM;
    for (size_t i = 0; i < n->count; i++) {
        ipr_status st = load_rule(l, n->items[i], &p->rules[i]);
        if (st != IPR_OK)
            return st;
        p->rule_count++;
    }
    return IPR_OK;
}

static ipr_status load_detect(struct loader *l, const struct pnode *n)
{
    if (n->kind != P_SEQ)
        return fail(l, n->line, "'detect' must be a list of column lists");
    if (n->count > IPR_PROFILE_MAX_NAMES)
        return fail(l, n->line, "'detect' has more than %u sets", IPR_PROFILE_MAX_NAMES);
    struct profile *p = l->p;
    p->detect = arena_calloc(&p->arena, n->count ? n->count : 1, sizeof(struct profile_names));
    if (!p->detect)
        return IPR_ENOMEM;
    for (size_t i = 0; i < n->count; i++) {
        if (n->items[i]->kind != P_SEQ)
            return fail(l, n->items[i]->line, "each 'detect' entry must be a list of columns");
        ipr_status st = get_names(l, n->items[i], "a 'detect' set", &p->detect[i]);
        if (st != IPR_OK)
            return st;
        p->detect_count++;
    }
    return IPR_OK;
}

static ipr_status load_ids(struct loader *l, const struct pnode *n)
{
    if (n->kind != P_SEQ || n->count == 0)
        return fail(l, n->line, "'ids' must be a list of {column, prefix} entries");
    struct profile *p = l->p;
    p->ids = arena_calloc(&p->arena, n->count, sizeof(struct profile_id));
    if (!p->ids)
        return IPR_ENOMEM;
    for (size_t i = 0; i < n->count; i++) {
        const struct pnode *e = n->items[i];
        if (e->kind != P_MAP)
            return fail(l, e->line, "an 'ids' entry must be a mapping with 'column'");
        struct profile_id *id = &p->ids[i];
        id->prefix = "";
        for (size_t k = 0; k + 1 < e->count; k += 2) {
            const struct pnode *key = e->items[k], *v = e->items[k + 1];
            ipr_status st = want_scalar(l, key, "a key");
            if (st == IPR_OK)
                st = want_scalar(l, v, "an 'ids' value");
            if (st != IPR_OK)
                return st;
            if (strcmp(key->text, "column") == 0)
                id->column = v->text;
            else if (strcmp(key->text, "prefix") == 0)
                id->prefix = v->text;
            else
                return fail(l, key->line, "unknown key '%s' in 'ids' (expected column, prefix)",
                            key->text);
        }
        if (!id->column)
            return fail(l, e->line, "an 'ids' entry needs 'column'");
        p->id_count++;
    }
    return IPR_OK;
}

static ipr_status load_group(struct loader *l, const struct pnode *n)
{
    if (n->kind != P_MAP)
        return fail(l, n->line, "'group' must be a mapping (by, or parent and ids)");
    struct profile *p = l->p;
    for (size_t i = 0; i + 1 < n->count; i += 2) {
        const struct pnode *k = n->items[i], *v = n->items[i + 1];
        ipr_status st = want_scalar(l, k, "a key");
        if (st != IPR_OK)
            return st;
        if (strcmp(k->text, "by") == 0)
            st = get_names(l, v, "'by'", &p->group_by);
        else if (strcmp(k->text, "parent") == 0)
            st = get_names(l, v, "'parent'", &p->parent);
        else if (strcmp(k->text, "ids") == 0)
            st = load_ids(l, v);
        else
            st =
                fail(l, k->line, "unknown key '%s' in 'group' (expected by, parent, ids)", k->text);
        if (st != IPR_OK)
            return st;
    }
    if (p->group_by.count && (p->parent.count || p->id_count))
        return fail(l, n->line, "'group' takes either 'by' or 'parent' with 'ids'");
    if (p->group_by.count) {
        p->group = GROUP_BY;
    } else if (p->parent.count && p->id_count) {
        p->group = GROUP_ATTACH;
    } else {
        return fail(l, n->line, "'group' needs 'by', or 'parent' and 'ids'");
    }
    return IPR_OK;
}

static bool is_profile_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(ipr_is_ascii_alnum((unsigned char)*s) || *s == '-' || *s == '_'))
            return false;
    return true;
}

static ipr_status load_root(struct loader *l, const struct pnode *root)
{
    struct profile *p = l->p;
    if (!root || root->kind != P_MAP)
        return fail(l, root ? root->line : 1, "a profile must be a mapping");
    for (size_t i = 0; i + 1 < root->count; i += 2) {
        const struct pnode *k = root->items[i], *v = root->items[i + 1];
        ipr_status st = want_scalar(l, k, "a key");
        if (st != IPR_OK)
            return st;
        const char *key = k->text;
        if (strcmp(key, "profile") == 0) {
            st = want_scalar(l, v, "'profile'");
            if (st == IPR_OK && !is_profile_name(v->text))
                st = fail(l, v->line, "'profile' must be a name of letters, digits, '-' and '_'");
            p->name = v->text;
        } else if (strcmp(key, "title") == 0) {
            st = want_scalar(l, v, "'title'");
            p->title = v->text;
        } else if (strcmp(key, "marketplace") == 0) {
            st = want_scalar(l, v, "'marketplace'");
            p->marketplace = v->text;
        } else if (strcmp(key, "canonical") == 0) {
            st = get_names(l, v, "'canonical'", &p->known);
            p->canonical = true;
        } else if (strcmp(key, "detect") == 0) {
            st = load_detect(l, v);
        } else if (strcmp(key, "group") == 0) {
            st = load_group(l, v);
        } else if (strcmp(key, "skip_rows") == 0) {
            st = get_names(l, v, "'skip_rows'", &p->skip_rows);
        } else if (strcmp(key, "empty_values") == 0) {
            st = get_names(l, v, "'empty_values'", &p->empty_values);
        } else if (strcmp(key, "tsv_quotes") == 0) {
            st = want_scalar(l, v, "'tsv_quotes'");
            if (st == IPR_OK && strcmp(v->text, "line") != 0 && strcmp(v->text, "rfc") != 0)
                st = fail(l, v->line, "'tsv_quotes' must be 'line' or 'rfc'");
            p->tsv_line_quotes = st == IPR_OK && strcmp(v->text, "line") == 0;
        } else if (strcmp(key, "formula_escapes") == 0) {
            st = get_bool(l, v, "'formula_escapes'", &p->formula_escapes);
        } else if (strcmp(key, "columns") == 0) {
            st = load_columns(l, v);
        } else {
            st = fail(l, k->line,
                      "unknown key '%s' (expected profile, title, marketplace, detect, group, "
                      "skip_rows, empty_values, tsv_quotes, formula_escapes, columns, canonical)",
                      key);
        }
        if (st != IPR_OK)
            return st;
    }
    if (!p->name)
        return fail(l, root->line, "a profile needs 'profile' (its name)");
    if (p->canonical && (p->rule_count || p->group != GROUP_NONE))
        return fail(l, root->line, "the canonical profile maps nothing: no 'columns' or 'group'");
    if (!p->canonical && p->rule_count == 0)
        return fail(l, root->line, "a profile needs 'columns'");
    if (!p->title)
        p->title = p->name;
    return IPR_OK;
}

ipr_status profile_load_text(const char *file, const char *text, size_t len, struct profile **out,
                             char *msg, size_t msg_len)
{
    *out = NULL;
    if (msg && msg_len)
        msg[0] = '\0';
    struct profile *p = calloc(1, sizeof(*p));
    if (!p)
        return IPR_ENOMEM;
    arena_init(&p->arena, 16u * 1024u);
    struct loader l = {p, file, msg, msg_len};
    p->file = arena_strdup(&p->arena, file);
    ipr_status st = p->file ? IPR_OK : IPR_ENOMEM;
    if (st == IPR_OK && len > IPR_PROFILE_MAX_FILE_BYTES)
        st = fail(&l, 1, "larger than the limit of %u bytes", IPR_PROFILE_MAX_FILE_BYTES);
    if (st == IPR_OK && memchr(text, '\0', len))
        st = fail(&l, 1, "holds a NUL byte");
    struct pnode *root = NULL;
    if (st == IPR_OK)
        st = parse_tree(&l, text, len, &root);
    if (st == IPR_OK)
        st = load_root(&l, root);
    if (st != IPR_OK) {
        profile_free(p);
        return st;
    }
    *out = p;
    return IPR_OK;
}

ipr_status profile_load_file(const char *path, struct profile **out, char *msg, size_t msg_len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return IPR_EIO;
    struct buf b;
    buf_init(&b, IPR_PROFILE_MAX_FILE_BYTES + 1u);
    char chunk[16384];
    size_t n;
    ipr_status st = IPR_OK;
    while (st == IPR_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        st = buf_append(&b, chunk, n);
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (st == IPR_OK && read_errno) {
        errno = read_errno;
        st = IPR_EIO;
    }
    if (st == IPR_ELIMIT) {
        if (msg && msg_len)
            snprintf(msg, msg_len, "%s: larger than the limit of %u bytes", path,
                     IPR_PROFILE_MAX_FILE_BYTES);
        st = IPR_EPARSE;
    }
    if (st == IPR_OK)
        st = profile_load_text(path, b.data ? b.data : "", b.len, out, msg, msg_len);
    buf_release(&b);
    return st;
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    arena_release(&p->arena);
    free(p);
}
