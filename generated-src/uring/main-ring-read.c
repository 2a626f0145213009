/* main-ring-read.c: the ring on io_uring in completion mode; each pipe has a task that awaits
   a one-char uring_read, sends the char on, and does it again, ROUNDS times. */
#include <errno.h>
#include <stdbool.h>
#include "measuring/ring.h"
#include "uring/choose.h"

struct uring_hop {
    struct future base;
    struct ring *ring;
    struct reactor *reactor;
    long i, left;                       /* its pipe; hops it has still to make */
    bool reading;                       /* read is initialised and not yet ready */
    struct uring_read read;
};

static struct future_result uring_hop_poll(struct future *self, struct future_context *cx) {
    struct uring_hop *f = (struct uring_hop *)self;
    for (; f->left > 0; f->left--) {
        if (!f->reading)
            uring_read_init(&f->read, f->reactor, f->ring->fds[f->i][0], 1);
        f->reading = true;
        struct future_result r = future_poll(&f->read.base, cx);
        if (r.status == FUTURE_PENDING) return r;
        struct read_n_chars_output *out = r.output;
        ring_check(f->ring, out->len == 1 ? 0 : out->err ? out->err : -EPIPE, "reading");
        ring_send(f->ring, f->i, out->text[0]);
        future_drop(&f->read.base);
        f->reading = false;
    }
    return future_ready(NULL);
}

static void uring_hop_drop(struct future *self) {
    struct uring_hop *f = (struct uring_hop *)self;
    if (f->reading) future_drop(&f->read.base);
}
int main(int argc, char **argv) {
    static const struct future_vtable vtable = {uring_hop_poll, uring_hop_drop};
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    ring_check(&ring, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    ring_check(&ring, ex ? 0 : -ENOMEM, "executor_new");
    for (long i = 0; i < ring.pipes; i++) {
        struct uring_hop f = {.base = {&vtable}, .ring = &ring, .reactor = reactor, .i = i,
                              .left = ring.rounds};
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
