/*
 * expr.c - recursive-descent parser for `compare:` expressions (see expr.h).
 *
 * Depth is bounded by the expression length cap, and the parser never
 * recurses more than once per input byte, so hostile expressions cannot
 * overflow the stack in practice; a hard depth cap makes that certain.
 */
#include "expr.h"

#include <stdlib.h>

#define EXPR_MAX_LEN   1024u
#define EXPR_MAX_DEPTH 64u

struct parser {
    struct arena *arena;
    const char *text;
    size_t pos;
    unsigned depth;
    const char *err;
    size_t err_pos;
};

static void skip_ws(struct parser *p)
{
    while (ipr_is_ascii_space((unsigned char)p->text[p->pos]))
        p->pos++;
}

static struct expr *fail(struct parser *p, const char *why)
{
    if (!p->err) {
        p->err = why;
        p->err_pos = p->pos;
    }
    return NULL;
}

static struct expr *node(struct parser *p, enum expr_kind kind)
{
    struct expr *e = arena_calloc(p->arena, 1, sizeof(*e));
    if (!e)
        return fail(p, "out of memory");
    e->kind = kind;
    return e;
}

static struct expr *parse_sum(struct parser *p);

static bool is_path_start(unsigned char c)
{
    return ipr_is_ascii_alpha(c) || c == '_';
}

static bool is_path_char(unsigned char c)
{
    return ipr_is_ascii_alnum(c) || c == '_' || c == '.' || c == '[' || c == ']';
}

static struct expr *parse_primary(struct parser *p)
{
    skip_ws(p);
    unsigned char c = (unsigned char)p->text[p->pos];
    if (c == '(') {
        p->pos++;
        struct expr *e = parse_sum(p);
        if (!e)
            return NULL;
        skip_ws(p);
        if (p->text[p->pos] != ')')
            return fail(p, "expected ')'");
        p->pos++;
        return e;
    }
    if (ipr_is_ascii_digit(c) ||
        (c == '.' && ipr_is_ascii_digit((unsigned char)p->text[p->pos + 1]))) {
        char *end = NULL;
        double v = strtod(p->text + p->pos, &end);
        struct expr *e = node(p, EXPR_NUMBER);
        if (!e)
            return NULL;
        e->number = v;
        p->pos = (size_t)(end - p->text);
        return e;
    }
    if (is_path_start(c)) {
        size_t start = p->pos;
        while (is_path_char((unsigned char)p->text[p->pos]))
            p->pos++;
        struct expr *e = node(p, EXPR_FIELD);
        if (!e)
            return NULL;
        e->field = arena_strndup(p->arena, p->text + start, p->pos - start);
        if (!e->field)
            return fail(p, "out of memory");
        e->sel_id = EXPR_SEL_NONE;
        return e;
    }
    if (c == '\0')
        return fail(p, "unexpected end of expression");
    return fail(p, "expected a number, a field path or '('");
}

static struct expr *parse_unary(struct parser *p)
{
    skip_ws(p);
    if (p->text[p->pos] == '-') {
        p->pos++;
        if (++p->depth > EXPR_MAX_DEPTH)
            return fail(p, "expression is nested too deeply");
        struct expr *inner = parse_unary(p);
        p->depth--;
        if (!inner)
            return NULL;
        struct expr *e = node(p, EXPR_NEG);
        if (e)
            e->lhs = inner;
        return e;
    }
    return parse_primary(p);
}

static struct expr *parse_binary(struct parser *p, bool sum_level)
{
    if (++p->depth > EXPR_MAX_DEPTH)
        return fail(p, "expression is nested too deeply");
    struct expr *lhs = sum_level ? parse_binary(p, false) : parse_unary(p);
    while (lhs) {
        skip_ws(p);
        char c = p->text[p->pos];
        enum expr_kind kind;
        if (sum_level && (c == '+' || c == '-'))
            kind = c == '+' ? EXPR_ADD : EXPR_SUB;
        else if (!sum_level && (c == '*' || c == '/'))
            kind = c == '*' ? EXPR_MUL : EXPR_DIV;
        else
            break;
        p->pos++;
        struct expr *rhs = sum_level ? parse_binary(p, false) : parse_unary(p);
        if (!rhs)
            return NULL;
        struct expr *e = node(p, kind);
        if (!e)
            return NULL;
        e->lhs = lhs;
        e->rhs = rhs;
        lhs = e;
    }
    p->depth--;
    return lhs;
}

static struct expr *parse_sum(struct parser *p)
{
    return parse_binary(p, true);
}

static bool parse_op(struct parser *p, enum compare_op *op)
{
    skip_ws(p);
    const char *s = p->text + p->pos;
    static const struct {
        const char *text;
        enum compare_op op;
    } ops[] = {{"<=", CMP_LE}, {">=", CMP_GE}, {"==", CMP_EQ},
               {"!=", CMP_NE}, {"<", CMP_LT},  {">", CMP_GT}};
    for (size_t i = 0; i < IPR_ARRAY_LEN(ops); i++) {
        size_t n = strlen(ops[i].text);
        if (strncmp(s, ops[i].text, n) == 0) {
            *op = ops[i].op;
            p->pos += n;
            return true;
        }
    }
    return false;
}

ipr_status expr_parse(struct arena *arena, const char *text, struct comparison *out,
                      size_t *err_offset, const char **err_reason)
{
    struct parser p = {arena, text, 0, 0, NULL, 0};
    if (strlen(text) > EXPR_MAX_LEN) {
        *err_offset = 0;
        *err_reason = "expression is too long";
        return IPR_ERULES;
    }
    out->text = text;
    out->lhs = parse_sum(&p);
    if (out->lhs && !parse_op(&p, &out->op))
        fail(&p, "expected a comparison operator (< <= > >= == !=)");
    if (!p.err)
        out->rhs = parse_sum(&p);
    if (!p.err) {
        skip_ws(&p);
        if (text[p.pos] != '\0')
            fail(&p, "unexpected text after the expression");
    }
    if (p.err) {
        *err_offset = p.err_pos;
        *err_reason = p.err;
        return strcmp(p.err, "out of memory") == 0 ? IPR_ENOMEM : IPR_ERULES;
    }
    return IPR_OK;
}

const char *compare_op_text(enum compare_op op)
{
    static const char *const names[] = {"<", "<=", ">", ">=", "==", "!="};
    return names[op];
}
