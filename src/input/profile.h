/*
 * profile.h - how one marketplace's export maps onto the canonical record.
 *
 * A profile is data (a YAML file under rules/profiles/ or the user's own,
 * format in docs/profiles.md): which header rows identify the layout, which
 * columns become which canonical fields, which cells hold lists, HTML or
 * prices, and whether several rows form one listing (Shopify variants,
 * WooCommerce variations).  A loaded profile is immutable; everything it
 * points to lives in its arena.  Column names are matched ignoring ASCII
 * case and surrounding blanks; `{*}` stands for any text and `{n}` for a
 * number ("bullet_point{n}").
 */
#ifndef IPR_INPUT_PROFILE_H
#define IPR_INPUT_PROFILE_H

#include "../base/arena.h"
#include "../base/common.h"
#include "csv.h"
#include "html_text.h"

struct builtin_file;

struct profile_names {
    const char **items;
    size_t count;
};

struct profile_rule {
    struct profile_names from; /* column patterns */
    struct profile_names to;   /* canonical names; one `[]` marks a list element, `{n}` the
                                  number matched in `from` */
    const char *list;          /* NULL: one value; "": list literals only; else a separator */
    const char *join;          /* joins list items written to a single value */
    bool html;                 /* reduce HTML to text, keeping the original as `<to>_html` */
    enum html_mode html_mode;
    bool price;    /* a price: number in `to`, currency guessed, original as
                      `<to>_text` */
    uint32_t line; /* in the profile file */
};

enum profile_group {
    GROUP_NONE = 0,  /* one row, one record */
    GROUP_BY = 1,    /* consecutive rows with the same key form one record */
    GROUP_ATTACH = 2 /* rows naming a parent are attached to it as `variants[]` */
};

struct profile_id {
    const char *column; /* pattern */
    const char *prefix; /* written before the value when a parent refers to it ("id:") */
};

struct profile {
    const char *name;             /* "shopify" */
    const char *title;            /* one line for listings */
    const char *file;             /* where it was loaded from */
    const char *marketplace;      /* value of `marketplace` when no column gives one; NULL */
    bool canonical;               /* the identity profile: columns are canonical names */
    struct profile_names known;   /* canonical: the canonical top-level names */
    struct profile_names *detect; /* column sets, each enough to recognize the layout */
    size_t detect_count;
    struct profile_rule *rules;
    size_t rule_count;
    enum profile_group group;
    struct profile_names group_by; /* GROUP_BY: the key columns */
    struct profile_names parent;   /* GROUP_ATTACH: the column naming the parent */
    struct profile_id *ids;        /* GROUP_ATTACH: the columns a parent may be named by */
    size_t id_count;
    struct profile_names skip_rows;    /* a row whose first cell starts so is no listing */
    struct profile_names empty_values; /* cell values that mean "no value" ("N/A") */
    bool tsv_line_quotes;              /* TSV: a quote pairs only within its line (csv.h) */
    bool formula_escapes;              /* strip the apostrophe spreadsheets' formula guard adds */
    struct arena arena;
};

/* Loads a profile from YAML text; file names it in messages.  IPR_EPARSE
 * with the first problem ("file:line: ...") in msg. */
ipr_status profile_load_text(const char *file, const char *text, size_t len, struct profile **out,
                             char *msg, size_t msg_len);
/* IPR_EIO (errno set) when the file cannot be read. */
ipr_status profile_load_file(const char *path, struct profile **out, char *msg, size_t msg_len);
void profile_free(struct profile *p);

/* The built-in profiles: every "builtin:rules/profiles/<name>.yaml" of
 * the table, sorted by name. */
struct profile_set {
    struct profile **items;
    size_t count;
};

ipr_status profile_set_load_builtin(struct profile_set *set, const struct builtin_file *table,
                                    char *msg, size_t msg_len);
void profile_set_release(struct profile_set *set);
const struct profile *profile_set_find(const struct profile_set *set, const char *name);

/* Does the column name match the pattern?  *n receives the number a `{n}`
 * matched (0 when none). */
bool profile_pattern_match(const char *pattern, const char *name, size_t name_len, long *n);
bool profile_names_match(const struct profile_names *names, const char *name, size_t name_len,
                         long *n);

/* How well a header row fits: for a marketplace profile, 0 unless the row
 * holds every column of one `detect` set, else the number of cells some
 * rule maps; for the canonical profile, the number of cells that are
 * canonical names. */
size_t profile_header_score(const struct profile *p, const struct csv_peek_cell *cells,
                            size_t count);

/* Is this column name a canonical field (its first segment is known)? */
bool profile_is_canonical_name(const struct profile *canonical, const char *name, size_t len);

#endif
