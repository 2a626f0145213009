/* read_n_chars.c: the leaf future that reads exactly n chars. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <unistd.h>
#include "future/future.h"

static struct future_result read_n_chars_poll(struct future *self, struct future_context *cx) {
    struct read_n_chars *f = (struct read_n_chars *)self;
    struct reactor_io *io = f->borrowed ? f->borrowed : &f->io;
    while (f->out.len < f->n && f->out.err == 0) {
        ssize_t got = read(io->fd, f->out.text + f->out.len, f->n - f->out.len);
        if (got == 0) break;                /* end of file: every writer has closed */
        if (got > 0 ? (f->out.len += (size_t)got) == f->n : errno == EINTR) continue;
        /* EAGAIN, or a short read: the pipe is drained (epoll(7)), so wait without reading */
        f->out.err = got > 0 || errno == EAGAIN ? reactor_register(f->reactor, io, cx->waker)
                                                : -errno;
        if (f->out.err == 0) return future_pending();
    }
    /* ready: a borrowed registration stays in epoll for the next reader, its own leaves */
    if (f->borrowed) reactor_disarm(f->reactor, io); else reactor_deregister(f->reactor, io);
    return future_ready(&f->out);
}

static void read_n_chars_drop(struct future *self) {
    struct read_n_chars *f = (struct read_n_chars *)self;
    if (!f->borrowed) reactor_deregister(f->reactor, &f->io);
}

void read_n_chars_init(struct read_n_chars *f, struct reactor *r, int fd, char *buf, size_t n) {
    static const struct future_vtable vtable = {read_n_chars_poll, read_n_chars_drop};
    *f = (struct read_n_chars){{&vtable}, r, {fd, {NULL, NULL}}, NULL, n, {buf, 0, 0}};
}

void read_n_chars_borrow(struct read_n_chars *f, struct reactor_io *io) { f->borrowed = io; }
