/*
 * test_report_escape.c - the terminal and JSON renderings of listing text.
 *
 * These renderings are the only thing between a hostile listing and the
 * user's terminal or a JSON consumer, so each class of dangerous input has
 * an exact expected rendering here, and display widths are pinned for the
 * scripts the caret has to line up under.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/escape.h"

static void assert_term(const char *in, size_t in_len, const char *want)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(escape_term(&b, in, in_len), IPR_OK);
    assert_string_equal(buf_str(&b), want);
    buf_release(&b);
}

#define TERM(lit, want) assert_term(lit, sizeof(lit) - 1, want)

static void test_printable_text_passes_unchanged(void **state)
{
    TERM("Nike Air Max 90", "Nike Air Max 90");
    TERM("正品 耐克 鞋", "正品 耐克 鞋");
    TERM("Café\xcc\x81 \xf0\x9f\x91\x9f", "Café\xcc\x81 \xf0\x9f\x91\x9f");
    TERM("back\\slash", "back\\slash");
    TERM("", "");
}

static void test_c0_controls_are_escaped(void **state)
{
    TERM("a\x1b[31mred", "a\\x1b[31mred");
    TERM("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
    TERM("line1\nline2\rover", "line1\\nline2\\rover");
    TERM("bs\x08\x08", "bs\\x08\\x08");
    TERM("nul\x00z", "nul\\x00z");
    TERM("del\x7f", "del\\x7f");
    TERM("tab\there", "tab here");
}

static void test_c1_and_bidi_controls_are_escaped(void **state)
{
    TERM("csi\xc2\x9b"
         "2J",
         "csi\\u009b2J");
    TERM("nel\xc2\x85", "nel\\u0085");
    TERM("abc\xe2\x80\xae"
         "fed",
         "abc\\u202efed");
    TERM("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d");
    TERM("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069");
    TERM("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
    TERM("ls\xe2\x80\xa8ps\xe2\x80\xa9", "ls\\u2028ps\\u2029");
}

static void test_invisible_characters_are_escaped(void **state)
{
    TERM("Ni\xe2\x80\x8bke", "Ni\\u200bke");
    TERM("\xef\xbb\xbfNike", "\\ufeffNike");
    TERM("N\xe2\x81\xa0ike", "N\\u2060ike");
    /* joiners stay: emoji and Indic scripts need them */
    TERM("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
         "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
}

static void test_invalid_utf8_bytes_are_escaped_one_by_one(void **state)
{
    TERM("bad\xff", "bad\\xff");
    TERM("\xc0\xaf", "\\xc0\\xaf");                   /* overlong '/' */
    TERM("\xed\xa0\x80", "\\xed\\xa0\\x80");          /* surrogate */
    TERM("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    TERM("cut\xe6\xad", "cut\\xe6\\xad");             /* truncated sequence */
    TERM("\x80\x81"
         "ok",
         "\\x80\\x81ok");
    TERM("\xe6\xad"
         "a\xe6\xad\xa3",
         "\\xe6\\xada\xe6\xad\xa3");
}

static void assert_unit(const char *s, size_t len, size_t src_len, const char *text, unsigned width)
{
    struct term_unit u;
    term_unit_next(s, len, &u);
    assert_int_equal(u.src_len, src_len);
    assert_string_equal(u.text, text);
    assert_int_equal(u.text_len, strlen(text));
    assert_int_equal(u.width, width);
}

#define UNIT(lit, src_len, text, width) assert_unit(lit, sizeof(lit) - 1, src_len, text, width)

static void test_units_have_display_widths(void **state)
{
    UNIT("a", 1, "", 1);
    UNIT("\xc3\xa9", 2, "", 1);         /* é */
    UNIT("\xe6\xad\xa3", 3, "", 2);     /* 正, wide */
    UNIT("\xef\xbc\xae", 3, "", 2);     /* fullwidth N */
    UNIT("\xea\xb0\x80", 3, "", 2);     /* Hangul syllable */
    UNIT("\xf0\x9f\x91\x9f", 4, "", 2); /* emoji, wide */
    UNIT("\xcc\x81", 2, "", 0);         /* combining acute */
    UNIT("\xe2\x83\x9d", 3, "", 0);     /* combining enclosing circle */
    UNIT("\xd0\x9d", 2, "", 1);         /* Cyrillic EN */
    UNIT("\x1b", 1, "\\x1b", 4);
    UNIT("\t", 1, " ", 1);
    UNIT("\xe2\x80\xae", 3, "\\u202e", 6);
    UNIT("\xff", 1, "\\xff", 4);
    UNIT("\xe6\xad", 1, "\\xe6", 4);
}

static void test_utf8_validation_is_strict(void **state)
{
    assert_true(escape_is_utf8("", 0));
    assert_true(escape_is_utf8("plain", 5));
    assert_true(escape_is_utf8("\xe6\xad\xa3\xf0\x9f\x91\x9f", 7));
    assert_true(escape_is_utf8("nul\0x", 5));
    assert_false(escape_is_utf8("\xff", 1));
    assert_false(escape_is_utf8("\xc0\xaf", 2));
    assert_false(escape_is_utf8("\xe0\x80\xaf", 3));
    assert_false(escape_is_utf8("\xed\xa0\x80", 3));
    assert_false(escape_is_utf8("\xf4\x90\x80\x80", 4));
    assert_false(escape_is_utf8("\xe6\xad", 2));
}

static void test_invalid_bytes_become_replacement_characters(void **state)
{
    struct buf b;
    buf_init(&b, 0);
    static const char in[] = "a\xff"
                             "b\xe6\xad"
                             "c\xe6\xad\xa3";
    assert_int_equal(escape_utf8(&b, in, sizeof in - 1), IPR_OK);
    assert_string_equal(buf_str(&b), "a\xef\xbf\xbd"
                                     "b\xef\xbf\xbd\xef\xbf\xbd"
                                     "c\xe6\xad\xa3");
    assert_true(escape_is_utf8(b.data, b.len));
    buf_release(&b);
}

static void test_json_text_escapes_active_code_points_only(void **state)
{
    static const char in[] = "{\n  \"t\": \"a\xc2\x9b"
                             "b\xe2\x80\xae"
                             "c\x7f\xe2\x80\xa8"
                             "d\xe6\xad\xa3\\u001b\"\n}";
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(escape_json_text(&b, in, sizeof in - 1), IPR_OK);
    assert_string_equal(buf_str(&b), "{\n  \"t\": \"a\\u009Bb\\u202Ec\\u007F\\u2028d\xe6\xad\xa3"
                                     "\\u001b\"\n}");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printable_text_passes_unchanged),
        cmocka_unit_test(test_c0_controls_are_escaped),
        cmocka_unit_test(test_c1_and_bidi_controls_are_escaped),
        cmocka_unit_test(test_invisible_characters_are_escaped),
        cmocka_unit_test(test_invalid_utf8_bytes_are_escaped_one_by_one),
        cmocka_unit_test(test_units_have_display_widths),
        cmocka_unit_test(test_utf8_validation_is_strict),
        cmocka_unit_test(test_invalid_bytes_become_replacement_characters),
        cmocka_unit_test(test_json_text_escapes_active_code_points_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
