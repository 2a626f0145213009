/* main-two-readers.c: two registrations for one pipe, through the reactor's public API. */
#define _GNU_SOURCE                     /* pipe2 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "future/future.h"

/* A waker that counts its wake-ups; the count is its data, and it holds no reference. */
static struct raw_waker two_readers_clone(const void *data);
static void two_readers_wake(const void *data) { ++*(int *)data; }
static void two_readers_drop(const void *data) { (void)data; }
static const struct raw_waker_vtable two_readers_vtable = {
    two_readers_clone, two_readers_wake, two_readers_wake, two_readers_drop,
};
static struct raw_waker two_readers_clone(const void *data)
{
    return (struct raw_waker){ data, &two_readers_vtable };
}

/* Registers one reader on fds[0] and another on second (fds[0] itself, or its dup), writes
   one byte, and reports what the reactor did. */
static int two_readers_try(struct reactor *r, const int fds[2], int second, const char *what)
{
    int wakes[2] = { 0, 0 };
    struct raw_waker w0 = { &wakes[0], &two_readers_vtable }, w1 = { &wakes[1],
                                                                      &two_readers_vtable };
    struct reactor_io io0 = { fds[0], { NULL, NULL } }, io1 = { second, { NULL, NULL } };
    int err = reactor_register(r, &io0, &w0);
    if (err == 0 && (err = reactor_register(r, &io1, &w1)) < 0)
        printf("%s: the second registration fails: %s\n", what, strerror(-err));
    if (err == 0 && write(fds[1], "x", 1) == 1 && reactor_wait(r, -1) >= 0)
        printf("%s: one byte wakes reader 1 %d time, reader 2 %d time\n", what, wakes[0],
               wakes[1]);
    reactor_deregister(r, &io0);
    reactor_deregister(r, &io1);
    return err;
}

int main(void)
{
    struct reactor *r = NULL;
    int fds[2];
    if (reactor_new(&r) < 0 || pipe2(fds, O_NONBLOCK) < 0) {
        perror("answers-two-readers");
        return 1;
    }
    int copy = dup(fds[0]);
    int same = two_readers_try(r, fds, fds[0], "the same descriptor twice");
    int dupped = copy < 0 ? -1 : two_readers_try(r, fds, copy, "the descriptor and its dup");
    close(copy);
    close(fds[0]);
    close(fds[1]);
    reactor_free(r);
    return same < 0 && dupped == 0 ? 0 : 1;
}
