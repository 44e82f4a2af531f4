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
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "compile/chains.h"

struct item {
    char text[8];
    uint32_t next, skip;
};

static int compare(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->text, ((const struct item *)b)->text);
}

/* Links items[order[0]] -> items[order[1]] -> ... and returns the head. */
static uint32_t link(struct item *items, const uint32_t *order, size_t n)
{
    for (size_t i = 0; i < n; i++)
        items[order[i]].next = i + 1 < n ? order[i + 1] : CHAIN_END;
    return n ? order[0] : CHAIN_END;
}

/* A chain table over items, with the scratch given. */
static struct chain_table table(struct item *items, uint32_t *scratch)
{
    return (struct chain_table){items,
                                sizeof(struct item),
                                offsetof(struct item, next),
                                offsetof(struct item, skip),
                                compare,
                                scratch};
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
    uint32_t scratch[30];
    struct chain_table t = table(items, scratch);
    /* chain one: for fit for fits fit for -> for for for fit fit fits */
    static const uint32_t one[] = {0, 1, 2, 3, 4, 5};
    static const uint32_t want[] = {0, 2, 5, 1, 4, 3};
    static const uint32_t skip[] = {1, 1, 1, 3, 3, CHAIN_END};
    expect_chain(items, chain_regroup(&t, link(items, one, 6)), want, skip, 6);
    /* chain two: x y x z */
    static const uint32_t two[] = {6, 7, 8, 9};
    static const uint32_t want2[] = {6, 8, 7, 9};
    static const uint32_t skip2[] = {7, 7, 9, CHAIN_END};
    expect_chain(items, chain_regroup(&t, link(items, two, 4)), want2, skip2, 4);
    /* a chain of one, and none */
    struct item single[1] = {{"a", CHAIN_END, 0}};
    struct chain_table t1 = table(single, scratch);
    assert_int_equal(chain_regroup(&t1, 0), 0);
    assert_int_equal(single[0].skip, CHAIN_END);
    assert_int_equal(chain_regroup(&t1, CHAIN_END), CHAIN_END);
}

/* A long chain of many texts in a shuffled order (a term list whose
 * every term starts with the same word): the runs come in the order of
 * their first entries, each in chain order, as a plain first-seen grouping
 * says. */
static void test_long_chain_of_many_texts(void **state)
{
    (void)state;
    enum { N = 3000, TEXTS = 700 };
    static struct item items[N];
    static uint32_t order[N], want[N], skip[N], scratch[3 * N], first_seen[TEXTS];
    uint32_t seed = 7;
    for (uint32_t i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        snprintf(items[i].text, sizeof(items[i].text), "t%u", (seed >> 8) % TEXTS);
        order[i] = i;
    }
    for (uint32_t i = N - 1; i > 0; i--) { /* the chain visits the entries shuffled */
        seed = seed * 1103515245u + 12345u;
        uint32_t j = (seed >> 8) % (i + 1), x = order[i];
        order[i] = order[j];
        order[j] = x;
    }
    /* the expected chain: texts by first appearance, each with its entries */
    size_t texts = 0, n = 0;
    for (size_t i = 0; i < N; i++) {
        bool seen = false;
        for (size_t k = 0; k < texts && !seen; k++)
            seen = compare(&items[first_seen[k]], &items[order[i]]) == 0;
        if (!seen)
            first_seen[texts++] = order[i];
    }
    for (size_t k = 0; k < texts; k++)
        for (size_t i = 0; i < N; i++)
            if (compare(&items[first_seen[k]], &items[order[i]]) == 0)
                want[n++] = order[i];
    for (size_t i = 0; i < n; i++) { /* past the run: the next text's first entry */
        size_t j = i;
        while (j < n && compare(&items[want[i]], &items[want[j]]) == 0)
            j++;
        skip[i] = j < n ? want[j] : CHAIN_END;
    }
    assert_int_equal(n, N);
    struct chain_table t = table(items, scratch);
    expect_chain(items, chain_regroup(&t, link(items, order, N)), want, skip, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regroup),
        cmocka_unit_test(test_long_chain_of_many_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
