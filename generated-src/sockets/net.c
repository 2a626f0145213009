/* net.c: waiting to write, with a second epoll instance that the core reactor watches. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sockets/sockets.h"

static const struct raw_waker_vtable net_writers_vtable;

static struct raw_waker net_writers_clone(const void *data)
{
    return (struct raw_waker){data, &net_writers_vtable};
}

static void net_writers_drop(const void *data) { (void)data; }

static void net_writers_wake(const void *data)
{
    struct sockets_net *net = (struct sockets_net *)data;
    struct epoll_event events[64];
    int n;
    do n = epoll_wait(net->writers.fd, events, 64, 0); while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) {
        struct sockets_write_io *io = events[i].data.ptr;
        struct raw_waker waker = io->waker;
        if (!waker.vtable)
            continue;                       /* disarmed since it was armed */
        io->waker = (struct raw_waker){NULL, NULL};
        net->waiting--;
        waker_wake(waker);
    }
    if (net->waiting > 0)       /* still in the core's epoll: no system call (future chapter) */
        (void)reactor_register(net->reactor, &net->writers,
                               &(struct raw_waker){data, &net_writers_vtable});
}

static const struct raw_waker_vtable net_writers_vtable = {
    net_writers_clone, net_writers_wake, net_writers_wake, net_writers_drop};
int sockets_net_init(struct sockets_net *net, struct reactor *r)
{
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return -errno;
    *net = (struct sockets_net){r, {epfd, {NULL, NULL}}, 0};
    return 0;
}

void sockets_net_close(struct sockets_net *net)
{
    reactor_deregister(net->reactor, &net->writers);
    close(net->writers.fd);
}

int sockets_wait_writable(struct sockets_net *net, struct sockets_write_io *io,
                          const struct raw_waker *waker)
{
    if (io->waker.vtable && waker_will_wake(&io->waker, waker))
        return 0;                           /* armed already, for the same task */
    if (io->waker.vtable) {                 /* armed: a new waker only */
        waker_drop(io->waker);
        io->waker = waker_clone(waker);
        return 0;
    }
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLONESHOT, .data.ptr = io};
    if (epoll_ctl(net->writers.fd, io->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, io->fd, &ev) < 0)
        return -errno;
    io->in_epoll = true;
    struct raw_waker drain = {net, &net_writers_vtable};
    int err = reactor_register(net->reactor, &net->writers, &drain);   /* once: then in epoll */
    if (err < 0)
        return err;
    io->waker = waker_clone(waker);
    net->waiting++;
    return 0;
}
void sockets_disarm_writer(struct sockets_net *net, struct sockets_write_io *io)
{
    struct raw_waker waker = io->waker;
    if (!waker.vtable)
        return;
    io->waker = (struct raw_waker){NULL, NULL};
    if (--net->waiting == 0)
        reactor_disarm(net->reactor, &net->writers);
    waker_drop(waker);
}

int sockets_forget_writer(struct sockets_net *net, struct sockets_write_io *io)
{
    int err = io->in_epoll && epoll_ctl(net->writers.fd, EPOLL_CTL_DEL, io->fd, NULL) < 0;
    err = err ? -errno : 0;
    io->in_epoll = false;
    sockets_disarm_writer(net, io);
    return err;
}
void sockets_socket_init(struct sockets_socket *s, int fd)
{
    *s = (struct sockets_socket){{fd, {NULL, NULL}}, {fd, false, {NULL, NULL}}, false};
}

void sockets_no_delay(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  /* only a hint */
}

void sockets_socket_close(struct sockets_socket *s, struct sockets_net *net)
{
    if (s->in.fd < 0)
        return;
    reactor_deregister(net->reactor, &s->in);
    sockets_forget_writer(net, &s->out);
    close(s->in.fd);
    s->in.fd = s->out.fd = -1;
}
