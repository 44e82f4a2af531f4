/*
 * test_match_gates.c - rule gates: which triggers a rule's condition
 * needs (all joins, any unites, not and field constraints need nothing),
 * which selectors pick which fields (and the per-record lists of the fields
 * each selector mask picks), and that skipping a rule whose gate
 * is closed never changes the findings (the naive engine runs every rule).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "compile/ruleset.h"
#include "match/scanner.h"
#include "scan_helper.h"

#define PACK_HEAD "pack: t\nstage: marketing\nversion: '1'\ntitle: test\nrules:\n"

/* Each rule: id, one-line condition; every rule reads title and bullets. */
static const char *const rules_yaml =
    "  - {id: R-ATOM, title: t, severity: high, fields: [title, bullets], message: m,\n"
    "     match: {regex: '(?i)\\breplica\\b'}}\n"
    "  - {id: R-ANY-OPEN, title: t, severity: high, fields: [title], message: m,\n"
    "     match: {any: [{terms: [fake]}, {regex: '\\w+\\s\\w+'}]}}\n"
    "  - {id: R-ALL, title: t, severity: high, fields: [title], message: m,\n"
    "     match: {all: [{present: brand}, {terms: [dupe]}]}}\n"
    "  - {id: R-NOT, title: t, severity: low, fields: [title], message: m,\n"
    "     match: {not: {terms: [genuine]}}}\n"
    "  - {id: R-ANY, title: t, severity: high, fields: [title], message: m,\n"
    "     match: {any: [{terms: [knockoff]}, {regex: 'mirror quality'}]}}\n"
    "  - {id: R-NEAR, title: t, severity: high, fields: [title], message: m,\n"
    "     match: {near: {words: 2, first: {terms: [copy]}, second: {regex: 'watch(es)?'}}}}\n"
    "  - {id: R-BYTES, title: t, severity: high, fields: [description], message: m,\n"
    "     match: {regex: '(?<![\\w+])\\+\\d{6,}'}}\n";

static ipr_ruleset *compile_rules(void)
{
    return must_compile_parts(PACK_HEAD, rules_yaml);
}

static const struct crule *rule(const ipr_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->rule_count; i++)
        if (strcmp(rs->rules[i].info.id, id) == 0)
            return &rs->rules[i];
    fail_msg("no rule %s", id);
    return NULL;
}

static void test_gate_shapes(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules();
    const struct crule *r = rule(rs, "R-ATOM");
    assert_int_equal(r->gate.count, 1);
    assert_int_equal(r->gate.clauses[0].count, 1);
    assert_int_equal(rule(rs, "R-ANY-OPEN")->gate.count, 0); /* a branch the prefilter cannot see */
    r = rule(rs, "R-ALL");
    assert_int_equal(r->gate.count, 1); /* the term list; `present` needs nothing */
    assert_int_equal(rule(rs, "R-NOT")->gate.count, 0);
    r = rule(rs, "R-ANY");
    assert_int_equal(r->gate.count, 1);
    assert_int_equal(r->gate.clauses[0].count, 2);       /* either trigger */
    assert_int_equal(rule(rs, "R-NEAR")->gate.count, 2); /* both */
    r = rule(rs, "R-BYTES");
    assert_false(r->match->has_atoms);  /* no literal of two bytes ... */
    assert_true(r->match->prefiltered); /* ... but every match needs a '+' */
    assert_int_equal(r->gate.count, 1);
    /* one clause of regex triggers: opened from the regexes that fired */
    assert_true(rule(rs, "R-ATOM")->gate.regex_only);
    assert_true(rule(rs, "R-BYTES")->gate.regex_only);
    assert_false(rule(rs, "R-ANY")->gate.regex_only); /* a term list may open it too */
    assert_false(rule(rs, "R-NEAR")->gate.regex_only);
    assert_false(rule(rs, "R-ALL")->gate.regex_only);
    assert_false(rule(rs, "R-NOT")->gate.regex_only);
    const struct regex_gated *rg = &rs->regex_gated;
    assert_int_equal(rg->rule_count, 2);
    for (const char *const *id = (const char *const[]){"R-ATOM", "R-BYTES", NULL}; *id; id++) {
        r = rule(rs, *id);
        uint32_t t = r->gate.clauses[0].triggers[0];
        assert_int_equal(rg->start[t + 1] - rg->start[t], 1);
        assert_int_equal(rg->rules[rg->start[t]], r->index);
    }
    /* every other rule is asked one by one: in the unlisted bits, and only those */
    for (size_t i = 0; i < rs->rule_count; i++) {
        bool unlisted = (rg->unlisted[i >> 3] >> (i & 7)) & 1u;
        assert_int_equal(unlisted, !rs->rules[i].gate.regex_only);
    }
    ipr_ruleset_free(rs);
}

/* Rule i is open in the scanner after scanner_open_regex_gated. */
static bool opened(const struct ipr_scanner *s, const struct crule *r)
{
    return (s->rule_open[r->index >> 3] >> (r->index & 7)) & 1u;
}

static void test_regex_gated_rules_open_from_fired_regexes(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules();
    const char *data = "{\"sku\":\"1\",\"title\":\"Plain mug\"}\n"
                       "{\"sku\":\"2\",\"title\":\"x\",\"bullets\":[\"a REPLICA\"]}\n"
                       "{\"sku\":\"3\",\"title\":\"x\",\"description\":\"+49\"}\n"
                       "{\"sku\":\"4\",\"description\":\"replica\",\"bullets\":\"+1\"}\n";
    ipr_reader *rd = NULL;
    assert_int_equal(ipr_reader_open_mem("input", data, strlen(data), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    const struct crule *atom = rule(rs, "R-ATOM"), *bytes = rule(rs, "R-BYTES");
    /* R-ATOM reads title and bullets, R-BYTES the description; a gate is
     * per record, so record 4 opens both from fields they do not read (the
     * rules then find nothing, as the naive engine would) */
    const bool want_atom[] = {false, true, false, true};
    const bool want_bytes[] = {false, false, true, true};
    const ipr_record *rec;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ipr_reader_next(rd, &rec), IPR_OK);
        assert_int_equal(scanner_begin(s, rec), IPR_OK);
        scanner_open_regex_gated(s);
        assert_int_equal(opened(s, atom), want_atom[i]);
        assert_int_equal(opened(s, bytes), want_bytes[i]);
        assert_int_equal(scanner_rule_open(s, atom->index, atom), want_atom[i]);
    }
    ipr_scanner_free(s);
    ipr_reader_free(rd);
    ipr_ruleset_free(rs);
}

static void test_selectors_per_field(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules();
    ipr_reader *rd = NULL;
    const char *data = "{\"sku\":\"A\",\"title\":\"x\",\"bullets\":[\"y\",\"z\"],\"price\":1}\n";
    assert_int_equal(ipr_reader_open_mem("input", data, strlen(data), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    const ipr_record *rec;
    assert_int_equal(ipr_reader_next(rd, &rec), IPR_OK);
    struct field_select fs;
    field_select_init(&fs, rs);
    assert_int_equal(field_select_begin(&fs, rec), IPR_OK);
    const struct crule *atom = rule(rs, "R-ATOM"), *any = rule(rs, "R-ANY");
    for (size_t i = 0; i < rec->field_count; i++) {
        const char *path = rec->fields[i].path;
        bool text = strcmp(path, "title") == 0 || strcmp(path, "bullets") == 0;
        assert_int_equal(field_select_any(&fs, i, atom->match->sel_mask), text);
        assert_int_equal(field_select_any(&fs, i, any->match->sel_mask),
                         strcmp(path, "title") == 0);
        /* a field a regex with atoms reads gets the atom scan */
        assert_int_equal((field_select_uses(&fs, i) & SEL_USE_REGEX) != 0, text);
    }
    /* the second record of the same shape reuses the per-path answers */
    size_t paths = fs.uses.count;
    assert_int_equal(field_select_begin(&fs, rec), IPR_OK);
    assert_int_equal(fs.uses.count, paths);
    field_select_release(&fs);
    ipr_reader_free(rd);
    ipr_ruleset_free(rs);
}

/* The list of a mask holds exactly the fields the mask picks, in record order. */
static void assert_group_list(const struct field_select *fs, const ipr_record *rec,
                              const struct ccond *c)
{
    uint32_t count;
    const uint32_t *fields = field_select_group(fs, c->sel_group, &count);
    uint32_t n = 0;
    for (size_t i = 0; i < rec->field_count; i++) {
        if (!field_select_any(fs, i, c->sel_mask))
            continue;
        assert_true(n < count);
        assert_int_equal(fields[n], i);
        n++;
    }
    assert_int_equal(n, count);
}

static void test_field_lists_per_selector_mask(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules();
    const struct crule *atom = rule(rs, "R-ATOM"), *any = rule(rs, "R-ANY");
    const struct crule *all = rule(rs, "R-ALL"), *bytes = rule(rs, "R-BYTES");
    /* conditions with the same selectors share one mask and one list */
    assert_int_equal(any->match->sel_group, all->match->sel_group);
    assert_ptr_equal(any->match->sel_mask, all->match->sel_mask);
    assert_int_not_equal(atom->match->sel_group, any->match->sel_group);
    assert_true(rs->sel_group_count >= 3);
    /* same shape twice; more bullets; the same count in another order; a
     * new path; none of the selected fields */
    const char *data =
        "{\"sku\":\"1\",\"title\":\"a\",\"bullets\":[\"b\",\"c\"],\"price\":1}\n"
        "{\"sku\":\"2\",\"title\":\"d\",\"bullets\":[\"e\",\"f\"],\"price\":2}\n"
        "{\"sku\":\"3\",\"title\":\"g\",\"bullets\":[\"h\",\"i\",\"j\"],\"price\":3}\n"
        "{\"sku\":\"4\",\"bullets\":[\"k\",\"l\",\"m\"],\"price\":4,\"title\":\"n\"}\n"
        "{\"sku\":\"5\",\"description\":\"o\",\"title\":\"p\"}\n"
        "{\"sku\":\"6\",\"price\":6}\n";
    const size_t want_atom[] = {3, 3, 4, 4, 1, 0}, want_title[] = {1, 1, 1, 1, 1, 0};
    ipr_reader *rd = NULL;
    assert_int_equal(ipr_reader_open_mem("input", data, strlen(data), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    struct field_select fs;
    field_select_init(&fs, rs);
    const ipr_record *rec;
    for (size_t r = 0; r < IPR_ARRAY_LEN(want_atom); r++) {
        assert_int_equal(ipr_reader_next(rd, &rec), IPR_OK);
        assert_int_equal(field_select_begin(&fs, rec), IPR_OK);
        uint32_t count;
        field_select_group(&fs, atom->match->sel_group, &count);
        assert_int_equal(count, want_atom[r]);
        field_select_group(&fs, any->match->sel_group, &count);
        assert_int_equal(count, want_title[r]);
        assert_group_list(&fs, rec, atom->match);
        assert_group_list(&fs, rec, any->match);
        assert_group_list(&fs, rec, bytes->match);
    }
    ipr_reader_free(rd);
    /* shapes come back after others, and more shapes than are kept go
     * round: records of 0 to 11 bullets, twice, and 3 bullets between */
    char many[8192] = "";
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 12; k++) {
            size_t n = strlen(many);
            n += (size_t)snprintf(many + n, sizeof(many) - n, "{\"title\":\"t\",\"bullets\":[");
            for (int b = 0; b < k; b++)
                n += (size_t)snprintf(many + n, sizeof(many) - n, "%s\"b\"", b ? "," : "");
            n += (size_t)snprintf(many + n, sizeof(many) - n, "],\"price\":1}\n");
            snprintf(many + n, sizeof(many) - n,
                     "{\"title\":\"u\",\"bullets\":[\"c\",\"d\",\"e\"],\"price\":2}\n");
        }
    assert_int_equal(ipr_reader_open_mem("input", many, strlen(many), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    size_t records = 0;
    while (ipr_reader_next(rd, &rec) == IPR_OK) {
        assert_int_equal(field_select_begin(&fs, rec), IPR_OK);
        uint32_t count;
        field_select_group(&fs, atom->match->sel_group, &count);
        assert_int_equal(count, rec->field_count - 1); /* title and bullets, not price */
        assert_group_list(&fs, rec, atom->match);
        assert_group_list(&fs, rec, any->match);
        assert_group_list(&fs, rec, bytes->match);
        records++;
    }
    assert_int_equal(records, 48);
    field_select_release(&fs);
    ipr_reader_free(rd);
    ipr_ruleset_free(rs);
}

struct collect {
    char ids[2048];
    bool spans; /* "RULE:field@start-end;" */
};

static int on_finding(const ipr_finding *f, void *user)
{
    struct collect *c = user;
    size_t n = strlen(c->ids);
    if (c->spans)
        snprintf(c->ids + n, sizeof(c->ids) - n, "%s:%s@%zu-%zu;", f->rule->id, f->field,
                 f->span_start, f->span_end);
    else
        snprintf(c->ids + n, sizeof(c->ids) - n, "%s:%s;", f->rule->id, f->field);
    return 0;
}

/* Findings of every record, as "RULE:field;" strings (with spans:
 * "RULE:field@start-end;"), with one engine. */
static void scan_with(const ipr_ruleset *rs, const char *data, ipr_engine engine, bool spans,
                      char *out, size_t out_len)
{
    ipr_reader *rd = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("input", data, strlen(data), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    ipr_scanner_set_engine(s, engine);
    out[0] = '\0';
    const ipr_record *rec;
    while (ipr_reader_next(rd, &rec) == IPR_OK) {
        struct collect c = {"", spans};
        assert_int_equal(ipr_scanner_scan(s, rec, on_finding, &c), IPR_OK);
        size_t n = strlen(out);
        snprintf(out + n, out_len - n, "[%s]", c.ids);
        assert_true(strlen(out) + 1 < out_len); /* nothing cut off */
    }
    ipr_scanner_free(s);
    ipr_reader_free(rd);
}

static void scan_all(const ipr_ruleset *rs, const char *data, ipr_engine engine, char *out,
                     size_t out_len)
{
    scan_with(rs, data, engine, false, out, out_len);
}

static size_t occurrences(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* The fields a `compare:` expression reads are interned selectors, found
 * through the per-path bitsets like the fields of any other condition. */
static void test_compare_fields_are_selectors(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile_parts(
        PACK_HEAD, "  - {id: R-CMP, title: t, severity: high, fields: [price], message: m,\n"
                   "     match: {compare: '(price + shipping.cost) * 2 < list_price'}}\n");
    const struct expr *e = rule(rs, "R-CMP")->match->cmp.lhs;
    assert_int_equal(e->kind, EXPR_MUL);
    const struct expr *price = e->lhs->lhs, *cost = e->lhs->rhs;
    const struct expr *list = rule(rs, "R-CMP")->match->cmp.rhs;
    const struct expr *reads[] = {price, cost, list};
    const char *names[] = {"price", "shipping.cost", "list_price"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(reads[i]->kind, EXPR_FIELD);
        assert_int_not_equal(reads[i]->sel_id, EXPR_SEL_NONE);
        assert_string_equal(rs->selectors[reads[i]->sel_id], names[i]);
    }
    char found[4096];
    scan_all(
        rs,
        "{\"sku\":\"1\",\"price\":\"10\",\"shipping\":{\"cost\":\"4\"},\"list_price\":\"29\"}\n"
        "{\"sku\":\"2\",\"price\":\"10\",\"shipping\":{\"cost\":\"5\"},\"list_price\":\"29\"}\n"
        "{\"sku\":\"3\",\"price\":\"10\",\"list_price\":\"29\"}\n",
        IPR_ENGINE_PREFILTER, found, sizeof(found));
    assert_string_equal(found, "[R-CMP:price;][][]");
    ipr_ruleset_free(rs);
}

/* Terms of one text in several rules are compared once (prefilter.c links
 * them side by side in their first word's chain): every rule still gets
 * its hit, words that share a first token or a prefix stay apart, and the
 * findings are the naive engine's. */
static void test_terms_shared_by_rules(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile_parts(
        PACK_HEAD, "  - {id: R-T1, title: t, severity: high, fields: [title], message: m,\n"
                   "     match: {terms: [air max, air, rep, 耐克鞋, airbus]}}\n"
                   "  - {id: R-T2, title: t, severity: high, fields: [title], message: m,\n"
                   "     match: {terms: [air jordan, air max, 耐克]}}\n"
                   "  - {id: R-T3, title: t, severity: high, fields: [title], message: m,\n"
                   "     match: {terms: [rep, air max, air-max]}}\n"
                   "  - {id: R-T4, title: t, severity: high, fields: [title], message: m,\n"
                   "     match: {all: [{terms: [air max]}, {terms: [air jordan]}]}}\n");
    const char *data = "{\"sku\":\"1\",\"title\":\"Air Max 90\"}\n"
                       "{\"sku\":\"2\",\"title\":\"air jordan and AIR MAX\"}\n"
                       "{\"sku\":\"3\",\"title\":\"airmax repair kit\"}\n"
                       "{\"sku\":\"4\",\"title\":\"rep air-max airbus\"}\n"
                       "{\"sku\":\"5\",\"title\":\"正品耐克鞋\"}\n"
                       "{\"sku\":\"6\",\"title\":\"air\"}\n";
    char fast[4096], naive[4096];
    scan_all(rs, data, IPR_ENGINE_PREFILTER, fast, sizeof(fast));
    scan_all(rs, data, IPR_ENGINE_NAIVE, naive, sizeof(naive));
    assert_string_equal(fast, naive);
    /* one finding per rule and span: "air jordan" and "AIR MAX" are two */
    assert_string_equal(fast, "[R-T1:title;R-T2:title;R-T3:title;]"
                              "[R-T1:title;R-T2:title;R-T4:title;R-T1:title;R-T2:title;R-T3:title;"
                              "R-T4:title;]"
                              "[]" /* "airmax", "repair": no word of a term */
                              "[R-T1:title;R-T3:title;R-T1:title;R-T3:title;R-T1:title;]"
                              "[R-T1:title;R-T2:title;]"
                              "[R-T1:title;]");
    ipr_ruleset_free(rs);
}

/* A step of a linear congruential generator: the same numbers on every run. */
static uint32_t pick(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed >> 8;
}

/* 30 records whose titles are eight words picked from words, joined by a
 * space or, one time in four, by `glue`. */
static void random_titles(struct buf *data, uint32_t *seed, const char *const *words, size_t nwords,
                          const char *glue)
{
    for (unsigned rec = 0; rec < 30; rec++) {
        assert_int_equal(buf_printf(data, "{\"sku\":\"%u\",\"title\":\"", rec), IPR_OK);
        for (unsigned w = 0; w < 8; w++)
            assert_int_equal(buf_printf(data, "%s%s", w ? (pick(seed) % 4 ? " " : glue) : "",
                                        words[pick(seed) % nwords]),
                             IPR_OK);
        assert_int_equal(buf_append_str(data, "\"}\n"), IPR_OK);
    }
}

/* Appends rule R-<id> of the random tests: `match` (one condition) in the title. */
static void add_title_rule(struct buf *pack, unsigned id, const char *match)
{
    assert_int_equal(buf_printf(pack,
                                "  - {id: R-%u, title: t, severity: high, fields: [title], "
                                "message: m,\n     match: {%s}}\n",
                                id, match),
                     IPR_OK);
}

/* The pack finds in data, span for span, what the naive engine finds. */
static void expect_naive_findings(const char *pack, const char *data)
{
    ipr_ruleset *rs = must_compile_parts(pack, "");
    static char fast[65536], naive[65536];
    scan_with(rs, data, IPR_ENGINE_PREFILTER, true, fast, sizeof(fast));
    scan_with(rs, data, IPR_ENGINE_NAIVE, true, naive, sizeof(naive));
    assert_string_equal(fast, naive);
    ipr_ruleset_free(rs);
}

/* Term lists of random phrases over a few words, shared in part by six
 * rules, on random titles: the prefiltered engine reports the naive one's
 * findings, span for span. */
static void test_terms_random_against_naive(void **state)
{
    (void)state;
    static const char *const words[] = {"air",    "max",  "jordan", "air-max", "rep",   "repair",
                                        "airbus", "耐克", "鞋",     "the",     "north", "face"};
    const size_t nwords = sizeof(words) / sizeof(words[0]);
    uint32_t seed = 7;
    for (unsigned round = 0; round < 20; round++) {
        struct buf pack, data;
        buf_init(&pack, 0);
        buf_init(&data, 0);
        assert_int_equal(buf_append_str(&pack, PACK_HEAD), IPR_OK);
        for (unsigned r = 0; r < 6; r++) {
            char match[512] = "terms: [";
            unsigned terms = 1 + (unsigned)(pick(&seed) % 5);
            for (unsigned t = 0; t < terms; t++) {
                unsigned len = 1 + (unsigned)(pick(&seed) % 3);
                strcat(match, t ? ", '" : "'");
                for (unsigned w = 0; w < len; w++) {
                    strcat(match, w ? " " : "");
                    strcat(match, words[pick(&seed) % nwords]);
                }
                strcat(match, "'");
            }
            strcat(match, "]");
            add_title_rule(&pack, r, match);
        }
        random_titles(&data, &seed, words, nwords, "-");
        expect_naive_findings(buf_str(&pack), buf_str(&data));
        buf_release(&pack);
        buf_release(&data);
    }
}

/* Regexes of six rules built from the same few phrases, some to start a
 * word, some with digits after, some caseless: an atom the rules share is
 * compared once (prefilter.c, chains.h), and the prefiltered engine still
 * reports the naive one's findings, span for span. */
static void test_shared_atoms_random_against_naive(void **state)
{
    (void)state;
    static const char *const phrases[] = {"for", "fit",  "fits", "for use with", "para",   "de",
                                          "it",  "Sony", "sony", "made in",      "air max"};
    static const struct {
        const char *before, *after;
    } shapes[] = {{"(?i)\\b(?:", ")\\b"},
                  {"(?i)(?:", ")\\d{2}"},
                  {"(?:", ")"},
                  {"(?i)(?:", ")"},
                  {"\\b(?:", ")\\s+\\w+"}};
    static const char *const words[] = {"for", "fit",  "fits", "use",   "with",   "para", "de",
                                        "it",  "Sony", "sony", "made",  "in",     "air",  "max",
                                        "12",  "DE89", "it34", "forty", "outfit", "per"};
    const size_t nphrases = sizeof(phrases) / sizeof(phrases[0]);
    const size_t nwords = sizeof(words) / sizeof(words[0]);
    uint32_t seed = 11;
    for (unsigned round = 0; round < 20; round++) {
        struct buf pack, data;
        buf_init(&pack, 0);
        buf_init(&data, 0);
        assert_int_equal(buf_append_str(&pack, PACK_HEAD), IPR_OK);
        for (unsigned r = 0; r < 6; r++) {
            char alternatives[256] = "";
            unsigned count = 1 + (unsigned)(pick(&seed) % 4);
            for (unsigned a = 0; a < count; a++) {
                size_t n = strlen(alternatives);
                snprintf(alternatives + n, sizeof(alternatives) - n, "%s%s", a ? "|" : "",
                         phrases[pick(&seed) % nphrases]);
            }
            char match[512];
            size_t shape = pick(&seed) % 5;
            snprintf(match, sizeof(match), "regex: '%s%s%s'", shapes[shape].before, alternatives,
                     shapes[shape].after);
            add_title_rule(&pack, r, match);
        }
        random_titles(&data, &seed, words, nwords, "");
        expect_naive_findings(buf_str(&pack), buf_str(&data));
        buf_release(&pack);
        buf_release(&data);
    }
}

static void test_skipping_changes_nothing(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules();
    const char *data = "{\"sku\":\"1\",\"title\":\"Plain mug\"}\n"
                       "{\"sku\":\"2\",\"title\":\"REPLICA bag\",\"bullets\":[\"replica\"]}\n"
                       "{\"sku\":\"3\",\"title\":\"dupe\",\"brand\":\"Acme\"}\n"
                       "{\"sku\":\"4\",\"title\":\"dupe\"}\n"
                       "{\"sku\":\"5\",\"title\":\"genuine copy of watches, mirror quality\"}\n"
                       "{\"sku\":\"6\",\"title\":\"x\",\"description\":\"call +4930123456\"}\n"
                       "{\"sku\":\"7\",\"title\":\"x\",\"description\":\"call 4930123456\"}\n";
    char fast[4096], naive[4096];
    scan_all(rs, data, IPR_ENGINE_PREFILTER, fast, sizeof(fast));
    scan_all(rs, data, IPR_ENGINE_NAIVE, naive, sizeof(naive));
    assert_string_equal(fast, naive);
    /* and the findings are the ones the rules promise */
    assert_non_null(strstr(fast, "[R-ANY-OPEN:title;R-NOT:title;]")); /* record 1 */
    assert_non_null(strstr(fast, "R-ATOM:bullets[0];"));
    assert_non_null(strstr(fast, "R-ALL:title;"));
    assert_non_null(strstr(fast, "R-NEAR:title;"));
    assert_non_null(strstr(fast, "R-BYTES:description;"));
    assert_int_equal(occurrences(fast, "R-BYTES"), 1); /* not without the '+' */
    assert_int_equal(occurrences(fast, "R-ALL"), 1);   /* not without a brand */
    ipr_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate_shapes),
        cmocka_unit_test(test_regex_gated_rules_open_from_fired_regexes),
        cmocka_unit_test(test_selectors_per_field),
        cmocka_unit_test(test_field_lists_per_selector_mask),
        cmocka_unit_test(test_terms_shared_by_rules),
        cmocka_unit_test(test_terms_random_against_naive),
        cmocka_unit_test(test_shared_atoms_random_against_naive),
        cmocka_unit_test(test_skipping_changes_nothing),
        cmocka_unit_test(test_compare_fields_are_selectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
