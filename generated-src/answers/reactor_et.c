/* reactor_et.c: epoll, edge-triggered, and the readiness each event reported, kept. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "answers/reactor_et.h"

struct et_fd { struct reactor_io *io; unsigned char ready, hangup, due; };

struct reactor {
    int epfd;
    size_t armed;           /* registrations holding a waker */
    struct et_fd *fds;      /* by descriptor, cap of them */
    int *due, ndue, cap;    /* registrations known readable: the next wait wakes them */
};

int et_reactor_new(struct reactor **out) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return -errno;
    if ((*out = calloc(1, sizeof **out))) (*out)->epfd = epfd;
    else close(epfd);
    return *out ? 0 : -ENOMEM;
}

void et_reactor_free(struct reactor *r) {
    if (r) close(r->epfd), free(r->fds), free(r->due);
    free(r);
}

static int et_grow(struct reactor *r, int fd) {
    int cap = 2 * fd + 16;
    struct et_fd *fds = realloc(r->fds, (size_t)cap * sizeof *fds);
    if (fds) r->fds = fds;
    int *due = fds ? realloc(r->due, (size_t)cap * sizeof *due) : NULL;
    if (!due) return -ENOMEM;
    memset(fds + r->cap, 0, (size_t)(cap - r->cap) * sizeof *fds);
    r->due = due, r->cap = cap;
    return 0;
}

static void et_undue(struct reactor *r, int fd) {
    if (fd < 0 || fd >= r->cap || !r->fds[fd].due) return;
    r->fds[fd].due = 0;
    for (int i = 0; i < r->ndue; i++)
        if (r->due[i] == fd) { r->due[i] = r->due[--r->ndue]; break; }
}
int et_reactor_register(struct reactor *r, struct reactor_io *io, const struct raw_waker *waker) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = io};
    if (io->fd < 0) return -EBADF;
    if (io->fd >= r->cap && et_grow(r, io->fd) < 0) return -ENOMEM;
    if (io->waker.vtable && waker_will_wake(&io->waker, waker)) return 0;   /* same task */
    if (io->waker.vtable) waker_drop(io->waker);
    else if (!io->waker.data && epoll_ctl(r->epfd, EPOLL_CTL_ADD, io->fd, &ev) < 0) return -errno;
    else r->armed++;
    io->waker = waker_clone(waker);
    struct et_fd *s = &r->fds[io->fd];
    s->io = io;
    if ((s->ready || s->hangup) && !s->due) s->due = 1, r->due[r->ndue++] = io->fd;
    return 0;
}

static struct raw_waker et_take_waker(struct reactor *r, struct reactor_io *io, void *in) {
    struct raw_waker waker = io->waker;
    if (waker.vtable) r->armed--;
    io->waker = (struct raw_waker){in, NULL};   /* in: r while fd stays in epoll, else NULL */
    et_undue(r, io->fd);                        /* no waker: nothing to wake */
    return waker;
}

void et_reactor_disarm(struct reactor *r, struct reactor_io *io) {
    if (io->waker.vtable) waker_drop(et_take_waker(r, io, r));
}

int et_reactor_deregister(struct reactor *r, struct reactor_io *io) {
    int in_epoll = io->waker.vtable || io->waker.data;
    int err = in_epoll && epoll_ctl(r->epfd, EPOLL_CTL_DEL, io->fd, NULL) < 0 ? -errno : 0;
    struct raw_waker waker = et_take_waker(r, io, NULL);
    if (io->fd >= 0 && io->fd < r->cap) r->fds[io->fd] = (struct et_fd){NULL, 0, 0, 0};
    if (waker.vtable) waker_drop(waker);
    return err;
}

void et_reactor_drained(struct reactor *r, struct reactor_io *io) {
    if (io->fd < 0 || io->fd >= r->cap) return;
    r->fds[io->fd].ready = 0;
    if (!r->fds[io->fd].hangup) et_undue(r, io->fd);    /* the hang-up is still news */
}
int et_reactor_wait(struct reactor *r, int timeout_ms) {
    struct epoll_event events[64];
    int n, woken = 0;
    if (r->armed == 0) return -EDEADLK;
    for (; r->ndue > 0; woken++)
        waker_wake(et_take_waker(r, r->fds[r->due[r->ndue - 1]].io, r));
    if (woken) return woken;
    do n = epoll_wait(r->epfd, events, 64, timeout_ms); while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) {
        struct reactor_io *io = events[i].data.ptr;
        r->fds[io->fd].ready = 1;                   /* until a reader says it is drained */
        r->fds[io->fd].hangup |= (events[i].events & (EPOLLHUP | EPOLLERR)) != 0;
        struct raw_waker waker = et_take_waker(r, io, r);
        if (waker.vtable) waker_wake(waker), woken++;
    }
    return woken;
}
