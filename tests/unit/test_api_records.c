/*
 * test_api_records.c - records outliving their reader: a clone is a deep
 * copy, and copying another record into it replaces everything, whatever
 * the sizes, so the threads' batches can reuse their records; a record
 * taken from the reader is its own and stays as read while the reader
 * goes on with the record given in exchange.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iprcheck.h"

static ipr_reader *open_jsonl(const char *data)
{
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_mem("in.jsonl", data, strlen(data), IPR_INPUT_JSONL, &r),
                     IPR_OK);
    return r;
}

static void same_record(const ipr_record *a, const ipr_record *b)
{
    assert_int_equal(ipr_record_field_count(a), ipr_record_field_count(b));
    assert_string_equal(ipr_record_key(a), ipr_record_key(b));
    assert_int_equal(ipr_record_line(a), ipr_record_line(b));
    for (size_t i = 0; i < ipr_record_field_count(a); i++) {
        ipr_field_view fa, fb;
        assert_int_equal(ipr_record_field(a, i, &fa), IPR_OK);
        assert_int_equal(ipr_record_field(b, i, &fb), IPR_OK);
        assert_string_equal(fa.name, fb.name);
        assert_string_equal(fa.path, fb.path);
        assert_int_equal(fa.value_len, fb.value_len);
        assert_memory_equal(fa.value, fb.value, fa.value_len);
    }
}

static void test_clone_then_copy(void **state)
{
    (void)state;
    const char *data =
        "{\"sku\":\"A1\",\"title\":\"mug\",\"bullets\":[\"a\",\"b\",\"c\"],\"n\":1}\n"
        "{\"sku\":\"B2\",\"title\":\"a much longer title than before\"}\n"
        "{\"sku\":\"C3\",\"title\":\"\\u00e9t\\u00e9\",\"images\":[{\"alt_text\":\"x\"}]}\n";
    ipr_reader *r = open_jsonl(data);
    const ipr_record *rec;
    ipr_record *slot = NULL;
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    assert_int_equal(ipr_record_clone(rec, &slot), IPR_OK);
    same_record(slot, rec);
    while (ipr_reader_next(r, &rec) == IPR_OK) {
        assert_int_equal(ipr_record_copy(slot, rec), IPR_OK); /* fewer, then more fields */
        same_record(slot, rec);
    }
    assert_string_equal(ipr_record_key(slot), "C3");
    assert_int_equal(ipr_record_copy(slot, slot), IPR_EINVAL);
    assert_int_equal(ipr_record_copy(NULL, rec), IPR_EINVAL);
    assert_int_equal(ipr_record_copy(slot, NULL), IPR_EINVAL);
    ipr_record_free(slot);
    ipr_reader_free(r);
}

static void test_take_hands_records_over(void **state)
{
    (void)state;
    const char *data = "{\"sku\":\"A1\",\"title\":\"mug\",\"bullets\":[\"a\",\"b\"]}\n"
                       "\n"
                       "{\"sku\":\"B2\",\"title\":\"a much longer title than before\"}\n"
                       "{\"title\":\"no sku\"\n";
    ipr_reader *r = open_jsonl(data);
    ipr_record *a = NULL, *b = NULL;
    assert_int_equal(ipr_reader_take(r, &a), IPR_OK);
    assert_non_null(a);
    assert_string_equal(ipr_record_key(a), "A1");
    assert_int_equal(ipr_record_field_count(a), 4); /* sku, title, two bullets */
    assert_int_equal(ipr_reader_take(r, &b), IPR_OK);
    assert_string_equal(ipr_record_key(b), "B2");
    assert_int_equal(ipr_record_line(b), 3);
    /* the reader moved on; what a holds is untouched */
    assert_string_equal(ipr_record_key(a), "A1");
    ipr_field_view f;
    assert_int_equal(ipr_record_field(a, 1, &f), IPR_OK);
    assert_string_equal(f.value, "mug");
    assert_string_equal(ipr_record_file(a), "in.jsonl");
    ipr_record *given = a;
    assert_int_equal(ipr_reader_take(r, &a), IPR_OK); /* a's record goes back to the reader */
    assert_ptr_not_equal(a, given);
    assert_non_null(ipr_record_error(a)); /* the broken last line is still a record */
    assert_string_equal(ipr_record_key(a), "2");
    assert_string_equal(ipr_record_key(b), "B2");
    ipr_record *kept = b;
    assert_int_equal(ipr_reader_take(r, &b), IPR_DONE);
    assert_ptr_equal(b, kept); /* nothing changes hands at the end */
    assert_int_equal(ipr_reader_take(r, NULL), IPR_EINVAL);
    assert_int_equal(ipr_reader_take(NULL, &b), IPR_EINVAL);
    ipr_record_free(a);
    ipr_record_free(b);
    ipr_reader_free(r);
}

static void test_copy_of_an_error_record(void **state)
{
    (void)state;
    const char *data = "{\"sku\":\"A1\",\"title\":\"mug\"}\n{\"sku\": broken\n";
    ipr_reader *r = open_jsonl(data);
    const ipr_record *rec;
    ipr_record *slot = NULL;
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    assert_int_equal(ipr_record_clone(rec, &slot), IPR_OK);
    assert_null(ipr_record_error(slot));
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    assert_non_null(ipr_record_error(rec));
    assert_int_equal(ipr_record_copy(slot, rec), IPR_OK);
    assert_string_equal(ipr_record_error(slot), ipr_record_error(rec));
    assert_int_equal(ipr_record_field_count(slot), 0);
    ipr_record_free(slot);
    ipr_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clone_then_copy),
        cmocka_unit_test(test_take_hands_records_over),
        cmocka_unit_test(test_copy_of_an_error_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
