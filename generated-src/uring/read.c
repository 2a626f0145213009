/* read.c: ReadNChars on io_uring, a completion-based leaf future. */
#include <errno.h>
#include "uring/uring.h"

static struct future_result uring_read_poll(struct future *self, struct future_context *cx) {
    struct uring_read *f = (struct uring_read *)self;
    struct uring_op *op = f->op;
    if (op && op->in_flight) {              /* still the kernel's: only the waker changes */
        uring_op_set_waker(op, cx->waker);
        return future_pending();
    }
    if (op && op->done) {                   /* a completion arrived: take its result */
        op->done = false;
        if (op->res <= 0 && op->res != -EINTR) {
            f->out.err = op->res;           /* 0: end of file, every writer closed */
            return future_ready(&f->out);
        }
        f->out.len += op->res > 0 ? (size_t)op->res : 0;
    }
    if (f->out.len == f->n) return future_ready(&f->out);
    if (!op && !(f->op = op = uring_op_new(f->n))) {
        f->out.err = -ENOMEM;
        return future_ready(&f->out);
    }
    f->out.text = op->buf;
    uring_submit_read(f->reactor, op, f->fd, f->out.len, f->n - f->out.len, cx->waker);
    return future_pending();
}
static void uring_read_drop(struct future *self) {
    struct uring_read *f = (struct uring_read *)self;
    if (f->op) uring_op_release(f->reactor, f->op);
}

void uring_read_init(struct uring_read *f, struct reactor *r, int fd, size_t n) {
    static const struct future_vtable vtable = {uring_read_poll, uring_read_drop};
    *f = (struct uring_read){{&vtable}, r, fd, n, NULL, {NULL, 0, 0}};
}
