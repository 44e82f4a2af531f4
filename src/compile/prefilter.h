/*
 * prefilter.h - one pass per field to find which rules can match at all.
 *
 * Regex rules: the literal atoms of every regex (atoms.h) are indexed by
 * a hash of their first four bytes (two for shorter atoms); a field is lowercased (ASCII) once and
 * scanned once, and only regexes whose atoms occur are run.  Term lists: every term of every list
 * is indexed by its first word token, so one pass over the field's tokens finds the hits of all
 * lists at once.  A regex without atoms may have some in the field's compact view (its letters and
 * digits alone: "G-U-C-C-I" reads "gucci" there), searched the same way.  Regexes without either
 * are skipped when the field lacks a byte PCRE2 says every
 * match needs (the first code unit, or a required one), else always run. Findings are identical to
 * running everything; the naive engine (scanner option) does exactly that, for tests and
 * benchmarks.
 */
#ifndef IPR_COMPILE_PREFILTER_H
#define IPR_COMPILE_PREFILTER_H

#include "../base/normalize.h"
#include "../base/strmap.h"
#include "atoms.h"
#include "markset.h"
#include "termset.h"

struct pf_atom {
    const char *text;  /* lowercase */
    const char *exact; /* how every match spells it (atom_set.exact), or NULL */
    uint32_t len;
    uint32_t regex;      /* regex id */
    uint32_t next;       /* next atom with the same key (quad_head, bigram_head); UINT32_MAX
                            ends */
    uint32_t skip;       /* the first atom after this one's run of alike ones (chains.h) */
    bool word_start;     /* found only where a word starts, in ASCII text (atoms.h) */
    uint8_t digit_after; /* found only with the bytes of this many digits after it
                            (atom_set.digit_after) */
};

/* Keys of two compact-view characters (36 letters and digits each). */
#define PF_COMPACT_KEYS (36u * 36u)

/* The terms with the same first token are one chain, in which terms of the
 * same text lie next to each other (chains.h), so one comparison settles
 * them all. */
struct pf_term {
    const struct termset *set;
    uint32_t set_id;
    uint32_t term; /* index in set */
    uint32_t next; /* next term with the same first token; UINT32_MAX ends */
    uint32_t skip; /* the first term after this one in the chain with another text */
};

/* Bytes every match of an atom-less regex needs: one of `first` (the
 * match's first code unit, from PCRE2's start analysis) and one of `need`
 * (PCRE2's last required code unit, or the atom parser's rarer required
 * set, atom_set.required), and a run of letters and digits. */
struct pf_bytes {
    uint32_t regex;
    uint8_t first[64]; /* byte values; first_count 0: any first byte */
    uint8_t need[8];
    uint8_t first_count, need_count; /* need_count 0: no required byte */
    uint16_t alnum_run;              /* a run of this many ASCII letters and digits the
                                        field must hold (atoms_alnum_run); 0: none */
};

struct prefilter {
    uint32_t regex_count;
    uint8_t *always_bits;   /* bit per regex id: not prefiltered, always run */
    size_t always_bytes;    /* bytes of always_bits up to the last one set; 0: none */
    struct pf_bytes *bytes; /* atom-less regexes PCRE2 says need certain bytes */
    size_t bytes_count;
    /* the four tables below live in the ruleset's arena */
    uint32_t *bigram_head; /* 65536 entries: first atom of two or three bytes per prefix */
    uint8_t *bigram_seen;  /* 65536 entries: non-zero when bigram_head has one */
    uint32_t *quad_head;   /* 65536 entries: first longer atom per hash of its 4-byte prefix */
    uint8_t *quad_seen;    /* 65536 entries: non-zero when quad_head has one */
    bool has_short;        /* some atom is shorter than four bytes */
    bool word_starts_only; /* every atom is word_start: ASCII fields are searched at word starts */
    struct pf_atom *atoms;
    size_t atom_count;
    /* atoms of the compact view (atoms.h) of regexes with none of their
     * own, and the first of each chain by their first two characters, a
     * letter or digit each: a field's compact view is searched for them */
    struct pf_atom *compact;
    size_t compact_count;
    uint32_t compact_head[PF_COMPACT_KEYS];
    uint64_t compact_first[2]; /* bit c: a compact atom starts with ASCII byte c */
    /* every regex with compact atoms is of letters spaced out
     * (atoms_spaced_letters): an ASCII field has a match only where this
     * many letters or digits stand alone, at most spaced_gap bytes apart;
     * 0: the compact view is always searched */
    size_t spaced_letters;
    size_t spaced_gap;
    uint32_t termset_count;
    struct strmap term_first; /* first token -> first pf_term */
    struct pf_term *terms;
    size_t term_count;
    struct pf_term *loose; /* terms that do not start with a word token: searched directly */
    size_t loose_count;
};

struct ccond;
struct ipr_ruleset;

/* Numbers every regex and term leaf of the ruleset and builds the index. */
ipr_status prefilter_build(struct ipr_ruleset *rs);
void prefilter_release(struct prefilter *pf);

/* Sets bit r of candidates (regex_count bits, zeroed by the caller) for
 * every regex whose atoms occur in value.  scratch holds the lowercased
 * copy. */
void prefilter_regex_candidates(const struct prefilter *pf, const char *value, size_t len,
                                char *scratch, uint8_t *candidates);

/* A term hit, in the coordinates of the normalized text. */
struct pf_term_hit {
    uint32_t set_id;
    uint32_t term;
    size_t start, end;
};

typedef bool (*pf_term_fn)(const struct pf_term_hit *hit, void *user);

/* Finds every hit of every term list in text (normalized with NORM_FOLD),
 * with the same boundary rules as termset_find.  tokens (NULL: found here)
 * are the text's, from markset_tokens. */
void prefilter_terms(const struct prefilter *pf, const struct norm_text *text,
                     const struct text_token *tokens, size_t token_count, pf_term_fn on_hit,
                     void *user);

#endif
