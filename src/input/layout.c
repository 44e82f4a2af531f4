/*
 * layout.c - encoding and profile of one input (see layout.h).
 *
 * Order of decisions: the encoding first (the parsers need UTF-8), then
 * the format (reader.c), then the header row and the profile, which needs
 * parsed rows.  A regular file is read through once to decide its
 * encoding, because a file whose first megabyte is ASCII may still be
 * Windows-1252 further down; a stream is judged by its first rows, which
 * the header search waits for anyway.  Every look ahead is bounded by rows
 * and bytes, never by what one read(2) returned, so a pipe gives the
 * records the file gives, however its writer splits the bytes.
 */
#define _POSIX_C_SOURCE 200809L /* pread(2) */

#include "layout.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../base/limits.h"

/* a piece of a file being sniffed: small enough to stay in the cache (a
 * fresh megabyte was 256 page faults of every file scanned) */
#define SNIFF_CHUNK (128u * 1024u)

static void say(const struct reader_config *cfg, const char *fmt, ...) IPR_PRINTF(2, 3);

static void say(const struct reader_config *cfg, const char *fmt, ...)
{
    if (!cfg->message || cfg->message_len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cfg->message, cfg->message_len, fmt, ap);
    va_end(ap);
}

static bool is_auto(const char *s)
{
    return !s || !*s || strcmp(s, "auto") == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* ---- resolving what the user asked for ------------------------------------------------ */

static ipr_status resolve_profile(struct layout *l, const char *name)
{
    const struct reader_config *cfg = l->cfg;
    const struct profile *p = profile_set_find(&l->builtin, name);
    if (p || strcmp(name, "canonical") == 0) {
        /* without the built-in table, canonical still means "as written" */
        l->profile = p;
        l->wanted = "canonical";
        if (p)
            l->wanted = p->name;
        return IPR_OK;
    }
    bool path_like = strchr(name, '/') || has_suffix(name, ".yaml") || has_suffix(name, ".yml");
    if (!path_like && access(name, F_OK) != 0) {
        char names[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < l->builtin.count && used < sizeof(names); i++) {
            int n = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
                             l->builtin.items[i]->name);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        say(cfg, "unknown profile '%s' (built-in: %s; or the path of a profile file)", name,
            used ? names : "none");
        return IPR_ENOTFOUND;
    }
    char msg[512] = "";
    ipr_status st = profile_load_file(name, &l->own, msg, sizeof(msg));
    if (st == IPR_EIO) {
        say(cfg, "cannot read profile '%s': %s", name, strerror(errno));
        return IPR_EIO;
    }
    if (st != IPR_OK) {
        say(cfg, "%s", msg[0] ? msg : ipr_status_str(st));
        return st;
    }
    l->profile = l->own;
    l->wanted = l->own->name;
    return IPR_OK;
}

ipr_status layout_new(const struct reader_config *cfg, struct layout **out)
{
    *out = NULL;
    if (cfg->message && cfg->message_len)
        cfg->message[0] = '\0';
    struct layout *l = calloc(1, sizeof(*l));
    if (!l)
        return IPR_ENOMEM;
    l->cfg = cfg;
    arena_init(&l->meta, 4096);
    vec_init(&l->unmapped, sizeof(const char *));
    encoding_lookup("utf-8", &l->enc);
    ipr_status st = IPR_OK;
    if (!is_auto(cfg->encoding)) {
        if (encoding_lookup(cfg->encoding, &l->enc) != IPR_OK) {
            say(cfg, "unknown encoding '%s'", cfg->encoding);
            st = IPR_EUNSUPPORTED;
        }
        l->enc_forced = true;
    }
    if (st == IPR_OK) {
        char msg[512] = "";
        st = profile_set_load_builtin(&l->builtin, cfg->builtin, msg, sizeof(msg));
        if (st != IPR_OK && msg[0])
            say(cfg, "%s", msg);
    }
    if (st == IPR_OK && !is_auto(cfg->profile))
        st = resolve_profile(l, cfg->profile);
    l->cfg = NULL; /* borrowed for the messages above only */
    if (st != IPR_OK) {
        layout_free(l);
        return st;
    }
    *out = l;
    return IPR_OK;
}

void layout_free(struct layout *l)
{
    if (!l)
        return;
    if (l->maps) {
        grouper_release(&l->grouper);
        mapper_release(&l->mapper);
    }
    decoder_free(l->dec);
    profile_set_release(&l->builtin);
    profile_free(l->own);
    arena_release(&l->meta);
    vec_release(&l->unmapped);
    free(l);
}

/* ---- encoding ------------------------------------------------------------------------- */

/* A forced encoding still skips its own byte order mark. */
static void forced_bom(struct layout *l, const char *head, size_t len)
{
    struct encoding bom;
    if (encoding_from_bom(head, len, &bom) && strcmp(bom.name, l->enc.name) == 0)
        l->enc.bom_len = bom.bom_len;
}

static ipr_status sniff_file(struct layout *l, int fd)
{
    char *chunk = malloc(SNIFF_CHUNK);
    if (!chunk)
        return IPR_ENOMEM;
    struct encoding_sniffer sn;
    encoding_sniffer_init(&sn);
    uint64_t off = 0;
    bool complete = false;
    ipr_status st = IPR_OK;
    for (;;) {
        ssize_t n = pread(fd, chunk, SNIFF_CHUNK, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = IPR_EIO;
            break;
        }
        if (n == 0) {
            complete = true;
            break;
        }
        off += (uint64_t)n;
        if (!encoding_sniffer_feed(&sn, chunk, (size_t)n))
            break;
    }
    if (st == IPR_OK)
        st = encoding_sniffer_finish(&sn, complete, &l->enc);
    encoding_sniffer_release(&sn);
    free(chunk);
    return st;
}

static ipr_status sniff_bytes(struct layout *l, const char *data, size_t len, bool complete)
{
    struct encoding_sniffer sn;
    encoding_sniffer_init(&sn);
    encoding_sniffer_feed(&sn, data, len);
    ipr_status st = encoding_sniffer_finish(&sn, complete, &l->enc);
    encoding_sniffer_release(&sn);
    return st;
}

/* Files that are not text tables, known by their first bytes: decoded as
 * text they would give rows of garbage, some of which could pass for clean
 * listings. */
static const char *binary_format(const char *head, size_t len)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } formats[] = {
        {"PK\x03\x04", 4, "a ZIP archive"}, {"\xD0\xCF\x11\xE0", 4, "an OLE2 compound file"},
        {"\x89PNG", 4, "a PNG image"},      {"\xFF\xD8\xFF", 3, "a JPEG image"},
        {"GIF8", 4, "a GIF image"},         {"%PDF", 4, "a PDF document"},
        {"\x1F\x8B", 2, "a gzip file"},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(formats); i++)
        if (len >= formats[i].len && memcmp(head, formats[i].magic, formats[i].len) == 0)
            return formats[i].what;
    return NULL;
}

/* Do d[0..len) hold `rows` line feeds, or the whole sample?  A line feed
 * is 0x0A in every encoding read here (UTF-16 puts a NUL beside it). */
static bool has_rows(const unsigned char *d, size_t len, size_t rows)
{
    if (len >= IPR_ENCODING_SAMPLE_BYTES)
        return true;
    const unsigned char *end = d + len;
    size_t seen = 0;
    for (const unsigned char *p = d; seen < rows && p < end; p++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p)
            break;
        seen++;
    }
    return seen == rows;
}

/* Reads the part of a stream its encoding is judged by: its first line
 * when it looks like JSON (a record per line, which a filter must not
 * hold back), else as many rows as the header search looks at; at most
 * IPR_ENCODING_SAMPLE_BYTES, or all of it when shorter.  The bytes decide
 * how much, so a pipe is judged as the file would be. */
static ipr_status stream_sample(struct source *src)
{
    size_t rows = 0; /* 0: not known yet */
    for (;;) {
        const unsigned char *d = (const unsigned char *)src->data + src->pos;
        size_t n = source_avail(src);
        if (rows == 0) {
            /* the first byte that is not a byte order mark, a NUL or a blank */
            size_t i = 0;
            while (i < n && i < IPR_ENCODING_SAMPLE_BYTES &&
                   (d[i] == 0 || d[i] == 0xEF || d[i] == 0xBB || d[i] == 0xBF || d[i] == 0xFE ||
                    d[i] == 0xFF || d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
                i++;
            if (i < n)
                rows = d[i] == '{' || d[i] == '[' ? 1 : IPR_PROFILE_HEADER_ROWS;
            else if (i >= IPR_ENCODING_SAMPLE_BYTES)
                return IPR_OK;
        }
        if (rows && has_rows(d, n, rows))
            return IPR_OK;
        ipr_status st = source_fill(src);
        if (st == IPR_DONE)
            return IPR_OK;
        if (st != IPR_OK)
            return st;
    }
}

ipr_status layout_open_fd(struct layout *l, struct source *src, int fd, bool owns_fd,
                          bool is_regular)
{
    ipr_status st = IPR_OK;
    if (is_regular) {
        char head[4];
        ssize_t n;
        do
            n = pread(fd, head, sizeof(head), 0);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            st = IPR_EIO;
        else if ((l->binary = binary_format(head, (size_t)n)) != NULL)
            st = IPR_EUNSUPPORTED;
        else if (l->enc_forced)
            forced_bom(l, head, (size_t)n);
        else
            st = sniff_file(l, fd);
        if (st == IPR_OK && l->enc.converter[0] && lseek(fd, (off_t)l->enc.bom_len, SEEK_SET) < 0)
            st = IPR_EIO;
        if (st == IPR_OK && l->enc.converter[0])
            st = decoder_new(&l->enc, NULL, 0, NULL, 0, fd, owns_fd, l->enc.bom_len, &l->dec);
        if (st == IPR_OK && l->dec)
            source_init_pull(src, decoder_pull, l->dec);
        else
            source_init_fd(src, fd, owns_fd); /* so that reader_free closes it */
        return st;
    }
    source_init_fd(src, fd, owns_fd);
    st = stream_sample(src);
    if (st != IPR_OK)
        return st;
    const char *window = src->data + src->pos;
    size_t avail = source_avail(src);
    if ((l->binary = binary_format(window, avail)) != NULL)
        return IPR_EUNSUPPORTED;
    if (l->enc_forced)
        forced_bom(l, window, avail);
    else
        st = sniff_bytes(l, window, avail, src->eof);
    if (st != IPR_OK || !l->enc.converter[0])
        return st;
    size_t skip = l->enc.bom_len <= avail ? l->enc.bom_len : avail;
    st = decoder_new(&l->enc, window + skip, avail - skip, NULL, 0, fd, owns_fd, skip, &l->dec);
    if (st != IPR_OK)
        return st;
    src->owns_fd = false; /* the converter reads and closes it now */
    source_release(src);
    source_init_pull(src, decoder_pull, l->dec);
    return IPR_OK;
}

ipr_status layout_open_mem(struct layout *l, struct source *src, const char *data, size_t len)
{
    ipr_status st = IPR_OK;
    if ((l->binary = binary_format(data, len)) != NULL) {
        source_init_mem(src, data, len);
        return IPR_EUNSUPPORTED;
    }
    if (l->enc_forced)
        forced_bom(l, data, len);
    else
        st = sniff_bytes(l, data, len, true);
    if (st == IPR_OK && l->enc.converter[0]) {
        size_t skip = l->enc.bom_len <= len ? l->enc.bom_len : len;
        st = decoder_new(&l->enc, NULL, 0, data + skip, len - skip, -1, false, skip, &l->dec);
    }
    if (st == IPR_OK && l->dec)
        source_init_pull(src, decoder_pull, l->dec);
    else
        source_init_mem(src, data, len);
    return st;
}

ipr_status layout_fix_error(struct layout *l, struct ipr_record *rec, uint64_t consumed)
{
    if (!l->dec)
        return IPR_OK;
    ipr_status st = IPR_OK;
    uint64_t orig;
    if (rec->error && decoder_bad_offset(l->dec, rec->error_offset, &orig)) {
        static const char what[] = "invalid UTF-8 at byte offset ";
        const char *at = strstr(rec->error, what);
        int keep = at ? (int)(at - rec->error) : 0;
        st = record_set_error(rec, rec->error_line, orig, "%.*sinvalid %s at byte offset %llu",
                              keep, rec->error, l->enc.name, (unsigned long long)orig);
    }
    decoder_forget_before(l->dec, consumed);
    return st;
}

/* ---- header row and profile ------------------------------------------------------------ */

struct peeked_cell {
    const char *name; /* trimmed, in l->meta */
    size_t len;
};

struct peeked_row {
    uint32_t line;
    struct peeked_cell *cells;
    struct csv_peek_cell *view; /* the same cells, for scoring */
    size_t count;
};

struct peek {
    struct layout *l;
    struct peeked_row rows[IPR_PROFILE_HEADER_ROWS];
    size_t row_count;
};

static ipr_status on_row(void *ctx, size_t row, uint32_t line, const struct csv_peek_cell *cells,
                         size_t count)
{
    struct peek *pk = ctx;
    struct arena *a = &pk->l->meta;
    if (pk->row_count >= IPR_ARRAY_LEN(pk->rows))
        return IPR_DONE;
    (void)row;
    struct peeked_row *r = &pk->rows[pk->row_count++];
    r->line = line;
    r->count = count;
    r->cells = arena_calloc(a, count ? count : 1, sizeof(*r->cells));
    r->view = arena_calloc(a, count ? count : 1, sizeof(*r->view));
    if (!r->cells || !r->view)
        return IPR_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const char *s = cells[i].value;
        size_t len = cells[i].len;
        while (len && ipr_is_ascii_space((unsigned char)s[0])) {
            s++;
            len--;
        }
        while (len && ipr_is_ascii_space((unsigned char)s[len - 1]))
            len--;
        char *copy = arena_strndup(a, s, len);
        if (!copy)
            return IPR_ENOMEM;
        r->cells[i].name = copy;
        r->cells[i].len = len;
        r->view[i].column = cells[i].column;
        r->view[i].value = copy;
        r->view[i].len = len;
    }
    return IPR_OK;
}

/* The best (row, profile) for --profile auto, or for the named profile. */
static size_t choose_row(struct layout *l, const struct peek *pk, const struct profile **chosen)
{
    size_t best_row = 0, best_score = 0;
    const struct profile *best = NULL;
    if (l->wanted) {
        *chosen = l->profile;
        if (!l->profile || l->profile->canonical)
            return 0;
        for (size_t r = 0; r < pk->row_count; r++) {
            size_t s = profile_header_score(l->profile, pk->rows[r].view, pk->rows[r].count);
            if (s > best_score) {
                best_score = s;
                best_row = r;
            }
        }
        return best_row;
    }
    for (size_t r = 0; r < pk->row_count; r++) {
        for (size_t i = 0; i < l->builtin.count; i++) {
            const struct profile *p = l->builtin.items[i];
            if (p->canonical)
                continue;
            size_t s = profile_header_score(p, pk->rows[r].view, pk->rows[r].count);
            if (s > best_score) {
                best_score = s;
                best_row = r;
                best = p;
            }
        }
    }
    if (best) {
        *chosen = best;
        return best_row;
    }
    *chosen = profile_set_find(&l->builtin, "canonical");
    return 0;
}

static ipr_status list_unmapped(struct layout *l, const struct peeked_row *header)
{
    const struct profile *canonical = l->profile;
    for (size_t i = 0; header && i < header->count; i++) {
        const struct peeked_cell *c = &header->cells[i];
        if (c->len == 0 || profile_is_canonical_name(canonical, c->name, c->len))
            continue;
        bool dup = false;
        for (size_t k = 0; k < l->unmapped.count && !dup; k++)
            dup = strcmp(*(const char **)vec_at(&l->unmapped, k), c->name) == 0;
        if (dup)
            continue;
        const char **slot = vec_push(&l->unmapped);
        if (!slot)
            return IPR_ENOMEM;
        *slot = c->name;
    }
    return IPR_OK;
}

static ipr_status start_mapping(struct layout *l, bool by_path)
{
    mapper_init(&l->mapper, l->profile, by_path);
    grouper_init(&l->grouper, &l->mapper);
    l->maps = true;
    return IPR_OK;
}

ipr_status layout_choose(struct layout *l, ipr_input_format format, struct source *src,
                         struct csv_parser *csv)
{
    if (format == IPR_INPUT_JSON || format == IPR_INPUT_JSONL) {
        if (!l->wanted)
            l->profile = profile_set_find(&l->builtin, "canonical");
        if (l->profile && !l->profile->canonical)
            return start_mapping(l, true);
        return IPR_OK;
    }
    struct peek pk;
    memset(&pk, 0, sizeof(pk));
    pk.l = l;
    ipr_status st =
        csv_parser_peek(csv, src, IPR_PROFILE_HEADER_ROWS, IPR_PROFILE_HEADER_BYTES, on_row, &pk);
    if (st != IPR_OK)
        return st;
    const struct profile *chosen = NULL;
    size_t header = choose_row(l, &pk, &chosen);
    l->profile = chosen;
    l->header_line = pk.row_count ? pk.rows[header].line : 1;
    if (header > 0) {
        st = csv_parser_skip_rows(csv, src, header);
        if (st != IPR_OK)
            return st;
    }
    if (!chosen)
        return IPR_OK;
    if (format == IPR_INPUT_TSV && chosen->tsv_line_quotes)
        csv->quotes = CSV_QUOTES_LINE;
    if (chosen->canonical)
        return list_unmapped(l, pk.row_count ? &pk.rows[header] : NULL);
    return start_mapping(l, false);
}

ipr_status layout_next(struct layout *l, raw_next_fn next, void *ctx, struct ipr_record *out)
{
    return grouper_next(&l->grouper, next, ctx, out);
}

void layout_describe(struct layout *l, ipr_input_format format)
{
    int n = snprintf(l->description, sizeof(l->description), "%s, profile %s",
                     ipr_input_format_name(format), l->profile ? l->profile->name : "canonical");
    if (n > 0 && (size_t)n < sizeof(l->description) && l->header_line > 1)
        n += snprintf(l->description + n, sizeof(l->description) - (size_t)n, ", header line %u",
                      l->header_line);
    if (n > 0 && (size_t)n < sizeof(l->description))
        snprintf(l->description + n, sizeof(l->description) - (size_t)n, ", encoding %s",
                 l->enc.name);
}
