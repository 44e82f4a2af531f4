/*
 * test_rules_yaml_tree.c - node positions.  libyaml counts characters; the
 * tree gives byte columns.  An ASCII text takes libyaml's count as it is,
 * any other text is walked to each node: both must give the same line and
 * column for every node, whatever the line breaks (LF, CRLF, CR).  And
 * streamed items: the sequence yaml_tree_parse_items hands over item by
 * item instead of keeping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "rules/yaml_tree.h"

struct positions {
    uint32_t line[64], col[64];
    size_t count;
};

static void collect(const struct ynode *n, struct positions *out)
{
    assert_true(out->count < 64);
    out->line[out->count] = n->line;
    out->col[out->count++] = n->col;
    if (n->kind == YNODE_SEQUENCE)
        for (size_t i = 0; i < n->u.seq.count; i++)
            collect(n->u.seq.items[i], out);
    if (n->kind == YNODE_MAPPING)
        for (size_t i = 0; i < n->u.map.count; i++) {
            collect(n->u.map.pairs[i].key, out);
            collect(n->u.map.pairs[i].value, out);
        }
}

static void positions_of(const char *text, struct positions *out)
{
    struct arena arena;
    arena_init(&arena, 0);
    struct diag_list diags;
    diag_list_init(&diags);
    struct ynode *root = NULL;
    assert_int_equal(yaml_tree_parse(&arena, &diags, "t.yaml", text, strlen(text), &root), IPR_OK);
    memset(out, 0, sizeof(*out));
    collect(root, out);
    diag_list_release(&diags);
    arena_release(&arena);
}

static const char *const documents[] = {
    "marks:\n  - {mark: Nike, classes: [25, 18]}\n  - mark: 'Gucci'\n    owner: \"G\"\n",
    "marks:\r\n  - {mark: Nike, classes: [25, 18]}\r\n  - mark: 'Gucci'\r\n    owner: x\r\n",
    "a: 1\rb: [x,\ty]\rc:\r  - d\r",
    "text: |\n  two\n  lines\nnext: >\n  folded\n  text\nlast: \"q\\\"uote\"\n",
};

static void test_ascii_and_walked_positions_agree(void **state)
{
    (void)state;
    for (size_t d = 0; d < sizeof(documents) / sizeof(documents[0]); d++) {
        /* the same document with a non-ASCII comment after every node */
        char walked[512];
        snprintf(walked, sizeof(walked), "%s# caf\xc3\xa9\n", documents[d]);
        struct positions fast, slow;
        positions_of(documents[d], &fast);
        positions_of(walked, &slow);
        assert_true(fast.count > 3);
        assert_int_equal(fast.count, slow.count);
        for (size_t i = 0; i < fast.count; i++) {
            if (fast.line[i] != slow.line[i] || fast.col[i] != slow.col[i])
                fail_msg("document %zu node %zu: %u:%u (ASCII) but %u:%u (walked)", d, i,
                         fast.line[i], fast.col[i], slow.line[i], slow.col[i]);
        }
    }
}

static void test_known_positions(void **state)
{
    (void)state;
    struct positions p;
    positions_of(documents[0], &p);
    /* root, "marks", the sequence, the first mapping, "mark", "Nike" */
    assert_int_equal(p.line[1], 1);
    assert_int_equal(p.col[1], 1);
    assert_int_equal(p.line[3], 2);
    assert_int_equal(p.col[3], 5);
    assert_int_equal(p.col[5], 12);
    positions_of(documents[2], &p); /* lines broken by CR alone */
    assert_int_equal(p.line[3], 2); /* b */
    assert_int_equal(p.line[6], 2); /* y, after a tab */
    assert_int_equal(p.col[6], 8);
    assert_int_equal(p.line[9], 4); /* d */
    assert_int_equal(p.col[9], 5);
    /* a multi-byte character before a node moves its byte column, not its
     * character column */
    positions_of("k\xc3\xa9: [a, b]\n", &p);
    assert_int_equal(p.col[2], 6); /* the sequence starts at byte 6 */
    assert_int_equal(p.col[4], 10);
    /* three characters of three bytes each inside a long line, and long
     * ASCII stretches before and after them */
    positions_of(
        "- {a: \"\xe3\x83\x8a\xe3\x82\xa4\xe3\x82\xad is a long alias\", b: [alpha, beta]}\n"
        "- {c: plain words to skip over, d: [\xc3\xa9t\xc3\xa9, x]}\n",
        &p);
    /* root, first mapping, a, its value, b, the sequence, alpha, beta */
    assert_int_equal(p.col[3], 7);
    assert_int_equal(p.col[4], 36);
    assert_int_equal(p.col[5], 39);
    assert_int_equal(p.col[7], 47);
    /* then the second mapping, c, its value, d, the sequence, "été", x */
    assert_int_equal(p.line[12], 2);
    assert_int_equal(p.col[12], 36);
    assert_int_equal(p.col[13], 37);
    assert_int_equal(p.col[14], 44);
}

/* What the item callback saw: each item's kind, position and first text. */
struct taken {
    char seen[512];
    unsigned calls;
    unsigned stop_at; /* fail the call with this number (1-based); 0: never */
};

static ipr_status take(const struct ynode *item, void *user)
{
    struct taken *t = user;
    t->calls++;
    const char *text = "";
    if (item->kind == YNODE_SCALAR)
        text = item->u.scalar.text;
    else if (item->kind == YNODE_MAPPING && item->u.map.count &&
             item->u.map.pairs[0].value->kind == YNODE_SCALAR)
        text = item->u.map.pairs[0].value->u.scalar.text;
    size_t used = strlen(t->seen);
    snprintf(t->seen + used, sizeof(t->seen) - used, "%s%u:%u %s", used ? ", " : "", item->line,
             item->col, text);
    return t->calls == t->stop_at ? IPR_ENOMEM : IPR_OK;
}

/* Parses text into arena (emptied first), streaming the items of `marks`;
 * the diagnostics, one "line:col: message" after another, go to diags. */
static ipr_status stream(struct arena *arena, const char *text, struct taken *t, char *diags,
                         size_t cap, const struct ynode **marks)
{
    arena_reset(arena);
    struct diag_list list;
    diag_list_init(&list);
    struct ynode *root = NULL;
    ipr_status st = yaml_tree_parse_items(arena, &list, "r.yaml", text, strlen(text), "marks", take,
                                          NULL, t, &root);
    diags[0] = '\0';
    for (size_t i = 0; i < diag_count(&list); i++) {
        const ipr_diag *d = diag_get(&list, i);
        size_t used = strlen(diags);
        snprintf(diags + used, cap - used, "%u:%u: %s; ", d->line, d->col, d->message);
    }
    diag_list_release(&list);
    *marks = NULL;
    for (size_t i = 0; root && root->kind == YNODE_MAPPING && i < root->u.map.count; i++)
        if (strcmp(root->u.map.pairs[i].key->u.scalar.text, "marks") == 0)
            *marks = root->u.map.pairs[i].value;
    return st;
}

static void test_items_are_handed_over(void **state)
{
    (void)state;
    struct taken t = {0};
    char diags[512];
    const struct ynode *marks;
    struct arena arena;
    arena_init(&arena, 0);
    assert_int_equal(stream(&arena,
                            "title: x\n"
                            "marks:\n"
                            "  - {mark: A, mark: again}\n"
                            "  - plain\n"
                            "  - mark: B\n"
                            "    more: {marks: [not, streamed]}\n"
                            "marks: [kept]\n",
                            &t, diags, sizeof(diags), &marks),
                     IPR_OK);
    assert_string_equal(t.seen, "3:5 A, 4:5 plain, 5:5 B");
    /* the item's duplicate key is reported (with it, before it was handed
     * over), then the second `marks`, which was kept whole */
    assert_string_equal(diags, "3:15: duplicate key 'mark' (first at line 3); "
                               "7:1: duplicate key 'marks' (first at line 2); ");
    assert_non_null(marks);
    assert_int_equal(marks->kind, YNODE_SEQUENCE);
    assert_int_equal(marks->u.seq.count, 0); /* the streamed list is left empty */

    /* a nested `marks` or one that is no sequence is not streamed */
    memset(&t, 0, sizeof(t));
    assert_int_equal(
        stream(&arena, "outer: {marks: [a, b]}\nmarks: {a: 1}\n", &t, diags, sizeof(diags), &marks),
        IPR_OK);
    assert_int_equal(t.calls, 0);
    assert_int_equal(marks->kind, YNODE_MAPPING);

    /* items read before a syntax error have been handed over */
    memset(&t, 0, sizeof(t));
    assert_int_equal(
        stream(&arena, "marks:\n  - a\n  - b\n  - [c\n", &t, diags, sizeof(diags), &marks),
        IPR_ERULES);
    assert_string_equal(t.seen, "2:5 a, 3:5 b");
    assert_non_null(strstr(diags, "flow sequence that starts at line 4"));

    /* the callback's failure stops the parse */
    memset(&t, 0, sizeof(t));
    t.stop_at = 2;
    assert_int_equal(stream(&arena, "marks: [a, b, c, d]\n", &t, diags, sizeof(diags), &marks),
                     IPR_ENOMEM);
    assert_int_equal(t.calls, 2);
    arena_release(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_walked_positions_agree),
        cmocka_unit_test(test_known_positions),
        cmocka_unit_test(test_items_are_handed_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
