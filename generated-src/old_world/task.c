#include <errno.h>
#include "old_world/task.h"

static enum ow_poll ow_task_poll(struct ow_future *self, const struct raw_waker *waker)
{
    struct ow_task *t = (struct ow_task *)self;   /* future is the first member */
    return ow_reactor_poll_timer(t->reactor, t->id, t->ms, waker, &t->err);
}

int ow_task_init(struct ow_task *t, struct ow_reactor *r, unsigned long id, long ms)
{
    if (ms < 0)
        return -EINVAL;
    int rc = ow_reactor_claim(r, id);
    if (rc != 0)
        return rc;
    *t = (struct ow_task){ .future = { ow_task_poll }, .reactor = r, .id = id, .ms = ms };
    return 0;
}

void ow_task_drop(struct ow_task *t)
{
    ow_reactor_unclaim(t->reactor, t->id);
}
