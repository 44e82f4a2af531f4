/*
 * options.h - what the user asked for on the command line.
 *
 * cli_options holds the request only; compiled rules and scan state live
 * in the library's handles, never here.  Parsing fills the struct and
 * reports usage errors as text; it does not run anything.
 */
#ifndef IPR_CLI_OPTIONS_H
#define IPR_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "iprcheck.h"

enum cli_command {
    CMD_NONE,
    CMD_HELP,
    CMD_SCAN,
    CMD_RULES_LIST,
    CMD_RULES_SHOW,
    CMD_RULES_LINT,
    CMD_RULES_TEST,
    CMD_EXPLAIN,
    CMD_VERSION
};

enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

#define CLI_MAX_LIST 256

struct cli_options {
    enum cli_command command;
    const char *help_topic;          /* for CMD_HELP: the command, or NULL */
    const char *rules[CLI_MAX_LIST]; /* --rules, in order */
    size_t rule_count;
    bool no_default_rules;
    bool no_default_trademarks;
    const char *trademarks[CLI_MAX_LIST]; /* --trademarks, in order */
    size_t trademark_count;
    const char *authorizations[CLI_MAX_LIST];
    size_t authorization_count;
    const char *word_list; /* --word-list; NULL: the system dictionary if present */
    const char *date;      /* --date YYYY-MM-DD; NULL: today */
    unsigned stage_mask;   /* 1u << ipr_stage */
    ipr_input_format input_format;
    const char *profile;  /* --profile; NULL: auto */
    const char *encoding; /* --encoding; NULL: auto */
    ipr_report_format format;
    bool format_markdown; /* rules list --format markdown */
    const char *output;   /* -o; NULL: stdout */
    ipr_severity fail_on;
    bool quiet;
    bool coverage;
    bool strict; /* rules lint --strict */ /* rules test --coverage */
    enum cli_color color;
    const char *inputs[CLI_MAX_LIST]; /* files, folders, "-" */
    size_t input_count;
    const char *rule_id;  /* rules show / explain */
    unsigned jobs;        /* -j; 0: the number of cores */
    unsigned shard_count; /* 0 or 1: no sharding */
    unsigned shard_index;
    bool shard_index_set;
    bool line_buffered;                             /* flush the output after every record */
    ipr_engine engine;                              /* --engine */
    ipr_report_format report_formats[CLI_MAX_LIST]; /* --report FORMAT=FILE, in order */
    const char *report_paths[CLI_MAX_LIST];
    size_t report_count;
    const char *baseline;            /* --baseline FILE */
    const char *write_baseline;      /* --write-baseline FILE */
    const char *suppressions;        /* --suppressions FILE */
    bool report_unused_suppressions; /* --report-unused-suppressions */
    size_t max_field_bytes;          /* --max-field-bytes; 0: the library's default */
    size_t max_record_bytes;         /* --max-record-bytes; 0: the default */
    ipr_scan_limits scan_limits;     /* --regex-match-limit, --regex-depth-limit; 0: defaults */
};

/* Parses argv.  On a usage error returns false and writes a message (no
 * trailing newline) to err. */
bool options_parse(int argc, char **argv, struct cli_options *opts, char *err, size_t err_len);

/* The threads -j asks for; without -j, the number of cores (at most 64).
 * Scanning and reading registry files both use that many. */
unsigned cli_jobs(const struct cli_options *opts);

/* The --help text of a command ("scan", "rules", "explain", "version") or
 * of the program (NULL). */
const char *options_help(const char *topic);

#endif
