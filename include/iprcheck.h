/*
 * iprcheck.h - the one public header of libiprcheck.
 *
 * The library checks e-commerce listing records against rule packs that
 * describe intellectual-property risks per supply-chain stage.  The pipeline:
 *
 *   ipr_compiler  --(YAML packs)-->  ipr_ruleset   (immutable, thread-safe)
 *   ipr_reader    --(CSV/JSON)--->   ipr_record    (one listing, with provenance)
 *   ipr_scanner   (one per thread)   ruleset x record -> ipr_finding callbacks
 *   ipr_reporter  findings and record statuses -> text/json/jsonl bytes
 *
 * Conventions:
 *   - Every function that can fail returns ipr_status; IPR_OK is 0.
 *   - Every _new has a matching _free; passing NULL to _free is allowed.
 *   - Strings are UTF-8, given as (pointer, byte length) where they come from
 *     listing data; they are not NUL-terminated unless stated.
 *   - "Borrowed" pointers stay valid until the owning handle is freed or, for
 *     data handed to a callback, until the callback returns.
 *   - The library never prints, never exits and never reads the environment.
 */
#ifndef IPRCHECK_H
#define IPRCHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPR_VERSION_MAJOR  0
#define IPR_VERSION_MINOR  1
#define IPR_VERSION_PATCH  0
#define IPR_VERSION_STRING "0.1.0"

/* ---- status -------------------------------------------------------------- */

/* Numbers are never reused; new codes are appended. */
typedef enum ipr_status {
    IPR_OK = 0,
    IPR_DONE = 1,         /* no more records (not an error) */
    IPR_ENOMEM = 2,       /* an allocation failed */
    IPR_EINVAL = 3,       /* an argument is invalid (programming error) */
    IPR_EIO = 4,          /* a file could not be read or written; see errno */
    IPR_ERULES = 5,       /* rule packs have errors; see the diagnostics */
    IPR_EPARSE = 6,       /* input could not be parsed at all */
    IPR_ELIMIT = 7,       /* a size or complexity budget was exceeded */
    IPR_ENOTFOUND = 8,    /* a named item does not exist */
    IPR_ECALLBACK = 9,    /* a callback asked to stop */
    IPR_EUNSUPPORTED = 10 /* a format or feature is not available */
} ipr_status;

/* A static English name of the status, e.g. "out of memory". */
const char *ipr_status_str(ipr_status status);

/* ---- enumerations shared by rules, findings and reports ------------------ */

typedef enum ipr_severity {
    IPR_SEV_INFO = 0,
    IPR_SEV_LOW = 1,
    IPR_SEV_MEDIUM = 2,
    IPR_SEV_HIGH = 3,
    IPR_SEV_CRITICAL = 4
} ipr_severity;

#define IPR_SEV_COUNT 5

/* "info", "low", "medium", "high", "critical". */
const char *ipr_severity_name(ipr_severity severity);
/* Parses a severity name; returns IPR_ENOTFOUND for an unknown name. */
ipr_status ipr_severity_parse(const char *name, ipr_severity *out);

typedef enum ipr_stage {
    IPR_STAGE_HEADWAY = 0,
    IPR_STAGE_TAILING = 1,
    IPR_STAGE_PAYMENT = 2,
    IPR_STAGE_MARKETING = 3,
    IPR_STAGE_WAREHOUSING = 4
} ipr_stage;

#define IPR_STAGE_COUNT 5

/* "headway", "tailing", "payment", "marketing", "warehousing". */
const char *ipr_stage_name(ipr_stage stage);
ipr_status ipr_stage_parse(const char *name, ipr_stage *out);

/* ---- diagnostics ----------------------------------------------------------- */

typedef enum ipr_diag_level { IPR_DIAG_ERROR = 0, IPR_DIAG_WARNING = 1 } ipr_diag_level;

/* A problem found in a rule pack or an input file.  line and col are 1-based;
 * 0 means unknown.  All strings are NUL-terminated and borrowed. */
typedef struct ipr_diag {
    ipr_diag_level level;
    const char *file;
    uint32_t line;
    uint32_t col;
    const char *message;
} ipr_diag;

/* ---- compiler and ruleset ------------------------------------------------- */

typedef struct ipr_compiler ipr_compiler;
typedef struct ipr_ruleset ipr_ruleset;

ipr_status ipr_compiler_new(ipr_compiler **out);
void ipr_compiler_free(ipr_compiler *compiler);

/* Adds the rule packs compiled into the library (the rules/ folder). */
ipr_status ipr_compiler_add_builtin(ipr_compiler *compiler);

/* Adds one pack file, or every *.yaml / *.yml file below a folder (sorted).
 * Problems become diagnostics; the status is IPR_ERULES when any error was
 * recorded, IPR_EIO when the path cannot be read. */
ipr_status ipr_compiler_add_path(ipr_compiler *compiler, const char *path);

/* Adds a pack held in memory; name is used in diagnostics. */
ipr_status ipr_compiler_add_string(ipr_compiler *compiler, const char *name, const char *text,
                                   size_t text_len);

/* Adds the trademark registry compiled into the library (rules/trademarks/):
 * marks and the Nice class vocabulary used to tell brand senses apart.  It
 * counts in the rules digest at once, and comes before the registries added
 * after it; it is read only if some rule looks for marks (a run of custom
 * regex packs never pays for it). */
ipr_status ipr_compiler_add_builtin_trademarks(ipr_compiler *compiler);

/* Adds a trademark registry file (.yaml/.yml or .csv; see docs/trademarks.md). */
ipr_status ipr_compiler_add_trademarks(ipr_compiler *compiler, const char *path);

/* Adds count registry files as ipr_compiler_add_trademarks would one after
 * the other (the same marks in the same order, the same diagnostics, the
 * same rules digest), reading and parsing up to `threads` of them at once
 * (0 or 1: one at a time).  The status is IPR_ENOMEM if memory ran out,
 * else the first file's failure (IPR_ERULES, IPR_EIO), else IPR_OK;
 * IPR_EINVAL, with nothing read, when a path is NULL. */
ipr_status ipr_compiler_add_trademark_files(ipr_compiler *compiler, const char *const *paths,
                                            size_t count, unsigned threads);

/* Adds seller authorizations (.yaml/.yml or .csv): a mark hit covered by a
 * valid authorization for the record's seller and country is not reported. */
ipr_status ipr_compiler_add_authorizations(ipr_compiler *compiler, const char *path);

/* A list of ordinary words, one per line (e.g. /usr/share/dict/words): a
 * near-miss of a mark that is an ordinary word ("channel") is not reported. */
ipr_status ipr_compiler_set_word_list(ipr_compiler *compiler, const char *path);

/* The date ("YYYY-MM-DD") against which authorizations are checked when a
 * record has no shipment.ship_date.  Without it, dates are not checked. */
ipr_status ipr_compiler_set_reference_date(ipr_compiler *compiler, const char *date);

enum ipr_lint_flags {
    IPR_LINT_ATOMS = 1u << 0, /* warn for regexes the prefilter cannot skip (no literal) */
    IPR_LINT_STRICT = 1u << 1 /* lint warnings are errors */
};

/* Extra checks for `rules lint`; off by default. */
void ipr_compiler_set_lint(ipr_compiler *compiler, unsigned lint_flags);

/* How many threads ipr_compiler_finish may use: with two or more, the
 * trademark mark set is built on a thread of its own while the rules
 * compile (the same ruleset and diagnostics as on one).  0 or 1, the
 * default: the calling thread only. */
void ipr_compiler_set_threads(ipr_compiler *compiler, unsigned threads);

/* Restricts compilation to the stages whose bit (1u << ipr_stage) is set. */
void ipr_compiler_set_stages(ipr_compiler *compiler, unsigned stage_mask);

size_t ipr_compiler_diag_count(const ipr_compiler *compiler);
const ipr_diag *ipr_compiler_diag(const ipr_compiler *compiler, size_t index);
size_t ipr_compiler_error_count(const ipr_compiler *compiler);

/* Compiles everything added so far into an immutable ruleset.  Fails with
 * IPR_ERULES (and diagnostics) when any pack had an error. */
ipr_status ipr_compiler_finish(ipr_compiler *compiler, ipr_ruleset **out);

void ipr_ruleset_free(ipr_ruleset *ruleset);

/* Read-only description of one compiled rule; borrowed from the ruleset. */
typedef struct ipr_rule_info {
    const char *id;
    const char *title;
    const char *description; /* may be empty */
    ipr_stage stage;
    ipr_severity severity;
    const char *message; /* template, with {placeholders} */
    const char *fix;
    const char *const *references;
    size_t reference_count;
    const char *const *fields; /* field selectors the rule reads */
    size_t field_count;
    const char *pack;                  /* pack name */
    const char *file;                  /* pack file, "builtin:rules/x.yaml" for built-in packs */
    uint32_t line;                     /* line of the rule in the pack */
    const char *condition;             /* the match/unless conditions as readable text */
    const char *const *match_examples; /* tests that must trigger the rule, as text */
    size_t must_match_count;
    const char *const *no_match_examples; /* tests that must not */
    size_t must_not_match_count;
} ipr_rule_info;

size_t ipr_ruleset_rule_count(const ipr_ruleset *ruleset);
const ipr_rule_info *ipr_ruleset_rule(const ipr_ruleset *ruleset, size_t index);
/* Returns NULL when no rule has that id. */
const ipr_rule_info *ipr_ruleset_find(const ipr_ruleset *ruleset, const char *id);
/* Lowercase hex sha256 over the loaded pack sources, in load order. */
const char *ipr_ruleset_sha256(const ipr_ruleset *ruleset);
/* Number of rules per stage that will run. */
size_t ipr_ruleset_stage_rule_count(const ipr_ruleset *ruleset, ipr_stage stage);

/* ---- records -------------------------------------------------------------- */

typedef struct ipr_record ipr_record;
typedef struct ipr_reader ipr_reader;

typedef enum ipr_input_format {
    IPR_INPUT_AUTO = 0,
    IPR_INPUT_CSV = 1,
    IPR_INPUT_TSV = 2,
    IPR_INPUT_JSONL = 3,
    IPR_INPUT_JSON = 4
} ipr_input_format;

const char *ipr_input_format_name(ipr_input_format format);
ipr_status ipr_input_format_parse(const char *name, ipr_input_format *out);

/* Opens a listing file; path "-" reads standard input (fd 0).  The format is
 * detected from the extension, then from the first bytes, unless forced. */
ipr_status ipr_reader_open(const char *path, ipr_input_format format, ipr_reader **out);
/* Reads from memory; display_name is used as the record's file. */
ipr_status ipr_reader_open_mem(const char *display_name, const char *data, size_t data_len,
                               ipr_input_format format, ipr_reader **out);
void ipr_reader_free(ipr_reader *reader);
ipr_input_format ipr_reader_format(const ipr_reader *reader);

/* How ipr_reader_open_ex reads an input (docs/profiles.md, docs/encodings.md).
 * ipr_reader_open and ipr_reader_open_mem keep columns as written and read
 * UTF-8 as it is. */
typedef struct ipr_reader_options {
    ipr_input_format format; /* IPR_INPUT_AUTO: by extension, then by content */
    /* NULL or "auto": recognized from the header row (falling back to the
     * canonical field names); a built-in profile ("amazon", "shopify",
     * "woocommerce", "ebay", "etsy", "aliexpress", "canonical"); or the
     * path of a profile file (.yaml). */
    const char *profile;
    /* NULL or "auto": a byte order mark, else UTF-8 when the bytes are
     * UTF-8, else the likeliest legacy encoding; or a name such as
     * "utf-8", "windows-1252", "gb18030", "shift_jis", "euc-kr",
     * "utf-16le". */
    const char *encoding;
    char *message; /* optional: why the profile, the encoding or a cap cannot be used */
    size_t message_len;
    /* 0: the default of ipr_limit_range (IPR_LIMIT_FIELD_BYTES).  A value
     * longer than this is checked up to it (cut at a character boundary)
     * and its record is incomplete (ipr_record_incomplete). */
    size_t max_field_bytes;
    /* 0: the default (IPR_LIMIT_RECORD_BYTES).  A CSV/TSV row, JSON Lines
     * line or JSON array element longer than this is an error record. */
    size_t max_record_bytes;
} ipr_reader_options;

/* Opens a listing file ("-": standard input) as the options say; options
 * NULL means all defaults.  Besides ipr_reader_open's errors:
 * IPR_ENOTFOUND (unknown profile), IPR_EPARSE (a profile file with an
 * error), IPR_EUNSUPPORTED (unknown encoding), IPR_EINVAL (a cap above
 * its ipr_limit_range maximum), each with a message. */
ipr_status ipr_reader_open_ex(const char *path, const ipr_reader_options *options,
                              ipr_reader **out);
/* Checks the profile, encoding and caps of options without opening an
 * input. */
ipr_status ipr_reader_options_check(const ipr_reader_options *options);
/* How the input is read, e.g. "csv, profile shopify, encoding utf-8";
 * borrowed. */
const char *ipr_reader_description(const ipr_reader *reader);
/* Columns of the header that no profile maps: with the canonical profile
 * (an unrecognized layout), those that are not canonical field names.
 * Borrowed; index < count. */
size_t ipr_reader_unmapped_count(const ipr_reader *reader);
const char *ipr_reader_unmapped(const ipr_reader *reader, size_t index);

/* Reads the next record.  Returns IPR_OK with *out set (borrowed, valid until
 * the next call), IPR_DONE at the end, or an error status when the input as a
 * whole failed (I/O).  A row that cannot be parsed is still returned as a
 * record whose ipr_record_error() is not NULL. */
ipr_status ipr_reader_next(ipr_reader *reader, const ipr_record **out);

/* As ipr_reader_next, but the record changes hands instead of being lent:
 * *slot (a record from ipr_record_clone or an earlier take, or NULL for a
 * new one) goes to the reader, and *slot receives the record just read,
 * which stays valid until it is given back or freed (its file name is
 * borrowed from the reader).  Nothing is copied, so a program that queues
 * records for worker threads keeps them at no cost: values read from a file
 * or stream stay in the block of input they were read into, which the record
 * keeps alive (and the reader stops reusing) until the record is given back
 * or freed, on any thread.  On any status but
 * IPR_OK, *slot is left as it was (or holds a new empty record). */
ipr_status ipr_reader_take(ipr_reader *reader, ipr_record **slot);

const char *ipr_record_file(const ipr_record *record);
uint32_t ipr_record_line(const ipr_record *record);   /* 1-based */
uint64_t ipr_record_index(const ipr_record *record);  /* 0-based across the file */
const char *ipr_record_key(const ipr_record *record); /* sku, else record_id, else index */
/* NULL for a parsed record; otherwise why the row could not be parsed. */
const char *ipr_record_error(const ipr_record *record);
/* NULL when every value was read whole; otherwise why not (a value longer
 * than max_field_bytes was cut).  Scanning such a record leaves it
 * incomplete with this reason. */
const char *ipr_record_incomplete(const ipr_record *record);
size_t ipr_record_field_count(const ipr_record *record);

/* One leaf value of a record.  path is the canonical dotted path without
 * array indices ("images.alt_text"); name includes them ("images[1].alt_text"). */
typedef struct ipr_field_view {
    const char *path;
    const char *name;
    const char *value; /* NUL-terminated copy; value_len excludes the NUL */
    size_t value_len;
    uint32_t line; /* where the value starts in the input, 1-based */
    uint32_t col;  /* 1-based byte column, 0 when the format has none */
} ipr_field_view;

ipr_status ipr_record_field(const ipr_record *record, size_t index, ipr_field_view *out);

/* ---- scanning --------------------------------------------------------------- */

typedef struct ipr_scanner ipr_scanner;

/* One finding.  All pointers are borrowed for the duration of the callback. */
typedef struct ipr_finding {
    const ipr_rule_info *rule;
    ipr_severity severity; /* may be lower than the rule's for weak matches */
    double confidence;     /* 0..1 */
    const char *field;     /* field name with indices, e.g. "bullets[2]"; "" when none */
    const char *value;     /* the field's whole original value ("" when none) */
    size_t value_len;
    uint32_t line;       /* where the field (else the record) starts in the input */
    uint32_t col;        /* 1-based byte column of the field, 0 when unknown */
    size_t span_start;   /* byte offsets into the field's original value */
    size_t span_end;     /* span_start == span_end: the finding names the field only */
    const char *matched; /* the evidence as written (may be empty) */
    size_t matched_len;
    const char *message;     /* placeholders filled */
    const char *fingerprint; /* 16 hex digits, stable across re-exports */
    const char *mark;        /* trademark for findings from `mark` leaves, else NULL */
    const char *owner;       /* its owner, else NULL */
    const char *match_kind;  /* exact|alias|case|confusable|leet|separator|fuzzy, else NULL */
} ipr_finding;

/* Return 0 to continue, non-zero to stop the scan with IPR_ECALLBACK. */
typedef int (*ipr_finding_fn)(const ipr_finding *finding, void *user);

ipr_status ipr_scanner_new(const ipr_ruleset *ruleset, ipr_scanner **out);
void ipr_scanner_free(ipr_scanner *scanner);

typedef enum ipr_engine {
    IPR_ENGINE_PREFILTER = 0, /* default: only rules whose literals occur are verified */
    IPR_ENGINE_NAIVE = 1      /* every regex and term on every field; same findings */
} ipr_engine;

void ipr_scanner_set_engine(ipr_scanner *scanner, ipr_engine engine);

/* The regex budgets of one scanner; 0 in a field means its default. */
typedef struct ipr_scan_limits {
    /* pcre2_set_match_limit: backtracking steps of one match attempt
     * (IPR_LIMIT_REGEX_MATCH; default 1,000,000). */
    uint32_t regex_match_limit;
    /* pcre2_set_depth_limit: backtracking depth of one match attempt, for
     * patterns run without the JIT (IPR_LIMIT_REGEX_DEPTH; default 10,000). */
    uint32_t regex_depth_limit;
} ipr_scan_limits;

/* Sets the scanner's regex budgets for the records it scans from now on;
 * limits NULL restores the defaults.  A match that hits one leaves its
 * record incomplete ("a regex hit its match limit").  IPR_EINVAL, and no
 * change, when a value is above its ipr_limit_range maximum. */
ipr_status ipr_scanner_set_limits(ipr_scanner *scanner, const ipr_scan_limits *limits);

/* Evaluates every rule against the record and calls on_finding for each
 * finding, in a stable order (field order, then offset, then rule id). */
ipr_status ipr_scanner_scan(ipr_scanner *scanner, const ipr_record *record,
                            ipr_finding_fn on_finding, void *user);

/* After a scan: why the record could not be fully checked (a regex hit its
 * match limit, a field was over its size cap and was checked only up to
 * it), or NULL when it was. */
const char *ipr_scanner_incomplete(const ipr_scanner *scanner);

/* The findings of one record, owned by the caller: for scanning on worker
 * threads and reporting later, in input order. */
typedef struct ipr_result ipr_result;

ipr_status ipr_result_new(ipr_result **out);
void ipr_result_free(ipr_result *result);
/* Scans like ipr_scanner_scan and keeps copies of the findings in result
 * (replacing what it held). */
ipr_status ipr_scanner_scan_result(ipr_scanner *scanner, const ipr_record *record,
                                   ipr_result *result);
size_t ipr_result_finding_count(const ipr_result *result);
/* Borrowed; valid until the result is scanned into again or freed. */
const ipr_finding *ipr_result_finding(const ipr_result *result, size_t index);
/* Why the record was not fully checked, or NULL. */
const char *ipr_result_incomplete(const ipr_result *result);

/* A deep copy of a record that outlives its reader. */
ipr_status ipr_record_clone(const ipr_record *record, ipr_record **out);
/* Makes dst (from ipr_record_clone) a deep copy of src, reusing dst's
 * memory: copying records of similar size allocates nothing. */
ipr_status ipr_record_copy(ipr_record *dst, const ipr_record *src);
void ipr_record_free(ipr_record *record);

/* ---- rule self-tests -------------------------------------------------------- */

/* Result of one example of one rule. */
typedef struct ipr_rule_test_result {
    const ipr_rule_info *rule;
    int must_match;       /* 1: the example must trigger the rule; 0: must not */
    size_t example_index; /* 0-based within its list */
    uint32_t line;        /* line of the example in the pack */
    int passed;
    const char *example; /* the example as compact text */
    const char *detail;  /* what happened, e.g. "no finding" or the finding's evidence */
} ipr_rule_test_result;

typedef void (*ipr_rule_test_fn)(const ipr_rule_test_result *result, void *user);

/* Runs the tests: examples of every rule.  *failed_out counts failures. */
ipr_status ipr_ruleset_run_tests(const ipr_ruleset *ruleset, ipr_rule_test_fn on_result, void *user,
                                 size_t *failed_out);

/* ---- reports ----------------------------------------------------------------- */

typedef struct ipr_reporter ipr_reporter;

typedef enum ipr_report_format {
    IPR_REPORT_TEXT = 0,
    IPR_REPORT_JSON = 1,
    IPR_REPORT_JSONL = 2,
    IPR_REPORT_SARIF = 3,
    IPR_REPORT_CSV = 4,
    IPR_REPORT_HTML = 5,
    IPR_REPORT_JUNIT = 6,
    IPR_REPORT_GITHUB = 7
} ipr_report_format;

const char *ipr_report_format_name(ipr_report_format format);
ipr_status ipr_report_format_parse(const char *name, ipr_report_format *out);

/* Receives report bytes; return 0 on success, non-zero on a write error. */
typedef int (*ipr_write_fn)(const char *bytes, size_t len, void *user);

enum ipr_report_flags {
    IPR_REPORT_COLOR = 1u << 0, /* ANSI colour in the text report */
    IPR_REPORT_QUIET = 1u << 1  /* text: summary only */
};

typedef struct ipr_report_options {
    unsigned flags;       /* enum ipr_report_flags */
    ipr_severity fail_on; /* shown in summaries */
} ipr_report_options;

ipr_status ipr_reporter_new(ipr_report_format format, const ipr_ruleset *ruleset,
                            const ipr_report_options *options, ipr_write_fn write, void *user,
                            ipr_reporter **out);
void ipr_reporter_free(ipr_reporter *reporter);

/* Per record: begin, the record's findings, end.  Records must arrive in
 * input order.  The reporter copies whatever it keeps. */
ipr_status ipr_reporter_begin_record(ipr_reporter *reporter, const ipr_record *record);
ipr_status ipr_reporter_add_finding(ipr_reporter *reporter, const ipr_finding *finding);
ipr_status ipr_reporter_end_record(ipr_reporter *reporter);

/* Between begin and end: the record was scanned but not fully checked (a
 * regex hit its match limit, a field was over its cap).  Its status becomes
 * `incomplete`, whatever it found. */
ipr_status ipr_reporter_set_incomplete(ipr_reporter *reporter, const char *reason);

/* Counts records read but left to other shards (--shard-count). */
ipr_status ipr_reporter_add_outside_shard(ipr_reporter *reporter, uint64_t count);

/* Describes one input as read (format, profile, encoding), for the report. */
ipr_status ipr_reporter_add_input(ipr_reporter *reporter, const char *file,
                                  const char *description);

/* A problem with a whole input (unreadable file); counted as an input error. */
ipr_status ipr_reporter_add_input_error(ipr_reporter *reporter, const char *file,
                                        const char *message);

/* Writes the summary (and, for json, the whole document). */
ipr_status ipr_reporter_finish(ipr_reporter *reporter);

/* Totals so far; valid before and after finish. */
typedef struct ipr_report_totals {
    uint64_t records;
    uint64_t clean;
    uint64_t flagged;
    uint64_t error;
    uint64_t incomplete;    /* scanned, but a limit stopped part of the check */
    uint64_t outside_shard; /* read but left to other shards; not in `records` */
    uint64_t findings;
    uint64_t findings_by_severity[IPR_SEV_COUNT];
} ipr_report_totals;

void ipr_reporter_totals(const ipr_reporter *reporter, ipr_report_totals *out);

/* The run's summary as one line of JSON (with a final newline), as the json
 * format's `summary` object.  *out is malloc'd; the caller frees it. */
ipr_status ipr_reporter_summary_json(const ipr_reporter *reporter, char **out);

/* ---- run-time limits ------------------------------------------------------------ */

/* The budgets a caller may set at run time (docs/limits.md); every other
 * limit is fixed when the library is built. */
typedef enum ipr_limit {
    IPR_LIMIT_FIELD_BYTES = 0,  /* ipr_reader_options.max_field_bytes */
    IPR_LIMIT_RECORD_BYTES = 1, /* ipr_reader_options.max_record_bytes */
    IPR_LIMIT_REGEX_MATCH = 2,  /* ipr_scan_limits.regex_match_limit */
    IPR_LIMIT_REGEX_DEPTH = 3   /* ipr_scan_limits.regex_depth_limit */
} ipr_limit;

/* The default and the largest accepted value of a limit (the smallest is
 * 1; 0 means the default).  IPR_EINVAL for an unknown limit. */
ipr_status ipr_limit_range(ipr_limit limit, uint64_t *default_out, uint64_t *max_out);

/* ---- versions ----------------------------------------------------------------- */

const char *ipr_version(void);
/* Writes the versions of the linked libraries, e.g.
 * "pcre2 10.42 2022-12-11, libyaml 0.2.5, jansson 2.14, icu 72.1", into out.
 * IPR_ELIMIT when out_len is too small. */
ipr_status ipr_dependency_versions_write(char *out, size_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* IPRCHECK_H */
