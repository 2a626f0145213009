/* main-pingpong-read.c: the measuring chapter's ping-pong on io_uring in completion mode; each
   end is a task that awaits a uring_read of one message and hands it to pingpong_step. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/pingpong.h"
#include "uring/choose.h"

/* The message a completion delivered, for pingpong_step's one read to take. */
static struct { const char *text; size_t len; } pingpong_delivered;

static ssize_t pingpong_take(int fd, void *buf, size_t len) {
    size_t n = pingpong_delivered.len < len ? pingpong_delivered.len : len;
    (void)fd;
    if (n == 0) {
        errno = EAGAIN;
        return -1;
    }
    memcpy(buf, pingpong_delivered.text, n);
    pingpong_delivered.len = 0;
    return (ssize_t)n;
}

#define read pingpong_take
/* NOLINTNEXTLINE(bugprone-suspicious-include): the same harness, its read(2) replaced */
#include "measuring/pingpong.c"
#undef read
struct uring_pingpong_end {
    struct future base;
    struct pingpong *pp;
    struct reactor *reactor;
    long end;
    bool reading;                       /* read is initialised and not yet ready */
    struct uring_read read;
};

static struct future_result uring_pingpong_poll(struct future *self,
                                                struct future_context *cx) {
    struct uring_pingpong_end *f = (struct uring_pingpong_end *)self;
    size_t size = (size_t)f->pp->size;
    while (!pingpong_end_done(f->pp, f->end)) {
        if (!f->reading)
            uring_read_init(&f->read, f->reactor, pingpong_fd(f->pp, f->end), size);
        f->reading = true;
        struct future_result r = future_poll(&f->read.base, cx);
        if (r.status == FUTURE_PENDING) return r;
        struct read_n_chars_output *out = r.output;
        bench_check(f->pp->name, out->len == size ? 0 : out->err ? out->err : -EPIPE, "read");
        pingpong_delivered.text = out->text;
        pingpong_delivered.len = out->len;
        pingpong_step(f->pp, f->end);
        future_drop(&f->read.base);
        f->reading = false;
    }
    return future_ready(NULL);
}

static void uring_pingpong_drop(struct future *self) {
    struct uring_pingpong_end *f = (struct uring_pingpong_end *)self;
    if (f->reading) future_drop(&f->read.base);
}
int main(int argc, char **argv) {
    static const struct future_vtable vtable = {uring_pingpong_poll, uring_pingpong_drop};
    struct pingpong pp;
    if (pingpong_open(&pp, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    bench_check(pp.name, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    bench_check(pp.name, ex ? 0 : -ENOMEM, "executor_new");
    for (long end = 0; end < 2 * pp.pairs; end++) {
        struct uring_pingpong_end f = {.base = {&vtable}, .pp = &pp, .reactor = reactor,
                                       .end = end};
        bench_check(pp.name, executor_spawn(ex, &f.base, sizeof f), "executor_spawn");
    }
    pingpong_start(&pp);
    bench_check(pp.name, executor_run(ex, reactor), "executor_run");
    int status = pingpong_finish(&pp);
    executor_free(ex);
    reactor_free(reactor);
    pingpong_close(&pp);
    return status;
}
