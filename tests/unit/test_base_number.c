/*
 * test_base_number.c - prices and quantities as listings write them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>

#include "base/number.h"

static double parse_ok(const char *s)
{
    double v = -12345;
    assert_true(number_parse_loose(s, strlen(s), &v));
    return v;
}

static void assert_not_number(const char *s)
{
    double v;
    assert_false(number_parse_loose(s, strlen(s), &v));
}

static void test_plain_and_decimal(void **state)
{
    (void)state;
    assert_float_equal(parse_ok("42"), 42.0, 1e-9);
    assert_float_equal(parse_ok("2659900.00"), 2659900.0, 1e-9);
    assert_float_equal(parse_ok("-3.5"), -3.5, 1e-9);
    assert_float_equal(parse_ok("  7 "), 7.0, 1e-9);
}

static void test_currency_decorations(void **state)
{
    (void)state;
    assert_float_equal(parse_ok("$399.00"), 399.0, 1e-9);
    assert_float_equal(parse_ok("20 EUR"), 20.0, 1e-9);
    assert_float_equal(parse_ok("USD 15"), 15.0, 1e-9);
    assert_float_equal(parse_ok("¥ 3500"), 3500.0, 1e-9);
    assert_float_equal(parse_ok("€12,50"), 12.5, 1e-9);
    assert_float_equal(parse_ok("£1,299.99"), 1299.99, 1e-9);
}

static void test_separators(void **state)
{
    (void)state;
    assert_float_equal(parse_ok("1,299"), 1299.0, 1e-9);
    assert_float_equal(parse_ok("1,299,000"), 1299000.0, 1e-9);
    assert_float_equal(parse_ok("1.299,00"), 1299.0, 1e-9);
    assert_float_equal(parse_ok("12,5"), 12.5, 1e-9);
}

static void test_not_numbers(void **state)
{
    (void)state;
    assert_not_number("");
    assert_not_number("abc");
    assert_not_number("12 pack of socks");
    assert_not_number("1.2.3");
    assert_not_number("N/A");
    assert_not_number("$");
}

static void test_format_u64_as_printf(void **state)
{
    (void)state;
    const uint64_t values[] = {
        0,         1, 9, 10, 99, 100, 1234567890, 4294967295u, 4294967296u, 10000000000000000000u,
        UINT64_MAX};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char want[32], got[NUMBER_U64_DIGITS + 1];
        snprintf(want, sizeof(want), "%" PRIu64, values[i]);
        size_t n = number_format_u64(values[i], got);
        got[n] = '\0';
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_u64_as_printf), cmocka_unit_test(test_plain_and_decimal),
        cmocka_unit_test(test_currency_decorations), cmocka_unit_test(test_separators),
        cmocka_unit_test(test_not_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
