/*
 * test_base_strmap.c - the string map: every key put is found with its
 * last value across growth, keys that were never put are not (the bit
 * filter must never hide a key), and a reserved map does not grow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/strmap.h"

static size_t key_of(unsigned i, char *out, size_t cap)
{
    int n = snprintf(out, cap, "key-%u-%s", i, i % 3 ? "x" : "longer suffix");
    return (size_t)n;
}

static void test_put_get_across_growth(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    uint32_t v;
    assert_false(strmap_get(&m, "a", 1, &v)); /* empty map */
    char key[64];
    for (unsigned i = 0; i < 20000; i++)
        assert_int_equal(strmap_put(&m, key, key_of(i, key, sizeof(key)), i), IPR_OK);
    assert_int_equal(m.count, 20000);
    assert_true(m.count <= m.cap / 3 * 2); /* grown as it filled: at most 2/3 full */
    assert_int_equal(strmap_put(&m, "key-7-x", 7, 700), IPR_OK); /* replaces */
    assert_int_equal(m.count, 20000);
    for (unsigned i = 0; i < 20000; i++) {
        assert_true(strmap_get(&m, key, key_of(i, key, sizeof(key)), &v));
        assert_int_equal(v, i == 7 ? 700 : i);
    }
    /* never put: other numbers, prefixes, the same bytes one shorter */
    for (unsigned i = 20000; i < 40000; i++)
        assert_false(strmap_get(&m, key, key_of(i, key, sizeof(key)), &v));
    assert_false(strmap_get(&m, "key-1", 5, &v));
    assert_false(strmap_get(&m, "key-1-", 6, &v));
    /* a hash computed once serves the lookup as well, after a prefetch */
    for (unsigned i = 0; i < 40000; i += 7) {
        size_t n = key_of(i, key, sizeof(key));
        uint64_t h = strmap_hash(key, n);
        strmap_prefetch(&m, h);
        uint32_t by_hash = UINT32_MAX;
        bool found = strmap_get_hashed(&m, key, n, h, &by_hash);
        assert_int_equal(found, i < 20000);
        if (found)
            assert_int_equal(by_hash, i == 7 ? 700 : i);
    }
    strmap_release(&m);
}

static void test_reserve(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    assert_int_equal(strmap_reserve(&m, 5000), IPR_OK);
    size_t cap = m.cap;
    /* the smallest that holds them at three keys in four slots, not the
     * next power of two (8192) */
    assert_true(cap / 4 * 3 >= 5000 && cap <= 5000 / 3 * 4 + 8);
    char key[64];
    for (unsigned i = 0; i < 5000; i++)
        assert_int_equal(strmap_put(&m, key, key_of(i, key, sizeof(key)), i), IPR_OK);
    assert_int_equal(m.cap, cap);                     /* sized once */
    assert_int_equal(strmap_reserve(&m, 10), IPR_OK); /* never shrinks */
    assert_int_equal(m.cap, cap);
    uint32_t v;
    assert_true(strmap_get(&m, "key-4999-x", 10, &v));
    assert_int_equal(v, 4999);
    strmap_release(&m);
}

/* Room for the keys' bytes: the pool is allocated once and not moved by
 * the inserts it was sized for. */
static void test_reserve_pool(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    char key[64];
    size_t bytes = 0;
    for (unsigned i = 0; i < 3000; i++)
        bytes += key_of(i, key, sizeof(key));
    assert_int_equal(strmap_reserve(&m, 3000), IPR_OK);
    assert_int_equal(strmap_reserve_pool(&m, bytes), IPR_OK);
    const char *pool = m.pool;
    assert_int_equal(m.pool_cap, bytes);
    for (unsigned i = 0; i < 3000; i++)
        assert_int_equal(strmap_put(&m, key, key_of(i, key, sizeof(key)), i), IPR_OK);
    assert_ptr_equal(m.pool, pool);
    assert_int_equal(m.pool_len, bytes);
    assert_int_equal(strmap_reserve_pool(&m, 10), IPR_OK); /* never shrinks */
    assert_int_equal(m.pool_cap, bytes);
    uint32_t v;
    assert_true(strmap_get(&m, key, key_of(2999, key, sizeof(key)), &v));
    assert_int_equal(v, 2999);
    strmap_release(&m);
}

/* An insert with the hash given (after strmap_prefetch_slot) is the insert
 * that hashes for itself: the same keys, values and replacements. */
static void test_exchange_hashed(void **state)
{
    (void)state;
    struct strmap a, b;
    strmap_init(&a);
    strmap_init(&b);
    char key[64];
    uint32_t old_a, old_b, v;
    for (unsigned i = 0; i < 4000; i++) {
        size_t n = key_of(i % 3000, key, sizeof(key)); /* the last thousand replace */
        uint64_t h = strmap_hash(key, n);
        strmap_prefetch_slot(&b, h);
        assert_int_equal(strmap_exchange(&a, key, n, i, &old_a), IPR_OK);
        assert_int_equal(strmap_exchange_hashed(&b, key, n, h, i, &old_b), IPR_OK);
        assert_int_equal(old_a, old_b);
    }
    assert_int_equal(a.count, 3000);
    assert_int_equal(b.count, 3000);
    for (unsigned i = 0; i < 3000; i++) {
        size_t n = key_of(i, key, sizeof(key));
        assert_true(strmap_get(&b, key, n, &v));
        assert_int_equal(v, i < 1000 ? i + 3000 : i);
    }
    strmap_release(&a);
    strmap_release(&b);
}

/* The bit filter at the most a map is loaded to (three keys in four
 * slots, in a table just under the filter's power of two): it lets
 * through only a small share of absent keys. */
static void test_filter_lets_few_absent_keys_through(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    enum { KEYS = 98300 }; /* a table of 131,068 slots */
    assert_int_equal(strmap_reserve(&m, KEYS), IPR_OK);
    char key[64];
    for (unsigned i = 0; i < KEYS; i++)
        assert_int_equal(strmap_put(&m, key, key_of(i, key, sizeof(key)), i), IPR_OK);
    assert_int_equal(m.filter_cap, 131072);
    assert_true(m.cap <= 131072 && m.count > m.cap / 4 * 3 - 8); /* at its highest load */
    unsigned through = 0, tried = 200000;
    for (unsigned i = 0; i < tried; i++) {
        size_t n = key_of(KEYS + i, key, sizeof(key));
        through += hash_filter_may_hold(m.filter, m.filter_cap, strmap_hash(key, n));
    }
    /* at 3/4 load 6,783 of 200,000 (3.4 %) got through; at half load
     * 3,321 (1.7 %), and with one bit per key instead of two, 12,304
     * (6.2 %) did */
    print_message("filter passes %u of %u absent keys\n", through, tried);
    assert_true(through < tried / 20);
    strmap_release(&m);
}

/* exchange: the chain-building put gives back what it replaced */
static void test_exchange_returns_previous(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    uint32_t old = 0, v;
    assert_int_equal(strmap_exchange(&m, "gucci", 5, 1, &old), IPR_OK);
    assert_int_equal(old, UINT32_MAX); /* new key */
    assert_int_equal(strmap_exchange(&m, "gucci", 5, 2, &old), IPR_OK);
    assert_int_equal(old, 1);
    assert_int_equal(strmap_exchange(&m, "gucc", 4, 3, &old), IPR_OK);
    assert_int_equal(old, UINT32_MAX); /* a prefix is another key */
    char key[64];
    for (unsigned i = 0; i < 5000; i++) /* across growth */
        assert_int_equal(strmap_exchange(&m, key, key_of(i, key, sizeof(key)), i, &old), IPR_OK);
    assert_int_equal(strmap_exchange(&m, "gucci", 5, 4, &old), IPR_OK);
    assert_int_equal(old, 2);
    assert_true(strmap_get(&m, "gucci", 5, &v));
    assert_int_equal(v, 4);
    assert_int_equal(m.count, 5002);
    strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange_returns_previous),
        cmocka_unit_test(test_filter_lets_few_absent_keys_through),
        cmocka_unit_test(test_put_get_across_growth),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_reserve_pool),
        cmocka_unit_test(test_exchange_hashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
