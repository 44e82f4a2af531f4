/*
 * test_input_csv.c - CSV and TSV rows to records, as the reader contract
 * states them: quoting, line ends, header names, ragged rows, blank lines,
 * the recovery from a quote that never closes, byte and size problems, and
 * identical results whether the bytes come from memory, a file or a pipe
 * that trickles one byte at a time.
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
#include <unistd.h>

#include "base/buf.h"
#include "base/limits.h"
#include "input/reader.h"
#include "reader_fixture.h"
#include "temp_file.h"

/* ---- shared checks ----------------------------------------------------------- */

static struct ipr_reader *open_text(const char *name, const char *text, ipr_input_format format)
{
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem(name, text, strlen(text), format, &r), IPR_OK);
    assert_non_null(r);
    return r;
}

static void assert_field(const struct ipr_record *rec, const char *name, const char *value)
{
    const struct record_field *f = field(rec, name);
    if (!f)
        fail_msg("no field '%s' in record %llu", name, (unsigned long long)rec->index);
    assert_string_equal(f->value, value);
    assert_int_equal(f->value_len, strlen(value));
    assert_int_equal(f->kind, FIELD_STRING);
}

static void assert_field_at(const struct ipr_record *rec, const char *name, uint32_t line,
                            uint32_t col)
{
    const struct record_field *f = field(rec, name);
    if (!f)
        fail_msg("no field '%s'", name);
    assert_int_equal(f->line, line);
    assert_int_equal(f->col, col);
}

/* ---- quoting and line ends ------------------------------------------------------ */

static void test_header_names_fields(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text(
        "shop.csv", "sku,title,price\nA-1,Red mug,9.50\nB-2,Blue cup,3\n", IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->file, "shop.csv");
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->index, 0);
    assert_null(rec->error);
    assert_int_equal(rec->field_count, 3);
    assert_string_equal(rec->fields[0].name, "sku");
    assert_string_equal(rec->fields[1].name, "title");
    assert_string_equal(rec->fields[2].name, "price");
    assert_field(rec, "title", "Red mug");
    assert_field(rec, "price", "9.50");
    assert_string_equal(rec->key, "A-1");
    assert_field_at(rec, "sku", 2, 1);
    assert_field_at(rec, "title", 2, 5);
    assert_field_at(rec, "price", 2, 13);
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_int_equal(rec->index, 1);
    assert_string_equal(rec->key, "B-2");
    assert_field(rec, "title", "Blue cup");
    assert_done(r);
    reader_free(r);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    const char *text = "id,title,note\n"
                       "1,\"Mug, red\",\"say \"\"hi\"\"\"\n"
                       "2,\"line one\nline two\r\nline three\",after\n"
                       "3,\"\",\"\"\"\"\n";
    struct ipr_reader *r = open_text("q.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "title", "Mug, red");
    assert_field(rec, "note", "say \"hi\"");
    assert_field_at(rec, "title", 2, 3); /* the opening quote's column */
    assert_field_at(rec, "note", 2, 14);

    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_field(rec, "title", "line one\nline two\r\nline three");
    assert_field(rec, "note", "after");
    assert_field_at(rec, "note", 5, 13);

    rec = next_ok(r);
    assert_int_equal(rec->line, 6);
    assert_null(field(rec, "title")); /* "" is an empty cell */
    assert_field(rec, "note", "\"");
    assert_done(r);
    reader_free(r);
}

static void test_crlf_and_cr_line_ends(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text("w.csv", "a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6", IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_field(rec, "b", "2");
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_field(rec, "b", "x\r\ny");
    rec = next_ok(r);
    assert_int_equal(rec->line, 5); /* no line end after the last row */
    assert_field(rec, "a", "5");
    assert_field(rec, "b", "6");
    assert_done(r);
    reader_free(r);

    /* old Mac exports end lines with CR alone */
    r = open_text("mac.csv", "a,b\r1,2\r3,4\r", IPR_INPUT_CSV);
    rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_field(rec, "b", "2");
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_field(rec, "a", "3");
    assert_done(r);
    reader_free(r);
}

static void test_bom(void **state)
{
    (void)state;
    struct ipr_reader *r =
        open_text("bom.csv", "\xEF\xBB\xBFitem_sku,item_name\nS1,Cufflinks\n", IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->fields[0].name, "item_sku");
    assert_field(rec, "item_sku", "S1");
    assert_field_at(rec, "item_sku", 2, 1);
    reader_free(r);

    /* the mark is invisible in columns of line 1 too: a header-only error shows it */
    r = open_text("bom2.csv",
                  "\xEF\xBB\xBF"
                  "a,\"b\"x\n1,2\n",
                  IPR_INPUT_CSV);
    rec = next_ok(r);
    assert_error_contains(rec, "header row: unexpected text after the closing quote at line 1, "
                               "column 6");
    assert_int_equal(rec->error_offset, 8); /* file offsets do count the mark */
    reader_free(r);
}

/* ---- header and ragged rows ------------------------------------------------------ */

static void test_header_paths_and_trimming(void **state)
{
    (void)state;
    const char *text = " sku ,customs.hs_code,images[0].alt_text,,\ttitle\t\n"
                       "S1,4202,Red bag,unnamed,Bag\n";
    struct ipr_reader *r = open_text("h.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->field_count, 5);
    assert_field(rec, "sku", "S1");
    assert_field(rec, "title", "Bag");
    const struct record_field *f = field(rec, "customs.hs_code");
    assert_non_null(f);
    assert_string_equal(f->path, "customs.hs_code");
    f = field(rec, "images[0].alt_text");
    assert_non_null(f);
    assert_string_equal(f->path, "images.alt_text");
    assert_string_equal(f->value, "Red bag");
    /* an empty header name falls back to the column's number */
    assert_field(rec, "column_4", "unnamed");
    assert_done(r);
    reader_free(r);
}

static void test_extra_missing_and_empty_cells(void **state)
{
    (void)state;
    const char *text = "a,b,c\n"
                       "1,2,3,4,5\n"
                       "6\n"
                       "7,,9\n"
                       ",,\n";
    struct ipr_reader *r = open_text("rag.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->field_count, 5);
    assert_field(rec, "c", "3");
    assert_field(rec, "column_4", "4");
    assert_field(rec, "column_5", "5");
    assert_field_at(rec, "column_5", 2, 9);

    rec = next_ok(r);
    assert_int_equal(rec->field_count, 1);
    assert_field(rec, "a", "6");
    assert_null(field(rec, "b"));

    rec = next_ok(r);
    assert_int_equal(rec->field_count, 2); /* the empty cell is not a field */
    assert_null(field(rec, "b"));
    assert_field(rec, "c", "9");

    rec = next_ok(r); /* a row of empty cells is still a row */
    assert_int_equal(rec->line, 5);
    assert_null(rec->error);
    assert_int_equal(rec->field_count, 0);
    assert_string_equal(rec->key, "3"); /* no sku or record_id: the index */
    assert_done(r);
    reader_free(r);
}

static void test_blank_lines_skipped(void **state)
{
    (void)state;
    const char *text = "\n\nrecord_id,title\n\n1,A\n   \n\r\n2,B\n\n";
    struct ipr_reader *r = open_text("b.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 5);
    assert_int_equal(rec->index, 0);
    assert_string_equal(rec->key, "1"); /* from record_id */
    rec = next_ok(r);
    assert_int_equal(rec->line, 8);
    assert_int_equal(rec->index, 1);
    assert_field(rec, "title", "B");
    assert_done(r);
    reader_free(r);
}

static void test_quote_inside_unquoted_is_literal(void **state)
{
    (void)state;
    struct ipr_reader *r =
        open_text("l.csv", "title,size\nDB 41\" board,12\"x3\"\nnext,row\n", IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "title", "DB 41\" board");
    assert_field(rec, "size", "12\"x3\"");
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_field(rec, "title", "next");
    assert_done(r);
    reader_free(r);
}

/* ---- recovery ------------------------------------------------------------------------ */

static void test_unterminated_quote_mid_file(void **state)
{
    (void)state;
    const char *text = "id,title\n"
                       "1,\"good\"\n"
                       "2,\"bad title\n"
                       "3,ok\n"
                       "4,fine\n";
    struct ipr_reader *r = open_text("u.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "title", "good");

    rec = next_ok(r);
    assert_int_equal(rec->index, 1);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "unterminated quoted field opened at line 3");
    assert_int_equal(rec->error_line, 3);
    assert_int_equal(rec->error_offset, 20);
    assert_string_equal(rec->key, "1");

    /* the rows after the bad one are still read */
    rec = next_ok(r);
    assert_int_equal(rec->index, 2);
    assert_int_equal(rec->line, 4);
    assert_null(rec->error);
    assert_field(rec, "id", "3");
    assert_field(rec, "title", "ok");
    rec = next_ok(r);
    assert_int_equal(rec->index, 3);
    assert_field(rec, "title", "fine");
    assert_done(r);
    reader_free(r);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    /* without this check the stray quote on line 2 would swallow line 3 */
    const char *text = "id,title\n"
                       "1,\"12 inch ruler\n"
                       "2,\"Nike replica\" shoes\n"
                       "3,\"ok\" \n";
    struct ipr_reader *r = open_text("t.csv", text, IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_error_contains(rec, "unexpected text after the closing quote at line 3, column 4");
    assert_int_equal(rec->error_line, 3);

    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "unexpected text after the closing quote at line 3, column 18");

    rec = next_ok(r); /* blanks after a closing quote are allowed */
    assert_int_equal(rec->line, 4);
    assert_field(rec, "title", "ok");
    assert_done(r);
    reader_free(r);
}

static void test_nul_and_invalid_utf8(void **state)
{
    (void)state;
    static const char text[] = "id,title\n"
                               "1,caf\xC3\xA9\n"
                               "2,\"multi\nline \xFF here\"\n"
                               "3,a\0b\n"
                               "4,\xE0\x80\x80 overlong\n"
                               "5,ok\n";
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem("bytes.csv", text, sizeof(text) - 1, IPR_INPUT_CSV, &r),
                     IPR_OK);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "title", "caf\xC3\xA9");

    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "invalid UTF-8 at byte offset 31");
    assert_int_equal(rec->error_offset, 31);
    assert_int_equal(rec->error_line, 4);
    assert_int_equal((unsigned char)text[31], 0xFF);

    rec = next_ok(r);
    assert_int_equal(rec->line, 5);
    assert_error_contains(rec, "NUL byte at byte offset 42");
    assert_int_equal(text[42], '\0');

    rec = next_ok(r);
    assert_error_contains(rec, "invalid UTF-8 at byte offset 47");

    rec = next_ok(r);
    assert_null(rec->error);
    assert_field(rec, "title", "ok");
    assert_int_equal(rec->index, 4);
    assert_done(r);
    reader_free(r);
}

static void test_field_over_cap(void **state)
{
    (void)state;
    size_t big = IPR_INPUT_MAX_FIELD_BYTES + 10;
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "id,description\n1,\""), IPR_OK);
    for (size_t i = 0; i < big; i++)
        assert_int_equal(buf_append_char(&text, i % 100 == 99 ? '\n' : 'x'), IPR_OK);
    assert_int_equal(buf_append_str(&text, "\"\n2,small\n"), IPR_OK);

    /* checked up to the cap, never an error and never silently short */
    struct ipr_reader *r = open_text("big.csv", buf_str(&text), IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_non_null(rec->incomplete);
    assert_string_equal(rec->incomplete, "field 'description' is 1048586 bytes; only the first "
                                         "1048576 were checked");
    assert_int_equal(field(rec, "description")->value_len, IPR_INPUT_MAX_FIELD_BYTES);
    assert_field(rec, "id", "1");
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_null(rec->error);
    assert_field(rec, "description", "small");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_row_over_cap(void **state)
{
    (void)state;
    /* many cells, none over the field cap, together over the row cap */
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "a,b\n1,2\n"), IPR_OK);
    const char chunk[] = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy,";
    while (text.len < IPR_INPUT_MAX_LINE_BYTES + 100)
        assert_int_equal(buf_append(&text, chunk, sizeof(chunk) - 1), IPR_OK);
    assert_int_equal(buf_append_str(&text, "end\n3,4\n5,\""), IPR_OK);
    /* the last quote never closes and is longer than nothing: an error too */

    struct ipr_reader *r = open_text("long.csv", buf_str(&text), IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "a", "1");
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "row longer than");
    rec = next_ok(r);
    assert_int_equal(rec->line, 4);
    assert_field(rec, "a", "3");
    assert_field(rec, "b", "4");
    rec = next_ok(r);
    assert_error_contains(rec, "unterminated quoted field opened at line 5");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_cell_count_caps(void **state)
{
    (void)state;
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "a,b\n"), IPR_OK);
    for (unsigned i = 0; i <= IPR_INPUT_MAX_FIELDS; i++)
        assert_int_equal(buf_append_str(&text, "x,"), IPR_OK);
    assert_int_equal(buf_append_str(&text, "\n"), IPR_OK);
    for (unsigned i = 0; i < IPR_INPUT_MAX_COLUMNS; i++)
        assert_int_equal(buf_append_char(&text, ','), IPR_OK);
    assert_int_equal(buf_append_str(&text, "far\n1,2\n"), IPR_OK);

    struct ipr_reader *r = open_text("wide.csv", buf_str(&text), IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_error_contains(rec, "more than 4096 non-empty cells");
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "more than 65536 columns");
    rec = next_ok(r);
    assert_field(rec, "b", "2");
    assert_done(r);
    reader_free(r);
    buf_release(&text);
}

static void test_header_problem(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text("hb.csv", "id,ti\xFFtle\n1,x\n", IPR_INPUT_CSV);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->index, 0);
    assert_int_equal(rec->line, 1);
    assert_error_contains(rec, "header row: invalid UTF-8 at byte offset 5");
    /* without a header the cells keep their position as name */
    rec = next_ok(r);
    assert_int_equal(rec->index, 1);
    assert_field(rec, "column_1", "1");
    assert_field(rec, "column_2", "x");
    assert_done(r);
    reader_free(r);
}

static void test_empty_and_header_only(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text("e.csv", "", IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_CSV);
    assert_done(r);
    reader_free(r);
    r = open_text("h.csv", "a,b,c\r\n", IPR_INPUT_CSV);
    assert_done(r);
    reader_free(r);
}

/* ---- TSV ------------------------------------------------------------------------------ */

static void test_tsv(void **state)
{
    (void)state;
    const char *text = "sku\ttitle\tnote\n"
                       "R1\t12\" ruler, 30cm\tplain\n"
                       "R2\t\"quoted\ttab\"\t\n"
                       "R3\tA3 Nike replica shoes\tx\n";
    struct ipr_reader *r = open_text("list.tsv", text, IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_TSV);
    const struct ipr_record *rec = next_ok(r);
    assert_field(rec, "title", "12\" ruler, 30cm");
    assert_field(rec, "note", "plain");
    assert_field_at(rec, "note", 2, 20);
    rec = next_ok(r);
    assert_field(rec, "title", "quoted\ttab");
    assert_null(field(rec, "note"));
    rec = next_ok(r);
    assert_int_equal(rec->line, 4);
    assert_field(rec, "title", "A3 Nike replica shoes");
    assert_done(r);
    reader_free(r);
}

/* ---- streaming ------------------------------------------------------------------------- */

/* A listing with long quoted multi-line cells and CRLF, over 1 MiB so that
 * rows straddle the read chunks. */
static char *make_listing(size_t *len_out)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "\xEF\xBB\xBFsku,title,description\r\n"), IPR_OK);
    for (unsigned i = 0; b.len < 3u * 1024u * 1024u; i++) {
        assert_int_equal(buf_printf(&b, "S%u,\"Mug \"\"%u\"\"\",\"", i, i), IPR_OK);
        for (unsigned k = 0; k < i % 50; k++)
            assert_int_equal(buf_printf(&b, "line %u of %u, text text text\r\n", k, i), IPR_OK);
        assert_int_equal(buf_append_str(&b, i % 7 ? "end\"\r\n" : "end\"\n\n"), IPR_OK);
    }
    assert_int_equal(buf_append_str(&b, "LAST,\"never closed\r\nS,x\r\n"), IPR_OK);
    *len_out = b.len;
    return buf_detach(&b);
}

static void test_file_and_memory_agree(void **state)
{
    (void)state;
    size_t len;
    char *text = make_listing(&len);
    char path[] = "/tmp/ipr_input_csv_XXXXXX";
    temp_file_write(path, text, len);

    struct ipr_reader *mem = NULL, *file = NULL;
    assert_int_equal(reader_open_mem(path, text, len, IPR_INPUT_CSV, &mem), IPR_OK);
    assert_int_equal(reader_open_path(path, IPR_INPUT_CSV, &file), IPR_OK);
    char *a = dump_all(mem, false), *b = dump_all(file, false);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "err unterminated quoted field opened at line"));
    assert_non_null(strstr(a, "  sku@"));
    reader_free(mem);
    reader_free(file);
    unlink(path);
    free(a);
    free(b);
    free(text);
}

static void test_pipe_byte_by_byte(void **state)
{
    (void)state;
    size_t len;
    char *text = make_listing(&len);
    len = 200u * 1024u; /* enough rows; the cut row is unterminated in both */
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        for (size_t i = 0; i < len; i++)
            if (write(p[1], text + i, 1) != 1)
                _exit(1);
        _exit(0);
    }
    close(p[1]);
    int saved = dup(0);
    assert_true(saved >= 0);
    assert_int_equal(dup2(p[0], 0), 0);
    close(p[0]);

    struct ipr_reader *piped = NULL, *mem = NULL;
    assert_int_equal(reader_open_path("-", IPR_INPUT_AUTO, &piped), IPR_OK);
    assert_int_equal(reader_format(piped), IPR_INPUT_CSV);
    char *a = dump_all(piped, false);
    reader_free(piped);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    assert_int_equal(reader_open_mem("<stdin>", text, len, IPR_INPUT_CSV, &mem), IPR_OK);
    char *b = dump_all(mem, false);
    reader_free(mem);
    assert_string_equal(a, b);
    assert_true(strlen(a) > 100000);
    free(a);
    free(b);
    free(text);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct ipr_reader *r = (struct ipr_reader *)1;
    assert_int_equal(reader_open_path("/nonexistent/listing.csv", IPR_INPUT_AUTO, &r), IPR_EIO);
    assert_null(r);
    assert_int_equal(reader_open_path(IPR_SOURCE_DIR, IPR_INPUT_CSV, &r), IPR_EIO); /* a folder */
    assert_int_equal(reader_open_mem("x", NULL, 3, IPR_INPUT_CSV, &r), IPR_EINVAL);
    assert_int_equal(reader_open_mem("x", "a", 1, (ipr_input_format)9, &r), IPR_EINVAL);
    reader_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_names_fields),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_crlf_and_cr_line_ends),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_header_paths_and_trimming),
        cmocka_unit_test(test_extra_missing_and_empty_cells),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_quote_inside_unquoted_is_literal),
        cmocka_unit_test(test_unterminated_quote_mid_file),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_nul_and_invalid_utf8),
        cmocka_unit_test(test_field_over_cap),
        cmocka_unit_test(test_row_over_cap),
        cmocka_unit_test(test_cell_count_caps),
        cmocka_unit_test(test_header_problem),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_file_and_memory_agree),
        cmocka_unit_test(test_pipe_byte_by_byte),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
