/*
 * test_compile_near_bits.c - how many bits a key the names' near-miss
 * filter takes: 8 while that many fit in NEAR_SMALL_FILTER_BYTES, else 4
 * (markset.c: the memory counts only for large registries); the
 * run-together forms' always 8.  Every name's keys pass either way, and
 * the smaller filter lets few enough others through.
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
#include "compile/markset.h"
#include "compile/nearkeys.h"
#include "markset_fixture.h"
#include "registry/registry.h"

enum { NAME_LEN = 10 };

/* The i-th of the deterministic names: ten letters a to t. */
static void name_of(size_t i, char out[NAME_LEN + 1])
{
    uint32_t x = (uint32_t)i * 2654435761u + 12345u;
    for (size_t k = 0; k < NAME_LEN; k++) {
        x = x * 1664525u + 1013904223u;
        out[k] = (char)('a' + (x >> 24) % 20);
    }
    out[NAME_LEN] = '\0';
}

/* A registry of `count` such names, and two of two words ("Qqq Zzzzzz"). */
static char *registry_of(size_t count)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "registry: t\nversion: '1'\nmarks:\n"), IPR_OK);
    for (size_t i = 0; i < count; i++) {
        char name[NAME_LEN + 1], line[64];
        name_of(i, name);
        snprintf(line, sizeof(line), "  - {mark: %s}\n", name);
        assert_int_equal(buf_append_str(&b, line), IPR_OK);
    }
    assert_int_equal(buf_append_str(&b, "  - {mark: Quorra Vantelli}\n"
                                        "  - {mark: Brisket Holmwood}\n"),
                     IPR_OK);
    return buf_detach(&b);
}

static double bits_per_key(const struct nearkeys *nk)
{
    return (double)nk->block_count * nk->words * 64 / (double)nk->key_count;
}

static void expect_bits(size_t count, double low, double high, double max_false)
{
    char *yaml = registry_of(count);
    struct loaded l;
    load(&l, yaml);
    build(&l);
    double bits = bits_per_key(&l.ms.near);
    if (bits < low || bits > high)
        fail_msg("%zu names: %.2f bits a key, expected %.0f to %.0f", count, bits, low, high);
    assert_int_equal(l.ms.near.words, 4);
    double compact = bits_per_key(&l.ms.near_compact);
    assert_true(compact >= 8 && compact < 8.5); /* two run-together forms: a block */
    /* every name passes, as itself and less any letter */
    for (size_t i = 0; i < count; i += 7) {
        char name[NAME_LEN + 1];
        name_of(i, name);
        uint64_t hashes[NAME_LEN + 1];
        nearkeys_spelling_hashes(name, NAME_LEN, hashes);
        for (size_t k = 0; k <= NAME_LEN; k++)
            assert_true(nearkeys_may_hold(&l.ms.near, hashes[k]));
    }
    /* words of letters past t are no name's keys */
    size_t passed = 0, tried = 20000;
    for (size_t i = 0; i < tried; i++) {
        char word[16];
        snprintf(word, sizeof(word), "uvw%zuxyz", i);
        passed += nearkeys_may_hold(&l.ms.near, nearkeys_hash(word, strlen(word)));
    }
    print_message("%zu names: %.2f bits a key, %zu of %zu others pass\n", count, bits, passed,
                  tried);
    assert_true((double)passed <= max_false * (double)tried);
    release(&l);
    free(yaml);
}

static void test_small_registry_takes_8_bits(void **state)
{
    (void)state;
    expect_bits(2000, 8, 8.2, 0.04); /* 22,000 keys: 22 KB */
}

static void test_large_registry_takes_4_bits(void **state)
{
    (void)state;
    /* 330,000 keys: 8 bits would be 330 KB, past NEAR_SMALL_FILTER_BYTES */
    expect_bits(30000, 4, 4.1, 0.2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_registry_takes_8_bits),
        cmocka_unit_test(test_large_registry_takes_4_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
