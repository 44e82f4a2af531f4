/*
 * test_base_bytescan.c - the word-at-a-time byte tests.
 *
 * A scan may stop early (it only skips what it is sure of) but must never
 * skip a byte that matters.  Each test puts one byte that matters at every
 * offset of a run of plain bytes and checks both: the scan stops at or
 * before it, and no more than a word before it.  The runs are long enough
 * for the sixteen-byte steps (SSE2), the word steps after them and a tail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/bytescan.h"

typedef size_t (*scan_fn)(const char *s, size_t len);

/* One special byte at each offset of a 40-byte run of `plain`. */
static void assert_stops_at(scan_fn scan, char plain, unsigned char special)
{
    char text[48];
    for (size_t at = 0; at < 40; at++) {
        memset(text, plain, sizeof(text));
        text[at] = (char)special;
        size_t n = scan(text, 40);
        assert_true(n <= at);
        assert_true(at - n < 8);
    }
    /* nothing special: every whole word is skipped, the tail is not */
    memset(text, plain, sizeof(text));
    assert_int_equal(scan(text, 40), 40);
    assert_int_equal(scan(text, 37), 32);
    assert_int_equal(scan(text, 7), 0);
}

static void test_json_plain_stops_at_quote_backslash_and_controls(void **state)
{
    (void)state;
    assert_stops_at(bytescan_json_plain, 'a', '"');
    assert_stops_at(bytescan_json_plain, 'a', '\\');
    for (unsigned c = 0; c < 0x20; c++)
        assert_stops_at(bytescan_json_plain, 'a', (unsigned char)c);
    /* bytes next in value to the special ones are plain */
    const unsigned char plain[] = {0x20, '!', '#', '[', ']', 0x7f, 0x80, 0xa2, 0xdc, 0xff};
    for (size_t i = 0; i < sizeof(plain); i++) {
        char text[16];
        memset(text, 'a', sizeof(text));
        text[3] = (char)plain[i];
        text[12] = (char)plain[i];
        assert_int_equal(bytescan_json_plain(text, 16), 16);
        assert_true(bytescan_is_json_plain(plain[i]));
    }
    assert_false(bytescan_is_json_plain('"'));
    assert_false(bytescan_is_json_plain('\\'));
    assert_false(bytescan_is_json_plain(0x1f));
}

static void test_ascii_stops_at_high_bytes_and_nul(void **state)
{
    (void)state;
    assert_stops_at(bytescan_ascii, 'z', 0x00);
    assert_stops_at(bytescan_ascii, 'z', 0x80);
    assert_stops_at(bytescan_ascii, 'z', 0xc3);
    assert_stops_at(bytescan_ascii, 'z', 0xff);
    /* after a high byte the borrow must not hide a NUL further on */
    assert_stops_at(bytescan_ascii, 0x01, 0x00);
    assert_stops_at(bytescan_ascii, 0x7f, 0x80);
}

/* Every length up to 40 (sixteen-byte steps, words, tails), a high byte
 * at every offset: never ASCII; none: ASCII, NUL and DEL included. */
static void test_all_ascii(void **state)
{
    (void)state;
    char text[40];
    for (size_t len = 0; len <= sizeof(text); len++) {
        memset(text, 0x7f, sizeof(text));
        text[len / 2 % sizeof(text)] = 0x00;
        assert_true(bytescan_all_ascii(text, len));
        for (size_t at = 0; at < len; at++) {
            memset(text, 'a', sizeof(text));
            text[at] = (char)0x80;
            assert_false(bytescan_all_ascii(text, len));
            text[at] = (char)0xff;
            assert_false(bytescan_all_ascii(text, len));
        }
    }
}

static void test_ascii_line_stops_at_line_ends_too(void **state)
{
    (void)state;
    const unsigned char stops[] = {0x00, '\n', '\r', 0x80, 0xc2, 0xe2, 0xff};
    for (size_t i = 0; i < sizeof(stops); i++) {
        assert_stops_at(bytescan_ascii_line, 'q', stops[i]);
        assert_stops_at(bytescan_ascii_line, 0x7f, stops[i]);
    }
    /* the neighbours of the line ends are plain */
    char text[32];
    memset(text, 'q', sizeof(text));
    text[4] = '\t';
    text[9] = 0x0b;
    text[17] = 0x0c;
    text[26] = 0x0e;
    assert_int_equal(bytescan_ascii_line(text, 32), 32);
}

static void test_word_tests(void **state)
{
    (void)state;
    assert_true(bytescan_equal(bytescan_load("abcdefg\x7f"), 0x7f) != 0);
    assert_true(bytescan_equal(bytescan_load("abcdefgh"), 0x7f) == 0);
    assert_true(bytescan_below(bytescan_load("abc\x1f"
                                             "efgh"),
                               0x20) != 0);
    assert_true(bytescan_below(bytescan_load("abc efgh"), 0x20) == 0);
    assert_true(bytescan_below(bytescan_load("\xff\xfe\x80\x81\xa0\xc0\xe0\xf0"), 0x20) == 0);
    assert_true(bytescan_high(bytescan_load("abcdefg\x80")) != 0);
    assert_true(bytescan_high(bytescan_load("abcdefg\x7f")) == 0);
}

/* Every ASCII byte, at every place of copies of every length up to 40
 * (eight at a time and the rest one by one): lowered as one at a time
 * lowers it, and nothing written past the copy. */
static void test_lower_ascii(void **state)
{
    (void)state;
    char src[48], dst[48];
    for (unsigned c = 0; c < 128; c++) {
        for (size_t len = 1; len <= 40; len++) {
            for (size_t at = 0; at < len; at++) {
                memset(src, 'Q', len);
                src[at] = (char)c;
                memset(dst, '#', sizeof(dst));
                bytescan_lower_ascii(src, len, dst);
                for (size_t i = 0; i < len; i++)
                    assert_int_equal((unsigned char)dst[i], ipr_ascii_lower((unsigned char)src[i]));
                assert_int_equal(dst[len], '#');
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_plain_stops_at_quote_backslash_and_controls),
        cmocka_unit_test(test_ascii_stops_at_high_bytes_and_nul),
        cmocka_unit_test(test_all_ascii),
        cmocka_unit_test(test_ascii_line_stops_at_line_ends_too),
        cmocka_unit_test(test_word_tests),
        cmocka_unit_test(test_lower_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
