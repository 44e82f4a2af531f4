/*
 * chains.h - chains of table entries (linked by index) regrouped so that
 * the entries that match alike lie side by side, each knowing where the
 * next run starts: one comparison then settles a whole run.
 *
 * The built-in packs name the same words in many rules (a brand list in
 * thirty rules, a list of "compatible with" phrases in seven regexes), so
 * a chain of the prefilter's terms or regex atoms holds the same text many
 * times: "air" began 93 terms of 3 texts, "for" 8 atoms of one.  A chain
 * may also hold thousands of texts (a term list whose every term starts
 * with "for"), so the runs are found by sorting, not by comparing each
 * entry with every other.
 */
#ifndef IPR_COMPILE_CHAINS_H
#define IPR_COMPILE_CHAINS_H

#include "../base/common.h"

#define CHAIN_END UINT32_MAX

struct chain_table {
    void *items;    /* the entries */
    size_t size;    /* bytes of one entry */
    size_t next_at; /* offsetof its uint32_t next: the chain goes on there; CHAIN_END ends */
    size_t skip_at; /* offsetof its uint32_t skip: the first entry after its run */
    /* an order of the entries in which 0 means they match the same text in
     * the same places */
    int (*compare)(const void *a, const void *b);
    uint32_t *scratch; /* room for 3 * the longest chain */
};

/* Relinks the chain that starts at entry head so that alike entries follow
 * each other (the runs in the order their first entries had, each run in
 * chain order), sets every entry's skip, and returns the new head.
 * O(n log n) comparisons for a chain of n. */
uint32_t chain_regroup(struct chain_table *t, uint32_t head);

#endif
