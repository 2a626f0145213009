#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "poll/fifo.h"
#include "poll/poll.h"
#include "reactor_executor/channel.h"
#include "reactor_executor/executor.h"
#include "reactor_executor/reactor.h"

enum { DEMO_PIPE1 = 1, DEMO_PIPE2 = 2, DEMO_SIGNAL = 3 };

struct demo_pipe {
    const char *name;
    int fd;
};

struct demo_stop {
    int fd;                     /* signalfd for SIGINT and SIGTERM */
    struct reactor *reactor;    /* NULL once stopped */
};

static void demo_print_bytes(const char *name, const char *buf, size_t n)
{
    printf("%s: \"", name);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n')
            printf("\\n");
        else if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (isprint(ch))
            putchar(ch);
        else
            printf("\\x%02x", ch);
    }
    printf("\" (%zu bytes)\n", n);
}
static void demo_on_pipe(void *arg, uint64_t token)
{
    struct demo_pipe *p = arg;
    char buf[512];
    (void)token;
    for (;;) {
        ssize_t n = read(p->fd, buf, sizeof buf);
        if (n > 0) {
            demo_print_bytes(p->name, buf, (size_t)n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (n < 0 && errno != EAGAIN)
                fprintf(stderr, "%s: read: %s\n", p->name, strerror(errno));
            return;
        }
    }
}
static void demo_on_signal(void *arg, uint64_t token)
{
    struct demo_stop *s = arg;
    struct signalfd_siginfo info;
    (void)token;
    if (read(s->fd, &info, sizeof info) != (ssize_t)sizeof info)
        return;
    printf("%s: stopping\n", info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
    reactor_stop(s->reactor);
    s->reactor = NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* one line at a time, also into a pipe */
    struct demo_pipe pipes[2] = { { "pipe1", -1 }, { "pipe2", -1 } };
    bool pipes_ok = true;
    for (int i = 0; i < 2; i++) {
        char msg[512];
        pipes[i].fd = fifo_open_read(pipes[i].name, msg, sizeof msg);
        if (pipes[i].fd < 0) {
            fprintf(stderr, "%s\n", msg);
            pipes_ok = false;
        }
    }
    if (!pipes_ok) {
        for (int i = 0; i < 2; i++)
            if (pipes[i].fd >= 0)
                close(pipes[i].fd);
        return EXIT_FAILURE;
    }
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    struct demo_stop stop = { signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC), NULL };
    struct chan *ready = NULL;
    struct executor *ex = NULL;
    int err = stop.fd < 0 ? -errno : chan_new(&ready);
    if (err == 0)
        err = executor_new(&ex);
    if (err == 0)
        err = reactor_start(&stop.reactor, ready);
    const uint32_t edge = POLL_READABLE | POLL_EDGE;
    if (err == 0)
        err = reactor_register(stop.reactor, pipes[0].fd, DEMO_PIPE1, edge);
    if (err == 0)
        err = reactor_register(stop.reactor, pipes[1].fd, DEMO_PIPE2, edge);
    if (err == 0)
        err = reactor_register(stop.reactor, stop.fd, DEMO_SIGNAL, edge);
    if (err == 0)
        err = executor_on(ex, DEMO_PIPE1, demo_on_pipe, &pipes[0]);
    if (err == 0)
        err = executor_on(ex, DEMO_PIPE2, demo_on_pipe, &pipes[1]);
    if (err == 0)
        err = executor_on(ex, DEMO_SIGNAL, demo_on_signal, &stop);
    if (err != 0) {
        fprintf(stderr, "reactor_executor: cannot start: %s\n", strerror(-err));
        reactor_stop(stop.reactor);
        executor_free(ex);
        chan_free(ready);
        close(stop.fd);
        close(pipes[0].fd);
        close(pipes[1].fd);
        return EXIT_FAILURE;
    }
    printf("watching pipe1 and pipe2; try: echo hello > pipe1 (Ctrl-C stops)\n");
    executor_run(ex, ready);
    printf("stopped\n");
    executor_free(ex);
    chan_free(ready);
    close(stop.fd);
    close(pipes[0].fd);
    close(pipes[1].fd);
    return EXIT_SUCCESS;
}
