/* demo_fifos.h: two named pipes in a fresh directory, each already holding a text, for
   running the future and uring demos without a writer process. Needs run_captured.h. */
#ifndef TESTS_DEMO_FIFOS_H
#define TESTS_DEMO_FIFOS_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run_captured.h"

struct demo_fifos {
    char dir[32], path[2][64];
    int fd[2];
};

/* Makes pipe1 and pipe2 and writes text (len bytes) into each. The test's own descriptor is
   read-write: it opens without waiting for a reader, and keeps the text in the pipe until
   the demo reads it. */
static inline void demo_fifos_make(struct demo_fifos *f, const char *text, size_t len)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/demo-fifos.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
    for (int i = 0; i < 2; i++) {
        snprintf(f->path[i], sizeof f->path[i], "%s/pipe%d", f->dir, i + 1);
        ck_assert_int_eq(mkfifo(f->path[i], 0600), 0);
        f->fd[i] = open(f->path[i], O_RDWR | O_CLOEXEC);
        ck_assert_int_ge(f->fd[i], 0);
        ck_assert_int_eq(write(f->fd[i], text, len), (ssize_t)len);
    }
}

static inline void demo_fifos_remove(struct demo_fifos *f)
{
    for (int i = 0; i < 2; i++) {
        close(f->fd[i]);
        unlink(f->path[i]);
    }
    rmdir(f->dir);
}

/* Runs demo on two pipes holding text (in_child as for run_captured); out gets what it
   printed, *outgot its length. Returns its exit status. */
static inline int demo_fifos_run(const char *demo, const char *text, size_t len,
                                 void (*in_child)(void *), char *out, size_t outlen,
                                 size_t *outgot, char *err, size_t errlen)
{
    struct demo_fifos f;
    demo_fifos_make(&f, text, len);
    char *argv[] = {(char *)demo, f.path[0], f.path[1], NULL};
    int status = run_captured_counted(argv, in_child, NULL, out, outlen, outgot, err, errlen);
    demo_fifos_remove(&f);
    return status;
}

/* 100 chars with a NUL after the third, and the two lines a demo must print for them: every
   byte, the NUL included. Returns the length of the lines. */
static inline size_t demo_fifos_nul_text(char text[100], char *want, size_t wantlen)
{
    memset(text, 'x', 100);
    memcpy(text, "abc", 4);
    size_t n = 0;
    for (int i = 1; i <= 2; i++) {
        n += (size_t)snprintf(want + n, wantlen - n, "Future%d finished with: ", i);
        ck_assert_uint_lt(n + 101, wantlen);
        memcpy(want + n, text, 100);
        n += 100;
        want[n++] = '\n';
    }
    return n;
}

/* The checks that the future and uring suites both make of their demo (named, as it names
   itself in its messages, by program). A NUL in the text used to end the line there, and the
   rest of the 100 chars, read from the pipe, was lost. */
static inline void demo_fifos_expect_every_byte(const char *demo)
{
    char text[100], want[512], out[4096], err[4096];
    size_t wantlen = demo_fifos_nul_text(text, want, sizeof want), got;
    int status = demo_fifos_run(demo, text, sizeof text, NULL, out, sizeof out, &got, err,
                                sizeof err);
    ck_assert_msg(status == 0, "exit status %d: %s", status, err);
    ck_assert_uint_eq(got, wantlen);
    ck_assert_mem_eq(out, want, wantlen);
}

/* Output that cannot be written is an error: a line on standard error and status 1 (the text
   used to vanish with status 0). */
static inline void demo_fifos_expect_output_error(const char *demo, const char *program)
{
    char text[100], out[4096], err[4096], want[128];
    memset(text, 'x', sizeof text);
    size_t got;
    int status = demo_fifos_run(demo, text, sizeof text, run_captured_stdout_full, out,
                                sizeof out, &got, err, sizeof err);
    ck_assert_int_eq(got, 0);
    snprintf(want, sizeof want, "%s: cannot write to standard output: %s\n", program,
             strerror(ENOSPC));
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(status, 1);
}

#endif
