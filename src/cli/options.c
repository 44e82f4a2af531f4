/*
 * options.c - argv -> struct cli_options, and the --help texts.
 *
 * Long options take their value as `--opt VALUE` or `--opt=VALUE`; short
 * ones as `-o VALUE`.  Everything after `--` is an input.
 */
#include "options.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "limit_options.h"

static const char help_main[] =
    "usage: iprcheck <command> [options]\n"
    "\n"
    "Checks e-commerce listing exports for trademark and other IP risks, per\n"
    "supply-chain stage (headway, tailing, payment, marketing, warehousing).\n"
    "\n"
    "commands:\n"
    "  scan [options] [FILE|DIR|-]...   scan listings and report findings\n"
    "  rules list                       list the loaded rules\n"
    "  rules show ID                    show one rule\n"
    "  rules lint [PATH]                check rule packs without scanning\n"
    "  rules test [PATH]                run the examples in rule packs\n"
    "  explain ID                       what a rule checks, why, sources, examples\n"
    "  version                          versions of iprcheck and its libraries\n"
    "\n"
    "Run 'iprcheck <command> --help' for the options of a command.\n"
    "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 could not run,\n"
    "3 some records could not be checked.\n";

static const char help_scan[] =
    "usage: iprcheck scan [options] [FILE|DIR|-]...\n"
    "\n"
    "Scans CSV, TSV, JSON Lines or JSON listing files (folders are searched for\n"
    "them); '-' or no file with piped input reads standard input.\n"
    "\n"
    "  -r, --rules PATH         add a rule pack file or folder (repeatable)\n"
    "      --no-default-rules   do not load the built-in rule packs\n"
    "      --no-default-trademarks  do not load the built-in trademark registry\n"
    "      --trademarks FILE    add a trademark registry (.yaml or .csv; repeatable)\n"
    "      --authorizations FILE  seller authorizations (.yaml or .csv; repeatable)\n"
    "      --word-list FILE     ordinary words that are never near-misses of a mark\n"
    "                           (default: /usr/share/dict/words when present)\n"
    "      --date YYYY-MM-DD    check authorizations on this date (default: today)\n"
    "      --stage LIST         comma list of stages to check (default: all)\n"
    "      --input-format F     auto|csv|tsv|jsonl|json (default: auto)\n"
    "      --profile P          the export's layout: auto, amazon, shopify, woocommerce,\n"
    "                           ebay, etsy, aliexpress, canonical, or a profile file\n"
    "                           (default: auto, recognized from the header row)\n"
    "      --encoding E         auto, utf-8, utf-16le, windows-1252, gb18030, shift_jis,\n"
    "                           euc-kr, ... (default: auto)\n"
    "  -f, --format F           text|json|jsonl|sarif|csv|html|junit|github\n"
    "                           (default: text)\n"
    "  -o, --output FILE        write the report to FILE (atomically)\n"
    "      --report F=FILE      also write format F to FILE from the same scan (repeatable)\n"
    "      --baseline FILE      report only findings whose fingerprint is not in FILE\n"
    "      --write-baseline FILE  write the fingerprints of this scan's findings to FILE\n"
    "      --suppressions FILE  accepted findings with reasons and expiry dates (YAML)\n"
    "      --report-unused-suppressions  list suppressions that matched no finding\n"
    "      --fail-on SEV        info|low|medium|high|critical (default: high)\n"
    "  -j, --jobs N             threads that scan, and read --trademarks files\n"
    "                           (default: the number of cores)\n"
    "      --shard-count N      split the records into N shards by a hash of the key\n"
    "      --shard-index I      scan shard I (0-based; default: $JOB_COMPLETION_INDEX)\n"
    "      --line-buffered      flush the output after every record (for pipes)\n"
    "      --engine E           prefilter (default) or naive (every rule on every field;\n"
    "                           same findings, for tests and benchmarks)\n"
    "      --max-field-bytes N  check at most N bytes of a field; a longer value is cut\n"
    "                           and its record is incomplete (default 1M, largest 8M)\n"
    "      --max-record-bytes N  a longer row or line is an error record (default: 16M,\n"
    "                           largest: 256M); sizes take K, M or G\n"
    "      --regex-match-limit N  backtracking steps of one regex match attempt; a\n"
    "                           record that needs more is incomplete (default: 1000000)\n"
    "      --regex-depth-limit N  backtracking depth of one regex match attempt\n"
    "                           (default: 10000)\n"
    "  -q, --quiet              text: summary only; no progress output\n"
    "      --color WHEN         auto|always|never (default: auto; NO_COLOR disables)\n"
    "  -h, --help               show this help\n";

static const char help_rules[] =
    "usage: iprcheck rules list [--format text|markdown]\n"
    "       iprcheck rules show ID\n"
    "       iprcheck rules lint [PATH]\n"
    "       iprcheck rules test [--coverage] [PATH]\n"
    "\n"
    "Without PATH, lint and test use the built-in packs (plus any --rules).\n"
    "With PATH, they use only the packs in PATH.\n"
    "\n"
    "  -r, --rules PATH         add a rule pack file or folder (repeatable)\n"
    "      --no-default-rules   do not load the built-in rule packs\n"
    "      --no-default-trademarks  do not load the built-in trademark registry\n"
    "      --trademarks FILE    add a trademark registry (repeatable)\n"
    "      --stage LIST         only rules of these stages\n"
    "      --coverage           test: fail when a rule has no example that fires\n"
    "      --strict             lint: regexes without a literal are errors, not warnings\n"
    "  -h, --help               show this help\n";

static const char help_explain[] =
    "usage: iprcheck explain ID\n"
    "\n"
    "Shows what the rule checks, why it matters, the fields it reads, its\n"
    "message and fix, its sources and its examples.\n";

static const char help_version[] = "usage: iprcheck version\n"
                                   "\n"
                                   "Prints the versions of iprcheck and of the linked PCRE2,\n"
                                   "libyaml, jansson and ICU libraries.\n";

const char *options_help(const char *topic)
{
    if (!topic)
        return help_main;
    if (strcmp(topic, "scan") == 0)
        return help_scan;
    if (strcmp(topic, "rules") == 0)
        return help_rules;
    if (strcmp(topic, "explain") == 0)
        return help_explain;
    if (strcmp(topic, "version") == 0)
        return help_version;
    return help_main;
}

struct arg_cursor {
    int argc;
    char **argv;
    int i;
};

/* Matches `--name`, `--name=value` or the short form; sets *value for
 * options that take one. */
static bool take_option(struct arg_cursor *c, const char *shrt, const char *lng, bool has_value,
                        const char **value, char *err, size_t err_len, bool *failed)
{
    const char *arg = c->argv[c->i];
    size_t n = strlen(lng);
    bool is_short = shrt && strcmp(arg, shrt) == 0;
    if (shrt && has_value && !is_short && strncmp(arg, shrt, 2) == 0 && arg[2]) {
        *value = arg + 2; /* -j2, -ofile */
        return true;
    }
    bool is_long = strncmp(arg, lng, n) == 0 && (arg[n] == '\0' || (has_value && arg[n] == '='));
    if (!is_short && !is_long)
        return false;
    if (!has_value)
        return true;
    if (is_long && arg[n] == '=') {
        *value = arg + n + 1;
        return true;
    }
    if (c->i + 1 >= c->argc) {
        snprintf(err, err_len, "option '%s' needs a value", arg);
        *failed = true;
        return true;
    }
    *value = c->argv[++c->i];
    return true;
}

static bool parse_count(const char *text, unsigned min, unsigned max, unsigned *out,
                        const char *what, char *err, size_t err_len)
{
    unsigned long v = 0;
    bool ok = *text != '\0';
    for (const char *p = text; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9' && v <= 100000000ul;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (!ok || v < min || v > max) {
        snprintf(err, err_len, "%s needs a whole number from %u to %u, not '%s'", what, min, max,
                 text);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

static bool parse_stages(const char *list, unsigned *mask, char *err, size_t err_len)
{
    *mask = 0;
    char name[32];
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof(name)) {
            snprintf(err, err_len, "bad stage list '%s'", list);
            return false;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        ipr_stage st;
        if (ipr_stage_parse(name, &st) != IPR_OK) {
            snprintf(err, err_len,
                     "unknown stage '%s' (stages: headway, tailing, payment, marketing, "
                     "warehousing)",
                     name);
            return false;
        }
        *mask |= 1u << st;
        p += len + (comma ? 1 : 0);
    }
    if (!*mask) {
        snprintf(err, err_len, "empty stage list");
        return false;
    }
    return true;
}

/* An output that must be a file: standard output carries the report. */
static bool is_file_name(const char *v, const char *option, char *err, size_t err_len)
{
    if (v[0] && strcmp(v, "-") != 0)
        return true;
    snprintf(err, err_len, "%s needs a file name, not '%s'", option, v);
    return false;
}

/* --report FORMAT=FILE */
static bool add_report(struct cli_options *o, const char *spec, char *err, size_t err_len)
{
    const char *eq = strchr(spec, '=');
    char name[16];
    size_t n = eq ? (size_t)(eq - spec) : 0;
    if (!eq || n == 0 || n >= sizeof(name)) {
        snprintf(err, err_len, "--report needs FORMAT=FILE (e.g. sarif=iprcheck.sarif), not '%s'",
                 spec);
        return false;
    }
    if (!is_file_name(eq + 1, "--report", err, err_len))
        return false;
    if (o->report_count >= CLI_MAX_LIST) {
        snprintf(err, err_len, "too many --report (at most %d)", CLI_MAX_LIST);
        return false;
    }
    memcpy(name, spec, n);
    name[n] = '\0';
    if (ipr_report_format_parse(name, &o->report_formats[o->report_count]) != IPR_OK) {
        snprintf(err, err_len,
                 "unknown format '%s' in --report (text, json, jsonl, sarif, csv, html, junit, "
                 "github)",
                 name);
        return false;
    }
    o->report_paths[o->report_count++] = eq + 1;
    return true;
}

static enum cli_command command_of(struct arg_cursor *c, struct cli_options *o, char *err,
                                   size_t err_len)
{
    const char *cmd = c->argv[c->i];
    if (strcmp(cmd, "scan") == 0)
        return CMD_SCAN;
    if (strcmp(cmd, "explain") == 0)
        return CMD_EXPLAIN;
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0)
        return CMD_VERSION;
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        if (c->i + 1 < c->argc)
            o->help_topic = c->argv[++c->i];
        return CMD_HELP;
    }
    if (strcmp(cmd, "rules") == 0) {
        if (c->i + 1 >= c->argc) {
            snprintf(err, err_len, "'rules' needs a subcommand: list, show, lint or test");
            return CMD_NONE;
        }
        const char *sub = c->argv[++c->i];
        if (strcmp(sub, "list") == 0)
            return CMD_RULES_LIST;
        if (strcmp(sub, "show") == 0)
            return CMD_RULES_SHOW;
        if (strcmp(sub, "lint") == 0)
            return CMD_RULES_LINT;
        if (strcmp(sub, "test") == 0)
            return CMD_RULES_TEST;
        if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
            o->help_topic = "rules";
            return CMD_HELP;
        }
        snprintf(err, err_len, "unknown rules subcommand '%s' (list, show, lint, test)", sub);
        return CMD_NONE;
    }
    snprintf(err, err_len, "unknown command '%s' (try 'iprcheck --help')", cmd);
    return CMD_NONE;
}

static const char *topic_of(enum cli_command cmd)
{
    switch (cmd) {
    case CMD_SCAN:
        return "scan";
    case CMD_EXPLAIN:
        return "explain";
    case CMD_VERSION:
        return "version";
    case CMD_RULES_LIST:
    case CMD_RULES_SHOW:
    case CMD_RULES_LINT:
    case CMD_RULES_TEST:
        return "rules";
    default:
        return NULL;
    }
}

bool options_parse(int argc, char **argv, struct cli_options *o, char *err, size_t err_len)
{
    memset(o, 0, sizeof(*o));
    o->stage_mask = (1u << IPR_STAGE_COUNT) - 1;
    o->fail_on = IPR_SEV_HIGH;
    o->format = IPR_REPORT_TEXT;
    o->color = COLOR_AUTO;
    err[0] = '\0';
    if (argc < 2) {
        o->command = CMD_HELP;
        return true;
    }
    struct arg_cursor c = {argc, argv, 1};
    o->command = command_of(&c, o, err, err_len);
    if (o->command == CMD_NONE)
        return false;
    if (o->command == CMD_HELP)
        return true;
    bool only_inputs = false;
    for (c.i++; c.i < argc; c.i++) {
        const char *arg = argv[c.i];
        const char *v = NULL;
        uint64_t n = 0; /* a limit option's value */
        bool failed = false;
        if (only_inputs || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->input_count >= CLI_MAX_LIST) {
                snprintf(err, err_len, "too many arguments (at most %d)", CLI_MAX_LIST);
                return false;
            }
            o->inputs[o->input_count++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_inputs = true;
        } else if (take_option(&c, "-h", "--help", false, &v, err, err_len, &failed)) {
            o->help_topic = topic_of(o->command);
            o->command = CMD_HELP;
            return true;
        } else if (take_option(&c, "-r", "--rules", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (o->rule_count >= CLI_MAX_LIST) {
                snprintf(err, err_len, "too many --rules (at most %d)", CLI_MAX_LIST);
                return false;
            }
            o->rules[o->rule_count++] = v;
        } else if (take_option(&c, NULL, "--no-default-rules", false, &v, err, err_len, &failed)) {
            o->no_default_rules = true;
        } else if (take_option(&c, NULL, "--no-default-trademarks", false, &v, err, err_len,
                               &failed)) {
            o->no_default_trademarks = true;
        } else if (take_option(&c, NULL, "--trademarks", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (o->trademark_count >= CLI_MAX_LIST) {
                snprintf(err, err_len, "too many --trademarks (at most %d)", CLI_MAX_LIST);
                return false;
            }
            o->trademarks[o->trademark_count++] = v;
        } else if (take_option(&c, NULL, "--authorizations", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (o->authorization_count >= CLI_MAX_LIST) {
                snprintf(err, err_len, "too many --authorizations (at most %d)", CLI_MAX_LIST);
                return false;
            }
            o->authorizations[o->authorization_count++] = v;
        } else if (take_option(&c, NULL, "--word-list", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->word_list = v;
        } else if (take_option(&c, NULL, "--date", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->date = v;
        } else if (take_option(&c, NULL, "--stage", true, &v, err, err_len, &failed)) {
            if (failed || !parse_stages(v, &o->stage_mask, err, err_len))
                return false;
        } else if (take_option(&c, NULL, "--input-format", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (ipr_input_format_parse(v, &o->input_format) != IPR_OK) {
                snprintf(err, err_len, "unknown input format '%s' (auto, csv, tsv, jsonl, json)",
                         v);
                return false;
            }
        } else if (take_option(&c, NULL, "--profile", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->profile = v;
        } else if (take_option(&c, NULL, "--encoding", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->encoding = v;
        } else if (take_option(&c, "-f", "--format", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (o->command == CMD_RULES_LIST && strcmp(v, "markdown") == 0) {
                o->format_markdown = true;
            } else if (ipr_report_format_parse(v, &o->format) != IPR_OK) {
                snprintf(err, err_len,
                         "unknown format '%s' (text, json, jsonl, sarif, csv, html, junit, github)",
                         v);
                return false;
            }
        } else if (take_option(&c, "-o", "--output", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->output = v;
        } else if (take_option(&c, NULL, "--fail-on", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (ipr_severity_parse(v, &o->fail_on) != IPR_OK) {
                snprintf(err, err_len, "unknown severity '%s' (info, low, medium, high, critical)",
                         v);
                return false;
            }
        } else if (take_option(&c, "-j", "--jobs", true, &v, err, err_len, &failed)) {
            if (failed || !parse_count(v, 1, 256, &o->jobs, "--jobs", err, err_len))
                return false;
        } else if (take_option(&c, NULL, "--shard-count", true, &v, err, err_len, &failed)) {
            if (failed ||
                !parse_count(v, 1, 1000000, &o->shard_count, "--shard-count", err, err_len))
                return false;
        } else if (take_option(&c, NULL, "--shard-index", true, &v, err, err_len, &failed)) {
            if (failed ||
                !parse_count(v, 0, 999999, &o->shard_index, "--shard-index", err, err_len))
                return false;
            o->shard_index_set = true;
        } else if (take_option(&c, NULL, "--engine", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (strcmp(v, "prefilter") == 0) {
                o->engine = IPR_ENGINE_PREFILTER;
            } else if (strcmp(v, "naive") == 0) {
                o->engine = IPR_ENGINE_NAIVE;
            } else {
                snprintf(err, err_len, "unknown engine '%s' (prefilter, naive)", v);
                return false;
            }
        } else if (take_option(&c, NULL, "--max-field-bytes", true, &v, err, err_len, &failed)) {
            if (failed || !limit_option_parse("--max-field-bytes", v, IPR_LIMIT_FIELD_BYTES, &n,
                                              err, err_len))
                return false;
            o->max_field_bytes = (size_t)n;
        } else if (take_option(&c, NULL, "--max-record-bytes", true, &v, err, err_len, &failed)) {
            if (failed || !limit_option_parse("--max-record-bytes", v, IPR_LIMIT_RECORD_BYTES, &n,
                                              err, err_len))
                return false;
            o->max_record_bytes = (size_t)n;
        } else if (take_option(&c, NULL, "--regex-match-limit", true, &v, err, err_len, &failed)) {
            if (failed || !limit_option_parse("--regex-match-limit", v, IPR_LIMIT_REGEX_MATCH, &n,
                                              err, err_len))
                return false;
            o->scan_limits.regex_match_limit = (uint32_t)n;
        } else if (take_option(&c, NULL, "--regex-depth-limit", true, &v, err, err_len, &failed)) {
            if (failed || !limit_option_parse("--regex-depth-limit", v, IPR_LIMIT_REGEX_DEPTH, &n,
                                              err, err_len))
                return false;
            o->scan_limits.regex_depth_limit = (uint32_t)n;
        } else if (take_option(&c, NULL, "--report", true, &v, err, err_len, &failed)) {
            if (failed || !add_report(o, v, err, err_len))
                return false;
        } else if (take_option(&c, NULL, "--baseline", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->baseline = v;
        } else if (take_option(&c, NULL, "--write-baseline", true, &v, err, err_len, &failed)) {
            if (failed || !is_file_name(v, "--write-baseline", err, err_len))
                return false;
            o->write_baseline = v;
        } else if (take_option(&c, NULL, "--suppressions", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            o->suppressions = v;
        } else if (take_option(&c, NULL, "--report-unused-suppressions", false, &v, err, err_len,
                               &failed)) {
            o->report_unused_suppressions = true;
        } else if (take_option(&c, NULL, "--line-buffered", false, &v, err, err_len, &failed)) {
            o->line_buffered = true;
        } else if (take_option(&c, "-q", "--quiet", false, &v, err, err_len, &failed)) {
            o->quiet = true;
        } else if (take_option(&c, NULL, "--coverage", false, &v, err, err_len, &failed)) {
            o->coverage = true;
        } else if (take_option(&c, NULL, "--strict", false, &v, err, err_len, &failed)) {
            o->strict = true;
        } else if (take_option(&c, NULL, "--color", true, &v, err, err_len, &failed)) {
            if (failed)
                return false;
            if (strcmp(v, "auto") == 0)
                o->color = COLOR_AUTO;
            else if (strcmp(v, "always") == 0)
                o->color = COLOR_ALWAYS;
            else if (strcmp(v, "never") == 0)
                o->color = COLOR_NEVER;
            else {
                snprintf(err, err_len, "unknown --color value '%s' (auto, always, never)", v);
                return false;
            }
        } else {
            snprintf(err, err_len, "unknown option '%s' (try 'iprcheck %s --help')", arg,
                     topic_of(o->command) ? topic_of(o->command) : "");
            return false;
        }
    }
    if (o->command == CMD_RULES_SHOW || o->command == CMD_EXPLAIN) {
        if (o->input_count != 1) {
            snprintf(err, err_len, "'%s' needs exactly one rule id",
                     o->command == CMD_EXPLAIN ? "explain" : "rules show");
            return false;
        }
        o->rule_id = o->inputs[0];
        o->input_count = 0;
    }
    if ((o->command == CMD_RULES_LINT || o->command == CMD_RULES_TEST) && o->input_count) {
        /* a PATH replaces the built-in packs */
        for (size_t i = 0; i < o->input_count; i++) {
            if (o->rule_count >= CLI_MAX_LIST) {
                snprintf(err, err_len, "too many rule paths");
                return false;
            }
            o->rules[o->rule_count++] = o->inputs[i];
        }
        o->input_count = 0;
        o->no_default_rules = true;
    }
    if ((o->command == CMD_RULES_LIST || o->command == CMD_VERSION) && o->input_count) {
        snprintf(err, err_len, "unexpected argument '%s'", o->inputs[0]);
        return false;
    }
    return true;
}

unsigned cli_jobs(const struct cli_options *opts)
{
    if (opts->jobs)
        return opts->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 64 ? 64u : (unsigned)n;
}
