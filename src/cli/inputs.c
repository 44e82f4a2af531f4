/*
 * inputs.c - argument expansion for `scan` (see inputs.h).
 */
#include "inputs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool push(struct input_list *l, const char *path)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->paths, cap * sizeof(*p));
        if (!p)
            return false;
        l->paths = p;
        l->cap = cap;
    }
    size_t n = strlen(path);
    char *copy = malloc(n + 1);
    if (!copy)
        return false;
    memcpy(copy, path, n + 1);
    l->paths[l->count++] = copy;
    return true;
}

static bool is_listing_file(const char *name)
{
    static const char *const exts[] = {".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcmp(name + n - e, exts[i]) == 0)
            return true;
    }
    return false;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool walk(struct input_list *l, const char *dir, unsigned depth)
{
    if (depth > 32)
        return true; /* deeper trees are not listing folders; stop rather than loop */
    DIR *d = opendir(dir);
    if (!d)
        return push(l, dir); /* reported as an input error */
    char **names = NULL;
    size_t count = 0, cap = 0;
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof(*p));
            if (!p) {
                ok = false;
                break;
            }
            names = p;
        }
        size_t n = strlen(dir) + strlen(de->d_name) + 2;
        names[count] = malloc(n);
        if (!names[count]) {
            ok = false;
            break;
        }
        snprintf(names[count], n, "%s/%s", dir, de->d_name);
        count++;
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof(*names), cmp_name);
    for (size_t i = 0; i < count; i++) {
        struct stat sb;
        if (ok && stat(names[i], &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                ok = walk(l, names[i], depth + 1);
            else if (S_ISREG(sb.st_mode) && is_listing_file(names[i]))
                ok = push(l, names[i]);
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

bool inputs_add(struct input_list *l, const char *arg)
{
    struct stat sb;
    if (strcmp(arg, "-") != 0 && stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(arg);
        while (n > 1 && arg[n - 1] == '/')
            n--;
        char *dir = malloc(n + 1);
        if (!dir)
            return false;
        memcpy(dir, arg, n);
        dir[n] = '\0';
        bool ok = walk(l, dir, 0);
        free(dir);
        return ok;
    }
    return push(l, arg);
}

void inputs_release(struct input_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof(*l));
}
