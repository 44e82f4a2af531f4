/*
 * profile_table.h - the shipped marketplace profiles (the YAML files in rules/profiles/)
 * read from the source tree into a builtin_file table, for input tests that
 * link only the input stage and so cannot use the table embedded in the
 * library.  Use profile_table_load / profile_table_free as the cmocka group
 * setup and teardown.  Header-only: each test program includes it once.
 */
#ifndef IPR_TEST_PROFILE_TABLE_H
#define IPR_TEST_PROFILE_TABLE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/builtin.h"

#define PROFILE_TABLE_MAX 32

static struct builtin_file profile_table[PROFILE_TABLE_MAX + 1];

static char *profile_table_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return text;
}

static int profile_table_load(void **state)
{
    (void)state;
    DIR *d = opendir(IPR_SOURCE_DIR "/rules/profiles");
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < PROFILE_TABLE_MAX) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[4096], name[512];
        snprintf(path, sizeof(path), "%s/rules/profiles/%s", IPR_SOURCE_DIR, e->d_name);
        snprintf(name, sizeof(name), "builtin:rules/profiles/%s", e->d_name);
        profile_table[n].name = strdup(name);
        profile_table[n].data = profile_table_read(path, &profile_table[n].len);
        n++;
    }
    closedir(d);
    profile_table[n].name = NULL;
    return 0;
}

static int profile_table_free(void **state)
{
    (void)state;
    for (size_t i = 0; profile_table[i].name; i++) {
        free((char *)profile_table[i].name);
        free((char *)profile_table[i].data);
    }
    return 0;
}

#endif
