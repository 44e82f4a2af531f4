/*
 * temp_file.c - see temp_file.h.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "temp_file.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

void temp_file_write(char *path_template, const void *bytes, size_t len)
{
    int fd = mkstemp(path_template);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}
