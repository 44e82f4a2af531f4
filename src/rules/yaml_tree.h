/*
 * yaml_tree.h - one YAML document as a small tree of scalars, sequences and
 * mappings, each node with its 1-based line and byte column.
 *
 * The tree is built from libyaml's event stream, never its document loader,
 * so every limit is checked before anything is built: nesting depth per event,
 * scalar length as each scalar arrives, file size and NUL bytes up front.
 * Rule packs are plain data: anchors, aliases, tags and a second document are
 * errors.  Duplicate keys are reported here and dropped (the first wins), so
 * a schema walker sees every key of a mapping once.  Nodes live in the arena
 * passed to yaml_tree_parse; libyaml's own memory never outlives the call.
 */
#ifndef IPR_RULES_YAML_TREE_H
#define IPR_RULES_YAML_TREE_H

#include "../base/arena.h"
#include "../base/diag.h"

enum ynode_kind {
    YNODE_SCALAR,
    YNODE_SEQUENCE,
    YNODE_MAPPING,
    YNODE_BAD /* stands in for a rejected alias; already reported, so walkers stay silent */
};

enum yscalar_style {
    YSCALAR_PLAIN,
    YSCALAR_SINGLE_QUOTED,
    YSCALAR_DOUBLE_QUOTED,
    YSCALAR_LITERAL, /* | block */
    YSCALAR_FOLDED   /* > block */
};

struct ynode;

struct ypair {
    struct ynode *key;
    struct ynode *value;
};

struct ynode {
    enum ynode_kind kind;
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based byte column; a quoted scalar starts at its quote */
    union {
        struct {
            const char *text; /* NUL-terminated; may hold no NUL (the file has none) */
            size_t len;       /* bytes, excluding the NUL */
            enum yscalar_style style;
        } scalar;
        struct {
            struct ynode **items;
            size_t count;
        } seq;
        struct {
            struct ypair *pairs; /* in document order, duplicates removed */
            size_t count;
        } map;
    } u;
};

/* Parses text (text_len bytes, UTF-8, an optional BOM) into a tree.
 *
 * IPR_OK: *root is the document's root node, or NULL for a stream without a
 * document.  Problems that leave the tree usable (an anchor, an alias, a tag,
 * a duplicate key) are diagnostics; callers notice them by the diagnostics'
 * error count.  IPR_ERULES: a problem stopped parsing (syntax error, a limit,
 * a NUL byte, a second document); it has been reported and *root is NULL.
 * IPR_ENOMEM: out of memory. */
ipr_status yaml_tree_parse(struct arena *arena, struct diag_list *diags, const char *file,
                           const char *text, size_t text_len, struct ynode **root);

/* Takes one item of the streamed sequence (see yaml_tree_parse_items); the
 * item's nodes are gone after the call.  Anything but IPR_OK stops the
 * parse and is returned. */
typedef ipr_status (*yaml_item_fn)(const struct ynode *item, void *user);

/* Forgets every item handed over so far: the plain-YAML reader declined
 * after some went out, and libyaml reads the file again from its start.
 * Anything but IPR_OK stops the parse and is returned. */
typedef ipr_status (*yaml_restart_fn)(void *user);

/* yaml_tree_parse, with the items of one sequence handed over as they are
 * read instead of kept: those of the first `list_key` of the root mapping
 * (the `marks:` of a registry).  That sequence is left in the tree with no
 * items.  A registry of 100,000 marks would otherwise be a tree of some
 * 100 MB before its first mark is taken.  Items come in document order,
 * each with its own diagnostics (duplicate keys, anchors) already made; an
 * item read before a syntax error has been handed over.  A file in the
 * plain subset of YAML that registries are written in is read by
 * yaml_fast.h instead of libyaml, to the same tree; with on_restart it is
 * read once, and when it turns out not to be in that subset after items
 * went out, on_restart forgets them before libyaml reads it (else the
 * subset is checked over the whole text first).  Nodes of the tree begun
 * then stay in arena until it is released. */
ipr_status yaml_tree_parse_items(struct arena *arena, struct diag_list *diags, const char *file,
                                 const char *text, size_t text_len, const char *list_key,
                                 yaml_item_fn on_item, yaml_restart_fn on_restart, void *user,
                                 struct ynode **root);

/* yaml_tree_parse_items with libyaml's events alone, never the plain-YAML
 * reader (yaml_fast.h): the reference the tests hold that reader to. */
ipr_status yaml_tree_parse_events(struct arena *arena, struct diag_list *diags, const char *file,
                                  const char *text, size_t text_len, const char *list_key,
                                  yaml_item_fn on_item, void *user, struct ynode **root);

/* A plain scalar that YAML reads as null: empty, "~", "null", "Null", "NULL". */
bool ynode_is_null(const struct ynode *node);

/* Single- or double-quoted. */
bool ynode_is_quoted(const struct ynode *node);

/* "a scalar", "a sequence", "a mapping", "nothing" (null), for messages. */
const char *ynode_describe(const struct ynode *node);

/* Bytes an excerpt needs, with its NUL. */
#define YAML_EXCERPT_CAP 72

/* Copies text into out for quoting in a message: cut at a UTF-8 boundary
 * with "..." when longer than out_cap allows, control characters shown as
 * '?', so one message stays one short line whatever the pack holds. */
void yaml_excerpt(char *out, size_t out_cap, const char *text, size_t len);

#endif
