/* join_woken.c: per-child wakers, and a poll that skips the children nobody woke. */
#include "answers/join_woken.h"

/* The child's record outlives every clone (the join drops its children first), so a clone
   is the same pointer and dropping one does nothing. */
static struct raw_waker join_child_clone(const void *data);

static void join_child_wake_by_ref(const void *data)
{
    struct join_woken_child *c = (struct join_woken_child *)data;
    c->woken = true;
    if (c->join->parent.vtable)
        waker_wake_by_ref(&c->join->parent);
}

static void join_child_drop(const void *data) { (void)data; }

static const struct raw_waker_vtable join_child_vtable = {
    join_child_clone, join_child_wake_by_ref, join_child_wake_by_ref, join_child_drop,
};

static struct raw_waker join_child_clone(const void *data)
{
    return (struct raw_waker){ data, &join_child_vtable };
}

static struct future_result join_woken_poll(struct future *self, struct future_context *cx)
{
    struct join_woken *f = (struct join_woken *)self;
    if (!f->parent.vtable || !waker_will_wake(&f->parent, cx->waker)) {
        if (f->parent.vtable)
            waker_drop(f->parent);
        f->parent = waker_clone(cx->waker);
    }
    for (size_t i = 0; i < f->count; i++) {
        struct join_woken_child *c = &f->children[i];
        if (f->slots[i].done || !c->woken)
            continue;
        c->join = f;            /* the join may have been copied before its first poll */
        c->woken = false;       /* before the poll: a wake during it counts */
        struct raw_waker child = join_child_clone(c);
        struct future_context child_cx = { &child };
        struct future_result r = future_poll(f->slots[i].future, &child_cx);
        if (r.status == FUTURE_READY) {
            f->slots[i].output = r.output;
            f->slots[i].done = true;
            f->left--;
        }
    }
    return f->left == 0 ? future_ready(f->slots) : future_pending();
}

static void join_woken_drop(struct future *self)
{
    struct join_woken *f = (struct join_woken *)self;
    for (size_t i = 0; i < f->count; i++)
        future_drop(f->slots[i].future);
    if (f->parent.vtable)
        waker_drop(f->parent);
}

void join_woken_init(struct join_woken *f, struct future_join_slot *slots,
                     struct join_woken_child *children, size_t count)
{
    static const struct future_vtable vtable = { join_woken_poll, join_woken_drop };
    for (size_t i = 0; i < count; i++) {
        slots[i] = (struct future_join_slot){ slots[i].future, NULL, false };
        children[i] = (struct join_woken_child){ NULL, true };  /* the first poll polls all */
    }
    *f = (struct join_woken){ { &vtable }, slots, children, count, count, { NULL, NULL } };
}
