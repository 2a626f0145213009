/* main-shared-wake.c: a task woken from another thread, 1000 times, and a pipe read beside. */
#define _GNU_SOURCE                     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "answers/shared_executor.h"

enum { SHARED_WAKES = 1000 };

/* Where the task leaves a clone of its waker for the other thread. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t full_changed;
    struct raw_waker waker;
    bool full;
} mailbox = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {NULL, NULL}, false};

struct pinger { struct future base; long polls, *polls_out; };

static struct future_result pinger_poll(struct future *self, struct future_context *cx) {
    struct pinger *p = (struct pinger *)self;
    *p->polls_out = ++p->polls;
    if (p->polls > SHARED_WAKES) return future_ready(NULL);
    pthread_mutex_lock(&mailbox.lock);
    mailbox.waker = waker_clone(cx->waker);
    mailbox.full = true;
    pthread_cond_signal(&mailbox.full_changed);
    pthread_mutex_unlock(&mailbox.lock);
    return future_pending();
}
static void *waking_thread(void *arg) {
    const int *pipe_in = arg;
    for (int i = 0; i < SHARED_WAKES; i++) {
        pthread_mutex_lock(&mailbox.lock);
        while (!mailbox.full) pthread_cond_wait(&mailbox.full_changed, &mailbox.lock);
        struct raw_waker w = mailbox.waker;
        mailbox.full = false;
        pthread_mutex_unlock(&mailbox.lock);
        waker_wake(w);                  /* on this thread: queues the task, writes the eventfd */
    }
    if (write(*pipe_in, "hello", 5) != 5) perror("answers-shared-wake: write");
    return NULL;
}
int main(void) {
    static const struct future_vtable pinger_vtable = {pinger_poll, NULL};
    struct reactor *r = NULL;
    struct shared_executor *ex = NULL;
    int p[2] = {-1, -1}, err = reactor_new(&r);
    if (err == 0 && pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) err = -errno;
    if (err == 0 && !(ex = shared_executor_new(r))) err = -errno;
    if (err < 0) return fprintf(stderr, "answers-shared-wake: %s\n", strerror(-err)), 1;
    long polls = 0;
    char text[6] = "";
    struct pinger ping = {{&pinger_vtable}, 0, &polls};
    struct read_n_chars read;                   /* its buffer is text, outside the task */
    read_n_chars_init(&read, r, p[0], text, 5);
    err = shared_executor_spawn(ex, &ping.base, sizeof ping);
    if (err == 0) err = shared_executor_spawn(ex, &read.base, sizeof read);
    pthread_t thread;
    if (err == 0) err = -pthread_create(&thread, NULL, waking_thread, &p[1]);
    if (err == 0) {
        err = shared_executor_run(ex);
        pthread_join(thread, NULL);
    }
    printf("woken %d times from another thread: polled %ld times; the pipe's reader got \"%s\""
           " (%s)\n", SHARED_WAKES, polls, text, err ? strerror(-err) : "ok");
    shared_executor_free(ex);
    reactor_free(r);
    close(p[0]);
    close(p[1]);
    return err == 0 ? 0 : 1;
}
