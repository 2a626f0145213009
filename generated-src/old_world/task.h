/* task.h: a future that becomes ready a fixed time after its first poll. */
#ifndef OLD_WORLD_TASK_H
#define OLD_WORLD_TASK_H

#include "old_world/future.h"
#include "old_world/reactor.h"

struct ow_task {
    struct ow_future future;     /* first member: a task is a future */
    struct ow_reactor *reactor;
    unsigned long id;            /* chosen by the caller; unique among live tasks */
    long ms;                     /* the timeout, counted from the first poll */
    int err;                     /* after OW_READY: 0, or -errno if no timer could start */
};

/* Claims id in r's map. Returns 0, -EINVAL if ms is negative, -EEXIST if a live task holds
   id, or -ENOMEM. */
int ow_task_init(struct ow_task *t, struct ow_reactor *r, unsigned long id, long ms);

/* Gives the id back and drops the waker the reactor may still hold for t. Call it before
   ow_reactor_free. */
void ow_task_drop(struct ow_task *t);

#endif
