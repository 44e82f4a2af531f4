/*
 * scan_helper.h - compile a pack from a string and scan listing text with
 * it, collecting findings as plain data for assertions.
 */
#ifndef IPR_TEST_SCAN_HELPER_H
#define IPR_TEST_SCAN_HELPER_H

#include <stddef.h>

#include "iprcheck.h"

struct found {
    char rule[72];
    char field[128];
    char matched[256];
    char message[512];
    char fingerprint[17];
    size_t start, end;
    unsigned line;
    ipr_severity severity;
    size_t record; /* 0-based record index */
};

struct found_list {
    struct found items[64];
    size_t count;
    size_t records;
    size_t error_records;
};

/* Compiles pack_yaml (as file name "test.yaml"); returns NULL and fills
 * diag (first diagnostic, "line:col: message") on failure. */
ipr_ruleset *compile_pack(const char *pack_yaml, char *diag, size_t diag_len);

/* As compile_pack, for a pack written as a head (pack, stage, version,
 * title) and the rest. */
ipr_ruleset *compile_pack_parts(const char *head, const char *rest, char *diag, size_t diag_len);

/* As compile_pack_parts, failing the running test with the diagnostic when
 * the pack does not compile. */
ipr_ruleset *must_compile_parts(const char *head, const char *rest);

/* Scans data (format given, name "input") and collects every finding. */
void scan_text(const ipr_ruleset *rs, const char *data, ipr_input_format fmt,
               struct found_list *out);

/* Does the list hold a finding of rule with this matched text? */
const struct found *find_match(const struct found_list *l, const char *rule, const char *matched);

#endif
