/* main-early-borrow.c: the pinning rule broken on purpose. The borrow (read.out.text points
   at text) is made before spawn copies the future, so the copy points into the original. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "future/future.h"

struct early {
    struct future base;
    struct read_n_chars read;
    char text[11];
};

static struct future_result early_poll(struct future *self, struct future_context *cx) {
    struct early *e = (struct early *)self;
    struct future_result r = future_poll(&e->read.base, cx);
    if (r.status == FUTURE_READY) printf("the task's own text:          \"%s\"\n", e->text);
    return r;
}

static void early_drop(struct future *self) { future_drop(&((struct early *)self)->read.base); }

int main(void) {
    static const struct future_vtable vtable = {early_poll, early_drop};
    struct reactor *r = NULL;
    struct executor *ex = executor_new();
    int p[2];
    if (!ex || reactor_new(&r) != 0 || pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) {
        perror("future-early-borrow");
        return 1;
    }
    struct early e = {.base = {&vtable}};
    read_n_chars_init(&e.read, r, p[0], e.text, 10);    /* the borrow, made too early */
    if (executor_spawn(ex, &e.base, sizeof e) != 0 || write(p[1], "0123456789", 10) != 10) {
        perror("future-early-borrow");
        return 1;
    }
    int err = executor_run(ex, r);
    printf("the original on main's stack: \"%s\"\n", e.text);
    executor_free(ex);
    reactor_free(r);
    close(p[0]);
    close(p[1]);
    return err ? 1 : 0;
}
