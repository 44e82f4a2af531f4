/*
 * test_registry_names.c - a mark's name kept as its spelling with the case
 * of its letters put back (enum mark_case): only when that gives the name
 * byte for byte; after the mark set is built every name and owner reads as
 * loaded, and the registry's text keeps only the other names.
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
#include "base/normalize.h"
#include "compile/markset.h"
#include "registry/registry.h"

static void test_case_of(void **state)
{
    (void)state;
    static const struct {
        const char *name, *spelling;
        enum mark_case how;
    } cases[] = {
        {"adidas", "adidas", MARK_CASE_LOWER},
        {"IKEA", "ikea", MARK_CASE_UPPER},
        {"H&M", "h&m", MARK_CASE_TITLE}, /* title first: either gives it */
        {"HM-X", "hm-x", MARK_CASE_UPPER},
        {"Ray-Ban", "ray-ban", MARK_CASE_TITLE},
        {"Louis Vuitton", "louis vuitton", MARK_CASE_TITLE},
        {"7-Eleven", "7-eleven", MARK_CASE_TITLE},
        {"1917", "1917", MARK_CASE_LOWER},
        {"McDonald's", "mcdonald's", MARK_CASE_KEPT},
        {"iPhone", "iphone", MARK_CASE_KEPT},
        {"Ray-ban", "ray-ban", MARK_CASE_KEPT},
        {"Pokémon", "pokemon", MARK_CASE_KEPT}, /* the spelling lost the accent */
        {"Nike", "nikes", MARK_CASE_KEPT},      /* longer spelling: never past the name */
        {"Nikes", "nike", MARK_CASE_KEPT},      /* shorter spelling */
        {"Louis  Vuitton", "louis vuitton", MARK_CASE_KEPT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum mark_case how =
            mark_case_of(cases[i].name, cases[i].spelling, strlen(cases[i].spelling));
        if (how != cases[i].how)
            fail_msg("%s: case %d, expected %d", cases[i].name, how, cases[i].how);
        if (how == MARK_CASE_KEPT)
            continue;
        char out[MARK_SPELLED_NAME_MAX + 1];
        mark_case_put_back(cases[i].spelling, strlen(cases[i].spelling), how, out);
        assert_string_equal(out, cases[i].name);
    }
    /* the longest name kept as its spelling, and one byte more */
    char name[MARK_SPELLED_NAME_MAX + 2], spelling[MARK_SPELLED_NAME_MAX + 2];
    memset(name, 'A', sizeof(name) - 1);
    memset(spelling, 'a', sizeof(spelling) - 1);
    name[MARK_SPELLED_NAME_MAX + 1] = spelling[MARK_SPELLED_NAME_MAX + 1] = '\0';
    assert_int_equal(mark_case_of(name + 1, spelling + 1, MARK_SPELLED_NAME_MAX), MARK_CASE_UPPER);
    assert_int_equal(mark_case_of(name, spelling, MARK_SPELLED_NAME_MAX + 1), MARK_CASE_KEPT);
}

static const char registry_yaml[] =
    "registry: t\nversion: '1'\nmarks:\n"
    "  - {mark: Zorvex, owner: Zorvex Trading Co.}\n"
    "  - {mark: ZORVEX PRO, owner: Other Owner}\n"
    "  - {mark: quentra, owner: quentra GmbH}\n"
    "  - {mark: McQuentra, owner: McQuentra Inc.}\n"
    "  - {mark: Velmora, owner: Velmora SA, aliases: [Velmora Paris]}\n"
    "  - {mark: Old Brand, status: expired}\n"
    "  - {mark: Brandé, owner: Brandé SAS}\n";

static void test_names_after_build(void **state)
{
    (void)state;
    struct registry reg;
    struct arena arena;
    struct diag_list diags;
    registry_init(&reg);
    arena_init(&arena, 0);
    diag_list_init(&diags);
    assert_int_equal(
        registry_load_marks(&reg, &arena, &diags, "t.yaml", registry_yaml, strlen(registry_yaml)),
        IPR_OK);
    enum { N = 7 };
    assert_int_equal(reg.mark_count, N);
    const char *names[N], *owners[N];
    for (size_t i = 0; i < N; i++) {
        const struct mark_def *m = registry_mark(&reg, i);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        names[i] = arena_strdup(&arena, mark_name(&reg, m, spelled));
        owners[i] = mark_owner(&reg, m, &arena);
        assert_int_equal(m->name_case, MARK_CASE_KEPT); /* as loaded */
    }
    struct normalizer *norm = NULL;
    assert_int_equal(normalizer_new(&norm), IPR_OK);
    struct markset ms;
    assert_int_equal(markset_build(&ms, &reg, NULL, 0, 0, norm, &arena), IPR_OK);
    /* title, upper, lower; kept: mixed case, a mark with aliases (the index
     * before its name), an expired mark (no spelling), an accent */
    static const enum mark_case expect[N] = {MARK_CASE_TITLE, MARK_CASE_UPPER, MARK_CASE_LOWER,
                                             MARK_CASE_KEPT,  MARK_CASE_KEPT,  MARK_CASE_KEPT,
                                             MARK_CASE_KEPT};
    size_t kept_bytes = 1;
    for (size_t i = 0; i < N; i++) {
        const struct mark_def *m = registry_mark(&reg, i);
        if (m->name_case != expect[i])
            fail_msg("%s: case %d, expected %d", names[i], m->name_case, expect[i]);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        assert_string_equal(mark_name(&reg, m, spelled), names[i]);
        assert_string_equal(mark_owner(&reg, m, &arena), owners[i]);
        if (m->name_case == MARK_CASE_KEPT)
            kept_bytes += strlen(names[i]) + 1 + (m->has_more ? REGISTRY_MORE_INDEX_BYTES : 0);
    }
    assert_int_equal(reg.text.len, kept_bytes); /* the others' bytes are given back */
    assert_string_equal(mark_more_of(&reg, registry_mark(&reg, 4)).aliases[0], "Velmora Paris");
    markset_release(&ms);
    normalizer_free(norm);
    registry_release(&reg);
    diag_list_release(&diags);
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_of),
        cmocka_unit_test(test_names_after_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
