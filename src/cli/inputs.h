/*
 * inputs.h - expand the scan arguments into the list of files to read:
 * files as given, folders searched recursively (sorted, hidden entries
 * skipped) for listing files by extension, "-" for standard input.
 */
#ifndef IPR_CLI_INPUTS_H
#define IPR_CLI_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

struct input_list {
    char **paths; /* owned */
    size_t count;
    size_t cap;
};

/* Appends the expansion of arg.  A path that does not exist is kept, so the
 * reader reports it as an input error in the report. */
bool inputs_add(struct input_list *list, const char *arg);
void inputs_release(struct input_list *list);

#endif
