/*
 * expr.h - `compare:` expressions: parsed at compile time, evaluated by match/.
 *
 * Grammar (whitespace between tokens is free):
 *   comparison := sum OP sum          OP: < <= > >= == !=
 *   sum        := product (("+" | "-") product)*
 *   product    := unary (("*" | "/") unary)*
 *   unary      := "-" unary | primary
 *   primary    := NUMBER | PATH | "(" sum ")"
 *   PATH       := [A-Za-z_][A-Za-z0-9_.[\]]*   (a field selector)
 */
#ifndef IPR_COMPILE_EXPR_H
#define IPR_COMPILE_EXPR_H

#include "../base/arena.h"
#include "../base/common.h"

enum expr_kind { EXPR_NUMBER, EXPR_FIELD, EXPR_NEG, EXPR_ADD, EXPR_SUB, EXPR_MUL, EXPR_DIV };

struct expr {
    enum expr_kind kind;
    double number;      /* EXPR_NUMBER */
    const char *field;  /* EXPR_FIELD: selector as written */
    uint32_t sel_id;    /* EXPR_FIELD: the selector's id in ipr_ruleset.selectors (compile/gate.c),
                           EXPR_SEL_NONE until it has one */
    uint32_t sel_group; /* EXPR_FIELD: the group of that selector alone (ipr_ruleset.sel_groups) */
    struct expr *lhs;   /* binary operators and EXPR_NEG */
    struct expr *rhs;
};

#define EXPR_SEL_NONE UINT32_MAX

enum compare_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

struct comparison {
    enum compare_op op;
    struct expr *lhs;
    struct expr *rhs;
    const char *text; /* the expression as written */
};

/* Parses text into *out (nodes in arena).  On a syntax error returns
 * IPR_ERULES and sets *err_offset and *err_reason. */
ipr_status expr_parse(struct arena *arena, const char *text, struct comparison *out,
                      size_t *err_offset, const char **err_reason);

const char *compare_op_text(enum compare_op op);

#endif
