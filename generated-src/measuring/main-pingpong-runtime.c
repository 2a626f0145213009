/* main-pingpong-runtime.c: ping-pong on the future chapter's runtime. Each end is a task
   whose leaf future keeps one registration for its whole life. */
#include <errno.h>
#include "future/future.h"
#include "measuring/bench.h"
#include "measuring/pingpong.h"

struct pingpong_task {
    struct future base;
    struct pingpong *pp;
    struct reactor *reactor;
    long end;
    struct reactor_io io;
};

/* Reads until the socket is drained, then waits: a short read needs no second read to
   prove it (the chapter's short-read rule), and the registration, level-triggered and kept
   in epoll, reports a message that came after the read. */
static struct future_result pingpong_task_poll(struct future *self, struct future_context *cx) {
    struct pingpong_task *f = (struct pingpong_task *)self;
    for (;;) {
        long got = pingpong_step(f->pp, f->end);
        if (pingpong_end_done(f->pp, f->end)) return future_ready(NULL);
        if (got < PINGPONG_READ) break;
    }
    bench_check(f->pp->name, reactor_register(f->reactor, &f->io, cx->waker), "register");
    return future_pending();
}

static void pingpong_task_drop(struct future *self) {
    struct pingpong_task *f = (struct pingpong_task *)self;
    reactor_deregister(f->reactor, &f->io);
}

int main(int argc, char **argv) {
    struct pingpong pp;
    if (pingpong_open(&pp, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    bench_check(pp.name, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    bench_check(pp.name, ex ? 0 : -ENOMEM, "executor_new");
    static const struct future_vtable vtable = {pingpong_task_poll, pingpong_task_drop};
    for (long end = 0; end < 2 * pp.pairs; end++) {
        struct pingpong_task f = {{&vtable}, &pp, reactor, end, {pingpong_fd(&pp, end), {0}}};
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
