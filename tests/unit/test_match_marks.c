/*
 * test_match_marks.c - trademark matching end to end: every spelling class,
 * exact spans in the original text, common-word context, nominative fair
 * use and authorizations.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "iprcheck.h"

static const char registry_yaml[] =
    "registry: test\nversion: '1'\nmarks:\n"
    "  - {mark: Nike, owner: 'Nike, Inc.', classes: [25, 18, 28], aliases: [耐克, ナイキ], kind: "
    "brand}\n"
    "  - {mark: Gucci, owner: Guccio Gucci S.p.A., classes: [18, 25, 14]}\n"
    "  - {mark: Chanel, owner: Chanel SAS, classes: [3, 14, 18, 25]}\n"
    "  - {mark: Adidas, owner: adidas AG, classes: [25, 28]}\n"
    "  - {mark: Rolex, owner: Rolex SA, classes: [14]}\n"
    "  - {mark: Louis Vuitton, owner: Louis Vuitton Malletier, classes: [18, 25]}\n"
    "  - {mark: \"Levi's\", owner: Levi Strauss & Co., classes: [25]}\n"
    "  - {mark: H&M, owner: H & M Hennes & Mauritz AB, classes: [25]}\n"
    "  - {mark: BLACK+DECKER, owner: Stanley Black & Decker, classes: [7, 8]}\n"
    "  - {mark: Sony, owner: Sony Group Corporation, classes: [9]}\n"
    "  - {mark: Hello Kitty, owner: 'Sanrio Co., Ltd.', classes: [28, 16], kind: character}\n"
    "  - mark: Apple\n    owner: Apple Inc.\n    classes: [9]\n"
    "    generic_senses: [pie, fruit, juice, tree, cider]\n"
    "    context: [iphone, ipad, macbook, airpods]\n"
    "  - {mark: OtterBox, owner: 'Otter Products, LLC', classes: [9]}\n"
    "  - {mark: OtterPop, owner: Otter Pop Co., classes: [30]}\n"
    "  - mark: Polo\n    owner: Ralph Lauren\n    classes: [25]\n"
    "    generic_senses: [neck, shirt, horse, water]\n    context: [ralph, lauren]\n";

static const char pack_yaml[] = "pack: t\nstage: marketing\nversion: '1'\ntitle: t\nrules:\n"
                                "  - id: T-MARK\n    title: mark\n    severity: critical\n"
                                "    fields: [title]\n    match: {mark: any}\n"
                                "    message: '{brand} of {owner}'\n"
                                "  - id: T-CHAR\n    title: character\n    severity: high\n"
                                "    fields: [title]\n    match: {mark: {kinds: [character]}}\n"
                                "  - id: T-NEAR\n    title: near\n    severity: critical\n"
                                "    fields: [title]\n    match:\n      near:\n        words: 2\n"
                                "        first: {terms: [replica, copy]}\n"
                                "        second: {mark: any}\n";

struct hit {
    char rule[32], matched[128], mark[64], kind[16], message[256];
    size_t start, end;
    ipr_severity severity;
};

struct hits {
    struct hit items[32];
    size_t count;
};

static int collect(const ipr_finding *f, void *user)
{
    struct hits *h = user;
    if (h->count >= 32)
        return 0;
    struct hit *x = &h->items[h->count++];
    memset(x, 0, sizeof(*x));
    snprintf(x->rule, sizeof(x->rule), "%s", f->rule->id);
    snprintf(x->matched, sizeof(x->matched), "%.*s", (int)f->matched_len, f->matched);
    snprintf(x->mark, sizeof(x->mark), "%s", f->mark ? f->mark : "");
    snprintf(x->kind, sizeof(x->kind), "%s", f->match_kind ? f->match_kind : "");
    snprintf(x->message, sizeof(x->message), "%s", f->message);
    x->start = f->span_start;
    x->end = f->span_end;
    x->severity = f->severity;
    return 0;
}

static char *write_temp(const char *suffix, const char *text)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/iprcheck-test-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

struct fixture {
    ipr_ruleset *rs;
    ipr_scanner *scanner;
};

static ipr_ruleset *build_with(const char *pack, const char *marks_yaml, const char *auth_yaml)
{
    char *marks = write_temp(".yaml", marks_yaml);
    char *auths = auth_yaml ? write_temp(".yaml", auth_yaml) : NULL;
    char *words = write_temp(".txt", "channel\nrolled\nadidas's\n");
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "pack.yaml", pack, strlen(pack)), IPR_OK);
    assert_int_equal(ipr_compiler_add_trademarks(c, marks), IPR_OK);
    ipr_ruleset *rs = NULL;
    if (auths)
        assert_int_equal(ipr_compiler_add_authorizations(c, auths), IPR_OK);
    assert_int_equal(ipr_compiler_set_word_list(c, words), IPR_OK);
    assert_int_equal(ipr_compiler_set_reference_date(c, "2026-06-01"), IPR_OK);
    ipr_status st = ipr_compiler_finish(c, &rs);
    if (st != IPR_OK && ipr_compiler_diag_count(c))
        fail_msg("%s:%u: %s", ipr_compiler_diag(c, 0)->file, ipr_compiler_diag(c, 0)->line,
                 ipr_compiler_diag(c, 0)->message);
    assert_int_equal(st, IPR_OK);
    ipr_compiler_free(c);
    unlink(marks);
    unlink(words);
    if (auths)
        unlink(auths);
    free(marks);
    free(words);
    free(auths);
    return rs;
}

static ipr_ruleset *build(const char *auth_yaml)
{
    return build_with(pack_yaml, registry_yaml, auth_yaml);
}

static void scan_json(ipr_ruleset *rs, const char *jsonl, struct hits *out)
{
    memset(out, 0, sizeof(*out));
    ipr_reader *r = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("t", jsonl, strlen(jsonl), IPR_INPUT_JSONL, &r), IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    const ipr_record *rec;
    while (ipr_reader_next(r, &rec) == IPR_OK) {
        assert_null(ipr_record_error(rec));
        assert_int_equal(ipr_scanner_scan(s, rec, collect, out), IPR_OK);
    }
    ipr_scanner_free(s);
    ipr_reader_free(r);
}

static const struct hit *mark_hit(const struct hits *h, const char *mark)
{
    for (size_t i = 0; i < h->count; i++)
        if (strcmp(h->items[i].rule, "T-MARK") == 0 && strcmp(h->items[i].mark, mark) == 0)
            return &h->items[i];
    return NULL;
}

static void title_gives(ipr_ruleset *rs, const char *title_json, const char *mark, const char *kind,
                        const char *matched)
{
    char line[512];
    snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s\"}\n", title_json);
    struct hits h;
    scan_json(rs, line, &h);
    const struct hit *x = mark_hit(&h, mark);
    if (!x)
        fail_msg("no %s finding in \"%s\"", mark, title_json);
    assert_string_equal(x->kind, kind);
    assert_string_equal(x->matched, matched);
}

static void title_clean(ipr_ruleset *rs, const char *title_json)
{
    char line[512];
    snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s\"}\n", title_json);
    struct hits h;
    scan_json(rs, line, &h);
    for (size_t i = 0; i < h.count; i++)
        if (strcmp(h.items[i].rule, "T-MARK") == 0)
            fail_msg("unexpected %s (%s) in \"%s\"", h.items[i].mark, h.items[i].matched,
                     title_json);
}

/* A compound mark cut in two, with at most one word pushed in between.
 * Two marks share the first part: the pair of words picks the mark, and
 * of two spans over the same words the wider one is reported. */
static void test_split_marks(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_gives(rs, "Otter Box phone case", "OtterBox", "separator", "Otter Box");
    title_gives(rs, "Otter Armor Box case", "OtterBox", "separator", "Otter Armor Box");
    title_gives(rs, "new otter-pop ice", "OtterPop", "separator", "otter-pop");
    title_gives(rs, "Box Otter Pop", "OtterPop", "separator", "Otter Pop");
    title_gives(rs, "Otter Pop Box", "OtterBox", "separator", "Otter Pop Box");
    title_clean(rs, "Otter Armor Plated Box"); /* two words between */
    title_clean(rs, "Box Otter case");         /* parts the wrong way round */
    title_clean(rs, "Otter Boxes and bags");   /* the second part is a longer word */
    ipr_ruleset_free(rs);
}

/* Marks that share a first word are looked at together, longest match
 * first whatever their order in the registry, and a name of more than 255
 * bytes (its length is not in the byte before it) matches as a whole. */
static void test_shared_first_words_and_long_names(void **state)
{
    (void)state;
    char long_name[301];
    memset(long_name, 'q', 300);
    memcpy(long_name, "Longmark", 8);
    long_name[300] = '\0';
    char registry[1024];
    snprintf(registry, sizeof(registry),
             "registry: test\nversion: '1'\nmarks:\n"
             "  - {mark: Acme Tools, owner: Acme}\n"
             "  - {mark: Acme, owner: Acme}\n"
             "  - {mark: Zeta, owner: Zeta, aliases: [Acme Tools Pro]}\n"
             "  - {mark: Acme Toolshed, owner: Shed}\n"
             "  - {mark: %s, owner: Long}\n",
             long_name);
    ipr_ruleset *rs = build_with(pack_yaml, registry, NULL);
    title_gives(rs, "new Acme Tools Pro kit", "Zeta", "alias", "Acme Tools Pro");
    title_gives(rs, "new Acme Tools kit", "Acme Tools", "exact", "Acme Tools");
    title_gives(rs, "Acme Toolshed", "Acme Toolshed", "exact", "Acme Toolshed");
    title_gives(rs, "Acme gadget", "Acme", "exact", "Acme");
    char title[400];
    snprintf(title, sizeof(title), "the %s here", long_name);
    struct hits h;
    char line[512];
    snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s\"}\n", title);
    scan_json(rs, line, &h);
    assert_int_equal(h.count, 1);
    assert_int_equal(h.items[0].end - h.items[0].start, 300); /* the whole name */
    assert_int_equal(strncmp(h.items[0].mark, long_name, sizeof(h.items[0].mark) - 1), 0);
    long_name[299] = '\0'; /* a letter short: no longer the name */
    snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"the %s here\"}\n", long_name);
    scan_json(rs, line, &h);
    assert_int_equal(h.count, 0);
    ipr_ruleset_free(rs);
}

/* A rule that names marks takes only those, named in any case and
 * spacing; the mark is found the same way as for `mark: any`. */
static void test_named_marks(void **state)
{
    (void)state;
    static const char pack[] =
        "pack: n\nstage: marketing\nversion: '1'\ntitle: n\nrules:\n"
        "  - id: T-NAMED\n    title: n\n    severity: high\n    fields: [title]\n"
        "    match: {mark: [nike, 'LOUIS  vuitton']}\n"
        "  - id: T-MARKS\n    title: m\n    severity: high\n    fields: [title]\n"
        "    match: {mark: {marks: [Gucci, Nikee], kinds: [brand]}}\n";
    ipr_ruleset *rs = build_with(pack, registry_yaml, NULL);
    static const struct {
        const char *title, *rules;
    } cases[] = {{"Nike running shoes", "T-NAMED;"},
                 {"N1ke running shoes", "T-NAMED;"},
                 {"Louis Vuitton bag", "T-NAMED;"},
                 {"Gucci belt", "T-MARKS;"},
                 {"Adidas socks", ""},
                 {"Hello Kitty mug", ""}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char line[128], got[64] = "";
        snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s\"}\n", cases[i].title);
        struct hits h;
        scan_json(rs, line, &h);
        for (size_t k = 0; k < h.count; k++) {
            strncat(got, h.items[k].rule, sizeof(got) - strlen(got) - 1);
            strncat(got, ";", sizeof(got) - strlen(got) - 1);
        }
        if (strcmp(got, cases[i].rules) != 0)
            fail_msg("\"%s\": %s, not %s", cases[i].title, got, cases[i].rules);
    }
    ipr_ruleset_free(rs);
}

static void test_spelling_classes(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_gives(rs, "Nike Air running shoes", "Nike", "exact", "Nike");
    title_gives(rs, "NIKE shoes", "Nike", "case", "NIKE");
    title_gives(rs, "正品耐克运动鞋", "Nike", "alias", "耐克");
    title_gives(rs, "ナイキ スニーカー", "Nike", "alias", "ナイキ");
    title_gives(rs, "N\u0456ke shoes", "Nike", "confusable", "N\u0456ke"); /* Cyrillic i */
    title_gives(rs, "\uff2e\uff49\uff4b\uff45 shoes", "Nike", "confusable",
                "\uff2e\uff49\uff4b\uff45");
    title_gives(rs, "N1ke air", "Nike", "leet", "N1ke");
    title_gives(rs, "Ch@nel bag", "Chanel", "leet", "Ch@nel");
    title_gives(rs, "L0uis Vuitt0n wallet", "Louis Vuitton", "leet", "L0uis Vuitt0n");
    title_gives(rs, "G-U-C-C-I belt", "Gucci", "separator", "G-U-C-C-I");
    title_gives(rs, "new G.u.c.c.i belt", "Gucci", "separator", "G.u.c.c.i");
    title_gives(rs, "R O L E X watch", "Rolex", "separator", "R O L E X");
    /* separators of two and three characters, in ASCII as elsewhere */
    title_gives(rs, "R--O--L--E--X watch", "Rolex", "separator", "R--O--L--E--X");
    title_gives(rs, "R. O. L. E. X watch", "Rolex", "separator", "R. O. L. E. X");
    title_gives(rs, "R - O - L - E - X watch", "Rolex", "separator", "R - O - L - E - X");
    title_gives(rs, "R--O--L--E--X watch \u20ac5", "Rolex", "separator", "R--O--L--E--X");
    title_gives(rs, "N\u200bike shoes", "Nike", "confusable", "N\u200bike");
    /* a symbol the skeleton leaves as it is ("€") next to a disguise that
     * it does not, and fields whose skeleton is their folded text */
    title_gives(rs, "\u20ac5 off N\u0456ke shoes", "Nike", "confusable", "N\u0456ke");
    title_gives(rs, "\u00a52480 N\u0456ke shoes", "Nike", "confusable", "N\u0456ke");
    title_gives(rs, "\u20ac5 off N\u00efke shoes", "Nike", "confusable", "N\u00efke");
    title_gives(rs, "\u20ac5 off Addidas shoes", "Adidas", "fuzzy", "Addidas");
    title_gives(rs, "\u20ac5 off Nike shoes", "Nike", "exact", "Nike");
    title_gives(rs, "Addidas shoes", "Adidas", "fuzzy", "Addidas");
    title_gives(rs, "Guccci belt", "Gucci", "fuzzy", "Guccci");
    title_gives(rs, "Rolexx watch", "Rolex", "fuzzy", "Rolexx");
    title_gives(rs, "Louis  Vuitton bag", "Louis Vuitton", "case", "Louis  Vuitton");
    title_gives(rs, "LouisVuitton bag", "Louis Vuitton", "alias", "LouisVuitton");
    title_gives(rs, "Levi's 501 jeans", "Levi's", "exact", "Levi's");
    title_gives(rs, "H&M shirt", "H&M", "exact", "H&M");
    title_gives(rs, "BLACK+DECKER drill", "BLACK+DECKER", "exact", "BLACK+DECKER");
    ipr_ruleset_free(rs);
}

/* Near-misses: every kind of single edit of a name of five or more
 * letters, keeping the first letter; two words run together meet only
 * multi-word names. */
static void test_near_miss_edits(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_gives(rs, "Adids shoes", "Adidas", "fuzzy", "Adids");   /* a letter less */
    title_gives(rs, "Rolez watch", "Rolex", "fuzzy", "Rolez");    /* a letter changed */
    title_gives(rs, "Rloex watch", "Rolex", "fuzzy", "Rloex");    /* two letters swapped */
    title_gives(rs, "Chanell bag", "Chanel", "fuzzy", "Chanell"); /* a letter more */
    title_gives(rs, "Cchanel bag", "Chanel", "fuzzy", "Cchanel"); /* ... doubled in front */
    title_gives(rs, "Louis Vuiton bag", "Louis Vuitton", "fuzzy", "Louis Vuiton");
    /* one word near the run-together form: its keys are in the filter
     * of such forms, which a single word reads too */
    title_gives(rs, "Louisvuiton bag", "Louis Vuitton", "fuzzy", "Louisvuiton");
    title_gives(rs, "Otterbax case", "OtterBox", "fuzzy", "Otterbax");
    title_clean(rs, "Bolex watch");   /* the first letter changed */
    title_clean(rs, "Xchanel bag");   /* a letter more in front */
    title_clean(rs, "Rolexes watch"); /* two letters more */
    title_clean(rs, "Rolx watch");    /* four letters left */
    ipr_ruleset_free(rs);
}

/* Two words run together one edit from a multi-word mark, the edit at
 * every place but the first letter (which a near-miss keeps), of every
 * kind, and the pair cut at several places: each is reported as a
 * near-miss of the mark.  Edits among the first three letters leave only
 * the end of the pair in place, the others its start: a filter on the
 * pair's ends must look at both. */
static void test_near_miss_pairs_at_every_place(void **state)
{
    (void)state;
    static const char registry[] = "registry: t\nversion: '1'\nmarks:\n"
                                   "  - {mark: Louis Vuitton, owner: LVM, classes: [18]}\n"
                                   "  - {mark: Hello Kitty, owner: Sanrio, classes: [28]}\n";
    static const struct {
        const char *mark, *run_together;
    } marks[] = {{"Louis Vuitton", "louisvuitton"}, {"Hello Kitty", "hellokitty"}};
    ipr_ruleset *rs = build_with(pack_yaml, registry, NULL);
    size_t checked = 0;
    for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
        const char *s = marks[m].run_together;
        size_t n = strlen(s);
        for (size_t at = 1; at < n; at++) {
            for (int kind = 0; kind < 4; kind++) { /* changed, left out, put in, swapped */
                char edited[32];
                size_t len = 0;
                for (size_t i = 0; i < n; i++) {
                    if (i == at && kind == 0)
                        edited[len++] = s[i] == 'q' ? 'x' : 'q';
                    else if (i == at && kind == 1)
                        continue;
                    else if (i == at && kind == 2)
                        edited[len++] = 'q', edited[len++] = s[i];
                    else if (i == at && kind == 3 && i + 1 < n)
                        edited[len++] = s[i + 1], edited[len++] = s[i], i++;
                    else
                        edited[len++] = s[i];
                }
                if (kind == 3 && (at + 1 >= n || s[at] == s[at + 1]))
                    continue; /* nothing to swap */
                edited[len] = '\0';
                const size_t cuts[] = {2, 5, len - 2};
                for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
                    char title[96], matched[40];
                    snprintf(matched, sizeof(matched), "%.*s %s", (int)cuts[c], edited,
                             edited + cuts[c]);
                    snprintf(title, sizeof(title), "{\"sku\":\"1\",\"title\":\"%s bag\"}\n",
                             matched);
                    struct hits h;
                    scan_json(rs, title, &h);
                    const struct hit *x = mark_hit(&h, marks[m].mark);
                    if (!x)
                        fail_msg("no %s finding in \"%s\"", marks[m].mark, matched);
                    assert_string_equal(x->kind, "fuzzy");
                    /* the pair, or a part of it that is a near-miss alone
                     * ("louisvuitto qn") */
                    size_t first = (size_t)(strchr(matched, ' ') - matched);
                    if (strcmp(x->matched, matched) != 0 &&
                        !(strlen(x->matched) == first &&
                          strncmp(x->matched, matched, first) == 0) &&
                        strcmp(x->matched, matched + first + 1) != 0)
                        fail_msg("%s found as \"%s\" in \"%s\"", marks[m].mark, x->matched,
                                 matched);
                    checked++;
                }
            }
        }
    }
    assert_true(checked > 200);
    ipr_ruleset_free(rs);
}

/* A leet character next to a letter is found wherever it lies in the
 * value (it is looked for sixteen bytes at a time), with the letter before
 * it or after it, in the same sixteen bytes or the next; "2" and "6" are no
 * leet characters, and a digit between spaces wakes nothing. */
static void test_leet_at_every_offset(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    static const char *const words[] = {"N1ke", "Ch@nel", "Nik3", "R0lex"};
    static const char *const marks[] = {"Nike", "Chanel", "Nike", "Rolex"};
    char title[128];
    for (size_t w = 0; w < 4; w++)
        for (size_t pad = 0; pad < 40; pad++) {
            memset(title, '.', pad);
            snprintf(title + pad, sizeof(title) - pad, "%s bag", words[w]);
            title_gives(rs, title, marks[w], "leet", words[w]);
        }
    title_clean(rs, "size 2 or 6, pack of 4 . 7");
    ipr_ruleset_free(rs);
}

/* Letters spaced out are found wherever they start in the value (looked
 * for sixteen places at a time), up to its last byte. */
static void test_spaced_at_every_offset(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    static const char *const spaced[] = {"G-U-C-C-I", "R O L E X", "N.I.K.E"};
    static const char *const marks[] = {"Gucci", "Rolex", "Nike"};
    char title[128];
    for (size_t w = 0; w < 3; w++)
        for (size_t pad = 0; pad < 40; pad++) {
            if (pad == 1)
                continue; /* "z R O L E X": a single letter before joins the run */
            memset(title, 'z', pad);
            snprintf(title + pad, sizeof(title) - pad, "%s%s", pad ? " " : "", spaced[w]);
            title_gives(rs, title, marks[w], "separator", spaced[w]);
        }
    ipr_ruleset_free(rs);
}

/* A stutter ("L-Louis V-Vuitton": a letter, a hyphen, a word starting with
 * that letter) is read without its letters and hyphens, at the start, in
 * the middle and at the very end of a value; a letter glued to the word
 * before it ("XL-Louis") is no stutter. */
static void test_stutter(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_gives(rs, "L-Louis V-Vuitton bag", "Louis Vuitton", "separator", "L-Louis V-Vuitton");
    title_gives(rs, "new l-Louis v-vuitton", "Louis Vuitton", "separator", "l-Louis v-vuitton");
    title_gives(rs, "Tote (L-Louis V-Vuitton) red", "Louis Vuitton", "separator",
                "L-Louis V-Vuitton");
    title_clean(rs, "XL-Louis XV-Vuitton bag");
    title_clean(rs, "L-Lo V-Vu");
    ipr_ruleset_free(rs);
}

/* Words found to be no near-miss are remembered per scanner; what is
 * remembered never hides a near-miss: not after tens of thousands of
 * other words have pushed each other out of the memo, and not for a word
 * too long to be remembered (here 34 and 30 letters). */
static int count_fuzzy(const ipr_finding *f, void *user)
{
    size_t *n = user;
    if (strcmp(f->rule->id, "T-MARK") == 0 && f->match_kind && strcmp(f->match_kind, "fuzzy") == 0)
        (*n)++;
    return 0;
}

static void test_near_miss_memo(void **state)
{
    (void)state;
    static const char marks[] = "registry: m\nversion: '1'\nmarks:\n"
                                "  - {mark: Rolex, owner: R}\n"
                                "  - {mark: Supercalifragilisticexpialidocious, owner: S}\n"
                                "  - {mark: Abcdefghijklmnopqrstuvwxyzabcd, owner: A}\n";
    ipr_ruleset *rs = build_with(pack_yaml, marks, NULL);
    static const char *const near[] = {"Rolez", "Supercalifragilisticexpialidociuos",
                                       "Abcdefghijklmnopqrstuvwxyzabce"};
    enum { RECORDS = 6000, WORDS = 8 };
    struct buf {
        char *data;
        size_t len, cap;
    } in = {malloc(RECORDS * 512), 0, RECORDS * 512};
    assert_non_null(in.data);
    uint32_t seed = 12345;
    size_t expected = 0;
    for (size_t r = 0; r < RECORDS; r++) {
        in.len += (size_t)sprintf(in.data + in.len, "{\"sku\":\"%zu\",\"title\":\"", r);
        for (size_t w = 0; w < WORDS; w++) {
            /* 48,000 words starting with q, none near a mark, of the
             * near-misses' lengths among others */
            static const size_t lengths[] = {5, 6, 7, 8, 9, 12, 30, 34};
            in.data[in.len++] = 'q';
            for (size_t k = 1; k < lengths[(r + w) % 8]; k++) {
                seed = seed * 1103515245u + 12345u;
                in.data[in.len++] = (char)('a' + (seed >> 16) % 26);
            }
            in.data[in.len++] = ' ';
        }
        if (r % 7 == 0) {
            in.len += (size_t)sprintf(in.data + in.len, "%s", near[r / 7 % 3]);
            expected++;
        }
        in.len += (size_t)sprintf(in.data + in.len, "\"}\n");
        assert_true(in.len + 512 < in.cap);
    }
    ipr_reader *rd = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("t", in.data, in.len, IPR_INPUT_JSONL, &rd), IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    size_t found = 0, records = 0;
    const ipr_record *rec;
    while (ipr_reader_next(rd, &rec) == IPR_OK) {
        assert_int_equal(ipr_scanner_scan(s, rec, count_fuzzy, &found), IPR_OK);
        records++;
    }
    assert_int_equal(records, RECORDS);
    assert_int_equal(found, expected);
    ipr_scanner_free(s);
    ipr_reader_free(rd);
    free(in.data);
    ipr_ruleset_free(rs);
}

/* A rule for some jurisdictions meets the marks that list one of them,
 * from YAML lists and from CSV cells alike (trimmed, empty codes left
 * out); a code holding the list separator is refused where it stands. */
/* A pack and two registry files (YAML, then CSV), compiled. */
static ipr_ruleset *build_pack_and_registries(const char *pack, const char *yaml, const char *csv)
{
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "pack.yaml", pack, strlen(pack)), IPR_OK);
    assert_int_equal(ipr_compiler_add_trademarks(c, yaml), IPR_OK);
    assert_int_equal(ipr_compiler_add_trademarks(c, csv), IPR_OK);
    ipr_ruleset *rs = NULL;
    assert_int_equal(ipr_compiler_finish(c, &rs), IPR_OK);
    ipr_compiler_free(c);
    return rs;
}

static void test_jurisdictions(void **state)
{
    (void)state;
    static const char pack[] = "pack: j\nstage: marketing\nversion: '1'\ntitle: j\nrules:\n"
                               "  - id: T-US\n    title: us\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: {jurisdictions: [US]}}\n";
    char *yaml = write_temp(".yaml", "registry: j\nversion: '1'\nmarks:\n"
                                     "  - {mark: Zorvex, owner: Z, jurisdictions: [CN, US]}\n"
                                     "  - {mark: Quintar, owner: Q, jurisdictions: [CN, USA]}\n"
                                     "  - {mark: Lumbrak, owner: L, jurisdictions: US}\n");
    char *csv = write_temp(".csv", "mark,owner,jurisdictions\n"
                                   "Vextor,V,EU| US |\n"
                                   "Pramble,P,EU|GB\n"
                                   "Ostrel,,\n"
                                   "Caddow,Z,US|CN\n");
    ipr_ruleset *rs = build_pack_and_registries(pack, yaml, csv);
    static const struct {
        const char *mark;
        bool flagged;
    } cases[] = {{"Zorvex", true},   {"Quintar", false}, {"Lumbrak", true}, {"Vextor", true},
                 {"Pramble", false}, {"Ostrel", false},  {"Caddow", true}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char line[128];
        snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s bag\"}\n", cases[i].mark);
        struct hits h;
        scan_json(rs, line, &h);
        bool flagged = false;
        for (size_t k = 0; k < h.count; k++)
            flagged |= strcmp(h.items[k].rule, "T-US") == 0;
        if (flagged != cases[i].flagged)
            fail_msg("%s: %s", cases[i].mark, flagged ? "flagged" : "not flagged");
    }
    ipr_ruleset_free(rs);

    char *bad = write_temp(".yaml", "registry: j\nversion: '1'\nmarks:\n"
                                    "  - mark: Zorvex\n    jurisdictions: [CN, 'U|S']\n");
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "j.yaml", pack, strlen(pack)), IPR_OK);
    assert_int_equal(ipr_compiler_add_trademarks(c, bad), IPR_ERULES);
    assert_int_equal(ipr_compiler_diag_count(c), 1);
    const ipr_diag *d = ipr_compiler_diag(c, 0);
    assert_int_equal(d->line, 5);
    assert_int_equal(d->col, 25);
    assert_string_equal(d->message, "a code in 'jurisdictions' cannot hold '|', not 'U|S'");
    ipr_compiler_free(c);
    for (char **f = (char *[]){yaml, csv, bad, NULL}; *f; f++) {
        unlink(*f);
        free(*f);
    }
}

/* Owners as the registry names them, however it keeps them: a name that
 * starts with the mark's spelling keeps only the rest, which marks share.
 * Findings kept in a result still name the owner after the scanner has
 * moved on to other records. */
static void test_owners(void **state)
{
    (void)state;
    static const char pack[] = "pack: o\nstage: marketing\nversion: '1'\ntitle: o\nrules:\n"
                               "  - id: T-OWNER\n    title: owner\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: any}\n"
                               "    message: '{owner}'\n";
    char *yaml = write_temp(".yaml", "registry: o\nversion: '1'\nmarks:\n"
                                     "  - {mark: Zorvex, owner: Zorvex Trading Co.}\n"
                                     "  - {mark: Quintar, owner: Quintar}\n"
                                     "  - {mark: Lumbrak, owner: Acme Holdings}\n"
                                     "  - {mark: Vextor, owner: vextor gmbh}\n"
                                     "  - {mark: Pramble}\n");
    char *csv = write_temp(".csv", "mark,owner\n"
                                   "Drelmon,Drelmon Trading Co.\n"
                                   "Kestrux,\"Kestrux, Inc.\"\n"
                                   "Morvane,Zorvex Trading Co.\n");
    ipr_ruleset *rs = build_pack_and_registries(pack, yaml, csv);
    static const struct {
        const char *mark, *owner;
    } cases[] = {{"Zorvex", "Zorvex Trading Co."},
                 {"Quintar", "Quintar"},
                 {"Lumbrak", "Acme Holdings"},
                 {"Vextor", "vextor gmbh"},
                 {"Pramble", ""},
                 {"Drelmon", "Drelmon Trading Co."},
                 {"Kestrux", "Kestrux, Inc."},
                 {"Morvane", "Zorvex Trading Co."}};
    enum { N = sizeof(cases) / sizeof(cases[0]) };
    char jsonl[N * 64] = "";
    for (size_t i = 0; i < N; i++) {
        char line[64];
        snprintf(line, sizeof(line), "{\"sku\":\"%zu\",\"title\":\"%s bag\"}\n", i, cases[i].mark);
        strcat(jsonl, line);
    }
    ipr_reader *r = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("t", jsonl, strlen(jsonl), IPR_INPUT_JSONL, &r), IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    ipr_result *results[N];
    const ipr_record *rec;
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
        assert_int_equal(ipr_result_new(&results[i]), IPR_OK);
        assert_int_equal(ipr_scanner_scan_result(s, rec, results[i]), IPR_OK);
    }
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(ipr_result_finding_count(results[i]), 1);
        const ipr_finding *f = ipr_result_finding(results[i], 0);
        assert_string_equal(f->mark, cases[i].mark);
        assert_non_null(f->owner);
        if (strcmp(f->owner, cases[i].owner) != 0 || strcmp(f->message, cases[i].owner) != 0)
            fail_msg("%s: owner '%s', message '%s'", cases[i].mark, f->owner, f->message);
        ipr_result_free(results[i]);
    }
    ipr_scanner_free(s);
    ipr_reader_free(r);
    ipr_ruleset_free(rs);
    for (char **f = (char *[]){yaml, csv, NULL}; *f; f++) {
        unlink(*f);
        free(*f);
    }
}

/* A word one edit from two marks is reported as the one listed first,
 * whichever order the registry lists them in, once per rule; a rule that
 * wants only the other's classes reports the other. */
static void test_near_miss_prefers_first_listed(void **state)
{
    (void)state;
    static const char pack[] = "pack: n\nstage: marketing\nversion: '1'\ntitle: n\nrules:\n"
                               "  - id: T-MARK\n    title: any\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: any}\n"
                               "  - id: T-NINE\n    title: class 9\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: {classes: [9]}}\n";
    static const char *orders[2] = {
        "registry: t\nversion: '1'\nmarks:\n"
        "  - {mark: Brandox, owner: Ox Ltd, classes: [25]}\n"
        "  - {mark: Brandex, owner: Ex Ltd, classes: [9]}\n",
        "registry: t\nversion: '1'\nmarks:\n"
        "  - {mark: Brandex, owner: Ex Ltd, classes: [9]}\n"
        "  - {mark: Brandox, owner: Ox Ltd, classes: [25]}\n",
    };
    static const char *first[2] = {"Brandox", "Brandex"};
    for (size_t i = 0; i < 2; i++) {
        ipr_ruleset *rs = build_with(pack, orders[i], NULL);
        struct hits h;
        scan_json(rs, "{\"sku\":\"1\",\"title\":\"Brandix shoes\"}\n", &h);
        assert_int_equal(h.count, 2); /* one finding a rule */
        assert_string_equal(h.items[0].rule, "T-MARK");
        assert_string_equal(h.items[0].mark, first[i]);
        assert_string_equal(h.items[0].kind, "fuzzy");
        assert_string_equal(h.items[1].rule, "T-NINE");
        assert_string_equal(h.items[1].mark, "Brandex");
        ipr_ruleset_free(rs);
    }
}

/* A word is a near-miss of the first IPR_NEAR_MISS_MAX_MARKS (16) marks it
 * is one edit from, in registry order: a rule for the class of the 16th
 * reports it, one for the class of the 17th does not. */
static void test_near_miss_mark_cap(void **state)
{
    (void)state;
    static const char pack[] = "pack: n\nstage: marketing\nversion: '1'\ntitle: n\nrules:\n"
                               "  - id: T-NINE\n    title: class 9\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: {classes: [9]}}\n";
    for (unsigned ninth = 16; ninth <= 17; ninth++) {
        char registry[2048] = "registry: t\nversion: '1'\nmarks:\n";
        for (unsigned i = 1; i <= 17; i++) {
            char line[96];
            snprintf(line, sizeof(line), "  - {mark: Brandix%c, owner: O, classes: [%u]}\n",
                     'a' + (int)i - 1, i == ninth ? 9u : 25u);
            strcat(registry, line);
        }
        ipr_ruleset *rs = build_with(pack, registry, NULL);
        struct hits h;
        scan_json(rs, "{\"sku\":\"1\",\"title\":\"Brandix shoes\"}\n", &h);
        if (ninth == 16) {
            assert_int_equal(h.count, 1);
            assert_string_equal(h.items[0].mark, "Brandixp"); /* the 16th */
        } else {
            assert_int_equal(h.count, 0);
        }
        ipr_ruleset_free(rs);
    }
}

static void test_not_marks(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_clean(rs, "Channel divider for drawers"); /* ordinary word, one edit from Chanel */
    title_clean(rs, "Nikel plated hook");           /* near-miss below five letters of mark */
    title_clean(rs, "Rolled steel sheet");          /* dictionary word */
    title_clean(rs, "Guccione biography");          /* longer word, not one edit */
    title_clean(rs, "Sonya necklace");              /* Sony is four letters: no near-miss */
    title_clean(rs, "Hm sure");
    ipr_ruleset_free(rs);
}

static void test_spans_on_multibyte_text(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    struct hits h;
    /* "全新 Ｎ1ｋｅ 鞋": the evidence is the full-width text as written */
    scan_json(rs, "{\"sku\":\"1\",\"title\":\"全新 \uff2e1\uff4b\uff45 鞋\"}\n", &h);
    const struct hit *x = mark_hit(&h, "Nike");
    assert_non_null(x);
    assert_int_equal(x->start, 7);
    assert_int_equal(x->end, 7 + 3 + 1 + 3 + 3);
    assert_string_equal(x->matched, "\uff2e1\uff4b\uff45");
    assert_string_equal(x->message, "Nike of Nike, Inc.");
    ipr_ruleset_free(rs);
}

static void test_common_word_marks(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_gives(rs, "Apple iPhone 15 case", "Apple", "exact", "Apple");
    title_clean(rs, "apple pie dish");
    title_clean(rs, "Apple juice glass set");
    title_clean(rs, "polo neck sweater");
    title_gives(rs, "Polo Ralph Lauren shirt", "Polo", "exact", "Polo");
    title_clean(rs, "Polo shirt for men");
    ipr_ruleset_free(rs);
}

/* The word list is opened when it is set, so a wrong path fails there,
 * and read when the marks are compiled: removing the file in between
 * changes nothing, and the last list set is the one used. */
static void test_word_list(void **state)
{
    (void)state;
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_set_word_list(c, "/nonexistent/words"), IPR_EIO);
    assert_int_equal(ipr_compiler_set_word_list(c, "/tmp"), IPR_EIO);
    ipr_compiler_free(c);

    const char *title = "{\"sku\":\"1\",\"title\":\"Channel divider for drawers\"}\n";
    for (int with_channel = 0; with_channel < 2; with_channel++) {
        char *marks = write_temp(".yaml", registry_yaml);
        char *plain = write_temp(".txt", "rolled\n");
        char *words = write_temp(".txt", "rolled\nchannel\n");
        assert_int_equal(ipr_compiler_new(&c), IPR_OK);
        assert_int_equal(ipr_compiler_add_string(c, "pack.yaml", pack_yaml, strlen(pack_yaml)),
                         IPR_OK);
        assert_int_equal(ipr_compiler_add_trademarks(c, marks), IPR_OK);
        assert_int_equal(ipr_compiler_set_word_list(c, with_channel ? plain : words), IPR_OK);
        assert_int_equal(ipr_compiler_set_word_list(c, with_channel ? words : plain), IPR_OK);
        unlink(plain);
        unlink(words);
        ipr_ruleset *rs = NULL;
        assert_int_equal(ipr_compiler_finish(c, &rs), IPR_OK);
        ipr_compiler_free(c);
        struct hits h;
        scan_json(rs, title, &h);
        const struct hit *x = mark_hit(&h, "Chanel");
        if (with_channel)
            assert_null(x);
        else if (!x)
            fail_msg("without 'channel' in the word list, Channel is a near-miss of Chanel");
        ipr_ruleset_free(rs);
        unlink(marks);
        free(marks);
        free(plain);
        free(words);
    }
}

static void test_fair_use(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    title_clean(rs, "ACME case compatible with Apple iPhone 15");
    title_clean(rs, "ACME charger for Sony DSC-H300");
    title_clean(rs, "ACME strap fits Sony WH-1000XM4");
    /* not for clothing marks */
    title_gives(rs, "Laces for Nike Air Max 90", "Nike", "exact", "Nike");
    /* vague: still reported, lower */
    struct hits h;
    scan_json(rs, "{\"sku\":\"1\",\"title\":\"Remote for Sony\"}\n", &h);
    const struct hit *x = mark_hit(&h, "Sony");
    assert_non_null(x);
    assert_int_equal(x->severity, IPR_SEV_MEDIUM);
    ipr_ruleset_free(rs);
}

static void test_near_and_kinds(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(NULL);
    struct hits h;
    scan_json(rs, "{\"sku\":\"1\",\"title\":\"Replica Rolex Submariner\"}\n", &h);
    int near = 0, chr = 0;
    for (size_t i = 0; i < h.count; i++) {
        near += strcmp(h.items[i].rule, "T-NEAR") == 0;
        chr += strcmp(h.items[i].rule, "T-CHAR") == 0;
    }
    assert_int_equal(near, 1);
    assert_int_equal(chr, 0);
    scan_json(rs, "{\"sku\":\"1\",\"title\":\"Hello Kitty lunch box\"}\n", &h);
    chr = 0;
    for (size_t i = 0; i < h.count; i++)
        chr += strcmp(h.items[i].rule, "T-CHAR") == 0;
    assert_int_equal(chr, 1);
    ipr_ruleset_free(rs);
}

/* Seller S1 may sell NIKE in the US and Canada until the end of 2026; S2's
 * authorization for Nike in the US ran out at the end of 2024. */
static const char nike_authorizations[] =
    "authorizations:\n"
    "  - {id: A-1, seller_id: S1, brand: NIKE, territories: [US, CA],"
    " valid_from: '2025-01-01', valid_to: '2026-12-31'}\n"
    "  - {id: A-2, seller_id: S2, brand: Nike, territories: [US],"
    " valid_from: '2024-01-01', valid_to: '2024-12-31'}\n";

static void test_authorizations(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(nike_authorizations);
    struct hits h;
    scan_json(rs,
              "{\"sku\":\"1\",\"seller\":{\"id\":\"S1\"},\"target_country\":\"US\","
              "\"title\":\"Nike shoes\"}\n",
              &h);
    assert_null(mark_hit(&h, "Nike"));
    scan_json(rs,
              "{\"sku\":\"1\",\"seller\":{\"id\":\"S1\"},\"target_country\":\"GB\","
              "\"title\":\"Nike shoes\"}\n",
              &h);
    const struct hit *x = mark_hit(&h, "Nike");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "authorization A-1 for NIKE does not cover GB"));
    scan_json(rs,
              "{\"sku\":\"1\",\"seller\":{\"id\":\"S2\"},\"target_country\":\"US\","
              "\"title\":\"Nike shoes\"}\n",
              &h);
    x = mark_hit(&h, "Nike");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "authorization A-2 for Nike expired on 2024-12-31"));
    /* the record's own ship date wins over the reference date */
    scan_json(rs,
              "{\"sku\":\"1\",\"seller\":{\"id\":\"S2\"},\"target_country\":\"US\","
              "\"shipment\":{\"ship_date\":\"2024-06-30\"},\"title\":\"Nike shoes\"}\n",
              &h);
    assert_null(mark_hit(&h, "Nike"));
    ipr_ruleset_free(rs);
}

/* Compiles the class pack with one registry file; the diagnostics, one
 * "line:col: message" per line, go to diags. */
static ipr_ruleset *build_classes(const char *suffix, const char *registry, char *diags,
                                  size_t diags_size)
{
    static const char pack[] = "pack: c\nstage: marketing\nversion: '1'\ntitle: c\nrules:\n"
                               "  - id: T-C25\n    title: clothing\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: {classes: [25]}}\n"
                               "  - id: T-C9\n    title: electronics\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: {classes: [9]}}\n";
    char *marks = write_temp(suffix, registry);
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "pack.yaml", pack, strlen(pack)), IPR_OK);
    ipr_compiler_add_trademarks(c, marks); /* errors are reported, not fatal here */
    ipr_ruleset *rs = NULL;
    ipr_compiler_finish(c, &rs);
    diags[0] = '\0';
    for (size_t i = 0; i < ipr_compiler_diag_count(c); i++) {
        const ipr_diag *d = ipr_compiler_diag(c, i);
        size_t used = strlen(diags);
        snprintf(diags + used, diags_size - used, "%u:%u: %s\n", d->line, d->col, d->message);
    }
    ipr_compiler_free(c);
    unlink(marks);
    free(marks);
    return rs;
}

/* Which of the two class rules a title sets off: "25", "9", "25 9" or "". */
static void classes_hit(ipr_ruleset *rs, const char *title, const char *want)
{
    char line[256], got[16] = "";
    snprintf(line, sizeof(line), "{\"sku\":\"1\",\"title\":\"%s\"}\n", title);
    struct hits h;
    scan_json(rs, line, &h);
    for (size_t i = 0; i < h.count; i++)
        if (strncmp(h.items[i].rule, "T-C", 3) == 0)
            snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", got[0] ? " " : "",
                     h.items[i].rule + 3);
    if (strcmp(got, want) != 0)
        fail_msg("\"%s\" set off classes \"%s\", not \"%s\"", title, got, want);
}

/* The valid registries of test_registry_classes, in YAML or CSV: Zorblax
 * in classes 25 and 9, Quarnix in 9, Veltrop in none. */
static void valid_classes_hit(ipr_ruleset *rs, const char *diags)
{
    assert_string_equal(diags, "");
    assert_non_null(rs);
    classes_hit(rs, "Zorblax coat", "25 9");
    classes_hit(rs, "Quarnix cable", "9");
    classes_hit(rs, "Veltrop thing", "");
    ipr_ruleset_free(rs);
}

/* One scanner over records that repeat a title: the hits of a short
 * value are kept from one record to the next (value_memo.h), and each
 * record still weighs them against its own seller, country and dates. */
static void test_repeated_values_keep_record_context(void **state)
{
    (void)state;
    ipr_ruleset *rs = build(nike_authorizations);
    static const char jsonl[] =
        "{\"sku\":\"1\",\"seller\":{\"id\":\"S1\"},\"target_country\":\"US\","
        "\"title\":\"Nike shoes\"}\n"
        "{\"sku\":\"2\",\"seller\":{\"id\":\"S1\"},\"target_country\":\"GB\","
        "\"title\":\"Nike shoes\"}\n"
        "{\"sku\":\"3\",\"seller\":{\"id\":\"S2\"},\"target_country\":\"US\","
        "\"title\":\"Nike shoes\"}\n"
        "{\"sku\":\"4\",\"seller\":{\"id\":\"S9\"},\"title\":\"Nike shoes\"}\n"
        "{\"sku\":\"5\",\"seller\":{\"id\":\"S1\"},\"target_country\":\"US\","
        "\"title\":\"Nike shoes\"}\n";
    /* the note each record's Nike finding carries; NULL: no finding */
    static const char *const want[] = {NULL, "authorization A-1 for NIKE does not cover GB",
                                       "authorization A-2 for Nike expired on 2024-12-31", "",
                                       NULL};
    ipr_reader *r = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("t", jsonl, strlen(jsonl), IPR_INPUT_JSONL, &r), IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    const ipr_record *rec;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
        struct hits h;
        memset(&h, 0, sizeof(h));
        assert_int_equal(ipr_scanner_scan(s, rec, collect, &h), IPR_OK);
        const struct hit *x = mark_hit(&h, "Nike");
        if (!want[i]) {
            if (x)
                fail_msg("record %zu: unexpected %s", i + 1, x->message);
            continue;
        }
        if (!x)
            fail_msg("record %zu: no Nike finding", i + 1);
        assert_string_equal(x->matched, "Nike");
        assert_non_null(strstr(x->message, want[i]));
    }
    ipr_scanner_free(s);
    ipr_reader_free(r);
    ipr_ruleset_free(rs);
}

/* A mark's Nice classes, from YAML (a list or one scalar) and CSV ("a|b"):
 * every valid class counts, every invalid one is reported where it is. */
static void test_registry_classes(void **state)
{
    (void)state;
    char diags[1024];
    ipr_ruleset *rs = build_classes(".yaml",
                                    "registry: t\nversion: '1'\nmarks:\n"
                                    "  - {mark: Zorblax, owner: Z, classes: [25, 46, '', x, 9]}\n"
                                    "  - {mark: Quarnix, owner: Q, classes: 9}\n"
                                    "  - {mark: Veltrop, owner: V, classes: {a: 1}}\n"
                                    "  - {mark: Moxtrel, owner: M, classes: [0, [25]]}\n",
                                    diags, sizeof(diags));
    assert_string_equal(diags, "4:45: Nice class must be a number from 1 to 45, not '46'\n"
                               "4:53: Nice class must be a number from 1 to 45, not 'x'\n"
                               "6:40: expected a sequence for 'classes', found a mapping\n"
                               "7:41: Nice class must be a number from 1 to 45, not '0'\n"
                               "7:44: expected a scalar for 'classes', found a sequence\n");
    assert_null(rs);
    rs = build_classes(".yaml",
                       "registry: t\nversion: '1'\nmarks:\n"
                       "  - {mark: Zorblax, owner: Z, classes: [25, '', 9]}\n"
                       "  - {mark: Quarnix, owner: Q, classes: 9}\n"
                       "  - {mark: Veltrop, owner: V, classes: []}\n",
                       diags, sizeof(diags));
    valid_classes_hit(rs, diags);

    rs = build_classes(".csv",
                       "mark,owner,classes\n"
                       "Zorblax,Z,25| 46 |x|9\n"
                       "Quarnix,Q,9\n",
                       diags, sizeof(diags));
    assert_string_equal(diags, "2:0: Nice class must be a number from 1 to 45, not '46'\n"
                               "2:0: Nice class must be a number from 1 to 45, not 'x'\n");
    assert_null(rs);
    rs = build_classes(".csv", "mark,owner,classes\nZorblax,Z, 25 ||9\nQuarnix,Q,9\nVeltrop,V,\n",
                       diags, sizeof(diags));
    valid_classes_hit(rs, diags);

    /* numbers as strtol reads them, whether one or two digits or not:
     * a zero before, a sign; and the ones that are no class */
    rs = build_classes(".yaml",
                       "registry: t\nversion: '1'\nmarks:\n"
                       "  - {mark: Zorblax, owner: Z, classes: ['25', '+9', '009', 4a, 450, '0',"
                       " '-9', 9x]}\n",
                       diags, sizeof(diags));
    assert_string_equal(diags, "4:60: Nice class must be a number from 1 to 45, not '4a'\n"
                               "4:64: Nice class must be a number from 1 to 45, not '450'\n"
                               "4:69: Nice class must be a number from 1 to 45, not '0'\n"
                               "4:74: Nice class must be a number from 1 to 45, not '-9'\n"
                               "4:80: Nice class must be a number from 1 to 45, not '9x'\n");
    assert_null(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spelling_classes),
        cmocka_unit_test(test_split_marks),
        cmocka_unit_test(test_shared_first_words_and_long_names),
        cmocka_unit_test(test_named_marks),
        cmocka_unit_test(test_not_marks),
        cmocka_unit_test(test_spans_on_multibyte_text),
        cmocka_unit_test(test_common_word_marks),
        cmocka_unit_test(test_fair_use),
        cmocka_unit_test(test_near_miss_edits),
        cmocka_unit_test(test_near_miss_pairs_at_every_place),
        cmocka_unit_test(test_near_miss_memo),
        cmocka_unit_test(test_stutter),
        cmocka_unit_test(test_leet_at_every_offset),
        cmocka_unit_test(test_spaced_at_every_offset),
        cmocka_unit_test(test_near_miss_prefers_first_listed),
        cmocka_unit_test(test_jurisdictions),
        cmocka_unit_test(test_owners),
        cmocka_unit_test(test_near_miss_mark_cap),
        cmocka_unit_test(test_near_and_kinds),
        cmocka_unit_test(test_authorizations),
        cmocka_unit_test(test_repeated_values_keep_record_context),
        cmocka_unit_test(test_registry_classes),
        cmocka_unit_test(test_word_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
