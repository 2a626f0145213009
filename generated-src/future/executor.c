/* executor.c: tasks, their wakers, the ready queue. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "future/future.h"

struct task {
    int refs;                   /* the executor's, the ready queue's, one per waker */
    bool queued, done;
    struct task *next, *prev_live, *next_live;  /* in the ready queue; in the live list */
    struct executor *ex;
    struct future *future;      /* in the same block, after the header: pinned, never moved */
};

/* head and tail of the ready queue; live: the list of unfinished tasks */
struct executor { struct task *head, *tail, *live; };

static void task_release(struct task *t) { if (--t->refs == 0) free(t); }

static void task_schedule(struct task *t) {
    if (t->done || t->queued) return;
    t->queued = true;
    t->refs++;                  /* the queue's reference */
    t->next = NULL;
    *(t->ex->tail ? &t->ex->tail->next : &t->ex->head) = t;
    t->ex->tail = t;
}
static const struct raw_waker_vtable task_waker_vtable;

static struct raw_waker task_waker_clone(const void *data) {
    ((struct task *)data)->refs++;
    return (struct raw_waker){data, &task_waker_vtable};
}

static void task_waker_wake_by_ref(const void *data) { task_schedule((struct task *)data); }
static void task_waker_drop(const void *data) { task_release((struct task *)data); }
static void task_waker_wake(const void *d) { task_waker_wake_by_ref(d); task_waker_drop(d); }

static const struct raw_waker_vtable task_waker_vtable = {
    task_waker_clone, task_waker_wake, task_waker_wake_by_ref, task_waker_drop};

struct executor *executor_new(void) { return calloc(1, sizeof(struct executor)); }

int executor_spawn(struct executor *ex, const struct future *f, size_t size) {
    size_t align = size & -size, head = (sizeof(struct task) + align - 1) & -align;
    struct task *t = aligned_alloc(align, head + size);
    if (!t) return -ENOMEM;
    *t = (struct task){.refs = 1, .ex = ex, .next_live = ex->live};    /* the executor's */
    t->future = memcpy((char *)t + head, f, size);
    if (ex->live) ex->live->prev_live = t;
    ex->live = t;
    task_schedule(t);
    return 0;
}
static void task_finish(struct task *t) {
    t->done = true;
    future_drop(t->future);
    *(t->prev_live ? &t->prev_live->next_live : &t->ex->live) = t->next_live;
    if (t->next_live) t->next_live->prev_live = t->prev_live;
    task_release(t);            /* the executor's reference */
}

static void task_poll(struct task *t) {
    struct raw_waker waker = {t, &task_waker_vtable};      /* borrowed: no reference */
    struct future_context cx = {&waker};
    t->queued = false;
    if (!t->done && future_poll(t->future, &cx).status == FUTURE_READY) task_finish(t);
}
static struct task *executor_pop(struct executor *ex) {
    struct task *t = ex->head;
    if (t && !(ex->head = t->next)) ex->tail = NULL;
    return t;
}

int executor_run(struct executor *ex, struct reactor *r) {
    for (int n = 0;; n = reactor_wait(r, -1)) {     /* n: how many tasks the reactor woke */
        if (n < 0) return n;
        /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the queue's reference keeps t alive */
        for (struct task *t; (t = executor_pop(ex)); task_release(t))   /* the queue's ref */
            task_poll(t);
        if (!ex->live) return 0;
    }
}

void executor_free(struct executor *ex) {
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the head has no prev_live: ex->live moves on */
    while (ex && ex->live) task_finish(ex->live);
    while (ex && ex->head) task_release(executor_pop(ex));     /* the queue's references */
    free(ex);
}
