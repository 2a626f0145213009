/* main-echo-libevent.c: the echo server on libevent's bufferevents: the input buffer moved
   to the output buffer, and reading disabled while the output holds ECHO_BUFFER bytes. */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include "measuring/bench.h"
#include "measuring/echo.h"

static struct echo_server server;

static void bev_echo_read(struct bufferevent *bev, void *arg)
{
    struct evbuffer *out = bufferevent_get_output(bev);
    (void)arg;
    evbuffer_add_buffer(out, bufferevent_get_input(bev));
    if (evbuffer_get_length(out) >= ECHO_BUFFER) bufferevent_disable(bev, EV_READ);
}

static void bev_echo_written(struct bufferevent *bev, void *arg)
{
    (void)arg;
    if (!(bufferevent_get_enabled(bev) & EV_READ)) bufferevent_enable(bev, EV_READ);
}

static void bev_echo_written_last(struct bufferevent *bev, void *arg)
{
    (void)arg;
    bufferevent_free(bev);                      /* half-closed, and now all echoed */
}

static void bev_echo_event(struct bufferevent *bev, short what, void *arg)
{
    (void)arg;
    if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)
        && evbuffer_get_length(bufferevent_get_output(bev)) > 0)
        bufferevent_setcb(bev, NULL, bev_echo_written_last, bev_echo_event, NULL);
    else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        bufferevent_free(bev);
}

static void bev_echo_accept(struct evconnlistener *l, evutil_socket_t fd,
                            struct sockaddr *addr, int len, void *arg)
{
    (void)addr, (void)len, (void)arg;
    echo_no_delay(fd);
    struct bufferevent *bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
                                                     BEV_OPT_CLOSE_ON_FREE);
    bench_check(server.name, bev ? 0 : -ENOMEM, "bufferevent_socket_new");
    bufferevent_setcb(bev, bev_echo_read, bev_echo_written, bev_echo_event, NULL);
    bench_check(server.name, bufferevent_enable(bev, EV_READ) ? -EIO : 0, "bufferevent_enable");
    server.served++;
}

static void bev_echo_stop(evutil_socket_t signum, short what, void *base)
{
    (void)signum, (void)what;
    event_base_loopbreak(base);
}

int main(int argc, char **argv)
{
    if (echo_open(&server, argc, argv) < 0) return 2;
    struct event_base *base = event_base_new();
    bench_check(server.name, base ? 0 : -ENOMEM, "event_base_new");
    struct evconnlistener *l = evconnlistener_new(base, bev_echo_accept, NULL,
                                                  LEV_OPT_CLOSE_ON_FREE, -1, server.listener);
    bench_check(server.name, l ? 0 : -ENOMEM, "evconnlistener_new");
    server.listener = -1;                       /* the listener closes it when freed */
    struct event *sigint = evsignal_new(base, SIGINT, bev_echo_stop, base);
    struct event *sigterm = evsignal_new(base, SIGTERM, bev_echo_stop, base);
    bench_check(server.name, sigint && sigterm && !event_add(sigint, NULL)
                && !event_add(sigterm, NULL) ? 0 : -EIO, "evsignal_new");
    bench_check(server.name, event_base_dispatch(base) < 0 ? -EIO : 0, "event_base_dispatch");
    event_free(sigint);
    event_free(sigterm);
    evconnlistener_free(l);
    event_base_free(base);
    libevent_global_shutdown();
    echo_close(&server);
    return 0;
}
