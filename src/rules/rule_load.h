/*
 * rule_load.h - YAML text -> struct rule_pack (stage 1 of the pipeline).
 *
 * The loader reads one pack with libyaml's event API, checks it against the
 * pack schema and reports every problem it finds as a diagnostic with a
 * position; it does not stop at the first.  It does not compile regexes and
 * does not look at other packs (duplicate ids across packs, regex syntax and
 * compare expressions are checked by compile/).
 */
#ifndef IPR_RULES_RULE_LOAD_H
#define IPR_RULES_RULE_LOAD_H

#include "../base/arena.h"
#include "../base/diag.h"
#include "rule_ast.h"

/* Reads a file that a pack names (`terms: {x: {file: x.txt}}`), relative to
 * the pack.  On success *data is malloc'd (caller frees) and NUL-terminated. */
typedef ipr_status (*rule_read_fn)(void *user, const char *pack_file, const char *rel_path,
                                   char **data, size_t *data_len);

struct rule_load_ctx {
    struct arena *arena;     /* owns the resulting AST */
    struct diag_list *diags; /* receives every problem */
    rule_read_fn read_file;  /* NULL: `file:` lists are an error */
    void *read_user;
};

/* Parses one pack.  Returns IPR_OK with *out set when the pack has no error
 * (warnings allowed); IPR_ERULES when any error diagnostic was added (*out is
 * then NULL); IPR_ENOMEM on allocation failure. */
ipr_status rule_load_pack(const struct rule_load_ctx *ctx, const char *file, const char *text,
                          size_t text_len, struct rule_pack **out);

#endif
