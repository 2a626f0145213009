/* main-fanin-epoll.c: fan-in on a bare, level-triggered epoll loop. */
#define MEASURING_EDGE 0
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/fanin.h"

/* cppcheck-suppress badBitmaskCheck ; MEASURING_EDGE is 0 in one program, 1 in the other */
static const uint32_t interest = EPOLLIN | (MEASURING_EDGE ? EPOLLET : 0);

int main(int argc, char **argv) {
    struct fanin fi;
    if (fanin_open(&fi, argc, argv) < 0) return 2;
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    bench_check(fi.name, epfd < 0 ? -errno : 0, "epoll_create1");
    for (long i = 0; i < fi.readers; i++) {
        struct epoll_event ev = {.events = interest, .data.u64 = (uint64_t)i};
        bench_check(fi.name, epoll_ctl(epfd, EPOLL_CTL_ADD, fi.fds[i], &ev) ? -errno : 0,
                    "epoll_ctl");
    }
    fanin_start(&fi);
    while (!fanin_done(&fi)) {
        struct epoll_event events[64];
        int n = epoll_wait(epfd, events, 64, -1);
        bench_check(fi.name, n < 0 && errno != EINTR ? -errno : 0, "epoll_wait");
        for (int k = 0; k < n; k++) {
            long i = (long)events[k].data.u64;
            fanin_read(&fi, i);         /* reads all that is left, so short unless done */
            if (fanin_reader_done(&fi, i))
                bench_check(fi.name, epoll_ctl(epfd, EPOLL_CTL_DEL, fi.fds[i], NULL) ? -errno
                            : 0, "epoll_ctl");
        }
    }
    int status = fanin_finish(&fi);
    close(epfd);
    fanin_close(&fi);
    return status;
}
