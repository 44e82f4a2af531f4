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

/* A JSON string of listing text: each byte that is not valid UTF-8 becomes
 * U+FFFD (as report_json_text), quotes, backslashes and control bytes are
 * escaped as jansson escapes them. */
ipr_status json_write_text(struct buf *out, const char *s, size_t len);
/* The same for a NUL-terminated string; NULL writes "". */
ipr_status json_write_str(struct buf *out, const char *s);
/* ",\"key\":" or, for the first member, "\"key\":"; the key is plain ASCII. */
ipr_status json_write_key(struct buf *out, const char *key, bool first);
/* An integer as jansson prints a json_int_t. */
ipr_status json_write_int(struct buf *out, int64_t v);
/* A real with four significant digits, as JSON_REAL_PRECISION(4) prints it:
 * always with a '.' or an exponent.  IPR_EINVAL for NaN and infinities,
 * which jansson refuses. */
ipr_status json_write_real(struct buf *out, double v);

#endif
