#define _GNU_SOURCE
#include "poll/fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fifo_print_quoted(const char *path, FILE *out)
{
    const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-";
    const char *dot = path[0] == '-' ? "./" : "";
    if (path[0] != '\0' && strspn(path, safe) == strlen(path)) {
        fprintf(out, "%s%s", dot, path);
        return;
    }
    fprintf(out, "'%s", dot);
    for (const char *c = path; *c != '\0'; c++) {
        if (*c == '\'')
            fputs("'\\''", out);
        else
            fputc(*c, out);
    }
    fputc('\'', out);
}
static void fifo_report_not_a_pipe(const char *path, const char *program, FILE *err,
                                   mode_t mode)
{
    fprintf(err, "%s: %s: ", program, path);
    if (S_ISDIR(mode)) {
        fputs("a directory, not a named pipe; make a pipe in it with: mkfifo ", err);
        fifo_print_quoted(path, err);
        fputs("/pipe1 and give that path\n", err);
        return;
    }
    const char *kind = S_ISREG(mode) ? "a regular file" : S_ISCHR(mode) ? "a character device"
                     : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket"
                     : "a file of another kind";
    fprintf(err, "%s, not a named pipe; give a named pipe instead (mkfifo makes one)\n", kind);
}
int fifo_args(const char *program, int argc, char **argv, int max, const char *const **paths)
{
    static const char *const defaults[] = { "pipe1", "pipe2" };
    int n = argc > 1 ? argc - 1 : 2;
    int usage = n > max;
    for (int i = 1; i < argc && !usage; i++)
        usage = argv[i][0] == '-';
    if (usage) {
        fprintf(stderr, "usage: %s [NAMED-PIPE...]   (at most %d; default: pipe1 pipe2)\n",
                program, max);
        return -1;
    }
    *paths = argc > 1 ? (const char *const *)argv + 1 : defaults;
    return n;
}

int fifo_open_read(const char *path, const char *program, FILE *err)
{
    if (path[0] == '\0') {
        fprintf(err, "%s: an empty path; give the name of a named pipe (mkfifo makes one)\n",
                program);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) < 0) {
        int error = errno;
        fprintf(err, "%s: %s: ", program, path);
        if (error == ENOENT) {
            const char *slash = strrchr(path, '/');
            char *dir = slash != NULL && slash != path
                        ? strndup(path, (size_t)(slash - path)) : NULL;
            struct stat dir_st;
            int dir_missing = dir != NULL && stat(dir, &dir_st) < 0 && errno == ENOENT;
            fputs(dir_missing ? "no such file or directory; create them with: mkdir -p "
                              : "no such file; create it with: ", err);
            if (dir_missing) {
                fifo_print_quoted(dir, err);
                fputs(" && ", err);
            }
            fputs("mkfifo ", err);
            fifo_print_quoted(path, err);
            fputc('\n', err);
            free(dir);
        } else {
            fprintf(err, "%s\n", strerror(error));
        }
        return -1;
    }
    if (!S_ISFIFO(st.st_mode)) {
        fifo_report_not_a_pipe(path, program, err, st.st_mode);
        return -1;
    }
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        fprintf(err, "%s: %s: cannot open for reading and writing: %s%s\n", program, path,
                strerror(error), error == EMFILE ? " (see ulimit -n)" : "");
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);                  /* replaced between stat and open */
        fifo_report_not_a_pipe(path, program, err, st.st_mode);
        return -1;
    }
    return fd;
}
