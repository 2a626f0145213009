/* accept.c: the leaf future that accepts a connection, and waits out EMFILE and ENFILE. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include "sockets/sockets.h"

static bool sockets_accept_retries(int err)
{
    switch (err) {
    case EINTR: case ECONNABORTED:                      /* accept(2), ERRORS */
    case ENETDOWN: case EPROTO: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:  /* accept(2), Error handling */
        return true;
    default:
        return false;
    }
}
static struct future_result sockets_accept_wait_for_fd(struct sockets_accept *f,
                                                      struct future_context *cx)
{
    struct sockets_listener *l = f->listener;
    reactor_deregister(f->net->reactor, &l->io);    /* or epoll reports it readable forever */
    if (l->fd_waiter.vtable)
        waker_drop(l->fd_waiter);
    l->fd_waiter = waker_clone(cx->waker);
    return future_pending();
}

void sockets_listener_fd_freed(struct sockets_listener *l)
{
    struct raw_waker waker = l->fd_waiter;
    l->fd_waiter = (struct raw_waker){NULL, NULL};
    if (waker.vtable)
        waker_wake(waker);
}
static struct future_result sockets_accept_poll(struct future *self, struct future_context *cx)
{
    struct sockets_accept *f = (struct sockets_accept *)self;
    struct sockets_listener *l = f->listener;
    for (;;) {
        int fd = accept4(l->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            f->out.fd = fd;
            break;
        }
        if (sockets_accept_retries(errno))
            continue;                       /* not the listener's fault: the next one */
        l->out_of_fds += errno == EMFILE || errno == ENFILE;
        l->wait_err = -errno;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            return sockets_accept_wait_for_fd(f, cx);
        f->out.err = errno == EAGAIN ? reactor_register(f->net->reactor, &l->io, cx->waker)
                                     : -errno;
        if (f->out.err == 0)
            return future_pending();
        break;
    }
    reactor_disarm(f->net->reactor, &l->io);    /* the listener stays in epoll for the next */
    return future_ready(&f->out);
}
static void sockets_accept_drop(struct future *self)
{
    struct sockets_accept *f = (struct sockets_accept *)self;
    struct raw_waker waiter = f->listener->fd_waiter;
    f->listener->fd_waiter = (struct raw_waker){NULL, NULL};
    if (waiter.vtable)
        waker_drop(waiter);
    reactor_disarm(f->net->reactor, &f->listener->io);
}

void sockets_accept_init(struct sockets_accept *f, struct sockets_net *net,
                         struct sockets_listener *l)
{
    static const struct future_vtable vtable = {sockets_accept_poll, sockets_accept_drop};
    *f = (struct sockets_accept){{&vtable}, net, l, {-1, 0}};
}
