/* main-tasks-libuv.c: the executor workload on libuv: a task is an idle handle, whose
   callback runs once on every turn of the loop while it is started. */
#define _POSIX_C_SOURCE 200809L         /* uv.h uses POSIX 2008 thread types */
#include <errno.h>
#include <stdlib.h>
#include <uv.h>
#include "measuring/bench.h"
#include "measuring/tasks.h"

static struct tasks tasks;

struct uv_task { uv_idle_t idle; int polled; };

static void uv_task_free(uv_handle_t *h) { free(h); }

/* Staying started is the wake-up: the handle runs again on the next turn. */
static void uv_task_poll(uv_idle_t *idle) {
    struct uv_task *t = (struct uv_task *)idle;
    if (!tasks_poll(&tasks, t->polled)) {
        t->polled = 1;
        return;
    }
    uv_idle_stop(idle);
    uv_close((uv_handle_t *)idle, uv_task_free);
}

int main(int argc, char **argv) {
    if (tasks_open(&tasks, argc, argv) < 0) return 2;
    uv_loop_t loop;
    bench_check(tasks.name, uv_loop_init(&loop), "uv_loop_init");
    for (long i = 0; i < tasks.tasks; i++) {
        struct uv_task *t = calloc(1, sizeof *t);
        bench_check(tasks.name, t ? 0 : -ENOMEM, "calloc");
        bench_check(tasks.name, uv_idle_init(&loop, &t->idle), "uv_idle_init");
        bench_check(tasks.name, uv_idle_start(&t->idle, uv_task_poll), "uv_idle_start");
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    bench_check(tasks.name, uv_loop_close(&loop), "uv_loop_close");
    return tasks_finish(&tasks);
}
