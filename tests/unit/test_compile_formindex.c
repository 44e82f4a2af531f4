/*
 * test_compile_formindex.c - the first-token index, which keeps no keys:
 * every key put in is found again through the walk (and only through
 * entries of its own hash), a key put in again chains to the entry it
 * replaced, a table filled to the number it was sized for still ends
 * every walk, and most absent keys stop at the filter, with slots of 4
 * bytes and of 8 (spelling numbers past 24 bits).  Keys here are whole
 * strings; the mark set's are first words (test_match_marks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/strmap.h"
#include "compile/formindex.h"

enum { KEYS = 40000 };

/* Entry base + i is the key of keys[i]; entries past KEYS repeat key
 * i - KEYS. */
struct table {
    char keys[KEYS][16];
    uint32_t base;
};

static const char *key_of(const struct table *t, uint32_t entry)
{
    return t->keys[(entry - t->base) % KEYS];
}

struct probe {
    const struct table *t;
    const char *key;
};

static bool same(void *ctx, uint32_t other)
{
    const struct probe *p = ctx;
    return strcmp(key_of(p->t, other), p->key) == 0;
}

static uint64_t hash_of(const char *key)
{
    return strmap_hash(key, strlen(key));
}

/* The entry of key, or UINT32_MAX, the way the mark set looks it up. */
static uint32_t find(const struct formindex *x, const struct table *t, const char *key)
{
    struct formindex_walk w;
    if (!formindex_walk_start(&w, x, hash_of(key)))
        return UINT32_MAX;
    for (uint32_t e; (e = formindex_walk_next(&w)) != UINT32_MAX;)
        if (strcmp(key_of(t, e), key) == 0)
            return e;
    return UINT32_MAX;
}

/* The checks below on an index whose spelling numbers go up to largest. */
static void keys_found_and_chained(uint32_t largest, bool narrow)
{
    static struct table t;
    for (unsigned i = 0; i < KEYS; i++)
        snprintf(t.keys[i], sizeof(t.keys[i]), "word%u", i);
    t.base = largest - (KEYS + 99); /* the last entry put in is largest */
    struct formindex x;
    assert_int_equal(formindex_init(&x, KEYS, largest), IPR_OK);
    assert_int_equal(x.narrow, narrow);
    /* seven keys in eight slots, no power of two */
    assert_true(x.cap >= KEYS + KEYS / 7 && x.cap < KEYS + KEYS / 7 + 16);
    /* the filter: FORMINDEX_FILTER_BITS a key, to a whole word */
    assert_true(x.filter_cap * 8 >= (size_t)KEYS * FORMINDEX_FILTER_BITS);
    assert_true(x.filter_cap * 8 < (size_t)KEYS * FORMINDEX_FILTER_BITS + 64);
    for (uint32_t e = 0; e < KEYS; e++) {
        struct probe p = {&t, key_of(&t, t.base + e)};
        uint32_t old;
        assert_int_equal(formindex_exchange(&x, hash_of(p.key), t.base + e, same, &p, &old),
                         IPR_OK);
        assert_int_equal(old, UINT32_MAX);
    }
    assert_int_equal(x.count, KEYS); /* full as sized: every walk still ends */
    for (uint32_t e = 0; e < KEYS; e++)
        assert_int_equal(find(&x, &t, t.keys[e]), t.base + e);
    /* a key again: its entry becomes the new one, and gives back the old */
    for (uint32_t e = KEYS; e < KEYS + 100; e++) {
        struct probe p = {&t, key_of(&t, t.base + e)};
        uint32_t old;
        assert_int_equal(formindex_exchange(&x, hash_of(p.key), t.base + e, same, &p, &old),
                         IPR_OK);
        assert_int_equal(old, t.base + e - KEYS);
        assert_int_equal(find(&x, &t, p.key), t.base + e);
    }
    assert_int_equal(x.count, KEYS);
    /* a key more than it was sized for is refused, not looped over */
    struct probe extra = {&t, "one more"};
    uint32_t old;
    assert_int_equal(formindex_exchange(&x, hash_of(extra.key), 7, same, &extra, &old), IPR_ELIMIT);
    assert_int_equal(x.count, KEYS);
    /* absent keys: never found, and nearly all turned away by the filter
     * (715 of 20,000 pass at 10 bits a key) */
    unsigned walked = 0;
    for (unsigned i = 0; i < 20000; i++) {
        char key[24];
        snprintf(key, sizeof(key), "absent%u", i);
        struct formindex_walk w;
        walked += formindex_walk_start(&w, &x, hash_of(key));
        assert_int_equal(find(&x, &t, key), UINT32_MAX);
    }
    print_message("filter let %u of 20000 absent keys through\n", walked);
    assert_true(walked < 20000 / 20);
    if (t.base) {
        formindex_release(&x);
        return;
    }
    /* renumbered entries are found under their new numbers */
    static uint32_t to[KEYS + 100];
    for (uint32_t e = 0; e < KEYS + 100; e++)
        to[e] = e < KEYS ? KEYS - 1 - e : e;
    formindex_renumber(&x, to);
    for (uint32_t e = 100; e < KEYS; e++) {
        struct formindex_walk w = {0};
        assert_true(formindex_walk_start(&w, &x, hash_of(t.keys[e])));
        bool found = false;
        for (uint32_t f; (f = formindex_walk_next(&w)) != UINT32_MAX;)
            found = found || f == KEYS - 1 - e;
        assert_true(found);
    }
    formindex_release(&x);
}

static void test_keys_found_and_chained(void **state)
{
    (void)state;
    keys_found_and_chained(KEYS + 99, true);
    /* the largest number 4-byte slots hold, and the first past it */
    keys_found_and_chained(FORMINDEX_NARROW_MASK - 1, true);
    keys_found_and_chained(FORMINDEX_NARROW_MASK, false);
    keys_found_and_chained(UINT32_MAX - 1, false);
    struct formindex x;
    assert_int_equal(formindex_init(&x, 10, UINT32_MAX), IPR_ELIMIT);
}

static void test_empty_index(void **state)
{
    (void)state;
    static struct table t;
    struct formindex x;
    assert_int_equal(formindex_init(&x, 0, 0), IPR_OK);
    assert_int_equal(find(&x, &t, "word1"), UINT32_MAX);
    formindex_release(&x);
    formindex_release(&x); /* released twice: nothing left to free */
    struct formindex none = {0};
    assert_int_equal(find(&none, &t, "word1"), UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_found_and_chained),
        cmocka_unit_test(test_empty_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
