/* all_woken.c: one waker per child, and a poll that visits only the woken ones. */
#include "answers/all_woken.h"

#include <errno.h>
#include <stdlib.h>

#include "answers/noop_waker.h"
#include "waker/rc_waker.h"

static void ow_all_woken_child_woke(void *arg)
{
    struct ow_all_child *record = arg;
    struct ow_all_woken *a = record->parent;
    atomic_store(&record->woken, true);
    pthread_mutex_lock(&a->lock);
    struct raw_waker parent = waker_clone(&a->parent);
    pthread_mutex_unlock(&a->lock);
    waker_wake(parent);
}

static void ow_all_woken_keep_newest(struct ow_all_woken *a, const struct raw_waker *waker)
{
    pthread_mutex_lock(&a->lock);
    if (waker_will_wake(&a->parent, waker)) {
        pthread_mutex_unlock(&a->lock);
        return;
    }
    struct raw_waker old = a->parent;
    pthread_mutex_unlock(&a->lock);
    struct raw_waker fresh = waker_clone(waker);          /* foreign code: not under the lock */
    pthread_mutex_lock(&a->lock);
    a->parent = fresh;
    pthread_mutex_unlock(&a->lock);
    waker_drop(old);
}

static enum ow_poll ow_all_woken_poll(struct ow_future *self, const struct raw_waker *waker)
{
    struct ow_all_woken *a = (struct ow_all_woken *)self;
    ow_all_woken_keep_newest(a, waker);
    for (size_t i = 0; i < a->n; i++) {
        struct ow_future *child = a->children[i];
        bool woken = atomic_exchange(&a->records[i].woken, false);
        if (child == NULL || (a->started && !woken))
            continue;
        a->child_polls++;
        if (child->poll(child, &a->wakers[i]) == OW_READY) {
            a->children[i] = NULL;
            a->finished++;
        }
    }
    a->started = true;
    return a->finished == a->n ? OW_READY : OW_PENDING;
}
int ow_all_woken_init(struct ow_all_woken *a, struct ow_future **children, size_t n)
{
    *a = (struct ow_all_woken){ .future = { ow_all_woken_poll }, .children = children, .n = n,
                                .parent = noop_waker() };
    a->records = calloc(n, sizeof *a->records);
    a->wakers = calloc(n, sizeof *a->wakers);
    int err = a->records == NULL || a->wakers == NULL ? ENOMEM : pthread_mutex_init(&a->lock, NULL);
    if (err != 0) {
        free(a->records);
        free(a->wakers);
        return -err;
    }
    for (size_t i = 0; i < n; i++) {
        a->records[i].parent = a;
        atomic_init(&a->records[i].woken, false);
        a->wakers[i] = rc_waker_new(ow_all_woken_child_woke, &a->records[i], NULL);
    }
    return 0;
}

void ow_all_woken_drop(struct ow_all_woken *a)
{
    for (size_t i = 0; i < a->n; i++)
        waker_drop(a->wakers[i]);
    waker_drop(a->parent);
    pthread_mutex_destroy(&a->lock);
    free(a->records);
    free(a->wakers);
}
