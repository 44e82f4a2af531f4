/*
 * test_base_diag.c - the diagnostic list: messages are formatted and
 * copied, errors counted, and one list appended to another keeps its order,
 * its counts and its text after the first list is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/diag.h"

static void test_add_copies_and_counts(void **state)
{
    (void)state;
    struct diag_list d;
    diag_list_init(&d);
    char file[] = "marks.yaml";
    diag_add(&d, IPR_DIAG_ERROR, file, 3, 7, "bad '%s' at %d", "x", 42);
    diag_add(&d, IPR_DIAG_WARNING, NULL, 0, 0, "a warning");
    file[0] = 'X'; /* the list keeps its own copy */
    assert_int_equal(diag_count(&d), 2);
    assert_int_equal(d.error_count, 1);
    const ipr_diag *e = diag_get(&d, 0);
    assert_string_equal(e->file, "marks.yaml");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->col, 7);
    assert_string_equal(e->message, "bad 'x' at 42");
    assert_string_equal(diag_get(&d, 1)->file, "");
    diag_list_release(&d);
}

static void test_append_keeps_order_and_text(void **state)
{
    (void)state;
    struct diag_list d, from;
    diag_list_init(&d);
    diag_list_init(&from);
    diag_add(&d, IPR_DIAG_WARNING, "a.yaml", 1, 1, "first");
    diag_add(&from, IPR_DIAG_ERROR, "b.yaml", 9, 2, "second %s", "with 100% text");
    diag_add(&from, IPR_DIAG_WARNING, "b.yaml", 10, 0, "third");
    diag_add(&from, IPR_DIAG_ERROR, "c.csv", 4, 0, "fourth");
    diag_list_append(&d, &from);
    diag_list_release(&from); /* d's copies outlive it */
    assert_int_equal(diag_count(&d), 4);
    assert_int_equal(d.error_count, 2);
    static const struct {
        const char *file, *message;
        uint32_t line, col;
        ipr_diag_level level;
    } want[] = {{"a.yaml", "first", 1, 1, IPR_DIAG_WARNING},
                {"b.yaml", "second with 100% text", 9, 2, IPR_DIAG_ERROR},
                {"b.yaml", "third", 10, 0, IPR_DIAG_WARNING},
                {"c.csv", "fourth", 4, 0, IPR_DIAG_ERROR}};
    for (size_t i = 0; i < 4; i++) {
        const ipr_diag *x = diag_get(&d, i);
        assert_string_equal(x->file, want[i].file);
        assert_string_equal(x->message, want[i].message);
        assert_int_equal(x->line, want[i].line);
        assert_int_equal(x->col, want[i].col);
        assert_int_equal(x->level, want[i].level);
    }
    assert_false(d.out_of_memory);
    diag_list_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_copies_and_counts),
        cmocka_unit_test(test_append_keeps_order_and_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
