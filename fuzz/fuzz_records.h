/*
 * fuzz_records.h - the reader checks shared by fuzz_csv.c and fuzz_json.c.
 *
 * A reader is driven to its end and every record is checked against the
 * contract of include/iprcheck.h: indices count up from 0, lines never go
 * back, every field view is complete and NUL-terminated, and the reader ends
 * within a bounded number of calls.  The records are also written into a
 * digest, so the same bytes read from memory, from a regular file and
 * through a pipe in small pieces can be compared: how the bytes arrive must
 * not change a record.  Readers are opened with profiles and encodings
 * (reader_open_mem_ex), the way the program opens them.
 */
#ifndef IPR_FUZZ_RECORDS_H
#define IPR_FUZZ_RECORDS_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>

#include "compile/builtin.h"
#include "fuzz_common.h"
#include "input/reader.h"

struct digest {
    char *bytes;
    size_t len, cap;
};

static void digest_add(struct digest *d, const void *p, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 1024;
        while (cap < d->len + n + 1)
            cap *= 2;
        char *b = realloc(d->bytes, cap);
        FUZZ_CHECK(b != NULL);
        d->bytes = b;
        d->cap = cap;
    }
    memcpy(d->bytes + d->len, p, n);
    d->len += n;
}

static void digest_str(struct digest *d, const char *s, size_t n)
{
    digest_add(d, &n, sizeof(n));
    digest_add(d, s, n);
}

static void digest_u64(struct digest *d, uint64_t v)
{
    digest_add(d, &v, sizeof(v));
}

static void check_record(const ipr_record *rec, uint64_t want_index, uint32_t *last_line,
                         const char *file, struct digest *d)
{
    FUZZ_CHECK(ipr_record_index(rec) == want_index);
    uint32_t line = ipr_record_line(rec);
    FUZZ_CHECK(line >= 1 && line >= *last_line);
    *last_line = line;
    FUZZ_CHECK(strcmp(ipr_record_file(rec), file) == 0);
    const char *key = ipr_record_key(rec);
    FUZZ_CHECK(key != NULL);
    const char *err = ipr_record_error(rec);
    FUZZ_CHECK(!err || err[0]);
    digest_u64(d, line);
    digest_str(d, key, strlen(key));
    digest_str(d, err ? err : "", err ? strlen(err) : 0);
    size_t n = ipr_record_field_count(rec);
    digest_u64(d, n);
    for (size_t i = 0; i < n; i++) {
        ipr_field_view f;
        FUZZ_CHECK(ipr_record_field(rec, i, &f) == IPR_OK);
        FUZZ_CHECK(f.path && f.name && f.value);
        FUZZ_CHECK(f.value[f.value_len] == '\0');
        FUZZ_CHECK(f.line >= line);
        digest_str(d, f.name, strlen(f.name));
        digest_str(d, f.path, strlen(f.path));
        digest_str(d, f.value, f.value_len);
        digest_u64(d, ((uint64_t)f.line << 32) | f.col);
    }
    ipr_field_view past;
    FUZZ_CHECK(ipr_record_field(rec, n, &past) != IPR_OK);
}

/* Reads r to its end; returns the final status (IPR_DONE unless the input
 * failed as a whole). */
static ipr_status drain_reader(ipr_reader *r, const char *file, size_t input_len, struct digest *d)
{
    FUZZ_CHECK(ipr_reader_format(r) != IPR_INPUT_AUTO);
    const ipr_record *rec = NULL;
    uint64_t index = 0;
    uint32_t last_line = 0;
    ipr_status st;
    /* every record consumes at least one byte, so the count is bounded */
    while ((st = ipr_reader_next(r, &rec)) == IPR_OK) {
        FUZZ_CHECK(index <= input_len);
        check_record(rec, index, &last_line, file, d);
        index++;
    }
    FUZZ_CHECK(st == IPR_DONE || st == IPR_ELIMIT || st == IPR_ENOMEM || st == IPR_EIO);
    /* the end is sticky */
    FUZZ_CHECK(ipr_reader_next(r, &rec) == st);
    digest_u64(d, (uint64_t)st);
    return st;
}

struct pipe_feed {
    int fd;
    const uint8_t *data;
    size_t size;
    size_t piece; /* bytes per write(2) */
};

static void *feed_pipe(void *arg)
{
    struct pipe_feed *f = arg;
    size_t off = 0;
    while (off < f->size) {
        size_t n = f->size - off < f->piece ? f->size - off : f->piece;
        ssize_t w = write(f->fd, f->data + off, n);
        if (w <= 0)
            break; /* the reader stopped early: EPIPE */
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

/* How one fuzz input is read, decoded from its first byte by the target. */
struct read_mode {
    ipr_input_format format;
    bool profile_auto;  /* profile "auto", else "canonical" */
    bool encoding_auto; /* encoding "auto", else "utf-8" */
    int second;         /* SECOND_* */
    size_t piece;       /* bytes per write into the pipe */
};

enum {
    SECOND_NONE = 0,  /* memory only */
    SECOND_FILE = 1,  /* also a regular file (memfd): must give the same records */
    SECOND_PIPE = 2,  /* also a pipe fed in pieces: the same records when the layout is fixed */
    SECOND_PLAIN = 3, /* also the plain reader (no profile, no decoding) */
};

static struct read_mode read_mode_of(uint8_t b, ipr_input_format if_clear, ipr_input_format if_set)
{
    static const size_t pieces[] = {1, 7, 64, 4096};
    struct read_mode m;
    m.format = (b & 2u) ? IPR_INPUT_AUTO : (b & 1u) ? if_set : if_clear;
    m.profile_auto = b & 4u;
    m.encoding_auto = b & 8u;
    m.second = (b >> 4) & 3;
    m.piece = pieces[(b >> 6) & 3];
    return m;
}

static void mode_config(const struct read_mode *m, struct reader_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->format = m->format;
    cfg->profile = m->profile_auto ? "auto" : "canonical";
    cfg->encoding = m->encoding_auto ? "auto" : "utf-8";
    cfg->builtin = builtin_files;
}

/* Reads data as the mode says from memory, then again the second way; the
 * two must give the same records where the design promises it. */
static void fuzz_reader(const uint8_t *data, size_t size, const struct read_mode *m,
                        const char *mem_name)
{
    struct digest mem = {0}, other = {0};
    struct reader_config cfg;
    mode_config(m, &cfg);
    struct ipr_reader *r = NULL;
    ipr_status st = reader_open_mem_ex(mem_name, (const char *)data, size, &cfg, &r);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM || st == IPR_EUNSUPPORTED); /* binary */
    if (st != IPR_OK)
        return;
    FUZZ_CHECK(ipr_reader_description(r)[0] != '\0');
    for (size_t i = 0, n = ipr_reader_unmapped_count(r); i < n; i++)
        FUZZ_CHECK(ipr_reader_unmapped(r, i) != NULL);
    drain_reader(r, mem_name, size, &mem);
    ipr_reader_free(r);

    bool compare = m->format != IPR_INPUT_AUTO; /* file names differ */
    char path[64];
    if (m->second == SECOND_FILE) {
        int fd = memfd_create("fuzz", 0);
        FUZZ_CHECK(fd >= 0);
        FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        ipr_reader_options o = {m->format, cfg.profile, cfg.encoding, NULL, 0, 0, 0};
        st = ipr_reader_open_ex(path, &o, &r);
        FUZZ_CHECK(st == IPR_OK);
        close(fd);
        drain_reader(r, path, size, &other);
        ipr_reader_free(r);
    } else if (m->second == SECOND_PIPE) {
        /* on a pipe the encoding is judged by the first rows, in a file by
         * all of it: the same records are promised for a fixed encoding */
        compare = compare && !m->encoding_auto;
        int fds[2];
        FUZZ_CHECK(pipe(fds) == 0);
        snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
        struct pipe_feed feed = {fds[1], data, size, m->piece};
        pthread_t t;
        FUZZ_CHECK(pthread_create(&t, NULL, feed_pipe, &feed) == 0);
        ipr_reader_options o = {m->format, cfg.profile, cfg.encoding, NULL, 0, 0, 0};
        st = ipr_reader_open_ex(path, &o, &r);
        FUZZ_CHECK(st == IPR_OK);
        close(fds[0]); /* the reader holds its own descriptor */
        drain_reader(r, path, size, &other);
        ipr_reader_free(r);
        pthread_join(t, NULL);
    } else if (m->second == SECOND_PLAIN) {
        compare = false;
        st = ipr_reader_open_mem(mem_name, (const char *)data, size, m->format, &r);
        FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM);
        if (st == IPR_OK) {
            drain_reader(r, mem_name, size, &other);
            ipr_reader_free(r);
        }
    } else {
        compare = false;
    }
    if (compare && m->second != SECOND_NONE)
        FUZZ_CHECK(mem.len == other.len && memcmp(mem.bytes, other.bytes, mem.len) == 0);
    free(mem.bytes);
    free(other.bytes);
}

#endif
