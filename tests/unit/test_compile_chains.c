/*
 * test_compile_chains.c - chain_regroup: a chain comes back with the same
 * entries, the alike ones side by side in the order their first came,
 * and every entry's skip pointing past its run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "compile/chains.h"

struct item {
    char text[8];
    uint32_t next, skip;
};

static bool alike(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->text, ((const struct item *)b)->text) == 0;
}

/* Links items[order[0]] -> items[order[1]] -> ... and returns the head. */
static uint32_t link(struct item *items, const uint32_t *order, size_t n)
{
    for (size_t i = 0; i < n; i++)
        items[order[i]].next = i + 1 < n ? order[i + 1] : CHAIN_END;
    return n ? order[0] : CHAIN_END;
}

/* A chain table over items, with the scratch given. */
static struct chain_table table(struct item *items, uint32_t *members, bool *placed)
{
    return (struct chain_table){items,
                                sizeof(struct item),
                                offsetof(struct item, next),
                                offsetof(struct item, skip),
                                alike,
                                members,
                                placed};
}

/* The chain from head is entries want[0..n) in that order, with those skips. */
static void expect_chain(const struct item *items, uint32_t head, const uint32_t *want,
                         const uint32_t *skip, size_t n)
{
    uint32_t e = head;
    for (size_t i = 0; i < n; i++, e = items[e].next) {
        assert_int_equal(e, want[i]);
        assert_int_equal(items[e].skip, skip[i]);
    }
    assert_int_equal(e, CHAIN_END);
}

static void test_regroup(void **state)
{
    (void)state;
    struct item items[10] = {{"for", 0, 0}, {"fit", 0, 0}, {"for", 0, 0}, {"fits", 0, 0},
                             {"fit", 0, 0}, {"for", 0, 0}, {"x", 0, 0},   {"y", 0, 0},
                             {"x", 0, 0},   {"z", 0, 0}};
    uint32_t members[10];
    bool placed[10] = {false};
    struct chain_table t = table(items, members, placed);
    /* chain one: for fit for fits fit for -> for for for fit fit fits */
    static const uint32_t one[] = {0, 1, 2, 3, 4, 5};
    static const uint32_t want[] = {0, 2, 5, 1, 4, 3};
    static const uint32_t skip[] = {1, 1, 1, 3, 3, CHAIN_END};
    expect_chain(items, chain_regroup(&t, link(items, one, 6)), want, skip, 6);
    /* chain two, with the flags of chain one still set: x y x z */
    static const uint32_t two[] = {6, 7, 8, 9};
    static const uint32_t want2[] = {6, 8, 7, 9};
    static const uint32_t skip2[] = {7, 7, 9, CHAIN_END};
    expect_chain(items, chain_regroup(&t, link(items, two, 4)), want2, skip2, 4);
    /* a chain of one, and none */
    struct item single[1] = {{"a", CHAIN_END, 0}};
    bool placed1[1] = {false};
    struct chain_table t1 = table(single, members, placed1);
    assert_int_equal(chain_regroup(&t1, 0), 0);
    assert_int_equal(single[0].skip, CHAIN_END);
    assert_int_equal(chain_regroup(&t1, CHAIN_END), CHAIN_END);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regroup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
