/* sleep.c: a sleep as a leaf future, built on timerfd(2) and the future chapter's reactor. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "conclusion/sleep.h"

static int sleep_start(struct sleep_future *f)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct itimerspec when = {.it_value = {.tv_sec = f->ms / 1000,
                                           .tv_nsec = f->ms % 1000 * 1000000}};
    if (timerfd_settime(fd, 0, &when, NULL) < 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    f->io.fd = fd;
    return 0;
}
static void sleep_drop(struct future *self)
{
    struct sleep_future *f = (struct sleep_future *)self;
    if (f->io.fd >= 0) {
        reactor_deregister(f->reactor, &f->io);
        close(f->io.fd);
        f->io.fd = -1;
    }
}
static struct future_result sleep_poll(struct future *self, struct future_context *cx)
{
    struct sleep_future *f = (struct sleep_future *)self;
    if (f->ms <= 0)
        return future_ready(&f->err);       /* due already; a zero timer would never fire */
    if (f->io.fd < 0 && (f->err = sleep_start(f)) != 0)
        return future_ready(&f->err);       /* no timer, so nothing would ever wake us */
    uint64_t expirations;
    if (read(f->io.fd, &expirations, sizeof expirations) < 0) {
        if (errno == EAGAIN && (f->err = reactor_register(f->reactor, &f->io, cx->waker)) == 0)
            return future_pending();
        if (f->err == 0)
            f->err = -errno;
    }
    sleep_drop(self);                       /* finished: give the descriptor back now */
    return future_ready(&f->err);
}
void sleep_future_init(struct sleep_future *f, struct reactor *r, long ms)
{
    static const struct future_vtable vtable = {sleep_poll, sleep_drop};
    *f = (struct sleep_future){.base = {&vtable}, .reactor = r, .io = {.fd = -1}, .ms = ms};
}
