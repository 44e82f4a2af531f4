/*
 * test_compile_splits.c - the filter of the first parts of compound marks
 * (markset.split_firsts): every cut of every name that may be split
 * passes it, few words that start no split do, and it stays small.  What
 * the scanner finds with it ("Otter Box") is test_match_marks's.
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
#include "base/normalize.h"
#include "base/strmap.h"
#include "compile/markset.h"
#include "markset_fixture.h"
#include "registry/registry.h"

enum { NAMES = 4000, NAME_MIN = 8, NAME_MAX = 12 };

/* Deterministic names of 8 to 12 letters a to p: no cut of one holds a
 * letter past p, so words with such a letter start no split. */
static void make_names(char names[NAMES][NAME_MAX + 1])
{
    uint32_t x = 12345;
    for (size_t i = 0; i < NAMES; i++) {
        x = x * 1664525u + 1013904223u;
        size_t n = NAME_MIN + (x >> 24) % (NAME_MAX - NAME_MIN + 1);
        for (size_t k = 0; k < n; k++) {
            x = x * 1664525u + 1013904223u;
            names[i][k] = (char)('a' + (x >> 24) % 16);
        }
        names[i][n] = '\0';
    }
}

static bool may_start_split(const struct markset *ms, const char *word, size_t len)
{
    return hash_filter_may_hold(ms->split_firsts, ms->split_firsts_cap, strmap_hash(word, len));
}

static void test_split_filter(void **state)
{
    (void)state;
    static char names[NAMES][NAME_MAX + 1];
    make_names(names);
    struct buf yaml;
    buf_init(&yaml, 0);
    assert_int_equal(buf_append_str(&yaml, "registry: t\nversion: '1'\nmarks:\n"), IPR_OK);
    size_t cuts = 0;
    for (size_t i = 0; i < NAMES; i++) {
        assert_int_equal(buf_append_str(&yaml, "  - {mark: "), IPR_OK);
        assert_int_equal(buf_append_str(&yaml, names[i]), IPR_OK);
        assert_int_equal(buf_append_str(&yaml, "}\n"), IPR_OK);
        cuts += strlen(names[i]) - 5;
    }
    struct loaded l;
    load_len(&l, yaml.data, yaml.len);
    build(&l);
    const struct markset *ms = &l.ms;
    assert_int_equal(ms->split_name_max, NAME_MAX);

    /* every first part, three letters or more, that leaves three or more */
    for (size_t i = 0; i < NAMES; i++)
        for (size_t cut = 3; cut + 3 <= strlen(names[i]); cut++)
            if (!may_start_split(ms, names[i], cut))
                fail_msg("%.*s, the first part of %s, does not pass", (int)cut, names[i], names[i]);

    /* at most 8 bits a cut (20,000 here; 16 to 32 before, most of them
     * spent on cuts that many names share) */
    size_t bits = ms->split_firsts_cap * 8;
    print_message("%zu cuts, %zu bits\n", cuts, bits);
    assert_true(bits <= cuts * 8);

    /* words of 3 to 9 letters, each with a letter no name has: 6,371 of
     * 100,000 pass (both bits of a key set by chance), two in a hundred
     * with the benchmark's 100,000 marks, whose names share more cuts */
    uint32_t x = 777;
    size_t passed = 0, tried = 100000;
    char word[16];
    for (size_t t = 0; t < tried; t++) {
        x = x * 1664525u + 1013904223u;
        size_t n = 3 + (x >> 24) % 7;
        for (size_t k = 0; k < n; k++) {
            x = x * 1664525u + 1013904223u;
            word[k] = (char)('a' + (x >> 24) % 26);
        }
        word[(x >> 16) % n] = 'z';
        passed += may_start_split(ms, word, n);
    }
    print_message("false passes %zu of %zu\n", passed, tried);
    assert_true(passed * 100 <= tried * 8);

    release(&l);
    buf_release(&yaml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
