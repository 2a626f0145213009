/* shared_executor.c: one lock for the queue and the flags, atomic counts, an eventfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "answers/shared_executor.h"

struct shared_task {
    atomic_int refs;                /* the executor's, the queue's, one per waker */
    bool queued, done;              /* under ex->lock */
    struct shared_task *next, *prev_live, *next_live;   /* the queue; the unfinished */
    struct shared_executor *ex;
    struct future *future;          /* in the same block, after the header */
};

struct shared_executor {
    pthread_mutex_t lock;           /* the queue, every task's queued and done */
    struct shared_task *head, *tail, *live;
    pthread_t runner;               /* the thread in shared_executor_run */
    bool running;
    struct reactor *reactor;
    struct reactor_io wakeup;       /* an eventfd: written by a wake from another thread */
};

static void shared_task_release(struct shared_task *t) {
    /* release: our uses before the drop; acquire: the others' uses before the free */
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1) free(t);
}

/* Under ex->lock: queues t unless it is queued already or done; true if it did. */
static bool shared_task_schedule_locked(struct shared_task *t) {
    if (t->done || t->queued) return false;
    t->queued = true;
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);    /* the queue's */
    t->next = NULL;
    *(t->ex->tail ? &t->ex->tail->next : &t->ex->head) = t;
    t->ex->tail = t;
    return true;
}
static const struct raw_waker_vtable shared_waker_vtable;

static struct raw_waker shared_waker_clone(const void *data) {
    atomic_fetch_add_explicit(&((struct shared_task *)data)->refs, 1, memory_order_relaxed);
    return (struct raw_waker){data, &shared_waker_vtable};
}

static void shared_waker_wake_by_ref(const void *data) {
    struct shared_task *t = (struct shared_task *)data;
    struct shared_executor *ex = t->ex;
    pthread_mutex_lock(&ex->lock);
    bool queued = shared_task_schedule_locked(t);
    bool elsewhere = !ex->running || !pthread_equal(ex->runner, pthread_self());
    pthread_mutex_unlock(&ex->lock);
    uint64_t one = 1;
    if (queued && elsewhere && write(ex->wakeup.fd, &one, sizeof one) < 0) abort();
}

static void shared_waker_drop(const void *data) {
    shared_task_release((struct shared_task *)data);
}

static void shared_waker_wake(const void *data) {
    shared_waker_wake_by_ref(data);
    shared_waker_drop(data);
}

static const struct raw_waker_vtable shared_waker_vtable = {
    shared_waker_clone, shared_waker_wake, shared_waker_wake_by_ref, shared_waker_drop};
static const struct raw_waker_vtable shared_wakeup_vtable;

static void shared_wakeup(const void *data) {
    struct shared_executor *ex = (struct shared_executor *)data;
    uint64_t count;
    ssize_t got = read(ex->wakeup.fd, &count, sizeof count);   /* EAGAIN: nothing written */
    (void)got;
    struct raw_waker self = {ex, &shared_wakeup_vtable};
    if (reactor_register(ex->reactor, &ex->wakeup, &self) < 0) abort();
}

static struct raw_waker shared_wakeup_clone(const void *data) {
    return (struct raw_waker){data, &shared_wakeup_vtable};
}
static void shared_wakeup_drop(const void *data) { (void)data; }
static const struct raw_waker_vtable shared_wakeup_vtable = {
    shared_wakeup_clone, shared_wakeup, shared_wakeup, shared_wakeup_drop};
struct shared_executor *shared_executor_new(struct reactor *r) {
    struct shared_executor *ex = calloc(1, sizeof *ex);
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), err = ex ? 0 : ENOMEM;
    if (err == 0 && fd < 0) err = errno;
    if (err == 0) err = pthread_mutex_init(&ex->lock, NULL);
    if (err == 0) {
        ex->reactor = r;
        ex->wakeup = (struct reactor_io){fd, {NULL, NULL}};
        struct raw_waker self = {ex, &shared_wakeup_vtable};
        if ((err = -reactor_register(r, &ex->wakeup, &self)) == 0) return ex;
        pthread_mutex_destroy(&ex->lock);
    }
    if (fd >= 0) close(fd);
    free(ex);
    errno = err;
    return NULL;
}

int shared_executor_spawn(struct shared_executor *ex, const struct future *f, size_t size) {
    size_t align = size & -size, head = (sizeof(struct shared_task) + align - 1) & -align;
    struct shared_task *t = aligned_alloc(align, head + size);
    if (!t) return -ENOMEM;
    *t = (struct shared_task){.ex = ex};
    atomic_init(&t->refs, 1);                       /* the executor's */
    t->future = memcpy((char *)t + head, f, size);
    pthread_mutex_lock(&ex->lock);
    t->next_live = ex->live;
    if (ex->live) ex->live->prev_live = t;
    ex->live = t;
    shared_task_schedule_locked(t);
    pthread_mutex_unlock(&ex->lock);
    return 0;
}

void shared_executor_free(struct shared_executor *ex) {
    if (!ex) return;
    for (struct shared_task *t = ex->live, *next; t; t = next) {    /* unfinished tasks */
        next = t->next_live;
        future_drop(t->future);
        shared_task_release(t);                     /* the executor's reference */
    }
    for (struct shared_task *t = ex->head, *next; t; t = next) {    /* the queue's refs */
        next = t->next;
        shared_task_release(t);
    }
    reactor_deregister(ex->reactor, &ex->wakeup);
    close(ex->wakeup.fd);
    pthread_mutex_destroy(&ex->lock);
    free(ex);
}
/* Polls t, popped from the queue; a task that is ready leaves the unfinished list. */
static void shared_task_poll(struct shared_task *t) {
    struct raw_waker waker = {t, &shared_waker_vtable};    /* borrowed: no reference */
    struct future_context cx = {&waker};
    if (future_poll(t->future, &cx).status == FUTURE_PENDING) return;
    future_drop(t->future);
    struct shared_executor *ex = t->ex;
    pthread_mutex_lock(&ex->lock);
    t->done = true;                                 /* from now on, wakes do nothing */
    *(t->prev_live ? &t->prev_live->next_live : &ex->live) = t->next_live;
    if (t->next_live) t->next_live->prev_live = t->prev_live;
    pthread_mutex_unlock(&ex->lock);
    shared_task_release(t);                         /* the executor's reference */
}

int shared_executor_run(struct shared_executor *ex) {
    int err = 0;
    pthread_mutex_lock(&ex->lock);
    ex->runner = pthread_self();
    ex->running = true;
    while (ex->live && err == 0) {
        struct shared_task *t = ex->head;
        if (!t) {                                   /* looked under the lock: now sleep */
            pthread_mutex_unlock(&ex->lock);
            int n = reactor_wait(ex->reactor, -1);
            pthread_mutex_lock(&ex->lock);
            err = n < 0 ? n : 0;
            continue;
        }
        if (!(ex->head = t->next)) ex->tail = NULL;
        t->queued = false;
        bool done = t->done;
        pthread_mutex_unlock(&ex->lock);
        if (!done) shared_task_poll(t);
        /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the queue's reference keeps t alive */
        shared_task_release(t);                     /* the queue's reference */
        pthread_mutex_lock(&ex->lock);
    }
    ex->running = false;
    pthread_mutex_unlock(&ex->lock);
    return err;
}
