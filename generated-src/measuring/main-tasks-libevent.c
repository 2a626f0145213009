/* main-tasks-libevent.c: the executor workload on libevent: a task is an event with no
   descriptor, made active by hand; the flags it is activated with say which poll it is. */
#include <errno.h>
#include <stdlib.h>
#include <event2/event.h>
#include "measuring/bench.h"
#include "measuring/tasks.h"

static struct tasks tasks;
enum { TASK_FIRST = EV_TIMEOUT, TASK_WOKEN = EV_READ };

static void event_task_poll(evutil_socket_t fd, short what, void *self) {
    (void)fd;
    if (tasks_poll(&tasks, what == TASK_WOKEN)) event_free(self);
    else event_active(self, TASK_WOKEN, 0);     /* the wake-up */
}

int main(int argc, char **argv) {
    if (tasks_open(&tasks, argc, argv) < 0) return 2;
    struct event_base *base = event_base_new();
    bench_check(tasks.name, base ? 0 : -ENOMEM, "event_base_new");
    for (long i = 0; i < tasks.tasks; i++) {
        struct event *ev = event_new(base, -1, 0, event_task_poll, event_self_cbarg());
        bench_check(tasks.name, ev ? 0 : -ENOMEM, "event_new");
        event_active(ev, TASK_FIRST, 0);
    }
    bench_check(tasks.name, event_base_dispatch(base) < 0 ? -EIO : 0, "event_base_dispatch");
    event_base_free(base);
    libevent_global_shutdown();
    return tasks_finish(&tasks);
}
