/*
 * fuzz_records.h - the reader checks shared by fuzz_csv.c and fuzz_json.c.
 *
 * A reader is driven to its end and every record is checked against the
 * contract of include/iprcheck.h: indices count up from 0, lines never go
 * back, every field view is complete and NUL-terminated, and the reader ends
 * within a bounded number of calls.  The records are also written into a
 * digest, so the same bytes read from memory and through a pipe in small
 * pieces can be compared: streaming must not change a single record.
 */
#ifndef IPR_FUZZ_RECORDS_H
#define IPR_FUZZ_RECORDS_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iprcheck.h"
#include "fuzz_common.h"

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

/* Reads data as `format` from memory and again through a pipe written in
 * pieces of `piece` bytes; both must give the same records. */
static void fuzz_reader(const uint8_t *data, size_t size, ipr_input_format format,
                        const char *mem_name, bool through_pipe, size_t piece)
{
    struct digest mem = {0}, piped = {0};
    ipr_reader *r = NULL;
    ipr_status st = ipr_reader_open_mem(mem_name, (const char *)data, size, format, &r);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM);
    if (st != IPR_OK)
        return;
    drain_reader(r, mem_name, size, &mem);
    ipr_reader_free(r);

    if (through_pipe && format != IPR_INPUT_AUTO) {
        int fds[2];
        FUZZ_CHECK(pipe(fds) == 0);
        char path[32];
        snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
        struct pipe_feed feed = {fds[1], data, size, piece ? piece : 1};
        pthread_t t;
        FUZZ_CHECK(pthread_create(&t, NULL, feed_pipe, &feed) == 0);
        st = ipr_reader_open(path, format, &r);
        FUZZ_CHECK(st == IPR_OK);
        close(fds[0]); /* the reader holds its own descriptor */
        drain_reader(r, path, size, &piped);
        ipr_reader_free(r);
        pthread_join(t, NULL);
        /* the file name differs; everything else must not */
        FUZZ_CHECK(mem.len == piped.len && memcmp(mem.bytes, piped.bytes, mem.len) == 0);
    }
    free(mem.bytes);
    free(piped.bytes);
}

#endif
