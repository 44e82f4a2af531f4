/*
 * escape.h - making listing text safe to show, on a terminal and in JSON.
 *
 * Listing text is untrusted: it may carry ESC sequences, C1 controls, bidi
 * overrides, invisible characters and bytes that are not UTF-8.  For a
 * terminal every such unit becomes visible ASCII (`\x1b`, `\u202e`), so no
 * listing can move the cursor, retitle the window or reorder a line.  For
 * JSON the text is made valid UTF-8 and the same code points are written as
 * \u escapes.  Each rendering has one implementation here, used by every
 * reporter; nothing else in report/ decodes UTF-8.
 */
#ifndef IPR_REPORT_ESCAPE_H
#define IPR_REPORT_ESCAPE_H

#include "../base/buf.h"
#include "../base/common.h"

/* One display unit: a UTF-8 character, or one byte that is not valid UTF-8. */
struct term_unit {
    size_t src_len;  /* bytes of the source it stands for, >= 1 */
    char text[8];    /* what to show instead of the source bytes; NUL-terminated */
    size_t text_len; /* 0: show the source bytes as they are */
    unsigned width;  /* display columns: 0 (combining), 1, or 2 (East Asian wide) */
};

/* Decodes the unit at the start of s (len > 0). */
void term_unit_next(const char *s, size_t len, struct term_unit *out);

/* Appends s as terminal-safe text: controls, bidi controls, invisible
 * characters and invalid bytes escaped, a tab shown as a space. */
ipr_status escape_term(struct buf *out, const char *s, size_t len);
/* The same for a NUL-terminated string; NULL appends nothing. */
ipr_status escape_term_str(struct buf *out, const char *s);

/* Is s valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
bool escape_is_utf8(const char *s, size_t len);
/* Appends s with every byte that is not part of valid UTF-8 replaced by
 * U+FFFD, so a JSON library accepts the string and keeps it. */
ipr_status escape_utf8(struct buf *out, const char *s, size_t len);

/* Appends serialised JSON with each raw code point that a terminal or a
 * JavaScript parser would act on (DEL, C1, U+2028/U+2029, bidi controls,
 * invisible characters) written as a \uXXXX escape.  Such code points can
 * only occur inside JSON strings, so the result is the same JSON value. */
ipr_status escape_json_text(struct buf *out, const char *json, size_t len);

#endif
