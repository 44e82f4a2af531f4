/*
 * output.c - report destinations (see output.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool output_open(struct output *out, const char *path)
{
    memset(out, 0, sizeof(*out));
    if (!path || strcmp(path, "-") == 0) {
        out->stream = stdout;
        return true;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, FIFO or terminal (/dev/null, /dev/full) is written in
         * place: renaming a file over it would replace the node itself */
        out->stream = fopen(path, "wb");
        out->path = out->stream ? path : NULL;
        return out->stream != NULL;
    }
    size_t n = strlen(path);
    out->tmp_path = malloc(n + 16);
    if (!out->tmp_path)
        return false;
    memcpy(out->tmp_path, path, n);
    memcpy(out->tmp_path + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        free(out->tmp_path);
        out->tmp_path = NULL;
        return false;
    }
    out->stream = fdopen(fd, "wb");
    if (!out->stream) {
        int e = errno;
        close(fd);
        unlink(out->tmp_path);
        free(out->tmp_path);
        out->tmp_path = NULL;
        errno = e;
        return false;
    }
    out->path = path;
    return true;
}

int output_write(const char *bytes, size_t len, void *user)
{
    struct output *out = user;
    if (out->failed)
        return -1;
    if (len && fwrite(bytes, 1, len, out->stream) != len) {
        out->failed = true;
        out->error = errno;
        out->broken_pipe = errno == EPIPE && !out->path;
        return -1;
    }
    return 0;
}

bool output_close(struct output *out, bool commit)
{
    bool ok = !out->failed;
    if (fflush(out->stream) != 0 && ok) {
        ok = false;
        out->error = errno;
        out->broken_pipe = errno == EPIPE && !out->path;
    }
    if (!out->path)
        return ok;
    if (out->tmp_path && fsync(fileno(out->stream)) != 0 && ok) {
        ok = false;
        out->error = errno;
    }
    if (fclose(out->stream) != 0 && ok) {
        ok = false;
        out->error = errno;
    }
    if (ok && commit && out->tmp_path) {
        /* mkstemp creates 0600; a report is an ordinary file */
        mode_t mask = umask(0);
        umask(mask);
        chmod(out->tmp_path, 0666 & ~mask);
        if (rename(out->tmp_path, out->path) != 0) {
            ok = false;
            out->error = errno;
        }
    }
    if (out->tmp_path && (!ok || !commit))
        unlink(out->tmp_path);
    free(out->tmp_path);
    out->tmp_path = NULL;
    return ok;
}
