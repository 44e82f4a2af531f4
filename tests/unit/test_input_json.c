/*
 * test_input_json.c - JSON Lines and JSON arrays to records, format
 * detection, and the streaming promise: a JSONL record arrives while the
 * writer of the pipe is still holding it open.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/limits.h"
#include "input/reader.h"
#include "reader_fixture.h"

/* ---- shared checks ----------------------------------------------------------- */

static struct ipr_reader *open_bytes(const char *name, const char *text, size_t len,
                                     ipr_input_format format)
{
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem(name, text, len, format, &r), IPR_OK);
    assert_non_null(r);
    return r;
}

static struct ipr_reader *open_text(const char *name, const char *text, ipr_input_format format)
{
    return open_bytes(name, text, strlen(text), format);
}

static void assert_leaf(const struct ipr_record *rec, const char *name, const char *path,
                        const char *value, enum field_kind kind)
{
    const struct record_field *f = field(rec, name);
    if (!f)
        fail_msg("no field '%s' in record %llu", name, (unsigned long long)rec->index);
    assert_string_equal(f->path, path);
    assert_string_equal(f->value, value);
    assert_int_equal(f->value_len, strlen(value));
    assert_int_equal(f->kind, kind);
    assert_int_equal(f->line, rec->line);
    assert_int_equal(f->col, 0);
}

/* Reads text once from memory and once from standard input fed one byte
 * per write, and checks both give the same records. */
static void assert_trickle_same(const char *text, ipr_input_format format)
{
    size_t len = strlen(text);
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
    assert_int_equal(reader_open_path("-", format, &piped), IPR_OK);
    char *a = dump_all(piped, false);
    ipr_input_format piped_format = reader_format(piped);
    reader_free(piped);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    assert_int_equal(reader_open_mem("<stdin>", text, len, format, &mem), IPR_OK);
    assert_int_equal(reader_format(mem), piped_format);
    char *b = dump_all(mem, false);
    reader_free(mem);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "#2 "));
    free(a);
    free(b);
}

static ipr_input_format detected(const char *name, const char *text)
{
    struct ipr_reader *r = open_text(name, text, IPR_INPUT_AUTO);
    ipr_input_format f = reader_format(r);
    reader_free(r);
    return f;
}

/* ---- JSON Lines ---------------------------------------------------------------- */

static void test_jsonl_flattening(void **state)
{
    (void)state;
    const char *text =
        "{\"sku\":\"A1\",\"title\":\"Mug\",\"price\":1.50,\"qty\":3,"
        "\"ean\":12345678901234567890123,\"gift\":true,\"used\":false,\"note\":null,"
        "\"customs\":{\"hs_code\":\"4202\",\"declared_brand\":\"Acme\"},"
        "\"bullets\":[\"one\",\"two\"],"
        "\"images\":[{\"url\":\"u0\"},{\"url\":\"u1\",\"alt_text\":\"Red \\\"mug\\\" "
        "\\u00e9\\ud83d\\ude00\\n\"}],"
        "\"grid\":[[1,2],[3]],\"empty\":{},\"none\":[]}\n"
        "  \t\r\n"
        "{\"record_id\":\"R2\"}\r\n";
    struct ipr_reader *r = open_text("feed.jsonl", text, IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->line, 1);
    assert_int_equal(rec->index, 0);
    assert_string_equal(rec->key, "A1");
    assert_string_equal(rec->file, "feed.jsonl");
    assert_int_equal(rec->field_count, 18);
    assert_string_equal(rec->fields[0].name, "sku");
    assert_string_equal(rec->fields[2].name, "price");
    assert_leaf(rec, "price", "price", "1.50", FIELD_NUMBER);
    assert_leaf(rec, "qty", "qty", "3", FIELD_NUMBER);
    assert_leaf(rec, "ean", "ean", "12345678901234567890123", FIELD_NUMBER);
    assert_leaf(rec, "gift", "gift", "true", FIELD_BOOL);
    assert_leaf(rec, "used", "used", "false", FIELD_BOOL);
    assert_leaf(rec, "note", "note", "", FIELD_NULL);
    assert_leaf(rec, "customs.hs_code", "customs.hs_code", "4202", FIELD_STRING);
    assert_leaf(rec, "customs.declared_brand", "customs.declared_brand", "Acme", FIELD_STRING);
    assert_leaf(rec, "bullets[0]", "bullets", "one", FIELD_STRING);
    assert_leaf(rec, "bullets[1]", "bullets", "two", FIELD_STRING);
    assert_leaf(rec, "images[0].url", "images.url", "u0", FIELD_STRING);
    assert_leaf(rec, "images[1].alt_text", "images.alt_text",
                "Red \"mug\" \xC3\xA9\xF0\x9F\x98\x80\n", FIELD_STRING);
    assert_leaf(rec, "grid[0][1]", "grid", "2", FIELD_NUMBER);
    assert_leaf(rec, "grid[1][0]", "grid", "3", FIELD_NUMBER);
    assert_null(field(rec, "empty"));
    assert_null(field(rec, "none"));

    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_int_equal(rec->index, 1);
    assert_string_equal(rec->key, "R2");
    assert_done(r);
    reader_free(r);
}

static void test_jsonl_duplicate_key(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text(
        "d.jsonl", "{\"title\":\"Nike\",\"title\":\"Generic shoe\"}\n{\"a\":1}\n", IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_error_contains(rec, "duplicate object key");
    assert_error_contains(rec, "'\"title\"'");
    rec = next_ok(r);
    assert_null(rec->error);
    assert_done(r);
    reader_free(r);
}

static void test_jsonl_bad_lines_between_good(void **state)
{
    (void)state;
    const char *text = "{\"sku\":\"1\"}\n"
                       "{\"title\": }\n"
                       "[1,2]\n"
                       "\"just text\"\n"
                       "{\"a\":1} {\"b\":2}\n"
                       "{\"a\":1e400}\n"
                       "{\"sku\":\"2\"}";
    struct ipr_reader *r = open_text("bad.jsonl", text, IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->key, "1");
    rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->index, 1);
    assert_error_contains(rec, "invalid JSON at line 2, column 11: unexpected token near '}'");
    assert_int_equal(rec->error_line, 2);
    rec = next_ok(r);
    assert_error_contains(rec, "not a JSON object but an array");
    rec = next_ok(r);
    assert_error_contains(rec, "not a JSON object but a string");
    rec = next_ok(r);
    assert_error_contains(rec, "end of file expected");
    rec = next_ok(r);
    assert_error_contains(rec, "real number overflow");
    rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->line, 7);
    assert_int_equal(rec->index, 6);
    assert_string_equal(rec->key, "2");
    assert_done(r);
    reader_free(r);
}

static void test_jsonl_bytes(void **state)
{
    (void)state;
    static const char text[] = "{\"t\":\"ok\"}\n"
                               "{\"t\":\"bad \xFF\"}\n"
                               "{\"t\":\"a\0b\"}\n"
                               "{\"t\":\"a\\u0000b\"}\n"
                               "{\"t\":\"caf\xC3\xA9\"}\n";
    struct ipr_reader *r = open_bytes("b.jsonl", text, sizeof(text) - 1, IPR_INPUT_JSONL);
    next_ok(r);
    const struct ipr_record *rec = next_ok(r);
    assert_error_contains(rec, "invalid UTF-8 at byte offset 21");
    assert_int_equal((unsigned char)text[21], 0xFF);
    assert_int_equal(rec->error_line, 2);
    rec = next_ok(r);
    assert_error_contains(rec, "NUL byte at byte offset 32");
    assert_int_equal(text[32], '\0');
    rec = next_ok(r);
    assert_error_contains(rec, "\\u0000 is not allowed");
    rec = next_ok(r);
    assert_leaf(rec, "t", "t", "caf\xC3\xA9", FIELD_STRING);
    assert_done(r);
    reader_free(r);
}

static char *nested(unsigned depth)
{
    struct buf b;
    buf_init(&b, 0);
    for (unsigned i = 0; i < depth; i++)
        assert_int_equal(buf_append_str(&b, i + 1 < depth ? "{\"a\":" : "{\"a\":\"leaf\""), IPR_OK);
    for (unsigned i = 0; i < depth; i++)
        assert_int_equal(buf_append_char(&b, '}'), IPR_OK);
    assert_int_equal(buf_append_char(&b, '\n'), IPR_OK);
    return buf_detach(&b);
}

static void test_depth_cap(void **state)
{
    (void)state;
    char *ok = nested(IPR_INPUT_MAX_JSON_DEPTH);
    char *deep = nested(IPR_INPUT_MAX_JSON_DEPTH + 1);
    struct ipr_reader *r = open_text("ok.jsonl", ok, IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->field_count, 1);
    assert_int_equal(strlen(rec->fields[0].name), 2 * IPR_INPUT_MAX_JSON_DEPTH - 1);
    assert_memory_equal(rec->fields[0].name, "a.a.a.a", 7);
    assert_string_equal(rec->fields[0].value, "leaf");
    reader_free(r);
    r = open_text("deep.jsonl", deep, IPR_INPUT_JSONL);
    rec = next_ok(r);
    assert_error_contains(rec, "nested deeper than 32 levels");
    reader_free(r);
    free(ok);
    free(deep);
}

static void test_field_and_line_caps(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "{\"t\":\""), IPR_OK);
    for (size_t i = 0; i <= IPR_INPUT_MAX_FIELD_BYTES; i++)
        assert_int_equal(buf_append_char(&b, 'x'), IPR_OK);
    assert_int_equal(buf_append_str(&b, "\"}\n{\"t\":\"short\"}\n{\"t\":\""), IPR_OK);
    while (b.len < 2u * IPR_INPUT_MAX_LINE_BYTES)
        assert_int_equal(buf_append(&b, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", 32), IPR_OK);
    assert_int_equal(buf_append_str(&b, "\"}\n{\"t\":\"after\"}\n"), IPR_OK);

    struct ipr_reader *r = open_text("caps.jsonl", buf_str(&b), IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_string_equal(rec->incomplete,
                        "field 't' is 1048577 bytes; only the first 1048576 were checked");
    assert_int_equal(field(rec, "t")->value_len, IPR_INPUT_MAX_FIELD_BYTES);
    rec = next_ok(r);
    assert_null(rec->incomplete);
    assert_leaf(rec, "t", "t", "short", FIELD_STRING);
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "line longer than 16777216 bytes");
    rec = next_ok(r);
    assert_int_equal(rec->line, 4);
    assert_leaf(rec, "t", "t", "after", FIELD_STRING);
    assert_done(r);
    reader_free(r);
    buf_release(&b);
}

/* ---- JSON arrays --------------------------------------------------------------- */

static void test_json_array(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF[\r\n"
                       "  {\"sku\": \"A\", \"nested\": {\"deep\": [1, {\"x\": \"]}[{\"}]}},\r\n"
                       "  {\"sku\": \"B\",\r\n"
                       "   \"esc\": \"quote \\\" and \\\\ backslash {\"},\r\n"
                       "\r\n"
                       "  {\"sku\": \"C\", \"bullets\": [\"b0\", \"b1\"]}\r\n"
                       "]\r\n";
    struct ipr_reader *r = open_text("items.json", text, IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_JSON);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->index, 0);
    assert_string_equal(rec->key, "A");
    assert_leaf(rec, "nested.deep[0]", "nested.deep", "1", FIELD_NUMBER);
    assert_leaf(rec, "nested.deep[1].x", "nested.deep.x", "]}[{", FIELD_STRING);
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_string_equal(rec->key, "B");
    assert_leaf(rec, "esc", "esc", "quote \" and \\ backslash {", FIELD_STRING);
    rec = next_ok(r);
    assert_int_equal(rec->line, 6);
    assert_int_equal(rec->index, 2);
    assert_leaf(rec, "bullets[1]", "bullets", "b1", FIELD_STRING);
    assert_done(r);
    reader_free(r);
}

/* Lines are counted over whole ranges at once when they hold no CR; a CR
 * anywhere (alone or before LF) takes the byte-by-byte rules. */
static void test_json_array_line_ends(void **state)
{
    (void)state;
    const char *text = "[\n"
                       "  {\n"
                       "    \"sku\": \"A\",\n"
                       "    \"t\": \"x\"\n"
                       "  },\n\n\n"
                       "  {\"sku\": \"B\"},\r"
                       "  {\"sku\": \"C\"},\r\n"
                       "\n"
                       "  {\n\"sku\": \"D\"}\n"
                       "]\n";
    struct ipr_reader *r = open_text("lines.json", text, IPR_INPUT_JSON);
    const char *keys[] = {"A", "B", "C", "D"};
    const uint32_t lines[] = {2, 8, 9, 11};
    for (size_t i = 0; i < 4; i++) {
        const struct ipr_record *rec = next_ok(r);
        assert_null(rec->error);
        assert_string_equal(rec->key, keys[i]);
        assert_int_equal(rec->line, lines[i]);
    }
    assert_done(r);
    reader_free(r);
}

static void test_json_array_problems(void **state)
{
    (void)state;
    struct ipr_reader *r =
        open_text("p.json", "[{\"a\":1}, 42, {\"b\": tru}, {\"c\":3}]", IPR_INPUT_JSON);
    const struct ipr_record *rec = next_ok(r);
    assert_null(rec->error);
    rec = next_ok(r);
    assert_error_contains(rec, "not a JSON object but a number");
    rec = next_ok(r);
    /* the column is the file's: the element starts at column 15 */
    assert_error_contains(rec, "invalid JSON at line 1, column 23: invalid token near 'tru'");
    rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->index, 3);
    assert_done(r);
    reader_free(r);

    r = open_text("m.json", "[{\"a\":1}\n {\"b\":2}]", IPR_INPUT_JSON);
    next_ok(r);
    rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_error_contains(rec, "missing ','");
    assert_done(r);
    reader_free(r);

    r = open_text("t.json", "[{\"a\":1},]", IPR_INPUT_JSON);
    next_ok(r);
    assert_error_contains(next_ok(r), "',' before the closing ']'");
    assert_done(r);
    reader_free(r);

    r = open_text("g.json", "[{\"a\":1}]\n\ngarbage", IPR_INPUT_JSON);
    next_ok(r);
    rec = next_ok(r);
    assert_int_equal(rec->line, 3);
    assert_error_contains(rec, "unexpected text after the JSON array");
    assert_done(r);
    reader_free(r);

    r = open_text("c.json", "[{\"a\":1},\n{\"b\":", IPR_INPUT_JSON);
    next_ok(r);
    assert_error_contains(next_ok(r), "invalid JSON at line 2");
    assert_error_contains(next_ok(r), "the JSON array is not closed");
    assert_done(r);
    reader_free(r);

    r = open_text("e.json", " [ ] ", IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_JSON);
    assert_done(r);
    reader_free(r);
}

static void test_json_element_over_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "[{\"a\":\"x\"},\n{\"big\":\"\\\"]}"), IPR_OK);
    while (b.len < IPR_INPUT_MAX_LINE_BYTES + 4096)
        assert_int_equal(buf_append(&b, "[{]}\\\"zzzzzzzzzzzzzzzzzzzzzzzzzz", 32), IPR_OK);
    assert_int_equal(buf_append_str(&b, "\"},\n{\"sku\":\"next\"}]"), IPR_OK);
    struct ipr_reader *r = open_text("big.json", buf_str(&b), IPR_INPUT_JSON);
    next_ok(r);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 2);
    assert_error_contains(rec, "JSON value longer than");
    rec = next_ok(r);
    assert_null(rec->error);
    assert_int_equal(rec->line, 3);
    assert_string_equal(rec->key, "next");
    assert_done(r);
    reader_free(r);
    buf_release(&b);
}

static void test_json_document_of_objects(void **state)
{
    (void)state;
    /* forced JSON on a file of pretty-printed objects: one record each */
    struct ipr_reader *r =
        open_text("pretty", "{\n  \"sku\": \"A\"\n}\n{\n  \"sku\": \"B\"\n}\n", IPR_INPUT_JSON);
    const struct ipr_record *rec = next_ok(r);
    assert_int_equal(rec->line, 1);
    assert_string_equal(rec->key, "A");
    rec = next_ok(r);
    assert_int_equal(rec->line, 4);
    assert_string_equal(rec->key, "B");
    assert_done(r);
    reader_free(r);
}

/* ---- detection ------------------------------------------------------------------- */

static void test_detection(void **state)
{
    (void)state;
    /* the extension wins over the content */
    assert_int_equal(detected("a.csv", "{\"a\":1}\n"), IPR_INPUT_CSV);
    assert_int_equal(detected("a.CSV", "x\ty\tz\n"), IPR_INPUT_CSV);
    assert_int_equal(detected("a.tsv", "x,y\n"), IPR_INPUT_TSV);
    assert_int_equal(detected("a.tab", "x,y\n"), IPR_INPUT_TSV);
    assert_int_equal(detected("dir/a.jsonl", "[1]\n"), IPR_INPUT_JSONL);
    assert_int_equal(detected("a.ndjson", ""), IPR_INPUT_JSONL);
    assert_int_equal(detected("a.json", "  \n [{\"a\":1}]"), IPR_INPUT_JSON);
    assert_int_equal(detected("a.Json", "\xEF\xBB\xBF[]"), IPR_INPUT_JSON);
    assert_int_equal(detected("a.json", "{\"a\":1}\n{\"a\":2}\n"), IPR_INPUT_JSONL);
    assert_int_equal(detected("a.json", ""), IPR_INPUT_JSONL);
    /* otherwise the first bytes */
    assert_int_equal(detected("feed", "\n\t[{\"a\":1}]"), IPR_INPUT_JSON);
    assert_int_equal(detected("feed.txt", "{\"a\":1}\n"), IPR_INPUT_JSONL);
    assert_int_equal(detected("feed.txt", "\xEF\xBB\xBF{\"a\":1}\n"), IPR_INPUT_JSONL);
    assert_int_equal(detected("feed.txt", "sku\ttitle\tprice,usd\n1\t2\t3\n"), IPR_INPUT_TSV);
    assert_int_equal(detected("feed.txt", "\tsku\ttitle\n"), IPR_INPUT_TSV);
    assert_int_equal(detected("feed.txt", "sku,title\tx\n"), IPR_INPUT_CSV);
    assert_int_equal(detected("feed.txt", "sku,title,price\n\t\t\t\t\n"), IPR_INPUT_CSV);
    assert_int_equal(detected("feed.txt", ""), IPR_INPUT_CSV);
    assert_int_equal(detected("a.csv.tsv", "x,y\n"), IPR_INPUT_TSV);
}

static void test_detected_tsv_reads_as_tsv(void **state)
{
    (void)state;
    struct ipr_reader *r = open_text("export.txt", "sku\ttitle\nS1\tMug, red\n", IPR_INPUT_AUTO);
    assert_int_equal(reader_format(r), IPR_INPUT_TSV);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->key, "S1");
    assert_int_equal(rec->field_count, 2);
    assert_string_equal(rec->fields[1].value, "Mug, red");
    reader_free(r);
}

/* ---- streaming ---------------------------------------------------------------------- */

static void test_trickled_input_reads_the_same(void **state)
{
    (void)state;
    assert_trickle_same("\xEF\xBB\xBF[\r\n {\"sku\": \"A\", \"n\": {\"d\": [1, \"]}\\\"[{\"]}},\r\n"
                        "  42 , {\"b\": tru},\n{\"sku\":\"C\",\"e\":[]}\n]\n  x",
                        IPR_INPUT_AUTO);
    assert_trickle_same("{\"sku\":\"A\",\"t\":\"x\"}\r\n\n{\"bad\":}\n{\"d\":1,\"d\":2}\n"
                        "{\"sku\":\"D\",\"v\":[{\"w\":null}]}",
                        IPR_INPUT_AUTO);
    assert_trickle_same("{\"a\":\n 1}\n{\"a\": 2}   {\"a\":\n3}", IPR_INPUT_JSON);
}

static void test_pipe_record_before_writer_closes(void **state)
{
    (void)state;
    int data[2], ctl[2];
    assert_int_equal(pipe(data), 0);
    assert_int_equal(pipe(ctl), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(data[0]);
        close(ctl[1]);
        static const char first[] = "{\"sku\":\"P1\",\"title\":\"first\"}\n";
        static const char second[] = "{\"sku\":\"P2\"}\n";
        if (write(data[1], first, sizeof(first) - 1) != (ssize_t)(sizeof(first) - 1))
            _exit(1);
        char c;
        while (read(ctl[0], &c, 1) > 0) /* until the reader says it has the record */
            ;
        if (write(data[1], second, sizeof(second) - 1) != (ssize_t)(sizeof(second) - 1))
            _exit(1);
        _exit(0);
    }
    close(data[1]);
    close(ctl[0]);
    int saved = dup(0);
    assert_true(saved >= 0);
    assert_int_equal(dup2(data[0], 0), 0);
    close(data[0]);
    alarm(20); /* a reader that waits for more input hangs here: fail, do not hang */

    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path("-", IPR_INPUT_AUTO, &r), IPR_OK);
    assert_int_equal(reader_format(r), IPR_INPUT_JSONL);
    const struct ipr_record *rec = next_ok(r);
    assert_string_equal(rec->file, "<stdin>");
    assert_string_equal(rec->key, "P1");
    /* the writer is still blocked on the control pipe, its end still open */
    int status;
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);

    close(ctl[1]);
    rec = next_ok(r);
    assert_string_equal(rec->key, "P2");
    assert_int_equal(rec->line, 2);
    assert_done(r);
    reader_free(r);
    alarm(0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_flattening),
        cmocka_unit_test(test_jsonl_duplicate_key),
        cmocka_unit_test(test_jsonl_bad_lines_between_good),
        cmocka_unit_test(test_jsonl_bytes),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_field_and_line_caps),
        cmocka_unit_test(test_json_array),
        cmocka_unit_test(test_json_array_line_ends),
        cmocka_unit_test(test_json_array_problems),
        cmocka_unit_test(test_json_element_over_cap),
        cmocka_unit_test(test_json_document_of_objects),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_detected_tsv_reads_as_tsv),
        cmocka_unit_test(test_trickled_input_reads_the_same),
        cmocka_unit_test(test_pipe_record_before_writer_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
