/* pingpong.c: socket pairs, messages, echoes, and the report. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/pingpong.h"

int pingpong_open(struct pingpong *pp, int argc, char **argv) {
    *pp = (struct pingpong){.name = bench_name(argc, argv)};
    if (argc != 4) {
        fprintf(stderr, "usage: %s PAIRS TRIPS SIZE\nsends SIZE bytes back and forth TRIPS "
                "times on each of PAIRS socket pairs; e.g. %s 1 100000 1\n", pp->name, pp->name);
        return -1;
    }
    pp->pairs = bench_number(pp->name, "PAIRS", argv[1], 5000);
    pp->trips = bench_number(pp->name, "TRIPS", argv[2], 1000000000);
    pp->size = bench_number(pp->name, "SIZE", argv[3], PINGPONG_MAX_SIZE);
    if (pp->pairs < 0 || pp->trips < 0 || pp->size < 0
        || bench_descriptors(pp->name, 2 * pp->pairs + 16, "the socket pairs") < 0)
        return -1;
    pp->fds = calloc((size_t)pp->pairs, sizeof *pp->fds);
    pp->ends = calloc((size_t)pp->pairs * 2, sizeof *pp->ends);
    bench_check(pp->name, pp->fds && pp->ends ? 0 : -ENOMEM, "calloc");
    for (long p = 0; p < pp->pairs; p++) {
        int ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pp->fds[p]);
        bench_check(pp->name, ok == 0 ? 0 : -errno, "socketpair");
        pp->ends[2 * p].left = pp->ends[2 * p + 1].left = pp->trips;
    }
    return 0;
}

void pingpong_close(struct pingpong *pp) {
    for (long p = 0; p < pp->pairs; p++) close(pp->fds[p][0]), close(pp->fds[p][1]);
    free(pp->fds);
    free(pp->ends);
}

/* Message t of a pair is SIZE copies of one letter, so a pinger can check its echo. */
static char pingpong_letter(long left) { return (char)('a' + left % 26); }

static void pingpong_send(struct pingpong *pp, int fd, const char *buf, long len) {
    ssize_t put;
    do put = write(fd, buf, (size_t)len);
    while (put < 0 && errno == EINTR);
    bench_check(pp->name, put == len ? 0 : put < 0 ? -errno : -EMSGSIZE, "write");
}

static void pingpong_ping(struct pingpong *pp, long pair) {
    char msg[PINGPONG_MAX_SIZE];
    memset(msg, pingpong_letter(pp->ends[2 * pair].left), (size_t)pp->size);
    pingpong_send(pp, pp->fds[pair][0], msg, pp->size);
}

void pingpong_start(struct pingpong *pp) {
    for (long p = 0; p < pp->pairs; p++) pingpong_ping(pp, p);
    clock_gettime(CLOCK_MONOTONIC, &pp->start);
}

long pingpong_step(struct pingpong *pp, long end) {
    char buf[PINGPONG_READ];
    struct pingpong_end *e = &pp->ends[end];
    ssize_t got;
    do got = read(pingpong_fd(pp, end), buf, sizeof buf);
    while (got < 0 && errno == EINTR);
    if (got < 0 && errno == EAGAIN) return 0;
    bench_check(pp->name, got > 0 ? 0 : got == 0 ? -EPIPE : -errno, "read");
    bench_check(pp->name, e->left > 0 && e->got + got <= pp->size ? 0 : -EPROTO, "framing");
    if (end % 2) {                                      /* the ponger echoes what it got */
        pingpong_send(pp, pingpong_fd(pp, end), buf, got);
        pp->echoed += got;
    } else {                                            /* the pinger checks its echo */
        for (long k = 0; k < got; k++)
            bench_check(pp->name, buf[k] == pingpong_letter(e->left) ? 0 : -EBADMSG, "echo");
    }
    if ((e->got += got) < pp->size) return got;
    e->got = 0;
    if (--e->left == 0) pp->ends_done++;
    else if (end % 2 == 0) pingpong_ping(pp, end / 2);
    return got;
}

int pingpong_finish(struct pingpong *pp) {
    double s = bench_seconds(&pp->start);
    long trips = pp->pairs * pp->trips, want = trips * pp->size;
    if (!pingpong_done(pp) || pp->echoed != want) {
        fprintf(stderr, "%s: %ld of %ld ends finished, %ld of %ld bytes echoed\n", pp->name,
                pp->ends_done, 2 * pp->pairs, pp->echoed, want);
        return EXIT_FAILURE;
    }
    printf("%s: %ld pairs x %ld trips x %ld bytes: %ld round trips, %ld bytes echoed "
           "in %.3f s: %.0f ns per round trip\n", pp->name, pp->pairs, pp->trips, pp->size,
           trips, pp->echoed, s, s * 1e9 / (double)trips);
    return EXIT_SUCCESS;
}
