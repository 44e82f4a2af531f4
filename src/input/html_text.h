/*
 * html_text.h - the text of an HTML cell, for matching.
 *
 * Descriptions arrive as HTML (Shopify `Body (HTML)`, Amazon and eBay
 * descriptions) or as text with HTML entities (Etsy).  Rules match words,
 * so a cell is reduced to what a reader sees: tags and comments removed,
 * script and style content dropped, entities decoded, block elements and
 * <br> turned into line breaks, image alt text kept on a line of its own.
 * Every byte of the text is mapped back to the bytes of the original cell
 * it came from, so a span found in the text can be shown in the original.
 */
#ifndef IPR_INPUT_HTML_TEXT_H
#define IPR_INPUT_HTML_TEXT_H

#include "../base/buf.h"
#include "../base/vec.h"

enum html_mode {
    HTML_FULL = 0,    /* markup: tags removed, white space collapsed, entities decoded;
                         a cell without a tag is read as in HTML_ENTITIES */
    HTML_ENTITIES = 1 /* text with entities: only the entities are decoded */
};

/* A run of the text and the bytes of the original it comes from: copied
 * runs have text_len == src_len and map byte for byte; a decoded entity or
 * a collapsed blank maps as a whole. */
struct html_span {
    size_t text_off;
    size_t text_len;
    size_t src_off;
    size_t src_len;
    bool copied;
};

struct html_text {
    struct buf text; /* NUL-terminated */
    struct vec map;  /* of struct html_span, in text order */
};

void html_text_init(struct html_text *h);
void html_text_release(struct html_text *h);

/* Reduces html[0..len) to text.  IPR_ENOMEM, or IPR_ELIMIT past
 * IPR_INPUT_MAX_FIELD_BYTES_CEILING of text. */
ipr_status html_text_convert(struct html_text *h, const char *html, size_t len,
                             enum html_mode mode);

/* The bytes of the original behind text[start..end). */
void html_text_span_to_source(const struct html_text *h, size_t start, size_t end,
                              size_t *src_start, size_t *src_end);

#endif
