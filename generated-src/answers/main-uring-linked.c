/* main-uring-linked.c: the measuring chapter's ring on io_uring, with the token's write in
   the ring too, linked to the sender's next read: one io_uring_enter per hop. */
#define _GNU_SOURCE                     /* liburing.h needs sigset_t and AT_FDCWD */
#include <errno.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "measuring/ring.h"

enum { LINKED_WRITE = 1 };      /* user_data bit: a write's completion, not a read's */

static void linked_read(struct io_uring *u, const struct ring *ring, char *bufs, long i) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(u);
    io_uring_prep_read(sqe, ring->fds[i][0], &bufs[i], 1, 0);
    io_uring_sqe_set_data64(sqe, (uint64_t)i << 1);
}

static void linked_write_then_read(struct io_uring *u, struct ring *ring, char *bufs, long i,
                                   int read_again) {
    long next = (i + 1) % ring->pipes;
    struct io_uring_sqe *sqe = io_uring_get_sqe(u);
    io_uring_prep_write(sqe, ring->fds[next][1], &bufs[i], 1, 0);
    io_uring_sqe_set_data64(sqe, (uint64_t)i << 1 | LINKED_WRITE);
    if (read_again) {
        sqe->flags |= IOSQE_IO_LINK;            /* the read below starts after the write */
        linked_read(u, ring, bufs, i);
    }
    ring->hops++;
}
int main(int argc, char **argv) {
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    struct io_uring u;
    int err = io_uring_queue_init((unsigned)ring.pipes + 1, &u, 0);
    if (err < 0) {
        fprintf(stderr, "%s: io_uring_queue_init: %s (see the io_uring chapter's section "
                "\"When io_uring is not there\")\n", ring.name, strerror(-err));
        ring_close(&ring);
        return 3;                               /* no io_uring: the test skips */
    }
    char *bufs = calloc((size_t)ring.pipes, 1);
    ring_check(&ring, bufs ? 0 : -ENOMEM, "calloc");
    for (long i = 0; i < ring.pipes; i++) linked_read(&u, &ring, bufs, i);
    ring_start(&ring);
    long writes = 0;                            /* queued and not yet completed */
    while (!ring_done(&ring) || writes > 0) {
        int got = io_uring_submit_and_wait(&u, 1);     /* liburing returns -errno */
        ring_check(&ring, got < 0 ? got : 0, "submitting");
        struct io_uring_cqe *cqe;
        while (io_uring_peek_cqe(&u, &cqe) == 0) {
            uint64_t data = io_uring_cqe_get_data64(cqe);
            long i = (long)(data >> 1);
            ring_check(&ring, cqe->res == 1 ? 0 : cqe->res < 0 ? cqe->res : -EPIPE,
                       data & LINKED_WRITE ? "writing the token" : "reading the token");
            io_uring_cqe_seen(&u, cqe);
            if (data & LINKED_WRITE) {
                writes--;
                continue;
            }
            int again = ring.hops + ring.pipes < ring.pipes * ring.rounds;  /* rounds left */
            linked_write_then_read(&u, &ring, bufs, i, again);
            writes++;
        }
    }
    int status = ring_finish(&ring);
    io_uring_queue_exit(&u);                    /* cancels nothing: no read is left in flight */
    free(bufs);
    ring_close(&ring);
    return status;
}
