/*
 * test_input_chunk.c - values kept as views into the chunk they were read
 * into, and chunks that outlive the reader's window.
 *
 * A JSON string without escapes, or a CSV cell without doubled quotes, is
 * not copied: the record points into the chunk and holds a reference.  A record taken from the
 * reader (reader_take, as the threaded pipeline does) must keep its values while the reader reads
 * megabytes more; the source then moves on to a new chunk instead of overwriting the old one.  Run
 * under ASan, a value read after its chunk was freed fails the test.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "input/chunk.h"
#include "input/reader.h"
#include "input/record.h"
#include "temp_file.h"

static const struct record_field *field(const struct ipr_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->field_count; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return &rec->fields[i];
    fail_msg("no field '%s'", name);
    return NULL;
}

static bool in_chunk(const struct ipr_record *rec, const char *p)
{
    return rec->chunk && p >= rec->chunk->data && p < rec->chunk->data + rec->chunk->cap;
}

/* A file of `lines` JSONL records, each about 200 bytes; the path is
 * written to path (a mkstemp template). */
static void write_lines(char *path, size_t lines)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (size_t i = 0; i < lines; i++)
        fprintf(f,
                "{\"sku\":\"SKU-%06zu\",\"title\":\"Plain title number %zu for a mug\","
                "\"esc\":\"tab\\there %zu\",\"n\":%zu,\"bullets\":[\"first %zu\",\"second\"],"
                "\"pad\":\"%s\"}\n",
                i, i, i, i, i, "................................................................");
    assert_int_equal(fclose(f), 0);
}

static void assert_record(const struct ipr_record *rec, size_t i)
{
    char want[64];
    assert_string_equal(rec->key, (snprintf(want, sizeof(want), "SKU-%06zu", i), want));
    assert_string_equal(
        field(rec, "title")->value,
        (snprintf(want, sizeof(want), "Plain title number %zu for a mug", i), want));
    assert_string_equal(field(rec, "esc")->value,
                        (snprintf(want, sizeof(want), "tab\there %zu", i), want));
    assert_string_equal(field(rec, "bullets[0]")->value,
                        (snprintf(want, sizeof(want), "first %zu", i), want));
    assert_string_equal(field(rec, "n")->value, (snprintf(want, sizeof(want), "%zu", i), want));
}

static void test_plain_strings_are_views(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-chunk-XXXXXX";
    write_lines(path, 3);
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_JSONL, &r), IPR_OK);
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_record(rec, 0);
    assert_non_null(rec->chunk);
    assert_true(in_chunk(rec, field(rec, "title")->value));
    assert_true(in_chunk(rec, field(rec, "bullets[1]")->value));
    assert_true(in_chunk(rec, rec->key)); /* the key is the sku's value */
    /* an escape needs a decoded copy, and a number is not NUL-terminated in the text */
    assert_false(in_chunk(rec, field(rec, "esc")->value));
    assert_false(in_chunk(rec, field(rec, "n")->value));
    reader_free(r);
    unlink(path);
}

/* CSV cells that stand in the input as they are (unquoted, or quoted
 * without doubled quotes) are views; a cell with "" is unescaped into a
 * copy. */
static void test_csv_cells_are_views(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-chunk-XXXXXX";
    const char *text = "sku,title,description,bullet\r\n"
                       "A-1,Plain mug,\"Quoted, with a comma\",\"Say \"\"hi\"\"\"\r\n"
                       "A-2,Last row,x,no newline at the end";
    temp_file_write(path, text, strlen(text));
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_CSV, &r), IPR_OK);
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->key, "A-1");
    assert_string_equal(field(rec, "title")->value, "Plain mug");
    assert_true(in_chunk(rec, field(rec, "title")->value));
    assert_string_equal(field(rec, "description")->value, "Quoted, with a comma");
    assert_true(in_chunk(rec, field(rec, "description")->value));
    assert_string_equal(field(rec, "bullet")->value, "Say \"hi\"");
    assert_false(in_chunk(rec, field(rec, "bullet")->value));
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->key, "A-2");
    assert_string_equal(field(rec, "title")->value, "Last row");
    assert_string_equal(field(rec, "bullet")->value, "no newline at the end");
    assert_true(in_chunk(rec, field(rec, "bullet")->value));
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    reader_free(r);
    unlink(path);
}

static void test_memory_input_is_copied(void **state)
{
    (void)state;
    const char *text = "{\"sku\":\"A\",\"title\":\"t\"}\n";
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem("mem.jsonl", text, strlen(text), IPR_INPUT_JSONL, &r), IPR_OK);
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_null(rec->chunk); /* the caller's bytes are read-only and only lent */
    assert_string_equal(field(rec, "title")->value, "t");
    uintptr_t v = (uintptr_t)field(rec, "title")->value, t = (uintptr_t)text;
    assert_true(v < t || v >= t + strlen(text));
    reader_free(r);
}

/* Records taken early keep their values while the reader reads on through
 * several megabytes, and the reader too may be freed before them. */
static void test_taken_records_outlive_the_window(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-chunk-XXXXXX";
    const size_t lines = 30000; /* about 6 MB: several reads and windows */
    write_lines(path, lines);
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_JSONL, &r), IPR_OK);
    enum { KEPT = 8 };
    struct ipr_record *kept[KEPT] = {NULL};
    const size_t kept_at[KEPT] = {0, 1, 2, 4999, 5000, 5001, 17000, 29999};
    struct ipr_record *slot = NULL;
    size_t k = 0;
    for (size_t i = 0; i < lines; i++) {
        assert_int_equal(reader_take(r, &slot), IPR_OK);
        assert_record(slot, i);
        if (k < KEPT && kept_at[k] == i) {
            kept[k++] = slot; /* keep it: the reader gets a fresh one */
            slot = NULL;
        }
    }
    struct ipr_record *spare = NULL;
    assert_int_equal(reader_take(r, &spare), IPR_DONE);
    reader_free(r);
    unlink(path);
    for (k = 0; k < KEPT; k++) {
        assert_record(kept[k], kept_at[k]);
        assert_non_null(kept[k]->chunk);
    }
    /* records read from one chunk share it; those far apart do not */
    assert_ptr_equal(kept[0]->chunk, kept[1]->chunk);
    assert_ptr_not_equal(kept[0]->chunk, kept[7]->chunk);
    for (k = 0; k < KEPT; k++) {
        record_release(kept[k]);
        free(kept[k]);
    }
    assert_null(slot); /* the last record read was kept */
    record_release(spare);
    free(spare);
}

/* A record reused for the next one lets go of its chunk first, so a reader
 * whose records are not kept compacts one window in place. */
static void test_reset_lets_go_of_the_chunk(void **state)
{
    (void)state;
    struct chunk *c = chunk_new(16);
    assert_non_null(c);
    memcpy(c->data, "abc", 4);
    assert_false(chunk_shared(c));
    struct ipr_record rec;
    record_init(&rec);
    assert_int_equal(record_add_field_view(&rec, "a", 1, c->data, 3, 1, 0, FIELD_STRING, c),
                     IPR_OK);
    assert_true(chunk_shared(c));
    assert_ptr_equal(rec.fields[0].value, c->data);
    /* a view of another chunk is copied: a record holds one chunk */
    struct chunk *other = chunk_new(4);
    memcpy(other->data, "xyz", 4);
    assert_int_equal(record_add_field_view(&rec, "b", 1, other->data, 3, 1, 0, FIELD_STRING, other),
                     IPR_OK);
    assert_false(chunk_shared(other));
    assert_ptr_not_equal(rec.fields[1].value, other->data);
    assert_string_equal(rec.fields[1].value, "xyz");
    record_reset(&rec);
    assert_null(rec.chunk);
    assert_false(chunk_shared(c));
    record_release(&rec);
    chunk_release(c);
    chunk_release(other);
    chunk_release(NULL);
}

/* Chunks grow from bytes to megabytes (past the sizes at which malloc
 * changes how it serves them) and shrink back, and keep their bytes each
 * way. */
static void test_resize_keeps_the_bytes(void **state)
{
    (void)state;
    size_t sizes[] = {100, 300 * 1024, 700 * 1024, 1900 * 1024, 3 * 1024 * 1024, 1000, 5000};
    struct chunk *c = chunk_new(sizes[0]);
    assert_non_null(c);
    for (size_t i = 0; i < sizes[0]; i++)
        c->data[i] = (char)(i * 7);
    size_t filled = sizes[0];
    for (size_t k = 1; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        c = chunk_resize(c, sizes[k]);
        assert_non_null(c);
        assert_true(c->cap >= sizes[k]);
        size_t keep = filled < sizes[k] ? filled : sizes[k];
        for (size_t i = 0; i < keep; i++)
            if (c->data[i] != (char)(i * 7))
                fail_msg("byte %zu lost growing to %zu", i, sizes[k]);
        for (size_t i = keep; i < c->cap; i++)
            c->data[i] = (char)(i * 7); /* all of cap is writable */
        filled = c->cap;
    }
    chunk_retain(c);
    assert_true(chunk_shared(c));
    chunk_release(c);
    assert_false(chunk_shared(c));
    chunk_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_strings_are_views),
        cmocka_unit_test(test_csv_cells_are_views),
        cmocka_unit_test(test_memory_input_is_copied),
        cmocka_unit_test(test_taken_records_outlive_the_window),
        cmocka_unit_test(test_reset_lets_go_of_the_chunk),
        cmocka_unit_test(test_resize_keeps_the_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
