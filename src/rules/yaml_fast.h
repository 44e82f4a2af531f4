/*
 * yaml_fast.h - a reader for the plain YAML that registries are written in,
 * giving the tree libyaml's events give (yaml_tree.h), or declining.
 *
 * A registry of 100,000 marks is some 12 MB of "- mark: ..." lines, and
 * libyaml took two fifths of loading it.  This reader knows a strict subset:
 * block mappings and sequences on LF or CRLF lines, single-line flow collections,
 * plain and quoted one-line scalars, comments.  Anything else (a tab, a lone CR,
 * an escape, a multi-line scalar, an anchor, a tag, a duplicate key, an
 * empty value, a document marker) makes it decline, and the caller reads
 * the file with libyaml instead: the
 * subset never decides what the file means, it only takes the files whose
 * meaning is plain.
 */
#ifndef IPR_RULES_YAML_FAST_H
#define IPR_RULES_YAML_FAST_H

#include "yaml_tree.h"

enum yaml_fast_result {
    YAML_FAST_DONE,     /* *root is the tree; the items went to on_item */
    YAML_FAST_DECLINED, /* not in the subset: nothing was handed over, or on_restart
                           was told to forget what was */
    YAML_FAST_FAILED    /* out of memory, or on_item or on_restart failed: *status
                           says which */
};

/* Reads text (after its BOM; a NUL byte declines) as yaml_tree_parse_items
 * would, with the items of the root mapping's first `list_key` sequence
 * handed to on_item one at a time.
 *
 * With on_restart, the text is read once, and a decline that comes after
 * items went out calls on_restart(user) first: the caller forgets them and
 * libyaml reads the file from its start.  Without it, the reader first
 * reads the whole text without handing anything over, so a decline never
 * comes after an item went out; that first pass was a fifth of loading a
 * registry, which is why the loader takes the restart instead. */
enum yaml_fast_result yaml_fast_parse_items(struct arena *arena, const char *text, size_t len,
                                            const char *list_key, yaml_item_fn on_item,
                                            yaml_restart_fn on_restart, void *user,
                                            struct ynode **root, ipr_status *status);

#endif
