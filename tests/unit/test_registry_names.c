/*
 * test_registry_names.c - a mark's name kept as its spelling with the case
 * of its letters put back (enum mark_case): only when that gives the name
 * byte for byte; after the mark set is built every name and owner reads as
 * loaded, and the registry's text keeps only the other names.  What few
 * marks have (a record sized to what each has) reads back part for part,
 * the senses the mark set sets in it included.  What marks share (their
 * profile: classes, kind, status, flags, how the owner is kept) is kept
 * once, and an owner's name that starts with the mark's name or its first
 * word keeps only the rest.
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
#include "markset_fixture.h"
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
    struct loaded l;
    load(&l, registry_yaml);
    enum { N = 7 };
    assert_int_equal(l.reg.mark_count, N);
    const char *names[N], *owners[N];
    for (size_t i = 0; i < N; i++) {
        const struct mark_def *m = registry_mark(&l.reg, i);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        names[i] = arena_strdup(&l.arena, mark_name(&l.reg, m, spelled));
        owners[i] = mark_owner(&l.reg, m, &l.arena);
        assert_int_equal(m->name_case, MARK_CASE_KEPT); /* as loaded */
    }
    build(&l);
    /* title, upper, lower; kept: mixed case; a mark with aliases as any
     * other (title); kept: an expired mark (no spelling), an accent */
    static const enum mark_case expect[N] = {MARK_CASE_TITLE, MARK_CASE_UPPER, MARK_CASE_LOWER,
                                             MARK_CASE_KEPT,  MARK_CASE_TITLE, MARK_CASE_KEPT,
                                             MARK_CASE_KEPT};
    size_t kept_bytes = 1;
    for (size_t i = 0; i < N; i++) {
        const struct mark_def *m = registry_mark(&l.reg, i);
        if (m->name_case != expect[i])
            fail_msg("%s: case %d, expected %d", names[i], m->name_case, expect[i]);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        assert_string_equal(mark_name(&l.reg, m, spelled), names[i]);
        assert_string_equal(mark_owner(&l.reg, m, &l.arena), owners[i]);
        if (m->name_case == MARK_CASE_KEPT)
            kept_bytes += strlen(names[i]) + 1;
    }
    assert_int_equal(l.reg.text.len, kept_bytes); /* the others' bytes are given back */
    assert_string_equal(mark_more_of(&l.reg, registry_mark(&l.reg, 4)).aliases[0], "Velmora Paris");
    release(&l);
}

/* No name is its spelling with the case put back: the text is kept as it
 * is, not copied. */
static void test_all_names_kept(void **state)
{
    (void)state;
    static const char yaml[] = "registry: t\nversion: '1'\nmarks:\n"
                               "  - {mark: McQuentra}\n  - {mark: iVelmora}\n";
    struct loaded l;
    load(&l, yaml);
    const char *text = l.reg.text.data;
    size_t len = l.reg.text.len;
    build(&l);
    assert_ptr_equal(l.reg.text.data, text);
    assert_int_equal(l.reg.text.len, len);
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    assert_string_equal(mark_name(&l.reg, registry_mark(&l.reg, 0), spelled), "McQuentra");
    assert_string_equal(mark_name(&l.reg, registry_mark(&l.reg, 1), spelled), "iVelmora");
    release(&l);
}

static const char record_yaml[] =
    "registry: t\nversion: '1'\nmarks:\n"
    "  - {mark: Alpha, aliases: [Alfa]}\n"
    "  - mark: Stanley\n"
    "    aliases: [Stanly, Stanley Cup]\n"
    "    reference_price: {amount: 45.5, currency: USD}\n"
    "    generic_senses: [Hockey, Lord Stanley]\n"
    "    context: [Quencher]\n"
    "  - {mark: Gamma, reference_price: {amount: 12, currency: EUR}}\n"
    "  - mark: Polo\n"
    "    generic_senses: [Water Polo]\n"
    "    context: [Pony Logo, Big Pony]\n"
    "  - {mark: Delta, aliases: \"\", generic_senses: '', context: \"\"}\n"; /* empty: none */

/* Each part of a record as loaded. */
struct parts {
    const char *aliases[2], *generic[2], *context[2], *currency;
    uint32_t alias_count, generic_count, context_count;
    bool priced;
    double price;
};

static void expect_parts(const struct registry *reg, size_t i, const struct parts *want)
{
    struct mark_more more = mark_more_of(reg, registry_mark(reg, i));
    assert_int_equal(more.alias_count, want->alias_count);
    assert_int_equal(more.generic_count, want->generic_count);
    assert_int_equal(more.context_count, want->context_count);
    for (uint32_t k = 0; k < want->alias_count; k++)
        assert_string_equal(more.aliases[k], want->aliases[k]);
    for (uint32_t k = 0; k < want->generic_count; k++)
        assert_string_equal(more.generic_senses[k], want->generic[k]);
    for (uint32_t k = 0; k < want->context_count; k++)
        assert_string_equal(more.context[k], want->context[k]);
    assert_string_equal(more.currency, want->currency);
    assert_int_equal(more.has_reference_price, want->priced);
    if (want->priced)
        assert_true(more.reference_price == want->price);
}

static void test_more_records(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, record_yaml);
    static const struct parts want[] = {
        {.aliases = {"Alfa"}, .currency = "", .alias_count = 1},
        {.aliases = {"Stanly", "Stanley Cup"},
         .generic = {"Hockey", "Lord Stanley"},
         .context = {"Quencher"},
         .currency = "USD",
         .alias_count = 2,
         .generic_count = 2,
         .context_count = 1,
         .priced = true,
         .price = 45.5},
        {.currency = "EUR", .priced = true, .price = 12},
        {.generic = {"Water Polo"},
         .context = {"Pony Logo", "Big Pony"},
         .currency = "",
         .generic_count = 1,
         .context_count = 2},
        {.currency = ""},
    };
    enum { N = sizeof(want) / sizeof(want[0]) };
    assert_int_equal(l.reg.mark_count, N);
    for (size_t i = 0; i < N; i++) /* Delta has none of it */
        assert_int_equal(mark_has_more(&l.reg, registry_mark(&l.reg, i)), i != N - 1);
    for (size_t i = 0; i < N; i++)
        expect_parts(&l.reg, i, &want[i]);
    build(&l);
    for (size_t i = 0; i < N; i++) /* the senses set beside them change no part */
        expect_parts(&l.reg, i, &want[i]);
    const struct mark_senses *stanley = mark_more_senses(&l.reg, registry_mark(&l.reg, 1));
    assert_non_null(stanley);
    assert_int_equal(stanley->generic_count, 2);
    assert_string_equal(stanley->generic[1], "lord stanley");
    assert_int_equal(stanley->context_count, 1);
    assert_string_equal(stanley->context[0], "quencher");
    const struct mark_senses *polo = mark_more_senses(&l.reg, registry_mark(&l.reg, 3));
    assert_non_null(polo);
    assert_string_equal(polo->context[1], "big pony");
    assert_null(mark_more_senses(&l.reg, registry_mark(&l.reg, 0)));
    assert_null(mark_more_senses(&l.reg, registry_mark(&l.reg, 2)));
    assert_null(mark_more_senses(&l.reg, registry_mark(&l.reg, 4)));
    release(&l);
}

/* Is the NUL-terminated string s one of r's shared strings? */
static bool shared_has(const struct registry *r, const char *s)
{
    for (size_t at = 1; at < r->shared.len; at += strlen(r->shared.data + at) + 1)
        if (strcmp(r->shared.data + at, s) == 0)
            return true;
    return false;
}

static void test_profiles_and_owners(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, "registry: t\nversion: '1'\nmarks:\n"
             "  - {mark: Acme Tools, owner: Acme Trading Ltd., classes: [25]}\n"
             "  - {mark: Bolt Tools, owner: Bolt Trading Ltd., classes: [25]}\n"
             "  - {mark: Corex, owner: Corex Trading Ltd., classes: [25]}\n"
             "  - {mark: Dune Line, owner: Other Holding, classes: [25]}\n"
             "  - {mark: Eon Line, owner: Eon, classes: [25], status: pending}\n"
             "  - {mark: Fjord, owner: Fjordland AS, classes: [9, 25], kind: character}\n"
             "  - {mark: Gap, owner: '', classes: [25], context_required: true}\n"
             "  - {mark: Halo, owner: Halo Inc., classes: [25], aliases: [Halo X]}\n"
             "  - {mark: Iris Tools, owner: Iris Trading Ltd., classes: [25]}\n");
    static const struct {
        const char *owner;
        enum owner_kept kept;
        uint64_t classes;
        enum mark_kind kind;
        enum mark_status status;
        bool context_required, has_more;
    } want[] = {
        {"Acme Trading Ltd.", OWNER_AFTER_FIRST_WORD, 1ull << 25, MARK_BRAND, MARK_REGISTERED,
         false, false},
        {"Bolt Trading Ltd.", OWNER_AFTER_FIRST_WORD, 1ull << 25, MARK_BRAND, MARK_REGISTERED,
         false, false},
        {"Corex Trading Ltd.", OWNER_AFTER_NAME, 1ull << 25, MARK_BRAND, MARK_REGISTERED, false,
         false},
        {"Other Holding", OWNER_WHOLE, 1ull << 25, MARK_BRAND, MARK_REGISTERED, false, false},
        {"Eon", OWNER_AFTER_FIRST_WORD, 1ull << 25, MARK_BRAND, MARK_PENDING, false, false},
        {"Fjordland AS", OWNER_AFTER_NAME, 1ull << 9 | 1ull << 25, MARK_CHARACTER, MARK_REGISTERED,
         false, false},
        {"", OWNER_WHOLE, 1ull << 25, MARK_BRAND, MARK_REGISTERED, true, false},
        {"Halo Inc.", OWNER_AFTER_NAME, 1ull << 25, MARK_BRAND, MARK_REGISTERED, false, true},
        {"Iris Trading Ltd.", OWNER_AFTER_FIRST_WORD, 1ull << 25, MARK_BRAND, MARK_REGISTERED,
         false, false},
    };
    enum { N = sizeof(want) / sizeof(want[0]) };
    assert_int_equal(l.reg.mark_count, N);
    for (int pass = 0; pass < 2; pass++) { /* as loaded, and after the mark set is built */
        for (size_t i = 0; i < N; i++) {
            const struct mark_def *m = registry_mark(&l.reg, i);
            assert_string_equal(mark_owner(&l.reg, m, &l.arena), want[i].owner);
            assert_int_equal(mark_owner_kept(&l.reg, m), want[i].kept);
            assert_int_equal(mark_classes(&l.reg, m), want[i].classes);
            assert_int_equal(mark_kind_of(&l.reg, m), want[i].kind);
            assert_int_equal(mark_status_of(&l.reg, m), want[i].status);
            assert_int_equal(mark_context_required(&l.reg, m), want[i].context_required);
            assert_int_equal(mark_has_more(&l.reg, m), want[i].has_more);
        }
        if (pass == 0)
            build(&l);
    }
    /* one profile for what Acme, Bolt and Iris Tools share; Corex and
     * Halo keep the owner alike but Halo has more; the others differ */
    const struct mark_def *acme = registry_mark(&l.reg, 0);
    assert_int_equal(registry_mark(&l.reg, 1)->profile, acme->profile);
    assert_int_equal(registry_mark(&l.reg, 8)->profile, acme->profile);
    assert_int_equal(l.reg.profiles.count, 7);
    /* the rest after the first word, once for the three marks */
    assert_true(shared_has(&l.reg, " Trading Ltd."));
    assert_int_equal(acme->owner, registry_mark(&l.reg, 8)->owner);
    assert_false(shared_has(&l.reg, "Acme Trading Ltd."));
    assert_false(shared_has(&l.reg, " Tools Trading Ltd."));
    assert_true(shared_has(&l.reg, "Other Holding"));
    release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_of),
        cmocka_unit_test(test_names_after_build),
        cmocka_unit_test(test_all_names_kept),
        cmocka_unit_test(test_more_records),
        cmocka_unit_test(test_profiles_and_owners),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
