/*
 * test_base_sha256.c - SHA-256 against the FIPS 180-4 example vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/sha256.h"

static void hex_of(const char *data, size_t len, size_t chunk, char hex[65])
{
    struct sha256 h;
    sha256_init(&h);
    for (size_t i = 0; i < len; i += chunk)
        sha256_update(&h, data + i, len - i < chunk ? len - i : chunk);
    unsigned char d[32];
    sha256_final(&h, d);
    sha256_hex(d, 32, hex);
}

static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    hex_of("", 0, 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(two, strlen(two), 7, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a(void **state)
{
    (void)state;
    static char block[1000];
    memset(block, 'a', sizeof(block));
    struct sha256 h;
    sha256_init(&h);
    for (int i = 0; i < 1000; i++)
        sha256_update(&h, block, sizeof(block));
    unsigned char d[32];
    char hex[65];
    sha256_final(&h, d);
    sha256_hex(d, 32, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_short_hex(void **state)
{
    (void)state;
    unsigned char d[32] = {0xab, 0xcd, 0x01};
    char hex[65];
    sha256_hex(d, 3, hex);
    assert_string_equal(hex, "abcd01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_short_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
