/* main-join.c: 100 children, one of them woken: how many polls each join makes. */
#include <stdbool.h>
#include <stdio.h>

#include "answers/join_woken.h"

enum { JOIN_CHILDREN = 100, JOIN_WOKEN = 42 };

/* A child that is pending until its gate is opened, and wakes its waker then. */
struct join_gate {
    struct future base;
    bool open;
    int polls;
    struct raw_waker waker;     /* a clone of the last poll's waker; vtable NULL if none */
};

static struct future_result join_gate_poll(struct future *self, struct future_context *cx)
{
    struct join_gate *g = (struct join_gate *)self;
    g->polls++;
    if (g->open)
        return future_ready(NULL);
    if (g->waker.vtable)
        waker_drop(g->waker);
    g->waker = waker_clone(cx->waker);
    return future_pending();
}

static void join_gate_drop(struct future *self)
{
    struct join_gate *g = (struct join_gate *)self;
    if (g->waker.vtable)
        waker_drop(g->waker);
}

static void join_gate_open(struct join_gate *g)
{
    static const struct raw_waker none = { NULL, NULL };
    g->open = true;
    struct raw_waker w = g->waker;
    g->waker = none;
    waker_wake(w);
}

/* The task's waker: counts its wake-ups. */
static struct raw_waker join_task_clone(const void *data);
static void join_task_wake(const void *data) { ++*(int *)data; }
static void join_task_drop(const void *data) { (void)data; }
static const struct raw_waker_vtable join_task_vtable = {
    join_task_clone, join_task_wake, join_task_wake, join_task_drop,
};
static struct raw_waker join_task_clone(const void *data)
{
    return (struct raw_waker){ data, &join_task_vtable };
}

/* Polls join, opens one gate, polls join again, and reports the polls its children saw. */
static void join_run(const char *name, struct future *join, struct join_gate *gates)
{
    int wakes = 0;
    struct raw_waker task = { &wakes, &join_task_vtable };
    struct future_context cx = { &task };
    future_poll(join, &cx);
    join_gate_open(&gates[JOIN_WOKEN]);
    future_poll(join, &cx);
    future_drop(join);
    int polls = 0;
    for (int i = 0; i < JOIN_CHILDREN; i++)
        polls += gates[i].polls;
    printf("%s: %d child polls, %d wake-up of the task\n", name, polls, wakes);
}

static void join_gates_init(struct join_gate *gates, struct future_join_slot *slots)
{
    static const struct future_vtable vtable = { join_gate_poll, join_gate_drop };
    for (int i = 0; i < JOIN_CHILDREN; i++) {
        gates[i] = (struct join_gate){ { &vtable }, false, 0, { NULL, NULL } };
        slots[i].future = &gates[i].base;
    }
}

int main(void)
{
    static struct join_gate gates[JOIN_CHILDREN];
    static struct future_join_slot slots[JOIN_CHILDREN];
    static struct join_woken_child children[JOIN_CHILDREN];

    join_gates_init(gates, slots);
    struct join_woken woken;
    join_woken_init(&woken, slots, children, JOIN_CHILDREN);
    join_run("join_woken", &woken.base, gates);

    join_gates_init(gates, slots);
    struct future_join all;
    future_join_init(&all, slots, JOIN_CHILDREN);
    join_run("future_join", &all.base, gates);
    return 0;
}
