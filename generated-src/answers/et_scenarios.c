/* et_scenarios.c: the three scenarios that plain EPOLLET fails, on whichever reactor links. */
#define _GNU_SOURCE                     /* pipe2 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "answers/et_scenarios.h"

struct et_count { int wakes, refs; };

static struct raw_waker et_count_clone(const void *data);
static void et_count_wake(const void *data) {
    struct et_count *c = (struct et_count *)data;
    c->wakes++, c->refs--;
}
static void et_count_wake_by_ref(const void *data) { ((struct et_count *)data)->wakes++; }
static void et_count_drop(const void *data) { ((struct et_count *)data)->refs--; }
static const struct raw_waker_vtable et_count_vtable = {
    et_count_clone, et_count_wake, et_count_wake_by_ref, et_count_drop,
};
static struct raw_waker et_count_clone(const void *data) {
    ((struct et_count *)data)->refs++;
    return (struct raw_waker){data, &et_count_vtable};
}
typedef void et_drained_fn(struct reactor *r, struct reactor_io *io);

static int et_short_read_at_end(struct reactor *r, int p[2], et_drained_fn *drained) {
    struct et_count t = {0, 0};
    struct raw_waker w = {&t, &et_count_vtable};
    struct future_context cx = {&w};
    struct reactor_io io = {p[0], {NULL, NULL}};
    struct read_n_chars f;
    char buf[10];
    int woke[2] = {0, 0};
    read_n_chars_init(&f, r, -1, buf, sizeof buf);
    read_n_chars_borrow(&f, &io);
    struct future_result res = future_poll(&f.base, &cx);          /* EAGAIN */
    if (drained) drained(r, &io);
    if (write(p[1], "abc", 3) != 3 || close(p[1]) < 0) return 1;
    for (int i = 0; i < 2 && res.status == FUTURE_PENDING; i++) {
        woke[i] = reactor_wait(r, 1000);
        res = future_poll(&f.base, &cx);                           /* 3 of 10, then 0 */
        if (res.status == FUTURE_PENDING && drained) drained(r, &io);
    }
    const struct read_n_chars_output *out = res.output;
    printf("short read at end of file: waits woke %d and %d; %s with %zu chars; %d clones\n",
           woke[0], woke[1], out ? "ready" : "pending", out ? out->len : 0, t.refs);
    future_drop(&f.base);
    return reactor_deregister(r, &io) < 0;
}
static int et_unread_byte(struct reactor *r, int p[2], int q[2]) {
    struct et_count t = {0, 0}, idle = {0, 0};
    struct raw_waker w = {&t, &et_count_vtable}, wi = {&idle, &et_count_vtable};
    struct reactor_io io = {p[0], {NULL, NULL}}, quiet = {q[0], {NULL, NULL}};
    int woke[3] = {-1, -1, -1};
    if (reactor_register(r, &quiet, &wi) == 0 && write(p[1], "x", 1) == 1
        && reactor_register(r, &io, &w) == 0) {
        woke[0] = reactor_wait(r, 1000);
        woke[1] = reactor_wait(r, 0);
        int again = 0;
        for (int i = 0; i < 2 && again == 0; i++)      /* the same waker twice: one clone */
            again = reactor_register(r, &io, &w);
        if (again == 0) woke[2] = reactor_wait(r, 1000);
    }
    int err = reactor_deregister(r, &io) < 0 || reactor_deregister(r, &quiet) < 0;
    printf("unread byte, registered again: waits woke %d, %d, %d; woken %d times; %d clones\n",
           woke[0], woke[1], woke[2], t.wakes, t.refs + idle.refs);
    return err;
}

static int et_registered_while_data_waits(struct reactor *r, int p[2]) {
    struct et_count t = {0, 0}, u = {0, 0};
    struct raw_waker w = {&t, &et_count_vtable}, wu = {&u, &et_count_vtable};
    struct reactor_io io = {p[0], {NULL, NULL}};
    int woke[3] = {-1, -1, -1};
    if (reactor_register(r, &io, &w) == 0 && write(p[1], "x", 1) == 1) {
        woke[0] = reactor_wait(r, 1000);
        if (reactor_register(r, &io, &wu) == 0) woke[1] = reactor_wait(r, 1000);
        if (reactor_register(r, &io, &w) == 0 && reactor_register(r, &io, &wu) == 0)
            woke[2] = reactor_wait(r, 1000);
    }
    int err = reactor_deregister(r, &io) < 0;
    printf("registered while data waits: waits woke %d, %d, %d; first waker %d, second %d; "
           "%d clones\n", woke[0], woke[1], woke[2], t.wakes, u.wakes, t.refs + u.refs);
    return err;
}
int et_scenarios_run(void (*drained)(struct reactor *r, struct reactor_io *io)) {
    struct reactor *r = NULL;
    int p[2], q[2], err = reactor_new(&r) < 0;
    for (int i = 0; i < 3 && !err; i++) {
        if (pipe2(p, O_NONBLOCK) < 0) { err = 1; break; }
        if (i == 0) err = et_short_read_at_end(r, p, drained), p[1] = -1;  /* it closes p[1] */
        else if (i == 2) err = et_registered_while_data_waits(r, p);
        else if (pipe2(q, O_NONBLOCK) < 0) err = 1;
        else err = et_unread_byte(r, p, q), close(q[0]), close(q[1]);
        close(p[0]);
        if (p[1] >= 0) close(p[1]);
    }
    reactor_free(r);
    if (err) perror("et_scenarios");
    return err;
}
