/* client.c: one task per connection: send a chunk, read its echo, check it, again. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sockets/address.h"
#include "sockets/client.h"
#include "sockets/sockets.h"

static uint64_t client_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

unsigned char sockets_client_byte(size_t client, size_t offset)
{
    uint64_t word = client_mix((uint64_t)client * 0x9e3779b97f4a7c15u + offset / 8);
    return (unsigned char)(word >> (8 * (offset % 8)));
}

static void client_fill(unsigned char *buf, size_t client, size_t offset, size_t len)
{
    uint64_t word = 0;
    for (size_t i = 0; i < len; i++) {
        if (i == 0 || (offset + i) % 8 == 0)
            word = client_mix((uint64_t)client * 0x9e3779b97f4a7c15u + (offset + i) / 8);
        buf[i] = (unsigned char)(word >> (8 * ((offset + i) % 8)));
    }
}

static double client_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}
struct client_run {
    const struct sockets_client_options *options;
    struct sockets_net net;
    double *rtt_us;
    size_t messages;
    FILE *err;
    int failed;
    char first[64];                 /* the first failure's step, and its error */
    int first_err;
    size_t same;                    /* later failures that were the same */
};

struct client_task {
    struct future base;
    enum { CLIENT_START, CLIENT_CONNECTING, CLIENT_ECHOING } state;
    bool written;                   /* the chunk's write-all future is ready */
    struct client_run *run;
    size_t id, offset, len, got;    /* offset: this chunk's place in the stream */
    double sent_us;
    struct sockets_socket socket;
    union {
        struct sockets_connect connect;
        struct { struct sockets_write_all write; struct sockets_read read; } echo;
    } op;
    unsigned char *out, *in;
};

static struct future_result client_end(struct client_task *c)
{
    sockets_socket_close(&c->socket, &c->run->net);
    free(c->out);
    free(c->in);
    c->out = c->in = NULL;
    return future_ready(NULL);
}

static const char *client_hint(const struct sockaddr_in *addr, int err, char *buf,
                               size_t size)
{
    char where[32];
    sockets_format_address(addr, where, sizeof where);
    if (err == -ECONNREFUSED)
        snprintf(buf, size, "; nobody listens on %s (start build/sockets %s)", where, where);
    else if (err == -EMFILE)
        snprintf(buf, size, "; one descriptor a client: raise the limit (ulimit -n) or use "
                 "fewer clients");
    else if (err == -ENFILE)
        snprintf(buf, size, "; the system's file table is full: use fewer clients");
    else
        buf[0] = '\0';
    return buf;
}

static struct future_result client_fail(struct client_task *c, size_t at, const char *what,
                                        int err)
{
    struct client_run *run = c->run;
    char hint[128];
    if (run->failed && run->first_err == err && strcmp(run->first, what) == 0) {
        run->same++;
        return client_end(c);
    }
    if (!run->failed) {
        snprintf(run->first, sizeof run->first, "%s", what);
        run->first_err = err;
    }
    fprintf(run->err, "sockets-client: client %zu: byte %zu: %s%s%s%s\n", c->id, at, what,
            err ? ": " : "", err ? strerror(-err) : "",
            client_hint(&run->options->addr, err, hint, sizeof hint));
    run->failed = 1;
    return client_end(c);
}

static void client_drop(struct future *self)
{
    client_end((struct client_task *)self);
}
static void client_send_next(struct client_task *c)
{
    const struct sockets_client_options *o = c->run->options;
    c->len = o->bytes - c->offset < o->chunk ? o->bytes - c->offset : o->chunk;
    client_fill(c->out, c->id, c->offset, c->len);
    c->got = 0;
    c->written = false;
    c->sent_us = client_now_us();
    c->state = CLIENT_ECHOING;
    sockets_write_all_init(&c->op.echo.write, &c->run->net, &c->socket, (char *)c->out, c->len);
    sockets_read_init(&c->op.echo.read, &c->run->net, &c->socket, (char *)c->in, c->len);
}

static void client_read_next(struct client_task *c)
{
    sockets_read_init(&c->op.echo.read, &c->run->net, &c->socket, (char *)c->in + c->got,
                      c->len - c->got);
}

static size_t client_mismatch(const struct client_task *c, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (c->in[i] != c->out[i])
            return i;
    return to;
}
static struct future_result client_poll(struct future *self, struct future_context *cx)
{
    struct client_task *c = (struct client_task *)self;
    struct client_run *run = c->run;
    if (c->state == CLIENT_START) {
        size_t chunk = run->options->chunk;
        if (!(c->out = malloc(chunk)) || !(c->in = malloc(chunk)))
            return client_fail(c, 0, "out of memory", 0);
        c->state = CLIENT_CONNECTING;
        sockets_connect_init(&c->op.connect, &run->net, &c->socket, &run->options->addr);
    }
    if (c->state == CLIENT_CONNECTING) {
        if (future_poll(&c->op.connect.base, cx).status == FUTURE_PENDING)
            return future_pending();
        if (c->op.connect.err < 0)
            return client_fail(c, 0, "connect", c->op.connect.err);
        sockets_no_delay(c->socket.in.fd);
        if (run->options->bytes == 0)
            return client_end(c);
        client_send_next(c);
    }
    for (;;) {
        struct sockets_write_all *w = &c->op.echo.write;
        if (!c->written && future_poll(&w->base, cx).status == FUTURE_READY) {
            if (w->out.err < 0)
                return client_fail(c, c->offset + w->out.len, "send", w->out.err);
            c->written = true;
        }
        struct future_result r = future_poll(&c->op.echo.read.base, cx);
        if (r.status == FUTURE_PENDING)
            return r;                       /* waiting to read, and perhaps to write */
        struct sockets_read_output *in = r.output;
        if (in->err < 0 || in->len == 0)
            return client_fail(c, c->offset + c->got, in->err < 0 ? "recv"
                               : "the server closed the connection", in->err);
        size_t bad = client_mismatch(c, c->got, c->got + in->len);
        if (bad < c->got + in->len) {
            char what[64];
            snprintf(what, sizeof what, "sent 0x%02x, got 0x%02x", c->out[bad], c->in[bad]);
            return client_fail(c, c->offset + bad, what, 0);
        }
        if ((c->got += in->len) < c->len) {
            client_read_next(c);
            continue;
        }
        run->rtt_us[run->messages++] = client_now_us() - c->sent_us;   /* all echoed: */
        if ((c->offset += c->len) == run->options->bytes)              /* all written */
            return client_end(c);
        client_send_next(c);
    }
}
static int client_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double client_percentile(const double *sorted, size_t n, unsigned p)
{
    size_t rank = (n * p + 99) / 100;
    return n ? sorted[rank ? rank - 1 : 0] : 0;
}

int sockets_client_run(const struct sockets_client_options *options,
                       struct sockets_client_report *report, FILE *err)
{
    static const struct future_vtable vtable = {client_poll, client_drop};
    size_t per_client = options->chunk ? (options->bytes + options->chunk - 1) / options->chunk : 0;
    struct client_run run = {.options = options, .err = err,
                             .rtt_us = calloc(options->clients * per_client + 1, sizeof(double))};
    struct reactor *r = NULL;
    struct executor *ex = NULL;
    int rc = run.rtt_us ? reactor_new(&r) : -ENOMEM;
    if (rc == 0 && (rc = sockets_net_init(&run.net, r)) == 0) {
        double start = client_now_us();
        if (!(ex = executor_new()))
            rc = -ENOMEM;
        for (size_t i = 0; rc == 0 && i < options->clients; i++) {
            struct client_task c = {.base = {&vtable}, .run = &run, .id = i};
            sockets_socket_init(&c.socket, -1);     /* no descriptor: nothing to close */
            rc = executor_spawn(ex, &c.base, sizeof c);
        }
        if (rc == 0)
            rc = executor_run(ex, r);
        double seconds = (client_now_us() - start) / 1e6;
        executor_free(ex);
        sockets_net_close(&run.net);
        qsort(run.rtt_us, run.messages, sizeof(double), client_compare);
        *report = (struct sockets_client_report){run.messages, seconds,
            (double)options->clients * (double)options->bytes / 1e6 / seconds,
            client_percentile(run.rtt_us, run.messages, 50),
            client_percentile(run.rtt_us, run.messages, 99)};
    }
    reactor_free(r);
    free(run.rtt_us);
    if (run.same)
        fprintf(err, "sockets-client: %zu more client%s failed the same way\n", run.same,
                run.same == 1 ? "" : "s");
    if (rc < 0) {
        char hint[128];
        fprintf(err, "sockets-client: %s%s\n", strerror(-rc),
                client_hint(&options->addr, rc, hint, sizeof hint));
    }
    return rc < 0 ? rc : -run.failed;
}
