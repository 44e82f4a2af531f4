/*
 * fuzz_json.c - libFuzzer target: the JSON Lines and JSON array readers, with profiles and
 * encodings as the program opens them.
 *
 * The first byte picks the mode (see read_mode_of in fuzz_records.h): bit 0 a JSON array (else JSON
 * Lines), bit 1 format detection instead, bit 2 profile auto (else canonical), bit 3 encoding auto
 * (else utf-8), bits 4-5 a second reading to compare with (a regular file, a pipe fed in pieces of
 * 1/7/64/4096 bytes by bits 6-7, or the plain reader).  The rest of the input is the listing file.
 * The input as one object also goes to the checking JSON walk, which must never vouch for what
 * jansson rejects.
 */
#include "fuzz_records.h" /* first: it sets _GNU_SOURCE */

#include <jansson.h>
#include <stdlib.h>

#include "input/json_walk.h"
#include "input/source.h"

/* The reader skips jansson for objects the checking walk vouches for:
 * whatever it vouches for, jansson must accept as an object. */
static void check_agrees_with_jansson(const char *text, size_t len)
{
    if (utf8_check(text, len) < len)
        return;
    struct json_parser p;
    struct ipr_record rec;
    json_parser_init(&p);
    record_init(&rec);
    bool vouched = false;
    ipr_status st =
        json_walk_object(&p, &rec, text, len, 1, NULL, NULL, JSON_WALK_CHECKING, &vouched);
    record_release(&rec);
    json_parser_release(&p);
    if (st != IPR_OK || !vouched)
        return;
    json_error_t err;
    json_t *root = json_loadb(
        text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY, &err);
    if (!root || !json_is_object(root))
        abort();
    json_decref(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    check_agrees_with_jansson((const char *)data + 1, size - 1);
    struct read_mode m = read_mode_of(data[0], IPR_INPUT_JSONL, IPR_INPUT_JSON);
    fuzz_reader(data + 1, size - 1, &m, (data[0] & 1u) ? "fuzz.json" : "fuzz.jsonl");
    return 0;
}
