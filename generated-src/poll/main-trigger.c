#define _GNU_SOURCE
#include "poll/poll.h"
#include "poll/stdfds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int trigger_unread(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) < 0 ? -1 : n;
}

static int trigger_run(const char *title, uint32_t interest, int until_eagain)
{
    int fds[2];
    struct poll *p = NULL;
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0 || poll_new(&p) < 0
        || poll_add(p, fds[0], 7, interest) < 0 || write(fds[1], "abcdef", 6) != 6) {
        perror("poll-trigger");
        return 0;
    }
    printf("%s\n", title);
    int wrote_more = 0;
    for (int round = 1; round <= 6; round++) {
        struct poll_event ev;
        int n = poll_wait(p, &ev, 1, 0);
        if (n == 0) {
            printf("  wait %d: nothing ready, %d bytes unread\n", round, trigger_unread(fds[0]));
            if (wrote_more)
                break;
            wrote_more = 1;
            if (write(fds[1], "g", 1) != 1) {
                perror("poll-trigger: write");
                break;
            }
            printf("  wrote 1 more byte\n");
            continue;
        }
        printf("  wait %d: token %d ready; read", round, (int)ev.token);
        char buf[2];
        ssize_t got;
        do {
            got = read(fds[0], buf, sizeof buf);
            if (got > 0)
                printf(" \"%.*s\"", (int)got, buf);
        } while (until_eagain && got > 0);
        if (got < 0 && errno == EAGAIN)
            printf(", then EAGAIN");
        printf("; %d bytes unread\n", trigger_unread(fds[0]));
    }
    poll_remove(p, fds[0]);
    poll_close(p);
    close(fds[0]);
    close(fds[1]);
    return 1;
}

int main(void)
{
    if (stdfds_reserve("poll-trigger") < 0)
        return EXIT_FAILURE;
    int ok = trigger_run("level-triggered, reading 2 bytes per event:", POLL_READABLE, 0)
             && trigger_run("edge-triggered, reading 2 bytes per event:",
                            POLL_READABLE | POLL_EDGE, 0)
             && trigger_run("edge-triggered, reading until EAGAIN:",
                            POLL_READABLE | POLL_EDGE, 1);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
