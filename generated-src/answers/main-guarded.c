/* main-guarded.c: the guarded ReadNChars, run by the executor (tasks) or moved (moved). */
#define _GNU_SOURCE                     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "answers/guarded_read.h"
#include "answers/noop_waker.h"

static int guarded_in_tasks(struct reactor *r, struct executor *ex)
{
    int fds[2][2];
    char bufs[2][4];
    const char *words[2] = { "ping", "pong" };
    for (int i = 0; i < 2; i++) {
        if (pipe2(fds[i], O_NONBLOCK) < 0)
            return -errno;
        struct guarded_read g;
        guarded_read_init(&g, r, fds[i][0], bufs[i], sizeof bufs[i]);
        if (executor_spawn(ex, &g.base, sizeof g) < 0 || write(fds[i][1], words[i], 4) != 4)
            return -ENOMEM;
    }
    int err = executor_run(ex, r);
    for (int i = 0; i < 2 && err == 0; i++)
        printf("task %d read %.4s\n", i + 1, bufs[i]);
    return err;
}

static int guarded_moved(struct reactor *r)
{
    int fds[2];
    char buf[4];
    if (pipe2(fds, O_NONBLOCK) < 0)
        return -errno;
    struct raw_waker w = noop_waker();
    struct future_context cx = { &w };
    struct guarded_read g;
    guarded_read_init(&g, r, fds[0], buf, sizeof buf);
    printf("first poll: %s\n", future_poll(&g.base, &cx).status ? "ready" : "pending");
    struct guarded_read moved = g; fflush(stdout); future_poll(&moved.base, &cx);
    puts("the moved future was polled: the guard did not fire");
    return 0;
}

int main(int argc, char **argv)
{
    bool tasks = argc == 2 && strcmp(argv[1], "tasks") == 0;
    if (argc != 2 || (!tasks && strcmp(argv[1], "moved") != 0)) {
        fprintf(stderr, "answers-guarded: say how to run the guarded ReadNChars\n"
                "usage: answers-guarded tasks|moved\n");
        return 2;
    }
    struct reactor *r = NULL;
    struct executor *ex = NULL;
    int err = reactor_new(&r);
    if (err == 0 && !(ex = executor_new()))
        err = -ENOMEM;
    if (err == 0)
        err = tasks ? guarded_in_tasks(r, ex) : guarded_moved(r);
    if (err < 0)
        fprintf(stderr, "answers-guarded: %s\n", strerror(-err));
    executor_free(ex);
    reactor_free(r);
    return err < 0;
}
