/*
 * limits.h - every hard limit of the library in one place.
 *
 * Rule packs and listing files are untrusted input: each budget below turns
 * a hostile input into a diagnostic or an error record instead of a crash,
 * a hang or an out-of-memory kill.  docs/limits.md documents each one.
 */
#ifndef IPR_BASE_LIMITS_H
#define IPR_BASE_LIMITS_H

/* Rule packs (YAML). */
#define IPR_YAML_MAX_FILE_BYTES        (8u * 1024u * 1024u) /* one pack file */
#define IPR_YAML_MAX_DEPTH             64u                  /* nesting of mappings/sequences */
#define IPR_YAML_MAX_SCALAR_BYTES      (256u * 1024u)       /* one scalar value */
#define IPR_MAX_RULES                  100000u              /* rules across all packs */
#define IPR_MAX_TERM_FILE_BYTES        (16u * 1024u * 1024u)
#define IPR_WORD_LIST_MAX_BYTES        (64u * 1024u * 1024u)
#define IPR_YAML_MAX_ERRORS            1000u /* diagnostics from one pack before the loader stops */
#define IPR_RULE_MAX_NEAR_WORDS        1000u /* `near: {words: N}` */
#define IPR_RULE_EXAMPLE_DISPLAY_BYTES 200u  /* compact text of one test example */

/* Regular expressions in rules. */
#define IPR_REGEX_MAX_PATTERN_BYTES 4096u
#define IPR_REGEX_MATCH_LIMIT       1000000u /* pcre2_set_match_limit */
#define IPR_REGEX_DEPTH_LIMIT       10000u   /* pcre2_set_depth_limit */
#define IPR_REGEX_HEAP_LIMIT_KIB    20480u   /* pcre2_set_heap_limit */
#define IPR_REGEX_JIT_STACK_MIN     (32u * 1024u)
#define IPR_REGEX_JIT_STACK_MAX     (1024u * 1024u)
#define IPR_ATOM_MIN_LEN            2u            /* bytes: a shorter literal filters too little */
#define IPR_ATOM_MAX_COUNT          64u           /* `keywords:` a regex may declare */
#define IPR_ATOM_MAX_EXTRACTED      128u          /* literals of a regex the prefilter looks for */
#define IPR_ATOM_WORK_BYTES         (64u * 1024u) /* writing them out, per regex */

/* Listing input. */
#define IPR_INPUT_MAX_LINE_BYTES  (16u * 1024u * 1024u) /* one CSV record / JSON line */
#define IPR_INPUT_MAX_FIELD_BYTES (1024u * 1024u)       /* one field value */
#define IPR_INPUT_MAX_FIELDS      4096u                 /* leaves in one record */
#define IPR_INPUT_MAX_JSON_DEPTH  32u
#define IPR_INPUT_MAX_COLUMNS     65536u          /* cells in one CSV/TSV row */
#define IPR_INPUT_READ_BYTES      (1024u * 1024u) /* one read(2) from a listing */
#define IPR_INPUT_SNIFF_BYTES     (64u * 1024u)   /* looked at to guess a format */

/* The largest values a caller may give the budgets that can be set at run
 * time (ipr_reader_options, ipr_scan_limits, --max-field-bytes and the
 * like); the constants above are their defaults. */
#define IPR_INPUT_MAX_FIELD_BYTES_CEILING (8u * 1024u * 1024u) /* normalization is sized for it */
#define IPR_INPUT_MAX_LINE_BYTES_CEILING  (256u * 1024u * 1024u)
#define IPR_REGEX_MATCH_LIMIT_CEILING     100000000u
#define IPR_REGEX_DEPTH_LIMIT_CEILING     1000000u

/* Marketplace profiles and legacy encodings (docs/profiles.md, docs/encodings.md). */
#define IPR_PROFILE_MAX_FILE_BYTES  (1024u * 1024u)       /* one profile file */
#define IPR_PROFILE_MAX_RULES       1024u                 /* column rules in one profile */
#define IPR_PROFILE_MAX_NAMES       64u                   /* `from`, `to` or `detect` entries */
#define IPR_PROFILE_HEADER_ROWS     10u                   /* rows looked at for the header row */
#define IPR_PROFILE_HEADER_BYTES    (1024u * 1024u)       /* bytes looked at for the header row */
#define IPR_PROFILE_MAX_GROUP_ROWS  10000u                /* rows joined into one record */
#define IPR_PROFILE_MAX_BATCH_BYTES (64u * 1024u * 1024u) /* rows held to attach variations */
#define IPR_ENCODING_SAMPLE_BYTES   (64u * 1024u)         /* text given to charset detection */

/* Text normalization. */
#define IPR_NORM_MAX_OUTPUT_BYTES                                                                  \
    (4u * IPR_INPUT_MAX_FIELD_BYTES_CEILING) /* one normalized field */
#define IPR_NORM_MAX_SEGMENT_CHARS 32u       /* base + combining marks normalized as one unit */

/* Trademark near-misses: words and spellings of these lengths are within
 * one edit of each other when they are (keys fit a 64-bit mask); a word
 * is a near-miss of the first marks in registry order, this many at most. */
#define IPR_NEAR_SPELLING_MIN   5u
#define IPR_NEAR_SPELLING_MAX   40u
#define IPR_NEAR_MISS_MAX_MARKS 16u

/* Scanner caches: memory per thread, kept across records. */
#define IPR_FUZZY_MEMO_SLOTS      32768u /* tokens remembered as having no near-miss (32 B, 2-way) */
#define IPR_SCAN_MAX_CACHED_PATHS 8192u  /* field paths whose selectors are remembered */

/* Findings. */
#define IPR_MAX_FINDINGS_PER_RULE 16u /* per rule and record; further evidence is not listed */

/* Reports. */
#define IPR_REPORT_WINDOW_COLUMNS    80u /* text: display columns of a value shown around evidence */
#define IPR_REPORT_WINDOW_SCAN_BYTES 1024u /* text: bytes decoded each side of the evidence */
#define IPR_REPORT_SARIF_TEXT_CHARS  1024u /* sarif: a rule's short/full description (GitHub) */

#endif
