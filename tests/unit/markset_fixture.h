/*
 * markset_fixture.h - what the mark set tests share: a registry read from
 * YAML, then the mark set built from it on one thread, without a word
 * list, and both released.
 *
 * Static inline functions only, so a test may use any subset of them.
 */
#ifndef IPR_TEST_MARKSET_FIXTURE_H
#define IPR_TEST_MARKSET_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/normalize.h"
#include "compile/markset.h"
#include "registry/registry.h"

struct loaded {
    struct registry reg;
    struct arena arena;
    struct diag_list diags;
    struct normalizer *norm;
    struct markset ms;
};

/* The registry of the len bytes of YAML at yaml, as t.yaml. */
static inline void load_len(struct loaded *l, const char *yaml, size_t len)
{
    registry_init(&l->reg);
    arena_init(&l->arena, 0);
    diag_list_init(&l->diags);
    l->norm = NULL;
    assert_int_equal(registry_load_marks(&l->reg, &l->arena, &l->diags, "t.yaml", yaml, len),
                     IPR_OK);
}

static inline void load(struct loaded *l, const char *yaml)
{
    load_len(l, yaml, strlen(yaml));
}

static inline void build(struct loaded *l)
{
    assert_int_equal(normalizer_new(&l->norm), IPR_OK);
    assert_int_equal(markset_build(&l->ms, &l->reg, NULL, 0, 0, 1, l->norm, &l->arena), IPR_OK);
}

/* After build. */
static inline void release(struct loaded *l)
{
    markset_release(&l->ms);
    normalizer_free(l->norm);
    registry_release(&l->reg);
    diag_list_release(&l->diags);
    arena_release(&l->arena);
}

#endif
