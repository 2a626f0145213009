/* main-uaf.c: drop a ReadNChars on io_uring while its read is in flight, the right way
   (cancel, and keep the buffer until the completion) or the wrong way (free it now). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "uring/choose.h"
#include "waker/tally_waker.h"

/* The mistake: forget the read as an epoll reader may forget its registration. */
static void uaf_drop_wrongly(struct uring_read *f) { free(f->op); }

int main(int argc, char **argv) {
    int wrong = argc == 2 && strcmp(argv[1], "wrong") == 0, fds[2], err;
    struct tally tally;
    struct raw_waker waker = tally_waker_new(&tally);
    struct future_context cx = {&waker};
    struct reactor *r;
    struct uring_read read;
    if (argc != 2 || (!wrong && strcmp(argv[1], "right") != 0)) {
        fprintf(stderr, "usage: %s right|wrong\n", argv[0]);
        return 2;
    }
    if ((err = reactor_new(&r)) < 0) {
        uring_explain(stderr, "uring-uaf", err);
        return 1;
    }
    if (pipe(fds) < 0) return 1;
    uring_read_init(&read, r, fds[0], 16);
    future_poll(&read.base, &cx);           /* submits the read; the pipe is empty */
    reactor_wait(r, 0);                     /* hands it to the kernel */
    if (wrong) uaf_drop_wrongly(&read);
    else future_drop(&read.base);
    printf("dropped the future with %zu read in flight\n", uring_in_flight(r));
    fflush(stdout);
    if (write(fds[1], "written too late\n", 17) != 17) return 1;   /* the kernel reads it */
    reactor_free(r);                        /* reaps every completion */
    close(fds[0]);
    close(fds[1]);
    printf("every completion reaped; the buffer lived until its completion\n");
    return 0;
}
