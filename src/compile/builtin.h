/*
 * builtin.h - the rule files embedded into the library at build time.
 *
 * cmake/embed_rules.cmake generates the table from every file under rules/;
 * names are "builtin:<path below the source root>", e.g.
 * "builtin:rules/marketing.yaml".  The table ends with a NULL name.
 */
#ifndef IPR_COMPILE_BUILTIN_H
#define IPR_COMPILE_BUILTIN_H

#include <stddef.h>

struct builtin_file {
    const char *name;
    const char *data; /* NUL-terminated; len excludes the NUL */
    size_t len;
};

extern const struct builtin_file builtin_files[];

#endif
