#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "old_world/clock.h"
#include "old_world/reactor.h"
enum ow_task_state {
    OW_TASK_CLAIMED,     /* created, never polled: no timer yet */
    OW_TASK_NOT_READY,   /* timer running; waker is the newest one the task was polled with */
    OW_TASK_READY,       /* timer fired; the waker went to whoever fired it */
    OW_TASK_FINISHED     /* the task's poll returned OW_READY */
};

struct ow_timer;

struct ow_entry {
    struct ow_entry *next;
    unsigned long id, serial;
    enum ow_task_state state;
    struct raw_waker waker;          /* valid in OW_TASK_NOT_READY only */
    struct timespec deadline;        /* set at the first poll */
    int err;                         /* 0, or -errno if the timer could not start */
    struct ow_timer *unsent;         /* the timer request, until the first poll sends it */
};
struct ow_timer {
    struct ow_timer *next;           /* in the channel, then in the list of started timers */
    struct ow_reactor *reactor;
    unsigned long id, serial;
    pthread_t thread;
};
struct ow_reactor {
    pthread_mutex_t lock;            /* error-checking: see ow_lock */
    pthread_cond_t event_ready;      /* the channel is not empty, or closing */
    pthread_cond_t timer_cond;       /* a deadline moved, or closing */
    struct ow_entry *tasks;          /* the task-state map */
    struct ow_timer *events, **events_tail;   /* the channel to the reactor thread */
    bool closing;
    unsigned long last_serial;
    unsigned long timers_started, timers_joined;   /* written by the reactor thread */
    pthread_t thread;
};
static void ow_lock(struct ow_reactor *r)
{
    int rc = pthread_mutex_lock(&r->lock);
    if (rc != 0) {
        fprintf(stderr, "old_world: cannot lock the reactor: %s%s\n", strerror(rc),
                rc == EDEADLK ? " (this thread holds it already: was a waker called, or a"
                                " task polled, while the reactor was locked?)" : "");
        abort();
    }
}

static void ow_unlock(struct ow_reactor *r)
{
    pthread_mutex_unlock(&r->lock);   /* cannot fail: this thread holds the lock */
}
static struct ow_entry **ow_find(struct ow_reactor *r, unsigned long id)
{
    struct ow_entry **link = &r->tasks;
    while (*link != NULL && (*link)->id != id)
        link = &(*link)->next;
    return link;
}
static void ow_entry_free(struct ow_entry *e)
{
    if (e->state == OW_TASK_NOT_READY)
        waker_drop(e->waker);
    free(e->unsent);
    free(e);
}
static void *ow_timer_thread(void *arg)
{
    struct ow_timer *t = arg;
    struct ow_reactor *r = t->reactor;
    struct raw_waker waker = { NULL, NULL };
    ow_lock(r);
    for (;;) {
        struct ow_entry *e = *ow_find(r, t->id);
        if (r->closing || e == NULL || e->serial != t->serial || e->state != OW_TASK_NOT_READY)
            break;
        if (ow_clock_passed(&e->deadline)) {
            e->state = OW_TASK_READY;
            waker = e->waker;             /* the map's reference moves to this thread */
            break;
        }
        struct timespec deadline = e->deadline;
        pthread_cond_timedwait(&r->timer_cond, &r->lock, &deadline);
    }
    ow_unlock(r);
    if (waker.vtable != NULL)
        waker_wake(waker);
    return NULL;
}
static void ow_start_timer(struct ow_reactor *r, struct ow_timer *t, struct ow_timer **started)
{
    int rc = pthread_create(&t->thread, NULL, ow_timer_thread, t);
    if (rc == 0) {
        t->next = *started;
        *started = t;
        r->timers_started++;
        return;
    }
    struct raw_waker waker = { NULL, NULL };
    ow_lock(r);
    struct ow_entry *e = *ow_find(r, t->id);
    if (e != NULL && e->serial == t->serial && e->state == OW_TASK_NOT_READY) {
        e->state = OW_TASK_READY;
        e->err = -rc;
        waker = e->waker;
    }
    ow_unlock(r);
    free(t);
    if (waker.vtable != NULL)
        waker_wake(waker);
}
static struct ow_timer *ow_next_request(struct ow_reactor *r)
{
    struct ow_timer *t = NULL;
    ow_lock(r);
    while (r->events == NULL && !r->closing)
        pthread_cond_wait(&r->event_ready, &r->lock);
    if (!r->closing) {
        t = r->events;
        r->events = t->next;
        if (r->events == NULL)
            r->events_tail = &r->events;
    }
    ow_unlock(r);
    return t;
}

static void *ow_reactor_thread(void *arg)
{
    struct ow_reactor *r = arg;
    struct ow_timer *started = NULL, *t;
    while ((t = ow_next_request(r)) != NULL)
        ow_start_timer(r, t, &started);
    while ((t = started) != NULL) {
        started = t->next;
        pthread_join(t->thread, NULL);
        r->timers_joined++;
        free(t);
    }
    return NULL;
}
enum ow_poll ow_reactor_poll_timer(struct ow_reactor *r, unsigned long id, long ms,
                                   const struct raw_waker *waker, int *err)
{
    struct raw_waker fresh = waker_clone(waker), unused = fresh;
    enum ow_poll result = OW_PENDING;
    ow_lock(r);
    struct ow_entry *e = *ow_find(r, id);   /* claimed at init, so it is there */
    switch (e->state) {
    case OW_TASK_CLAIMED:
        e->waker = fresh;
        unused.vtable = NULL;             /* nothing to drop: the map keeps the clone */
        e->deadline = ow_clock_after(ms);
        e->state = OW_TASK_NOT_READY;
        *r->events_tail = e->unsent;
        r->events_tail = &e->unsent->next;
        e->unsent = NULL;
        pthread_cond_signal(&r->event_ready);
        break;
    case OW_TASK_NOT_READY:
        unused = e->waker;        /* the old waker goes; the newest one stays */
        e->waker = fresh;
        break;
    case OW_TASK_READY:
        e->state = OW_TASK_FINISHED;
        /* fall through */
    case OW_TASK_FINISHED:
        *err = e->err;
        result = OW_READY;
        break;
    }
    ow_unlock(r);
    if (unused.vtable != NULL)
        waker_drop(unused);
    return result;
}
int ow_reactor_claim(struct ow_reactor *r, unsigned long id)
{
    struct ow_entry *e = calloc(1, sizeof *e);
    struct ow_timer *t = calloc(1, sizeof *t);
    if (e == NULL || t == NULL) {
        free(e);
        free(t);
        return -ENOMEM;
    }
    ow_lock(r);
    bool taken = *ow_find(r, id) != NULL;
    if (!taken) {
        *e = (struct ow_entry){ .next = r->tasks, .id = id, .serial = ++r->last_serial,
                                .state = OW_TASK_CLAIMED, .unsent = t };
        *t = (struct ow_timer){ .reactor = r, .id = id, .serial = e->serial };
        r->tasks = e;
    }
    ow_unlock(r);
    if (taken) {
        free(e);
        free(t);
        return -EEXIST;
    }
    /* cppcheck-suppress memleak ; e is in r->tasks now, and t in e->unsent */
    return 0;
}
void ow_reactor_expire(struct ow_reactor *r, unsigned long id)
{
    ow_lock(r);
    struct ow_entry *e = *ow_find(r, id);
    if (e != NULL && e->state == OW_TASK_NOT_READY) {
        e->deadline = ow_clock_after(0);
        pthread_cond_broadcast(&r->timer_cond);
    }
    ow_unlock(r);
}

void ow_reactor_unclaim(struct ow_reactor *r, unsigned long id)
{
    ow_lock(r);
    struct ow_entry **link = ow_find(r, id), *e = *link;
    if (e != NULL)
        *link = e->next;
    ow_unlock(r);
    if (e != NULL)
        ow_entry_free(e);
}
static int ow_reactor_init_sync(struct ow_reactor *r)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int rc = pthread_mutexattr_init(&ma);
    if (rc != 0)
        return rc;
    rc = pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    if (rc == 0)
        rc = pthread_mutex_init(&r->lock, &ma);
    pthread_mutexattr_destroy(&ma);
    if (rc != 0)
        return rc;
    if ((rc = pthread_cond_init(&r->event_ready, NULL)) != 0)
        goto no_event_ready;
    if ((rc = pthread_condattr_init(&ca)) != 0)
        goto no_timer_cond;
    rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(&r->timer_cond, &ca);
    pthread_condattr_destroy(&ca);
    if (rc == 0)
        return 0;
no_timer_cond:
    pthread_cond_destroy(&r->event_ready);
no_event_ready:
    pthread_mutex_destroy(&r->lock);
    return rc;
}

int ow_reactor_new(struct ow_reactor **out)
{
    struct ow_reactor *r = calloc(1, sizeof *r);
    if (r == NULL)
        return -ENOMEM;
    int rc = ow_reactor_init_sync(r);
    if (rc == 0) {
        r->events_tail = &r->events;
        rc = pthread_create(&r->thread, NULL, ow_reactor_thread, r);
        if (rc == 0) {
            *out = r;
            return 0;
        }
        pthread_cond_destroy(&r->timer_cond);
        pthread_cond_destroy(&r->event_ready);
        pthread_mutex_destroy(&r->lock);
    }
    free(r);
    return -rc;
}
void ow_reactor_free(struct ow_reactor *r, struct ow_reactor_stats *stats)
{
    if (r == NULL)
        return;
    ow_lock(r);
    r->closing = true;
    pthread_cond_signal(&r->event_ready);
    pthread_cond_broadcast(&r->timer_cond);
    ow_unlock(r);
    pthread_join(r->thread, NULL);
    for (struct ow_timer *t = r->events, *next; t != NULL; t = next) {
        next = t->next;
        free(t);
    }
    for (struct ow_entry *e = r->tasks, *next; e != NULL; e = next) {
        next = e->next;
        ow_entry_free(e);
    }
    if (stats != NULL)
        *stats = (struct ow_reactor_stats){ r->timers_started, r->timers_joined };
    pthread_cond_destroy(&r->timer_cond);
    pthread_cond_destroy(&r->event_ready);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
