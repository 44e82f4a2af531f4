/*
 * test_input_json_walk.c - the walk of one JSON object's text: checking, it
 * vouches for plain objects, is unsure of everything jansson would reject or
 * treat specially (and then leaves the record as it was), and never vouches
 * for text jansson refuses; both modes give the same leaves, and values kept
 * as views end with a NUL only once the walk is done.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>

#include "input/chunk.h"
#include "base/limits.h"
#include "input/json_walk.h"

/* One walk of text in mode; *vouched as the walk set it (true when trusted). */
static ipr_status walk_text(struct ipr_record *rec, const char *text, enum json_walk_mode mode,
                            bool *vouched)
{
    struct json_parser p;
    json_parser_init(&p);
    bool v = true;
    ipr_status st = json_walk_object(&p, rec, text, strlen(text), 7, NULL, NULL, mode, &v);
    json_parser_release(&p);
    if (vouched)
        *vouched = v;
    return st;
}

static bool walk_vouches(const char *text)
{
    struct ipr_record rec;
    record_init(&rec);
    bool vouched = false;
    assert_int_equal(walk_text(&rec, text, JSON_WALK_CHECKING, &vouched), IPR_OK);
    if (!vouched)
        assert_int_equal(rec.field_count, 0); /* unsure: the record is as it was */
    record_release(&rec);
    return vouched;
}

static bool jansson_accepts(const char *text)
{
    json_error_t err;
    json_t *root =
        json_loadb(text, strlen(text),
                   JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY, &err);
    bool ok = root && json_is_object(root);
    json_decref(root);
    return ok;
}

static void vouched(const char *text)
{
    if (!walk_vouches(text))
        fail_msg("not vouched for: %s", text);
    if (!jansson_accepts(text))
        fail_msg("vouched for, but jansson refuses: %s", text);
}

static void not_sure(const char *text)
{
    if (walk_vouches(text))
        fail_msg("vouched for: %s", text);
}

static void test_plain_objects_are_vouched_for(void **state)
{
    (void)state;
    vouched("{}");
    vouched(" {\"a\":1} \r\n");
    vouched("{\"sku\":\"A-1\",\"title\":\"R\\u00e9plica \\\"AAA\\\"\\n\",\"price\":-12.50}");
    vouched("{\"bullets\":[\"x\",\"y\",[],{}],\"flags\":[true,false,null],\"n\":0}");
    vouched("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}"); /* same key, other objects */
    vouched("{\"t\":\"\xe9\xab\x98\xe4\xbb\xbf\",\"e\":12345678901234567890123}");
}

/* An object of n distinct keys k0 .. k(n-1), then the key `last` when
 * given.  More keys than the duplicate check has sorts of key (64), so
 * different keys share sorts and must still be told apart. */
static void many_keys(char *out, size_t cap, unsigned n, const char *last)
{
    size_t used = (size_t)snprintf(out, cap, "{");
    for (unsigned i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s\"k%u\":%u", i ? "," : "", i, i);
    if (last)
        used += (size_t)snprintf(out + used, cap - used, ",\"%s\":0", last);
    snprintf(out + used, cap - used, "}");
}

static void test_what_jansson_must_decide(void **state)
{
    (void)state;
    not_sure("{\"a\":1,\"a\":2}"); /* duplicate key */
    char text[2048];
    many_keys(text, sizeof(text), 100, NULL);
    vouched(text);
    many_keys(text, sizeof(text), 100, "k0");
    not_sure(text);
    many_keys(text, sizeof(text), 100, "k57");
    not_sure(text);
    not_sure("{\"ab\":1,\"x\":{\"ab\":2},\"cb\":3,\"ab\":4}"); /* after a nested object */
    not_sure("{\"a\\u0062\":1}");                              /* escaped key */
    not_sure("{\"a\":\"\\ud800\"}");                           /* lone surrogate */
    not_sure("{\"a\":\"\\ud83d\\ude00\"}");                    /* a pair: left to jansson as well */
    not_sure("{\"a\":\"\\u0000\"}");                           /* NUL */
    not_sure("{\"a\":1e999}");                                 /* exponent: may overflow */
    not_sure("{\"a\":01}");
    not_sure("{\"a\":1.}");
    not_sure("{\"a\":-}");
    not_sure("{\"a\":\"x\\q\"}");
    not_sure("{\"a\":\"tab\there\"}"); /* raw control character */
    not_sure("{\"a\":1,}");
    not_sure("{\"a\":[1,]}");
    not_sure("{\"a\" 1}");
    not_sure("{\"a\":1}{}"); /* trailing data */
    not_sure("[{\"a\":1}]"); /* not an object */
    not_sure("{\"a\":tru}");
    not_sure("{\"a\":1");
    not_sure("");
    char deep[64] = "{\"a\":";
    size_t n = strlen(deep);
    memset(deep + n, '[', 40); /* deeper than the check follows */
    deep[n + 40] = '\0';
    not_sure(deep);
}

/* The leaves of both walks, as "name=value (kind)" lines. */
static void leaves_of(const char *text, enum json_walk_mode mode, char *out, size_t cap)
{
    struct ipr_record rec;
    record_init(&rec);
    bool vouched = false;
    assert_int_equal(walk_text(&rec, text, mode, &vouched), IPR_OK);
    assert_true(vouched);
    assert_null(rec.error);
    size_t n = 0;
    for (size_t i = 0; i < rec.field_count; i++) {
        const struct record_field *f = &rec.fields[i];
        assert_int_equal(strlen(f->value), f->value_len);
        assert_int_equal(f->line, 7);
        /* the path built along with the name is the one derived from it */
        char path[256];
        record_canonical_path(f->name, strlen(f->name), path, sizeof(path));
        assert_string_equal(f->path, path);
        n += (size_t)snprintf(out + n, cap - n, "%s|%s=%s (%d)\n", f->path, f->name, f->value,
                              (int)f->kind);
        assert_true(n < cap);
    }
    record_release(&rec);
}

static void test_both_modes_give_the_same_leaves(void **state)
{
    (void)state;
    static const char *texts[] = {
        "{\"sku\":\"A-1\",\"title\":\"R\\u00e9plica \\\"AAA\\\"\\n\",\"price\":-12.50}",
        "{\"bullets\":[\"x\",\"y\",[],{}],\"flags\":[true,false,null],\"n\":0}",
        "{\"a\":{\"b\":{\"c\":1}},\"d\":[{\"e\":\"\"},[0.5,\"\\t\"]]}",
        " {\"ean\":\"0012\",\"n\":1.250,\"z\":-0} ",
        /* keys with brackets of their own */
        "{\"size[cm]\":1,\"a\":{\"b[\":[1,{\"]c\":2}]},\"d\":[{\"e]\":[3]}],\"f\":4}",
        "{\"\":{\"\":[1]},\"g\":[[{\"h\":5}]]}",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        char checking[1024], trusted[1024];
        leaves_of(texts[i], JSON_WALK_CHECKING, checking, sizeof(checking));
        leaves_of(texts[i], JSON_WALK_TRUSTED, trusted, sizeof(trusted));
        assert_string_equal(checking, trusted);
    }
    char leaves[1024];
    leaves_of("{\"a\":{\"b\":[\"x\\u00e9\",{\"c\":12.50}]},\"n\":null}", JSON_WALK_CHECKING, leaves,
              sizeof(leaves));
    assert_string_equal(leaves, "a.b|a.b[0]=x\xc3\xa9 (0)\na.b.c|a.b[1].c=12.50 (1)\nn|n= (3)\n");
}

static void test_unsure_leaves_the_record_as_it_was(void **state)
{
    (void)state;
    struct ipr_record rec;
    record_init(&rec);
    assert_int_equal(record_add_field(&rec, "x", 1, "kept", 4, 1, 0, FIELD_STRING), IPR_OK);
    struct json_parser p;
    json_parser_init(&p);
    json_parser_set_caps(&p, 4, 1u << 20);
    /* leaves, a value cut at the cap, and only then a duplicate key */
    const char *text = "{\"t\":\"abcdefgh\",\"n\":1,\"t\":2}";
    bool vouched = true;
    assert_int_equal(
        json_walk_object(&p, &rec, text, strlen(text), 1, NULL, NULL, JSON_WALK_CHECKING, &vouched),
        IPR_OK);
    assert_false(vouched);
    assert_int_equal(rec.field_count, 1);
    assert_string_equal(rec.fields[0].value, "kept");
    assert_null(rec.incomplete);
    assert_null(rec.error);
    json_parser_release(&p);
    record_release(&rec);
}

static void test_too_many_leaves_wait_for_jansson(void **state)
{
    (void)state;
    size_t count = IPR_INPUT_MAX_FIELDS + 1, cap = count * 2 + 16;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, cap, "{\"a\":[");
    for (size_t i = 0; i < count; i++)
        n += (size_t)snprintf(text + n, cap - n, i ? ",1" : "1");
    snprintf(text + n, cap - n, "]}");
    struct ipr_record rec;
    record_init(&rec);
    bool vouched = true;
    assert_int_equal(walk_text(&rec, text, JSON_WALK_CHECKING, &vouched), IPR_OK);
    assert_false(vouched);
    assert_null(rec.error);
    assert_int_equal(rec.field_count, 0);
    assert_int_equal(walk_text(&rec, text, JSON_WALK_TRUSTED, NULL), IPR_OK);
    assert_non_null(rec.error);
    assert_non_null(strstr(rec.error, "more than"));
    record_release(&rec);
    free(text);
}

/* Values kept as views end with a NUL over their closing quote, and only
 * once the text is vouched for: text jansson must judge stays as it was. */
static void test_views_end_once_the_walk_is_done(void **state)
{
    (void)state;
    const char *plain = "{\"a\":\"xy\",\"b\":\"e\\nz\",\"c\":[\"\",\"w\"]}";
    const char *doubtful = "{\"a\":\"xy\",\"a\":\"z\"}";
    const char *texts[] = {plain, doubtful};
    for (int t = 0; t < 2; t++) {
        size_t len = strlen(texts[t]);
        struct chunk *chunk = chunk_new(len + 1);
        assert_non_null(chunk);
        memcpy(chunk->data, texts[t], len + 1);
        struct json_parser p;
        json_parser_init(&p);
        struct ipr_record rec;
        record_init(&rec);
        bool vouched = false;
        assert_int_equal(json_walk_object(&p, &rec, chunk->data, len, 1, chunk->data, chunk,
                                          JSON_WALK_CHECKING, &vouched),
                         IPR_OK);
        if (t == 1) {
            assert_false(vouched);
            assert_memory_equal(chunk->data, doubtful, len);
        } else {
            assert_true(vouched);
            assert_int_equal(rec.field_count, 4);
            const char *want[] = {"xy", "e\nz", "", "w"};
            bool view[] = {true, false, true, true};
            for (size_t i = 0; i < 4; i++) {
                const struct record_field *f = &rec.fields[i];
                assert_string_equal(f->value, want[i]);
                bool in_chunk = f->value >= chunk->data && f->value < chunk->data + len;
                assert_int_equal(in_chunk, view[i]);
            }
            assert_ptr_equal(rec.chunk, chunk);
        }
        record_release(&rec);
        json_parser_release(&p);
        chunk_release(chunk);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_objects_are_vouched_for),
        cmocka_unit_test(test_what_jansson_must_decide),
        cmocka_unit_test(test_both_modes_give_the_same_leaves),
        cmocka_unit_test(test_unsure_leaves_the_record_as_it_was),
        cmocka_unit_test(test_too_many_leaves_wait_for_jansson),
        cmocka_unit_test(test_views_end_once_the_walk_is_done),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
