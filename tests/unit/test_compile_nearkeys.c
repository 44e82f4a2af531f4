/*
 * test_compile_nearkeys.c - the near-miss filter: a spelling's keys (itself
 * and each of its one-letter deletions) are always held; the keys' hashes
 * found together in one pass are those of each key written out; with
 * thousands of spellings few other words pass (the rate the lookups on a
 * false pass are budgeted for); an empty filter holds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "compile/nearkeys.h"

static bool holds(const struct nearkeys *nk, const char *key)
{
    return nearkeys_may_hold(nk, nearkeys_hash(key, strlen(key)));
}

static void test_spelling_and_deletions(void **state)
{
    (void)state;
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, 6 + 6, 12), IPR_OK);
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

/* Every length up to the longest, bytes of all kinds (zero and high ones
 * too): each deletion's hash from the one pass is the hash of the deletion
 * written out, and the last is the spelling's own. */
static void test_spelling_hashes_are_the_keys_hashes(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    char s[NEARKEYS_SPELLING_MAX], key[NEARKEYS_SPELLING_MAX];
    uint64_t hashes[NEARKEYS_SPELLING_MAX + 1];
    for (size_t len = 0; len <= NEARKEYS_SPELLING_MAX; len++) {
        for (unsigned round = 0; round < 20; round++) {
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                /* mostly letters, as spellings are; every byte value now and then */
                s[i] = round % 4 ? (char)('a' + (seed >> 16) % 26) : (char)(seed >> 16);
            }
            nearkeys_spelling_hashes(s, len, hashes);
            for (size_t d = 0; d < len; d++) {
                memcpy(key, s, d);
                memcpy(key + d, s + d + 1, len - d - 1);
                assert_true(hashes[d] == nearkeys_hash(key, len - 1));
            }
            assert_true(hashes[len] == nearkeys_hash(s, len));
        }
    }
    /* the length counts: a key and the same bytes with a zero byte more differ */
    assert_true(nearkeys_hash("ab", 2) != nearkeys_hash("ab\0", 3));
    assert_true(nearkeys_hash("", 0) != nearkeys_hash("\0", 1));
}

/* A filter of 20,000 spellings at bits_per_key: every key passes, and of
 * 200,000 words that are no key, at most max_per_mille in a thousand. */
static void false_passes(unsigned bits_per_key, size_t max_per_mille)
{
    enum { SPELLINGS = 20000 };
    static char names[SPELLINGS][24];
    size_t keys = 0;
    for (unsigned i = 0; i < SPELLINGS; i++) {
        snprintf(names[i], sizeof(names[i]), "brand%uzq", i * 7919u);
        keys += strlen(names[i]) + 1;
    }
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, keys, bits_per_key), IPR_OK);
    for (unsigned i = 0; i < SPELLINGS; i++)
        nearkeys_add_spelling(&nk, names[i], strlen(names[i]));
    assert_int_equal(nk.key_count, keys);
    /* the filter is bits_per_key bits a key, to a whole block */
    assert_int_equal(nk.words, bits_per_key >= 9 ? 8 : 4);
    assert_true(nk.block_count * nk.words * 64 <= keys * bits_per_key + nk.words * 64);
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
    print_message("%u bits a key: false passes %zu of %zu\n", bits_per_key, passed, tried);
    assert_true(passed * 1000 <= tried * max_per_mille);
    nearkeys_release(&nk);
}

/* About one in 300 at 12 bits a key (636 of 200,000; 136 at 16 bits),
 * one in 120 at 10 (1,616), one in 40 at 8 (4,524), one in 19 at 6
 * (10,307), one in 12 at 5 (16,789) and one in 7 at 4 (28,947), in blocks
 * of four words below 9 bits (in blocks of eight, 6 bits passed 15,176); a
 * filter that lost its bits per word or its spread over blocks passes far
 * more. */
static void test_false_passes_are_rare(void **state)
{
    (void)state;
    false_passes(12, 5);
    false_passes(10, 10);
    false_passes(8, 40);
    false_passes(6, 70);
    false_passes(5, 110);
    false_passes(4, 190);
}

/* A key takes 1 to 64 bits; a filter of none is refused, not divided by. */
static void test_bits_per_key_bounds(void **state)
{
    (void)state;
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, 10, 0), IPR_EINVAL);
    assert_null(nk.blocks);
    assert_int_equal(nearkeys_init(&nk, 10, 65), IPR_EINVAL);
    assert_int_equal(nearkeys_init(&nk, 10, 1), IPR_OK);
    assert_int_equal(nk.block_count, 1);
    nearkeys_release(&nk);
    assert_int_equal(nearkeys_init(&nk, 10, 64), IPR_OK);
    assert_int_equal(nk.block_count, 2);
    nearkeys_release(&nk);
}

static void test_empty_filter(void **state)
{
    (void)state;
    struct nearkeys nk;
    assert_int_equal(nearkeys_init(&nk, 0, 12), IPR_OK);
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
        cmocka_unit_test(test_spelling_hashes_are_the_keys_hashes),
        cmocka_unit_test(test_false_passes_are_rare),
        cmocka_unit_test(test_bits_per_key_bounds),
        cmocka_unit_test(test_empty_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
