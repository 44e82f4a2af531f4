/*
 * baseline.h - fingerprints of findings already known, so that a scan
 * reports only new ones (--baseline FILE), and the file that records them
 * (--write-baseline FILE).
 *
 * A baseline file is text: `#` comment lines, then one fingerprint (16
 * lowercase hex digits) per line, sorted and unique, with no dates or
 * paths, so the same findings always give the same bytes and a baseline
 * diffs cleanly in review.  A fingerprint hashes rule, record key, field
 * and folded evidence, never a line number, so a baseline stays valid when
 * a catalogue is re-sorted or re-exported.
 */
#ifndef IPR_CLI_BASELINE_H
#define IPR_CLI_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fingerprints {
    uint64_t *items; /* owned */
    size_t count;
    size_t cap;
    bool sealed; /* sorted and unique: contains() may be used */
};

void fingerprints_release(struct fingerprints *s);
/* Exactly 16 hex digits (either case) -> its value; false otherwise. */
bool fingerprint_parse(const char *text, size_t len, uint64_t *out);
/* false when out of memory.  Unseals the set. */
bool fingerprints_add(struct fingerprints *s, uint64_t fp);
/* Sorts and drops duplicates. */
void fingerprints_seal(struct fingerprints *s);
bool fingerprints_contains(const struct fingerprints *s, uint64_t fp);

/* Parses baseline text into s (sealed).  name is used in the message:
 * "NAME:LINE:COL: error: MESSAGE" in err, and false, on the first line
 * that is neither a comment, blank, nor a fingerprint (a `#` comment may
 * follow it). */
bool baseline_parse(const char *name, const char *text, size_t len, struct fingerprints *s,
                    char *err, size_t err_len);
/* Reads and parses a baseline file; an unreadable file is an error too. */
bool baseline_read(const char *path, struct fingerprints *s, char *err, size_t err_len);
/* Seals s and renders it as a baseline file into a malloc'd string
 * (*out, *out_len); false when out of memory. */
bool baseline_render(struct fingerprints *s, char **out, size_t *out_len);
/* Writes s as a baseline file, atomically; false with a message in err. */
bool baseline_write(const char *path, struct fingerprints *s, char *err, size_t err_len);

#endif
