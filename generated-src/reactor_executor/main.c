#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "poll/escape.h"
#include "poll/fifo.h"
#include "poll/poll.h"
#include "poll/stdfds.h"
#include "reactor_executor/channel.h"
#include "reactor_executor/executor.h"
#include "reactor_executor/reactor.h"

enum { DEMO_MAX_PIPES = 16, DEMO_SIGNAL = DEMO_MAX_PIPES, DEMO_READS_PER_CALL = 16 };

struct demo_pipe {
    const char *name;
    int fd;
    /* cppcheck-suppress unusedStructMember ; the greet program shares this type, not the budget */
    struct chan *ready;         /* where to send the token again when the budget is spent */
};

struct demo_stop {
    int fd;                     /* signalfd for SIGINT and SIGTERM */
    struct reactor *reactor;    /* NULL once stopped */
};

static void demo_print_bytes(const char *name, const char *buf, size_t n)
{
    printf("%s: \"", name);
    escape_print(stdout, buf, n);
    printf("\" (%zu bytes)\n", n);
}
static void demo_on_pipe(void *arg, uint64_t token)
{
    struct demo_pipe *p = arg;
    char buf[512];
    for (int reads = 0; reads < DEMO_READS_PER_CALL; reads++) {
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
    chan_send(p->ready, token);     /* budget spent, maybe not empty: again after the others */
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

int main(int argc, char **argv)
{
    const char *program = "reactor_executor";
    if (stdfds_reserve(program) < 0)
        return EXIT_FAILURE;
    const char *const *paths;
    int npipes = fifo_args(program, argc, argv, DEMO_MAX_PIPES, &paths);
    if (npipes < 0)
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);   /* one line at a time, also into a pipe */
    struct demo_pipe pipes[DEMO_MAX_PIPES];
    for (int i = 0; i < npipes; i++)
        pipes[i] = (struct demo_pipe){ paths[i], -1, NULL };
    bool pipes_ok = true;
    for (int i = 0; i < npipes; i++) {
        pipes[i].fd = fifo_open_read(pipes[i].name, program, stderr);
        pipes_ok &= pipes[i].fd >= 0;
    }
    if (!pipes_ok) {
        for (int i = 0; i < npipes; i++)
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
    for (int i = 0; err == 0 && i < npipes; i++) {
        pipes[i].ready = ready;
        err = reactor_register(stop.reactor, pipes[i].fd, (uint64_t)i, edge);
        if (err == 0)
            err = executor_on(ex, (uint64_t)i, demo_on_pipe, &pipes[i]);
    }
    if (err == 0)
        err = reactor_register(stop.reactor, stop.fd, DEMO_SIGNAL, edge);
    if (err == 0)
        err = executor_on(ex, DEMO_SIGNAL, demo_on_signal, &stop);
    if (err != 0) {
        fprintf(stderr, "%s: cannot start: %s%s\n", program, strerror(-err),
                err == -EMFILE ? " (see ulimit -n)" : "");
        reactor_stop(stop.reactor);
        int stopped = reactor_stop(stop.reactor);
        if (stopped < 0)
            fprintf(stderr, "reactor_executor: the reactor ended early: %s\n", strerror(-stopped));
        executor_free(ex);
        chan_free(ready);
        close(stop.fd);
        for (int i = 0; i < npipes; i++)
            close(pipes[i].fd);
        return EXIT_FAILURE;
    }
    printf("watching %s", paths[0]);
    for (int i = 1; i < npipes; i++)
        printf("%s%s", i == npipes - 1 ? " and " : ", ", paths[i]);
    printf("; try: echo hello > %s (Ctrl-C stops)\n", paths[0]);
    executor_run(ex, ready);
    printf("stopped\n");
    int stopped = reactor_stop(stop.reactor);
    if (stopped < 0)
        fprintf(stderr, "reactor_executor: the reactor ended early: %s\n", strerror(-stopped));
    executor_free(ex);
    chan_free(ready);
    close(stop.fd);
    for (int i = 0; i < npipes; i++)
        close(pipes[i].fd);
    return stopped < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
