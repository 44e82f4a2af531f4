/*
 * compiler_diags.c - see compiler_diags.h.
 */
#include "compiler_diags.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

void compiler_diags_copy(const ipr_compiler *c, struct diag_list *out)
{
    diag_list_init(out);
    for (size_t i = 0; i < ipr_compiler_diag_count(c); i++) {
        const ipr_diag *x = ipr_compiler_diag(c, i);
        diag_add(out, x->level, x->file, x->line, x->col, "%s", x->message);
    }
}

void compiler_diags_expect_same(const struct diag_list *a, const struct diag_list *b)
{
    assert_int_equal(diag_count(a), diag_count(b));
    for (size_t i = 0; i < diag_count(a); i++) {
        const ipr_diag *x = diag_get(a, i), *y = diag_get(b, i);
        assert_string_equal(x->file, y->file);
        assert_string_equal(x->message, y->message);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->col, y->col);
        assert_int_equal(x->level, y->level);
    }
}
