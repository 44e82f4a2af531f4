/*
 * test_input_record.c - a field's canonical path: its name without the
 * indices, which selectors match; a '[' without its ']' is kept as it is,
 * and a short output buffer gets a cut, terminated prefix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "input/record.h"

static void path_is(const char *name, const char *want)
{
    char out[64];
    size_t n = record_canonical_path(name, strlen(name), out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_indices_are_dropped(void **state)
{
    (void)state;
    path_is("title", "title");
    path_is("bullets[0]", "bullets");
    path_is("images[12].alt_text", "images.alt_text");
    path_is("grid[0][1]", "grid");
    path_is("a[1].b[22].c", "a.b.c");
    path_is("[3]", "");
    path_is("a[b[c]d", "ad"); /* the first ']' closes */
    path_is("size[", "size[");
    path_is("x[1]y[", "xy[");
    path_is("", "");
}

static void test_short_buffer_gets_a_terminated_prefix(void **state)
{
    (void)state;
    char out[6];
    const char *name = "images[1].alt_text";
    assert_int_equal(record_canonical_path(name, strlen(name), out, sizeof(out)), 15);
    assert_string_equal(out, "image");
    assert_int_equal(record_canonical_path(name, 9, out, 1), 6);
    assert_string_equal(out, "");
    /* the name need not be terminated: only name_len bytes are read */
    assert_int_equal(record_canonical_path("tags[0]XYZ", 7, out, sizeof(out)), 4);
    assert_string_equal(out, "tags");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indices_are_dropped),
        cmocka_unit_test(test_short_buffer_gets_a_terminated_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
