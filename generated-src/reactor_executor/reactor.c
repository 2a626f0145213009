#define _GNU_SOURCE
#include "reactor_executor/reactor.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "poll/poll.h"

struct reactor {
    struct poll *poll;      /* what the thread waits on */
    int stop_fd;            /* eventfd, registered under REACTOR_STOP_TOKEN */
    struct chan *ready;     /* where ready tokens go */
    pthread_t thread;
    int error;              /* -errno that ended the thread, or 0; read after join */
};

static void *reactor_thread(void *arg)
{
    struct reactor *r = arg;
    struct poll_event events[16];
    bool stopping = false;
    while (!stopping) {
        int n = poll_wait(r->poll, events, 16, -1);
        if (n < 0) {
            r->error = n;
            break;
        }
        for (int i = 0; i < n; i++) {
            if (events[i].token == REACTOR_STOP_TOKEN) {
                stopping = true;
            } else {
                enum chan_status st = chan_send(r->ready, events[i].token);
                if (st != CHAN_OK) {
                    if (st == CHAN_NOMEM)
                        r->error = -ENOMEM;
                    stopping = true;
                }
            }
        }
    }
    chan_close(r->ready);
    return NULL;
}

int reactor_start(struct reactor **out, struct chan *ready)
{
    struct reactor *r = calloc(1, sizeof *r);
    if (r == NULL)
        return -ENOMEM;
    r->ready = ready;
    r->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int err = r->stop_fd < 0 ? -errno : poll_new(&r->poll);
    if (err == 0)
        err = poll_add(r->poll, r->stop_fd, REACTOR_STOP_TOKEN, POLL_READABLE);
    if (err == 0)
        err = -pthread_create(&r->thread, NULL, reactor_thread, r);
    if (err != 0) {
        poll_close(r->poll);
        if (r->stop_fd >= 0)
            close(r->stop_fd);
        free(r);
        return err;
    }
    *out = r;
    return 0;
}
int reactor_register(struct reactor *r, int fd, uint64_t token, uint32_t interest)
{
    if (token == REACTOR_STOP_TOKEN)
        return -EINVAL;
    return poll_add(r->poll, fd, token, interest);
}

int reactor_deregister(struct reactor *r, int fd)
{
    return poll_remove(r->poll, fd);
}
int reactor_stop(struct reactor *r)
{
    if (r == NULL)
        return 0;
    uint64_t one = 1;
    while (write(r->stop_fd, &one, sizeof one) < 0 && errno == EINTR)
        continue;
    pthread_join(r->thread, NULL);
    int err = r->error;
    poll_close(r->poll);
    close(r->stop_fd);
    free(r);
    return err;
}
