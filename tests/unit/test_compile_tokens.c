/*
 * test_compile_tokens.c - the token list made once per field gives the
 * trademark passes and term lists exactly the tokens they would find as
 * they go, also when a pass skips past a matched CJK name, and all-ASCII
 * text (tokenized 64 bytes at a time) is cut exactly as byte by byte, each
 * token marked as ASCII letters alone exactly when it is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "compile/markset.h"
#include "random_text.h"

static const char *const texts[] = {
    "",
    "nike air max 90, size 42",
    "  ---  ",
    "caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9",
    "\xe8\x80\x90\xe5\x85\x8b\xe8\xbf\x90\xe5\x8a\xa8\xe9\x9e\x8b nike", /* 耐克运动鞋 nike */
    "abc\xe8\x80\x90\xe5\x85\x8b"
    "def \xe3\x83\x8a\xe3\x82\xa4\xe3\x82\xad", /* abc耐克def ナイキ */
    "l0uis vuitt0n | g-u-c-c-i",
};

/* Walks text with and without a list, skipping to `skip_at` after the
 * token that ends there (SIZE_MAX: never), and compares every token. */
static void compare_walks(const char *text, size_t skip_from, size_t skip_at)
{
    size_t len = strlen(text);
    struct vec list;
    vec_init(&list, sizeof(struct text_token));
    assert_int_equal(markset_tokens(text, len, &list), IPR_OK);
    struct token_walk a, b;
    token_walk_init(&a, text, len, NULL, 0);
    token_walk_init(&b, text, len, list.items, list.count);
    size_t ats, ate, bts, bte, seen = 0;
    bool acjk, bcjk;
    for (;;) {
        bool more_a = token_walk_next(&a, &ats, &ate, &acjk);
        bool more_b = token_walk_next(&b, &bts, &bte, &bcjk);
        assert_int_equal(more_a, more_b);
        if (!more_a)
            break;
        assert_int_equal(ats, bts);
        assert_int_equal(ate, bte);
        assert_int_equal(acjk, bcjk);
        assert_true(token_walk_hash(&b, bts, bte) == strmap_hash(text + ats, ate - ats));
        /* the list's "letters alone", found 64 bytes at a time, is the
         * bytes' own */
        assert_int_equal(token_walk_letters(&b, bts, bte),
                         !bcjk && markset_ascii_letters(text + bts, bte - bts));
        if (ats == skip_from) {
            token_walk_skip_to(&a, skip_at);
            token_walk_skip_to(&b, skip_at);
        }
        seen++;
    }
    if (skip_from == SIZE_MAX)
        assert_int_equal(seen, list.count);
    vec_release(&list);
}

static void test_list_equals_walk(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        compare_walks(texts[i], SIZE_MAX, 0);
}

/* ASCII text of every length up to 300 bytes, words and separators of
 * pseudo-random lengths, so that tokens start, end and run across each
 * 64-byte block edge; also tokens that fill a block or the whole text. */
static void test_ascii_blocks_equal_walk(void **state)
{
    (void)state;
    static const char word_bytes[] = "abcxyzABCXYZ0189";
    static const char gap_bytes[] = " -_.,/:@[`{\x7f\t";
    char text[301];
    uint32_t seed = 12345;
    for (size_t len = 0; len <= 300; len++) {
        for (int round = 0; round < 4; round++) {
            size_t i = 0;
            bool word = round & 1;
            while (i < len) {
                seed = seed * 1103515245u + 12345u;
                size_t run = 1 + (seed >> 16) % (round < 2 ? 9 : 70);
                for (size_t k = 0; k < run && i < len; k++, i++) {
                    seed = seed * 1103515245u + 12345u;
                    text[i] = word ? word_bytes[(seed >> 16) % (sizeof(word_bytes) - 1)]
                                   : gap_bytes[(seed >> 16) % (sizeof(gap_bytes) - 1)];
                }
                word = !word;
            }
            text[len] = '\0';
            compare_walks(text, SIZE_MAX, 0);
        }
        memset(text, 'q', len); /* one token of the whole text */
        text[len] = '\0';
        compare_walks(text, SIZE_MAX, 0);
        /* ... with one digit, wherever it is: a token of letters and
         * digits across blocks */
        for (size_t at = 0; at < len && len <= 140; at++) {
            text[at] = '7';
            compare_walks(text, SIZE_MAX, 0);
            text[at] = 'q';
        }
    }
}

/* The same with characters that are not ASCII among them (letters that
 * carry a word on, symbols that end it, CJK that is a token of its own):
 * the ASCII stretches between them are read a mask at a time. */
static void test_mixed_blocks_equal_walk(void **state)
{
    (void)state;
    static const char *const pieces[] = {"ab",
                                         "Z9",
                                         "x",
                                         " ",
                                         "-",
                                         ". ",
                                         "\xc3\xa9",     /* é */
                                         "\xe2\x82\xac", /* € */
                                         "\xe8\x80\x90", /* 耐 */
                                         "\xd0\x96",     /* Ж */
                                         "\xcc\x81",     /* a combining acute */
                                         "\xf0\x9f\x98\x80",
                                         "qqqqqqqqqqqqqqqqqqqqqq",
                                         "  \t"};
    char text[400];
    uint32_t seed = 99;
    for (int round = 0; round < 3000; round++) {
        random_text(&seed, pieces, sizeof(pieces) / sizeof(pieces[0]), 40, text);
        compare_walks(text, SIZE_MAX, 0);
    }
}

/* A match of a CJK name from a token's start to the end of any later
 * token: the walk goes on after it the same way with and without a list. */
static void test_skip_after_cjk_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const char *text = texts[i];
        struct vec list;
        vec_init(&list, sizeof(struct text_token));
        assert_int_equal(markset_tokens(text, strlen(text), &list), IPR_OK);
        const struct text_token *t = list.items;
        for (size_t from = 0; from < list.count; from++)
            for (size_t to = from; to < list.count; to++)
                compare_walks(text, t[from].start, t[to].end);
        vec_release(&list);
    }
}

static void test_token_counts(void **state)
{
    (void)state;
    struct vec list;
    vec_init(&list, sizeof(struct text_token));
    assert_int_equal(markset_tokens(texts[4], strlen(texts[4]), &list), IPR_OK);
    assert_int_equal(list.count, 6); /* five CJK characters, one word */
    const struct text_token *t = list.items;
    assert_true(t[0].cjk);
    assert_false(t[5].cjk);
    assert_int_equal(t[5].end - t[5].start, 4);
    vec_clear(&list);
    assert_int_equal(markset_tokens(texts[2], strlen(texts[2]), &list), IPR_OK);
    assert_int_equal(list.count, 0);
    vec_release(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_equals_walk),
        cmocka_unit_test(test_skip_after_cjk_match),
        cmocka_unit_test(test_ascii_blocks_equal_walk),
        cmocka_unit_test(test_mixed_blocks_equal_walk),
        cmocka_unit_test(test_token_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
