/*
 * suppress.h - the suppressions file (--suppressions FILE): findings that
 * were reviewed and accepted, each with a reason, optionally an owner and
 * an expiry date.
 *
 * An entry names one finding by `fingerprint`, or a rule for the records
 * whose key matches a pattern (`rule` + `key`, an fnmatch glob).  An entry
 * past its `expires` date no longer applies, so an acceptance cannot
 * outlive its review unnoticed.  Loading reports every problem of the file
 * as `file:line:col: error: message`; nothing is applied from a file with
 * errors.
 */
#ifndef IPR_CLI_SUPPRESS_H
#define IPR_CLI_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct suppression {
    bool by_fingerprint;
    uint64_t fingerprint; /* when by_fingerprint */
    const char *rule;     /* otherwise: rule id and key pattern */
    const char *key_glob;
    const char *reason;
    const char *owner; /* NULL when not given */
    char expires[11];  /* "YYYY-MM-DD", "" when not given */
    uint32_t line;     /* of the entry, 1-based */
    uint32_t col;
    bool expired;     /* past its date on the day of the scan: never applies */
    uint64_t matched; /* findings it hid */
};

struct suppressions {
    char *path; /* owned copy, for messages */
    struct suppression *items;
    size_t count;
    void *mem; /* owned: the arena that holds the strings */
};

/* Parses a suppressions document.  today is "YYYY-MM-DD", the date the
 * expiry dates are checked against.  Problems are written to messages as
 * `NAME:LINE:COL: error: MESSAGE` lines and make the result false; each
 * expired entry is written as `NAME:LINE: suppression expired on DATE`. */
bool suppressions_parse(struct suppressions *s, const char *name, const char *text, size_t len,
                        const char *today, FILE *messages);
/* Reads path and parses it. */
bool suppressions_load(struct suppressions *s, const char *path, const char *today, FILE *messages);
void suppressions_release(struct suppressions *s);

/* The entry that hides a finding of rule_id in the record with key, whose
 * fingerprint is given (16 hex digits), or NULL; a hit is counted. */
struct suppression *suppressions_match(struct suppressions *s, const char *rule_id, const char *key,
                                       const char *fingerprint);

/* Writes `NAME:LINE: suppression matched no finding` for every entry in
 * force that hid nothing; returns how many. */
size_t suppressions_report_unused(const struct suppressions *s, FILE *messages);

/* Findings hidden by all entries together. */
uint64_t suppressions_matched(const struct suppressions *s);

#endif
