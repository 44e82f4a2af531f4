/*
 * rule_ast.h - the rule pack as parsed: syntax tree with source positions.
 *
 * Stage 1 of the pipeline (rules/) turns YAML text into these structs; stage
 * 2 (compile/) turns them into an immutable ruleset.  Nothing here is
 * compiled or resolved against other packs: term list names are resolved
 * within the pack, regexes are still text.  Every node keeps the position it
 * came from so later stages can report `file:line:col: message`.
 *
 * All memory (structs, arrays, strings) lives in the arena passed to the
 * loader; there is no per-node free.
 */
#ifndef IPR_RULES_RULE_AST_H
#define IPR_RULES_RULE_AST_H

#include "../base/common.h"

struct src_pos {
    uint32_t line; /* 1-based; 0 when unknown */
    uint32_t col;  /* 1-based byte column */
};

/* One entry of a term list: the text as written, where it was written. */
struct term {
    const char *text;
    const char *file; /* pack file, or the term file for `file:` lists */
    struct src_pos pos;
};

/* A named term list from the pack's `terms:` section. */
struct term_list {
    const char *name;
    struct term *terms;
    size_t term_count;
    struct src_pos pos;
};

enum cond_kind {
    COND_ALL,     /* every child holds */
    COND_ANY,     /* at least one child holds */
    COND_NOT,     /* the child does not hold */
    COND_REGEX,   /* PCRE2 search in field text */
    COND_TERMS,   /* term list, case-insensitive, word-bounded (CJK: substring) */
    COND_MARK,    /* trademark registry hit */
    COND_NEAR,    /* two conditions within N words in the same field */
    COND_PRESENT, /* field present and not blank */
    COND_ABSENT,  /* field missing or blank */
    COND_EQUALS,  /* field equals a value (case- and space-folded) */
    COND_IN,      /* field equals one of several values (folded) */
    COND_PATTERN, /* whole field value matches a regex (anchored) */
    COND_MIN,     /* numeric field >= value */
    COND_MAX,     /* numeric field <= value */
    COND_LENGTH,  /* character length of the field within [min, max] */
    COND_COMPARE  /* cross-field comparison expression */
};

struct cond {
    enum cond_kind kind;
    struct src_pos pos; /* of the condition's key in the YAML */
    /* The fields this leaf reads (`field:` or `fields:` beside the operator).
     * NULL/0: the rule's `fields`.  Unused by all/any/not/compare. */
    const char **fields;
    size_t field_count;
    union {
        struct {
            struct cond **items;
            size_t count;
        } list;             /* COND_ALL, COND_ANY */
        struct cond *child; /* COND_NOT */
        struct {
            const char *pattern;
            struct src_pos pattern_pos; /* of the pattern scalar; its quote when quoted */
            bool pattern_quoted;        /* single- or double-quoted scalar */
            /* `keywords:` beside `regex:`: literals every match holds, which
             * the prefilter then looks for instead of those it finds itself */
            const char **keywords;
            size_t keyword_count;
        } regex; /* COND_REGEX, COND_PATTERN */
        struct {
            const char *list_name; /* NULL for an inline list */
            struct term *terms;    /* resolved: the named list's or the inline terms */
            size_t term_count;
        } terms; /* COND_TERMS */
        struct {
            const char *value;
        } equals; /* COND_EQUALS */
        struct {
            const char **values;
            size_t count;
        } in; /* COND_IN */
        struct {
            double value;
            const char *text; /* the number as written, e.g. "12.5" */
        } num;                /* COND_MIN, COND_MAX */
        struct {
            bool has_min, has_max;
            uint64_t min, max;
        } length; /* COND_LENGTH */
        struct {
            const char *expr;
            struct src_pos expr_pos;
        } compare; /* COND_COMPARE */
        struct {
            bool any;           /* `mark: any` */
            const char **marks; /* listed marks (by name) */
            size_t mark_count;
            const char **classes; /* Nice classes as written ("25") */
            size_t class_count;
            const char **kinds; /* brand, character, event */
            size_t kind_count;
            const char **jurisdictions;
            size_t jurisdiction_count;
            const char **how; /* match kinds: exact, case, alias, confusable, leet, ... */
            size_t how_count;
            bool has_price_below; /* `price_below: R`: the record's price < R x reference */
            double price_below;
        } mark; /* COND_MARK */
        struct {
            struct cond *first;
            struct cond *second;
            uint32_t words; /* at most this many words between the two */
        } near;             /* COND_NEAR */
    } u;
};

/* One field of a test example: `path` may carry indices ("bullets[1]",
 * "customs.hs_code", "images[0].alt_text"). */
struct example_field {
    const char *path;
    const char *value;
};

struct rule_example {
    struct src_pos pos;
    struct example_field *fields;
    size_t field_count;
    const char *display; /* compact one-line text of the example, for messages */
};

struct rule {
    const char *id;
    const char *title;
    const char *description; /* "" when absent */
    ipr_severity severity;
    bool enabled;        /* `enabled: false` keeps the rule out of the ruleset */
    const char **fields; /* selectors: "title", "bullets", "images[].alt_text", "*" */
    size_t field_count;
    struct cond *match;
    struct cond **unless; /* any of these holding cancels the rule */
    size_t unless_count;
    const char *message; /* "" when absent: the compiler uses the title */
    const char *fix;     /* "" when absent */
    const char **references;
    size_t reference_count;
    const char **tags;
    size_t tag_count;
    struct rule_example *must_match;
    size_t must_match_count;
    struct rule_example *must_not_match;
    size_t must_not_match_count;
    const char *file;
    struct src_pos pos; /* of the rule's mapping */
    struct src_pos id_pos;
};

struct rule_pack {
    const char *name; /* `pack:` */
    const char *file; /* as given to the loader */
    ipr_stage stage;
    const char *version;
    const char *title;
    const char *description;
    struct term_list *lists;
    size_t list_count;
    struct rule *rules;
    size_t rule_count;
};

/* Appends a readable one-line form of a condition to out, e.g.
 * `all(terms(counterfeit_en), not(present(brand)), compare("price < 0.3 * list_price"))`.
 * A leaf with its own fields names them first: `equals(brand: "Nike")`,
 * `terms([title, bullets]: counterfeit_en)`.  The text is deterministic
 * (numbers as written, no locale), so `rules show` and golden tests can rely
 * on it.  IPR_ELIMIT when out's cap is reached. */
struct buf;
ipr_status cond_to_text(const struct cond *cond, struct buf *out);

/* Appends text as a double-quoted string: `"` and `\` escaped, control
 * characters as \n, \t, \r or \u00XX, everything else as written. */
ipr_status text_append_quoted(struct buf *out, const char *text, size_t len);

#endif
