/* main-future.c: the ring on the future chapter's runtime; each pipe has a task that
   awaits a ReadNChars of one char, sends the char on, and does it again, ROUNDS times. */
#include <errno.h>
#include <stdbool.h>
#include "future/future.h"
#include "measuring/ring.h"

struct hop {
    struct future base;
    struct ring *ring;
    struct reactor *reactor;
    long i, left;                       /* its pipe; hops it has still to make */
    bool reading;                       /* read is initialised and not yet ready */
    char token;
    struct read_n_chars read;
};

static struct future_result hop_poll(struct future *self, struct future_context *cx) {
    struct hop *f = (struct hop *)self;
    for (; f->left > 0; f->left--) {
        if (!f->reading)
            read_n_chars_init(&f->read, f->reactor, f->ring->fds[f->i][0], &f->token, 1);
        f->reading = true;
        if (future_poll(&f->read.base, cx).status == FUTURE_PENDING) return future_pending();
        f->reading = false;
        ring_check(f->ring, f->read.out.len == 1 ? 0 : f->read.out.err ? f->read.out.err
                   : -EPIPE, "reading the token");
        ring_send(f->ring, f->i, f->token);
    }
    return future_ready(NULL);
}

static void hop_drop(struct future *self) {
    struct hop *f = (struct hop *)self;
    if (f->reading) future_drop(&f->read.base);
}

static void hop_init(struct hop *f, struct ring *ring, struct reactor *reactor, long i) {
    static const struct future_vtable vtable = {hop_poll, hop_drop};
    *f = (struct hop){.base = {&vtable}, .ring = ring, .reactor = reactor, .i = i,
                      .left = ring->rounds};
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
