/*
 * test_rules_yaml_fast.c - the plain-YAML reader against libyaml.
 *
 * Every text is read twice: by yaml_fast_parse_items and by libyaml's
 * events (yaml_tree_parse_events).  Where the fast reader takes a text,
 * the two trees and the items handed over must be equal node for node:
 * kind, line, byte column, scalar text and style.  Where it must decline,
 * it hands nothing over and the public reader still gives libyaml's tree.
 * The built-in registries are read both ways too: they are the files the
 * fast reader is for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <jansson.h>

#include "rules/yaml_fast.h"
#include "rules/yaml_tree.h"

/* ---- trees ------------------------------------------------------------------------- */

static struct ynode *copy_tree(struct arena *a, const struct ynode *n)
{
    struct ynode *c = arena_calloc(a, 1, sizeof(*c));
    assert_non_null(c);
    *c = *n;
    if (n->kind == YNODE_SCALAR) {
        c->u.scalar.text = arena_strndup(a, n->u.scalar.text, n->u.scalar.len);
    } else if (n->kind == YNODE_SEQUENCE) {
        c->u.seq.items = arena_calloc(a, n->u.seq.count + 1, sizeof(struct ynode *));
        for (size_t i = 0; i < n->u.seq.count; i++)
            c->u.seq.items[i] = copy_tree(a, n->u.seq.items[i]);
    } else if (n->kind == YNODE_MAPPING) {
        c->u.map.pairs = arena_calloc(a, n->u.map.count + 1, sizeof(struct ypair));
        for (size_t i = 0; i < n->u.map.count; i++) {
            c->u.map.pairs[i].key = copy_tree(a, n->u.map.pairs[i].key);
            c->u.map.pairs[i].value = copy_tree(a, n->u.map.pairs[i].value);
        }
    }
    return c;
}

/* Fails the test at the first difference, naming where it is. */
static void assert_same_tree(const struct ynode *x, const struct ynode *y)
{
    if (!x || !y) {
        assert_true(x == y);
        return;
    }
    if (x->kind != y->kind || x->line != y->line || x->col != y->col)
        fail_msg("node at %u:%u (kind %d) differs from %u:%u (kind %d)", x->line, x->col, x->kind,
                 y->line, y->col, y->kind);
    if (x->kind == YNODE_SCALAR) {
        if (x->u.scalar.len != y->u.scalar.len ||
            memcmp(x->u.scalar.text, y->u.scalar.text, x->u.scalar.len) != 0 ||
            x->u.scalar.style != y->u.scalar.style)
            fail_msg("scalar at %u:%u: '%s' (style %d) vs '%s' (style %d)", x->line, x->col,
                     x->u.scalar.text, x->u.scalar.style, y->u.scalar.text, y->u.scalar.style);
    } else if (x->kind == YNODE_SEQUENCE) {
        assert_int_equal(x->u.seq.count, y->u.seq.count);
        for (size_t i = 0; i < x->u.seq.count; i++)
            assert_same_tree(x->u.seq.items[i], y->u.seq.items[i]);
    } else if (x->kind == YNODE_MAPPING) {
        assert_int_equal(x->u.map.count, y->u.map.count);
        for (size_t i = 0; i < x->u.map.count; i++) {
            assert_same_tree(x->u.map.pairs[i].key, y->u.map.pairs[i].key);
            assert_same_tree(x->u.map.pairs[i].value, y->u.map.pairs[i].value);
        }
    }
}

/* ---- one read ---------------------------------------------------------------------- */

struct reading {
    struct arena arena; /* the tree, and copies of the items */
    struct ynode *root;
    struct ynode **items; /* in the arena, grown by doubling */
    size_t count, cap;
    size_t fail_at; /* on_item fails on this item (1-based); 0: never */
    bool once;      /* read in one pass, with restart_items (else the subset is checked first) */
    size_t restarts;
    ipr_status restart_status; /* what restart_items returns */
};

static ipr_status keep_item(const struct ynode *item, void *user)
{
    struct reading *r = user;
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        struct ynode **grown = arena_alloc(&r->arena, r->cap * sizeof(*grown));
        assert_non_null(grown);
        if (r->count)
            memcpy(grown, r->items, r->count * sizeof(*grown));
        r->items = grown;
    }
    r->items[r->count++] = copy_tree(&r->arena, item);
    return r->count == r->fail_at ? IPR_ERULES : IPR_OK;
}

/* The reader declined after items went out: they are forgotten. */
static ipr_status restart_items(void *user)
{
    struct reading *r = user;
    r->count = 0;
    r->restarts++;
    return r->restart_status;
}

static void reading_init(struct reading *r)
{
    memset(r, 0, sizeof(*r));
    arena_init(&r->arena, 0);
}

static enum yaml_fast_result read_fast(struct reading *r, const char *text, size_t len,
                                       const char *list_key, ipr_status *st)
{
    return yaml_fast_parse_items(&r->arena, text, len, list_key, keep_item,
                                 r->once ? restart_items : NULL, r, &r->root, st);
}

static ipr_status read_libyaml(struct reading *r, const char *text, size_t len,
                               const char *list_key)
{
    struct diag_list diags;
    diag_list_init(&diags);
    ipr_status st = yaml_tree_parse_events(&r->arena, &diags, "t.yaml", text, len, list_key,
                                           keep_item, r, &r->root);
    assert_int_equal(diags.error_count, 0);
    diag_list_release(&diags);
    return st;
}

static void assert_same_reading(const struct reading *a, const struct reading *b)
{
    assert_same_tree(a->root, b->root);
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        assert_same_tree(a->items[i], b->items[i]);
}

/* The fast reader takes text, to libyaml's tree and items, whether it
 * checks the whole text first or reads it once. */
static void expect_taken(const char *text, size_t len, const char *list_key)
{
    struct reading slow;
    reading_init(&slow);
    assert_int_equal(read_libyaml(&slow, text, len, list_key), IPR_OK);
    for (int once = 0; once <= 1; once++) {
        struct reading fast;
        reading_init(&fast);
        fast.once = once;
        ipr_status st;
        enum yaml_fast_result r = read_fast(&fast, text, len, list_key, &st);
        if (r != YAML_FAST_DONE)
            fail_msg("declined (%d): %.*s", (int)r, (int)(len < 200 ? len : 200), text);
        assert_int_equal(st, IPR_OK);
        assert_int_equal(fast.restarts, 0);
        assert_same_reading(&fast, &slow);
        arena_release(&fast.arena);
    }
    arena_release(&slow.arena);
}

/* The fast reader declines text and leaves nothing handed over: checking
 * first, it hands nothing over; reading once, it has what it handed over
 * forgotten. */
static void expect_declined(const char *text)
{
    for (int once = 0; once <= 1; once++) {
        struct reading fast;
        reading_init(&fast);
        fast.once = once;
        ipr_status st;
        if (read_fast(&fast, text, strlen(text), "marks", &st) != YAML_FAST_DECLINED)
            fail_msg("taken: %s", text);
        assert_int_equal(st, IPR_OK);
        assert_int_equal(fast.count, 0);
        assert_null(fast.root);
        if (!once)
            assert_int_equal(fast.restarts, 0);
        arena_release(&fast.arena);
    }
}

/* ---- cases ------------------------------------------------------------------------- */

static const char *const taken[] = {
    /* a registry as generated */
    "# comment\nregistry: bench\nversion: \"5\"\ntitle: \"Marks\"\nmarks:\n"
    "  - mark: \"Braironiley\"\n    owner: \"Braironiley Trading Co., Ltd.\"\n"
    "    classes: [24]\n    jurisdictions: [CN, KR, AU]\n"
    "  - mark: \"Mabrex\"\n    owner: \"Mabrex Global LLC\"\n    classes: [3, 28]\n",
    /* the built-in style: plain scalars, flow mappings, blank lines, comments between items */
    "registry: builtin\nversion: \"2026.11\"\ntitle: Cosmetics, fragrance and care\nmarks:\n"
    "  # --- a group ---\n  - mark: MAC\n    aliases: [魅可]\n"
    "    owner: Make-Up Art Cosmetics Inc. (The Estée Lauder Companies)\n"
    "    reference_price: {amount: 20, currency: USD}\n"
    "    generic_senses: [apple, \"mac os\", 'mac n cheese', fix+, pc/mac, usb-c]\n\n"
    "  - mark: Estée Lauder\n    aliases: [雅诗兰黛, エスティ ローダー, 에스티로더]\n",
    /* a sequence at the key's own indentation, and after an item's mapping */
    "marks:\n- mark: A\n  owner: B\n- mark: C\ntitle: after\n",
    "marks:\n  - mark: A\n    aliases:\n    - x\n    - 'y'\n    owner: B\n  - mark: C\n",
    /* nested block sequences and mappings inside an item */
    "marks:\n  - mark: A\n    aliases:\n      - x\n      - y\n    price:\n      amount: 3\n"
    "      currency: EUR\n  -\n    mark: B\n",
    /* scalars: quotes, '' in single quotes, ':' and '#' that are text, comments, spaces */
    "marks:\n  - mark: 'It''s'\n    owner: \"a: b # c\"\n    url: http://example.com/a#b\n"
    "    note: two  spaces   # a comment\n    tail: trailing   \n    hash: a#b\n",
    /* flow collections: empty, nested, spaced */
    "marks:\n  - mark: A\n    a: []\n    b: {}\n    c: [ x , [y, z], {k: v} ]\n"
    "    d: {amount: 1.5, currency: USD}\n",
    /* the list as a flow sequence; the list key not first; items that are scalars */
    "title: t\nmarks: [{mark: A}, {mark: B, classes: [1]}]\n",
    "marks:\n  - Nike\n  - \"Gucci\"\n  - [a, b]\n",
    /* no line end at the end; an empty list; only the root's list is streamed */
    "marks:\n  - mark: A",
    "marks: []\nregistry: x\n",
    "other:\n  marks:\n    - a\nmarks:\n  - b\n",
    /* keys with dashes, dots and digits; a value on the next line */
    "marks:\n  - context_required: true\n    x-y.z: 1\n    9lives: \"9\"\n    nested:\n      k: "
    "v\n",
    /* nesting up to the reader's depth */
    "marks:\n  - {a: [{b: [{c: [{d: [{e: [{f: [{g: [x]}]}]}]}]}]}]}\n",
    /* multibyte characters before nodes on a line */
    "marks:\n  - mark: Москва\n    aliases: [Мальборо, 万宝路, マールボロ]\n    owner: Ünïcödé "
    "S.A.\n",
};

/* text with every LF made CRLF, in a buffer the caller frees */
static char *with_crlf(const char *text, size_t *len)
{
    char *out = malloc(2 * strlen(text) + 1);
    assert_non_null(out);
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            out[n++] = '\r';
        out[n++] = *p;
    }
    out[n] = '\0';
    *len = n;
    return out;
}

static void test_taken_as_libyaml_reads_them(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        expect_taken(taken[i], strlen(taken[i]), "marks");
        size_t len;
        char *crlf = with_crlf(taken[i], &len);
        expect_taken(crlf, len, "marks");
        free(crlf);
    }
}

static const char *const declined[] = {
    "marks:\n\t- a\n",                    /* a tab */
    "marks:\r  - a\r",                    /* CR line ends */
    "marks:\n  - a\r b\n",                /* a CR inside a line */
    "marks:\n  - \"a\\tb\"\n",            /* an escape */
    "marks:\n  - \"a\n    b\"\n",         /* a quoted scalar over two lines */
    "marks:\n  - mark: a\n      b\n",     /* a plain scalar over two lines */
    "marks:\n  - [a,\n     b]\n",         /* a flow sequence over two lines */
    "marks:\n  - mark:\n    owner: x\n",  /* an empty value */
    "marks:\n  - mark: a\ntitle:\n",      /* an empty value at the end */
    "marks:\n  - note: |\n      text\n",  /* a block scalar */
    "marks:\n  - note: >\n      text\n",  /* a folded one */
    "marks:\n  - &a mark: x\n",           /* an anchor */
    "marks:\n  - mark: &a x\n",           /* an anchor on a value */
    "marks:\n  - mark: *a\n",             /* an alias */
    "marks:\n  - mark: !!str x\n",        /* a tag */
    "marks:\n  - mark: a\n    mark: b\n", /* a duplicate key */
    "marks:\n  - a\nmarks:\n  - b\n",     /* a duplicate list */
    "---\nmarks:\n  - a\n",               /* a document marker */
    "%YAML 1.1\n---\nmarks: []\n",        /* a directive */
    "marks: [a, b, ]\n",                  /* a trailing comma */
    "marks: [a:b]\n",                     /* ':' in a flow scalar */
    "marks:\n  - mark: a: b\n",           /* a mapping where a value stands */
    "marks:\n  - mark: a:\n",             /* ':' ending a plain scalar */
    "marks:\n  - \"k\": v\n",             /* a quoted key */
    "marks:\n  - ? k\n    : v\n",         /* a complex key */
    "marks:\n  - - a\n",                  /* a sequence in a sequence item */
    "marks:\n  - a\n  b: c\n",            /* a key after a sequence at its indentation */
    "marks:\n  - mark: a\n   owner: b\n", /* a key off the mapping's column */
    "- a\n- b\n",                         /* a root sequence */
    "just text\n",                        /* a root scalar */
    "",                                   /* no document */
    "# only a comment\n",                 /* no document either */
    "marks: x\n",                         /* a list that is a scalar */
    "marks:\n  mark: a\n",                /* a list that is a mapping */
    "marks:\n  - a\n...\n",               /* a document end */
    "marks:\n  - a\xc2\x85"
    "b\n", /* NEL, a line break to libyaml */
    "marks:\n  - a\xe2\x80\xa8"
    "b\n", /* LINE SEPARATOR */
    "marks:\n  - a\xef\xbb\xbf"
    "b\n", /* a BOM inside */
    "marks:\n  - a\xc2\x80"
    "b\n", /* a C1 control */
    "marks:\n  - a\x7f"
    "b\n", /* DEL */
    "marks:\n  - a\xff"
    "b\n", /* not UTF-8 */
    "marks:\n  - a\xc0\xaf"
    "b\n", /* overlong */
    "marks:\n  - a\xed\xa0\x80"
    "b\n", /* a surrogate */
    "marks:\n  - a\xef\xbf\xbe"
    "b\n",                                                                     /* U+FFFE */
    "marks:\n  - {a: [{b: [{c: [{d: [{e: [{f: [{g: [{h: [x]}]}]}]}]}]}]}]}\n", /* deep */
};

static void test_declines_what_it_does_not_know(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++)
        expect_declined(declined[i]);
}

/* A declined text still reads as libyaml reads it, diagnostics and all. */
static void test_declined_text_goes_to_libyaml(void **state)
{
    (void)state;
    const char *text = "marks:\n  - mark: a\n    mark: b\n  - mark: c\n";
    struct arena arena;
    arena_init(&arena, 0);
    struct diag_list diags;
    diag_list_init(&diags);
    struct reading r;
    reading_init(&r);
    struct ynode *root = NULL;
    assert_int_equal(yaml_tree_parse_items(&arena, &diags, "t.yaml", text, strlen(text), "marks",
                                           keep_item, NULL, &r, &root),
                     IPR_OK);
    assert_int_equal(diags.error_count, 1); /* the duplicate key, as libyaml's reader reports */
    assert_int_equal(r.count, 2);
    diag_list_release(&diags);
    arena_release(&arena);
    arena_release(&r.arena);
}

/* A NUL byte: declined, and reported by the public reader where it is. */
static void test_nul_byte_declined_and_reported(void **state)
{
    (void)state;
    static const char text[] = "marks:\n  - a\0b\n";
    size_t len = sizeof(text) - 1;
    struct reading r;
    reading_init(&r);
    ipr_status st;
    assert_int_equal(read_fast(&r, text, len, "marks", &st), YAML_FAST_DECLINED);
    assert_int_equal(r.count, 0);
    struct diag_list diags;
    diag_list_init(&diags);
    struct ynode *root = NULL;
    assert_int_equal(yaml_tree_parse_items(&r.arena, &diags, "t.yaml", text, len, "marks",
                                           keep_item, NULL, &r, &root),
                     IPR_ERULES);
    assert_int_equal(diags.error_count, 1);
    const ipr_diag *d = vec_at(&diags.items, 0);
    assert_int_equal(d->line, 2);
    assert_int_equal(d->col, 6);
    assert_int_equal(r.count, 0);
    diag_list_release(&diags);
    arena_release(&r.arena);
}

/* An item's failure stops the reading and is returned, after the items
 * before it went out (as with libyaml). */
static void test_item_failure_stops(void **state)
{
    (void)state;
    const char *text = "marks:\n  - a\n  - b\n  - c\n";
    struct reading r;
    reading_init(&r);
    r.fail_at = 2;
    ipr_status st;
    assert_int_equal(read_fast(&r, text, strlen(text), "marks", &st), YAML_FAST_FAILED);
    assert_int_equal(st, IPR_ERULES);
    assert_int_equal(r.count, 2);
    assert_null(r.root);
    arena_release(&r.arena);
}

/* A text that leaves the subset after two items: read once, the two are
 * handed over, then forgotten (restart_items) when the reader declines;
 * through yaml_tree_parse_items, libyaml then reads the whole list, so
 * every item is taken once. */
static const char late_decline[] = "marks:\n  - mark: a\n  - mark: b\n  - mark: \"c\\td\"\n";

/* late_decline read once, with a restart that returns restart_status. */
static enum yaml_fast_result read_late_decline_once(struct reading *r, ipr_status restart_status,
                                                    ipr_status *st)
{
    reading_init(r);
    r->once = true;
    r->restart_status = restart_status;
    return read_fast(r, late_decline, strlen(late_decline), "marks", st);
}

static void test_late_decline_restarts(void **state)
{
    (void)state;
    struct reading r;
    ipr_status st;
    assert_int_equal(read_late_decline_once(&r, IPR_OK, &st), YAML_FAST_DECLINED);
    assert_int_equal(st, IPR_OK);
    assert_int_equal(r.restarts, 1);
    assert_int_equal(r.count, 0);
    assert_null(r.root);
    arena_release(&r.arena);

    /* checking first, nothing goes out and nothing is restarted */
    reading_init(&r);
    assert_int_equal(read_fast(&r, late_decline, strlen(late_decline), "marks", &st),
                     YAML_FAST_DECLINED);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.restarts, 0);
    arena_release(&r.arena);

    struct reading slow;
    reading_init(&slow);
    assert_int_equal(read_libyaml(&slow, late_decline, strlen(late_decline), "marks"), IPR_OK);
    assert_int_equal(slow.count, 3);
    reading_init(&r);
    r.once = true;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(yaml_tree_parse_items(&r.arena, &diags, "t.yaml", late_decline,
                                           strlen(late_decline), "marks", keep_item, restart_items,
                                           &r, &r.root),
                     IPR_OK);
    assert_int_equal(diags.error_count, 0);
    assert_int_equal(r.restarts, 1);
    assert_same_reading(&r, &slow);
    assert_string_equal(r.items[2]->u.map.pairs[0].value->u.scalar.text, "c\td");
    diag_list_release(&diags);
    arena_release(&r.arena);
    arena_release(&slow.arena);
}

/* A restart that fails stops the reading with its status. */
static void test_restart_failure_stops(void **state)
{
    (void)state;
    struct reading r;
    ipr_status st;
    assert_int_equal(read_late_decline_once(&r, IPR_ENOMEM, &st), YAML_FAST_FAILED);
    assert_int_equal(st, IPR_ENOMEM);
    assert_int_equal(r.restarts, 1);
    assert_null(r.root);
    arena_release(&r.arena);
}

/* The list is left in the tree with no items, as libyaml's reader leaves it. */
static void test_list_left_empty(void **state)
{
    (void)state;
    const char *text = "registry: x\nmarks:\n  - a\n  - b\ntitle: t\n";
    struct reading r;
    reading_init(&r);
    ipr_status st;
    assert_int_equal(read_fast(&r, text, strlen(text), "marks", &st), YAML_FAST_DONE);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.root->kind, YNODE_MAPPING);
    assert_int_equal(r.root->u.map.count, 3);
    const struct ynode *list = r.root->u.map.pairs[1].value;
    assert_int_equal(list->kind, YNODE_SEQUENCE);
    assert_int_equal(list->u.seq.count, 0);
    assert_int_equal(list->line, 3);
    assert_int_equal(list->col, 3);
    assert_string_equal(r.items[1]->u.scalar.text, "b");
    assert_int_equal(r.items[1]->line, 4);
    arena_release(&r.arena);
}

/* Every prefix of a taken text, so texts end inside keys, quotes, flow
 * collections and CRLFs: each either reads as libyaml reads it or is
 * declined. */
static void every_cut(const char *text, size_t len)
{
    for (size_t cut = 0; cut <= len; cut++) {
        struct reading fast, slow;
        reading_init(&fast);
        reading_init(&slow);
        ipr_status st;
        enum yaml_fast_result r = read_fast(&fast, text, cut, "marks", &st);
        if (r == YAML_FAST_DONE) {
            struct diag_list diags;
            diag_list_init(&diags);
            assert_int_equal(yaml_tree_parse_events(&slow.arena, &diags, "t.yaml", text, cut,
                                                    "marks", keep_item, &slow, &slow.root),
                             IPR_OK);
            if (diags.error_count)
                fail_msg("taken, but libyaml reports an error: %.*s", (int)cut, text);
            diag_list_release(&diags);
            assert_same_reading(&fast, &slow);
        } else {
            assert_int_equal(r, YAML_FAST_DECLINED);
            assert_int_equal(fast.count, 0);
        }
        /* read once, the same outcome, and nothing left of a decline */
        struct reading once;
        reading_init(&once);
        once.once = true;
        assert_int_equal(read_fast(&once, text, cut, "marks", &st), r);
        if (r == YAML_FAST_DONE) {
            assert_int_equal(once.restarts, 0);
            assert_same_reading(&once, &fast);
        } else {
            assert_int_equal(once.count, 0);
        }
        arena_release(&once.arena);
        arena_release(&fast.arena);
        arena_release(&slow.arena);
    }
}

static void test_every_cut_reads_alike_or_declines(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof(taken) / sizeof(taken[0]); t++) {
        every_cut(taken[t], strlen(taken[t]));
        size_t len;
        char *crlf = with_crlf(taken[t], &len);
        every_cut(crlf, len);
        free(crlf);
    }
}

/* One line of a million quoted scalars in a flow list (7 MB): the line's
 * end is found once, not once per scalar.  Once per scalar took minutes,
 * past this test's time limit (tests/CMakeLists.txt); once takes a second. */
static void test_long_flow_line_is_linear(void **state)
{
    (void)state;
    size_t items = 1000000;
    char *text = malloc(32 + items * 6);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "marks:\n  - aliases: [");
    for (size_t i = 0; i < items; i++)
        n += (size_t)sprintf(text + n, i % 2 ? "%s\"a%c\"" : "%s'a%c'", i ? ", " : "",
                             'a' + (int)(i % 26));
    n += (size_t)sprintf(text + n, "]\n");
    struct reading r;
    reading_init(&r);
    ipr_status st;
    assert_int_equal(read_fast(&r, text, n, "marks", &st), YAML_FAST_DONE);
    assert_int_equal(r.count, 1);
    const struct ynode *aliases = r.items[0]->u.map.pairs[0].value;
    assert_int_equal(aliases->u.seq.count, items);
    assert_string_equal(aliases->u.seq.items[items - 1]->u.scalar.text, "an"); /* 999,999 % 26 */
    arena_release(&r.arena);
    free(text);
}

/* ---- real brand names ---------------------------------------------------------------- */

/* Can s be written as a plain scalar in a block (YAML's rules, not the
 * reader's)?  No indicator first, no ": " or " #", nothing at the end that
 * YAML would drop or read as a key. */
static bool plain_ok(const char *s, size_t n)
{
    if (!n || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    for (size_t i = 1; i < n; i++)
        if ((s[i - 1] == ':' && s[i] == ' ') || (s[i - 1] == ' ' && s[i] == '#'))
            return false;
    return true;
}

enum brand_style { BRAND_PLAIN, BRAND_SINGLE, BRAND_DOUBLE, BRAND_FLOW };

/* Appends s in the style, or returns false when the style cannot hold it. */
static bool append_brand(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                         enum brand_style style)
{
    if (style == BRAND_PLAIN && !plain_ok(s, n))
        style = BRAND_SINGLE;
    if (style == BRAND_DOUBLE && (memchr(s, '"', n) || memchr(s, '\\', n)))
        return false;
    if (*len + 2 * n + 8 > *cap) {
        *cap = 2 * *cap + 2 * n + 8;
        *out = realloc(*out, *cap);
        assert_non_null(*out);
    }
    char q = style == BRAND_DOUBLE ? '"' : '\'';
    if (style != BRAND_PLAIN)
        (*out)[(*len)++] = q;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' && style != BRAND_PLAIN && style != BRAND_DOUBLE)
            (*out)[(*len)++] = '\''; /* '' is one quote */
        (*out)[(*len)++] = s[i];
    }
    if (style != BRAND_PLAIN)
        (*out)[(*len)++] = q;
    return true;
}

static void append_text(char **out, size_t *len, size_t *cap, const char *t)
{
    size_t n = strlen(t);
    if (*len + n + 1 > *cap) {
        *cap = 2 * *cap + n + 1;
        *out = realloc(*out, *cap);
        assert_non_null(*out);
    }
    memcpy(*out + *len, t, n);
    *len += n;
}

static char *read_file(const char *path, size_t *len);

/* The 1,722 brands of ../shared/data/amazon-brand-allowlist ('&',
 * apostrophes, leading digits, diacritics) as registries: plain where YAML
 * allows, single-quoted, double-quoted, and ten at a time in flow lists.
 * Each is taken, and reads as libyaml reads it. */
static void test_real_brand_names(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof(path), "%s/amazon-brand-allowlist/brands.txt", IPR_SHARED_DATA);
    size_t size = 0;
    char *names = read_file(path, &size);
    if (!names)
        fail_msg("cannot read %s", path);
    for (int style = BRAND_PLAIN; style <= BRAND_FLOW; style++) {
        char *text = NULL;
        size_t len = 0, cap = 0, brands = 0;
        append_text(&text, &len, &cap, "registry: real\nmarks:\n");
        for (size_t at = 0; at < size;) {
            const char *nl = memchr(names + at, '\n', size - at);
            size_t end = nl ? (size_t)(nl - names) : size, n = end - at;
            if (n && names[end - 1] == '\r')
                n--;
            if (n) {
                bool flow = style == BRAND_FLOW;
                append_text(&text, &len, &cap,
                            flow ? (brands % 10 ? ", " : "  - aliases: [") : "  - mark: ");
                if (!append_brand(&text, &len, &cap, names + at, n,
                                  flow ? BRAND_SINGLE : (enum brand_style)style))
                    append_text(&text, &len, &cap, "x");
                append_text(&text, &len, &cap, flow ? (brands % 10 == 9 ? "]\n" : "") : "\n");
                brands++;
            }
            at = end + 1;
        }
        if (style == BRAND_FLOW && brands % 10)
            append_text(&text, &len, &cap, "]\n");
        assert_true(brands > 1000);
        expect_taken(text, len, "marks");
        free(text);
    }
    free(names);
}

/* The brands of ../shared/data/nsi-brands, each with every name its tags
 * give (name:ja, name:zh, name:ko, brand:wikidata ...) as a flow list of
 * aliases: many scripts on one line, where byte columns and characters
 * part ways.  Taken, and read as libyaml reads it. */
static void test_real_names_in_many_scripts(void **state)
{
    (void)state;
    static const char *const files[] = {"shop_bag",
                                        "shop_clothes",
                                        "shop_cosmetics",
                                        "shop_electronics",
                                        "shop_jewelry",
                                        "shop_mobile_phone",
                                        "shop_fashion_accessories",
                                        "shop_perfumery",
                                        "shop_shoes",
                                        "shop_sports",
                                        "shop_watches"};
    char *text = NULL;
    size_t len = 0, cap = 0, brands = 0, names = 0;
    append_text(&text, &len, &cap, "registry: nsi\nmarks:\n");
    for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/nsi-brands/%s.json", IPR_SHARED_DATA, files[fi]);
        json_error_t err;
        json_t *doc = json_load_file(path, 0, &err);
        if (!doc)
            fail_msg("cannot read %s: %s", path, err.text);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(doc, "items"), i, item)
        {
            json_t *tags = json_object_get(item, "tags");
            const char *brand = json_string_value(json_object_get(tags, "brand"));
            if (!brand)
                continue;
            append_text(&text, &len, &cap, "  - mark: ");
            append_brand(&text, &len, &cap, brand, strlen(brand), BRAND_PLAIN);
            append_text(&text, &len, &cap, "\n    aliases: [");
            const char *key;
            json_t *value;
            bool first = true;
            json_object_foreach(tags, key, value)
            {
                const char *v = json_string_value(value);
                if (!v || !append_brand(&text, &len, &cap, v, strlen(v),
                                        strchr(v, '\'') ? BRAND_DOUBLE : BRAND_SINGLE))
                    continue;
                append_text(&text, &len, &cap, ", ");
                first = false;
                names++;
            }
            if (!first)
                len -= 2; /* the last ", " */
            append_text(&text, &len, &cap, "]\n");
            brands++;
        }
        json_decref(doc);
    }
    assert_true(brands > 1500 && names > 5000);
    expect_taken(text, len, "marks");
    free(text);
}

/* ---- the built-in registries --------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    assert_non_null(data);
    *len = fread(data, 1, (size_t)size, f);
    fclose(f);
    return data;
}

static void test_builtin_registries_taken(void **state)
{
    (void)state;
    static const char *const files[] = {"beauty.yaml",           "consumer.yaml",
                                        "electronics.yaml",      "fashion.yaml",
                                        "luxury.yaml",           "outdoor-home.yaml",
                                        "sports-events.yaml",    "sportswear.yaml",
                                        "toys-characters.yaml",  "vehicles-hardware.yaml",
                                        "watches-jewellery.yaml"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/rules/trademarks/%s", IPR_SOURCE_DIR, files[i]);
        size_t len = 0;
        char *text = read_file(path, &len);
        if (!text)
            fail_msg("cannot read %s", path);
        expect_taken(text, len, "marks");
        free(text);
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/rules/trademarks/nice_classes.yaml", IPR_SOURCE_DIR);
    size_t len = 0;
    char *text = read_file(path, &len);
    assert_non_null(text);
    expect_taken(text, len, "classes");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taken_as_libyaml_reads_them),
        cmocka_unit_test(test_declines_what_it_does_not_know),
        cmocka_unit_test(test_declined_text_goes_to_libyaml),
        cmocka_unit_test(test_nul_byte_declined_and_reported),
        cmocka_unit_test(test_item_failure_stops),
        cmocka_unit_test(test_late_decline_restarts),
        cmocka_unit_test(test_restart_failure_stops),
        cmocka_unit_test(test_list_left_empty),
        cmocka_unit_test(test_every_cut_reads_alike_or_declines),
        cmocka_unit_test(test_long_flow_line_is_linear),
        cmocka_unit_test(test_real_brand_names),
        cmocka_unit_test(test_real_names_in_many_scripts),
        cmocka_unit_test(test_builtin_registries_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
