/* timeout.c: a race between a future and a sleep, written like the future chapter's join. */
#include <errno.h>
#include "answers/timeout.h"

static struct future_result timeout_poll(struct future *self, struct future_context *cx) {
    struct timeout_future *f = (struct timeout_future *)self;
    if (f->state != TIMEOUT_RACING) return future_ready(&f->out);
    struct future_result r = future_poll(f->inner, cx);
    if (r.status == FUTURE_READY) {
        f->out = (struct timeout_output){r.output, 0};
        f->state = TIMEOUT_INNER_WON;
        future_drop(&f->sleep.base);            /* closes its timerfd, if it made one */
        return future_ready(&f->out);
    }
    r = future_poll(&f->sleep.base, cx);
    if (r.status == FUTURE_PENDING) return r;
    int err = *(int *)r.output;
    f->out = (struct timeout_output){NULL, err ? err : -ETIMEDOUT};
    f->state = TIMEOUT_SLEEP_WON;
    future_drop(f->inner);                      /* a ReadNChars deregisters: no waker left */
    return future_ready(&f->out);
}
static void timeout_drop(struct future *self) {
    struct timeout_future *f = (struct timeout_future *)self;
    if (f->state != TIMEOUT_SLEEP_WON) future_drop(f->inner);
    if (f->state != TIMEOUT_INNER_WON) future_drop(&f->sleep.base);
}
void timeout_future_init(struct timeout_future *f, struct future *inner, struct reactor *r,
                         long ms) {
    static const struct future_vtable vtable = {timeout_poll, timeout_drop};
    *f = (struct timeout_future){.base = {&vtable}, .inner = inner, .state = TIMEOUT_RACING};
    sleep_future_init(&f->sleep, r, ms);
}
