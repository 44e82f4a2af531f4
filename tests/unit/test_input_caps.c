/*
 * test_input_caps.c - the field and record caps of the readers, and the
 * header search on a pipe.
 *
 * A value over the field cap is kept up to the cap, cut between two
 * characters, and its record carries the reason (never an error, never
 * silently short); the other fields and the next record are untouched.
 * Caps given at run time replace the defaults for CSV, JSON Lines and JSON
 * arrays.  A header below template rows is found on a pipe that delivers
 * a few bytes at a time exactly as in the file.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/limits.h"
#include "compile/builtin.h"
#include "input/reader.h"
#include "input/source.h"

#include "profile_table.h"
#include "reader_fixture.h"

#define EURO "\xE2\x82\xAC" /* three bytes */

/* ---- shared checks ---------------------------------------------------------------------- */

static struct ipr_reader *open_capped(const char *name, const char *text, size_t len,
                                      size_t field_cap, size_t record_cap)
{
    struct reader_caps caps = {field_cap, record_cap};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem_capped(name, text, len, NULL, &caps, &r), IPR_OK);
    assert_non_null(r);
    return r;
}

static void assert_value(const struct ipr_record *rec, const char *name, const char *value)
{
    const struct record_field *f = field_present(rec, name);
    assert_int_equal(f->value_len, strlen(value));
    assert_string_equal(f->value, value);
}

/* `before` x's, a euro sign, then x's up to `total` bytes. */
static void append_straddling(struct buf *b, size_t before, size_t total)
{
    for (size_t i = 0; i < before; i++)
        assert_int_equal(buf_append_char(b, 'x'), IPR_OK);
    assert_int_equal(buf_append_str(b, EURO), IPR_OK);
    for (size_t i = before + 3; i < total; i++)
        assert_int_equal(buf_append_char(b, 'x'), IPR_OK);
}

/* The long value was cut just before the euro sign that straddles the cap. */
static void assert_cut_before_euro(const struct ipr_record *rec, const char *name, size_t cap,
                                   size_t total)
{
    const struct record_field *f = field_present(rec, name);
    assert_int_equal(f->value_len, cap - 1);
    assert_int_equal(strlen(f->value), cap - 1);
    for (size_t i = 0; i < f->value_len; i++)
        if (f->value[i] != 'x')
            fail_msg("byte %zu of the kept value is 0x%02x", i, (unsigned char)f->value[i]);
    char want[160];
    snprintf(want, sizeof(want), "field '%s' is %zu bytes; only the first %zu were checked", name,
             total, cap - 1);
    assert_non_null(rec->incomplete);
    assert_string_equal(rec->incomplete, want);
    assert_null(rec->error);
}

/* ---- cutting at a character boundary -------------------------------------------------- */

static void test_utf8_cut(void **state)
{
    (void)state;
    assert_int_equal(utf8_cut("", 0), 0);
    assert_int_equal(utf8_cut("abc", 3), 3);
    assert_int_equal(utf8_cut("ab" EURO, 5), 5);           /* whole */
    assert_int_equal(utf8_cut("ab" EURO, 4), 2);           /* two of three bytes */
    assert_int_equal(utf8_cut("ab" EURO, 3), 2);           /* the lead byte alone */
    assert_int_equal(utf8_cut("a\xC3\xA9", 2), 1);         /* two-byte é, cut */
    assert_int_equal(utf8_cut("a\xF0\x9F\x98\x80", 4), 1); /* four-byte emoji, cut */
    assert_int_equal(utf8_cut("a\xF0\x9F\x98\x80", 5), 5);
}

/* ---- the field cap ------------------------------------------------------------------ */

static void test_csv_default_cap_straddling(void **state)
{
    (void)state;
    /* cap + 100 bytes, the euro sign over bytes cap-1 .. cap+1 */
    size_t cap = IPR_INPUT_MAX_FIELD_BYTES, total = cap + 100;
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "sku,description,title\nA1,\""), IPR_OK);
    append_straddling(&text, cap - 1, total);
    assert_int_equal(buf_append_str(&text, "\",Red mug\nA2,short,Blue cup\n"), IPR_OK);

    struct reader_caps none = {0, 0};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem_capped("big.csv", text.data, text.len, NULL, &none, &r),
                     IPR_OK);
    const struct ipr_record *rec = next_ok(r);
    assert_cut_before_euro(rec, "description", cap, total);
    assert_value(rec, "sku", "A1");
    assert_value(rec, "title", "Red mug");
    assert_string_equal(rec->key, "A1");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_null(rec->error);
    assert_value(rec, "description", "short");
    assert_value(rec, "title", "Blue cup");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_csv_overridden_field_cap(void **state)
{
    (void)state;
    /* 64-byte cap: a quoted cell with "" escapes and a line break counts
     * unescaped bytes; the euro sign straddles byte 64 */
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "id,title,note\n1,\""), IPR_OK);
    append_straddling(&text, 63, 164);
    assert_int_equal(buf_append_str(&text, "\",after\n2,\"a \"\"b\"\"\nc\",x\n"), IPR_OK);
    struct ipr_reader *r = open_capped("cap.csv", text.data, text.len, 64, 0);
    const struct ipr_record *rec = next_ok(r);
    assert_cut_before_euro(rec, "title", 64, 164);
    assert_value(rec, "note", "after");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_value(rec, "title", "a \"b\"\nc");
    assert_done(r);
    reader_free(r);

    /* exactly at the cap is whole; one byte more is not */
    r = open_capped("edge.csv", "t\n12345678\n123456789\n", 21, 8, 0);
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_value(rec, "t", "12345678");
    rec = next_ok(r);
    assert_value(rec, "t", "12345678");
    assert_string_equal(rec->incomplete, "field 't' is 9 bytes; only the first 8 were checked");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_csv_header_cell_over_cap_is_an_error(void **state)
{
    (void)state;
    /* a header name cut short would name another column */
    const char *text = "id,a_very_long_column_name\n1,2\n";
    struct ipr_reader *r = open_capped("h.csv", text, strlen(text), 8, 0);
    const struct ipr_record *rec = next_ok(r);
    assert_non_null(rec->error);
    assert_string_equal(rec->error,
                        "header row: cell 2 at line 1, column 4 is larger than 8 bytes");
    assert_null(rec->incomplete);
    reader_free(r);
}

static void test_jsonl_fields_over_cap(void **state)
{
    (void)state;
    struct buf text;
    buf_init(&text, 0);
    /* default cap, then a second reader with a 16-byte cap over the same text */
    size_t cap = IPR_INPUT_MAX_FIELD_BYTES, total = cap + 100;
    assert_int_equal(buf_append_str(&text, "{\"sku\":\"J1\",\"d\":{\"text\":\""), IPR_OK);
    append_straddling(&text, cap - 1, total);
    assert_int_equal(buf_append_str(&text, "\"},\"n\":12}\n{\"sku\":\"J2\",\"d\":\"ok\"}\n"),
                     IPR_OK);
    struct ipr_reader *r = open_capped("a.jsonl", text.data, text.len, 0, 0);
    const struct ipr_record *rec = next_ok(r);
    assert_cut_before_euro(rec, "d.text", cap, total);
    assert_value(rec, "sku", "J1");
    assert_value(rec, "n", "12");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_value(rec, "d", "ok");
    assert_done(r);
    reader_free(r);

    /* the 16-byte cap cuts the same text earlier; escapes count unescaped */
    const char *small = "{\"t\":\"\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\",\"u\":\"short\"}\n"
                        "{\"t\":\"fine\"}\n";
    r = open_capped("b.jsonl", small, strlen(small), 16, 0);
    rec = next_ok(r);
    assert_value(rec, "t", EURO EURO EURO EURO EURO); /* 15 of 18 bytes */
    assert_string_equal(rec->incomplete, "field 't' is 18 bytes; only the first 15 were checked");
    assert_value(rec, "u", "short");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_value(rec, "t", "fine");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_json_array_field_over_cap(void **state)
{
    (void)state;
    const char *text = "[{\"sku\":\"A\",\"title\":\"replica" EURO "watch\"},\n"
                       " {\"sku\":\"B\",\"title\":\"mug\"}]";
    struct ipr_reader *r = open_capped("x.json", text, strlen(text), 9, 0);
    const struct ipr_record *rec = next_ok(r);
    assert_value(rec, "title", "replica");
    assert_string_equal(rec->incomplete,
                        "field 'title' is 15 bytes; only the first 7 were checked");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_value(rec, "title", "mug");
    assert_done(r);
    reader_free(r);
}

/* ---- the record cap ------------------------------------------------------------------ */

/* Reads text under a 100-byte record cap: its first record is over it and
 * must be an error record saying `error`, and the next one (b = ok) is read
 * as usual. */
static void expect_record_over_cap(const char *name, const struct buf *text, const char *error)
{
    struct ipr_reader *r = open_capped(name, text->data, text->len, 0, 100);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->error, error);
    assert_null(rec->incomplete);
    assert_int_equal(rec->field_count, 0);
    rec = next_ok(r);
    assert_null(rec->error);
    assert_value(rec, "b", "ok");
    assert_done(r);
    reader_free(r);
}

static void test_overridden_record_cap(void **state)
{
    (void)state;
    char row[300];
    memset(row, 'y', sizeof(row) - 1);
    row[sizeof(row) - 1] = '\0';
    struct buf text;
    buf_init(&text, 0);

    /* CSV: a 299-byte cell over a 100-byte record cap is an error record */
    assert_int_equal(buf_printf(&text, "a,b\n1,%s\n2,ok\n", row), IPR_OK);
    expect_record_over_cap("r.csv", &text, "row longer than 100 bytes");

    /* JSON Lines */
    buf_clear(&text);
    assert_int_equal(buf_printf(&text, "{\"b\":\"%s\"}\n{\"b\":\"ok\"}\n", row), IPR_OK);
    expect_record_over_cap("r.jsonl", &text, "line longer than 100 bytes");

    /* a JSON array element */
    buf_clear(&text);
    assert_int_equal(buf_printf(&text, "[{\"b\":\"%s\"},{\"b\":\"ok\"}]", row), IPR_OK);
    expect_record_over_cap("r.json", &text, "JSON value longer than 100 bytes");

    /* the same rows under the default caps are whole */
    buf_clear(&text);
    assert_int_equal(buf_printf(&text, "a,b\n1,%s\n", row), IPR_OK);
    struct ipr_reader *r = open_capped("r.csv", text.data, text.len, 0, 0);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_null(rec->incomplete);
    assert_value(rec, "b", row);
    reader_free(r);
    buf_release(&text);
}

static void test_caps_above_ceiling(void **state)
{
    (void)state;
    char msg[160];
    struct reader_caps ok = {IPR_INPUT_MAX_FIELD_BYTES_CEILING, IPR_INPUT_MAX_LINE_BYTES_CEILING};
    assert_int_equal(reader_caps_check(&ok, msg, sizeof(msg)), IPR_OK);
    assert_int_equal(reader_caps_check(NULL, msg, sizeof(msg)), IPR_OK);

    struct reader_caps field_high = {IPR_INPUT_MAX_FIELD_BYTES_CEILING + 1, 0};
    assert_int_equal(reader_caps_check(&field_high, msg, sizeof(msg)), IPR_EINVAL);
    assert_string_equal(msg, "a field cap of 8388609 bytes is above the limit of 8388608 bytes");
    struct reader_caps record_high = {0, IPR_INPUT_MAX_LINE_BYTES_CEILING + 1};
    assert_int_equal(reader_caps_check(&record_high, msg, sizeof(msg)), IPR_EINVAL);
    assert_string_equal(msg,
                        "a record cap of 268435457 bytes is above the limit of 268435456 bytes");

    struct ipr_reader *r = (struct ipr_reader *)1;
    assert_int_equal(reader_open_mem_capped("x.csv", "a\n1\n", 4, NULL, &field_high, &r),
                     IPR_EINVAL);
    assert_null(r);
    char why[160] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, NULL, NULL, NULL, why, sizeof(why)};
    assert_int_equal(reader_open_mem_capped("x.csv", "a\n1\n", 4, &cfg, &record_high, &r),
                     IPR_EINVAL);
    assert_string_equal(why,
                        "a record cap of 268435457 bytes is above the limit of 268435456 bytes");
}

/* ---- through a profile ---------------------------------------------------------------- */

static void test_profile_listing_keeps_the_reason(void **state)
{
    (void)state;
    /* Shopify rows grouped by Handle: the cut cell is in the second row of
     * the product, and the product's listing says so */
    const char *text = "Handle,Title,Body (HTML),Vendor,Variant SKU\n"
                       "mug,Red mug,<p>plain</p>,Kelda,M-1\n"
                       "mug,,,,M-2-with-a-very-long-sku-value\n"
                       "cup,Blue cup,<p>fine</p>,Kelda,C-1\n";
    char why[160] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, "auto", NULL, profile_table, why, sizeof(why)};
    struct ipr_reader *r = NULL;
    assert_int_equal(
        reader_open_mem_capped("s.csv", text, strlen(text), &cfg, &(struct reader_caps){16, 0}, &r),
        IPR_OK);
    assert_non_null(strstr(reader_description(r), "profile shopify"));
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_string_equal(rec->incomplete,
                        "field 'Variant SKU' is 30 bytes; only the first 16 were checked");
    rec = next_ok(r);
    assert_null(rec->error);
    assert_null(rec->incomplete);
    assert_done(r);
    reader_free(r);
}

/* ---- the header below template rows, on a pipe -------------------------------------------- */

/* An Amazon inventory template: two rows for Amazon's use above the
 * header, as Seller Central writes them. */
static const char amazon_template[] =
    "TemplateType=fptcustom\tVersion=2021.1019\tThe top 3 rows are for Amazon use only. Do not "
    "modify or delete the top 3 rows.\n"
    "SKU\tProduct Name\tBrand Name\tProduct Description\n"
    "item_sku\titem_name\tbrand_name\tproduct_description\n"
    "AMZ1\tNike replica running shoes\tGeneric\tsee the photos\n"
    "AMZ2\tplain mug\tKelda\tstoneware, 350 ml\n";

/* Reads text through a pipe whose writer sends `piece` bytes at a time
 * with a pause between writes, with the given profile. */
static char *read_through_pipe(const char *text, size_t piece, const char *profile)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        size_t len = strlen(text);
        for (size_t off = 0; off < len; off += piece) {
            size_t n = len - off < piece ? len - off : piece;
            if (write(fds[1], text + off, n) != (ssize_t)n)
                _exit(1);
            struct timespec pause = {0, 2 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        _exit(0);
    }
    close(fds[1]);
    char path[32];
    snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
    struct reader_config cfg = {IPR_INPUT_AUTO, profile, NULL, profile_table, NULL, 0};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path_ex(path, &cfg, &r), IPR_OK);
    close(fds[0]); /* the reader opened its own descriptor */
    char *dump = dump_all(r, true);
    reader_free(r);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return dump;
}

static void test_template_rows_on_a_pipe(void **state)
{
    (void)state;
    struct reader_config cfg = {IPR_INPUT_TSV, "auto", NULL, profile_table, NULL, 0};
    struct ipr_reader *r = NULL;
    assert_int_equal(
        reader_open_mem_ex("t.txt", amazon_template, strlen(amazon_template), &cfg, &r), IPR_OK);
    char *want = dump_all(r, true);
    reader_free(r);
    assert_non_null(strstr(want, "profile amazon, header line 3"));
    assert_non_null(strstr(want, "key AMZ1"));

    /* the bytes arrive in pieces smaller than one row, or one at a time */
    static const size_t pieces[] = {1, 7, 40, 4096};
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        char *got = read_through_pipe(amazon_template, pieces[i], "auto");
        /* the pipe is read as TSV by its content, the memory as TSV by flag */
        assert_string_equal(got, want);
        free(got);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_cut),
        cmocka_unit_test(test_csv_default_cap_straddling),
        cmocka_unit_test(test_csv_overridden_field_cap),
        cmocka_unit_test(test_csv_header_cell_over_cap_is_an_error),
        cmocka_unit_test(test_jsonl_fields_over_cap),
        cmocka_unit_test(test_json_array_field_over_cap),
        cmocka_unit_test(test_overridden_record_cap),
        cmocka_unit_test(test_caps_above_ceiling),
        cmocka_unit_test(test_profile_listing_keeps_the_reason),
        cmocka_unit_test(test_template_rows_on_a_pipe),
    };
    return cmocka_run_group_tests(tests, profile_table_load, profile_table_free);
}
