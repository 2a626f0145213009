/* trace_join.c: one task that joins two ReadNChars(8), one on each named pipe given. The
   trace test (tests/trace.sh) records it: a step that writes to both pipes makes one
   epoll_wait report both, so the reactor wakes the same task twice and it is queued once. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>
#include "future/combinators.h"
#include "future/future.h"
#include "poll/fifo.h"

enum { JOIN_CHARS = 8 };

struct both {
    struct future base;
    int started, fds[2];
    struct reactor *reactor;
    struct read_n_chars reads[2];   /* these and the join point into the task: set up in poll */
    struct future_join_slot slots[2];
    struct future_join join;
    char text[2][JOIN_CHARS];
};

static struct future_result both_poll(struct future *self, struct future_context *cx) {
    struct both *b = (struct both *)self;
    if (!b->started) {
        for (int i = 0; i < 2; i++) {
            read_n_chars_init(&b->reads[i], b->reactor, b->fds[i], b->text[i], JOIN_CHARS);
            b->slots[i].future = &b->reads[i].base;
        }
        future_join_init(&b->join, b->slots, 2);
        b->started = 1;
    }
    struct future_result r = future_poll(&b->join.base, cx);
    if (r.status == FUTURE_READY)
        printf("joined: %.*s%.*s", JOIN_CHARS, b->text[0], JOIN_CHARS, b->text[1]);
    return r;
}

static void both_drop(struct future *self) {
    struct both *b = (struct both *)self;
    if (b->started)
        future_drop(&b->join.base);
}

int main(int argc, char **argv) {
    static const struct future_vtable vtable = {both_poll, both_drop};
    if (argc != 3) {
        fprintf(stderr, "usage: %s PIPE1 PIPE2\n", argv[0]);
        return 2;
    }
    struct both b = {.base = {&vtable}, .fds = {-1, -1}};
    struct executor *ex = executor_new();
    int err = !ex || reactor_new(&b.reactor) != 0;
    for (int i = 0; i < 2 && !err; i++)
        err = (b.fds[i] = fifo_open_read(argv[i + 1], "trace_join", stderr)) < 0;
    err = err || executor_spawn(ex, &b.base, sizeof b) != 0 || executor_run(ex, b.reactor) != 0;
    executor_free(ex);
    reactor_free(b.reactor);
    for (int i = 0; i < 2; i++)
        if (b.fds[i] >= 0)
            close(b.fds[i]);
    return err;
}
