/*
 * test_api_records.c - records outliving their reader: a clone is a deep
 * copy, and copying another record into it replaces everything, whatever
 * the sizes, so the threads' batches can reuse their records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iprcheck.h"

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
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_mem("in.jsonl", data, strlen(data), IPR_INPUT_JSONL, &r),
                     IPR_OK);
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

static void test_copy_of_an_error_record(void **state)
{
    (void)state;
    const char *data = "{\"sku\":\"A1\",\"title\":\"mug\"}\n{\"sku\": broken\n";
    ipr_reader *r = NULL;
    assert_int_equal(ipr_reader_open_mem("in.jsonl", data, strlen(data), IPR_INPUT_JSONL, &r),
                     IPR_OK);
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
        cmocka_unit_test(test_copy_of_an_error_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
