/* main-flood.c: build/sockets-flood: a probe's round trips beside a flooding client, with
   the echo server's budget and without it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sockets/address.h"
#include "sockets/echo.h"

static pid_t flood_server(int listener, unsigned budget)
{
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigprocmask(SIG_BLOCK, &stop, NULL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);   /* stop, too, if the parent dies */
        struct sockets_server_options options = SOCKETS_SERVER_DEFAULTS;
        struct sockets_server_stats stats = {0};
        options.budget = budget;
        int err = sockets_serve(listener, signalfd(-1, &stop, SFD_NONBLOCK), &options, &stats);
        printf("budget %2u: the longest turn of a connection echoed %lu buffers of 16384 bytes\n",
               budget, stats.longest_turn);
        fflush(stdout);
        _exit(err < 0);
    }
    return pid;
}

static void *flood_send(void *arg)
{
    static char bytes[1 << 20];
    while (send(*(int *)arg, bytes, sizeof bytes, MSG_NOSIGNAL) > 0)
        continue;
    return NULL;
}

static pid_t flood_client(const struct sockaddr_in *addr)
{
    pid_t pid = fork();
    if (pid == 0) {
        static char bytes[1 << 20];
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        pthread_t sender;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0 ||
            pthread_create(&sender, NULL, flood_send, &fd) != 0)
            _exit(1);
        while (recv(fd, bytes, sizeof bytes, 0) > 0)
            continue;
        _exit(0);
    }
    return pid;
}
static double probe_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int probe_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int probe_round_trip(int fd)
{
    char bytes[64] = {0};
    size_t got = 0;
    ssize_t n = send(fd, bytes, sizeof bytes, MSG_NOSIGNAL);
    while (n > 0 && got < sizeof bytes && (n = recv(fd, bytes, sizeof bytes - got, 0)) > 0)
        got += (size_t)n;
    return got == sizeof bytes ? 0 : -1;
}

static int probe(unsigned budget)
{
    struct sockaddr_in addr;
    sockets_parse_address("0", &addr, "sockets-flood", stderr);
    int listener = sockets_listen(&addr, "sockets-flood", stderr), fd = -1, err = -1;
    pid_t server = listener < 0 ? -1 : flood_server(listener, budget);
    pid_t flood = server < 0 ? -1 : flood_client(&addr);
    double rtt[200];
    if (flood > 0 && (fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0 &&
        connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0 && probe_round_trip(fd) == 0) {
        err = 0;
        for (int i = 0; i < 200 && err == 0; i++) {
            double start = probe_now_us();
            err = probe_round_trip(fd);
            rtt[i] = probe_now_us() - start;
        }
    }
    if (err == 0) {
        qsort(rtt, 200, sizeof rtt[0], probe_compare);
        printf("budget %2u: 200 round trips of 64 bytes beside a flood: p50 %6.0f us, p99 %6.0f "
               "us, max %6.0f us\n", budget, rtt[99], rtt[197], rtt[199]);
        fflush(stdout);                 /* before the server, a child, prints its line */
    }
    if (flood > 0)
        kill(flood, SIGKILL), waitpid(flood, NULL, 0);
    if (server > 0)
        kill(server, SIGTERM), waitpid(server, NULL, 0);
    if (fd >= 0)
        close(fd);
    if (listener >= 0)
        close(listener);
    return err;
}

int main(void)
{
    return probe(16) < 0 || probe(0) < 0;
}
