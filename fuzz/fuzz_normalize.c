/*
 * fuzz_normalize.c - libFuzzer target: the text normalizer and its offset map.
 *
 * The first byte holds the norm_flags (low four bits); the rest is the text.
 * Findings quote the seller's bytes through the offset map, so the map is
 * what must never be wrong: every normalized byte maps to a non-empty source
 * range inside the input, both ends are non-decreasing, spans map back
 * inside the input, the output is valid UTF-8, and the same input gives the
 * same output twice.  And normalizer_obfuscation is right about the views:
 * one it says would not change is the text it would be made from, map and
 * all (the trademark matcher skips searching it again), and one it says
 * would change is not; normalizer_leet_folds gives its folds answer,
 * norm_may_collapse never says no to a text that collapses, and
 * normalizer_skeleton_same says whether the skeleton is the folded text.
 */
#include <string.h>

#include "base/normalize.h"
#include "fuzz_common.h"

static struct normalizer *norm;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    FUZZ_CHECK(normalizer_new(&norm) == IPR_OK);
    return 0;
}

static void check_map(const struct norm_text *t, size_t src_len)
{
    FUZZ_CHECK(t->text[t->len] == '\0');
    FUZZ_CHECK(fuzz_utf8_valid(t->text, t->len));
    for (size_t i = 0; i < t->len; i++) {
        FUZZ_CHECK(t->src_start[i] < t->src_end[i]);
        FUZZ_CHECK(t->src_end[i] <= src_len);
        if (i > 0) {
            FUZZ_CHECK(t->src_start[i - 1] <= t->src_start[i]);
            FUZZ_CHECK(t->src_end[i - 1] <= t->src_end[i]);
        }
    }
    /* spans between character boundaries of the output, as matches are */
    size_t a = 0;
    while (a <= t->len) {
        size_t b = a;
        for (int k = 0; k < 3 && b < t->len; k++)
            (void)norm_utf8_next(t->text, t->len, &b);
        size_t sa = 0, sb = 0;
        norm_span_to_source(t, a, b, &sa, &sb);
        FUZZ_CHECK(sa <= sb && sb <= src_len);
        if (a < b)
            FUZZ_CHECK(sa < sb);
        if (a == t->len)
            break;
        (void)norm_utf8_next(t->text, t->len, &a);
    }
}

/* A copy of what normalizer_run handed out: the next run reuses it. */
struct kept {
    char *text;
    uint32_t *map; /* starts, then ends */
    size_t len;
};

static bool keep(const char *src, size_t len, unsigned flags, struct kept *k)
{
    struct norm_text t;
    if (normalizer_run(norm, src, len, flags, &t) != IPR_OK)
        return false;
    k->len = t.len;
    k->text = malloc(t.len + 1);
    k->map = malloc((t.len + 1) * 2 * sizeof(uint32_t));
    FUZZ_CHECK(k->text && k->map);
    memcpy(k->text, t.text, t.len + 1);
    memcpy(k->map, t.src_start, t.len * sizeof(uint32_t));
    memcpy(k->map + t.len, t.src_end, t.len * sizeof(uint32_t));
    return true;
}

static bool same(const struct kept *a, const struct kept *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0 &&
           memcmp(a->map, b->map, a->len * 2 * sizeof(uint32_t)) == 0;
}

static void check_obfuscation(const char *src, size_t len)
{
    struct kept skeleton, leet, all;
    if (!keep(src, len, NORM_FOLD | NORM_CONFUSABLE, &skeleton))
        return;
    bool collapses, folds;
    FUZZ_CHECK(normalizer_obfuscation(norm, skeleton.text, skeleton.len, &collapses, &folds) ==
               IPR_OK);
    /* the quick answers: the same folds from the tokens alone, and no
     * "cannot collapse" for a text that does */
    bool leet_folds;
    FUZZ_CHECK(normalizer_leet_folds(norm, skeleton.text, skeleton.len, &leet_folds) == IPR_OK);
    FUZZ_CHECK(leet_folds == folds);
    FUZZ_CHECK(!collapses || norm_may_collapse(skeleton.text, skeleton.len));
    struct kept folded;
    if (keep(src, len, NORM_FOLD, &folded)) {
        bool same_skeleton;
        FUZZ_CHECK(normalizer_skeleton_same(norm, folded.text, folded.len, &same_skeleton) ==
                   IPR_OK);
        FUZZ_CHECK(same(&folded, &skeleton) == same_skeleton);
        free(folded.text);
        free(folded.map);
    }
    if (keep(src, len, NORM_FOLD | NORM_CONFUSABLE | NORM_LEET, &leet)) {
        FUZZ_CHECK(same(&leet, &skeleton) == !folds);
        if (keep(src, len, NORM_ALL, &all)) {
            FUZZ_CHECK(same(&all, &leet) == !collapses);
            free(all.text);
            free(all.map);
        }
        free(leet.text);
        free(leet.map);
    }
    free(skeleton.text);
    free(skeleton.map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 0x0fu;
    const char *src = (const char *)data + 1;
    size_t len = size - 1;

    for (size_t i = 0; i < len;) {
        size_t before = i;
        uint32_t cp = norm_utf8_next(src, len, &i);
        FUZZ_CHECK(i > before && i <= len && cp <= 0x10ffff);
    }

    struct norm_text t;
    ipr_status st = normalizer_run(norm, src, len, flags, &t);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ELIMIT || st == IPR_ENOMEM);
    if (st != IPR_OK)
        return 0;
    check_map(&t, len);

    char *first = malloc(t.len + 1);
    uint32_t *first_map = malloc((t.len + 1) * 2 * sizeof(uint32_t));
    FUZZ_CHECK(first && first_map);
    size_t first_len = t.len;
    memcpy(first, t.text, t.len + 1);
    memcpy(first_map, t.src_start, t.len * sizeof(uint32_t));
    memcpy(first_map + t.len, t.src_end, t.len * sizeof(uint32_t));

    st = normalizer_run(norm, src, len, flags, &t);
    FUZZ_CHECK(st == IPR_OK);
    FUZZ_CHECK(t.len == first_len && memcmp(t.text, first, first_len) == 0);
    FUZZ_CHECK(memcmp(t.src_start, first_map, first_len * sizeof(uint32_t)) == 0);
    FUZZ_CHECK(memcmp(t.src_end, first_map + first_len, first_len * sizeof(uint32_t)) == 0);
    free(first);
    free(first_map);
    check_obfuscation(src, len);
    return 0;
}
