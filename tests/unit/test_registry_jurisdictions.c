/*
 * test_registry_jurisdictions.c - a list of jurisdiction codes as the
 * registry keeps it: a byte a code of the table (ISO 3166-1 alpha-2, EU,
 * WO), else the text after a byte that says so; the text read back is the
 * list as written, and a code is found in it exactly as written, whether
 * the registry is YAML or CSV and wherever in the list a code of no byte
 * comes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "registry/registry.h"

/* The list of the codes joined by '|' as kept, NUL-terminated (as
 * registry.shared holds it), made a code at a time as the loader makes it. */
static char *kept_of(const char *joined)
{
    struct jurisdictions_map map;
    jurisdictions_map_init(&map);
    struct jurisdictions_list list;
    jurisdictions_list_init(&list, &map);
    for (const char *p = joined; *p;) {
        size_t len = strcspn(p, "|");
        assert_int_equal(jurisdictions_list_add(&list, p, len), IPR_OK);
        p += len + (p[len] == '|');
    }
    assert_int_equal(jurisdictions_list_done(&list), IPR_OK);
    char *kept = calloc(list.kept.len + 1, 1);
    assert_non_null(kept);
    if (list.kept.len)
        memcpy(kept, list.kept.data, list.kept.len);
    jurisdictions_list_release(&list);
    return kept;
}

static void expect_round_trip(const char *joined, size_t kept_len)
{
    char *kept = kept_of(joined);
    assert_int_equal(strlen(kept), kept_len);
    assert_int_equal(jurisdictions_text_len(kept), strlen(joined));
    char text[256];
    jurisdictions_text(kept, text);
    assert_string_equal(text, joined);
    free(kept);
}

static void test_codes_of_the_table_take_a_byte(void **state)
{
    (void)state;
    expect_round_trip("", 0);
    expect_round_trip("US", 1);
    expect_round_trip("US|EU|CN", 3);
    expect_round_trip("AD|ZW|WO|EU|US|US", 6); /* the ends of the table, and a code twice */
    char *kept = kept_of("CN|KR|AU|MX|CH|AE|TR");
    assert_int_equal(strlen(kept), 7); /* 20 bytes of text */
    for (const unsigned char *p = (const unsigned char *)kept; *p; p++)
        assert_true(*p < JURISDICTIONS_TEXT);
    free(kept);
}

static void test_other_codes_keep_the_text(void **state)
{
    (void)state;
    static const char *const lists[] = {"USA", "US|USA", "us", "CN|U", "EU|EM|WO", "OAPI|US"};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        char *kept = kept_of(lists[i]);
        assert_int_equal((unsigned char)kept[0], JURISDICTIONS_TEXT);
        assert_string_equal(kept + 1, lists[i]);
        free(kept);
        expect_round_trip(lists[i], strlen(lists[i]) + 1);
    }
}

static void test_codes_are_found_as_written(void **state)
{
    (void)state;
    char *coded = kept_of("US|EU|CN"), *text = kept_of("US|USA|eu");
    assert_true(jurisdictions_have(coded, "US"));
    assert_true(jurisdictions_have(coded, "EU"));
    assert_true(jurisdictions_have(coded, "CN"));
    assert_false(jurisdictions_have(coded, "GB"));
    assert_false(jurisdictions_have(coded, "us"));
    assert_false(jurisdictions_have(coded, "USA"));
    assert_false(jurisdictions_have(coded, "U"));
    assert_false(jurisdictions_have(coded, ""));
    assert_true(jurisdictions_have(text, "US"));
    assert_true(jurisdictions_have(text, "USA"));
    assert_true(jurisdictions_have(text, "eu"));
    assert_false(jurisdictions_have(text, "EU"));
    assert_false(jurisdictions_have(text, "CN"));
    assert_false(jurisdictions_have("", "US")); /* none */
    free(coded);
    free(text);
}

/* Every code of the table: its own byte, found and read back. */
static void test_every_iso_code(void **state)
{
    (void)state;
    unsigned found = 0;
    bool seen[256] = {false};
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            char code[3] = {a, b, '\0'};
            char *kept = kept_of(code);
            unsigned char byte = (unsigned char)kept[0];
            if (byte != JURISDICTIONS_TEXT) {
                assert_int_equal(strlen(kept), 1);
                assert_false(seen[byte]);
                seen[byte] = true;
                found++;
                assert_true(jurisdictions_have(kept, code));
            }
            char text[4];
            jurisdictions_text(kept, text);
            assert_string_equal(text, code);
            free(kept);
        }
    assert_int_equal(found, 249 + 2); /* ISO 3166-1 alpha-2, EU and WO */
}

static void expect_marks(const char *file, const char *text)
{
    static const char *const want[] = {"US|EU", "USA|US", "US|USA|EU", "", "GB"};
    struct registry r;
    struct arena arena;
    struct diag_list d;
    registry_init(&r);
    arena_init(&arena, 0);
    diag_list_init(&d);
    assert_int_equal(registry_load_marks(&r, &arena, &d, file, text, strlen(text)), IPR_OK);
    assert_int_equal(r.mark_count, 5);
    for (size_t i = 0; i < 5; i++) {
        const struct mark_def *m = registry_mark(&r, i);
        assert_string_equal(mark_jurisdictions(&r, m, &arena), want[i]);
        char list[16];
        snprintf(list, sizeof(list), "%s", want[i]);
        for (char *code = strtok(list, "|"); code; code = strtok(NULL, "|"))
            assert_true(mark_in_jurisdiction(&r, m, code));
        assert_false(mark_in_jurisdiction(&r, m, "CN"));
        assert_false(mark_in_jurisdiction(&r, m, "us"));
    }
    registry_release(&r);
    diag_list_release(&d);
    arena_release(&arena);
}

static void test_registries_keep_and_read_lists(void **state)
{
    (void)state;
    expect_marks("t.yaml", "registry: t\nversion: '1'\nmarks:\n"
                           "  - {mark: A, jurisdictions: [US, EU]}\n"
                           "  - {mark: B, jurisdictions: [USA, US]}\n"
                           "  - {mark: C, jurisdictions: [US, USA, EU], aliases: [Cee]}\n"
                           "  - {mark: D}\n"
                           "  - {mark: E, jurisdictions: GB}\n");
    expect_marks("t.csv", "mark,jurisdictions,aliases\n"
                          "A,US|EU,\n"
                          "B,USA|US,\n"
                          "C,US|USA|EU,Cee\n"
                          "D,,\n"
                          "E,GB,\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_of_the_table_take_a_byte),
        cmocka_unit_test(test_other_codes_keep_the_text),
        cmocka_unit_test(test_codes_are_found_as_written),
        cmocka_unit_test(test_every_iso_code),
        cmocka_unit_test(test_registries_keep_and_read_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
