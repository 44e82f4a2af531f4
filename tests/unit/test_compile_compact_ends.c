/*
 * test_compile_compact_ends.c - the ends of the run-together forms
 * (markset.compact_ends): every word one edit from a run-together form
 * with near-misses passes markset_may_be_near_compact (a deletion, an
 * insertion or a change of any byte, two bytes swapped), as the scanner
 * needs no false "no"; most other words do not pass; a registry without
 * such forms passes none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/limits.h"
#include "base/normalize.h"
#include "compile/markset.h"
#include "markset_fixture.h"
#include "registry/registry.h"

enum { NAMES = 400 };

static uint32_t next_random(uint32_t *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

/* A registry of two-word names, 4 to 11 letters each: their run-together
 * forms are 8 to 22 letters. */
static char *two_word_names(uint32_t seed, size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "registry: t\nversion: '1'\nmarks:\n"), IPR_OK);
    uint32_t x = seed;
    for (size_t i = 0; i < NAMES; i++) {
        char words[2][12];
        for (size_t w = 0; w < 2; w++) {
            size_t n = 4 + next_random(&x) % 8;
            for (size_t k = 0; k < n; k++)
                words[w][k] = (char)('a' + next_random(&x) % 26);
            words[w][n] = '\0';
        }
        assert_int_equal(buf_printf(&b, "  - {mark: '%s %s'}\n", words[0], words[1]), IPR_OK);
    }
    *len = b.len;
    return buf_detach(&b);
}

static size_t failures;

static void expect_passes(const struct markset *ms, const char *w, size_t n, const char *form)
{
    if (n < MARKSET_NEAR_COMPACT_MIN - 1 || n > IPR_NEAR_SPELLING_MAX)
        return; /* not a pair the scanner looks up */
    if (!markset_may_be_near_compact(ms, w, n) && failures++ < 5)
        print_message("%.*s, one edit from %s, does not pass\n", (int)n, w, form);
}

static void test_every_edit_passes(void **state)
{
    (void)state;
    size_t len;
    char *yaml = two_word_names(7, &len);
    struct loaded l;
    load_len(&l, yaml, len);
    build(&l);
    const struct markset *ms = &l.ms;
    assert_non_null(ms->compact_ends);
    size_t forms = 0, edits = 0;
    failures = 0;
    char w[IPR_NEAR_SPELLING_MAX + 2];
    for (size_t f = 0; f < ms->form_count; f++) {
        if (ms->forms[f].near != FORM_NEAR_COMPACT)
            continue;
        const char *s = markset_form_text(ms, &ms->forms[f]);
        size_t n = markset_form_len(ms, &ms->forms[f]);
        forms++;
        expect_passes(ms, s, n, s);
        for (size_t p = 0; p <= n; p++) {
            if (p < n) { /* deleted */
                memcpy(w, s, p);
                memcpy(w + p, s + p + 1, n - p - 1);
                expect_passes(ms, w, n - 1, s);
            }
            for (int c = 0; c < 256; c++) { /* inserted, changed: any byte */
                memcpy(w, s, p);
                w[p] = (char)c;
                memcpy(w + p + 1, s + p, n - p);
                expect_passes(ms, w, n + 1, s);
                if (p < n) {
                    memcpy(w, s, n);
                    w[p] = (char)c;
                    expect_passes(ms, w, n, s);
                }
            }
            if (p + 1 < n) { /* swapped */
                memcpy(w, s, n);
                w[p] = s[p + 1];
                w[p + 1] = s[p];
                expect_passes(ms, w, n, s);
            }
            edits++;
        }
    }
    print_message("%zu run-together forms, %zu places edited\n", forms, edits);
    assert_true(forms > NAMES / 2);
    assert_int_equal(failures, 0);

    /* words of 7 to 22 letters from another draw: at 8 bits a bit set
     * for each end, about one in eight passes at each end */
    uint32_t x = 99;
    size_t passed = 0, tried = 20000;
    for (size_t t = 0; t < tried; t++) {
        size_t n = 7 + next_random(&x) % 16;
        for (size_t k = 0; k < n; k++)
            w[k] = (char)('a' + next_random(&x) % 26);
        passed += markset_may_be_near_compact(ms, w, n);
    }
    print_message("other words passed: %zu of %zu\n", passed, tried);
    assert_true(passed * 100 <= tried * 30);
    release(&l);
    free(yaml);
}

/* Names of one word have no run-together form: no word passes. */
static void test_no_run_together_forms(void **state)
{
    (void)state;
    static const char yaml[] = "registry: t\nversion: '1'\nmarks:\n"
                               "  - {mark: Zorvexalon}\n  - {mark: Quentramix}\n";
    struct loaded l;
    load(&l, yaml);
    build(&l);
    assert_null(l.ms.compact_ends);
    assert_false(markset_may_be_near_compact(&l.ms, "zorvexalon", 10));
    assert_false(markset_may_be_near_compact(&l.ms, "quentramixx", 11));
    release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_edit_passes),
        cmocka_unit_test(test_no_run_together_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
