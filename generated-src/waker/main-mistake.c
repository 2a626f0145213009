/* main-mistake.c: the classic mistake in a real rc_waker. It reads freed memory on purpose:
   run the AddressSanitizer build, build/asan/waker-mistake. Takes no arguments. */
#include "waker/rc_waker.h"

#include <stdbool.h>
#include <stdio.h>

struct mistake_task { int handles; bool released; };

static void mistake_task_wake(void *arg)
{
    (void)arg;
    puts("    on_wake: the task is woken");
}

static void mistake_task_release(void *arg)
{
    struct mistake_task *t = arg;
    t->released = true;
    printf("    on_release: the task is freed, with %d handles left\n", t->handles);
}
int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: %s\n(it takes no arguments)\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct mistake_task task = { .handles = 1, .released = false };
    puts("A real rc_waker, its wake in the wake_by_ref slot:");
    struct raw_waker executor = rc_waker_new(mistake_task_wake, &task, mistake_task_release);
    printf("  executor creates the waker, count %ld\n", rc_waker_refcount(&executor));
    struct raw_waker_vtable mistaken = *executor.vtable;
    mistaken.wake_by_ref = mistaken.wake;             /* the classic mistake, by hand */
    struct raw_waker reactor = waker_clone(&executor);
    reactor.vtable = &mistaken;
    task.handles = 2;
    printf("  reactor keeps a clone, count %ld\n", rc_waker_refcount(&executor));
    for (int event = 1; event <= 3; event++) {
        printf("  event %d: waker_wake_by_ref(&reactor)\n", event);
        waker_wake_by_ref(&reactor);
        if (!task.released)
            printf("    count %ld, with %d handles\n", rc_waker_refcount(&executor),
                   task.handles);
    }
    waker_drop(reactor);
    waker_drop(executor);
    return 0;
}
