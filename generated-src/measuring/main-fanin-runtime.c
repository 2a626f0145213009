/* main-fanin-runtime.c: fan-in on the future chapter's runtime, one task for each reader,
   whose leaf future keeps one registration for its whole life. */
#include <errno.h>
#include "future/future.h"
#include "measuring/bench.h"
#include "measuring/fanin.h"

struct fanin_task {
    struct future base;
    struct fanin *fi;
    struct reactor *reactor;
    struct reactor_io io;
    long i;
};

/* One read of all that is left: unless it finishes the reader it was short, so the pipe
   is drained and the task registers without reading again. */
static struct future_result fanin_task_poll(struct future *self, struct future_context *cx) {
    struct fanin_task *f = (struct fanin_task *)self;
    fanin_read(f->fi, f->i);
    if (fanin_reader_done(f->fi, f->i)) return future_ready(NULL);
    bench_check(f->fi->name, reactor_register(f->reactor, &f->io, cx->waker), "register");
    return future_pending();
}

static void fanin_task_drop(struct future *self) {
    struct fanin_task *f = (struct fanin_task *)self;
    reactor_deregister(f->reactor, &f->io);
}

int main(int argc, char **argv) {
    struct fanin fi;
    if (fanin_open(&fi, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    bench_check(fi.name, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    bench_check(fi.name, ex ? 0 : -ENOMEM, "executor_new");
    static const struct future_vtable vtable = {fanin_task_poll, fanin_task_drop};
    for (long i = 0; i < fi.readers; i++) {
        struct fanin_task f = {{&vtable}, &fi, reactor, {fi.fds[i], {0}}, i};
        bench_check(fi.name, executor_spawn(ex, &f.base, sizeof f), "executor_spawn");
    }
    fanin_start(&fi);
    bench_check(fi.name, executor_run(ex, reactor), "executor_run");
    int status = fanin_finish(&fi);
    executor_free(ex);
    reactor_free(reactor);
    fanin_close(&fi);
    return status;
}
