/*
 * fuzz_registry.c - libFuzzer target: trademark registries and seller
 * authorizations, YAML and CSV, through the loader and the mark index.
 *
 * The first byte picks the file kind (bit 0: CSV or YAML; bit 1:
 * authorizations or marks) and (bit 2) whether the marks are also read
 * twice into one registry and into two joined by registry_append, which
 * must agree byte for byte; the rest is the file.  Invariants: the status
 * is IPR_OK exactly when no error was reported; every diagnostic names the
 * file, has a line and a UTF-8 message; every loaded mark has a name, an
 * owner, a known status, Nice classes from 1 to 45 and no empty list item;
 * every authorization has a seller and a brand.  Marks are then compiled
 * into the matching index, as `iprcheck scan --trademarks` does, and every
 * name and owner must read the same afterwards.
 *
 * Uses the internal loader (not the public header): the public API takes
 * registries only as files.
 */
#include <string.h>

#include "base/normalize.h"
#include "compile/markset.h"
#include "fuzz_common.h"
#include "registry/registry.h"

static const char word_list[] = "apple\ncrown\ndove\nshell\nstar\n";

static void check_list(const char *const *items, size_t count)
{
    FUZZ_CHECK(count == 0 || items);
    for (size_t i = 0; i < count; i++)
        FUZZ_CHECK(items[i] && items[i][0]);
}

static void check_mark(const struct registry *r, const struct mark_def *m, const char *file)
{
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    const char *name = mark_name(r, m, spelled);
    if (m->name_case == MARK_CASE_KEPT)
        FUZZ_CHECK(m->name > 0 && m->name < r->text.len && name[0]);
    else /* put back from its spelling (markset_build) */
        FUZZ_CHECK(r->spelled && name == spelled && name[0]);
    uint32_t codes_at = m->jurisdictions;
    if (mark_has_more(r, m)) { /* its record, 8-byte aligned, after the 8 bytes of none */
        FUZZ_CHECK(m->jurisdictions >= 8 && m->jurisdictions % 8 == 0 &&
                   m->jurisdictions + sizeof(struct mark_more_record) <= r->mores.len);
        codes_at = mark_more_record(r, m)->jurisdictions;
    }
    struct mark_more view = mark_more_of(r, m);
    const struct mark_more *more = &view;
    FUZZ_CHECK(more->currency);
    FUZZ_CHECK(m->owner == 0 || m->owner < r->shared.len);
    FUZZ_CHECK(codes_at == 0 || codes_at < r->shared.len);
    struct arena scratch;
    arena_init(&scratch, 4096);
    const char *owner = mark_owner(r, m, &scratch);
    FUZZ_CHECK(owner &&
               (mark_owner_kept(r, m) == OWNER_WHOLE ||
                strncmp(owner, name,
                        mark_owner_kept(r, m) == OWNER_AFTER_NAME ? strlen(name)
                                                                  : strcspn(name, " ")) == 0));
    arena_release(&scratch);
    FUZZ_CHECK(m->profile < r->profiles.count);
    enum mark_status status = mark_status_of(r, m);
    FUZZ_CHECK(status == MARK_REGISTERED || status == MARK_PENDING || status == MARK_EXPIRED);
    FUZZ_CHECK(mark_kind_of(r, m) <= MARK_EVENT);
    FUZZ_CHECK((mark_classes(r, m) & ~(((1ull << 45) - 1) << 1)) == 0); /* classes 1 to 45 */
    check_list(more->aliases, more->alias_count);
    /* codes joined by '|', none empty, and each one the mark is in */
    arena_init(&scratch, 4096);
    const char *codes = mark_jurisdictions(r, m, &scratch);
    FUZZ_CHECK(codes);
    for (const char *p = codes; *p; p++)
        FUZZ_CHECK(*p != '|' || (p > codes && p[1] && p[1] != '|'));
    for (const char *p = codes; *p;) {
        size_t len = strcspn(p, "|");
        char *code = arena_alloc_text(&scratch, len + 1);
        FUZZ_CHECK(code);
        memcpy(code, p, len);
        code[len] = '\0';
        FUZZ_CHECK(mark_in_jurisdiction(r, m, code));
        p += len + (p[len] == '|');
    }
    arena_release(&scratch);
    check_list(more->generic_senses, more->generic_count);
    check_list(more->context, more->context_count);
}

static void check_diags(const struct diag_list *diags, const char *file)
{
    size_t errors = 0;
    for (size_t i = 0; i < diags->items.count; i++) {
        const ipr_diag *d = vec_at(&diags->items, i);
        FUZZ_CHECK(d->file && strcmp(d->file, file) == 0);
        FUZZ_CHECK(d->line >= 1);
        FUZZ_CHECK(d->message && d->message[0]);
        FUZZ_CHECK(fuzz_utf8_valid(d->message, strlen(d->message)));
        errors += d->level == IPR_DIAG_ERROR;
    }
    FUZZ_CHECK(errors == diags->error_count);
}

/* Builds the mark set, which keeps most names as their spellings: every
 * mark's name and owner read the same before and after. */
static void compile_marks(struct registry *reg, const char *file)
{
    struct normalizer *norm = NULL;
    if (normalizer_new(&norm) != IPR_OK)
        return;
    struct arena arena;
    arena_init(&arena, 16u * 1024u);
    const char **names = arena_calloc(&arena, reg->mark_count * 2, sizeof(char *));
    for (size_t i = 0; names && i < reg->mark_count; i++) {
        const struct mark_def *m = registry_mark(reg, i);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        names[2 * i] = arena_strdup(&arena, mark_name(reg, m, spelled));
        names[2 * i + 1] = mark_owner(reg, m, &arena);
        if (!names[2 * i] || !names[2 * i + 1])
            names = NULL;
    }
    struct markset ms;
    char *words = malloc(sizeof(word_list)); /* the set takes it */
    if (words)
        memcpy(words, word_list, sizeof(word_list));
    ipr_status st =
        markset_build(&ms, reg, words, words ? sizeof(word_list) - 1 : 0, 0, 1, norm, &arena);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM);
    if (st == IPR_OK)
        FUZZ_CHECK(ms.mark_count == reg->mark_count);
    for (size_t i = 0; st == IPR_OK && names && i < reg->mark_count; i++) {
        const struct mark_def *m = registry_mark(reg, i);
        check_mark(reg, m, file);
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        FUZZ_CHECK(strcmp(mark_name(reg, m, spelled), names[2 * i]) == 0);
        const char *owner = mark_owner(reg, m, &arena);
        FUZZ_CHECK(owner && strcmp(owner, names[2 * i + 1]) == 0);
    }
    markset_release(&ms);
    arena_release(&arena);
    normalizer_free(norm);
}

/* Do marks a of ra and b of rb list the same jurisdictions? */
static bool same_codes(const struct registry *ra, const struct mark_def *a,
                       const struct registry *rb, const struct mark_def *b)
{
    struct arena scratch;
    arena_init(&scratch, 4096);
    const char *x = mark_jurisdictions(ra, a, &scratch), *y = mark_jurisdictions(rb, b, &scratch);
    bool same = x && y && strcmp(x, y) == 0;
    arena_release(&scratch);
    return same;
}

/* The file read twice into one registry, and read into two joined by
 * registry_append (what loading on several threads does): the same
 * marks, names, owners and lists, and the same bytes of text. */
static void check_append(const char *file, const char *text, size_t len)
{
    struct registry twice, first, second;
    struct arena arena;
    struct diag_list diags;
    registry_init(&twice);
    registry_init(&first);
    registry_init(&second);
    arena_init(&arena, 16u * 1024u);
    diag_list_init(&diags);
    bool loaded = registry_load_marks(&twice, &arena, &diags, file, text, len) != IPR_ENOMEM &&
                  registry_load_marks(&twice, &arena, &diags, file, text, len) != IPR_ENOMEM &&
                  registry_load_marks(&first, &arena, &diags, file, text, len) != IPR_ENOMEM &&
                  registry_load_marks(&second, &arena, &diags, file, text, len) != IPR_ENOMEM;
    if (loaded && registry_append(&first, &second) == IPR_OK) {
        FUZZ_CHECK(first.mark_count == twice.mark_count);
        FUZZ_CHECK(first.text.len == twice.text.len && first.shared.len == twice.shared.len);
        FUZZ_CHECK(!first.text.len ||
                   memcmp(first.text.data, twice.text.data, first.text.len) == 0);
        FUZZ_CHECK(!first.shared.len ||
                   memcmp(first.shared.data, twice.shared.data, first.shared.len) == 0);
        for (size_t i = 0; i < first.mark_count; i++) {
            const struct mark_def *a = registry_mark(&first, i), *b = registry_mark(&twice, i);
            FUZZ_CHECK(a->name == b->name && a->owner == b->owner &&
                       same_codes(&first, a, &twice, b) && a->profile == b->profile &&
                       mark_profile(&first, a) == mark_profile(&twice, b));
            struct mark_more ma = mark_more_of(&first, a), mb = mark_more_of(&twice, b);
            FUZZ_CHECK(ma.alias_count == mb.alias_count);
            for (uint32_t k = 0; k < ma.alias_count; k++)
                FUZZ_CHECK(strcmp(ma.aliases[k], mb.aliases[k]) == 0);
        }
    }
    diag_list_release(&diags);
    registry_release(&twice);
    registry_release(&first);
    registry_release(&second);
    arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool csv = data[0] & 1, auths = data[0] & 2;
    const char *file = csv ? (auths ? "fuzz-auth.csv" : "fuzz-marks.csv")
                           : (auths ? "fuzz-auth.yaml" : "fuzz-marks.yaml");
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    struct registry reg;
    struct arena arena;
    struct diag_list diags;
    registry_init(&reg);
    arena_init(&arena, 16u * 1024u);
    diag_list_init(&diags);
    ipr_status st = auths ? registry_load_authorizations(&reg, &arena, &diags, file, text, len)
                          : registry_load_marks(&reg, &arena, &diags, file, text, len);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ERULES || st == IPR_ENOMEM || st == IPR_EUNSUPPORTED);
    check_diags(&diags, file);
    if (st == IPR_OK)
        FUZZ_CHECK(diags.error_count == 0);
    if (st == IPR_ERULES)
        FUZZ_CHECK(diags.error_count > 0);
    for (size_t i = 0; i < reg.mark_count; i++)
        check_mark(&reg, registry_mark(&reg, i), file);
    for (size_t i = 0; i < reg.authorizations.count; i++) {
        const struct authorization *a = vec_at(&reg.authorizations, i);
        FUZZ_CHECK(a->id && a->seller_id && a->seller_id[0] && a->brand && a->brand[0]);
        check_list(a->territories, a->territory_count);
    }
    if (!auths && (data[0] & 4) && reg.mark_count)
        check_append(file, text, len);
    if (st == IPR_OK && reg.mark_count)
        compile_marks(&reg, file);
    diag_list_release(&diags);
    registry_release(&reg);
    arena_release(&arena);
    return 0;
}
