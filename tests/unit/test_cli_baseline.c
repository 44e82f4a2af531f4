/*
 * test_cli_baseline.c - baseline files: parsing with positions, the
 * sorted and unique rendering, lookups, and the atomic write.
 *
 * The program's files are not part of the library, so this test compiles
 * the ones it checks (baseline.c and the output.c it writes through).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <dirent.h>
#include <unistd.h>

#include "cli/baseline.c"
#include "cli/output.c"

static void test_fingerprints_parse_exactly_sixteen_hex_digits(void **state)
{
    uint64_t v = 0;
    assert_true(fingerprint_parse("0123456789abcdef", 16, &v));
    assert_true(v == 0x0123456789abcdefull);
    assert_true(fingerprint_parse("FEDCBA9876543210", 16, &v));
    assert_true(v == 0xfedcba9876543210ull);
    assert_false(fingerprint_parse("0123456789abcde", 15, &v));
    assert_false(fingerprint_parse("0123456789abcdef0", 17, &v));
    assert_false(fingerprint_parse("0123456789abcdeg", 16, &v));
    assert_false(fingerprint_parse("0x23456789abcdef", 16, &v));
}

static void test_parse_skips_comments_and_seals(void **state)
{
    static const char text[] = "# iprcheck baseline\r\n"
                               "\n"
                               "ffffffffffffffff\n"
                               "  0000000000000001   # reviewed by legal\n"
                               "0000000000000001\r\n"
                               "00000000000000AA";
    struct fingerprints s = {0};
    char err[256] = "";
    assert_true(baseline_parse("b.txt", text, sizeof text - 1, &s, err, sizeof err));
    assert_true(s.sealed);
    assert_int_equal(s.count, 3); /* the duplicate is dropped */
    assert_true(s.items[0] == 1 && s.items[1] == 0xaa && s.items[2] == UINT64_MAX);
    assert_true(fingerprints_contains(&s, 0xaa));
    assert_true(fingerprints_contains(&s, UINT64_MAX));
    assert_false(fingerprints_contains(&s, 2));
    fingerprints_release(&s);

    /* an empty baseline hides nothing */
    assert_true(baseline_parse("b.txt", "", 0, &s, err, sizeof err));
    assert_int_equal(s.count, 0);
    assert_false(fingerprints_contains(&s, 0));
    fingerprints_release(&s);
}

static void expect_error(const char *text, const char *want)
{
    struct fingerprints s = {0};
    char err[256] = "";
    assert_false(baseline_parse("base.txt", text, strlen(text), &s, err, sizeof err));
    assert_string_equal(err, want);
    fingerprints_release(&s);
}

static void test_parse_errors_have_positions(void **state)
{
    expect_error("# ok\n0123456789abcdef\n0123456789abcdeX\n",
                 "base.txt:3:1: error: expected one fingerprint (16 hex digits) per line");
    expect_error("   0123\n", "base.txt:1:4: error: expected one fingerprint (16 hex digits) "
                              "per line");
    expect_error("0123456789abcdef MK-RULE\n", "base.txt:1:18: error: expected one fingerprint "
                                               "(16 hex digits) per line");
    expect_error("[\"0123456789abcdef\"]\n", "base.txt:1:1: error: expected one fingerprint (16 "
                                             "hex digits) per line");
}

static void test_render_is_sorted_unique_and_stable(void **state)
{
    struct fingerprints s = {0};
    assert_true(fingerprints_add(&s, 0xfedcba9876543210ull));
    assert_true(fingerprints_add(&s, 0x10));
    assert_true(fingerprints_add(&s, 0xfedcba9876543210ull));
    char *text = NULL;
    size_t len = 0;
    assert_true(baseline_render(&s, &text, &len));
    assert_int_equal(len, strlen(text));
    assert_string_equal(text, BASELINE_HEADER "0000000000000010\n"
                                              "fedcba9876543210\n");
    /* what is written reads back as the same set */
    struct fingerprints back = {0};
    char err[256];
    assert_true(baseline_parse("x", text, len, &back, err, sizeof err));
    assert_int_equal(back.count, 2);
    assert_memory_equal(back.items, s.items, 2 * sizeof *s.items);
    free(text);
    fingerprints_release(&back);
    fingerprints_release(&s);
}

static size_t files_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_write_and_read_a_file(void **state)
{
    char dir[] = "/tmp/ipr-baseline-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/baseline.txt", dir);
    struct fingerprints s = {0};
    assert_true(fingerprints_add(&s, 42));
    char err[512] = "";
    assert_true(baseline_write(path, &s, err, sizeof err));
    assert_int_equal(files_in(dir), 1); /* no temporary file left behind */
    struct fingerprints back = {0};
    assert_true(baseline_read(path, &back, err, sizeof err));
    assert_int_equal(back.count, 1);
    assert_true(fingerprints_contains(&back, 42));
    fingerprints_release(&back);

    /* a missing file and an unwritable place are errors with the path */
    snprintf(path, sizeof path, "%s/none/baseline.txt", dir);
    assert_false(baseline_read(path, &back, err, sizeof err));
    assert_non_null(strstr(err, "cannot read baseline '"));
    assert_non_null(strstr(err, "none/baseline.txt': No such file or directory"));
    assert_false(baseline_write(path, &s, err, sizeof err));
    assert_non_null(strstr(err, "cannot write baseline '"));
    fingerprints_release(&back);
    fingerprints_release(&s);
    snprintf(path, sizeof path, "%s/baseline.txt", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprints_parse_exactly_sixteen_hex_digits),
        cmocka_unit_test(test_parse_skips_comments_and_seals),
        cmocka_unit_test(test_parse_errors_have_positions),
        cmocka_unit_test(test_render_is_sorted_unique_and_stable),
        cmocka_unit_test(test_write_and_read_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
