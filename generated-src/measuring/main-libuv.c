/* main-libuv.c: the ring on libuv, one uv_poll_t watching each pipe. */
#define _POSIX_C_SOURCE 200809L         /* uv.h uses POSIX 2008 thread types (pthread_rwlock_t) */
#include <errno.h>
#include <stdlib.h>
#include <uv.h>
#include "measuring/ring.h"

struct uv_hop { uv_poll_t poll; struct ring *ring; long i; };

static void uv_hop_readable(uv_poll_t *poll, int status, int events) {
    struct uv_hop *h = (struct uv_hop *)poll;
    (void)events;
    ring_check(h->ring, status, "uv_poll");     /* libuv's errors are -errno on Linux */
    ring_pass(h->ring, h->i);
    if (ring_done(h->ring)) uv_stop(poll->loop);
}

int main(int argc, char **argv) {
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    uv_loop_t loop;
    ring_check(&ring, uv_loop_init(&loop), "uv_loop_init");
    struct uv_hop *hops = calloc((size_t)ring.pipes, sizeof *hops);
    ring_check(&ring, hops ? 0 : -ENOMEM, "calloc");
    for (long i = 0; i < ring.pipes; i++) {
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): ring_check exits if hops is NULL */
        hops[i].ring = &ring;
        hops[i].i = i;
        ring_check(&ring, uv_poll_init(&loop, &hops[i].poll, ring.fds[i][0]), "uv_poll_init");
        ring_check(&ring, uv_poll_start(&hops[i].poll, UV_READABLE, uv_hop_readable),
                   "uv_poll_start");
    }
    ring_start(&ring);
    uv_run(&loop, UV_RUN_DEFAULT);
    int status = ring_finish(&ring);
    for (long i = 0; i < ring.pipes; i++) uv_close((uv_handle_t *)&hops[i].poll, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);              /* lets the closes finish */
    ring_check(&ring, uv_loop_close(&loop), "uv_loop_close");
    free(hops);
    ring_close(&ring);
    return status;
}
