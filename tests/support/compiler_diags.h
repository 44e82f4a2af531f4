/*
 * compiler_diags.h - a compiler's diagnostics kept past ipr_compiler_free,
 * and two such lists compared entry by entry (tests that compile the same
 * input in two ways and want the same messages in the same order).
 */
#ifndef IPR_TEST_COMPILER_DIAGS_H
#define IPR_TEST_COMPILER_DIAGS_H

#include "base/diag.h"
#include "iprcheck.h"

/* Copies every diagnostic of c, in its order, into out (initialized
 * here; release it with diag_list_release). */
void compiler_diags_copy(const ipr_compiler *c, struct diag_list *out);

/* Fails the test unless a and b hold the same diagnostics in the same
 * order: file, line, column, level and message. */
void compiler_diags_expect_same(const struct diag_list *a, const struct diag_list *b);

#endif
