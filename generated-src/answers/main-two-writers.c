/* main-two-writers.c: two writers on one sockets_write_io: which is woken? */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockets/sockets.h"
#include "waker/tally_waker.h"

int main(void)
{
    struct tally first, second;
    struct raw_waker w1 = tally_waker_new(&first), w2 = tally_waker_new(&second);
    struct reactor *r = NULL;
    struct sockets_net net;
    int sv[2];
    if (reactor_new(&r) < 0 || sockets_net_init(&net, r) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) {
        perror("answers-two-writers");
        return 1;
    }
    struct sockets_write_io io = {sv[0], false, {NULL, NULL}};
    int err = sockets_wait_writable(&net, &io, &w1);
    if (err == 0)
        err = sockets_wait_writable(&net, &io, &w2);
    int woken = err == 0 ? reactor_wait(r, 1000) : err;
    printf("writer 1: woken %ld times, %ld reference left; writer 2: woken %ld times, %ld "
           "reference left; the reactor woke %d\n", first.wakes, first.refs, second.wakes,
           second.refs, woken);
    sockets_forget_writer(&net, &io);
    sockets_net_close(&net);
    reactor_free(r);
    close(sv[0]);
    close(sv[1]);
    waker_drop(w1);
    waker_drop(w2);
    return woken == 1 ? 0 : 1;
}
