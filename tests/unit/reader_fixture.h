/*
 * reader_fixture.h - what the reader tests (CSV, JSON, caps) share: reading
 * the next record or the end, finding a field by name, the error check, and
 * a text dump of every record for comparing two ways of reading one input.
 *
 * Static inline functions only, so a test may use any subset of them.
 */
#ifndef IPR_TEST_READER_FIXTURE_H
#define IPR_TEST_READER_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "input/reader.h"

static inline const struct ipr_record *next_ok(struct ipr_reader *r)
{
    const struct ipr_record *rec = NULL;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_non_null(rec);
    return rec;
}

/* The end, and it stays the end. */
static inline void assert_done(struct ipr_reader *r)
{
    const struct ipr_record *rec = (const struct ipr_record *)1;
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    assert_null(rec);
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
}

/* The first field called `name` (indices included); NULL when none. */
static inline const struct record_field *field(const struct ipr_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->field_count; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return &rec->fields[i];
    return NULL;
}

/* As field, failing the test when there is none. */
static inline const struct record_field *field_present(const struct ipr_record *rec,
                                                       const char *name)
{
    const struct record_field *f = field(rec, name);
    if (!f)
        fail_msg("no field '%s' in record %llu", name, (unsigned long long)rec->index);
    return f;
}

static inline void assert_error_contains(const struct ipr_record *rec, const char *text)
{
    if (!rec->error)
        fail_msg("record %llu has no error; expected '%s'", (unsigned long long)rec->index, text);
    if (!strstr(rec->error, text))
        fail_msg("error '%s' does not contain '%s'", rec->error, text);
    assert_int_equal(rec->field_count, 0);
}

/* Every record of a reader as text (index, line, key, error, and each
 * field's name, position, kind and value), after the reader's description
 * when asked for.  Free the result. */
static inline char *dump_all(struct ipr_reader *r, bool with_description)
{
    struct buf out;
    buf_init(&out, 0);
    if (with_description)
        assert_int_equal(buf_printf(&out, "%s\n", reader_description(r)), IPR_OK);
    const struct ipr_record *rec;
    ipr_status st;
    while ((st = reader_next(r, &rec)) == IPR_OK) {
        assert_int_equal(buf_printf(&out, "#%llu line %u key %s err %s\n",
                                    (unsigned long long)rec->index, rec->line, rec->key,
                                    rec->error ? rec->error : "-"),
                         IPR_OK);
        for (size_t i = 0; i < rec->field_count; i++) {
            const struct record_field *f = &rec->fields[i];
            assert_int_equal(buf_printf(&out, "  %s@%u:%u(%d)=%s\n", f->name, f->line, f->col,
                                        (int)f->kind, f->value),
                             IPR_OK);
        }
    }
    assert_int_equal(st, IPR_DONE);
    char *s = buf_detach(&out);
    return s ? s : calloc(1, 1);
}

#endif
