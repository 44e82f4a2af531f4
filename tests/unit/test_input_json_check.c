/*
 * test_input_json_check.c - the one-pass JSON object check: it vouches for
 * plain objects, says "not sure" for everything jansson would reject or
 * treat specially, and never vouches for text jansson refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "input/json_check.h"

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
    if (!json_check_object(text, strlen(text)))
        fail_msg("not vouched for: %s", text);
    if (!jansson_accepts(text))
        fail_msg("vouched for, but jansson refuses: %s", text);
}

static void not_sure(const char *text)
{
    if (json_check_object(text, strlen(text)))
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

static void test_what_jansson_must_decide(void **state)
{
    (void)state;
    not_sure("{\"a\":1,\"a\":2}");          /* duplicate key */
    not_sure("{\"a\\u0062\":1}");           /* escaped key */
    not_sure("{\"a\":\"\\ud800\"}");        /* lone surrogate */
    not_sure("{\"a\":\"\\ud83d\\ude00\"}"); /* a pair: left to jansson as well */
    not_sure("{\"a\":\"\\u0000\"}");        /* NUL */
    not_sure("{\"a\":1e999}");              /* exponent: may overflow */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_objects_are_vouched_for),
        cmocka_unit_test(test_what_jansson_must_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
