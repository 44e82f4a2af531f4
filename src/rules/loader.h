/*
 * loader.h - the state of one pack's schema walk and the checks every part
 * of the walk shares (rule_load.c, term_load.c, cond_load.c).
 *
 * Every check reports its problem and returns NULL, false or a default, so a
 * caller simply goes on with the next key: one run reports every error of a
 * pack.  Strings and arrays go into the AST arena; an allocation failure sets
 * `oom` and the walk unwinds.  YNODE_BAD nodes were reported by the tree
 * builder, so no check says anything about them.
 */
#ifndef IPR_RULES_LOADER_H
#define IPR_RULES_LOADER_H

#include "rule_load.h"
#include "yaml_tree.h"

/* Names longer than this get no "did you mean" (the distance table is on the stack). */
#define LOADER_SUGGEST_MAX_LEN 64
/* Edit distances one pack may spend on suggestions: 100k unknown names
 * against 100k term lists must not take minutes. */
#define LOADER_SUGGEST_BUDGET 2000000u

struct loader {
    const struct rule_load_ctx *ctx;
    struct arena *out;                 /* the AST's arena (ctx->arena) */
    const char *file;                  /* the pack, in out */
    struct rule_pack *pack;            /* being built */
    const struct rule *rule;           /* being loaded: plain examples need its fields */
    char where[YAML_EXCERPT_CAP + 16]; /* "rule 'X'" or "this rule", for messages */
    size_t errors_before;              /* ctx->diags' error count when the load began */
    size_t suggest_budget;
    bool stopped; /* too many errors: the rest is not reported */
    bool oom;
};

/* ---- reporting ---- */

void loader_err_pos(struct loader *ld, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, ...) IPR_PRINTF(5, 6);
/* At the node's position in the pack; at 0:0 for NULL. */
void loader_err(struct loader *ld, const struct ynode *at, const char *fmt, ...) IPR_PRINTF(3, 4);
/* The scalar's text cut short for a message ("" for other nodes); returns buf. */
const char *loader_show(char buf[YAML_EXCERPT_CAP], const struct ynode *n);
struct src_pos loader_pos(const struct ynode *n);
/* The closest of names within 2 edits, or NULL. */
const char *loader_suggest(struct loader *ld, const char *word, size_t len,
                           const char *const *names, size_t count);

/* ---- memory (NULL and ld->oom on failure) ---- */

char *loader_dup(struct loader *ld, const char *s, size_t len);
/* Zeroed; at least one element so an empty list is not NULL. */
void *loader_array(struct loader *ld, size_t count, size_t size);

/* ---- mappings ---- */

/* The value of key in map, NULL when absent. */
const struct ynode *loader_get(const struct ynode *map, const char *key);
bool loader_in_names(const char *s, const char *const *names, size_t count);
/* Reports each key of map not in names (with a suggestion); returns how many. */
size_t loader_check_keys(struct loader *ld, const struct ynode *map, const char *const *names,
                         size_t count, const char *where);
/* loader_get, reporting `missing required key` when absent. */
const struct ynode *loader_need(struct loader *ld, const struct ynode *map, const char *key,
                                const char *where);

/* ---- values; `what` names the value in messages, quotes included ("'title'") ---- */

bool loader_is_blank(const char *s, size_t len);
const char *loader_string(struct loader *ld, const struct ynode *v, const char *what,
                          bool nonempty);
/* A sequence of non-empty strings under `key`. */
const char **loader_strings(struct loader *ld, const struct ynode *v, const char *key,
                            size_t *count);
/* Plain true or false; dflt for NULL and after an error. */
bool loader_bool(struct loader *ld, const struct ynode *v, const char *key, bool dflt);
bool loader_uint(struct loader *ld, const struct ynode *v, const char *what, uint64_t *out);
/* [-+]digits[.digits][(e|E)[-+]digits], without the locale; false when not one. */
bool loader_parse_number(const char *s, double *out);
bool loader_parse_uint(const char *s, uint64_t *out);
/* A field selector (docs/rules.md "Field selectors"), or a list of them. */
const char *loader_selector(struct loader *ld, const struct ynode *v, const char *what);
const char **loader_selectors(struct loader *ld, const struct ynode *v, const char *key,
                              size_t *count);

/* ---- the other parts of the walk ---- */

/* term_load.c: the pack's `terms:` section into ld->pack->lists. */
void term_load_lists(struct loader *ld, const struct ynode *v);
/* Inline terms of a sequence; owner names it in messages ("list 'x'"). */
struct term *term_load_inline(struct loader *ld, const struct ynode *seq, const char *owner,
                              size_t *count);
const struct term_list *term_find_list(const struct rule_pack *pack, const char *name);

/* cond_load.c: one condition mapping; in_near for `near`'s first and second. */
struct cond *cond_load(struct loader *ld, const struct ynode *n, bool in_near);

#endif
