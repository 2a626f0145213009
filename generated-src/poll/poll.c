#define _GNU_SOURCE
#include "poll/poll.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
struct poll {
    int epfd;                       /* the epoll instance */
};
int poll_new(struct poll **out)
{
    struct poll *p = malloc(sizeof *p);
    if (p == NULL)
        return -ENOMEM;
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (p->epfd < 0) {
        int err = errno;
        free(p);
        return -err;
    }
    *out = p;
    return 0;
}

void poll_close(struct poll *p)
{
    if (p == NULL)
        return;
    close(p->epfd);
    free(p);
}
static int poll_interest_to_epoll(uint32_t interest, uint32_t *events)
{
    const uint32_t known = POLL_READABLE | POLL_WRITABLE | POLL_HANGUP | POLL_ERROR | POLL_EDGE;
    if ((interest & ~known) != 0)
        return -EINVAL;
    uint32_t ev = 0;
    if (interest & POLL_READABLE)
        ev |= EPOLLIN | EPOLLRDHUP;
    if (interest & POLL_WRITABLE)
        ev |= EPOLLOUT;
    if (interest & POLL_EDGE)
        ev |= EPOLLET;
    *events = ev;
    return 0;
}

static uint32_t poll_ready_from_epoll(uint32_t ev)
{
    uint32_t ready = 0;
    if (ev & EPOLLIN)
        ready |= POLL_READABLE;
    if (ev & EPOLLOUT)
        ready |= POLL_WRITABLE;
    if (ev & (EPOLLHUP | EPOLLRDHUP))
        ready |= POLL_HANGUP;
    if (ev & EPOLLERR)
        ready |= POLL_ERROR;
    return ready;
}
static int poll_ctl(struct poll *p, int op, int fd, uint64_t token, uint32_t interest)
{
    uint32_t events = 0;
    int rc = poll_interest_to_epoll(interest, &events);
    if (rc < 0)
        return rc;
    struct epoll_event ev = { .events = events, .data = { .u64 = token } };
    if (epoll_ctl(p->epfd, op, fd, &ev) < 0)
        return -errno;
    return 0;
}

int poll_add(struct poll *p, int fd, uint64_t token, uint32_t interest)
{
    return poll_ctl(p, EPOLL_CTL_ADD, fd, token, interest);
}

int poll_modify(struct poll *p, int fd, uint64_t token, uint32_t interest)
{
    return poll_ctl(p, EPOLL_CTL_MOD, fd, token, interest);
}
int poll_remove(struct poll *p, int fd)
{
    struct epoll_event unused = { 0 };
    if (epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, &unused) < 0)
        return -errno;
    return 0;
}
enum { POLL_WAIT_BATCH = 64 };

static struct timespec poll_deadline_after(int timeout_ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (timeout_ms > 0) {
        t.tv_sec += timeout_ms / 1000;
        t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec += 1;
            t.tv_nsec -= 1000000000L;
        }
    }
    return t;
}

static int poll_ms_until(struct timespec deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (long long)(deadline.tv_sec - now.tv_sec) * 1000000000LL
                   + (deadline.tv_nsec - now.tv_nsec);
    if (ns <= 0)
        return 0;
    return (int)((ns + 999999) / 1000000);
}

int poll_wait(struct poll *p, struct poll_event *events, int max, int timeout_ms)
{
    struct epoll_event raw[POLL_WAIT_BATCH];
    if (max <= 0)
        return -EINVAL;
    if (max > POLL_WAIT_BATCH)
        max = POLL_WAIT_BATCH;
    struct timespec deadline = poll_deadline_after(timeout_ms);
    for (;;) {
        int n = epoll_wait(p->epfd, raw, max, timeout_ms);
        if (n >= 0) {
            for (int i = 0; i < n; i++) {
                events[i].token = raw[i].data.u64;
                events[i].ready = poll_ready_from_epoll(raw[i].events);
            }
            return n;
        }
        if (errno != EINTR)
            return -errno;
        if (timeout_ms > 0)
            timeout_ms = poll_ms_until(deadline);
    }
}
