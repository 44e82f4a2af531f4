/*
 * test_rules_load.c - the rule-pack loader on valid packs: the AST it builds.
 *
 * Packs come from tests/rule-errors/good/ and from strings here.  Each test
 * asserts on the structures (metadata, rules, every condition kind with its
 * arguments, term resolution, example flattening, positions) and on
 * cond_to_text, so a change in the loader's output fails a test.  The last
 * tests fail every allocation in turn and check for IPR_ENOMEM and no leak.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/limits.h"
#include "rules/rule_load.h"

#define GOOD_DIR IPR_SOURCE_DIR "/tests/rule-errors/good/"

/* ---- a failing allocator ------------------------------------------------------- */

/* glibc lets a program replace malloc; the sanitizers replace it themselves,
 * so the sweep is skipped under them. */
#if defined(__SANITIZE_ADDRESS__)
#define FAILING_ALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FAILING_ALLOC 0
#endif
#endif
#if !defined(FAILING_ALLOC) && defined(__GLIBC__)
#define FAILING_ALLOC 1
#endif
#ifndef FAILING_ALLOC
#define FAILING_ALLOC 0
#endif

#if FAILING_ALLOC
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static long fail_countdown = -1; /* allocations left before one fails; -1: never */
static long live_blocks;         /* allocated minus freed while counting */
static bool counting;

static bool should_fail(void)
{
    if (fail_countdown < 0 || fail_countdown-- != 0)
        return false;
    errno = ENOMEM; /* as the real malloc does; fopen's callers rely on it */
    return true;
}

void *malloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = __libc_malloc(size);
    if (p && counting)
        live_blocks++;
    return p;
}

void *calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    void *p = __libc_calloc(count, size);
    if (p && counting)
        live_blocks++;
    return p;
}

void *realloc(void *old, size_t size)
{
    if (should_fail())
        return NULL;
    void *p = __libc_realloc(old, size);
    if (p && !old && counting)
        live_blocks++;
    return p;
}

void free(void *p)
{
    if (p && counting)
        live_blocks--;
    __libc_free(p);
}
#endif

/* ---- loading ---------------------------------------------------------------------- */

/* Reads a file beside the pack, with the compiler's rule: relative paths
 * that stay inside the pack's folder. */
static ipr_status read_beside(void *user, const char *pack_file, const char *rel, char **data,
                              size_t *len)
{
    (void)user;
    if (rel[0] == '/' || strstr(rel, ".."))
        return IPR_EINVAL;
    const char *slash = strrchr(pack_file, '/');
    size_t dir_len = slash ? (size_t)(slash - pack_file) + 1 : 0;
    char path[4096];
    if (dir_len + strlen(rel) >= sizeof(path))
        return IPR_EIO;
    memcpy(path, pack_file, dir_len);
    memcpy(path + dir_len, rel, strlen(rel) + 1);
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOMEM ? IPR_ENOMEM : IPR_EIO; /* the sweep fails fopen's malloc */
    struct buf b;
    buf_init(&b, IPR_MAX_TERM_FILE_BYTES);
    char chunk[4096];
    size_t n;
    ipr_status st = IPR_OK;
    while (st == IPR_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        st = buf_append(&b, chunk, n);
    fclose(f);
    if (st == IPR_OK)
        st = buf_reserve(&b, 0);
    if (st != IPR_OK) {
        buf_release(&b);
        return st;
    }
    *len = b.len;
    *data = buf_detach(&b);
    return IPR_OK;
}

struct fixture {
    struct arena arena;
    struct diag_list diags;
    struct rule_pack *pack;
    ipr_status status;
    char *text; /* of a pack read from disk */
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct buf b;
    buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(buf_append(&b, chunk, n), IPR_OK);
    fclose(f);
    assert_int_equal(buf_reserve(&b, 0), IPR_OK);
    *len = b.len;
    return buf_detach(&b);
}

static void dump_diags(const struct diag_list *d)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const ipr_diag *g = diag_get(d, i);
        print_message("%s:%u:%u: %s\n", g->file, g->line, g->col, g->message);
    }
}

static void load_text(struct fixture *fx, const char *file, const char *text, size_t len)
{
    arena_init(&fx->arena, 0);
    diag_list_init(&fx->diags);
    fx->text = NULL;
    struct rule_load_ctx ctx = {&fx->arena, &fx->diags, read_beside, NULL};
    fx->pack = NULL;
    fx->status = rule_load_pack(&ctx, file, text, len, &fx->pack);
}

/* Loads and requires success. */
static void load_ok(struct fixture *fx, const char *file, const char *text)
{
    load_text(fx, file, text, strlen(text));
    if (fx->status != IPR_OK)
        dump_diags(&fx->diags);
    assert_int_equal(fx->status, IPR_OK);
    assert_int_equal(diag_count(&fx->diags), 0);
    assert_non_null(fx->pack);
}

static void load_good(struct fixture *fx, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s%s", GOOD_DIR, name);
    size_t len;
    char *text = slurp(path, &len);
    load_ok(fx, path, text);
    fx->text = text;
}

static void release(struct fixture *fx)
{
    arena_release(&fx->arena);
    diag_list_release(&fx->diags);
    free(fx->text);
    fx->text = NULL;
}

static void assert_text(const struct cond *c, const char *expected)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(cond_to_text(c, &b), IPR_OK);
    assert_string_equal(buf_str(&b), expected);
    buf_release(&b);
}

static const struct rule *rule_by_id(const struct rule_pack *p, const char *id)
{
    for (size_t i = 0; i < p->rule_count; i++)
        if (strcmp(p->rules[i].id, id) == 0)
            return &p->rules[i];
    fail_msg("no rule %s", id);
    return NULL;
}

/* A macro so a failure names the caller's line. */
#define assert_pos(pos, line_, col_)                                                               \
    do {                                                                                           \
        assert_int_equal((pos).line, (line_));                                                     \
        assert_int_equal((pos).col, (col_));                                                       \
    } while (0)

/* ---- the documented example ---------------------------------------------------------- */

static void test_full_pack_metadata(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "full.yaml");
    const struct rule_pack *p = fx.pack;
    assert_string_equal(p->name, "acme-marketing");
    assert_int_equal(p->stage, IPR_STAGE_MARKETING);
    assert_string_equal(p->version, "1.0.0");
    assert_string_equal(p->title, "Marketing checks for ACME listings");
    assert_string_equal(p->description, "What the pack is for, in a sentence or two.\n");
    assert_string_equal(p->file, GOOD_DIR "full.yaml");
    assert_int_equal(p->list_count, 2);
    assert_string_equal(p->lists[0].name, "counterfeit_en");
    assert_pos(p->lists[0].pos, 10, 3);
    assert_int_equal(p->lists[0].term_count, 4);
    assert_string_equal(p->lists[0].terms[1].text, "1:1");
    assert_pos(p->lists[0].terms[1].pos, 10, 29);
    assert_string_equal(p->lists[0].terms[1].file, p->file);
    assert_int_equal(p->rule_count, 1);
    release(&fx);
}

static void test_full_pack_rule(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "full.yaml");
    const struct rule *r = &fx.pack->rules[0];
    assert_string_equal(r->id, "MK-COUNTERFEIT-TERMS");
    assert_pos(r->pos, 15, 5);
    assert_pos(r->id_pos, 15, 9);
    assert_string_equal(r->title, "Counterfeit vocabulary in listing text");
    assert_string_equal(r->description, "");
    assert_int_equal(r->severity, IPR_SEV_CRITICAL);
    assert_true(r->enabled);
    assert_int_equal(r->field_count, 6);
    assert_string_equal(r->fields[0], "title");
    assert_string_equal(r->fields[5], "images[].alt_text");
    assert_string_equal(
        r->message, "'{match}' in {field} tells buyers the goods are a copy of a branded product");
    assert_string_equal(r->fix,
                        "Remove the wording; sell only goods you may sell under their own brand.");
    assert_int_equal(r->reference_count, 1);
    assert_string_equal(r->references[0],
                        "https://sellercentral.amazon.com/help/hub/reference/external/G201165970");
    assert_int_equal(r->tag_count, 0);
    assert_string_equal(r->file, fx.pack->file);
    assert_text(r->match,
                "any(terms(counterfeit_en), terms(counterfeit_zh), "
                "terms([\"super copy\", \"高仿\"]), regex(\"(?i)\\\\bAAA+\\\\s+quality\\\\b\"))");
    assert_int_equal(r->unless_count, 1);
    assert_text(r->unless[0], "terms([\"faux fur\", \"faux leather\"])");
    release(&fx);
}

static void test_full_pack_examples(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "full.yaml");
    const struct rule *r = &fx.pack->rules[0];
    assert_int_equal(r->must_match_count, 2);
    assert_int_equal(r->must_not_match_count, 2);
    const struct rule_example *e = &r->must_match[0];
    assert_pos(e->pos, 33, 11);
    assert_int_equal(e->field_count, 1);
    assert_string_equal(e->fields[0].path, "title");
    assert_string_equal(e->fields[0].value, "1:1 mirror quality handbag");
    assert_string_equal(e->display, "\"1:1 mirror quality handbag\"");
    e = &r->must_match[1];
    assert_int_equal(e->field_count, 2);
    assert_string_equal(e->fields[1].path, "description");
    assert_string_equal(e->fields[1].value, "高仿 quality");
    assert_string_equal(e->display, "{title: \"Leather tote\", description: \"高仿 quality\"}");
    e = &r->must_not_match[1];
    assert_pos(e->pos, 37, 11);
    assert_string_equal(e->display, "{title: \"Scale replica of the Eiffel Tower\"}");
    release(&fx);
}

/* ---- term lists ------------------------------------------------------------------------ */

static void test_terms_named_inline_and_file(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "full.yaml");
    const struct rule_pack *p = fx.pack;
    const struct cond *any = p->rules[0].match;
    assert_int_equal(any->kind, COND_ANY);
    assert_int_equal(any->u.list.count, 4);

    /* named: the list's own terms, not a copy */
    const struct cond *named = any->u.list.items[0];
    assert_int_equal(named->kind, COND_TERMS);
    assert_string_equal(named->u.terms.list_name, "counterfeit_en");
    assert_ptr_equal(named->u.terms.terms, p->lists[0].terms);
    assert_int_equal(named->u.terms.term_count, 4);
    assert_pos(named->pos, 21, 11);

    /* from a file: comments, blank lines, CRLF and surrounding blanks are dropped */
    const struct cond *file = any->u.list.items[1];
    assert_string_equal(file->u.terms.list_name, "counterfeit_zh");
    assert_int_equal(file->u.terms.term_count, 4);
    const struct term *t = file->u.terms.terms;
    assert_string_equal(t[0].text, "高仿");
    assert_string_equal(t[0].file, GOOD_DIR "terms/counterfeit_zh.txt");
    assert_pos(t[0].pos, 3, 1);
    assert_string_equal(t[1].text, "复刻");
    assert_pos(t[1].pos, 4, 3);
    assert_string_equal(t[2].text, "原单");
    assert_pos(t[2].pos, 7, 1);
    assert_string_equal(t[3].text, "A#B");
    assert_pos(t[3].pos, 8, 1);

    /* inline: no list name, each term with its byte column (高仿 is 6 bytes) */
    const struct cond *in = any->u.list.items[2];
    assert_null(in->u.terms.list_name);
    assert_int_equal(in->u.terms.term_count, 2);
    assert_string_equal(in->u.terms.terms[0].text, "super copy");
    assert_pos(in->u.terms.terms[0].pos, 23, 19);
    assert_string_equal(in->u.terms.terms[1].text, "高仿");
    assert_pos(in->u.terms.terms[1].pos, 23, 33);
    assert_string_equal(in->u.terms.terms[1].file, p->file);
    release(&fx);
}

static void test_term_list_defined_after_rules(void **state)
{
    (void)state;
    struct fixture fx;
    load_ok(&fx, "late.yaml",
            "rules:\n"
            "  - id: LATE-1\n"
            "    title: t\n"
            "    severity: low\n"
            "    fields: [title]\n"
            "    match: {terms: later}\n"
            "pack: p\nstage: payment\nversion: '1'\ntitle: t\n"
            "terms:\n"
            "  later: [x, 42]\n");
    const struct cond *c = fx.pack->rules[0].match;
    assert_int_equal(c->u.terms.term_count, 2);
    assert_string_equal(c->u.terms.terms[1].text, "42");
    assert_int_equal(fx.pack->stage, IPR_STAGE_PAYMENT);
    release(&fx);
}

/* ---- conditions ------------------------------------------------------------------------ */

static void test_condition_text_of_every_kind(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "conditions.yaml");
    const struct rule_pack *p = fx.pack;
    assert_int_equal(p->rule_count, 5);
    assert_string_equal(p->version, "2");
    assert_text(rule_by_id(p, "HW-ALL-ANY-NOT")->match,
                "all(any(terms(famous), regex(\"(?i)\\\\bcopy\\\\b\")), not(present(brand)))");
    assert_text(rule_by_id(p, "HW-REGEX-PATTERN")->match,
                "any(regex([title, bullets]: \"(?i)replica\"), "
                "pattern(customs.hs_code: \"\\\\d{4}(\\\\.\\\\d{2})?\"))");
    assert_text(rule_by_id(p, "HW-MARK")->match,
                "any(mark(any), mark([\"Nike\", \"Levi's\"]), "
                "mark(classes=[25, 18], kinds=[brand, character], jurisdictions=[US, EU]), "
                "mark(title: [\"Nike\"]))");
    assert_text(rule_by_id(p, "HW-NEAR")->match,
                "near(description: 3, terms([\"replica\", \"copy\"]), terms(famous))");
    assert_text(rule_by_id(p, "HW-CONSTRAINTS")->match,
                "all(absent(customs.declared_brand), equals(customs.declared_brand_type: \"0\"), "
                "in(country_of_origin: [\"CN\", \"Hong Kong\", \"852\"]), min(price: 12.5), "
                "max(price: -1e3), length(title: 201..), length(title: ..10), "
                "length([title, description]: 1..80), compare(\"price < 0.3 * list_price\"))");
    release(&fx);
}

static void test_condition_arguments(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "conditions.yaml");
    const struct rule_pack *p = fx.pack;

    const struct rule *r = rule_by_id(p, "HW-REGEX-PATTERN");
    const struct cond *re = r->match->u.list.items[0];
    assert_int_equal(re->kind, COND_REGEX);
    assert_string_equal(re->u.regex.pattern, "(?i)replica");
    assert_false(re->u.regex.pattern_quoted);
    assert_pos(re->u.regex.pattern_pos, 26, 18);
    assert_pos(re->pos, 26, 11);
    assert_int_equal(re->field_count, 2);
    assert_string_equal(re->fields[1], "bullets");
    const struct cond *pat = r->match->u.list.items[1];
    assert_int_equal(pat->kind, COND_PATTERN);
    assert_true(pat->u.regex.pattern_quoted);
    assert_pos(pat->u.regex.pattern_pos, 28, 45);
    assert_int_equal(pat->field_count, 1);
    assert_string_equal(pat->fields[0], "customs.hs_code");

    r = rule_by_id(p, "HW-MARK");
    assert_false(r->enabled);
    assert_string_equal(r->fields[0], "*");
    const struct cond *m = r->match->u.list.items[2];
    assert_int_equal(m->kind, COND_MARK);
    assert_false(m->u.mark.any);
    assert_int_equal(m->u.mark.mark_count, 0);
    assert_int_equal(m->u.mark.class_count, 2);
    assert_string_equal(m->u.mark.classes[0], "25");
    assert_string_equal(m->u.mark.kinds[1], "character");
    assert_string_equal(m->u.mark.jurisdictions[1], "EU");
    assert_true(r->match->u.list.items[0]->u.mark.any);

    r = rule_by_id(p, "HW-NEAR");
    const struct cond *near = r->match;
    assert_int_equal(near->kind, COND_NEAR);
    assert_int_equal(near->u.near.words, 3);
    assert_int_equal(near->u.near.first->kind, COND_TERMS);
    assert_null(near->u.near.first->fields);
    assert_string_equal(near->u.near.second->u.terms.list_name, "famous");
    assert_string_equal(near->fields[0], "description");

    r = rule_by_id(p, "HW-CONSTRAINTS");
    struct cond *const *c = r->match->u.list.items;
    assert_int_equal(r->match->u.list.count, 9);
    assert_int_equal(c[0]->kind, COND_ABSENT);
    assert_string_equal(c[0]->fields[0], "customs.declared_brand");
    assert_string_equal(c[1]->u.equals.value, "0");
    assert_int_equal(c[2]->u.in.count, 3);
    assert_string_equal(c[2]->u.in.values[2], "852");
    assert_true(c[3]->u.num.value == 12.5);
    assert_true(c[4]->kind == COND_MAX && c[4]->u.num.value == -1000.0);
    assert_true(c[5]->u.length.has_min && !c[5]->u.length.has_max);
    assert_int_equal(c[5]->u.length.min, 201);
    assert_true(!c[6]->u.length.has_min && c[6]->u.length.has_max);
    assert_int_equal(c[6]->u.length.max, 10);
    assert_int_equal(c[7]->field_count, 2);
    assert_int_equal(c[8]->kind, COND_COMPARE);
    assert_string_equal(c[8]->u.compare.expr, "price < 0.3 * list_price");
    assert_pos(c[8]->u.compare.expr_pos, 61, 20);
    assert_null(c[8]->fields);
    release(&fx);
}

static void test_numbers_are_exact_and_locale_free(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } cases[] = {{"0.3", 0.3},       {"12.5", 12.5}, {"-7", -7.0},
                 {".5", 0.5},        {"5.", 5.0},    {"1e3", 1e3},
                 {"+2.5E-2", 0.025}, {"0.1", 0.1},   {"123456789.123", 123456789.123}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "pack: p\nstage: tailing\nversion: '1'\ntitle: t\nrules:\n"
                 "  - {id: NUM-1, title: t, severity: low, fields: [price], match: {min: %s}}\n",
                 cases[i].text);
        struct fixture fx;
        load_ok(&fx, "num.yaml", text);
        const struct cond *c = fx.pack->rules[0].match;
        assert_int_equal(c->kind, COND_MIN);
        assert_string_equal(c->u.num.text, cases[i].text);
        if (c->u.num.value != cases[i].value)
            fail_msg("'%s' read as %.17g", cases[i].text, c->u.num.value);
        release(&fx);
    }
}

/* ---- examples -------------------------------------------------------------------------- */

static void test_examples_flatten(void **state)
{
    (void)state;
    struct fixture fx;
    load_ok(&fx, "ex.yaml",
            "pack: p\nstage: warehousing\nversion: '1'\ntitle: t\n"
            "rules:\n"
            "  - id: EX-1\n"
            "    title: t\n"
            "    severity: high\n"
            "    fields: ['images[].alt_text', title]\n"
            "    match: {terms: [x]}\n"
            "    tests:\n"
            "      match:\n"
            "        - x marks\n"
            "        - title: t\n"
            "          price: 12.50\n"
            "          customs: {hs_code: \"4202\", declared: {brand: ACME}}\n"
            "          bullets: [a, b]\n"
            "          images: [{alt_text: x}, {alt_text: ~}]\n"
            "          on_sale: true\n"
            "      no_match:\n"
            "        - {}\n");
    const struct rule *r = &fx.pack->rules[0];
    const struct rule_example *e = &r->must_match[0];
    assert_int_equal(e->field_count, 1);
    assert_string_equal(e->fields[0].path, "images.alt_text");
    assert_string_equal(e->fields[0].value, "x marks");
    e = &r->must_match[1];
    assert_pos(e->pos, 14, 11);
    static const char *const expected[][2] = {
        {"title", "t"},
        {"price", "12.50"},
        {"customs.hs_code", "4202"},
        {"customs.declared.brand", "ACME"},
        {"bullets[0]", "a"},
        {"bullets[1]", "b"},
        {"images[0].alt_text", "x"},
        {"images[1].alt_text", ""},
        {"on_sale", "true"},
    };
    assert_int_equal(e->field_count, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < e->field_count; i++) {
        assert_string_equal(e->fields[i].path, expected[i][0]);
        assert_string_equal(e->fields[i].value, expected[i][1]);
    }
    assert_string_equal(e->display,
                        "{title: \"t\", price: \"12.50\", customs.hs_code: \"4202\", "
                        "customs.declared.brand: \"ACME\", bullets[0]: \"a\", bullets[1]: \"b\", "
                        "images[0].alt_text: \"x\", images[1].alt_text: \"\", on_sale: \"true\"}");
    assert_int_equal(r->must_not_match_count, 1);
    assert_int_equal(r->must_not_match[0].field_count, 0);
    assert_string_equal(r->must_not_match[0].display, "{}");
    release(&fx);
}

static void test_example_display_is_one_short_line(void **state)
{
    (void)state;
    char text[2048];
    char longval[600];
    for (size_t i = 0; i < sizeof(longval) - 1; i++)
        longval[i] = (char)('a' + i % 26);
    longval[sizeof(longval) - 1] = '\0';
    snprintf(text, sizeof(text),
             "pack: p\nstage: marketing\nversion: '1'\ntitle: t\nrules:\n"
             "  - id: EX-2\n    title: t\n    severity: low\n    fields: [title]\n"
             "    match: {terms: [x]}\n"
             "    tests: {match: [\"two\\nlines\\t\\\"q\\\"\", \"%s\"]}\n",
             longval);
    struct fixture fx;
    load_ok(&fx, "ex.yaml", text);
    const struct rule *r = &fx.pack->rules[0];
    assert_string_equal(r->must_match[0].fields[0].value, "two\nlines\t\"q\"");
    assert_string_equal(r->must_match[0].display, "\"two\\nlines\\t\\\"q\\\"\"");
    const char *d = r->must_match[1].display;
    assert_int_equal(strlen(d), IPR_RULE_EXAMPLE_DISPLAY_BYTES);
    assert_string_equal(d + strlen(d) - 3, "...");
    assert_int_equal(d[0], '"');
    assert_int_equal(strlen(r->must_match[1].fields[0].value), sizeof(longval) - 1);
    release(&fx);
}

/* ---- defaults, encodings, positions ------------------------------------------------------ */

static void test_defaults_and_optional_keys(void **state)
{
    (void)state;
    struct fixture fx;
    load_ok(&fx, "opt.yaml",
            "pack: p\nstage: tailing\nversion: 1.0\ntitle: t\nrules:\n"
            "  - id: OPT-1\n    title: t\n    severity: info\n    fields: [packaging]\n"
            "    match: {present: packaging.label_text}\n"
            "    tags: [labels, \"two words\"]\n"
            "    unless: []\n"
            "    enabled: true\n");
    const struct rule_pack *p = fx.pack;
    assert_string_equal(p->version, "1.0");
    assert_string_equal(p->description, "");
    assert_int_equal(p->list_count, 0);
    const struct rule *r = &p->rules[0];
    assert_true(r->enabled);
    assert_string_equal(r->description, "");
    assert_string_equal(r->message, "");
    assert_string_equal(r->fix, "");
    assert_int_equal(r->reference_count, 0);
    assert_int_equal(r->tag_count, 2);
    assert_string_equal(r->tags[1], "two words");
    assert_int_equal(r->unless_count, 0);
    assert_int_equal(r->must_match_count + r->must_not_match_count, 0);
    assert_text(r->match, "present(packaging.label_text)");
    release(&fx);
}

static void test_bom_crlf_and_byte_columns(void **state)
{
    (void)state;
    struct fixture fx;
    /* a BOM is not a column; CRLF is one line break; columns count bytes */
    load_ok(&fx, "crlf.yaml",
            "\xEF\xBB\xBFpack: p\r\nstage: marketing\r\nversion: '1'\r\ntitle: t\r\n"
            "rules:\r\n"
            "  - {id: ENC-1, title: \"é\", severity: low, fields: [title], match: "
            "{regex: 'é+'}}\r\n");
    const struct rule *r = &fx.pack->rules[0];
    assert_pos(r->pos, 6, 5);
    assert_pos(r->id_pos, 6, 10);
    assert_pos(r->match->pos, 6, 70);
    assert_pos(r->match->u.regex.pattern_pos, 6, 77);
    assert_true(r->match->u.regex.pattern_quoted);
    release(&fx);
}

static void test_empty_stream_needs_content(void **state)
{
    (void)state;
    struct fixture fx;
    load_text(&fx, "empty.yaml", "# only a comment\n", 17);
    assert_int_equal(fx.status, IPR_ERULES);
    assert_null(fx.pack);
    assert_int_equal(diag_count(&fx.diags), 1);
    assert_string_equal(diag_get(&fx.diags, 0)->message, "the rule pack is empty");
    release(&fx);
}

static void test_in_memory_pack_cannot_read_files(void **state)
{
    (void)state;
    static const char text[] = "pack: p\nstage: payment\nversion: '1'\ntitle: t\n"
                               "terms: {x: {file: x.txt}}\nrules: []\n";
    struct arena arena;
    struct diag_list diags;
    arena_init(&arena, 0);
    diag_list_init(&diags);
    struct rule_load_ctx ctx = {&arena, &diags, NULL, NULL};
    struct rule_pack *pack = (struct rule_pack *)&arena; /* must be reset to NULL */
    assert_int_equal(rule_load_pack(&ctx, "mem", text, sizeof(text) - 1, &pack), IPR_ERULES);
    assert_null(pack);
    assert_int_equal(diags.error_count, 1);
    assert_string_equal(diag_get(&diags, 0)->message,
                        "cannot read term file 'x.txt': this pack cannot refer to files");
    assert_int_equal(diag_get(&diags, 0)->line, 5);
    assert_int_equal(diag_get(&diags, 0)->col, 19);
    arena_release(&arena);
    diag_list_release(&diags);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    struct arena arena;
    struct diag_list diags;
    arena_init(&arena, 0);
    diag_list_init(&diags);
    struct rule_load_ctx ctx = {&arena, &diags, NULL, NULL};
    struct rule_pack *pack;
    assert_int_equal(rule_load_pack(&ctx, "x", NULL, 3, &pack), IPR_EINVAL);
    assert_int_equal(rule_load_pack(&ctx, NULL, "", 0, &pack), IPR_EINVAL);
    assert_int_equal(rule_load_pack(NULL, "x", "", 0, &pack), IPR_EINVAL);
    assert_int_equal(rule_load_pack(&ctx, "x", "", 0, NULL), IPR_EINVAL);
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(cond_to_text(NULL, &b), IPR_EINVAL);
    buf_release(&b);
    arena_release(&arena);
    diag_list_release(&diags);
}

static void test_cond_text_respects_buffer_cap(void **state)
{
    (void)state;
    struct fixture fx;
    load_good(&fx, "conditions.yaml");
    struct buf b;
    buf_init(&b, 20);
    assert_int_equal(cond_to_text(rule_by_id(fx.pack, "HW-CONSTRAINTS")->match, &b), IPR_ELIMIT);
    buf_release(&b);
    release(&fx);
}

/* ---- out of memory ------------------------------------------------------------------------ */

#if FAILING_ALLOC
/* Fails the 1st, 2nd, ... allocation of a load until one succeeds; every run
 * must end in IPR_ENOMEM (or ok_status) with nothing left allocated. */
static void sweep(const char *file, const char *text, ipr_status ok_status)
{
    size_t len = strlen(text);
    for (long n = 0;; n++) {
        counting = true;
        live_blocks = 0;
        struct fixture fx;
        fx.text = NULL;
        fail_countdown = n;
        load_text(&fx, file, text, len);
        fail_countdown = -1;
        ipr_status st = fx.status;
        bool has_pack = fx.pack != NULL;
        if (st != IPR_ENOMEM && st != ok_status)
            dump_diags(&fx.diags);
        arena_release(&fx.arena);
        diag_list_release(&fx.diags);
        counting = false;
        if (live_blocks != 0)
            fail_msg("allocation %ld failed: %ld blocks leaked", n, live_blocks);
        if (st == ok_status) {
            assert_int_equal(has_pack, ok_status == IPR_OK);
            assert_true(n > 10); /* the sweep really failed allocations */
            return;
        }
        if (st != IPR_ENOMEM)
            fail_msg("allocation %ld failed: status %d", n, (int)st);
        assert_false(has_pack);
    }
}

static void test_out_of_memory_valid_pack(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(GOOD_DIR "full.yaml", &len);
    sweep(GOOD_DIR "full.yaml", text, IPR_OK);
    free(text);
    text = slurp(GOOD_DIR "conditions.yaml", &len);
    sweep(GOOD_DIR "conditions.yaml", text, IPR_OK);
    free(text);
}

static void test_out_of_memory_broken_pack(void **state)
{
    (void)state;
    sweep("broken.yaml",
          "pack: p\nstage: shiping\nversion: &a '1'\ntitle: *a\nterms: {l: [a]}\n"
          "rules:\n  - {id: x, severty: hi, fields: [a..b], match: {terms: m, min: 1}}\n"
          "  - {id: x, title: t, severity: low, fields: [t], match: {length: {min: 3, max: 1}}}\n",
          IPR_ERULES);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_pack_metadata),
        cmocka_unit_test(test_full_pack_rule),
        cmocka_unit_test(test_full_pack_examples),
        cmocka_unit_test(test_terms_named_inline_and_file),
        cmocka_unit_test(test_term_list_defined_after_rules),
        cmocka_unit_test(test_condition_text_of_every_kind),
        cmocka_unit_test(test_condition_arguments),
        cmocka_unit_test(test_numbers_are_exact_and_locale_free),
        cmocka_unit_test(test_examples_flatten),
        cmocka_unit_test(test_example_display_is_one_short_line),
        cmocka_unit_test(test_defaults_and_optional_keys),
        cmocka_unit_test(test_bom_crlf_and_byte_columns),
        cmocka_unit_test(test_empty_stream_needs_content),
        cmocka_unit_test(test_in_memory_pack_cannot_read_files),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_cond_text_respects_buffer_cap),
#if FAILING_ALLOC
        cmocka_unit_test(test_out_of_memory_valid_pack),
        cmocka_unit_test(test_out_of_memory_broken_pack),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
