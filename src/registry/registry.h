/*
 * registry.h - trademark registries, Nice class vocabulary and seller
 * authorizations, as loaded from YAML or CSV (before compilation).
 *
 * This stage sits beside rules/: it turns data files into plain structs with
 * source positions and reports every problem as a diagnostic.  compile/
 * builds the matching dictionary from these structs; match/ checks
 * authorizations against records.  All memory lives in the arena given to
 * the loaders.
 */
#ifndef IPR_REGISTRY_REGISTRY_H
#define IPR_REGISTRY_REGISTRY_H

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/buf.h"
#include "../base/vec.h"

enum mark_kind { MARK_BRAND = 0, MARK_CHARACTER = 1, MARK_EVENT = 2 };
enum mark_status { MARK_REGISTERED = 0, MARK_PENDING = 1, MARK_EXPIRED = 2 };

/* Where a mark's name is kept.  Most names are their normalized spelling
 * (which the mark set keeps to match it) with the case of its letters
 * put back in one of three ways; such a name is not kept a second time
 * (markset_build).  Every other name stays in the registry's text. */
enum mark_case {
    MARK_CASE_KEPT = 0,  /* in registry.text */
    MARK_CASE_LOWER = 1, /* the spelling as it is: "adidas" */
    MARK_CASE_UPPER = 2, /* every letter upper case: "IKEA" */
    MARK_CASE_TITLE = 3  /* a letter after anything but a letter upper case: "Ray-Ban" */
};

/* Bytes of the longest name that may be kept as its spelling (a
 * name_case other than MARK_CASE_KEPT): callers of mark_name give a
 * buffer of one more. */
#define MARK_SPELLED_NAME_MAX 64
_Static_assert(MARK_EVENT < 4 && MARK_EXPIRED < 4 && MARK_CASE_TITLE < 4,
               "mark_def keeps kind, status and name_case in 2 bits");

/* What few marks have: other spellings, the words of an ordinary sense and
 * of the trademark sense, a reference price.  A view (mark_more_of) of
 * what the registry keeps more tightly (struct mark_more_record). */
struct mark_more {
    const char **aliases;        /* other spellings and scripts */
    const char **generic_senses; /* words of the ordinary sense: the mark is a common word */
    const char **context;        /* words that confirm the trademark sense */
    const char *currency;        /* ISO 4217, "" when none */
    /* the senses' words normalized for matching: set when the registry is
     * compiled (markset_build), NULL before and when there are none */
    const struct mark_senses *senses;
    double reference_price;
    uint32_t alias_count, generic_count, context_count;
    bool has_reference_price;
};

struct mark_senses;

/* How a mark's owner is kept (mark_def.owner): most owners' names start
 * with the mark's name ("Acme Corp." of Acme) or with its first word
 * ("Loneav Trading S.A." of Loneav Tokyo), and then only the rest is kept,
 * which the marks of a registry share among a few forms of company
 * (" Corp.", " Trading S.A."). */
enum owner_kept {
    OWNER_WHOLE = 0,           /* the whole name */
    OWNER_AFTER_NAME = 1,      /* what follows the mark's name */
    OWNER_AFTER_FIRST_WORD = 2 /* what follows the first word of the mark's name */
};

/* What a mark is beyond its strings, in one word kept once however many
 * marks share it (registry.profiles; the benchmark's 100,000 marks have
 * 2,400 of them): bit c for Nice class c (1 to 45), then its kind, status,
 * flags and how its owner is kept. */
#define PROFILE_CLASSES      ((1ull << 46) - 2)
#define PROFILE_KIND_SHIFT   46 /* enum mark_kind */
#define PROFILE_STATUS_SHIFT 48 /* enum mark_status */
/* count only with a confirming word, even without ordinary senses */
#define PROFILE_CONTEXT_REQUIRED (1ull << 50)
/* aliases, senses or a price: a record in registry.mores holds them
 * (mark_more_of) */
#define PROFILE_HAS_MORE    (1ull << 51)
#define PROFILE_OWNER_SHIFT 52 /* enum owner_kept */

/* Marks all the registries one ruleset loads hold at most; more is
 * IPR_ELIMIT.  The number of a mark's profile fits as many. */
#define REGISTRY_MAX_MARKS ((1u << 28) - 1)

/* One trademark.  A registry holds many (100,000 and more), so a mark is
 * 16 bytes: the number of its profile (classes, kind, status, flags) and
 * where its name is in one word, and offsets, not pointers, for its name
 * (registry.text, or the mark set's spellings), its owner's name and its
 * jurisdictions (registry.shared).  What few marks have (aliases, senses,
 * a price) is in a record that such a mark finds where the others keep
 * their jurisdictions (mark_more_record): a number in every mark for it
 * was 4 bytes a mark, a pointer 8, a table of its own beside this one 32.
 * Where in its file a mark was written matters only while the file is
 * read (diagnostics), and is not kept. */
struct mark_def {
    uint32_t profile : 28;    /* index in registry.profiles (mark_profile) */
    uint32_t name_case : 2;   /* enum mark_case: where `name` points */
    uint32_t common_word : 1; /* an ordinary word (dictionary) or context_required:
                                 counts only when the text confirms the brand sense
                                 (markset_build) */
    uint32_t name;            /* the canonical spelling, in registry.text (MARK_CASE_KEPT)
                                 or as a spelling in registry.spelled: mark_name */
    uint32_t owner;           /* the owner's name, or what follows the part of the
                                 mark's name it starts with (mark_owner_kept), in
                                 registry.shared: read it with mark_owner */
    uint32_t jurisdictions;   /* ISO codes, EU, WO, joined by '|' ("US|EU|CN"; "" for
                                 none), as kept (JURISDICTIONS_TEXT) in registry.shared:
                                 mark_jurisdictions; for a mark with PROFILE_HAS_MORE,
                                 where its record is in registry.mores, which holds
                                 them instead */
};

struct registry;

/* The profile of mark m of registry r (PROFILE_*). */
static inline uint64_t mark_profile(const struct registry *r, const struct mark_def *m);

/* The mark's Nice classes: bit c set for class c (1 to 45). */
static inline uint64_t mark_classes(const struct registry *r, const struct mark_def *m)
{
    return mark_profile(r, m) & PROFILE_CLASSES;
}

static inline enum mark_kind mark_kind_of(const struct registry *r, const struct mark_def *m)
{
    return (enum mark_kind)(mark_profile(r, m) >> PROFILE_KIND_SHIFT & 3);
}

static inline enum mark_status mark_status_of(const struct registry *r, const struct mark_def *m)
{
    return (enum mark_status)(mark_profile(r, m) >> PROFILE_STATUS_SHIFT & 3);
}

/* Does the mark count only with a confirming word, even without ordinary
 * senses? */
static inline bool mark_context_required(const struct registry *r, const struct mark_def *m)
{
    return (mark_profile(r, m) & PROFILE_CONTEXT_REQUIRED) != 0;
}

/* Has the mark aliases, senses or a price (mark_more_of)? */
static inline bool mark_has_more(const struct registry *r, const struct mark_def *m)
{
    return (mark_profile(r, m) & PROFILE_HAS_MORE) != 0;
}

static inline enum owner_kept mark_owner_kept(const struct registry *r, const struct mark_def *m)
{
    return (enum owner_kept)(mark_profile(r, m) >> PROFILE_OWNER_SHIFT & 3);
}

const char *mark_status_name(enum mark_status status);

/* The name of mark m of registry r: in the registry's text, or written
 * into buf from its spelling (name_case). */
const char *mark_name(const struct registry *r, const struct mark_def *m,
                      char buf[MARK_SPELLED_NAME_MAX + 1]);

/* The way (enum mark_case) a name of n bytes is its spelling (as long)
 * with its letters' case put back; MARK_CASE_KEPT when none is, or when
 * it is longer than MARK_SPELLED_NAME_MAX. */
enum mark_case mark_case_of(const char *name, const char *spelling, size_t n);

/* The spelling of n bytes (at most MARK_SPELLED_NAME_MAX) with the case
 * of its letters put back, into out (n bytes and a NUL). */
void mark_case_put_back(const char *spelling, size_t n, enum mark_case how, char *out);

/* The owner's name of mark m of registry r ("" when none given), written
 * out in arena when the registry keeps only what follows the mark's
 * spelling; NULL when out of memory. */
const char *mark_owner(const struct registry *r, const struct mark_def *m, struct arena *arena);

/* The jurisdictions of mark m of registry r: "US|EU|CN", "" for none;
 * written out in arena, NULL when out of memory. */
const char *mark_jurisdictions(const struct registry *r, const struct mark_def *m,
                               struct arena *arena);

/* A list of jurisdiction codes as the registry keeps it (jurisdictions.c):
 * a byte a code of its table (the ISO 3166-1 alpha-2 codes, EU, WO), or
 * this byte and the codes' text joined by '|', NUL-terminated. */
#define JURISDICTIONS_TEXT 0xFFu

/* Which byte a code of two capital letters takes (0: none), made once for
 * many lists. */
struct jurisdictions_map {
    unsigned char byte[26 * 26];
};

void jurisdictions_map_init(struct jurisdictions_map *map);

/* A list being made a code at a time, as kept: a byte a code while each
 * has one, its text once one has not (then kept after JURISDICTIONS_TEXT).
 * The map must outlive it. */
struct jurisdictions_list {
    const struct jurisdictions_map *map;
    struct buf kept; /* after jurisdictions_list_done: the list as kept, no NUL
                        counted (len 0: no codes) */
    struct buf text; /* the codes joined by '|', once one has no byte */
    bool coded;      /* every code so far has its byte */
};

void jurisdictions_list_init(struct jurisdictions_list *list, const struct jurisdictions_map *map);
void jurisdictions_list_release(struct jurisdictions_list *list);

/* Empties the list for the next one. */
void jurisdictions_list_clear(struct jurisdictions_list *list);

/* Adds the code of len bytes at code (len > 0).  IPR_ENOMEM. */
ipr_status jurisdictions_list_add(struct jurisdictions_list *list, const char *code, size_t len);

/* Makes list->kept the list as kept.  IPR_ENOMEM. */
ipr_status jurisdictions_list_done(struct jurisdictions_list *list);

/* The length of the text of a list as kept ("US|EU": 5). */
size_t jurisdictions_text_len(const char *kept);

/* The text of a list as kept, jurisdictions_text_len bytes and a NUL. */
void jurisdictions_text(const char *kept, char *out);

/* Does the list as kept hold the code (exactly, as written)? */
bool jurisdictions_have(const char *kept, const char *code);

/* Does the mark list the jurisdiction code (exactly, as written)? */
bool mark_in_jurisdiction(const struct registry *r, const struct mark_def *m, const char *code);

/* Listing words that indicate goods of one Nice class. */
struct class_vocab {
    unsigned cls;
    const char *title;
    const char **words;
    size_t word_count;
};

/* A seller's right to use a brand. */
struct authorization {
    const char *id; /* document reference, e.g. AUTH-2025-001 */
    const char *seller_id;
    const char *brand;
    const char **territories; /* ISO codes; "*" or empty: everywhere */
    size_t territory_count;
    const char *valid_from; /* YYYY-MM-DD, "" when open */
    const char *valid_to;   /* YYYY-MM-DD, "" when open */
    const char *file;
    uint32_t line;
};

/* Marks are kept in blocks of this many, each allocated as the last one
 * fills: a mark never moves once its registry is complete (matching holds
 * its address), and no pointer per mark finds it (a vector of them was 8
 * bytes a mark more).  Not in the arena the registry is loaded with: its
 * blocks are huge pages, of which a last one only partly filled is
 * resident whole, and 100,000 marks' 1.6 MB of blocks there left the
 * ruleset's peak 0.5 MB higher with transparent huge pages, and a scan on
 * two threads 2.7 MB higher, than in blocks of their own. */
#define REGISTRY_MARK_BLOCK 1024u

/* Everything loaded: the marks, and vectors of the other structs above. */
struct registry {
    struct vec mark_blocks; /* struct mark_def *, owned: block k holds marks
                               k * REGISTRY_MARK_BLOCK on */
    size_t mark_count;
    /* the marks' names as loaded, NUL-terminated; after markset_build only
     * those not read from their spelling (MARK_CASE_KEPT); offset 0 is "" */
    struct buf text;
    /* the owners' names and the jurisdiction lists, NUL-terminated, each
     * kept once however many marks of all the files loaded name it (kept
     * once a file, they were 4 bytes a mark more of 100,000 in four
     * files); offset 0 is "" */
    struct buf shared;
    /* while files are loaded (registry_loaded drops it): shared's strings
     * by their strmap_hash, open addressing, an offset a slot (0: empty),
     * at most half full; no copy of a key (a string map's copies and
     * 16-byte slots stayed resident as 1.7 MB of 100,000 marks' peak) */
    uint32_t *shared_slots; /* owned; NULL: not made yet */
    size_t shared_cap, shared_count;
    /* the names kept as spellings (name_case): the mark set's spellings,
     * NUL-terminated, set by markset_build; NULL before */
    const char *spelled;
    struct vec profiles; /* uint64_t: every profile (PROFILE_*) the marks have, once */
    /* while files are loaded (registry_loaded drops it): the profiles by
     * their hash, open addressing, an index + 1 a slot (0: empty), at most
     * half full */
    uint32_t *profile_slots; /* owned; NULL: not made yet */
    size_t profile_cap;
    /* what few marks have (PROFILE_HAS_MORE): a struct mark_more_record
     * each, at a multiple of 8 bytes; offset 0 is none */
    struct buf mores;
    struct vec classes;        /* struct class_vocab */
    struct vec authorizations; /* struct authorization */
};

static inline uint64_t mark_profile(const struct registry *r, const struct mark_def *m)
{
    return ((const uint64_t *)r->profiles.items)[m->profile];
}

/* What a mark with PROFILE_HAS_MORE keeps in registry.mores: this, then
 * what it has of a price (double) and a currency (const char *), then
 * (sensed) the senses markset_build sets (const struct mark_senses *),
 * then the pointers to its aliases, ordinary-sense words and context
 * words.  A mark with one alias takes 24 bytes, where a struct mark_more
 * and an array took 72 (4 bytes a mark of the benchmark's registry, where
 * one mark in eleven has an alias); the mark finds it by the field that
 * holds the other marks' jurisdictions, which the record keeps instead (a
 * number written before the mark's name, as before, kept the name from
 * being read from its spelling, and a table of pointers to the records
 * took 8 bytes a record more: 2 bytes a mark of that registry). */
struct mark_more_record {
    /* the mark's, as mark_def.jurisdictions holds them for others; 8-byte
     * aligned: what follows holds doubles and pointers */
    _Alignas(8) uint32_t jurisdictions;
    uint32_t alias_count, context_count;
    uint32_t generic_count : 29; /* MORE_MAX_GENERIC: a file of 16 MiB holds fewer */
    uint32_t priced : 1;         /* a reference price follows */
    uint32_t currency : 1;       /* a currency follows */
    uint32_t sensed : 1;         /* ordinary-sense or context words: a place for their senses */
};

/* Ordinary-sense words a mark has at most (mark_more_record); more is
 * IPR_ELIMIT, which no registry file within IPR_MAX_TERM_FILE_BYTES
 * reaches. */
#define MORE_MAX_GENERIC ((1u << 29) - 1)

/* The record of a mark with PROFILE_HAS_MORE. */
static inline struct mark_more_record *mark_more_record(const struct registry *r,
                                                        const struct mark_def *m)
{
    return (struct mark_more_record *)(void *)(r->mores.data + m->jurisdictions);
}

/* Where a record keeps the senses, or NULL when it has no place for them. */
static inline const struct mark_senses **mark_more_senses_slot(struct mark_more_record *rec)
{
    if (!rec->sensed)
        return NULL;
    char *at = (char *)(rec + 1) + (rec->priced ? sizeof(double) : 0) +
               (rec->currency ? sizeof(const char *) : 0);
    return (const struct mark_senses **)(void *)at;
}

/* The senses markset_build set for mark m; NULL for most marks. */
static inline const struct mark_senses *mark_more_senses(const struct registry *r,
                                                         const struct mark_def *m)
{
    const struct mark_senses **slot =
        mark_has_more(r, m) ? mark_more_senses_slot(mark_more_record(r, m)) : NULL;
    return slot ? *slot : NULL;
}

/* The mark's aliases, senses and price; all empty for most marks. */
struct mark_more mark_more_of(const struct registry *r, const struct mark_def *m);

void registry_init(struct registry *r);
void registry_release(struct registry *r);

/* Drops what only loading more files needs (the index of the shared
 * strings); loading more after it makes the index again. */
void registry_loaded(struct registry *r);

/* Moves everything src holds to the end of dst, as if src's files had
 * been loaded into dst after dst's own, and leaves src empty (released and
 * initialized again).  The marks are copied into dst's blocks; what src's
 * entries point to (aliases, class words, authorizations) stays where it
 * is: in the arena src was loaded with, which must live as long as dst.
 * IPR_ENOMEM,
 * IPR_ELIMIT (text past 4 GiB); dst may then hold part of src.  An owner
 * or a list dst holds already is not kept again. */
ipr_status registry_append(struct registry *dst, struct registry *src);

/* Sets r->spelled, and keeps in the text only the names of the marks
 * whose name_case is MARK_CASE_KEPT (markset_build set the others'); the
 * bytes of the others are given back.  IPR_ENOMEM, and the text as it
 * was. */
ipr_status registry_keep_spelled_names(struct registry *r, const char *spelled);

/* Mark i of the blocks, in the order the registries were loaded. */
static inline struct mark_def *mark_in_blocks(struct mark_def *const *blocks, size_t i)
{
    return &blocks[i / REGISTRY_MARK_BLOCK][i % REGISTRY_MARK_BLOCK];
}

/* Mark i (< r->mark_count), in the order the registries were loaded. */
static inline const struct mark_def *registry_mark(const struct registry *r, size_t i)
{
    return mark_in_blocks(r->mark_blocks.items, i);
}

/* Loads a trademark registry: YAML (`registry:`, `marks:`) or CSV (columns
 * mark, aliases, owner, classes, jurisdictions, status, kind,
 * reference_price, currency, generic_senses, context; lists separated by
 * '|').  The format follows the extension (.csv / .yaml / .yml).
 * IPR_ERULES when the file had errors (reported), IPR_ENOMEM. */
ipr_status registry_load_marks(struct registry *r, struct arena *arena, struct diag_list *diags,
                               const char *file, const char *text, size_t text_len);

/* Loads the Nice class vocabulary (`classes:` list of {class, title, words}). */
ipr_status registry_load_classes(struct registry *r, struct arena *arena, struct diag_list *diags,
                                 const char *file, const char *text, size_t text_len);

/* Loads authorizations: YAML (`authorizations:` list) or CSV (columns id,
 * seller_id, brand, territories, valid_from, valid_to). */
ipr_status registry_load_authorizations(struct registry *r, struct arena *arena,
                                        struct diag_list *diags, const char *file, const char *text,
                                        size_t text_len);

/* Is date (YYYY-MM-DD) a valid calendar date? */
bool registry_date_valid(const char *date);

#endif
