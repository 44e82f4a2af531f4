/*
 * value_memo.h - what the scanner worked out for a short field value,
 * kept for the next field that holds the same bytes.
 *
 * Catalogue exports repeat short values from record to record: the
 * bullets, search terms and tags that a product's variations share, a
 * shop's boilerplate (in a 10 MB slice of the benchmark corpus, 46,165
 * bullets hold 67 distinct values).  Two results depend on the value's bytes alone, not
 * on the field or the record, and cost most of the work on such fields:
 * the prefilter's candidate bits, the term lists' hits (where in the
 * normalized value: the same for the same bytes) and the trademark hits
 * before they are classified (classification reads the record: brand
 * fields, sellers, authorizations).  A value seen before gets them back for a hash and a
 * compare; the findings are the same, only sooner.
 *
 * Direct-mapped: a value has one slot, chosen by its hash; a value that
 * lands on a slot in use takes it over.  Values of up to
 * VALUE_MEMO_MAX_BYTES bytes only: longer ones rarely repeat, and a copy
 * of each would cost more than it saves.  One memo per scanner (per
 * thread); the ruleset it is for is fixed.
 */
#ifndef IPR_MATCH_VALUE_MEMO_H
#define IPR_MATCH_VALUE_MEMO_H

#include "../base/common.h"
#include "../compile/prefilter.h"
#include "mark_match.h"

#define VALUE_MEMO_SLOTS     4096u
#define VALUE_MEMO_MAX_BYTES 96u /* bullets, tags, search terms: most are far shorter */
#define VALUE_MEMO_MAX_HITS  2u  /* trademark hits kept per value; most have none */
#define VALUE_MEMO_MAX_TERMS 2u  /* term-list hits kept per value; most have none */

struct value_memo;

/* A memo for candidate bitsets of candidate_bytes each.  NULL when out of
 * memory (the scanner then works every value out). */
struct value_memo *value_memo_new(size_t candidate_bytes);
void value_memo_free(struct value_memo *m);

/* May a value of len bytes be kept? */
static inline bool value_memo_fits(size_t len)
{
    return len <= VALUE_MEMO_MAX_BYTES;
}

/* The candidate bits kept for the value (len bytes, strmap_hash h), or
 * NULL when there are none. */
const uint8_t *value_memo_candidates(const struct value_memo *m, uint64_t h, const char *value,
                                     size_t len);
void value_memo_keep_candidates(struct value_memo *m, uint64_t h, const char *value, size_t len,
                                const uint8_t *candidates);

/* The unclassified trademark hits kept for the value: true with *hits and
 * *count set (count may be 0), false when there are none kept. */
bool value_memo_marks(const struct value_memo *m, uint64_t h, const char *value, size_t len,
                      const struct mark_hit **hits, size_t *count);
/* Keeps them, if there are at most VALUE_MEMO_MAX_HITS. */
void value_memo_keep_marks(struct value_memo *m, uint64_t h, const char *value, size_t len,
                           const struct mark_hit *hits, size_t count);

/* The term-list hits kept for the value: true with *hits and *count set
 * (count may be 0), false when there are none kept. */
bool value_memo_terms(const struct value_memo *m, uint64_t h, const char *value, size_t len,
                      const struct pf_term_hit **hits, size_t *count);
/* Keeps them, if there are at most VALUE_MEMO_MAX_TERMS. */
void value_memo_keep_terms(struct value_memo *m, uint64_t h, const char *value, size_t len,
                           const struct pf_term_hit *hits, size_t count);

#endif
