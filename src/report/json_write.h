/*
 * json_write.h - compact JSON written straight into a buffer.
 *
 * The jsonl format writes one object per record, clean records included.
 * Building a jansson tree for each and dumping it cost as much as reading
 * the record.  These writers produce, byte for byte, what jansson dumps
 * with JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4) for the
 * same values; test_report_json_write checks that against jansson itself.
 * Terminal-active code points are escaped afterwards over the whole text
 * (escape_json_text), as for every JSON report.
 */
#ifndef IPR_REPORT_JSON_WRITE_H
#define IPR_REPORT_JSON_WRITE_H

#include "../base/buf.h"
#include "../base/common.h"

/* Writes into out with a sticky status, so a sequence of members needs
 * one check at the end.  `first` is true until the open object or array
 * has its first member. */
struct json_writer {
    struct buf *out;
    ipr_status status; /* the first failure; IPR_OK while none */
    bool first;
};

void json_writer_init(struct json_writer *w, struct buf *out);
/* '{' or '[' (open) and '}' or ']' (close). */
void json_writer_open(struct json_writer *w, char bracket);
void json_writer_close(struct json_writer *w, char bracket);
/* A member "key": value of the open object, or (key NULL) an element of
 * the open array. */
void json_writer_str(struct json_writer *w, const char *key, const char *s);
/* Listing text: each byte that is not valid UTF-8 becomes U+FFFD (as
 * report_json_text); quotes, backslashes and control bytes are escaped as
 * jansson escapes them.  str writes "" for NULL. */
void json_writer_text(struct json_writer *w, const char *key, const char *s, size_t len);
void json_writer_int(struct json_writer *w, const char *key, int64_t v);
/* Four significant digits as JSON_REAL_PRECISION(4) prints them, always
 * with a '.' or an exponent; NaN and infinities, which jansson refuses, set
 * the status to IPR_EINVAL. */
void json_writer_real(struct json_writer *w, const char *key, double v);
/* The key of a member whose value (an object or array) follows. */
void json_writer_key(struct json_writer *w, const char *key);

#endif
