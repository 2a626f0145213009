/* tally_waker.c: a single-threaded counting waker, with and without the classic mistake. */
#include "waker/tally_waker.h"

static struct tally *tally_enter(const void *data)
{
    struct tally *t = (struct tally *)data;
    if (t->refs <= 0)
        t->after_release++;
    return t;
}

static void tally_release_one(struct tally *t)
{
    if (--t->refs == 0)
        t->releases++;
}

static void tally_wake_by_ref(const void *data) { tally_enter(data)->wakes++; }
static void tally_drop(const void *data) { tally_release_one(tally_enter(data)); }

static void tally_wake(const void *data)
{
    struct tally *t = tally_enter(data);
    t->wakes++;
    tally_release_one(t);
}
static const struct raw_waker_vtable tally_vtable, tally_vtable_mistaken;

static struct raw_waker tally_clone(const void *data)
{
    tally_enter(data)->refs++;
    return (struct raw_waker){ .data = data, .vtable = &tally_vtable };
}

static struct raw_waker tally_clone_mistaken(const void *data)
{
    tally_enter(data)->refs++;
    return (struct raw_waker){ .data = data, .vtable = &tally_vtable_mistaken };
}
static const struct raw_waker_vtable tally_vtable = {
    .clone = tally_clone, .wake = tally_wake,
    .wake_by_ref = tally_wake_by_ref, .drop = tally_drop,
};

static const struct raw_waker_vtable tally_vtable_mistaken = {
    .clone = tally_clone_mistaken, .wake = tally_wake,
    .wake_by_ref = tally_wake,  /* the classic mistake: this consumes a reference */
    .drop = tally_drop,
};

struct raw_waker tally_waker_new(struct tally *t)
{
    *t = (struct tally){ .refs = 1 };
    return (struct raw_waker){ .data = t, .vtable = &tally_vtable };
}

struct raw_waker tally_waker_new_mistaken(struct tally *t)
{
    *t = (struct tally){ .refs = 1 };
    return (struct raw_waker){ .data = t, .vtable = &tally_vtable_mistaken };
}
