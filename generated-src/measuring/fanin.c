/* fanin.c: the writer process, handing it the pipes, reading, and the report. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/fanin.h"

/* Descriptors go in batches of at most 250: the kernel takes at most 253 in one message
   (SCM_MAX_FD, unix(7)). */
enum { FANIN_BATCH = 250 };

static void fanin_send_fds(const char *name, int sock, const int *fds, int n) {
    char byte = 'f', control[CMSG_SPACE(FANIN_BATCH * sizeof(int))] = {0};
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    *c = (struct cmsghdr){.cmsg_len = CMSG_LEN((size_t)n * sizeof(int)),
                          .cmsg_level = SOL_SOCKET, .cmsg_type = SCM_RIGHTS};
    memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
    bench_check(name, sendmsg(sock, &msg, 0) == 1 ? 0 : -errno, "sending the pipes");
}

static int fanin_receive_fds(int sock, int *fds) {
    char byte, control[CMSG_SPACE(FANIN_BATCH * sizeof(int))];
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    memcpy(fds, CMSG_DATA(c), (size_t)n * sizeof(int));
    return n;
}

/* The writer process: takes the write ends, waits for the go byte, writes FANIN_CHUNK
   bytes into each pipe in turn until each has FANIN_BYTES, then says so and exits. */
static void fanin_writer(const char *name, int sock, long readers) {
    int *fds = malloc((size_t)readers * sizeof *fds);
    char go, chunk[FANIN_CHUNK];
    memset(chunk, 'w', sizeof chunk);
    bench_check(name, fds ? 0 : -ENOMEM, "writer: malloc");
    for (long have = 0; have < readers;) {
        int n = fanin_receive_fds(sock, fds + have);
        bench_check(name, n > 0 ? 0 : -EPROTO, "writer: receiving the pipes");
        have += n;
    }
    bench_check(name, read(sock, &go, 1) == 1 ? 0 : -EPIPE, "writer: waiting to start");
    for (int round = 0; round < FANIN_BYTES / FANIN_CHUNK; round++)
        for (long i = 0; i < readers; i++)
            bench_check(name, write(fds[i], chunk, sizeof chunk) == sizeof chunk ? 0 : -errno,
                        "writer: write");
    for (long i = 0; i < readers; i++) close(fds[i]);
    bench_check(name, write(sock, "d", 1) == 1 ? 0 : -errno, "writer: saying it is done");
    free(fds);
}

static int fanin_arguments(struct fanin *fi, int argc, char **argv) {
    fi->name = bench_name(argc, argv);
    if ((argc != 2 && argc != 3) || (argc == 3 && strcmp(argv[2], "prefilled") != 0)) {
        fprintf(stderr, "usage: %s READERS [prefilled]\nreads %d bytes from each of READERS "
                "pipes that another process fills; e.g. %s 10000\n", fi->name, FANIN_BYTES,
                fi->name);
        return -1;
    }
    fi->prefilled = argc == 3;
    fi->readers = bench_number(fi->name, "READERS", argv[1], FANIN_MAX_READERS);
    if (fi->readers < 0) return -1;
    /* every read end, and the write ends of a batch until they are handed over */
    long batch = fi->readers < FANIN_BATCH ? fi->readers : FANIN_BATCH;
    return bench_descriptors(fi->name, fi->readers + batch + 16, "the pipes");
}

int fanin_open(struct fanin *fi, int argc, char **argv) {
    *fi = (struct fanin){.writer_socket = -1};
    if (fanin_arguments(fi, argc, argv) < 0) return -1;
    int sv[2];
    bench_check(fi->name, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ? -errno : 0,
                "socketpair");
    /* The writer's exit must not interrupt a system call of the readers: under strace (ptrace(2))
       even an ignored SIGCHLD would, and a count would gain a restarted call. Blocked, it
       waits for waitpid. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    fflush(stdout);
    fi->writer = fork();                /* before the pipes: each process holds one end */
    bench_check(fi->name, fi->writer < 0 ? -errno : 0, "fork");
    if (fi->writer == 0) {
        close(sv[0]);
        fanin_writer(fi->name, sv[1], fi->readers);
        _exit(0);
    }
    close(sv[1]);
    fi->writer_socket = sv[0];
    fi->fds = malloc((size_t)fi->readers * sizeof *fi->fds);
    fi->left = malloc((size_t)fi->readers * sizeof *fi->left);
    bench_check(fi->name, fi->fds && fi->left ? 0 : -ENOMEM, "malloc");
    int batch[FANIN_BATCH], n = 0;
    for (long i = 0; i < fi->readers; i++) {
        int p[2];
        bench_check(fi->name, pipe2(p, O_CLOEXEC) ? -errno : 0, "pipe2");
        bench_check(fi->name, fcntl(p[0], F_SETFL, O_NONBLOCK) ? -errno : 0, "fcntl");
        fi->fds[i] = p[0];
        fi->left[i] = FANIN_BYTES;
        batch[n++] = p[1];
        if (n < FANIN_BATCH && i + 1 < fi->readers) continue;
        fanin_send_fds(fi->name, fi->writer_socket, batch, n);
        while (n > 0) close(batch[--n]);
    }
    return 0;
}

void fanin_start(struct fanin *fi) {
    char done;
    bench_check(fi->name, write(fi->writer_socket, "g", 1) == 1 ? 0 : -errno, "starting");
    if (fi->prefilled)
        bench_check(fi->name, read(fi->writer_socket, &done, 1) == 1 ? 0 : -EPIPE, "writer");
    clock_gettime(CLOCK_MONOTONIC, &fi->start);
}

long fanin_read(struct fanin *fi, long i) {
    static char sink[FANIN_BYTES];      /* the bytes themselves are not kept */
    ssize_t got;
    do got = read(fi->fds[i], sink, (size_t)fi->left[i]);
    while (got < 0 && errno == EINTR);
    if (got < 0 && errno == EAGAIN) return 0;
    if (got == 0) {
        fprintf(stderr, "%s: pipe %ld ended %d bytes short\n", fi->name, i, fi->left[i]);
        exit(EXIT_FAILURE);
    }
    bench_check(fi->name, got < 0 ? -errno : 0, "read");
    if ((fi->left[i] -= (int)got) == 0) fi->done++;
    return got;
}

int fanin_finish(struct fanin *fi) {
    double s = bench_seconds(&fi->start);
    int ws;
    bench_check(fi->name, waitpid(fi->writer, &ws, 0) == fi->writer ? 0 : -errno, "waitpid");
    if (!fanin_done(fi) || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        fprintf(stderr, "%s: %ld of %ld readers done; the writer %s\n", fi->name, fi->done,
                fi->readers, WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? "succeeded" : "failed");
        return EXIT_FAILURE;
    }
    printf("%s: %ld readers x %d bytes: %ld readers done in %.3f s: %.0f ns per reader; "
           "peak %ld kB\n", fi->name, fi->readers, FANIN_BYTES, fi->done, s,
           s * 1e9 / (double)fi->readers, bench_peak_kb());
    return EXIT_SUCCESS;
}

void fanin_close(struct fanin *fi) {
    for (long i = 0; i < fi->readers; i++) close(fi->fds[i]);
    close(fi->writer_socket);
    free(fi->fds);
    free(fi->left);
}
