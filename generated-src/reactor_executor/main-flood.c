#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "poll/poll.h"
#include "poll/stdfds.h"
#include "reactor_executor/channel.h"
#include "reactor_executor/reactor.h"

struct flood {
    int pipe[2];
    struct chan *ready;
    struct reactor *reactor;
};

static void flood_check(int err, const char *what)
{
    if (err != 0) {
        fprintf(stderr, "reactor_executor-flood: %s: %s\n", what, strerror(-err));
        exit(EXIT_FAILURE);
    }
}

static void flood_start(struct flood *f, uint32_t interest)
{
    flood_check(pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC) < 0 ? -errno : 0, "pipe2");
    flood_check(chan_new(&f->ready), "chan_new");
    flood_check(reactor_start(&f->reactor, f->ready), "reactor_start");
    flood_check(reactor_register(f->reactor, f->pipe[0], 1, interest), "register");
}

static void flood_stop(struct flood *f)
{
    reactor_stop(f->reactor);
    chan_free(f->ready);
    close(f->pipe[0]);
    close(f->pipe[1]);
}

int main(void)
{
    if (stdfds_reserve("reactor_executor-flood") < 0)
        return EXIT_FAILURE;
    struct flood level;
    flood_start(&level, POLL_READABLE);
    if (write(level.pipe[1], "x", 1) != 1)
        flood_check(-errno, "write");
    long count = 0;
    uint64_t token;
    while (count < 100000 && chan_recv(level.ready, &token) == CHAN_OK)
        count++;
    printf("level-triggered: 1 byte unread, %ld tokens received, and more coming\n", count);
    flood_stop(&level);
    struct flood edge;
    flood_start(&edge, POLL_READABLE | POLL_EDGE);
    if (write(edge.pipe[1], "x", 1) != 1)
        flood_check(-errno, "write");
    count = chan_recv(edge.ready, &token) == CHAN_OK ? 1 : 0;
    reactor_stop(edge.reactor);
    edge.reactor = NULL;
    while (chan_recv(edge.ready, &token) == CHAN_OK)
        count++;
    printf("edge-triggered: 1 byte unread, %ld token received\n", count);
    flood_stop(&edge);
    return EXIT_SUCCESS;
}
