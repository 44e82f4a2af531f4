/*
 * test_cli_progress.c - when the progress line is drawn, and what it says.
 *
 * The program's files are not part of the library, so this test compiles
 * the one it checks.  The decision is a pure function of the terminal,
 * $CI, --quiet and where the report goes; the line is a pure function of
 * the counters.  Drawing is checked through a memory stream: nothing
 * before the first tenth of a second, and the line erased at the end.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "cli/progress.c"

static void test_drawn_only_for_a_person_watching(void **state)
{
    /* stderr tty, no CI, not quiet, report elsewhere: the one case that draws */
    assert_true(progress_wanted(true, NULL, false, false));
    assert_false(progress_wanted(false, NULL, false, false));  /* stderr redirected */
    assert_false(progress_wanted(true, "true", false, false)); /* CI=true */
    assert_false(progress_wanted(true, "", false, false));     /* CI set, even empty */
    assert_false(progress_wanted(true, "0", false, false));
    assert_false(progress_wanted(true, NULL, true, false)); /* --quiet */
    assert_false(progress_wanted(true, NULL, false, true)); /* the report is on the terminal */
    for (int mask = 0; mask < 16; mask++) {
        bool tty = mask & 1, ci = mask & 2, quiet = mask & 4, report = mask & 8;
        assert_int_equal(progress_wanted(tty, ci ? "1" : NULL, quiet, report),
                         tty && !ci && !quiet && !report);
    }
}

static void test_line_shows_what_is_known(void **state)
{
    char line[128];
    progress_format(line, sizeof line, 0, 0.0, 0, 0);
    assert_string_equal(line, "iprcheck: 0 records, 0/s");
    progress_format(line, sizeof line, 1, 2.0, 0, 0);
    assert_string_equal(line, "iprcheck: 1 record, 0/s");
    /* size unknown (standard input): records and rate only */
    progress_format(line, sizeof line, 12000, 4.0, 500, 0);
    assert_string_equal(line, "iprcheck: 12000 records, 3000/s");
    /* nothing finished yet: no share, no time left */
    progress_format(line, sizeof line, 12000, 4.0, 0, 1000);
    assert_string_equal(line, "iprcheck: 12000 records, 3000/s");
    /* a quarter read in 10 s: 30 s left */
    progress_format(line, sizeof line, 5000, 10.0, 250, 1000);
    assert_string_equal(line, "iprcheck: 5000 records, 500/s, 25%, 0:30 left");
    progress_format(line, sizeof line, 5000, 100.0, 10, 1000);
    assert_string_equal(line, "iprcheck: 5000 records, 50/s, 1%, 2:45:00 left");
    /* a file that grew while it was read never shows more than 100% */
    progress_format(line, sizeof line, 7, 1.0, 2000, 1000);
    assert_string_equal(line, "iprcheck: 7 records, 7/s, 100%, 0:00 left");
    /* cut to the buffer, still a string */
    char tiny[12];
    progress_format(tiny, sizeof tiny, 5000, 10.0, 250, 1000);
    assert_string_equal(tiny, "iprcheck: 5");
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static size_t count_erases(const char *s)
{
    size_t n = 0;
    for (const char *p = strstr(s, "\r\x1b[K"); p; p = strstr(p + 1, "\r\x1b[K"))
        n++;
    return n;
}

static void test_redrawn_at_most_ten_times_a_second_and_erased(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    struct progress p;
    progress_start(&p, f, 1000);
    for (int i = 0; i < 1000; i++)
        progress_record(&p); /* far less than a tenth of a second */
    fflush(f);
    assert_int_equal(len, 0);
    sleep_s(0.12);
    progress_record(&p);
    progress_record(&p); /* within the same tenth: not drawn again */
    fflush(f);
    assert_true(strncmp(text, "\r\x1b[Kiprcheck: 1001 records, ", 28) == 0);
    assert_int_equal(count_erases(text), 1);
    assert_null(strchr(text, '\n')); /* never a line of its own in a log */
    progress_end(&p);
    fflush(f);
    assert_int_equal(count_erases(text), 2);
    assert_string_equal(text + len - 4, "\r\x1b[K"); /* erased at the end */
    progress_record(&p);                             /* after the end: silent */
    fflush(f);
    assert_int_equal(count_erases(text), 2);
    fclose(f);
    free(text);
}

static void test_cleared_for_a_message_then_drawn_again(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    struct progress p;
    progress_start(&p, f, 0);
    sleep_s(0.12);
    progress_record(&p);
    progress_clear(&p); /* a message may now start at column 0 */
    fflush(f);
    assert_int_equal(count_erases(text), 2);
    assert_string_equal(text + len - 4, "\r\x1b[K");
    progress_clear(&p); /* nothing on screen: nothing to erase */
    progress_end(&p);
    fflush(f);
    assert_int_equal(count_erases(text), 2);
    fclose(f);
    free(text);
}

static void test_short_scan_and_disabled_line_write_nothing(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    struct progress p;
    progress_start(&p, f, 0);
    progress_record(&p);
    progress_end(&p); /* nothing was drawn, so nothing to erase */
    progress_start(&p, NULL, 0);
    sleep_s(0.12);
    progress_record(&p);
    progress_input_done(&p, 10);
    progress_end(&p);
    fflush(f);
    assert_int_equal(len, 0);
    fclose(f);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drawn_only_for_a_person_watching),
        cmocka_unit_test(test_line_shows_what_is_known),
        cmocka_unit_test(test_redrawn_at_most_ten_times_a_second_and_erased),
        cmocka_unit_test(test_cleared_for_a_message_then_drawn_again),
        cmocka_unit_test(test_short_scan_and_disabled_line_write_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
