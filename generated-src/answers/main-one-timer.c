/* main-one-timer.c: the old world's reactor with one timer thread for every deadline, linked
   in place of the chapter's, and old_world-many's question asked again. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/select.h"
#include "old_world/all.h"
#include "old_world/block_on.h"
#include "old_world/clock.h"
#include "old_world/reactor.h"
#include "old_world/task.h"
#include "preface/number.h"

enum one_state { ONE_CLAIMED, ONE_WAITING, ONE_READY, ONE_FINISHED };  /* as the chapter's */

struct one_entry {
    struct one_entry *next;          /* in the map */
    struct one_entry *later;         /* in the timers, sorted by deadline, while ONE_WAITING */
    unsigned long id;
    enum one_state state;
    struct raw_waker waker;          /* ONE_WAITING only: the newest one */
    struct timespec deadline;
};

struct ow_reactor {
    pthread_mutex_t lock;
    pthread_cond_t changed;          /* on CLOCK_MONOTONIC: a new first deadline, or closing */
    struct one_entry *tasks, *timers;
    bool closing;
    pthread_t thread;
};

static struct one_entry **one_find(struct ow_reactor *r, unsigned long id) {
    struct one_entry **link = &r->tasks;
    while (*link != NULL && (*link)->id != id) link = &(*link)->next;
    return link;
}

static bool one_earlier(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Puts e among the timers, after every deadline that is not later; true if it is first. */
static bool one_insert(struct ow_reactor *r, struct one_entry *e) {
    struct one_entry **link = &r->timers;
    while (*link != NULL && !one_earlier(&e->deadline, &(*link)->deadline))
        link = &(*link)->later;
    e->later = *link;
    *link = e;
    return link == &r->timers;
}

static void one_remove(struct ow_reactor *r, const struct one_entry *e) {
    struct one_entry **link = &r->timers;
    while (*link != NULL && *link != e) link = &(*link)->later;
    if (*link != NULL) *link = e->later;
}
static void *one_timer_thread(void *arg) {
    struct ow_reactor *r = arg;
    pthread_mutex_lock(&r->lock);
    while (!r->closing) {
        struct one_entry *first = r->timers;
        if (first == NULL) {
            pthread_cond_wait(&r->changed, &r->lock);
        } else if (!ow_clock_passed(&first->deadline)) {
            struct timespec until = first->deadline;
            pthread_cond_timedwait(&r->changed, &r->lock, &until);
        } else {
            r->timers = first->later;
            first->state = ONE_READY;
            struct raw_waker waker = first->waker;  /* the map's reference moves here */
            pthread_mutex_unlock(&r->lock);
            waker_wake(waker);                       /* foreign code: not under the lock */
            pthread_mutex_lock(&r->lock);
        }
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}
enum ow_poll ow_reactor_poll_timer(struct ow_reactor *r, unsigned long id, long ms,
                                   const struct raw_waker *waker, int *err) {
    struct raw_waker fresh = waker_clone(waker), unused = fresh;
    enum ow_poll result = OW_PENDING;
    pthread_mutex_lock(&r->lock);
    struct one_entry *e = *one_find(r, id);   /* claimed at init, so it is there */
    switch (e->state) {
    case ONE_CLAIMED:
        e->waker = fresh;
        unused.vtable = NULL;                 /* the map keeps the clone */
        e->deadline = ow_clock_after(ms);
        e->state = ONE_WAITING;
        if (one_insert(r, e)) pthread_cond_signal(&r->changed);   /* a new first deadline */
        break;
    case ONE_WAITING:
        unused = e->waker;                    /* the old waker goes; the newest one stays */
        e->waker = fresh;
        break;
    case ONE_READY:
        e->state = ONE_FINISHED;
        /* fall through */
    case ONE_FINISHED:
        *err = 0;
        result = OW_READY;
        break;
    }
    pthread_mutex_unlock(&r->lock);
    if (unused.vtable != NULL) waker_drop(unused);
    return result;
}
int ow_reactor_claim(struct ow_reactor *r, unsigned long id) {
    struct one_entry *e = calloc(1, sizeof *e);
    if (e == NULL) return -ENOMEM;
    pthread_mutex_lock(&r->lock);
    bool taken = *one_find(r, id) != NULL;
    if (!taken) {
        *e = (struct one_entry){.next = r->tasks, .id = id, .state = ONE_CLAIMED};
        r->tasks = e;
    }
    pthread_mutex_unlock(&r->lock);
    if (taken) free(e);
    return taken ? -EEXIST : 0;
}

void ow_reactor_expire(struct ow_reactor *r, unsigned long id) {
    pthread_mutex_lock(&r->lock);
    struct one_entry *e = *one_find(r, id);
    if (e != NULL && e->state == ONE_WAITING) {
        one_remove(r, e);
        e->deadline = ow_clock_after(0);
        one_insert(r, e);
        pthread_cond_signal(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
}

void ow_reactor_unclaim(struct ow_reactor *r, unsigned long id) {
    pthread_mutex_lock(&r->lock);
    struct one_entry **link = one_find(r, id), *e = *link;
    if (e != NULL) {
        *link = e->next;
        if (e->state == ONE_WAITING) one_remove(r, e);
    }
    pthread_mutex_unlock(&r->lock);
    if (e != NULL && e->state == ONE_WAITING) waker_drop(e->waker);
    free(e);
}
int ow_reactor_new(struct ow_reactor **out) {
    struct ow_reactor *r = calloc(1, sizeof *r);
    pthread_condattr_t ca;
    if (r == NULL) return -ENOMEM;
    int rc = pthread_condattr_init(&ca);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        if (rc == 0) rc = pthread_cond_init(&r->changed, &ca);
        pthread_condattr_destroy(&ca);
    }
    if (rc == 0 && (rc = pthread_mutex_init(&r->lock, NULL)) != 0)
        pthread_cond_destroy(&r->changed);
    if (rc == 0 && (rc = pthread_create(&r->thread, NULL, one_timer_thread, r)) != 0) {
        pthread_mutex_destroy(&r->lock);
        pthread_cond_destroy(&r->changed);
    }
    if (rc != 0) free(r);
    else *out = r;
    return -rc;
}

void ow_reactor_free(struct ow_reactor *r, struct ow_reactor_stats *stats) {
    if (r == NULL) return;
    pthread_mutex_lock(&r->lock);
    r->closing = true;
    pthread_cond_signal(&r->changed);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    for (struct one_entry *e = r->tasks, *next; e != NULL; e = next) {
        next = e->next;
        if (e->state == ONE_WAITING) waker_drop(e->waker);
        free(e);
    }
    if (stats != NULL) *stats = (struct ow_reactor_stats){1, 1};   /* the one timer thread */
    pthread_cond_destroy(&r->changed);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
static int one_timer_many(struct ow_reactor *r, size_t n) {
    struct ow_task *tasks = calloc(n, sizeof *tasks);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, so sizeof a pointer */
    struct ow_future **children = calloc(n, sizeof *children);
    size_t made = 0;
    int rc = tasks != NULL && children != NULL ? 0 : -ENOMEM;
    while (rc == 0 && made < n && (rc = ow_task_init(&tasks[made], r, made + 1, 200)) == 0)
        children[made] = &tasks[made].future, made++;
    if (rc == 0) {
        struct ow_all all;
        ow_all_init(&all, children, n, OW_CONCURRENTLY, NULL, NULL);
        if ((rc = ow_block_on(&all.future)) == 0)
            printf("%zu tasks of 200 ms, concurrently: all done\n", n);
    }
    while (made > 0) ow_task_drop(&tasks[--made]);
    free(children);
    free(tasks);
    return rc;
}

static int one_timer_race(struct ow_reactor *r) {
    struct ow_task slow, quick;
    int rc = ow_task_init(&slow, r, 100001, 60000);
    if (rc != 0) return rc;
    if ((rc = ow_task_init(&quick, r, 100002, 20)) == 0) {
        struct ow_future *children[] = {&slow.future, &quick.future};
        struct ow_select s;
        ow_select_init(&s, children, 2);
        if ((rc = ow_block_on(&s.future)) == 0)
            printf("a 60 s task polled first, a 20 ms task second: the %s task wins\n",
                   s.winner == 1 ? "20 ms" : "60 s");
        ow_task_drop(&quick);
    }
    ow_task_drop(&slow);
    return rc;
}

int main(int argc, char **argv) {
    long n = 500;
    if (argc > 2 || (argc == 2 && number_parse("answers-one-timer", "N", argv[1], 1, 5000,
                                                &n) < 0)) {
        fprintf(stderr, "usage: answers-one-timer [N]\n");
        return 2;
    }
    struct ow_reactor *r = NULL;
    int rc = ow_reactor_new(&r);
    if (rc == 0 && (rc = one_timer_many(r, (size_t)n)) == 0) rc = one_timer_race(r);
    if (rc != 0) fprintf(stderr, "answers-one-timer: %s\n", strerror(-rc));
    struct ow_reactor_stats stats = {0, 0};
    ow_reactor_free(r, &stats);
    printf("timer threads: %lu started, %lu joined\n", stats.timers_started,
           stats.timers_joined);
    return rc == 0 ? 0 : 1;
}
