/*
 * run.h - one invocation of each command: load -> compile -> read -> scan
 * -> report.  Each returns the process exit status.
 */
#ifndef IPR_CLI_RUN_H
#define IPR_CLI_RUN_H

#include "options.h"

enum exit_status {
    EXIT_CLEAN = 0,     /* no finding at or above --fail-on */
    EXIT_FINDINGS = 1,  /* findings at or above --fail-on */
    EXIT_NOT_RUN = 2,   /* usage, rule pack or output problem */
    EXIT_INCOMPLETE = 3 /* ran, but some records could not be checked */
};

int run_scan(const struct cli_options *opts);
int run_rules(const struct cli_options *opts);
int run_version(void);

/* Loads and compiles the packs the options name; prints every diagnostic to
 * stderr.  Returns false (after printing) when the rules cannot be used. */
bool load_rules(const struct cli_options *opts, ipr_ruleset **out);

/* Prints a message about listing-controlled text to stderr with control
 * characters escaped. */
void print_safe(FILE *f, const char *s);

#endif
