/*
 * test_rules_yaml_tree.c - node positions.  libyaml counts characters; the
 * tree gives byte columns.  An ASCII text takes libyaml's count as it is,
 * any other text is walked to each node: both must give the same line and
 * column for every node, whatever the line breaks (LF, CRLF, CR).
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_walked_positions_agree),
        cmocka_unit_test(test_known_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
