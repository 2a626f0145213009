/* echo.c: the echo server: an acceptor task and a task per connection. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "sockets/echo.h"
#include "sockets/sockets.h"

struct echo_connection;

struct echo_server {
    struct executor *executor;
    struct sockets_net net;
    struct sockets_listener listener;
    struct sockets_server_options options;
    struct sockets_server_stats *stats;
    struct echo_connection *connections;    /* live ones, linked through prev and next */
    unsigned long open;                     /* connections holding a descriptor */
    int stop_fd, err;
    bool stopping;
};
struct echo_connection {
    struct future base;
    enum { ECHO_START, ECHO_READING, ECHO_WRITING, ECHO_DONE } state;
    struct echo_server *server;
    struct echo_connection *prev, *next;
    struct sockets_socket socket;
    union { struct sockets_read read; struct sockets_write_all write; } op;
    char *buf;
};

static void echo_end(struct echo_connection *c)
{
    struct echo_server *s = c->server;
    if (c->state != ECHO_START) {
        *(c->prev ? &c->prev->next : &s->connections) = c->next;
        if (c->next)
            c->next->prev = c->prev;
    }
    c->state = ECHO_DONE;
    sockets_socket_close(&c->socket, &s->net);
    free(c->buf);
    s->open--;
    sockets_listener_fd_freed(&s->listener);
}

static bool echo_start(struct echo_connection *c)
{
    struct echo_server *s = c->server;
    if (s->stopping || !(c->buf = malloc(s->options.buffer))) {
        echo_end(c);
        return false;
    }
    c->next = s->connections;
    if (c->next)
        c->next->prev = c;
    s->connections = c;
    c->state = ECHO_READING;
    sockets_read_init(&c->op.read, &s->net, &c->socket, c->buf, s->options.buffer);
    return true;
}

static void echo_connection_drop(struct future *self)
{
    struct echo_connection *c = (struct echo_connection *)self;
    if (c->state != ECHO_DONE)
        echo_end(c);
}
static struct future_result echo_yield(struct echo_connection *c, struct future_context *cx)
{
    /* Not waker_wake_by_ref: the executor would poll it again before it waits on epoll. */
    if (reactor_register(c->server->net.reactor, &c->socket.in, cx->waker) == 0)
        return future_pending();
    echo_end(c);
    return future_ready(NULL);
}
static struct future_result echo_connection_poll(struct future *self, struct future_context *cx)
{
    struct echo_connection *c = (struct echo_connection *)self;
    struct echo_server *s = c->server;
    if (c->state == ECHO_START && !echo_start(c))
        return future_ready(NULL);
    for (unsigned echoed = 0;;) {
        struct future *op = c->state == ECHO_READING ? &c->op.read.base : &c->op.write.base;
        struct future_result r = future_poll(op, cx);
        if (r.status == FUTURE_PENDING)
            return r;
        if (c->state == ECHO_READING) {
            struct sockets_read_output *in = r.output;
            if (in->err < 0 || in->len == 0)
                break;                      /* reset, or end of stream: all echoed */
            if ((s->stats->held += in->len) > s->stats->held_peak)
                s->stats->held_peak = s->stats->held;
            c->state = ECHO_WRITING;
            sockets_write_all_init(&c->op.write, &s->net, &c->socket, c->buf, in->len);
        } else {
            struct sockets_write_output *out = r.output;
            s->stats->held -= c->op.write.len;
            if (out->err < 0)
                break;                      /* EPIPE or ECONNRESET: the client has gone */
            c->state = ECHO_READING;
            sockets_read_init(&c->op.read, &s->net, &c->socket, c->buf, s->options.buffer);
            if (++echoed > s->stats->longest_turn)
                s->stats->longest_turn = echoed;
            if (echoed == s->options.budget)        /* never, when the budget is 0 */
                return echo_yield(c, cx);
        }
    }
    echo_end(c);
    return future_ready(NULL);
}
struct echo_acceptor {
    struct future base;
    bool started, done;
    struct echo_server *server;
    struct sockets_accept accept;
    struct read_n_chars stop;
    struct signalfd_siginfo signal;
};

static struct future_result echo_stop(struct echo_acceptor *a, int err)
{
    struct echo_server *s = a->server;
    s->stopping = true;
    s->err = err;
    for (struct echo_connection *c = s->connections; c; c = c->next)
        shutdown(c->socket.in.fd, SHUT_RDWR);
    future_drop(&a->accept.base);
    future_drop(&a->stop.base);
    reactor_deregister(s->net.reactor, &s->listener.io);
    a->done = true;
    return future_ready(NULL);
}

static void echo_acceptor_drop(struct future *self)
{
    struct echo_acceptor *a = (struct echo_acceptor *)self;
    if (a->started && !a->done) {
        future_drop(&a->accept.base);
        future_drop(&a->stop.base);
        reactor_deregister(a->server->net.reactor, &a->server->listener.io);
    }
}
static bool echo_out_of_fds_for_good(const struct echo_server *s)
{
    const struct sockets_listener *l = &s->listener;
    return l->fd_waiter.vtable && (l->wait_err == -EMFILE || l->wait_err == -ENFILE) &&
           s->open == 0;
}

static void echo_spawn(struct echo_server *s, int fd)
{
    static const struct future_vtable vtable = {echo_connection_poll, echo_connection_drop};
    struct echo_connection c = {.base = {&vtable}, .state = ECHO_START, .server = s};
    sockets_socket_init(&c.socket, fd);
    sockets_no_delay(fd);
    s->stats->served++;
    s->open++;
    if (executor_spawn(s->executor, &c.base, sizeof c) < 0)
        echo_end(&c);                       /* out of memory: close it, serve the others */
}

static struct future_result echo_acceptor_poll(struct future *self, struct future_context *cx)
{
    struct echo_acceptor *a = (struct echo_acceptor *)self;
    struct echo_server *s = a->server;
    if (!a->started) {
        a->started = true;
        read_n_chars_init(&a->stop, s->net.reactor, s->stop_fd, (char *)&a->signal,
                          sizeof a->signal);
        sockets_accept_init(&a->accept, &s->net, &s->listener);
    }
    if (future_poll(&a->stop.base, cx).status == FUTURE_READY)
        return echo_stop(a, 0);
    for (int i = 0; i < 64; i++) {
        struct future_result r = future_poll(&a->accept.base, cx);
        if (r.status == FUTURE_PENDING)
            return echo_out_of_fds_for_good(s) ? echo_stop(a, s->listener.wait_err) : r;
        struct sockets_accept_output *out = r.output;
        if (out->err < 0)
            return echo_stop(a, out->err);
        echo_spawn(s, out->fd);
        sockets_accept_init(&a->accept, &s->net, &s->listener);
    }
    /* a burst: yield through the reactor, as a connection does; the listener is readable */
    int err = reactor_register(s->net.reactor, &s->listener.io, cx->waker);
    return err == 0 ? future_pending() : echo_stop(a, err);
}
int sockets_serve(int listen_fd, int stop_fd, const struct sockets_server_options *options,
                  struct sockets_server_stats *stats)
{
    static const struct future_vtable acceptor_vtable = {echo_acceptor_poll, echo_acceptor_drop};
    struct echo_server s = {.options = *options, .stats = stats, .stop_fd = stop_fd,
                            .listener = {{listen_fd, {NULL, NULL}}, {NULL, NULL}, 0, 0}};
    struct reactor *r = NULL;
    int err = reactor_new(&r);
    if (err == 0 && (err = sockets_net_init(&s.net, r)) == 0) {
        struct echo_acceptor a = {.base = {&acceptor_vtable}, .server = &s};
        if (!(s.executor = executor_new()))
            err = -ENOMEM;
        if (err == 0 && (err = executor_spawn(s.executor, &a.base, sizeof a)) == 0)
            err = executor_run(s.executor, r);
        executor_free(s.executor);
        sockets_net_close(&s.net);
    }
    reactor_free(r);
    stats->out_of_fds = s.listener.out_of_fds;
    return err < 0 ? err : s.err;
}
