/* main-tasks-runtime.c: the executor workload on the future chapter's runtime. */
#include <errno.h>
#include <stdbool.h>
#include "future/future.h"
#include "measuring/bench.h"
#include "measuring/tasks.h"

static struct tasks tasks;

struct tasks_future { struct future base; bool polled; };

static struct future_result tasks_future_poll(struct future *self, struct future_context *cx) {
    struct tasks_future *f = (struct tasks_future *)self;
    if (tasks_poll(&tasks, f->polled)) return future_ready(NULL);
    f->polled = true;
    waker_wake_by_ref(cx->waker);
    return future_pending();
}

int main(int argc, char **argv) {
    if (tasks_open(&tasks, argc, argv) < 0) return 2;
    struct reactor *reactor = NULL;
    bench_check(tasks.name, reactor_new(&reactor), "reactor_new");
    struct executor *ex = executor_new();
    bench_check(tasks.name, ex ? 0 : -ENOMEM, "executor_new");
    static const struct future_vtable vtable = {tasks_future_poll, NULL};
    for (long i = 0; i < tasks.tasks; i++) {
        struct tasks_future f = {{&vtable}, false};
        bench_check(tasks.name, executor_spawn(ex, &f.base, sizeof f), "executor_spawn");
    }
    bench_check(tasks.name, executor_run(ex, reactor), "executor_run");
    executor_free(ex);
    reactor_free(reactor);
    return tasks_finish(&tasks);
}
