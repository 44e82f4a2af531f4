/*
 * baseline.c - baseline files (see baseline.h).
 *
 * Fingerprints are kept as 64-bit numbers in one sorted array: a baseline
 * of a million findings is 8 MB and a lookup is a binary search.  Writing
 * goes through output.c, so a failed run never leaves half a baseline.
 */
#define _POSIX_C_SOURCE 200809L
#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define BASELINE_HEADER                                                                            \
    "# iprcheck baseline: fingerprints of known findings, one per line, sorted.\n"                 \
    "# `iprcheck scan --baseline FILE` reports only findings whose fingerprint is not here.\n"

void fingerprints_release(struct fingerprints *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool fingerprint_parse(const char *text, size_t len, uint64_t *out)
{
    if (len != 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = hex_value((unsigned char)text[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

bool fingerprints_add(struct fingerprints *s, uint64_t fp)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *p = realloc(s->items, cap * sizeof *p);
        if (!p)
            return false;
        s->items = p;
        s->cap = cap;
    }
    s->items[s->count++] = fp;
    s->sealed = false;
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void fingerprints_seal(struct fingerprints *s)
{
    if (s->sealed)
        return;
    if (s->count)
        qsort(s->items, s->count, sizeof *s->items, cmp_u64);
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (n == 0 || s->items[n - 1] != s->items[i])
            s->items[n++] = s->items[i];
    }
    s->count = n;
    s->sealed = true;
}

bool fingerprints_contains(const struct fingerprints *s, uint64_t fp)
{
    return s->count && bsearch(&fp, s->items, s->count, sizeof *s->items, cmp_u64) != NULL;
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool baseline_parse(const char *name, const char *text, size_t len, struct fingerprints *s,
                    char *err, size_t err_len)
{
    size_t line_no = 0;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - line) : len - pos;
        pos += line_len + (nl ? 1 : 0);
        line_no++;
        size_t i = 0;
        while (i < line_len && is_blank((unsigned char)line[i]))
            i++;
        if (i == line_len || line[i] == '#')
            continue;
        size_t start = i;
        while (i < line_len && !is_blank((unsigned char)line[i]) && line[i] != '#')
            i++;
        uint64_t fp;
        bool ok = fingerprint_parse(line + start, i - start, &fp);
        while (ok && i < line_len && is_blank((unsigned char)line[i]))
            i++;
        if (!ok || (i < line_len && line[i] != '#')) {
            snprintf(err, err_len,
                     "%s:%zu:%zu: error: expected one fingerprint (16 hex digits) per line", name,
                     line_no, (ok ? i : start) + 1);
            return false;
        }
        if (!fingerprints_add(s, fp)) {
            snprintf(err, err_len, "%s: error: out of memory", name);
            return false;
        }
    }
    fingerprints_seal(s);
    return true;
}

bool baseline_read(const char *path, struct fingerprints *s, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot read baseline '%s': %s", path, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64 * 1024;
            char *p = realloc(text, cap);
            if (!p) {
                ok = false;
                snprintf(err, err_len, "cannot read baseline '%s': out of memory", path);
                break;
            }
            text = p;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ok && ferror(f)) {
        ok = false;
        snprintf(err, err_len, "cannot read baseline '%s': %s", path, strerror(errno));
    }
    fclose(f);
    if (ok)
        ok = baseline_parse(path, text ? text : "", len, s, err, err_len);
    free(text);
    return ok;
}

bool baseline_render(struct fingerprints *s, char **out, size_t *out_len)
{
    fingerprints_seal(s);
    size_t header = sizeof BASELINE_HEADER - 1;
    size_t len = header + s->count * 17;
    char *text = malloc(len + 1);
    if (!text)
        return false;
    memcpy(text, BASELINE_HEADER, header);
    char *p = text + header;
    for (size_t i = 0; i < s->count; i++) {
        snprintf(p, 18, "%016llx\n", (unsigned long long)s->items[i]);
        p += 17;
    }
    *p = '\0';
    *out = text;
    *out_len = len;
    return true;
}

bool baseline_write(const char *path, struct fingerprints *s, char *err, size_t err_len)
{
    char *text = NULL;
    size_t len = 0;
    if (!baseline_render(s, &text, &len)) {
        snprintf(err, err_len, "cannot write baseline '%s': out of memory", path);
        return false;
    }
    struct output out;
    bool ok = output_open(&out, path);
    if (!ok) {
        snprintf(err, err_len, "cannot write baseline '%s': %s", path, strerror(errno));
    } else {
        output_write(text, len, &out);
        ok = output_close(&out, true);
        if (!ok)
            snprintf(err, err_len, "cannot write baseline '%s': %s", path,
                     strerror(out.error ? out.error : EIO));
    }
    free(text);
    return ok;
}
