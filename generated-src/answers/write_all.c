/* write_all.c: WriteAll, waiting for room through an epoll instance that watches EPOLLOUT. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "answers/write_all.h"

static int write_all_wait(struct write_all *f, const struct raw_waker *waker) {
    if (f->room.fd < 0) {
        int ep = epoll_create1(EPOLL_CLOEXEC);
        struct epoll_event ev = {.events = EPOLLOUT};   /* level-triggered, like the reactor */
        if (ep < 0) return -errno;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, f->fd, &ev) < 0) {
            int err = -errno;
            close(ep);
            return err;
        }
        f->room.fd = ep;
    }
    return reactor_register(f->reactor, &f->room, waker);  /* wakes once ep is readable */
}
static void write_all_drop(struct future *self) {
    struct write_all *f = (struct write_all *)self;
    if (f->room.fd >= 0) {
        reactor_deregister(f->reactor, &f->room);
        close(f->room.fd);
        f->room.fd = -1;
    }
}
static struct future_result write_all_poll(struct future *self, struct future_context *cx) {
    struct write_all *f = (struct write_all *)self;
    while (f->out.written < f->len && f->out.err == 0) {
        ssize_t n = write(f->fd, f->buf + f->out.written, f->len - f->out.written);
        if (n >= 0) f->out.written += (size_t)n;
        else if (errno == EAGAIN && (f->out.err = write_all_wait(f, cx->waker)) == 0)
            return future_pending();
        else if (errno != EINTR && f->out.err == 0) f->out.err = -errno;
    }
    write_all_drop(self);               /* finished: the watcher goes now, not with us */
    return future_ready(&f->out);
}
void write_all_init(struct write_all *f, struct reactor *r, int fd, const char *buf,
                    size_t len) {
    static const struct future_vtable vtable = {write_all_poll, write_all_drop};
    *f = (struct write_all){{&vtable}, r, fd, {-1, {NULL, NULL}}, buf, len, {0, 0}};
}
