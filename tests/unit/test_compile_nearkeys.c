/*
 * test_compile_nearkeys.c - the near-miss filter: a spelling's keys (itself
 * and each of its one-letter deletions) are always held; with thousands of
 * spellings few other words pass (the rate the lookups on a false pass are
 * budgeted for); an empty filter holds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/strmap.h"
#include "compile/nearkeys.h"

static bool holds(const struct nearkeys *nk, const char *key)
{
    return nearkeys_may_hold(nk, strmap_hash(key, strlen(key)));
}

static void test_spelling_and_deletions(void **state)
{
    (void)state;
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, 6 + 6), IPR_OK);
    nearkeys_add_spelling(&nk, "gucci", 5);
    assert_int_equal(nk.key_count, 6);
    nearkeys_add_spelling(&nk, "denimtears", 10);
    assert_int_equal(nk.key_count, 17); /* sized for fewer: more keys only pass more */
    const char *keys[] = {"gucci",      "ucci",      "gcci",      "guci",     "gucc",
                          "denimtears", "enimtears", "denimtear", "denmtears"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(keys); i++)
        assert_true(holds(&nk, keys[i]));
    /* with a handful of keys in a block of 512 bits, another word passes
     * only by a collision of all eight bits: these do not */
    const char *others[] = {"pucci", "guccia", "gu", "denim", "tears", "", "nike"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(others); i++)
        assert_false(holds(&nk, others[i]));
    nearkeys_release(&nk);
}

static void test_false_passes_are_rare(void **state)
{
    (void)state;
    enum { SPELLINGS = 20000 };
    static char names[SPELLINGS][24];
    size_t keys = 0;
    for (unsigned i = 0; i < SPELLINGS; i++) {
        snprintf(names[i], sizeof(names[i]), "brand%uzq", i * 7919u);
        keys += strlen(names[i]) + 1;
    }
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, keys), IPR_OK);
    for (unsigned i = 0; i < SPELLINGS; i++)
        nearkeys_add_spelling(&nk, names[i], strlen(names[i]));
    assert_int_equal(nk.key_count, keys);
    /* 12 bits per key: the filter is a byte and a half a key */
    assert_true(nk.block_count * NEARKEYS_BLOCK_WORDS * 8 <= keys * 3 / 2 + 64);
    char key[32];
    for (unsigned i = 0; i < SPELLINGS; i++) {
        size_t n = strlen(names[i]);
        assert_true(holds(&nk, names[i]));
        for (size_t d = 0; d < n; d++) {
            memcpy(key, names[i], d);
            memcpy(key + d, names[i] + d + 1, n - d);
            assert_true(holds(&nk, key));
        }
    }
    /* words that are no key: two letters off every spelling */
    size_t passed = 0, tried = 0;
    for (unsigned i = 0; i < SPELLINGS; i++) {
        for (unsigned v = 0; v < 10; v++, tried++) {
            snprintf(key, sizeof(key), "x%c%s", 'a' + v, names[i] + 2);
            passed += holds(&nk, key);
        }
    }
    /* about one in 300 (634 of 200,000; 136 at 16 bits a key); a filter
     * that lost its bits per word or its spread over blocks passes far
     * more */
    print_message("false passes: %zu of %zu\n", passed, tried);
    assert_true(passed * 1000 <= tried * 5);
    nearkeys_release(&nk);
}

static void test_empty_filter(void **state)
{
    (void)state;
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, 0), IPR_OK);
    assert_null(nk.blocks);
    nearkeys_add_spelling(&nk, "gucci", 5); /* nowhere to go: ignored */
    assert_false(holds(&nk, "gucci"));
    assert_int_equal(nk.key_count, 0);
    nearkeys_release(&nk);
    nearkeys_release(&nk); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spelling_and_deletions),
        cmocka_unit_test(test_false_passes_are_rare),
        cmocka_unit_test(test_empty_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
