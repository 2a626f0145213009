#define _GNU_SOURCE
#include "poll/escape.h"
#include "poll/fifo.h"
#include "poll/poll.h"
#include "poll/stdfds.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

enum { DEMO_MAX_PIPES = 16, DEMO_LINE_MAX = 4096, DEMO_READS_PER_EVENT = 16 };

struct watched_pipe {
    const char *name;
    int fd;
    size_t len;                     /* bytes of an unfinished line in buf */
    char buf[DEMO_LINE_MAX];
};
static void demo_print_banner(const struct watched_pipe *pipes, int npipes)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("watching ");
    for (int i = 0; i < npipes; i++)
        printf("%s%s", i == 0 ? "" : i == npipes - 1 ? " and " : ", ", pipes[i].name);
    printf("; write a line \"exit\" to one of them, or press Ctrl-C, to stop\n");
}
static int demo_print_lines(struct watched_pipe *w);

/* Reads what the pipe holds, within the budget; returns 0 when the demo should stop. */
static int demo_drain(struct watched_pipe *w)
{
    for (int reads = 0; reads < DEMO_READS_PER_EVENT; reads++) {
        ssize_t n = read(w->fd, w->buf + w->len, sizeof w->buf - w->len);
        if (n > 0) {
            w->len += (size_t)n;
            if (!demo_print_lines(w))
                return 0;
        } else if (n == 0) {
            printf("%s: end of file\n", w->name);
            return 0;
        } else if (errno == EAGAIN) {
            return 1;
        } else if (errno != EINTR) {
            fprintf(stderr, "poll: %s: %s\n", w->name, strerror(errno));
            return 0;
        }
    }
    return 1;                       /* budget spent: the next wait reports the rest */
}
static void demo_print_line(const char *name, const char *line, size_t len)
{
    printf("%s: ", name);
    escape_print(stdout, line, len);
    putchar('\n');
}

static int demo_print_lines(struct watched_pipe *w)
{
    char *start = w->buf, *end = w->buf + w->len, *nl;
    while ((nl = memchr(start, '\n', (size_t)(end - start))) != NULL) {
        size_t len = (size_t)(nl - start);
        demo_print_line(w->name, start, len);
        if (len == 4 && memcmp(start, "exit", 4) == 0) {
            printf("bye\n");
            return 0;
        }
        start = nl + 1;
    }
    w->len = (size_t)(end - start);
    memmove(w->buf, start, w->len);
    if (w->len == sizeof w->buf) {
        demo_print_line(w->name, w->buf, w->len);
        w->len = 0;
    }
    return 1;
}
static int demo_stop_signal(int sigfd)
{
    struct signalfd_siginfo info;
    if (read(sigfd, &info, sizeof info) != (ssize_t)sizeof info)
        return 1;                   /* spurious wake-up: keep going */
    printf("%s received; bye\n", info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
    return 0;
}

int main(int argc, char **argv)
{
    if (stdfds_reserve("poll") < 0)
        return EXIT_FAILURE;
    const char *const *paths;
    int npipes = fifo_args("poll", argc, argv, DEMO_MAX_PIPES, &paths);
    if (npipes < 0)
        return 2;
    static struct watched_pipe pipes[DEMO_MAX_PIPES];
    int failed = 0;
    for (int i = 0; i < npipes; i++) {
        pipes[i].name = paths[i];
        pipes[i].len = 0;
        pipes[i].fd = fifo_open_read(paths[i], "poll", stderr);
        failed |= pipes[i].fd < 0;
    }
    if (failed) {
        for (int i = 0; i < npipes; i++)
            if (pipes[i].fd >= 0)
                close(pipes[i].fd);
        return 1;
    }
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_signals, NULL);
    int sigfd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    struct poll *poller = NULL;
    int rc = sigfd < 0 ? -errno : poll_new(&poller);
    for (int i = 0; rc == 0 && i < npipes; i++)
        rc = poll_add(poller, pipes[i].fd, (uint64_t)i, POLL_READABLE);
    if (rc == 0)
        rc = poll_add(poller, sigfd, (uint64_t)npipes, POLL_READABLE);
    int status = rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    if (rc < 0)
        fprintf(stderr, "poll: cannot watch the pipes: %s%s\n", strerror(-rc),
                rc == -EMFILE ? " (see ulimit -n)" : "");
    else
        demo_print_banner(pipes, npipes);
    int running = rc == 0;
    while (running) {
        struct poll_event events[8];
        int n = poll_wait(poller, events, 8, -1);
        if (n < 0) {
            fprintf(stderr, "poll: waiting failed: %s\n", strerror(-n));
            status = EXIT_FAILURE;
            break;
        }
        for (int i = 0; i < n && running; i++) {
            if (events[i].token == (uint64_t)npipes)
                running = demo_stop_signal(sigfd);
            else
                running = demo_drain(&pipes[events[i].token]);
        }
    }
    for (int i = 0; i < npipes; i++) {
        if (poller != NULL)
            poll_remove(poller, pipes[i].fd);
        close(pipes[i].fd);
    }
    if (sigfd >= 0)
        close(sigfd);
    poll_close(poller);
    return status;
}
