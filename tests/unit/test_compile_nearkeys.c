/*
 * test_compile_nearkeys.c - the near-miss key table: a spelling is found
 * by itself and by each of its one-letter deletions, by nothing else, and
 * a key shared by several spellings yields all of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
        cmocka_unit_test(test_empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
