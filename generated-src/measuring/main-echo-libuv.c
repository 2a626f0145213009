/* main-echo-libuv.c: the echo server on libuv: TCP streams, one buffer for each connection,
   uv_try_write first and uv_write for the rest, with reading stopped until it has gone. */
#define _POSIX_C_SOURCE 200809L         /* uv.h uses POSIX 2008 thread types */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <uv.h>
#include "measuring/bench.h"
#include "measuring/echo.h"

struct uv_echo { uv_tcp_t tcp; uv_write_t write; char buf[ECHO_BUFFER]; };
static struct echo_server server;

static void uv_echo_free(uv_handle_t *h) { free(h); }

static void uv_echo_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct uv_echo *c = (struct uv_echo *)h;
    (void)suggested;
    *buf = uv_buf_init(c->buf, sizeof c->buf);
}

static void uv_echo_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf);

static void uv_echo_written(uv_write_t *w, int status)
{
    uv_stream_t *s = w->handle;
    if (status < 0) uv_close((uv_handle_t *)s, uv_echo_free);
    else uv_read_start(s, uv_echo_alloc, uv_echo_read);
}

static void uv_echo_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct uv_echo *c = (struct uv_echo *)s;
    if (n == 0) return;                         /* EAGAIN: nothing this time */
    if (n < 0) {                                /* UV_EOF, or the client is gone */
        uv_close((uv_handle_t *)s, uv_echo_free);
        return;
    }
    uv_buf_t rest = uv_buf_init(buf->base, (unsigned)n);
    int put = uv_try_write(s, &rest, 1);
    if (put == n) return;
    if (put < 0 && put != UV_EAGAIN) {
        uv_close((uv_handle_t *)s, uv_echo_free);
        return;
    }
    if (put > 0) rest = uv_buf_init(buf->base + put, (unsigned)(n - put));
    uv_read_stop(s);                            /* one buffer: read again once it has gone */
    if (uv_write(&c->write, s, &rest, 1, uv_echo_written) < 0)
        uv_close((uv_handle_t *)s, uv_echo_free);
}

static void uv_echo_accept(uv_stream_t *listener, int status)
{
    struct uv_echo *c = malloc(sizeof *c);
    bench_check(server.name, status < 0 ? status : c ? 0 : -ENOMEM, "accepting");
    uv_tcp_init(listener->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) < 0) {
        uv_close((uv_handle_t *)&c->tcp, uv_echo_free);
        return;
    }
    server.served++;
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, uv_echo_alloc, uv_echo_read);
}

static void uv_echo_close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, h->data ? uv_echo_free : NULL);
}

static void uv_echo_stop(uv_signal_t *sig, int signum)
{
    (void)signum;
    uv_walk(sig->loop, uv_echo_close_handle, NULL);
}

int main(int argc, char **argv)
{
    if (echo_open(&server, argc, argv) < 0) return 2;
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_signal_t sigint, sigterm;
    bench_check(server.name, uv_loop_init(&loop), "uv_loop_init");
    bench_check(server.name, uv_tcp_init(&loop, &listener), "uv_tcp_init");
    bench_check(server.name, uv_tcp_open(&listener, server.listener), "uv_tcp_open");
    server.listener = -1;                       /* libuv closes it with the handle */
    bench_check(server.name, uv_listen((uv_stream_t *)&listener, SOMAXCONN, uv_echo_accept),
                "uv_listen");
    uv_signal_init(&loop, &sigint);
    uv_signal_init(&loop, &sigterm);
    listener.data = sigint.data = sigterm.data = NULL;     /* not records: nothing to free */
    bench_check(server.name, uv_signal_start(&sigint, uv_echo_stop, SIGINT), "uv_signal_start");
    bench_check(server.name, uv_signal_start(&sigterm, uv_echo_stop, SIGTERM),
                "uv_signal_start");
    uv_run(&loop, UV_RUN_DEFAULT);              /* until every handle is closed */
    bench_check(server.name, uv_loop_close(&loop), "uv_loop_close");
    echo_close(&server);
    return 0;
}
