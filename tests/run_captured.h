/* run_captured.h: runs a program in a child with its standard output and error captured, for
   the suites that check what a demo prints. Needs _GNU_SOURCE (pipe2, close_range). */
#ifndef TESTS_RUN_CAPTURED_H
#define TESTS_RUN_CAPTURED_H

#include <check.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs argv; the child first calls in_child(arg) when in_child is not NULL, with its
   descriptors from 3 up closed. out and err get what it wrote, NUL-terminated and cut to
   their sizes; *outgot, unless NULL, the number of bytes in out (which may hold a NUL).
   Returns its exit status, or 128 + the number of the signal that ended it. */
static inline int run_captured_counted(char *const argv[], void (*in_child)(void *), void *arg,
                                       char *out, size_t outlen, size_t *outgot, char *err,
                                       size_t errlen)
{
    int po[2], pe[2];
    ck_assert_int_eq(pipe2(po, O_CLOEXEC), 0);
    ck_assert_int_eq(pipe2(pe, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close_range(3, ~0u, 0);         /* the program's own descriptors start at 3 */
        if (in_child)
            in_child(arg);
        execv(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    char *bufs[2] = {out, err};
    size_t lens[2] = {outlen, errlen};
    int fds[2] = {po[0], pe[0]};
    for (int k = 0; k < 2; k++) {       /* outputs are small: read one to its end, then the other */
        size_t n = 0;
        ssize_t got;
        while ((got = read(fds[k], bufs[k] + n, lens[k] - 1 - n)) > 0)
            n += (size_t)got;
        bufs[k][n] = '\0';
        if (k == 0 && outgot)
            *outgot = n;
        close(fds[k]);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* run_captured_counted without the byte count, for output that is text. */
static inline int run_captured(char *const argv[], void (*in_child)(void *), void *arg,
                               char *out, size_t outlen, char *err, size_t errlen)
{
    return run_captured_counted(argv, in_child, arg, out, outlen, NULL, err, errlen);
}

/* An in_child for run_captured: standard output on /dev/full, where every write fails with
   ENOSPC (null(4)), as on a full disk. */
static inline void run_captured_stdout_full(void *unused)
{
    (void)unused;
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        _exit(126);
}

#endif
