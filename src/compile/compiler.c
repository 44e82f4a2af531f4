/*
 * compiler.c - rule packs in, immutable ruleset out (ipr_compiler_*).
 *
 * Adding a pack only parses it (rules/) and keeps its AST; all cross-pack
 * checks and compilation happen in ipr_compiler_finish(), so diagnostics of
 * every pack are collected before the run stops.  The compiler's arena
 * becomes the ruleset's arena: the compiled rules point into the AST.
 */
#define _POSIX_C_SOURCE 200809L /* fileno(3), strdup(3) */

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/stat.h>

#include "../base/buf.h"
#include "../base/hugepage.h"
#include "../base/limits.h"
#include "../base/ordered_jobs.h"
#include "../base/sha256.h"
#include "../rules/rule_load.h"
#include "../registry/registry.h"
#include "builtin.h"
#include "compile_rule.h"
#include "lint.h"
#include "ruleset.h"

struct ipr_compiler {
    struct arena arena; /* AST of every pack; handed to the ruleset */
    struct diag_list diags;
    struct vec packs;   /* struct rule_pack * in load order */
    struct sha256 hash; /* over (name, sha256 of text) of every source in load order */
    unsigned stage_mask;
    bool consumed;            /* finish() took the arena */
    struct registry registry; /* marks, classes, authorizations: moves to the ruleset */
    /* the word list is opened when it is set (so a wrong path is reported
     * there) but read only if a mark set is built: a run without marks
     * does not pay for a megabyte it never looks at */
    FILE *word_list;      /* owned; NULL when none */
    char *word_list_path; /* owned; for the message when reading fails */
    char reference_date[11];
    unsigned lint;    /* enum ipr_lint_flags */
    unsigned threads; /* finish may build the mark set on a thread of its own (2 or more) */
    /* the built-in registry was added but not read yet: it counts in the
     * digest at once, and is read by the next registry added, so that it
     * goes first and nothing moves (marks never move once read: a mark set
     * holds their addresses), or else by finish() if a rule looks for
     * marks: a run without a registry of its own or marks to look for does
     * not read it at all */
    bool builtin_marks;
};

ipr_status ipr_compiler_new(ipr_compiler **out)
{
    if (!out)
        return IPR_EINVAL;
    struct ipr_compiler *c = calloc(1, sizeof(*c));
    if (!c)
        return IPR_ENOMEM;
    /* one huge page to start with: the built-in packs alone fill most of
     * it, and in 4 KiB pages it was 400 page faults of every run */
    arena_init(&c->arena, IPR_HUGEPAGE_MIN);
    diag_list_init(&c->diags);
    vec_init(&c->packs, sizeof(struct rule_pack *));
    sha256_init(&c->hash);
    registry_init(&c->registry);
    c->stage_mask = (1u << IPR_STAGE_COUNT) - 1;
    *out = c;
    return IPR_OK;
}

void ipr_compiler_free(ipr_compiler *c)
{
    if (!c)
        return;
    if (!c->consumed)
        arena_release(&c->arena);
    diag_list_release(&c->diags);
    vec_release(&c->packs);
    if (!c->consumed)
        registry_release(&c->registry);
    if (c->word_list)
        fclose(c->word_list);
    free(c->word_list_path);
    free(c);
}

void ipr_compiler_set_lint(ipr_compiler *c, unsigned lint_flags)
{
    if (c)
        c->lint = lint_flags;
}

void ipr_compiler_set_threads(ipr_compiler *c, unsigned threads)
{
    if (c)
        c->threads = threads;
}

void ipr_compiler_set_stages(ipr_compiler *c, unsigned stage_mask)
{
    if (c)
        c->stage_mask = stage_mask;
}

size_t ipr_compiler_diag_count(const ipr_compiler *c)
{
    return c ? diag_count(&c->diags) : 0;
}

const ipr_diag *ipr_compiler_diag(const ipr_compiler *c, size_t index)
{
    if (!c || index >= diag_count(&c->diags))
        return NULL;
    return diag_get(&c->diags, index);
}

size_t ipr_compiler_error_count(const ipr_compiler *c)
{
    return c ? c->diags.error_count : 0;
}

/* ---- reading files a pack refers to ---------------------------------------- */

/* Reads all of f (at most max_len bytes, else IPR_ELIMIT) into a
 * NUL-terminated buffer the caller frees. */
static ipr_status read_whole_stream(FILE *f, size_t max_len, char **data, size_t *len)
{
    struct buf b;
    buf_init(&b, max_len);
    ipr_status st = IPR_OK;
    /* A file that says its size is read into one buffer of that size: no
     * copy on growth (a 100,000-mark registry is several megabytes).  A pipe
     * grows the buffer as it goes. */
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (fseek(f, 0, SEEK_SET) != 0)
        size = -1;
    if (size > 0 && (unsigned long)size < max_len)
        st = buf_reserve(&b, (size_t)size + 1); /* + 1: the end-of-file read */
    while (st == IPR_OK) {
        size_t room = b.max_len - b.len;
        if (room == 0) {
            if (fgetc(f) != EOF)
                st = IPR_ELIMIT;
            break;
        }
        if (b.cap <= b.len + 1) /* full (or not yet allocated) */
            st = buf_reserve(&b, room < 65536 ? room : 65536);
        size_t want = b.cap - b.len - 1;
        size_t n = st == IPR_OK ? fread(b.data + b.len, 1, want < room ? want : room, f) : 0;
        if (n == 0)
            break;
        b.len += n;
        b.data[b.len] = '\0';
    }
    if (st == IPR_OK && ferror(f))
        st = IPR_EIO;
    if (st != IPR_OK) {
        buf_release(&b);
        return st;
    }
    *len = b.len;
    *data = b.data ? buf_detach(&b) : calloc(1, 1);
    return *data ? IPR_OK : IPR_ENOMEM;
}

/* A text in huge pages kept for the next file to be read into: fresh
 * pages are zeroed by the kernel before the file is copied over them,
 * 4 MB for each registry of 25,000 marks (2.5 % of loading four of them
 * on two threads went to that). */
struct text_spare {
    char *text; /* NULL: none */
    size_t alloc;
};

static void spare_release(struct text_spare *spare)
{
    hugepage_free(spare->text, spare->alloc);
    *spare = (struct text_spare){NULL, 0};
}

/* Keeps a text read with read_file as the spare, or frees it: a text in
 * huge pages larger than the spare replaces it. */
static void spare_keep(struct text_spare *spare, char *text, size_t alloc)
{
    if (alloc >= IPR_HUGEPAGE_MIN && alloc > spare->alloc) {
        spare_release(spare);
        *spare = (struct text_spare){text, alloc};
    } else {
        hugepage_free(text, alloc);
    }
}

/* Reads all of f, as read_whole_stream, but a file of a known size over
 * 256 KB (the system word list is 1 MB, a registry of 25,000 marks 2 MB)
 * goes into huge pages (hugepage_alloc): one page fault for each 2 MiB
 * instead of 512; into the spare when there is one large enough (spare
 * may be NULL).  *alloc is the length to give hugepage_free (0: the text
 * was malloc'd, and hugepage_free frees that too). */
static ipr_status read_stream_huge(FILE *f, size_t max_len, struct text_spare *spare, char **data,
                                   size_t *len, size_t *alloc)
{
    struct stat sb;
    *alloc = 0;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < 256 * 1024 ||
        (unsigned long long)sb.st_size >= max_len)
        return read_whole_stream(f, max_len, data, len);
    size_t size = (size_t)sb.st_size;
    size_t want = size + 1 < IPR_HUGEPAGE_MIN ? IPR_HUGEPAGE_MIN : size + 1;
    char *text;
    if (spare && spare->text && spare->alloc >= want) {
        text = spare->text;
        *alloc = spare->alloc;
        *spare = (struct text_spare){NULL, 0};
    } else {
        text = hugepage_alloc(want, alloc);
    }
    if (!text)
        return IPR_ENOMEM;
    /* the file may have changed since fstat: read what there is, up to
     * the room there is, and refuse a file that outgrew it */
    size_t n = 0, got;
    while (n < *alloc - 1 && (got = fread(text + n, 1, *alloc - 1 - n, f)) > 0)
        n += got;
    ipr_status st = ferror(f) ? IPR_EIO : IPR_OK;
    if (st == IPR_OK && n == *alloc - 1 && fgetc(f) != EOF)
        st = IPR_ELIMIT;
    if (st != IPR_OK) {
        hugepage_free(text, *alloc);
        *alloc = 0;
        return st;
    }
    text[n] = '\0';
    *data = text;
    *len = n;
    return IPR_OK;
}

/* Opens path and reads it with read_stream_huge (alloc not NULL; into
 * spare if it fits) or read_whole_stream; errno stays what the open or
 * the read left. */
static ipr_status read_file(const char *path, size_t max_len, struct text_spare *spare, char **data,
                            size_t *len, size_t *alloc)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return IPR_EIO;
    ipr_status st = alloc ? read_stream_huge(f, max_len, spare, data, len, alloc)
                          : read_whole_stream(f, max_len, data, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return st;
}

/* The whole file at path in a malloc'd buffer. */
static ipr_status read_whole_file(const char *path, size_t max_len, char **data, size_t *len)
{
    return read_file(path, max_len, NULL, data, len, NULL);
}

static const struct builtin_file *builtin_lookup(const char *name)
{
    for (const struct builtin_file *f = builtin_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* Resolves rel_path against the folder of pack_file (built-in or on disk). */
static ipr_status read_pack_file(void *user, const char *pack_file, const char *rel_path,
                                 char **data, size_t *len)
{
    (void)user;
    const char *slash = strrchr(pack_file, '/');
    size_t dir_len = slash ? (size_t)(slash - pack_file) + 1 : 0;
    if (rel_path[0] == '/' || strstr(rel_path, ".."))
        return IPR_EINVAL; /* a pack may only read files beside or below it */
    struct buf path;
    buf_init(&path, 4096);
    ipr_status st = buf_append(&path, pack_file, dir_len);
    if (st == IPR_OK)
        st = buf_append_str(&path, rel_path);
    if (st == IPR_OK) {
        if (strncmp(pack_file, "builtin:", 8) == 0) {
            const struct builtin_file *f = builtin_lookup(buf_str(&path));
            if (!f) {
                st = IPR_EIO;
            } else {
                *data = malloc(f->len + 1);
                if (!*data) {
                    st = IPR_ENOMEM;
                } else {
                    memcpy(*data, f->data, f->len + 1);
                    *len = f->len;
                }
            }
        } else {
            st = read_whole_file(buf_str(&path), IPR_MAX_TERM_FILE_BYTES, data, len);
        }
    }
    buf_release(&path);
    return st;
}

/* ---- adding packs --------------------------------------------------------------- */

/* The sha256 of a file's text, as the rules digest takes it. */
static void text_sum(const char *text, size_t len, unsigned char sum[32])
{
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, text, len);
    sha256_final(&h, sum);
}

/* Adds a file to the rules digest: its name with its NUL, then the sha256
 * of its text (text_sum).  Every pack and data file goes in, in the order
 * they are added.  The sum of each text on its own, not the texts one
 * after the other: a registry read on a worker is summed there, and its
 * text is given back before the files ahead of it are joined. */
static void digest_sum(ipr_compiler *c, const char *name, const unsigned char sum[32])
{
    sha256_update(&c->hash, name, strlen(name) + 1);
    sha256_update(&c->hash, sum, 32);
}

static void digest_file(ipr_compiler *c, const char *name, const char *text, size_t len)
{
    unsigned char sum[32];
    text_sum(text, len, sum);
    digest_sum(c, name, sum);
}

ipr_status ipr_compiler_add_string(ipr_compiler *c, const char *name, const char *text,
                                   size_t text_len)
{
    if (!c || !name || (!text && text_len) || c->consumed)
        return IPR_EINVAL;
    const char *file = arena_strdup(&c->arena, name);
    if (!file)
        return IPR_ENOMEM;
    digest_file(c, file, text, text_len);
    struct rule_load_ctx ctx = {&c->arena, &c->diags, read_pack_file, NULL};
    struct rule_pack *pack = NULL;
    ipr_status st = rule_load_pack(&ctx, file, text ? text : "", text_len, &pack);
    if (st != IPR_OK)
        return st;
    struct rule_pack **slot = vec_push(&c->packs);
    if (!slot)
        return IPR_ENOMEM;
    *slot = pack;
    return IPR_OK;
}

static bool is_pack_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* One built-in pack of ipr_compiler_add_builtin: parsed on a worker into
 * an arena and diagnostics of its own, then joined to the compiler's on
 * the calling thread, in order, as ipr_compiler_add_string would have. */
struct pack_job {
    const struct builtin_file *f;
    const char *file; /* f->name, in arena */
    struct arena arena;
    struct diag_list diags;
    struct rule_pack *pack;
    ipr_status status;
};

struct pack_jobs {
    ipr_compiler *c;
    struct pack_job *jobs;
    ipr_status result; /* as ipr_compiler_add_builtin returns it */
};

static void parse_pack_job(void *ctx, size_t i)
{
    struct pack_job *j = &((struct pack_jobs *)ctx)->jobs[i];
    j->file = arena_strdup(&j->arena, j->f->name);
    struct rule_load_ctx load = {&j->arena, &j->diags, read_pack_file, NULL};
    j->status =
        j->file ? rule_load_pack(&load, j->file, j->f->data, j->f->len, &j->pack) : IPR_ENOMEM;
}

static void take_pack_job(void *ctx, size_t i)
{
    struct pack_jobs *all = ctx;
    struct pack_job *j = &all->jobs[i];
    ipr_compiler *c = all->c;
    if (all->result != IPR_ENOMEM) { /* after which add_string would have stopped */
        if (j->file)
            digest_file(c, j->file, j->f->data, j->f->len);
        diag_list_append(&c->diags, &j->diags);
        ipr_status st = j->diags.out_of_memory ? IPR_ENOMEM : j->status;
        struct rule_pack **slot = st == IPR_OK ? vec_push(&c->packs) : NULL;
        if (slot)
            *slot = j->pack;
        else if (st == IPR_OK)
            st = IPR_ENOMEM;
        if (st != IPR_OK)
            all->result = st;
    }
    arena_adopt(&c->arena, &j->arena); /* the pack's AST, or what a failed one left */
    diag_list_release(&j->diags);
}

/* Is f a stage pack?  Only the top level of rules/ holds them; subfolders
 * hold other kinds of data (term lists, registries, profiles). */
static bool is_builtin_pack(const struct builtin_file *f)
{
    static const char prefix[] = "builtin:rules/";
    const char *rest = f->name + sizeof(prefix) - 1;
    return strncmp(f->name, prefix, sizeof(prefix) - 1) == 0 && !strchr(rest, '/') &&
           is_pack_name(rest);
}

ipr_status ipr_compiler_add_builtin(ipr_compiler *c)
{
    if (!c || c->consumed)
        return IPR_EINVAL;
    size_t count = 0;
    for (const struct builtin_file *f = builtin_files; f->name; f++)
        count += is_builtin_pack(f);
    /* with threads to spare, the packs are parsed side by side (libyaml is
     * most of starting up) and joined in order: the same packs, digest and
     * messages as one after the other */
    struct pack_jobs all = {
        c, c->threads >= 2 && count >= 2 ? calloc(count, sizeof(*all.jobs)) : NULL, IPR_OK};
    if (!all.jobs) {
        ipr_status result = IPR_OK;
        for (const struct builtin_file *f = builtin_files; f->name; f++) {
            ipr_status st =
                is_builtin_pack(f) ? ipr_compiler_add_string(c, f->name, f->data, f->len) : IPR_OK;
            if (st == IPR_ENOMEM)
                return st;
            if (st != IPR_OK)
                result = st;
        }
        return result;
    }
    size_t n = 0;
    for (const struct builtin_file *f = builtin_files; f->name; f++) {
        if (!is_builtin_pack(f))
            continue;
        all.jobs[n].f = f;
        arena_init(&all.jobs[n].arena, 64u * 1024u);
        diag_list_init(&all.jobs[n++].diags);
    }
    ordered_jobs_run(count, c->threads, parse_pack_job, take_pack_job, &all);
    free(all.jobs);
    return all.result;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ipr_status add_file(ipr_compiler *c, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    ipr_status st = read_whole_file(path, IPR_YAML_MAX_FILE_BYTES, &text, &len);
    if (st == IPR_ELIMIT) {
        diag_add(&c->diags, IPR_DIAG_ERROR, path, 0, 0,
                 "rule pack is larger than the limit of %u bytes", IPR_YAML_MAX_FILE_BYTES);
        return IPR_ERULES;
    }
    if (st == IPR_EIO) {
        diag_add(&c->diags, IPR_DIAG_ERROR, path, 0, 0, "cannot read rule pack: %s",
                 strerror(errno));
        return IPR_EIO;
    }
    if (st != IPR_OK)
        return st;
    st = ipr_compiler_add_string(c, path, text, len);
    free(text);
    return st;
}

ipr_status ipr_compiler_add_path(ipr_compiler *c, const char *path)
{
    if (!c || !path || c->consumed)
        return IPR_EINVAL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        diag_add(&c->diags, IPR_DIAG_ERROR, path, 0, 0, "cannot open rule pack: %s",
                 strerror(errno));
        return IPR_EIO;
    }
    if (!S_ISDIR(sb.st_mode))
        return add_file(c, path);
    DIR *dir = opendir(path);
    if (!dir) {
        diag_add(&c->diags, IPR_DIAG_ERROR, path, 0, 0, "cannot open folder: %s", strerror(errno));
        return IPR_EIO;
    }
    struct vec names;
    vec_init(&names, sizeof(char *));
    ipr_status result = IPR_OK;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || !is_pack_name(de->d_name))
            continue;
        struct buf full;
        buf_init(&full, 0);
        char **slot = vec_push(&names);
        if (!slot || buf_printf(&full, "%s/%s", path, de->d_name) != IPR_OK) {
            buf_release(&full);
            result = IPR_ENOMEM;
            break;
        }
        *slot = buf_detach(&full);
    }
    closedir(dir);
    if (names.count)
        qsort(names.items, names.count, sizeof(char *), cmp_str);
    for (size_t i = 0; i < names.count; i++) {
        char *name = *(char **)vec_at(&names, i);
        if (result != IPR_ENOMEM) {
            ipr_status st = add_file(c, name);
            if (st != IPR_OK && result == IPR_OK)
                result = st;
        }
        free(name);
    }
    vec_release(&names);
    return result;
}

/* ---- trademark registries and authorizations -------------------------------------- */

enum data_kind { DATA_MARKS, DATA_CLASSES, DATA_AUTHORIZATIONS };

/* Reads one registry, class vocabulary or authorizations file into the
 * compiler's registry (after those read before it). */
static ipr_status load_data(ipr_compiler *c, enum data_kind kind, const char *file,
                            const char *text, size_t len)
{
    switch (kind) {
    case DATA_MARKS:
        return registry_load_marks(&c->registry, &c->arena, &c->diags, file, text, len);
    case DATA_CLASSES:
        return registry_load_classes(&c->registry, &c->arena, &c->diags, file, text, len);
    case DATA_AUTHORIZATIONS:
        return registry_load_authorizations(&c->registry, &c->arena, &c->diags, file, text, len);
    }
    return IPR_EINVAL;
}

static bool packs_use_marks(const ipr_compiler *c);
static ipr_status load_builtin_marks(ipr_compiler *c);

static ipr_status add_data_text(ipr_compiler *c, enum data_kind kind, const char *name,
                                const char *text, size_t len)
{
    const char *file = arena_strdup(&c->arena, name);
    if (!file)
        return IPR_ENOMEM;
    /* registries change findings, so they are part of the rules digest */
    digest_file(c, file, text, len);
    if (c->builtin_marks) {
        /* read the built-in registry now, while it can go first (a rule
         * that looks for marks may come later) */
        ipr_status st = load_builtin_marks(c);
        c->builtin_marks = false;
        if (st == IPR_ENOMEM)
            return st;
    }
    return load_data(c, kind, file, text, len);
}

/* Reports a data file read_file could not read (st, errno err) and
 * returns the status to give for it. */
static ipr_status unreadable_data_file(ipr_compiler *c, enum data_kind kind, const char *path,
                                       ipr_status st, int err)
{
    diag_add(&c->diags, IPR_DIAG_ERROR, path, 0, 0, "cannot read %s: %s",
             kind == DATA_AUTHORIZATIONS ? "authorizations" : "trademark registry",
             st == IPR_ELIMIT ? "file is too large" : strerror(err));
    return st == IPR_ELIMIT ? IPR_ERULES : st;
}

/* Keeps in *result the first failure of several, IPR_ENOMEM before any
 * other. */
static void keep_first_failure(ipr_status *result, ipr_status st)
{
    if (st != IPR_OK && (*result == IPR_OK || st == IPR_ENOMEM))
        *result = st;
}

/* Reads and adds one data file; its text, read into the spare if it fits,
 * becomes the next spare (spare_keep).  spare may be NULL. */
static ipr_status add_data_file_with(ipr_compiler *c, enum data_kind kind, const char *path,
                                     struct text_spare *spare)
{
    if (!c || !path || c->consumed)
        return IPR_EINVAL;
    char *text = NULL;
    size_t len = 0, alloc = 0;
    ipr_status st = read_file(path, IPR_MAX_TERM_FILE_BYTES, spare, &text, &len, &alloc);
    if (st != IPR_OK)
        return unreadable_data_file(c, kind, path, st, errno);
    st = add_data_text(c, kind, path, text, len);
    if (spare)
        spare_keep(spare, text, alloc);
    else
        hugepage_free(text, alloc);
    return st;
}

static ipr_status add_data_file(ipr_compiler *c, enum data_kind kind, const char *path)
{
    return add_data_file_with(c, kind, path, NULL);
}

ipr_status ipr_compiler_add_trademarks(ipr_compiler *c, const char *path)
{
    return add_data_file(c, DATA_MARKS, path);
}

/* One registry file of ipr_compiler_add_trademark_files: read and parsed
 * on a worker thread into a registry, arena and diagnostics of its own,
 * then joined to the compiler's on the calling thread, in order. */
struct mark_file {
    const char *path;
    unsigned char sum[32]; /* of the text (text_sum), which is given back once parsed */
    ipr_status read_status;
    int read_errno;
    const char *file; /* path, in arena */
    struct registry registry;
    struct arena arena; /* what the marks point to: joins the compiler's */
    struct diag_list diags;
    ipr_status status; /* registry_load_marks */
};

struct mark_files {
    ipr_compiler *c;
    struct mark_file *files;
    ipr_status status; /* the first failure; IPR_ENOMEM before any other */
    /* the texts the workers have parsed, for the next files to be read
     * into: one for each worker at the most, as each gives its text back
     * before it takes the next file */
    pthread_mutex_t spares_lock;
    struct text_spare *spares; /* one for each file: never all full */
    size_t count;
};

/* A spare text for a worker to read into, if there is one. */
static struct text_spare take_spare(struct mark_files *all)
{
    struct text_spare spare = {NULL, 0};
    pthread_mutex_lock(&all->spares_lock);
    for (struct text_spare *s = all->spares; s < all->spares + all->count && !spare.text; s++)
        if (s->text) {
            spare = *s;
            *s = (struct text_spare){NULL, 0};
        }
    pthread_mutex_unlock(&all->spares_lock);
    return spare;
}

/* Gives a text back as a spare (spare_keep), in a free place: every file
 * read makes one buffer at the most, and this one is not among them. */
static void give_spare(struct mark_files *all, char *text, size_t alloc)
{
    pthread_mutex_lock(&all->spares_lock);
    struct text_spare *empty = all->spares;
    while (empty->text)
        empty++;
    spare_keep(empty, text, alloc);
    pthread_mutex_unlock(&all->spares_lock);
}

static void read_mark_file(void *ctx, size_t i)
{
    struct mark_files *all = ctx;
    struct mark_file *f = &all->files[i];
    struct text_spare spare = take_spare(all);
    char *text = NULL;
    size_t len = 0, alloc = 0;
    f->read_status = read_file(f->path, IPR_MAX_TERM_FILE_BYTES, &spare, &text, &len, &alloc);
    f->read_errno = errno;
    if (spare.text) /* not used: the file was small, or larger than it */
        give_spare(all, spare.text, spare.alloc);
    if (f->read_status != IPR_OK)
        return;
    text_sum(text, len, f->sum);
    f->file = arena_strdup(&f->arena, f->path);
    f->status = f->file
                    ? registry_load_marks(&f->registry, &f->arena, &f->diags, f->file, text, len)
                    : IPR_ENOMEM;
    give_spare(all, text, alloc);
}

/* What add_data_file does after reading, for a file read on a worker. */
static void take_mark_file(void *ctx, size_t i)
{
    struct mark_files *all = ctx;
    struct mark_file *f = &all->files[i];
    ipr_compiler *c = all->c;
    if (f->read_status != IPR_OK) {
        keep_first_failure(&all->status, unreadable_data_file(c, DATA_MARKS, f->path,
                                                              f->read_status, f->read_errno));
    } else if (f->file) {
        digest_sum(c, f->file, f->sum);
        diag_list_append(&c->diags, &f->diags);
        if (f->diags.out_of_memory)
            keep_first_failure(&all->status, IPR_ENOMEM);
        keep_first_failure(&all->status, f->status);
        keep_first_failure(&all->status, registry_append(&c->registry, &f->registry));
    } else {
        keep_first_failure(&all->status, IPR_ENOMEM);
    }
    arena_adopt(&c->arena, &f->arena);
    registry_release(&f->registry);
    diag_list_release(&f->diags);
}

ipr_status ipr_compiler_add_trademark_files(ipr_compiler *c, const char *const *paths, size_t count,
                                            unsigned threads)
{
    if (!c || (!paths && count) || c->consumed)
        return IPR_EINVAL;
    for (size_t i = 0; i < count; i++)
        if (!paths[i])
            return IPR_EINVAL;
    if (count < 2 || threads < 2) {
        ipr_status result = IPR_OK;
        struct text_spare spare = {NULL, 0};
        for (size_t i = 0; i < count && result != IPR_ENOMEM; i++)
            keep_first_failure(&result, add_data_file_with(c, DATA_MARKS, paths[i], &spare));
        spare_release(&spare);
        return result;
    }
    struct mark_files all = {.c = c,
                             .files = calloc(count, sizeof(struct mark_file)),
                             .status = IPR_OK,
                             .spares_lock = PTHREAD_MUTEX_INITIALIZER,
                             .spares = calloc(count, sizeof(struct text_spare)),
                             .count = count};
    if (!all.files || !all.spares) {
        free(all.files);
        free(all.spares);
        return IPR_ENOMEM;
    }
    if (c->builtin_marks) { /* first, as add_data_text reads it */
        ipr_status st = load_builtin_marks(c);
        c->builtin_marks = false;
        if (st == IPR_ENOMEM) {
            free(all.files);
            free(all.spares);
            return st;
        }
    }
    for (size_t i = 0; i < count; i++) {
        struct mark_file *f = &all.files[i];
        f->path = paths[i];
        registry_init(&f->registry);
        arena_init(&f->arena, 64u * 1024u);
        diag_list_init(&f->diags);
    }
    ordered_jobs_run(count, threads, read_mark_file, take_mark_file, &all);
    free(all.files);
    for (size_t i = 0; i < count; i++)
        spare_release(&all.spares[i]);
    free(all.spares);
#ifdef __GLIBC__
    /* what the workers freed (their files' texts and tables) sits in malloc
     * arenas of their own, which this thread never allocates from: given
     * back now, the mark set built next does not raise the peak above it
     * (100,000 marks on two threads: 27.6 MB peak without, 26.1 with, 25.6
     * on one) */
    malloc_trim(0);
#endif
    return all.status;
}

ipr_status ipr_compiler_add_authorizations(ipr_compiler *c, const char *path)
{
    return add_data_file(c, DATA_AUTHORIZATIONS, path);
}

/* The built-in registry's files (rules/trademarks/), in table order, with
 * their kind; false when f is none of them. */
static bool builtin_data_kind(const struct builtin_file *f, enum data_kind *kind)
{
    static const char prefix[] = "builtin:rules/trademarks/";
    if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0)
        return false;
    const char *rest = f->name + sizeof(prefix) - 1;
    size_t n = strlen(rest);
    bool is_csv = n > 4 && strcmp(rest + n - 4, ".csv") == 0;
    if (!is_pack_name(rest) && !is_csv)
        return false;
    *kind = strncmp(rest, "nice_classes.", 13) == 0 ? DATA_CLASSES : DATA_MARKS;
    return true;
}

ipr_status ipr_compiler_add_builtin_trademarks(ipr_compiler *c)
{
    if (!c || c->consumed)
        return IPR_EINVAL;
    /* the digest is taken now, in the order of the calls; reading waits
     * until a rule is known to look for marks (see builtin_marks) */
    enum data_kind kind;
    for (const struct builtin_file *f = builtin_files; f->name; f++) {
        if (!builtin_data_kind(f, &kind))
            continue;
        digest_file(c, f->name, f->data, f->len);
    }
    c->builtin_marks = true;
    return IPR_OK;
}

/* Reads the built-in registry after the entries added before it: where
 * it was added (see builtin_marks). */
static ipr_status load_builtin_marks(ipr_compiler *c)
{
    ipr_status result = IPR_OK;
    enum data_kind kind;
    for (const struct builtin_file *f = builtin_files; f->name; f++) {
        if (!builtin_data_kind(f, &kind))
            continue;
        ipr_status st = load_data(c, kind, f->name, f->data, f->len);
        if (st != IPR_OK && result == IPR_OK)
            result = st;
    }
    return result;
}

ipr_status ipr_compiler_set_word_list(ipr_compiler *c, const char *path)
{
    if (!c || !path || c->consumed)
        return IPR_EINVAL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return IPR_EIO;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || S_ISDIR(sb.st_mode)) {
        fclose(f);
        return IPR_EIO;
    }
    if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > IPR_WORD_LIST_MAX_BYTES) {
        fclose(f);
        return IPR_ELIMIT;
    }
    char *copy = strdup(path);
    if (!copy) {
        fclose(f);
        return IPR_ENOMEM;
    }
    if (c->word_list)
        fclose(c->word_list);
    free(c->word_list_path);
    c->word_list = f;
    c->word_list_path = copy;
    return IPR_OK;
}

ipr_status ipr_compiler_set_reference_date(ipr_compiler *c, const char *date)
{
    if (!c || !date || !registry_date_valid(date))
        return IPR_EINVAL;
    memcpy(c->reference_date, date, 11);
    return IPR_OK;
}

/* ---- finishing -------------------------------------------------------------------- */

static bool cond_uses_marks(const struct cond *c)
{
    if (!c)
        return false;
    switch (c->kind) {
    case COND_MARK:
        return true;
    case COND_ALL:
    case COND_ANY:
        for (size_t i = 0; i < c->u.list.count; i++)
            if (cond_uses_marks(c->u.list.items[i]))
                return true;
        return false;
    case COND_NOT:
        return cond_uses_marks(c->u.child);
    case COND_NEAR:
        return cond_uses_marks(c->u.near.first) || cond_uses_marks(c->u.near.second);
    default:
        return false;
    }
}

/* Does any rule look for trademarks?  Without one the registry is kept
 * (authorizations, rule listings) but not compiled for matching. */
static bool packs_use_marks(const ipr_compiler *c)
{
    for (size_t p = 0; p < c->packs.count; p++) {
        const struct rule_pack *pack = *(struct rule_pack *const *)vec_at(&c->packs, p);
        for (size_t r = 0; r < pack->rule_count; r++) {
            const struct rule *rule = &pack->rules[r];
            if (cond_uses_marks(rule->match))
                return true;
            for (size_t u = 0; u < rule->unless_count; u++)
                if (cond_uses_marks(rule->unless[u]))
                    return true;
        }
    }
    return false;
}

/* What building the mark set takes and gives: on the calling thread, or
 * on one of its own while the rules compile (build_beside). */
struct mark_build {
    struct markset *ms;
    struct registry *reg;
    char *words; /* the word list, which the mark set takes over; NULL: none */
    size_t words_len, words_alloc;
    struct arena *arena; /* where the marks' senses and class words go */
    unsigned threads;    /* the set may use this many (markset_build) */
    ipr_status status;
};

static void *build_marks(void *arg)
{
    struct mark_build *mb = arg;
    struct normalizer *norm = NULL;
    mb->status = normalizer_new(&norm);
    if (mb->status == IPR_OK)
        mb->status = markset_build(mb->ms, mb->reg, mb->words, mb->words_len, mb->words_alloc,
                                   mb->threads, norm, mb->arena);
    else
        hugepage_free(mb->words, mb->words_alloc); /* the mark set did not take it over */
    normalizer_free(norm);
    return NULL;
}

/* Compiles the packs into rs, then its prefilter and gates; the packs'
 * diagnostics go to diags (the compiler's, or a list of their own while
 * the mark set is built beside them). */
static ipr_status compile_rules(ipr_compiler *c, struct ipr_ruleset *rs, struct diag_list *diags)
{
    ipr_status st = compile_packs(rs, (struct rule_pack *const *)c->packs.items, c->packs.count,
                                  c->stage_mask, diags);
    if (st == IPR_OK && (c->diags.error_count > 0 || diags->error_count > 0))
        st = IPR_ERULES;
    if (st == IPR_OK)
        st = prefilter_build(rs);
    if (st == IPR_OK)
        st = gate_build(rs);
    return st;
}

/* Builds the mark set, then the rules; with two threads or more, the mark
 * set on a thread of its own while this one compiles the rules: they share
 * nothing but what neither changes (the gates only ask whether there is a
 * mark set), and the set's senses go to an arena of their own, joined to
 * the ruleset's after.  The outcome is the same either way: when the mark
 * set fails, the rules' diagnostics are dropped, as one thread never gets
 * to them. */
static ipr_status build_beside(ipr_compiler *c, struct ipr_ruleset *rs, struct mark_build *mb)
{
    if (c->threads >= 2) {
        pthread_t thread;
        struct arena own;
        arena_init(&own, 64u * 1024u);
        mb->arena = &own;
        if (pthread_create(&thread, NULL, build_marks, mb) == 0) {
            struct diag_list diags;
            diag_list_init(&diags);
            ipr_status st = compile_rules(c, rs, &diags);
            pthread_join(thread, NULL);
            arena_adopt(&rs->arena, &own);
            if (mb->status != IPR_OK)
                st = mb->status;
            else
                diag_list_append(&c->diags, &diags);
            diag_list_release(&diags);
            return st;
        }
        arena_release(&own);
    }
    mb->arena = &rs->arena;
    build_marks(mb);
    return mb->status != IPR_OK ? mb->status : compile_rules(c, rs, &c->diags);
}

ipr_status ipr_compiler_finish(ipr_compiler *c, ipr_ruleset **out)
{
    if (!c || !out || c->consumed)
        return IPR_EINVAL;
    *out = NULL;
    if (c->builtin_marks && packs_use_marks(c)) {
        ipr_status st = load_builtin_marks(c);
        c->builtin_marks = false;
        if (st == IPR_ENOMEM)
            return st;
    }
    struct ipr_ruleset *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return IPR_ENOMEM;
    vec_init(&rs->regexes, sizeof(struct regex *));
    rs->arena = c->arena; /* the AST moves into the ruleset */
    c->consumed = true;
    rs->registry = c->registry; /* moves: the marks point into the arena */
    registry_init(&c->registry);
    registry_loaded(&rs->registry); /* before the mark set's tables: a lower peak */
    ipr_status st = IPR_OK;
    if (rs->registry.mark_count && packs_use_marks(c)) {
        struct mark_build mb = {.reg = &rs->registry, .threads = c->threads};
        mb.ms = rs->marks = arena_calloc(&rs->arena, 1, sizeof(*rs->marks));
        if (!rs->marks)
            st = IPR_ENOMEM;
        if (st == IPR_OK && c->word_list) {
            st = read_stream_huge(c->word_list, IPR_WORD_LIST_MAX_BYTES, NULL, &mb.words,
                                  &mb.words_len, &mb.words_alloc);
            if (st != IPR_OK && st != IPR_ENOMEM)
                diag_add(&c->diags, IPR_DIAG_ERROR, c->word_list_path, 0, 0,
                         "cannot read the word list: %s", ipr_status_str(st));
        }
        if (st == IPR_OK)
            st = build_beside(c, rs, &mb);
        if (st == IPR_OK)
            memcpy(rs->marks->reference_date, c->reference_date, sizeof(c->reference_date));
    } else {
        st = compile_rules(c, rs, &c->diags);
    }
    if (st == IPR_OK && (c->lint & IPR_LINT_ATOMS)) {
        st = lint_ruleset(rs, (c->lint & IPR_LINT_STRICT) != 0, &c->diags);
        if (st == IPR_OK && c->diags.error_count)
            st = IPR_ERULES;
    }
    diag_sort(&c->diags);
    if (st != IPR_OK) {
        ipr_ruleset_free(rs);
        return st;
    }
    unsigned char digest[32];
    struct sha256 h = c->hash;
    sha256_final(&h, digest);
    sha256_hex(digest, 32, rs->sha256);
    *out = rs;
    return IPR_OK;
}
