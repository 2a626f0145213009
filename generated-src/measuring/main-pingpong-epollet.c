/* main-pingpong-epollet.c: ping-pong on a bare, edge-triggered epoll loop. */
#define MEASURING_EDGE 1
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/pingpong.h"

/* cppcheck-suppress badBitmaskCheck ; MEASURING_EDGE is 0 in one program, 1 in the other */
static const uint32_t interest = EPOLLIN | (MEASURING_EDGE ? EPOLLET : 0);

int main(int argc, char **argv) {
    struct pingpong pp;
    if (pingpong_open(&pp, argc, argv) < 0) return 2;
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    bench_check(pp.name, epfd < 0 ? -errno : 0, "epoll_create1");
    for (long end = 0; end < 2 * pp.pairs; end++) {
        struct epoll_event ev = {.events = interest, .data.u64 = (uint64_t)end};
        int ok = epoll_ctl(epfd, EPOLL_CTL_ADD, pingpong_fd(&pp, end), &ev);
        bench_check(pp.name, ok < 0 ? -errno : 0, "epoll_ctl");
    }
    pingpong_start(&pp);
    while (!pingpong_done(&pp)) {
        struct epoll_event events[64];
        int n = epoll_wait(epfd, events, 64, -1);
        bench_check(pp.name, n < 0 && errno != EINTR ? -errno : 0, "epoll_wait");
        for (int k = 0; k < n; k++) {
            long end = (long)events[k].data.u64, got;
            do got = pingpong_end_done(&pp, end) ? 0 : pingpong_step(&pp, end);
            while (got == PINGPONG_READ && MEASURING_EDGE);   /* edge: read until drained */
        }
    }
    int status = pingpong_finish(&pp);
    close(epfd);
    pingpong_close(&pp);
    return status;
}
