/* connect.c: the leaf future that connects a new non-blocking TCP socket. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include "sockets/sockets.h"

static struct future_result sockets_connect_done(struct sockets_connect *f, int err)
{
    f->err = err;
    if (err < 0)
        sockets_socket_close(f->socket, f->net);
    return future_ready(&f->err);
}

static struct future_result sockets_connect_poll(struct future *self, struct future_context *cx)
{
    struct sockets_connect *f = (struct sockets_connect *)self;
    struct sockets_socket *s = f->socket;
    if (!f->started) {
        f->started = true;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return sockets_connect_done(f, -errno);
        sockets_socket_init(s, fd);
        if (connect(fd, (const struct sockaddr *)&f->addr, sizeof f->addr) == 0)
            return sockets_connect_done(f, 0);
        if (errno != EINPROGRESS && errno != EINTR)
            return sockets_connect_done(f, -errno);
    } else if (!s->out.waker.vtable) {      /* woken by writability: connected, or failed */
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(s->out.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
            err = errno;
        return sockets_connect_done(f, -err);
    }
    int err = sockets_wait_writable(f->net, &s->out, cx->waker);
    return err < 0 ? sockets_connect_done(f, err) : future_pending();
}

static void sockets_connect_drop(struct future *self)
{
    struct sockets_connect *f = (struct sockets_connect *)self;
    if (f->started)
        sockets_disarm_writer(f->net, &f->socket->out);
}

void sockets_connect_init(struct sockets_connect *f, struct sockets_net *net,
                          struct sockets_socket *s, const struct sockaddr_in *addr)
{
    static const struct future_vtable vtable = {sockets_connect_poll, sockets_connect_drop};
    *f = (struct sockets_connect){{&vtable}, net, s, *addr, false, 0};
    sockets_socket_init(s, -1);
}
