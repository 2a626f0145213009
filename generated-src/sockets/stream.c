/* stream.c: the leaf futures that read some bytes and write all of them. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include "sockets/sockets.h"

static struct future_result sockets_read_poll(struct future *self, struct future_context *cx)
{
    struct sockets_read *f = (struct sockets_read *)self;
    for (bool drained = f->socket->drained;; drained = false) {
        ssize_t got = drained ? -1 : recv(f->socket->in.fd, f->buf, f->cap, 0);
        if (got >= 0) {
            f->out.len = (size_t)got;
            f->socket->drained = got > 0 && (size_t)got < f->cap;  /* short: empty for now */
            break;
        }
        if (!drained && errno == EINTR)
            continue;
        f->socket->drained = false;
        f->out.err = drained || errno == EAGAIN
            ? reactor_register(f->net->reactor, &f->socket->in, cx->waker) : -errno;
        if (f->out.err == 0)
            return future_pending();
        break;
    }
    reactor_disarm(f->net->reactor, &f->socket->in);
    return future_ready(&f->out);
}

static void sockets_read_drop(struct future *self)
{
    struct sockets_read *f = (struct sockets_read *)self;
    reactor_disarm(f->net->reactor, &f->socket->in);
}

void sockets_read_init(struct sockets_read *f, struct sockets_net *net, struct sockets_socket *s,
                       char *buf, size_t cap)
{
    static const struct future_vtable vtable = {sockets_read_poll, sockets_read_drop};
    *f = (struct sockets_read){{&vtable}, net, s, buf, cap, {0, 0}};
}
static struct future_result sockets_write_all_poll(struct future *self,
                                                   struct future_context *cx)
{
    struct sockets_write_all *f = (struct sockets_write_all *)self;
    while (f->out.len < f->len) {
        ssize_t put = send(f->socket->out.fd, f->buf + f->out.len, f->len - f->out.len,
                           MSG_NOSIGNAL);
        if (put >= 0) {
            f->out.len += (size_t)put;
            continue;
        }
        if (errno == EINTR)
            continue;
        f->out.err = errno == EAGAIN
            ? sockets_wait_writable(f->net, &f->socket->out, cx->waker) : -errno;
        if (f->out.err == 0)
            return future_pending();        /* back-pressure: wait until it drains */
        break;
    }
    sockets_disarm_writer(f->net, &f->socket->out);
    return future_ready(&f->out);
}

static void sockets_write_all_drop(struct future *self)
{
    struct sockets_write_all *f = (struct sockets_write_all *)self;
    sockets_disarm_writer(f->net, &f->socket->out);
}

void sockets_write_all_init(struct sockets_write_all *f, struct sockets_net *net,
                            struct sockets_socket *s, const char *buf, size_t len)
{
    static const struct future_vtable vtable = {sockets_write_all_poll, sockets_write_all_drop};
    *f = (struct sockets_write_all){{&vtable}, net, s, buf, len, {0, 0}};
}
