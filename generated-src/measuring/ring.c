/* ring.c: making the ring, passing the token, timing and reporting. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "measuring/ring.h"
#include "poll/stdfds.h"
#include "preface/number.h"

enum { RING_MAX_PIPES = 100000 };
static const long ring_max_rounds = 1000000000;

static int ring_arguments(struct ring *ring, int argc, char **argv) {
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
    ring->name = argc == 0 ? "measuring" : slash ? slash + 1 : argv[0];
    if (argc != 3) {
        fprintf(stderr, "usage: %s PIPES ROUNDS\n"
                "sends one byte ROUNDS times round a ring of PIPES pipes; e.g. %s 100 10000\n",
                ring->name, ring->name);
        return -1;
    }
    int pipes_ok = number_parse(ring->name, "PIPES", argv[1], 1, RING_MAX_PIPES,
                                &ring->pipes) == 0;
    int rounds_ok = number_parse(ring->name, "ROUNDS", argv[2], 1, ring_max_rounds,
                                 &ring->rounds) == 0;
    return pipes_ok && rounds_ok ? 0 : -1;
}

/* Room for 2 descriptors a pipe and a few more (stdio, epoll, a library's own). */
static int ring_descriptors(const struct ring *ring) {
    struct rlimit lim;
    rlim_t need = (rlim_t)ring->pipes * 2 + 16;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < need) {
        if (lim.rlim_max >= need) lim.rlim_cur = need;
        if (lim.rlim_cur < need || setrlimit(RLIMIT_NOFILE, &lim) != 0) {
            fprintf(stderr, "%s: %ld pipes need %lu descriptors, but this process may open "
                    "only %lu; use fewer pipes or raise the limit (ulimit -n)\n", ring->name,
                    ring->pipes, (unsigned long)need, (unsigned long)lim.rlim_max);
            return -1;
        }
    }
    return 0;
}

int ring_open(struct ring *ring, int argc, char **argv) {
    *ring = (struct ring){0};
    if (stdfds_reserve("measuring") < 0 || ring_arguments(ring, argc, argv) < 0
        || ring_descriptors(ring) < 0) return -1;
    if (!(ring->fds = calloc((size_t)ring->pipes, sizeof *ring->fds))) {
        fprintf(stderr, "%s: out of memory for %ld pipes\n", ring->name, ring->pipes);
        return -1;
    }
    for (long i = 0; i < ring->pipes; i++) {
        if (pipe2(ring->fds[i], O_NONBLOCK | O_CLOEXEC) == 0) continue;
        fprintf(stderr, "%s: cannot make pipe %ld of %ld: %s\n", ring->name, i + 1,
                ring->pipes, strerror(errno));
        ring->pipes = i;
        ring_close(ring);
        return -1;
    }
    return 0;
}

void ring_close(struct ring *ring) {
    for (long i = 0; i < ring->pipes; i++) {
        close(ring->fds[i][0]);
        close(ring->fds[i][1]);
    }
    free(ring->fds);
    ring->fds = NULL;
}

void ring_check(const struct ring *ring, int err, const char *what) {
    if (err >= 0) return;
    fprintf(stderr, "%s: %s failed: %s\n", ring->name, what, strerror(-err));
    exit(EXIT_FAILURE);
}

void ring_send(struct ring *ring, long i, char token) {
    ssize_t put;
    do put = write(ring->fds[(i + 1) % ring->pipes][1], &token, 1);
    while (put < 0 && errno == EINTR);
    ring_check(ring, put == 1 ? 0 : -errno, "writing the token");
    ring->hops++;
}

int ring_pass(struct ring *ring, long i) {
    char token;
    ssize_t got;
    do got = read(ring->fds[i][0], &token, 1);
    while (got < 0 && errno == EINTR);
    if (got < 0 && errno == EAGAIN) return 0;
    ring_check(ring, got == 1 ? 0 : got == 0 ? -EPIPE : -errno, "reading the token");
    ring_send(ring, i, token);
    return 1;
}

void ring_start(struct ring *ring) {
    ring_send(ring, ring->pipes - 1, 't');      /* into pipe 0; not a hop */
    ring->hops = 0;
    clock_gettime(CLOCK_MONOTONIC, &ring->start);
}

/* How many bytes wait in each pipe: exactly one, the token, in pipe 0 after a whole number
   of rounds. Anything else means the program lost or duplicated the token. */
static int ring_token_home(const struct ring *ring) {
    long bytes = 0, in_pipe0 = 0;
    char buf[64];
    for (long i = 0; i < ring->pipes; i++) {
        ssize_t got;
        while ((got = read(ring->fds[i][0], buf, sizeof buf)) > 0) {
            bytes += got;
            if (i == 0) in_pipe0 += got;
        }
    }
    return bytes == 1 && in_pipe0 == 1;
}

int ring_finish(struct ring *ring) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double s = (double)(end.tv_sec - ring->start.tv_sec)
               + (double)(end.tv_nsec - ring->start.tv_nsec) / 1e9;
    long want = ring->pipes * ring->rounds;
    int home = ring_token_home(ring);
    if (ring->hops != want || !home) {
        fprintf(stderr, "%s: made %ld hops of %ld, and the token is %s\n", ring->name,
                ring->hops, want, home ? "home" : "lost or doubled");
        return EXIT_FAILURE;
    }
    printf("%s: %ld pipes x %ld rounds = %ld hops in %.3f s: %.0f ns per hop\n", ring->name,
           ring->pipes, ring->rounds, ring->hops, s, s * 1e9 / (double)ring->hops);
    return EXIT_SUCCESS;
}
