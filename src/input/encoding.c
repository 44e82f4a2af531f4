/*
 * encoding.c - encoding detection and streaming conversion (see encoding.h).
 *
 * Detection trusts, in order: a byte order mark; NUL bytes on every other
 * position (UTF-16 without a mark); the UTF-8 check; ICU's charset
 * detector over the words that hold non-ASCII bytes.  A detector candidate
 * is only taken when it decodes that sample without an error, so a
 * single-byte code page (which accepts any byte) wins only when nothing
 * better fits.  Conversion goes through ICU to UTF-16 and from there to
 * UTF-8 here, so a surrogate pair cut between two batches is joined.
 */
#include "encoding.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "../base/bytescan.h"
#include "../base/limits.h"

/* ---- names ------------------------------------------------------------------------ */

struct known_encoding {
    const char *alias; /* compared ignoring case, '-' and '_' */
    const char *name;
    const char *converter;
};

/* Superset code pages decode what exporters write: Excel's "GBK" is
 * CP936, "Shift_JIS" is CP932 and "EUC-KR" is CP949. */
static const struct known_encoding known[] = {
    {"utf8", "utf-8", ""},
    {"utf16le", "utf-16le", "UTF-16LE"},
    {"utf16be", "utf-16be", "UTF-16BE"},
    {"utf16", "utf-16", "UTF-16"},
    {"utf32le", "utf-32le", "UTF-32LE"},
    {"utf32be", "utf-32be", "UTF-32BE"},
    {"windows1252", "windows-1252", "windows-1252"},
    {"cp1252", "windows-1252", "windows-1252"},
    {"iso88591", "windows-1252", "windows-1252"},
    {"latin1", "windows-1252", "windows-1252"},
    {"gb18030", "gb18030", "gb18030"},
    {"gbk", "gb18030", "gb18030"},
    {"gb2312", "gb18030", "gb18030"},
    {"cp936", "gb18030", "gb18030"},
    {"euccn", "gb18030", "gb18030"},
    {"shiftjis", "shift_jis", "Shift_JIS"},
    {"sjis", "shift_jis", "Shift_JIS"},
    {"cp932", "shift_jis", "Shift_JIS"},
    {"windows31j", "shift_jis", "Shift_JIS"},
    {"ms932", "shift_jis", "Shift_JIS"},
    {"euckr", "euc-kr", "windows-949"},
    {"cp949", "euc-kr", "windows-949"},
    {"uhc", "euc-kr", "windows-949"},
    {"windows949", "euc-kr", "windows-949"},
    {"ksc56011987", "euc-kr", "windows-949"},
    {"big5", "big5", "windows-950"},
    {"cp950", "big5", "windows-950"},
    {"eucjp", "euc-jp", "EUC-JP"},
};

/* Among detector candidates of equal confidence, the more common one. */
static const char *const preferred[] = {"windows-1252", "gb18030", "shift_jis",
                                        "euc-kr",       "big5",    "euc-jp"};

static bool alias_equal(const char *alias, const char *name)
{
    for (;;) {
        while (*name == '-' || *name == '_' || *name == ' ')
            name++;
        if (*alias == '\0' || *name == '\0')
            return *alias == '\0' && *name == '\0';
        if (ipr_ascii_lower((unsigned char)*name) != (unsigned char)*alias)
            return false;
        alias++;
        name++;
    }
}

static void copy_name(char *dst, size_t cap, const char *src, bool lower)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = lower ? (char)ipr_ascii_lower((unsigned char)src[i]) : src[i];
    dst[i] = '\0';
}

ipr_status encoding_lookup(const char *name, struct encoding *out)
{
    memset(out, 0, sizeof(*out));
    if (!name || !name[0] || strlen(name) >= sizeof(out->name))
        return IPR_ENOTFOUND;
    for (size_t i = 0; i < IPR_ARRAY_LEN(known); i++) {
        if (alias_equal(known[i].alias, name)) {
            copy_name(out->name, sizeof(out->name), known[i].name, false);
            copy_name(out->converter, sizeof(out->converter), known[i].converter, false);
            return IPR_OK;
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &err);
    if (U_FAILURE(err) || !cnv)
        return IPR_ENOTFOUND;
    ucnv_close(cnv);
    copy_name(out->name, sizeof(out->name), name, true);
    copy_name(out->converter, sizeof(out->converter), name, false);
    return IPR_OK;
}

bool encoding_from_bom(const char *data, size_t len, struct encoding *out)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *name;
    } marks[] = {
        /* UTF-32LE before UTF-16LE: its mark begins with the same two bytes */
        {"\xFF\xFE\x00\x00", 4, "utf-32le"}, {"\x00\x00\xFE\xFF", 4, "utf-32be"},
        {"\xEF\xBB\xBF", 3, "utf-8"},        {"\xFF\xFE", 2, "utf-16le"},
        {"\xFE\xFF", 2, "utf-16be"},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(marks); i++) {
        if (len >= marks[i].len && memcmp(data, marks[i].bytes, marks[i].len) == 0) {
            encoding_lookup(marks[i].name, out);
            out->bom_len = marks[i].len;
            return true;
        }
    }
    return false;
}

/* ---- detection -------------------------------------------------------------------- */

#define HEAD_BYTES 4096u

void encoding_sniffer_init(struct encoding_sniffer *s)
{
    memset(s, 0, sizeof(*s));
}

void encoding_sniffer_release(struct encoding_sniffer *s)
{
    free(s->sample);
    memset(s, 0, sizeof(*s));
}

/* Advances the UTF-8 check over data, counting well-formed multi-byte
 * sequences and invalid bytes: a legacy code page gives many invalid
 * bytes and few sequences that happen to be well-formed, a UTF-8 file
 * with a stray byte the reverse. */
static void utf8_feed(struct encoding_sniffer *s, const unsigned char *d, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = d[i];
        if (s->need) {
            if (c < s->lo || c > s->hi) {
                s->invalid_count++;
                s->need = 0;
                continue; /* c may start the next sequence */
            }
            s->lo = 0x80;
            s->hi = 0xBF;
            if (--s->need == 0)
                s->valid_multi++;
            i++;
            continue;
        }
        if (c < 0x80) {
            /* plain ASCII runs are the common case: skipped many bytes at a time */
            i += bytescan_ascii((const char *)d + i, len - i);
            while (i < len && d[i] < 0x80)
                i++;
            continue;
        }
        s->lo = 0x80;
        s->hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            s->need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            s->need = 2;
            if (c == 0xE0)
                s->lo = 0xA0;
            else if (c == 0xED)
                s->hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            s->need = 3;
            if (c == 0xF0)
                s->lo = 0x90;
            else if (c == 0xF4)
                s->hi = 0x8F;
        } else {
            s->invalid_count++;
        }
        i++;
    }
}

/* In Shift_JIS, GBK, Big5 and EUC a byte below 0x30 is never part of a
 * multi-byte character (GB18030 uses digits), so cutting there keeps
 * every character of the sample whole. */
static bool is_boundary(unsigned char c)
{
    return c < 0x30;
}

/* Copies the runs of non-boundary bytes that hold non-ASCII bytes. */
static void sample_feed(struct encoding_sniffer *s, const unsigned char *d, size_t len)
{
    if (!s->sample) {
        s->sample = malloc(IPR_ENCODING_SAMPLE_BYTES);
        if (!s->sample)
            return;
    }
    size_t i = s->covered > s->seen ? (size_t)(s->covered - s->seen) : 0;
    while (i < len && s->sample_len < IPR_ENCODING_SAMPLE_BYTES) {
        if (d[i] < 0x80) {
            /* ASCII between the samples: many bytes at a time, as in utf8_feed */
            i++;
            i += bytescan_ascii((const char *)d + i, len - i);
            continue;
        }
        size_t start = i;
        while (start > 0 && !is_boundary(d[start - 1]) && i - start < 256)
            start--;
        size_t end = i;
        while (end < len && !is_boundary(d[end]) && end - start < 1024)
            end++;
        size_t n = end - start;
        if (n + 1 > IPR_ENCODING_SAMPLE_BYTES - s->sample_len)
            break;
        memcpy(s->sample + s->sample_len, d + start, n);
        s->sample_len += n;
        s->sample[s->sample_len++] = ' ';
        i = end;
    }
    s->covered = s->seen + i;
}

bool encoding_sniffer_feed(struct encoding_sniffer *s, const char *data, size_t len)
{
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = 0; i < len && s->head_have < sizeof(s->head); i++)
        s->head[s->head_have++] = data[i];
    for (size_t i = 0; i < len && s->head_len < HEAD_BYTES; i++, s->head_len++)
        if (d[i] == 0)
            s->zeros[s->head_len & 1]++;
    utf8_feed(s, d, len);
    if (s->sample_len < IPR_ENCODING_SAMPLE_BYTES)
        sample_feed(s, d, len);
    s->seen += len;
    return !(s->invalid_count && s->sample_len + 1024 >= IPR_ENCODING_SAMPLE_BYTES);
}

/* Invalid sequences when the sample is decoded as enc; -1 when the
 * converter cannot be opened. */
static long decode_errors(const struct encoding *enc, const char *text, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(enc->converter, &err);
    if (U_FAILURE(err))
        return -1;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    long errors = 0;
    UChar out[1024];
    const char *src = text, *lim = text + len;
    while (src < lim || err == U_BUFFER_OVERFLOW_ERROR) {
        UChar *dst = out;
        err = U_ZERO_ERROR;
        ucnv_toUnicode(cnv, &dst, out + IPR_ARRAY_LEN(out), &src, lim, NULL, true, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR)
            continue;
        if (U_FAILURE(err)) {
            errors++;
            err = U_ZERO_ERROR;
        } else if (src == lim) {
            break;
        }
    }
    ucnv_close(cnv);
    return errors;
}

static size_t preference(const char *name)
{
    for (size_t i = 0; i < IPR_ARRAY_LEN(preferred); i++)
        if (strcmp(preferred[i], name) == 0)
            return i;
    return IPR_ARRAY_LEN(preferred);
}

/* The detector's best candidate that decodes the sample cleanly. */
static ipr_status detect_legacy(struct encoding_sniffer *s, struct encoding *out)
{
    encoding_lookup("windows-1252", out);
    if (!s->sample || s->sample_len == 0)
        return IPR_OK;
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err))
        return err == U_MEMORY_ALLOCATION_ERROR ? IPR_ENOMEM : IPR_OK;
    ucsdet_setText(det, s->sample, (int32_t)s->sample_len, &err);
    int32_t count = 0;
    const UCharsetMatch **matches = U_SUCCESS(err) ? ucsdet_detectAll(det, &count, &err) : NULL;
    int best_conf = -1;
    size_t best_pref = 0;
    for (int32_t i = 0; matches && i < count; i++) {
        UErrorCode e = U_ZERO_ERROR;
        const char *name = ucsdet_getName(matches[i], &e);
        int conf = ucsdet_getConfidence(matches[i], &e);
        struct encoding cand;
        if (U_FAILURE(e) || !name || strncmp(name, "UTF-", 4) == 0 ||
            strncmp(name, "ISO-2022", 8) == 0 || encoding_lookup(name, &cand) != IPR_OK)
            continue;
        if (conf < best_conf || (conf == best_conf && preference(cand.name) >= best_pref))
            continue;
        if (decode_errors(&cand, s->sample, s->sample_len) != 0)
            continue;
        *out = cand;
        best_conf = conf;
        best_pref = preference(cand.name);
    }
    ucsdet_close(det);
    return IPR_OK;
}

ipr_status encoding_sniffer_finish(struct encoding_sniffer *s, bool complete, struct encoding *out)
{
    memset(out, 0, sizeof(*out));
    if (encoding_from_bom(s->head, s->head_have, out))
        return IPR_OK;
    /* text in UTF-16 without a mark: ASCII characters put a NUL on every
     * other byte */
    size_t pairs = s->head_len / 2;
    if (pairs >= 2) {
        bool odd = s->zeros[1] * 10 >= pairs * 4 && s->zeros[0] * 20 < pairs;
        bool even = s->zeros[0] * 10 >= pairs * 4 && s->zeros[1] * 20 < pairs;
        if (odd || even)
            return encoding_lookup(odd ? "utf-16le" : "utf-16be", out);
    }
    uint64_t invalid = s->invalid_count + (complete && s->need ? 1 : 0);
    if (invalid == 0 || s->valid_multi >= 4 * invalid)
        return encoding_lookup("utf-8", out);
    if (s->seen > 0 && !s->sample)
        return IPR_ENOMEM;
    return detect_legacy(s, out);
}

/* ---- conversion ------------------------------------------------------------------- */

#define DECODER_UNITS   (64u * 1024u) /* UTF-16 units converted per batch */
#define DECODER_RAW_CAP (1024u * 1024u)

struct bad_mark {
    uint64_t conv; /* offset of the 0xFF in the UTF-8 output */
    uint64_t orig; /* offset of the invalid sequence in the original input */
};

struct decoder {
    UConverter *cnv;
    char *prefix; /* owned */
    size_t prefix_len, prefix_pos;
    const char *mem; /* borrowed */
    size_t mem_len, mem_pos;
    int fd;
    bool owns_fd;
    bool raw_eof; /* every raw byte has been handed to the converter */
    bool flushed; /* the converter was told the input ended */
    char *raw;    /* owned buffer for fd reads */
    size_t raw_len, raw_pos;
    uint64_t raw_off; /* original offset of the next raw byte to convert */
    UChar *units;
    UChar high; /* a high surrogate waiting for its low half; 0 when none */
    char *out;  /* UTF-8 converted but not yet handed out */
    size_t out_len, out_pos;
    uint64_t produced; /* UTF-8 bytes written to out since the start */
    struct vec marks;  /* of struct bad_mark, in output order */
};

ipr_status decoder_new(const struct encoding *enc, const char *prefix, size_t prefix_len,
                       const char *mem, size_t mem_len, int fd, bool owns_fd, uint64_t first_offset,
                       struct decoder **out)
{
    *out = NULL;
    struct decoder *d = calloc(1, sizeof(*d));
    if (!d)
        return IPR_ENOMEM;
    d->fd = fd;
    d->owns_fd = owns_fd;
    d->mem = mem;
    d->mem_len = mem ? mem_len : 0;
    d->raw_off = first_offset;
    vec_init(&d->marks, sizeof(struct bad_mark));
    UErrorCode err = U_ZERO_ERROR;
    d->cnv = ucnv_open(enc->converter, &err);
    if (U_SUCCESS(err))
        ucnv_setToUCallBack(d->cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    d->units = malloc(DECODER_UNITS * sizeof(UChar));
    /* three UTF-8 bytes per unit at most, plus one marker per batch */
    d->out = malloc(DECODER_UNITS * 3u + 16u);
    if (prefix_len) {
        d->prefix = malloc(prefix_len);
        if (d->prefix)
            memcpy(d->prefix, prefix, prefix_len);
        d->prefix_len = prefix_len;
    }
    if (U_FAILURE(err) || !d->units || !d->out || (prefix_len && !d->prefix)) {
        d->owns_fd = false; /* the caller keeps it on failure */
        decoder_free(d);
        return U_FAILURE(err) && err != U_MEMORY_ALLOCATION_ERROR ? IPR_ENOTFOUND : IPR_ENOMEM;
    }
    *out = d;
    return IPR_OK;
}

void decoder_free(struct decoder *d)
{
    if (!d)
        return;
    if (d->cnv)
        ucnv_close(d->cnv);
    if (d->owns_fd && d->fd >= 0)
        close(d->fd);
    free(d->prefix);
    free(d->raw);
    free(d->units);
    free(d->out);
    vec_release(&d->marks);
    free(d);
}

/* The next raw bytes not yet converted; *len 0 at the end of the input. */
static ipr_status raw_next(struct decoder *d, const char **data, size_t *len)
{
    if (d->prefix_pos < d->prefix_len) {
        *data = d->prefix + d->prefix_pos;
        *len = d->prefix_len - d->prefix_pos;
        return IPR_OK;
    }
    if (d->mem_pos < d->mem_len) {
        *data = d->mem + d->mem_pos;
        *len = d->mem_len - d->mem_pos;
        return IPR_OK;
    }
    if (d->raw_pos < d->raw_len) {
        *data = d->raw + d->raw_pos;
        *len = d->raw_len - d->raw_pos;
        return IPR_OK;
    }
    *len = 0;
    if (d->fd < 0)
        return IPR_OK;
    if (!d->raw) {
        d->raw = malloc(DECODER_RAW_CAP);
        if (!d->raw)
            return IPR_ENOMEM;
    }
    for (;;) {
        ssize_t n = read(d->fd, d->raw, DECODER_RAW_CAP);
        if (n >= 0) {
            d->raw_len = (size_t)n;
            d->raw_pos = 0;
            *data = d->raw;
            *len = (size_t)n;
            return IPR_OK;
        }
        if (errno != EINTR)
            return IPR_EIO;
    }
}

static void raw_advance(struct decoder *d, size_t n)
{
    if (d->prefix_pos < d->prefix_len)
        d->prefix_pos += n;
    else if (d->mem_pos < d->mem_len)
        d->mem_pos += n;
    else
        d->raw_pos += n;
    d->raw_off += n;
}

static ipr_status add_mark(struct decoder *d, uint64_t orig)
{
    struct bad_mark *m = vec_push(&d->marks);
    if (!m)
        return IPR_ENOMEM;
    m->conv = d->produced + d->out_len;
    m->orig = orig;
    d->out[d->out_len++] = (char)0xFF;
    return IPR_OK;
}

static void put_code_point(struct decoder *d, uint32_t cp)
{
    char *o = d->out + d->out_len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        d->out_len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        d->out_len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        d->out_len += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        d->out_len += 4;
    }
}

/* Appends UTF-16 units as UTF-8.  A lone surrogate cannot come from a
 * correct converter; it is marked like an invalid sequence. */
static ipr_status put_units(struct decoder *d, const UChar *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (d->high) {
            uint32_t hi = d->high;
            d->high = 0;
            if (c >= 0xDC00 && c <= 0xDFFF) {
                put_code_point(d, 0x10000 + ((hi - 0xD800) << 10) + (c - 0xDC00));
                continue;
            }
            ipr_status st = add_mark(d, d->raw_off);
            if (st != IPR_OK)
                return st;
        }
        if (c >= 0xD800 && c <= 0xDBFF) {
            d->high = (UChar)c;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            ipr_status st = add_mark(d, d->raw_off);
            if (st != IPR_OK)
                return st;
        } else {
            put_code_point(d, c);
        }
    }
    return IPR_OK;
}

/* Converts one batch into d->out. */
static ipr_status convert_batch(struct decoder *d)
{
    d->out_len = d->out_pos = 0;
    while (d->out_len == 0) {
        const char *data = NULL;
        size_t len = 0;
        if (!d->raw_eof) {
            ipr_status st = raw_next(d, &data, &len);
            if (st != IPR_OK)
                return st;
            if (len == 0)
                d->raw_eof = true;
        }
        if (d->raw_eof && d->flushed) {
            if (!d->high)
                return IPR_DONE;
            d->high = 0;
            return add_mark(d, d->raw_off);
        }
        const char *src = data ? data : "", *lim = src + len;
        UChar *dst = d->units;
        UErrorCode err = U_ZERO_ERROR;
        ucnv_toUnicode(d->cnv, &dst, d->units + DECODER_UNITS - 1, &src, lim, NULL, d->raw_eof,
                       &err);
        raw_advance(d, (size_t)(src - (data ? data : "")));
        ipr_status st = put_units(d, d->units, (size_t)(dst - d->units));
        if (st != IPR_OK)
            return st;
        if (err == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(err)) {
            if (d->raw_eof && U_SUCCESS(err))
                d->flushed = true;
            continue;
        }
        if (err == U_ILLEGAL_CHAR_FOUND || err == U_INVALID_CHAR_FOUND ||
            err == U_TRUNCATED_CHAR_FOUND) {
            char bad[32];
            int8_t bad_len = (int8_t)sizeof(bad);
            UErrorCode e2 = U_ZERO_ERROR;
            ucnv_getInvalidChars(d->cnv, bad, &bad_len, &e2);
            uint64_t at = d->raw_off - (U_SUCCESS(e2) && bad_len > 0 ? (uint64_t)bad_len : 0);
            st = add_mark(d, at);
            if (st != IPR_OK)
                return st;
            continue;
        }
        return err == U_MEMORY_ALLOCATION_ERROR ? IPR_ENOMEM : IPR_EIO;
    }
    return IPR_OK;
}

ipr_status decoder_pull(void *ctx, char *dst, size_t cap, size_t *len)
{
    struct decoder *d = ctx;
    *len = 0;
    if (d->out_pos == d->out_len) {
        d->produced += d->out_len;
        d->out_len = d->out_pos = 0;
        ipr_status st = convert_batch(d);
        if (st != IPR_OK)
            return st;
    }
    size_t n = d->out_len - d->out_pos;
    if (n > cap)
        n = cap;
    memcpy(dst, d->out + d->out_pos, n);
    d->out_pos += n;
    *len = n;
    return IPR_OK;
}

bool decoder_bad_offset(const struct decoder *d, uint64_t conv_off, uint64_t *orig_off)
{
    for (size_t i = 0; i < d->marks.count; i++) {
        const struct bad_mark *m = vec_at(&d->marks, i);
        if (m->conv == conv_off) {
            *orig_off = m->orig;
            return true;
        }
        if (m->conv > conv_off)
            break;
    }
    return false;
}

void decoder_forget_before(struct decoder *d, uint64_t conv_off)
{
    size_t drop = 0;
    while (drop < d->marks.count && ((struct bad_mark *)vec_at(&d->marks, drop))->conv < conv_off)
        drop++;
    if (drop == 0)
        return;
    size_t keep = d->marks.count - drop;
    if (keep)
        memmove(d->marks.items, vec_at(&d->marks, drop), keep * d->marks.elem_size);
    d->marks.count = keep;
}
