/*
 * obfuscation.h - the token-level stages of normalization: separator
 * collapse (G-U-C-C-I) and leet folding (N1ke).
 *
 * Both work in place on the decoded, folded characters of one text, each
 * still carrying the source range it came from.  They never reorder
 * characters and never widen a range, so the offset map built from the
 * result stays non-decreasing.  Only normalize.c calls them.
 */
#ifndef IPR_BASE_OBFUSCATION_H
#define IPR_BASE_OBFUSCATION_H

#include "common.h"

/* One normalized code point and the source bytes that produced it. */
struct norm_item {
    uint32_t cp;
    uint32_t src_start; /* byte offset in the source */
    uint32_t src_end;   /* byte offset just past the source character(s) */
};

/* Drops the separators inside runs of >= 3 single-character units joined by
 * the same separator; returns the new item count.  With leet_units, the leet
 * symbols (@ $ ! | ¢) count as units too, so "C H @ N E L" collapses. */
size_t norm_collapse_separators(struct norm_item *items, size_t count, bool leet_units);

/* Replaces leet digits and symbols by the letters they stand for, inside
 * tokens that have a letter (see NORM_LEET in normalize.h). */
void norm_fold_leet(struct norm_item *items, size_t count);

/* The letter a leet character stands for ('0' -> 'o', '@' -> 'a'), or 0. */
uint32_t norm_leet_target(uint32_t cp);

/* Does norm_fold_leet read cp as part of a token (a word character or a
 * leet symbol)? */
bool norm_is_token_char(uint32_t cp);

/* Would norm_fold_leet change the token t (n characters, every one a
 * token character, with a non-token character or the text's edge on each
 * side)? */
bool norm_token_folds(const struct norm_item *t, size_t n);

/* Would norm_collapse_separators drop anything, and would norm_fold_leet
 * change anything?  Their answers, found without writing. */
bool norm_collapses(const struct norm_item *items, size_t count, bool leet_units);
bool norm_leet_folds(const struct norm_item *items, size_t count);

#endif
