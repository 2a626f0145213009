#define _GNU_SOURCE
#include "poll/fifo.h"
#include "poll/poll.h"
#include "poll/stdfds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static void fifo_demo_ignore(int sig)
{
    (void)sig;
}

static void fifo_demo_echo(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        perror("poll-fifo: write");
    if (fd >= 0)
        close(fd);
    printf("  a writer opened the pipe, wrote %zu bytes and closed it\n", strlen(text));
}

static void fifo_demo_watch(int fd, int waits)
{
    struct poll *p;
    if (poll_new(&p) < 0)
        return;
    if (poll_add(p, fd, 0, POLL_READABLE) < 0) {
        poll_close(p);
        return;
    }
    for (int i = 1; i <= waits; i++) {
        struct poll_event ev;
        if (poll_wait(p, &ev, 1, 0) != 1) {
            printf("  wait: nothing ready\n");
            continue;
        }
        const char *what = !(ev.ready & POLL_HANGUP) ? "readable"
                           : ev.ready & POLL_READABLE ? "readable and hang-up" : "hang-up";
        printf("  wait: %s;", what);
        char buf[64];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            printf(" read %zd bytes,", n);
        if (n == 0)
            printf(" then end of file\n");
        else
            printf(" then %s\n", errno == EAGAIN ? "EAGAIN" : strerror(errno));
    }
    poll_remove(p, fd);
    poll_close(p);
}

int main(void)
{
    if (stdfds_reserve("poll-fifo") < 0)
        return EXIT_FAILURE;
    char dir[] = "/tmp/poll-fifo.XXXXXX", path[PATH_MAX];
    if (mkdtemp(dir) == NULL) {
        perror("poll-fifo: mkdtemp");
        return EXIT_FAILURE;
    }
    snprintf(path, sizeof path, "%s/pipe", dir);
    int ok = mkfifo(path, 0600) == 0;
    if (ok) {
        struct sigaction on_alarm;
        memset(&on_alarm, 0, sizeof on_alarm);
        on_alarm.sa_handler = fifo_demo_ignore;
        sigemptyset(&on_alarm.sa_mask);
        sigaction(SIGALRM, &on_alarm, NULL);
        struct itimerval every_200ms = { .it_interval = { .tv_sec = 0, .tv_usec = 200000 },
                                         .it_value = { .tv_sec = 0, .tv_usec = 200000 } };
        const struct itimerval off = { .it_value = { 0, 0 } };
        setitimer(ITIMER_REAL, &every_200ms, NULL);
        printf("O_RDONLY, no writer:\n");
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        setitimer(ITIMER_REAL, &off, NULL);
        if (fd < 0 && errno == EINTR)
            printf("  open was still blocked after 200 ms; the timer interrupted it (EINTR)\n");
        else if (fd < 0)
            perror("poll-fifo: open");
        else
            close(fd);
        printf("O_RDONLY|O_NONBLOCK:\n");
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            printf("  open returned at once\n");
            fifo_demo_echo(path, "hi\n");
            fifo_demo_watch(fd, 3);
            close(fd);
        }
        printf("O_RDWR|O_NONBLOCK (fifo_open_read):\n");
        fd = fifo_open_read(path, "poll-fifo", stderr);
        if (fd >= 0) {
            printf("  open returned at once\n");
            fifo_demo_echo(path, "hi\n");
            fifo_demo_watch(fd, 2);
            fifo_demo_echo(path, "again\n");
            fifo_demo_watch(fd, 2);
            close(fd);
        }
    } else {
        perror("poll-fifo: mkfifo");
    }
    unlink(path);
    rmdir(dir);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
