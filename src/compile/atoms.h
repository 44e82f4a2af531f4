/*
 * atoms.h - required literals of a rule regex, for the prefilter.
 *
 * An atom set S of a pattern has the property that every match of the
 * pattern contains at least one string of S.  If no atom of S occurs in a
 * field, the regex cannot match there and is not run.  Extraction is
 * deliberately conservative: a construct the parser does not understand
 * means "no atoms" (the regex always runs), never a wrong atom.
 */
#ifndef IPR_COMPILE_ATOMS_H
#define IPR_COMPILE_ATOMS_H

#include "../base/arena.h"

#include "../base/limits.h"

#define ATOM_MIN_LEN          IPR_ATOM_MIN_LEN /* shorter literals filter too little to be worth it */
#define ATOM_MAX_COUNT        IPR_ATOM_MAX_EXTRACTED /* more than this: run the regex always */
#define ATOM_REQUIRED_MAX     8                      /* bytes in a set of required bytes */
#define ATOM_DIGITS_AFTER_MAX 16 /* digits after an atom counted up to this (\d{25} is 16) */

struct atom_set {
    const char **atoms; /* lowercase (ASCII) when the pattern is caseless */
    size_t *lens;
    /* Every match holds the atom where a word starts: at an ASCII letter,
     * digit or '_' that no such byte precedes (see atoms.c).  In ASCII text
     * that is all there is to a word start; in other text a character
     * beyond ASCII before the atom may be a letter or not, so there the
     * mark only rules out the places after an ASCII letter, digit or '_'. */
    bool *word_start;
    /* Per atom, the atom as every match spells it, byte for byte (a
     * case-sensitive pattern, an ASCII atom with a letter), else NULL:
     * then only its lowered form is known to occur. */
    const char **exact;
    /* NULL, or per atom: every match has at least this many digits right
     * after it (\d: ASCII, or a character beyond it, all of whose bytes
     * are 0x80 or more), ATOM_DIGITS_AFTER_MAX at most; 0: none known */
    uint8_t *digit_after;
    size_t count;  /* 0: no atoms, the regex always runs */
    bool caseless; /* atoms are matched against ASCII-lowercased text */
    /* Bytes one of which every match needs in the field, the rarest such
     * set in listing text that the parser found outside all groups: the
     * '@' of an e-mail pattern (PCRE2's own required byte is the last, the
     * '.' after it), or ':' and the first byte of the full-width colon for
     * "[:：]".  Never a letter; none (count 0) when the pattern has several
     * branches or the parser gave up.  Found whether or not there are
     * atoms. */
    unsigned char required[ATOM_REQUIRED_MAX];
    size_t required_count;
};

/* Where a byte ranks from rarest (0) to most common in listing text
 * (a byte beyond ASCII as ':'); UINT_MAX for a byte not ranked (letters,
 * control bytes). */
unsigned atoms_byte_rank(unsigned char c);

/* Extracts atoms of pattern into arena memory.  IPR_ENOMEM only; a pattern
 * without usable atoms gives count == 0. */
ipr_status atoms_extract(const char *pattern, struct arena *arena, struct atom_set *out);

/* The compact view of a field is its ASCII letters and digits, lowered,
 * everything else dropped (KELVIN SIGN and LONG S kept as the k and s PCRE2
 * equates them with).  A pattern whose matches are letters spaced out by
 * what the view drops ("g[\W_]{1,2}u[\W_]{1,2}c...", every separator class
 * and punctuation transparent) has atoms there ("gucci") where it has none
 * in the field itself.  Extracts them as atoms_extract does its own, none
 * marked to start a word; count 0 when the pattern has none either. */
ipr_status atoms_extract_compact(const char *pattern, struct arena *arena, struct atom_set *out);

/* The atom set a rule declares with `keywords:` (each at least
 * ATOM_MIN_LEN bytes, at most IPR_ATOM_MAX_COUNT of them; the loader checks):
 * lowered as extracted atoms are, none marked to start a word.  The rule
 * vouches that every match holds one; `rules test` tells when an example
 * it must match holds none. */
ipr_status atoms_from_keywords(const char *const *words, size_t count, struct arena *arena,
                               struct atom_set *out);

/* Every match of pattern is a run of at least this many ASCII letters
 * and digits (bytes), and nothing else; 0 when the pattern is not that
 * simple (anything but ASCII letters and digits, classes of only those,
 * groups of alternatives of them, quantifiers and \b; any inline option,
 * which covers (?i) and the non-ASCII letters it matches).  A crypto
 * wallet address, "[13][a-km-zA-HJ-NP-Z1-9]{25,34}", has no literal to
 * look for, but a field without 26 such bytes in a row cannot hold one. */
size_t atoms_alnum_run(const char *pattern);

/* Is every match of pattern ASCII letters or digits spaced out, each
 * standing alone: "\b(?:g[\W_]{1,2}u[\W_]{1,2}c...|...)\b" (an optional
 * leading "(?i)", \b at both ends, alternatives of single letters or
 * digits joined by classes of what the compact view drops, repeated at
 * least once)?  Then in ASCII text a match is at least *letters such
 * characters, each with no letter or digit next to it, one after the
 * other with at most *max_gap bytes between two (SIZE_MAX: no bound).
 * False for anything else. */
bool atoms_spaced_letters(const char *pattern, size_t *letters, size_t *max_gap);

#endif
