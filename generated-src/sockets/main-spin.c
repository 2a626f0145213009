/* main-spin.c: build/sockets-spin: a listener left in a level-triggered epoll while accept
   fails with EMFILE is reported by every epoll_wait. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "sockets/address.h"

static double spin_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(void)
{
    struct sockaddr_in addr;
    sockets_parse_address("0", &addr, "sockets-spin", stderr);
    int listener = sockets_listen(&addr, "sockets-spin", stderr);
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    if (listener < 0 || client < 0 || epfd < 0 ||
        connect(client, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) < 0)
        return 1;
    int lowest_free = 0;
    while (fcntl(lowest_free, F_GETFD) >= 0)
        lowest_free++;
    struct rlimit lim;
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = (rlim_t)lowest_free;     /* no new descriptor from here on */
    setrlimit(RLIMIT_NOFILE, &lim);
    int reported = 0, failed = 0, err = 0;
    double start = spin_now_ms();
    for (int round = 0; round < 1000; round++) {
        reported += epoll_wait(epfd, &ev, 1, 1000) == 1;    /* may sleep up to 1 s */
        if (accept4(listener, NULL, NULL, SOCK_CLOEXEC) < 0)
            failed++, err = errno;
    }
    printf("epoll_wait reported the listener %d times in 1000 waits; accept4 failed %d times: "
           "%s\n", reported, failed, strerror(err));
    printf("the 1000 waits, each allowed to sleep 1 s, took %.1f ms in all\n",
           spin_now_ms() - start);
    close(epfd);
    close(client);
    close(listener);
    return 0;
}
