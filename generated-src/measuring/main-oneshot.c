/* main-oneshot.c: the bare loop, re-arming each descriptor as our reactor does. */
#define MEASURING_ONESHOT 1
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "measuring/ring.h"

/* cppcheck-suppress badBitmaskCheck ; MEASURING_ONESHOT is 0 in one program, 1 in the other */
static const uint32_t interest = EPOLLIN | (MEASURING_ONESHOT ? EPOLLONESHOT : 0);

static void watch(struct ring *ring, int epfd, int op, long i) {
    struct epoll_event ev = {.events = interest, .data.u64 = (uint64_t)i};
    ring_check(ring, epoll_ctl(epfd, op, ring->fds[i][0], &ev) < 0 ? -errno : 0, "epoll_ctl");
}

int main(int argc, char **argv) {
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    ring_check(&ring, epfd < 0 ? -errno : 0, "epoll_create1");
    for (long i = 0; i < ring.pipes; i++) watch(&ring, epfd, EPOLL_CTL_ADD, i);
    ring_start(&ring);
    while (!ring_done(&ring)) {
        struct epoll_event events[64];
        int n = epoll_wait(epfd, events, 64, -1);
        ring_check(&ring, n < 0 && errno != EINTR ? -errno : 0, "epoll_wait");
        for (int k = 0; k < n; k++) {
            long i = (long)events[k].data.u64;
            ring_pass(&ring, i);
            if (MEASURING_ONESHOT && !ring_done(&ring)) watch(&ring, epfd, EPOLL_CTL_MOD, i);
        }
    }
    int status = ring_finish(&ring);
    close(epfd);
    ring_close(&ring);
    return status;
}
