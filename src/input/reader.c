/*
 * reader.c - opens an input, resolves its format, and numbers its records.
 *
 * The format comes from the caller, else from the file extension, else
 * from the first bytes.  A UTF-8 byte order mark is consumed before any of
 * that, so it is never part of a header name or a JSON token.  The parsers
 * (csv.c, json.c) fill a record's line and fields or error; this file sets
 * its file, index and key, so numbering is the same for every format.
 * Opened with a reader_config, a layout (layout.c) first decides the
 * encoding and, once the format is known, the header row and the profile;
 * rows then pass through the profile before they become records.
 */
#define _POSIX_C_SOURCE 200809L /* open flags, read(2), poll(2) */

#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/limits.h"
#include "csv.h"
#include "json.h"
#include "layout.h"
#include "source.h"

struct ipr_reader {
    ipr_input_format format; /* resolved once the reader is open */
    char *name;              /* owned; the records' file */
    struct source src;
    bool started;      /* the byte order mark has been looked for */
    ipr_status failed; /* sticky I/O or memory failure; IPR_OK while healthy */
    uint64_t next_index;
    struct csv_parser csv;
    struct json_parser json;
    struct ipr_record *rec; /* handed out, reused for every record; owned */
    struct layout *layout;  /* NULL: opened without a reader_config */
    struct ipr_record raw;  /* a row before the profile maps it */
    char description[64];   /* without a layout */
    size_t max_field;       /* bytes of a value kept (the field cap) */
    size_t max_record;      /* bytes of a row, line or element (the record cap) */
};

static struct ipr_reader *reader_new(const char *name)
{
    struct ipr_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    size_t len = strlen(name);
    r->name = malloc(len + 1);
    if (!r->name) {
        free(r);
        return NULL;
    }
    memcpy(r->name, name, len + 1);
    r->rec = malloc(sizeof(*r->rec));
    if (!r->rec) {
        free(r->name);
        free(r);
        return NULL;
    }
    record_init(r->rec);
    record_init(&r->raw);
    csv_parser_init(&r->csv, ',');
    json_parser_init(&r->json);
    r->max_field = IPR_INPUT_MAX_FIELD_BYTES;
    r->max_record = IPR_INPUT_MAX_LINE_BYTES;
    return r;
}

static void set_caps(struct ipr_reader *r, const struct reader_caps *caps)
{
    if (caps && caps->max_field_bytes)
        r->max_field = caps->max_field_bytes;
    if (caps && caps->max_record_bytes)
        r->max_record = caps->max_record_bytes;
}

ipr_status reader_caps_check(const struct reader_caps *caps, char *message, size_t message_len)
{
    const char *what = NULL;
    size_t value = 0, ceiling = 0;
    if (caps && caps->max_field_bytes > IPR_INPUT_MAX_FIELD_BYTES_CEILING) {
        what = "field";
        value = caps->max_field_bytes;
        ceiling = IPR_INPUT_MAX_FIELD_BYTES_CEILING;
    } else if (caps && caps->max_record_bytes > IPR_INPUT_MAX_LINE_BYTES_CEILING) {
        what = "record";
        value = caps->max_record_bytes;
        ceiling = IPR_INPUT_MAX_LINE_BYTES_CEILING;
    }
    if (!what)
        return IPR_OK;
    if (message && message_len)
        snprintf(message, message_len, "a %s cap of %zu bytes is above the limit of %zu bytes",
                 what, value, ceiling);
    return IPR_EINVAL;
}

void reader_free(struct ipr_reader *r)
{
    if (!r)
        return;
    source_release(&r->src);
    csv_parser_release(&r->csv);
    json_parser_release(&r->json);
    record_release(r->rec);
    free(r->rec);
    record_release(&r->raw);
    layout_free(r->layout);
    free(r->name);
    free(r);
}

static ipr_status skip_bom(struct ipr_reader *r)
{
    struct source *src = &r->src;
    r->started = true;
    ipr_status st = source_want(src, 1);
    if (st != IPR_OK || source_avail(src) == 0 || (unsigned char)src->data[src->pos] != 0xEF)
        return st;
    st = source_want(src, 3);
    if (st != IPR_OK || source_avail(src) < 3 || memcmp(src->data + src->pos, "\xEF\xBB\xBF", 3))
        return st;
    /* the mark is invisible: columns on line 1 count from after it */
    struct text_pos at = {.line = 1, .line_start = source_offset(src) + 3, .prev_cr = false};
    source_consume_at(src, source_offset(src) + 3, &at);
    return IPR_OK;
}

/* Excel writes "sep=;" (or another delimiter) as the first line of a CSV
 * file saved for a locale whose decimal mark is a comma: the line names the
 * delimiter and is not a row.  Read it so, or every row would be one cell. */
static ipr_status take_sep_line(struct ipr_reader *r)
{
    struct source *src = &r->src;
    ipr_status st = source_want(src, 6);
    if (st != IPR_OK || source_avail(src) < 5)
        return st;
    const char *d = src->data + src->pos;
    size_t n = source_avail(src);
    char delim = d[4];
    bool line_ends = n == 5 || d[5] == '\n' || d[5] == '\r';
    if (memcmp(d, "sep=", 4) != 0 || !line_ends || !strchr(",;\t|", delim) || delim == '\0')
        return IPR_OK;
    r->csv.delim = delim;
    return source_skip_line(src, true);
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Index (from the source position) of the first non-space byte, reading
 * as needed; source_avail() when there is none within the sniff window. */
static ipr_status first_content(struct source *src, size_t *out)
{
    size_t i = 0;
    for (;;) {
        const unsigned char *d = (const unsigned char *)src->data + src->pos;
        while (i < source_avail(src) && is_space(d[i]))
            i++;
        if (i < source_avail(src) || i >= IPR_INPUT_SNIFF_BYTES)
            break;
        ipr_status st = source_fill(src);
        if (st == IPR_DONE)
            break;
        if (st != IPR_OK)
            return st;
    }
    *out = i;
    return IPR_OK;
}

/* '[' is a JSON array, '{' JSON Lines; otherwise the first line of text is
 * a header, and tabs outnumbering commas there mean TSV. */
static ipr_status sniff(struct source *src, ipr_input_format *out)
{
    size_t first;
    ipr_status st = first_content(src, &first);
    if (st != IPR_OK)
        return st;
    *out = IPR_INPUT_CSV;
    if (first >= source_avail(src))
        return IPR_OK;
    unsigned char c = (unsigned char)src->data[src->pos + first];
    if (c == '[' || c == '{') {
        *out = c == '[' ? IPR_INPUT_JSON : IPR_INPUT_JSONL;
        return IPR_OK;
    }
    size_t start = first;
    while (start > 0 && src->data[src->pos + start - 1] != '\n' &&
           src->data[src->pos + start - 1] != '\r')
        start--;
    size_t end = first;
    for (;;) {
        const char *d = src->data + src->pos;
        while (end < source_avail(src) && d[end] != '\n' && d[end] != '\r')
            end++;
        if (end < source_avail(src) || end - start >= IPR_INPUT_SNIFF_BYTES)
            break;
        st = source_fill(src);
        if (st == IPR_DONE)
            break;
        if (st != IPR_OK)
            return st;
    }
    size_t tabs = 0, commas = 0;
    for (size_t i = start; i < end; i++) {
        tabs += src->data[src->pos + i] == '\t';
        commas += src->data[src->pos + i] == ',';
    }
    if (tabs > commas)
        *out = IPR_INPUT_TSV;
    return IPR_OK;
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    if (n <= k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (ipr_ascii_lower((unsigned char)name[n - k + i]) != (unsigned char)suffix[i])
            return false;
    return name[n - k - 1] != '/';
}

static ipr_status detect(struct ipr_reader *r, const char *name, ipr_input_format *out)
{
    static const struct {
        const char *suffix;
        ipr_input_format format;
    } by_extension[] = {
        {".csv", IPR_INPUT_CSV},     {".tsv", IPR_INPUT_TSV},      {".tab", IPR_INPUT_TSV},
        {".jsonl", IPR_INPUT_JSONL}, {".ndjson", IPR_INPUT_JSONL},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(by_extension); i++) {
        if (has_suffix(name, by_extension[i].suffix)) {
            *out = by_extension[i].format;
            return IPR_OK;
        }
    }
    ipr_status st = skip_bom(r);
    if (st != IPR_OK)
        return st;
    if (has_suffix(name, ".json")) {
        /* .json holds an array, or else is JSON Lines under another name */
        size_t first;
        st = first_content(&r->src, &first);
        bool is_array = first < source_avail(&r->src) && r->src.data[r->src.pos + first] == '[';
        *out = is_array ? IPR_INPUT_JSON : IPR_INPUT_JSONL;
        return st;
    }
    return sniff(&r->src, out);
}

static ipr_status finish_open(struct ipr_reader *r, const char *name, ipr_input_format format,
                              struct ipr_reader **out)
{
    source_set_record_cap(&r->src, r->max_record);
    csv_parser_set_caps(&r->csv, r->max_field, r->max_record);
    json_parser_set_caps(&r->json, r->max_field, r->max_record);
    ipr_status st = IPR_OK;
    if (format == IPR_INPUT_AUTO)
        st = detect(r, name, &format);
    if (st != IPR_OK) {
        int saved = errno;
        reader_free(r);
        errno = saved;
        return st;
    }
    r->format = format;
    if (format == IPR_INPUT_TSV)
        r->csv.delim = '\t';
    if (format == IPR_INPUT_CSV) {
        st = r->started ? IPR_OK : skip_bom(r);
        if (st == IPR_OK)
            st = take_sep_line(r);
        if (st != IPR_OK) {
            int saved = errno;
            reader_free(r);
            errno = saved;
            return st;
        }
    }
    if (r->layout) {
        st = r->started ? IPR_OK : skip_bom(r);
        if (st == IPR_OK)
            st = layout_choose(r->layout, format, &r->src, &r->csv);
        if (st != IPR_OK) {
            int saved = errno;
            reader_free(r);
            errno = saved;
            return st;
        }
        layout_describe(r->layout, format);
    }
    snprintf(r->description, sizeof(r->description), "%s, profile canonical, encoding utf-8",
             ipr_input_format_name(format));
    *out = r;
    return IPR_OK;
}

static bool format_is_valid(ipr_input_format format)
{
    return (unsigned)format <= (unsigned)IPR_INPUT_JSON;
}

static ipr_status open_path(const char *path, ipr_input_format format,
                            const struct reader_caps *caps, struct ipr_reader **out)
{
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if (!path || !format_is_valid(format))
        return IPR_EINVAL;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return IPR_EIO;
    struct stat sb;
    if (!is_stdin && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        errno = EISDIR;
        return IPR_EIO;
    }
    struct ipr_reader *r = reader_new(is_stdin ? "<stdin>" : path);
    if (!r) {
        if (!is_stdin)
            close(fd);
        return IPR_ENOMEM;
    }
    set_caps(r, caps);
    source_init_fd(&r->src, fd, !is_stdin);
    return finish_open(r, is_stdin ? "" : path, format, out);
}

ipr_status reader_open_path(const char *path, ipr_input_format format, struct ipr_reader **out)
{
    return open_path(path, format, NULL, out);
}

static ipr_status open_mem(const char *name, const char *data, size_t data_len,
                           ipr_input_format format, const struct reader_caps *caps,
                           struct ipr_reader **out)
{
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if ((!data && data_len) || !format_is_valid(format))
        return IPR_EINVAL;
    if (!name)
        name = "<memory>";
    struct ipr_reader *r = reader_new(name);
    if (!r)
        return IPR_ENOMEM;
    set_caps(r, caps);
    source_init_mem(&r->src, data, data_len);
    return finish_open(r, name, format, out);
}

ipr_status reader_open_mem(const char *name, const char *data, size_t data_len,
                           ipr_input_format format, struct ipr_reader **out)
{
    return open_mem(name, data, data_len, format, NULL, out);
}

ipr_input_format reader_format(const struct ipr_reader *r)
{
    return r ? r->format : IPR_INPUT_AUTO;
}

/* Parses the next row, line or element into rec. */
static ipr_status parse_one(struct ipr_reader *r, struct ipr_record *rec)
{
    ipr_status st;
    switch (r->format) {
    case IPR_INPUT_JSONL:
        st = json_parser_next_line(&r->json, &r->src, rec);
        break;
    case IPR_INPUT_JSON:
        st = json_parser_next_element(&r->json, &r->src, rec);
        break;
    default:
        st = csv_parser_next(&r->csv, &r->src, rec);
        break;
    }
    if (st == IPR_OK && r->layout)
        st = layout_fix_error(r->layout, rec, source_offset(&r->src));
    return st;
}

/* raw_next_fn for the grouper: the next row as the header names it. */
static ipr_status next_raw(void *ctx, const struct ipr_record **raw)
{
    struct ipr_reader *r = ctx;
    record_reset(&r->raw);
    r->raw.file = r->name;
    ipr_status st = parse_one(r, &r->raw);
    if (st == IPR_OK && r->raw.error)
        r->raw.field_count = 0;
    *raw = &r->raw;
    return st;
}

ipr_status reader_next(struct ipr_reader *r, const struct ipr_record **out)
{
    if (!r || !out)
        return IPR_EINVAL;
    *out = NULL;
    if (r->failed != IPR_OK)
        return r->failed;
    ipr_status st = r->started ? IPR_OK : skip_bom(r);

    struct ipr_record *rec = r->rec;
    record_reset(rec);
    rec->file = r->name;
    rec->index = r->next_index;
    if (st == IPR_OK) {
        if (r->layout && r->layout->maps)
            st = layout_next(r->layout, next_raw, r, rec);
        else
            st = parse_one(r, rec);
    }
    if (st == IPR_OK) {
        if (rec->error) {
            rec->field_count = 0; /* an unreadable row has no trustworthy fields */
            rec->incomplete = NULL;
        }
        st = record_finish(rec);
    }
    if (st == IPR_DONE)
        return st;
    if (st != IPR_OK) {
        r->failed = st;
        return st;
    }
    r->next_index++;
    *out = rec;
    return IPR_OK;
}

ipr_status reader_take(struct ipr_reader *r, struct ipr_record **slot)
{
    if (!r || !slot)
        return IPR_EINVAL;
    /* the record given in exchange exists before anything is read, so
     * running out of memory never loses a record */
    if (!*slot) {
        struct ipr_record *spare = malloc(sizeof(*spare));
        if (!spare)
            return IPR_ENOMEM;
        record_init(spare);
        *slot = spare;
    }
    const struct ipr_record *rec;
    ipr_status st = reader_next(r, &rec);
    if (st != IPR_OK)
        return st;
    struct ipr_record *filled = r->rec;
    r->rec = *slot;
    *slot = filled;
    return IPR_OK;
}

/* ---- encodings and profiles --------------------------------------------------------- */

/* The message for an input that layout_open_* found to be binary. */
static void say_binary(const struct reader_config *cfg, const struct layout *l, const char *name)
{
    if (!l->binary || !cfg->message || cfg->message_len == 0)
        return;
    if (has_suffix(name, ".xlsx") || has_suffix(name, ".xlsm") || has_suffix(name, ".xlsb") ||
        has_suffix(name, ".xls"))
        snprintf(cfg->message, cfg->message_len,
                 "an Excel workbook, not a text table: save it as CSV UTF-8 or as "
                 "tab-delimited text");
    else
        snprintf(cfg->message, cfg->message_len, "not a text table but %s", l->binary);
}

ipr_status reader_open_path_ex(const char *path, const struct reader_config *cfg,
                               struct ipr_reader **out)
{
    return reader_open_path_capped(path, cfg, NULL, out);
}

ipr_status reader_open_path_capped(const char *path, const struct reader_config *cfg,
                                   const struct reader_caps *caps, struct ipr_reader **out)
{
    if (out)
        *out = NULL;
    if (reader_caps_check(caps, cfg ? cfg->message : NULL, cfg ? cfg->message_len : 0) != IPR_OK)
        return IPR_EINVAL;
    if (!cfg)
        return open_path(path, IPR_INPUT_AUTO, caps, out);
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if (!path || !format_is_valid(cfg->format))
        return IPR_EINVAL;
    struct layout *layout = NULL;
    ipr_status st = layout_new(cfg, &layout);
    if (st != IPR_OK)
        return st;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        layout_free(layout);
        errno = saved;
        return IPR_EIO;
    }
    struct stat sb;
    bool have_stat = fstat(fd, &sb) == 0;
    if (!is_stdin && have_stat && S_ISDIR(sb.st_mode)) {
        close(fd);
        layout_free(layout);
        errno = EISDIR;
        return IPR_EIO;
    }
    struct ipr_reader *r = reader_new(is_stdin ? "<stdin>" : path);
    if (!r) {
        if (!is_stdin)
            close(fd);
        layout_free(layout);
        return IPR_ENOMEM;
    }
    r->layout = layout;
    set_caps(r, caps);
    bool is_regular = have_stat && S_ISREG(sb.st_mode);
    st = layout_open_fd(layout, &r->src, fd, !is_stdin, is_regular);
    if (st != IPR_OK) {
        int saved = errno;
        say_binary(cfg, layout, path);
        reader_free(r);
        errno = saved;
        return st;
    }
    return finish_open(r, is_stdin ? "" : path, cfg->format, out);
}

ipr_status reader_open_mem_ex(const char *name, const char *data, size_t data_len,
                              const struct reader_config *cfg, struct ipr_reader **out)
{
    return reader_open_mem_capped(name, data, data_len, cfg, NULL, out);
}

ipr_status reader_open_mem_capped(const char *name, const char *data, size_t data_len,
                                  const struct reader_config *cfg, const struct reader_caps *caps,
                                  struct ipr_reader **out)
{
    if (out)
        *out = NULL;
    if (reader_caps_check(caps, cfg ? cfg->message : NULL, cfg ? cfg->message_len : 0) != IPR_OK)
        return IPR_EINVAL;
    if (!cfg)
        return open_mem(name, data, data_len, IPR_INPUT_AUTO, caps, out);
    if (!out)
        return IPR_EINVAL;
    *out = NULL;
    if ((!data && data_len) || !format_is_valid(cfg->format))
        return IPR_EINVAL;
    if (!name)
        name = "<memory>";
    struct layout *layout = NULL;
    ipr_status st = layout_new(cfg, &layout);
    if (st != IPR_OK)
        return st;
    struct ipr_reader *r = reader_new(name);
    if (!r) {
        layout_free(layout);
        return IPR_ENOMEM;
    }
    r->layout = layout;
    set_caps(r, caps);
    st = layout_open_mem(layout, &r->src, data ? data : "", data_len);
    if (st != IPR_OK) {
        say_binary(cfg, layout, name);
        reader_free(r);
        return st;
    }
    return finish_open(r, name, cfg->format, out);
}

ipr_status reader_config_check(const struct reader_config *cfg)
{
    if (!cfg || !format_is_valid(cfg->format))
        return IPR_EINVAL;
    struct layout *layout = NULL;
    ipr_status st = layout_new(cfg, &layout);
    layout_free(layout);
    return st;
}

const char *reader_description(const struct ipr_reader *r)
{
    if (!r)
        return "";
    return r->layout ? r->layout->description : r->description;
}

size_t reader_unmapped_count(const struct ipr_reader *r)
{
    return r && r->layout ? r->layout->unmapped.count : 0;
}

const char *reader_unmapped(const struct ipr_reader *r, size_t index)
{
    if (!r || !r->layout || index >= r->layout->unmapped.count)
        return NULL;
    return *(const char **)vec_at(&r->layout->unmapped, index);
}
