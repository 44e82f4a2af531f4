/*
 * temp_file.h - a temporary file with given bytes, for the tests that read
 * from a file rather than from memory.
 */
#ifndef IPR_TEST_TEMP_FILE_H
#define IPR_TEST_TEMP_FILE_H

#include <stddef.h>

/* Writes len bytes to a new file made from path_template (mkstemp: its
 * trailing XXXXXX become the name), failing the test when it cannot.  The
 * caller unlinks the file. */
void temp_file_write(char *path_template, const void *bytes, size_t len);

#endif
