/* reactor.c: epoll, and waking the waker of each descriptor that became readable. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "future/future.h"

struct reactor { int epfd; size_t armed; };     /* armed: registrations holding a waker */

int reactor_new(struct reactor **out) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return -errno;
    if ((*out = calloc(1, sizeof **out))) (*out)->epfd = epfd;
    else close(epfd);
    return *out ? 0 : -ENOMEM;
}

void reactor_free(struct reactor *r) { if (r) close(r->epfd); free(r); }
int reactor_register(struct reactor *r, struct reactor_io *io, const struct raw_waker *waker) {
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = io};   /* level-triggered */
    if (io->waker.vtable && waker_will_wake(&io->waker, waker)) return 0;   /* same task */
    if (io->waker.vtable) waker_drop(io->waker);
    else if (!io->waker.data && epoll_ctl(r->epfd, EPOLL_CTL_ADD, io->fd, &ev) < 0) return -errno;
    else r->armed++;            /* it held no waker: one more registration that will wake */
    io->waker = waker_clone(waker);
    return 0;
}
static struct raw_waker reactor_take_waker(struct reactor *r, struct reactor_io *io, void *in) {
    struct raw_waker waker = io->waker;
    if (waker.vtable) r->armed--;
    io->waker = (struct raw_waker){in, NULL};   /* in: r while fd stays in epoll, else NULL */
    return waker;
}

void reactor_disarm(struct reactor *r, struct reactor_io *io) {
    if (io->waker.vtable) waker_drop(reactor_take_waker(r, io, r));   /* in epoll: it has one */
}

int reactor_deregister(struct reactor *r, struct reactor_io *io) {
    int in_epoll = io->waker.vtable || io->waker.data;
    int err = in_epoll && epoll_ctl(r->epfd, EPOLL_CTL_DEL, io->fd, NULL) < 0 ? -errno : 0;
    struct raw_waker waker = reactor_take_waker(r, io, NULL);
    if (waker.vtable) waker_drop(waker);    /* foreign code last: it may free the future */
    return err;
}
int reactor_wait(struct reactor *r, int timeout_ms) {
    struct epoll_event events[64];
    if (r->armed == 0) return -EDEADLK;
    int n, woken = 0;
    do n = epoll_wait(r->epfd, events, 64, timeout_ms); while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) {
        struct raw_waker waker = reactor_take_waker(r, events[i].data.ptr, r);
        if (waker.vtable) waker_wake(waker), woken++;
        else reactor_deregister(r, events[i].data.ptr);    /* nobody waits: leave epoll */
    }
    return woken;
}
