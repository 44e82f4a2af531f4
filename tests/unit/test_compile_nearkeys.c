/*
 * test_compile_nearkeys.c - the near-miss key table: a spelling is found
 * by itself and by each of its one-letter deletions, by nothing else, and
 * a key shared by several spellings yields all of them; with thousands of
 * spellings the bit filter in front of the table hides none of their keys,
 * and the fingerprints packed beside the spelling's index in each slot keep
 * foreign candidates rare.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "compile/nearkeys.h"

static void add(struct vec *v, const char *name, uint32_t mark, bool compact)
{
    struct near_spelling *sp = vec_push(v);
    assert_non_null(sp);
    sp->name = name;
    sp->len = (uint16_t)strlen(name);
    sp->mark = mark;
    sp->compact = compact;
}

/* How many times the key yields the spelling of mark (fingerprints may
 * collide, so other spellings could come too; the caller verifies). */
static size_t yields(const struct nearkeys *nk, const char *key, uint32_t mark)
{
    struct near_iter it;
    nearkeys_iter(nk, key, strlen(key), &it);
    size_t n = 0;
    for (const struct near_spelling *sp; (sp = nearkeys_next(nk, &it)) != NULL;)
        n += sp->mark == mark;
    return n;
}

/* Is key the spelling, or the spelling less one letter? */
static bool is_key_of(const struct near_spelling *sp, const char *key)
{
    size_t n = strlen(key);
    if (n == sp->len)
        return memcmp(key, sp->name, n) == 0;
    if (n + 1 != sp->len)
        return false;
    size_t i = 0;
    while (i < n && key[i] == sp->name[i])
        i++;
    return memcmp(key + i, sp->name + i + 1, n - i) == 0;
}

/* How many spellings the key yields that it is no key of: fingerprint
 * collisions. */
static size_t foreign(const struct nearkeys *nk, const char *key)
{
    struct near_iter it;
    nearkeys_iter(nk, key, strlen(key), &it);
    size_t n = 0;
    for (const struct near_spelling *sp; (sp = nearkeys_next(nk, &it)) != NULL;)
        n += !is_key_of(sp, key);
    return n;
}

static void test_spelling_and_deletions(void **state)
{
    (void)state;
    struct vec v;
    vec_init(&v, sizeof(struct near_spelling));
    add(&v, "gucci", 0, false);
    add(&v, "denimtears", 1, true);
    add(&v, "guccy", 2, false);
    struct nearkeys nk;
    assert_int_equal(nearkeys_build(&nk, &v), IPR_OK);
    assert_null(v.items); /* the table took the spellings */
    assert_int_equal(nk.count, 3);
    assert_int_equal(yields(&nk, "gucci", 0), 1);
    assert_int_equal(yields(&nk, "ucci", 0), 1);
    assert_int_equal(yields(&nk, "guci", 0), 2); /* either c deleted */
    assert_int_equal(yields(&nk, "gucc", 0), 1);
    assert_int_equal(yields(&nk, "gucc", 2), 1); /* a key two spellings share */
    assert_int_equal(yields(&nk, "denimtear", 1), 1);
    assert_int_equal(yields(&nk, "gucciq", 0), 0);
    assert_int_equal(yields(&nk, "pucci", 0), 0);
    assert_int_equal(yields(&nk, "", 0), 0);
    nearkeys_release(&nk);
    vec_release(&v);
}

static void test_filter_hides_no_key(void **state)
{
    (void)state;
    enum { SPELLINGS = 5000 };
    static char names[SPELLINGS][16];
    struct vec v;
    vec_init(&v, sizeof(struct near_spelling));
    for (unsigned i = 0; i < SPELLINGS; i++) {
        snprintf(names[i], sizeof(names[i]), "brand%uzq", i * 7919u);
        add(&v, names[i], i, false);
    }
    struct nearkeys nk;
    assert_int_equal(nearkeys_build(&nk, &v), IPR_OK);
    char key[16];
    size_t misses = 0, collisions = 0;
    for (unsigned i = 0; i < SPELLINGS; i++) {
        size_t n = strlen(names[i]);
        assert_true(yields(&nk, names[i], i) >= 1);
        collisions += foreign(&nk, names[i]);
        for (size_t d = 0; d < n; d++) {
            memcpy(key, names[i], d);
            memcpy(key + d, names[i] + d + 1, n - d);
            assert_true(yields(&nk, key, i) >= 1);
            collisions += foreign(&nk, key);
        }
        /* a word two letters away from every spelling yields nothing */
        snprintf(key, sizeof(key), "xx%s", names[i] + 2);
        misses += yields(&nk, key, i);
    }
    assert_int_equal(misses, 0);
    /* 13 bits of a slot index 5,000 spellings and 19 are fingerprint:
     * about one collision in 300,000 slots walked, where a fingerprint
     * lost to the index bits would make every slot walked one */
    assert_true(collisions <= 3);
    nearkeys_release(&nk);
    vec_release(&v);
}

static void test_empty_table(void **state)
{
    (void)state;
    struct vec v;
    vec_init(&v, sizeof(struct near_spelling));
    struct nearkeys nk;
    assert_int_equal(nearkeys_build(&nk, &v), IPR_OK);
    assert_int_equal(yields(&nk, "gucci", 0), 0);
    nearkeys_release(&nk);
    nearkeys_release(&nk); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spelling_and_deletions),
        cmocka_unit_test(test_filter_hides_no_key),
        cmocka_unit_test(test_empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
