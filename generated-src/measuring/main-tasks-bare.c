/* main-tasks-bare.c: the executor workload with no runtime: a queue of malloc'd records,
   each a poll function and a link. */
#include <errno.h>
#include <stdlib.h>
#include "measuring/bench.h"
#include "measuring/tasks.h"

static struct tasks tasks;

struct bare_task {
    int (*poll)(struct bare_task *self);    /* 1: finished; 0: put me back in the queue */
    struct bare_task *next;
    int polled;
};
static struct bare_task *head, **tail = &head;

static void bare_push(struct bare_task *t) {
    t->next = NULL;
    *tail = t;
    tail = &t->next;
}

static int bare_task_poll(struct bare_task *self) {
    int done = tasks_poll(&tasks, self->polled);
    self->polled = 1;
    return done;
}

int main(int argc, char **argv) {
    if (tasks_open(&tasks, argc, argv) < 0) return 2;
    for (long i = 0; i < tasks.tasks; i++) {
        struct bare_task *t = malloc(sizeof *t);
        bench_check(tasks.name, t ? 0 : -ENOMEM, "malloc");
        *t = (struct bare_task){bare_task_poll, NULL, 0};
        bare_push(t);
    }
    while (head) {
        struct bare_task *t = head;
        if (!(head = t->next)) tail = &head;
        if (t->poll(t)) free(t);
        else bare_push(t);                  /* the wake-up */
    }
    return tasks_finish(&tasks);
}
