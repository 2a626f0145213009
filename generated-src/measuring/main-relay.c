/* main-relay.c: the ring on the future chapter's runtime, with a leaf future of its own
   that keeps its registration from one hop to the next. */
#include <errno.h>
#include "future/future.h"
#include "measuring/ring.h"

struct hop {
    struct future base;
    struct ring *ring;
    struct reactor *reactor;
    long i, left;
    struct reactor_io io;
};

static struct future_result hop_poll(struct future *self, struct future_context *cx) {
    struct hop *f = (struct hop *)self;
    while (f->left > 0) {
        if (ring_pass(f->ring, f->i)) {
            f->left--;
            continue;
        }
        ring_check(f->ring, reactor_register(f->reactor, &f->io, cx->waker), "register");
        return future_pending();
    }
    return future_ready(NULL);
}

static void hop_drop(struct future *self) {
    struct hop *f = (struct hop *)self;
    reactor_deregister(f->reactor, &f->io);
}

static void hop_init(struct hop *f, struct ring *ring, struct reactor *reactor, long i) {
    static const struct future_vtable vtable = {hop_poll, hop_drop};
    *f = (struct hop){.base = {&vtable}, .ring = ring, .reactor = reactor, .i = i,
                      .left = ring->rounds, .io = {ring->fds[i][0], {NULL, NULL}}};
}

int main(int argc, char **argv) {
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    ring_check(&ring, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    ring_check(&ring, ex ? 0 : -ENOMEM, "executor_new");
    for (long i = 0; i < ring.pipes; i++) {
        struct hop f;
        hop_init(&f, &ring, reactor, i);
        ring_check(&ring, executor_spawn(ex, &f.base, sizeof f), "executor_spawn");
    }
    ring_start(&ring);
    ring_check(&ring, executor_run(ex, reactor), "executor_run");
    int status = ring_finish(&ring);
    executor_free(ex);
    reactor_free(reactor);
    ring_close(&ring);
    return status;
}
