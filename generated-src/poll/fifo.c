#define _GNU_SOURCE
#include "poll/fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fifo_shell_quote(const char *path, char *out, size_t outlen)
{
    const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-";
    const char *dot = path[0] == '-' ? "./" : "";
    if (path[0] != '\0' && strspn(path, safe) == strlen(path)) {
        snprintf(out, outlen, "%s%s", dot, path);
        return;
    }
    size_t n = (size_t)snprintf(out, outlen, "'%s", dot);
    for (const char *c = path; *c != '\0' && n + 6 < outlen; c++) {
        if (*c == '\'') {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        } else {
            out[n++] = *c;
        }
    }
    out[n++] = '\'';
    out[n] = '\0';
}

int fifo_open_read(const char *path, char *msg, size_t msglen)
{
    char quoted[512];
    struct stat st;
    fifo_shell_quote(path, quoted, sizeof quoted);
    if (stat(path, &st) < 0) {
        if (errno == ENOENT)
            snprintf(msg, msglen, "%s: no such file; create it with: mkfifo %s", path, quoted);
        else
            snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISFIFO(st.st_mode)) {
        snprintf(msg, msglen, "%s: not a named pipe; remove it and run: mkfifo %s", path, quoted);
        return -1;
    }
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, msglen, "%s: cannot open for reading and writing: %s", path,
                 strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);
        snprintf(msg, msglen, "%s: not a named pipe (it changed while opening); run: mkfifo %s",
                 path, quoted);
        return -1;
    }
    return fd;
}
