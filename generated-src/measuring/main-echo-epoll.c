/* main-echo-epoll.c: the echo server on a bare, level-triggered epoll loop: a bounded buffer
   for each connection, and EPOLLOUT only while a send is pending. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/echo.h"

struct echo_conn { int fd, writing; size_t len, sent; char buf[ECHO_BUFFER]; };
static struct echo_server server;
static int epfd;
static char listener_tag, signal_tag;   /* the data.ptr of the listener and of the signalfd */

static void echo_watch(int op, int fd, void *ptr, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    bench_check(server.name, epoll_ctl(epfd, op, fd, &ev) ? -errno : 0, "epoll_ctl");
}

/* 1: all sent; 0: the socket is full (EAGAIN); -1: the client is gone. */
static int echo_flush(struct echo_conn *c)
{
    while (c->sent < c->len) {
        ssize_t n = send(c->fd, c->buf + c->sent, c->len - c->sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno == EAGAIN ? 0 : -1;
        c->sent += (size_t)n;
    }
    c->len = c->sent = 0;
    return 1;
}

static void echo_ready(struct echo_conn *c)
{
    if (!c->writing) {
        ssize_t n = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n <= 0) {               /* 0: half-closed, and all echoed; else reset */
            close(c->fd);
            free(c);
            return;
        }
        c->len = (size_t)n;
    }
    int sent = echo_flush(c);
    if (sent < 0) {
        close(c->fd);
        free(c);
    } else if (sent == c->writing) {            /* the state changes */
        c->writing = !sent;
        echo_watch(EPOLL_CTL_MOD, c->fd, c, sent ? EPOLLIN : EPOLLOUT);
    }
}

int main(int argc, char **argv)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    if (echo_open(&server, argc, argv) < 0) return 2;
    int sfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    bench_check(server.name, sfd < 0 || epfd < 0 ? -errno : 0, "signalfd or epoll_create1");
    echo_watch(EPOLL_CTL_ADD, server.listener, &listener_tag, EPOLLIN);
    echo_watch(EPOLL_CTL_ADD, sfd, &signal_tag, EPOLLIN);
    for (int running = 1; running;) {
        struct epoll_event events[64];
        int n = epoll_wait(epfd, events, 64, -1);
        bench_check(server.name, n < 0 && errno != EINTR ? -errno : 0, "epoll_wait");
        for (int k = 0; k < n; k++) {
            void *ptr = events[k].data.ptr;
            if (ptr == &signal_tag) running = 0;
            else if (ptr != &listener_tag) echo_ready(ptr);
            else for (int fd; (fd = accept4(server.listener, NULL, NULL,
                                             SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
                struct echo_conn *c = malloc(sizeof *c);
                bench_check(server.name, c ? 0 : -ENOMEM, "malloc");
                echo_no_delay(fd);
                c->fd = fd;             /* the buffer is left as it is: no memset */
                c->writing = 0;
                c->len = c->sent = 0;
                echo_watch(EPOLL_CTL_ADD, fd, c, EPOLLIN);
                /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): epoll's data.ptr holds c now */
                server.served++;
            }
        }
    }
    close(sfd);
    close(epfd);
    echo_close(&server);
    return 0;
}
