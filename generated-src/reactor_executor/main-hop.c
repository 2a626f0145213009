#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "poll/poll.h"
#include "poll/stdfds.h"
#include "preface/number.h"
#include "reactor_executor/channel.h"
#include "reactor_executor/executor.h"
#include "reactor_executor/reactor.h"

struct hop {
    int ping[2];        /* the main thread writes one byte here, ... */
    int pong[2];        /* ... and sleeps until it comes back here */
};

static void hop_check(int err, const char *what)
{
    if (err != 0) {
        fprintf(stderr, "reactor_executor-hop: %s: %s\n", what, strerror(-err));
        exit(EXIT_FAILURE);
    }
}

static void hop_open(struct hop *h)    /* only the server's end must not block */
{
    hop_check(pipe2(h->ping, O_NONBLOCK | O_CLOEXEC) < 0 ? -errno : 0, "pipe2");
    hop_check(pipe2(h->pong, O_CLOEXEC) < 0 ? -errno : 0, "pipe2");
}

static bool hop_echo(struct hop *h)
{
    char ch;
    ssize_t n;
    while ((n = read(h->ping[0], &ch, 1)) == 1)
        if (write(h->pong[1], &ch, 1) != 1)
            return false;
    return n < 0 && errno == EAGAIN;
}

static void *hop_poll_thread(void *arg)
{
    struct hop *h = arg;
    struct poll *p;
    struct poll_event ev;
    hop_check(poll_new(&p), "poll_new");
    hop_check(poll_add(p, h->ping[0], 1, POLL_READABLE | POLL_EDGE), "poll_add");
    while (poll_wait(p, &ev, 1, -1) == 1 && hop_echo(h))
        continue;
    poll_close(p);
    return NULL;
}

static void hop_on_ping(void *arg, uint64_t token)
{
    (void)token;
    hop_echo(arg);
}

struct hop_executor {
    struct executor *ex;
    struct chan *ready;
};

static void *hop_executor_thread(void *arg)
{
    struct hop_executor *e = arg;
    executor_run(e->ex, e->ready);
    return NULL;
}

static long long hop_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int hop_compare(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static long long hop_median_round_trip(struct hop *h, long long *ns, long rounds)
{
    for (long i = 0; i < rounds; i++) {
        char out = (char)('a' + i % 26), in = 0;
        long long start = hop_now_ns();
        if (write(h->ping[1], &out, 1) != 1 || read(h->pong[0], &in, 1) != 1)
            hop_check(-errno, "round trip");
        ns[i] = hop_now_ns() - start;
        if (in != out)
            hop_check(-EPROTO, "round trip");
    }
    close(h->ping[1]);
    qsort(ns, (size_t)rounds, sizeof *ns, hop_compare);
    return ns[rounds / 2];
}

static void hop_close(struct hop *h)
{
    close(h->ping[0]);
    close(h->pong[0]);
    close(h->pong[1]);
}

int main(int argc, char **argv)
{
    if (stdfds_reserve("reactor_executor-hop") < 0)
        return EXIT_FAILURE;
    long rounds = 10000;
    if (argc > 2 || (argc == 2 && number_parse("reactor_executor-hop", "ROUNDS", argv[1], 1,
                                               1000000, &rounds) < 0)) {
        fprintf(stderr, "usage: reactor_executor-hop [ROUNDS]   (round trips; default 10000)\n");
        return 2;
    }
    long long *ns = malloc((size_t)rounds * sizeof *ns);
    if (ns == NULL)
        hop_check(-ENOMEM, "malloc");
    struct hop h;
    pthread_t thread;
    hop_open(&h);
    hop_check(-pthread_create(&thread, NULL, hop_poll_thread, &h), "pthread_create");
    long long direct = hop_median_round_trip(&h, ns, rounds);
    pthread_join(thread, NULL);
    hop_close(&h);
    hop_open(&h);
    struct hop_executor run = { NULL, NULL };
    struct reactor *reactor;
    hop_check(chan_new(&run.ready), "chan_new");
    hop_check(executor_new(&run.ex), "executor_new");
    hop_check(executor_on(run.ex, 1, hop_on_ping, &h), "executor_on");
    hop_check(reactor_start(&reactor, run.ready), "reactor_start");
    hop_check(reactor_register(reactor, h.ping[0], 1, POLL_READABLE | POLL_EDGE),
              "reactor_register");
    hop_check(-pthread_create(&thread, NULL, hop_executor_thread, &run), "pthread_create");
    long long handed = hop_median_round_trip(&h, ns, rounds);
    reactor_stop(reactor);          /* closes the channel: executor_run returns */
    pthread_join(thread, NULL);
    executor_free(run.ex);
    chan_free(run.ready);
    hop_close(&h);
    printf("%ld round trips of one byte, median of each:\n", rounds);
    printf("  handled on the polling thread:   %6.1f us\n", direct / 1e3);
    printf("  handed to the executor thread:   %6.1f us\n", handed / 1e3);
    printf("  one hop costs about              %6.1f us\n", (handed - direct) / 1e3);
    free(ns);
    return EXIT_SUCCESS;
}
