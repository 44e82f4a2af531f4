/*
 * scanner.h - per-thread scanning state (stage 4, the hot path).
 *
 * A scanner borrows an immutable ruleset and owns everything that changes
 * while records are checked: PCRE2 match data, match limits and JIT stack,
 * the normalizer, a per-record scratch arena and the evidence and finding
 * lists.  One scanner belongs to one thread; any number of scanners can
 * share a ruleset.
 */
#ifndef IPR_MATCH_SCANNER_H
#define IPR_MATCH_SCANNER_H

#include "../base/buf.h"
#include "../base/normalize.h"
#include "../compile/ruleset.h"
#include "../input/html_text.h"
#include "../input/record.h"
#include "field_select.h"
#include "mark_match.h"

/* A token known to have no near-miss among the marks (mark_match.c):
 * 32 bytes, two to a cache line (a set), so a lookup is one line. */
#define FUZZY_MEMO_TOKEN 30 /* longer tokens are not remembered */
struct fuzzy_memo {
    char tok[FUZZY_MEMO_TOKEN];
    uint8_t len; /* 0: empty slot */
    bool pair;   /* two tokens run together */
};

/* Why a condition holds: a span in a field, or a field as a whole. */
struct evidence {
    ptrdiff_t field;        /* index into the record's fields; -1: the field is missing */
    const char *field_name; /* selector, when field == -1 */
    size_t start, end;      /* byte span in the original value */
    bool has_span;
    uint32_t seq; /* order of pushing: of two at one span, the first pushed is reported */
    double confidence;
    unsigned severity_drop;                /* levels below the rule's severity */
    const char *mark, *owner, *match_kind; /* from mark leaves, else NULL */
    const char *note;                      /* added to the message, or NULL */
};

/* A finding waiting to be sorted and delivered. */
struct pending_finding {
    const struct crule *rule;
    struct evidence ev;
};

/* The normalized form of one field, computed on first use per record. */
struct norm_cache_entry {
    uint32_t gen; /* the scanner's cache_gen when filled; else all of it is stale */
    bool valid;
    struct norm_text text; /* arrays in the scanner's scratch arena */
    bool tokens_valid;
    const struct text_token *tokens; /* of text, in the scratch arena */
    size_t token_count;
    struct field_marks marks; /* trademark hits, computed on first use */
    bool regex_valid;
    uint8_t *regex_candidates; /* prefilter: bit per regex id that may match */
    bool terms_valid;
    struct pf_term_hit *term_hits; /* prefilter: every term list's hits, by list */
    size_t term_hit_count;
    bool hash_valid;
    uint64_t value_hash; /* strmap_hash of the value: the value memo's key */
};

struct ipr_scanner {
    const struct ipr_ruleset *rs;
    struct normalizer *norm;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    struct vec evidence;   /* struct evidence, a stack during evaluation */
    uint32_t evidence_seq; /* pushes in the rule being evaluated: struct evidence.seq */
    struct vec findings;   /* struct pending_finding for the current record */
    struct arena scratch;  /* reset per record */
    struct buf tmp;
    struct buf tmp2;
    struct norm_cache_entry *cache; /* one per record field; use scanner_cache() */
    uint32_t cache_gen;             /* the record's number: entries of others are stale */
    size_t cache_cap;
    const struct ipr_record *rec;
    const char *incomplete;   /* why the record was not fully checked, or NULL */
    ipr_status error;         /* first failure of a step that returns no status */
    bool naive;               /* run every rule on every field: no prefilter */
    struct vec mark_scratch;  /* struct mark_hit, reused per field: no allocation per record */
    struct vec term_scratch;  /* struct pf_term_hit, likewise */
    struct vec token_scratch; /* struct text_token, likewise */
    struct html_text html;    /* maps spans of HTML-derived text back into the cell */
    char *lower;              /* prefilter scratch: a lowercased field */
    size_t lower_cap;
    uint32_t *ident; /* 0, 1, 2, ...: the source map of every ASCII field's folded text,
                        grown before a record is scanned, so it never moves during one */
    size_t ident_cap;
    struct field_select select;    /* which selectors pick each field */
    uint8_t *triggers;             /* bit per gate trigger fired in the current record */
    uint8_t *rule_open;            /* bit per rule with a regex_only gate that may match */
    unsigned triggers_found;       /* kinds of trigger already looked for (gate_check.c) */
    struct fuzzy_memo *fuzzy_memo; /* IPR_FUZZY_MEMO_SLOTS, 64-byte aligned, allocated on
                                      first use */
    struct value_memo *value_memo; /* allocated on first use (scanner_value_memo) */
    bool value_memo_failed;        /* out of memory once: not tried again */
};

/* Remembers the failure of an evaluation step that can only answer "matched
 * or not", so it never passes for "no finding": a size limit (IPR_ELIMIT)
 * leaves the record incomplete, anything else (IPR_ENOMEM) is returned by
 * ipr_scanner_scan(). */
static inline void scanner_note_error(struct ipr_scanner *s, ipr_status st)
{
    if (st == IPR_ELIMIT) {
        if (!s->incomplete)
            s->incomplete = "a field is too long to normalize";
    } else if (s->error == IPR_OK) {
        s->error = st;
    }
}

/* Evaluates one rule against the current record (s->rec), appending its
 * findings to s->findings. */
ipr_status scanner_eval_rule(struct ipr_scanner *s, const struct crule *rule);

/* The cache entry of field fi of the current record.  Entries are cleared
 * when first used in a record, not all of them when it starts: a record has
 * dozens of fields and most rules look at a few. */
static inline struct norm_cache_entry *scanner_cache(struct ipr_scanner *s, size_t fi)
{
    struct norm_cache_entry *ce = &s->cache[fi];
    if (ce->gen != s->cache_gen) {
        /* the flags alone: every other member is written before its flag
         * is set, and a memset of the whole entry (rep stos) was 4 % of a
         * scan with 200 regex rules */
        ce->gen = s->cache_gen;
        ce->valid = ce->tokens_valid = ce->regex_valid = ce->terms_valid = ce->hash_valid = false;
        ce->marks.valid = false;
    }
    return ce;
}

/* The memo of short values (value_memo.h) for field fi, and the value's
 * hash in *h (hashed once per record); NULL when the value is too long to
 * keep or memory ran out. */
struct value_memo *scanner_value_memo(struct ipr_scanner *s, size_t fi, uint64_t *h);

/* Starts a record: resets scratch state and the normalization cache. */
ipr_status scanner_begin(struct ipr_scanner *s, const struct ipr_record *rec);

/* Field fi normalized with NORM_FOLD, computed once per record and kept
 * in the scratch arena; NULL when it could not be (the failure is noted). */
const struct norm_text *scanner_field_text(struct ipr_scanner *s, size_t fi);

/* Copies what normalizer_run handed out (valid only until its next run)
 * into the record's scratch arena; false when memory ran out (noted). */
bool scanner_keep_text(struct ipr_scanner *s, const struct norm_text *nt, struct norm_text *out);

/* The word tokens of that text, found once per record for the trademark
 * passes and the term lists; NULL (and *count 0) when the text is NULL or
 * out of memory: callers then find tokens as they go. */
const struct text_token *scanner_field_tokens(struct ipr_scanner *s, size_t fi, size_t *count);

/* The prefilter's candidate bits of field fi (bit per regex id), computed
 * once per record, ipr_bitset_bytes long; NULL when out of memory. */
const uint8_t *scanner_regex_candidates(struct ipr_scanner *s, size_t fi);

/* The cache entry of field fi with every term list's hits filled in,
 * computed once per record; NULL when the field could not be searched. */
const struct norm_cache_entry *scanner_term_hits(struct ipr_scanner *s, size_t fi);

/* Can the rule match the current record at all?  False only when a
 * trigger its gate needs is absent (compile/gate.h). */
bool scanner_gate_open(struct ipr_scanner *s, const struct crule *rule);

/* Finds the regexes that may match the record and opens the rules listed
 * under them (rs->regex_gated) in s->rule_open.  Call once per record
 * before asking scanner_rule_open. */
void scanner_open_regex_gated(struct ipr_scanner *s);

/* scanner_gate_open for rule number i, a bit test for a regex_only gate. */
static inline bool scanner_rule_open(struct ipr_scanner *s, size_t i, const struct crule *rule)
{
    if (rule->gate.count == 0)
        return true;
    if (rule->gate.regex_only)
        return (s->rule_open[i >> 3] >> (i & 7)) & 1u;
    return scanner_gate_open(s, rule);
}

/* Sorts s->findings and delivers them. */
ipr_status scanner_deliver(struct ipr_scanner *s, ipr_finding_fn on_finding, void *user);

#endif
