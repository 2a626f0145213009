/* task_waker.c: wakers that carry a task number and push it onto a queue. */
#include "answers/task_waker.h"

#include <assert.h>
#include <stdint.h>

static struct {
    unsigned char ring[TASK_WAKER_MAX];
    unsigned head, len;
    bool queued[TASK_WAKER_MAX];
} task_waker_queue;

static struct raw_waker task_waker_clone(const void *data);

static void task_waker_push(const void *data)
{
    unsigned task = (unsigned)(uintptr_t)data;
    if (task_waker_queue.queued[task])
        return;
    task_waker_queue.queued[task] = true;
    unsigned tail = (task_waker_queue.head + task_waker_queue.len++) % TASK_WAKER_MAX;
    task_waker_queue.ring[tail] = (unsigned char)task;
}

static void task_waker_drop(const void *data)
{
    (void)data;                     /* a number owns nothing */
}

static const struct raw_waker_vtable task_waker_vtable = {
    .clone = task_waker_clone,
    .wake = task_waker_push,        /* giving up a handle that owns nothing: free */
    .wake_by_ref = task_waker_push,
    .drop = task_waker_drop,
};

static struct raw_waker task_waker_clone(const void *data)
{
    return (struct raw_waker){ .data = data, .vtable = &task_waker_vtable };
}

struct raw_waker task_waker(unsigned task)
{
    assert(task < TASK_WAKER_MAX);
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): the exercise keeps the number in the pointer */
    return task_waker_clone((const void *)(uintptr_t)task);
}

bool task_waker_next(unsigned *task)
{
    if (task_waker_queue.len == 0)
        return false;
    *task = task_waker_queue.ring[task_waker_queue.head];
    task_waker_queue.head = (task_waker_queue.head + 1) % TASK_WAKER_MAX;
    task_waker_queue.len--;
    task_waker_queue.queued[*task] = false;
    return true;
}
