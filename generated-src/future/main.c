/* main.c: two ReadNChars(100) futures on two named pipes, on one thread. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "future/future.h"
#include "poll/fifo.h"
#include "poll/stdfds.h"

enum { DEMO_CHARS = 100 };

/* The C spelling of: async { let text = ReadNChars(fd, 100).await; print(name, text) } */
struct printer {
    struct future base;
    enum { PRINTER_START, PRINTER_READING } state;
    const char *name;
    int fd;
    struct reactor *reactor;
    struct read_n_chars read;       /* points into text: set up only once pinned */
    char text[DEMO_CHARS];
};

static struct future_result printer_poll(struct future *self, struct future_context *cx) {
    struct printer *p = (struct printer *)self;
    if (p->state == PRINTER_START) {
        read_n_chars_init(&p->read, p->reactor, p->fd, p->text, sizeof p->text);
        p->state = PRINTER_READING;
    }
    struct future_result r = future_poll(&p->read.base, cx);
    if (r.status == FUTURE_PENDING)
        return r;
    struct read_n_chars_output *out = r.output;
    if (out->err) {
        printf("%s failed: %s\n", p->name, strerror(-out->err));
    } else {
        printf("%s %s with: ", p->name, out->len < sizeof p->text ? "ended early" : "finished");
        fwrite(out->text, 1, out->len, stdout);     /* every byte read, a NUL too */
        putchar('\n');
    }
    stdfds_flush("future");      /* on failure: one message now, status 1 at exit */
    return future_ready(NULL);
}

static void printer_drop(struct future *self) {
    struct printer *p = (struct printer *)self;
    if (p->state == PRINTER_READING)
        future_drop(&p->read.base);
}

static const struct future_vtable printer_vtable = {printer_poll, printer_drop};

int main(int argc, char **argv) {
    if (stdfds_reserve("future") < 0)
        return 1;
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: %s [PIPE1 PIPE2]   (default: pipe1 pipe2; "
                "create them with: mkfifo pipe1 pipe2)\n", argv[0]);
        return 2;
    }
    const char *paths[2] = {argc == 3 ? argv[1] : "pipe1", argc == 3 ? argv[2] : "pipe2"};
    const char *names[2] = {"Future1", "Future2"};
    int fds[2] = {-1, -1}, err = 0;
    for (int i = 0; i < 2; i++) {
        fds[i] = fifo_open_read(paths[i], "future", stderr);
        if (fds[i] < 0) {
            if (i == 1)
                close(fds[0]);
            return 1;
        }
    }
    struct reactor *r = NULL;
    struct executor *ex = NULL;
    if ((err = reactor_new(&r)) == 0 && !(ex = executor_new()))
        err = -ENOMEM;
    if (err == 0) {
        for (int i = 0; i < 2 && err == 0; i++) {
            struct printer p = {.base = {&printer_vtable}, .state = PRINTER_START,
                                .name = names[i], .fd = fds[i], .reactor = r};
            err = executor_spawn(ex, &p.base, sizeof p);
        }
        if (err == 0)
            err = executor_run(ex, r);
    }
    executor_free(ex);
    reactor_free(r);
    close(fds[0]);
    close(fds[1]);
    if (err)
        fprintf(stderr, "future: %s%s\n", strerror(-err),
                err == -EMFILE ? "; raise the limit (ulimit -n)" : "");
    return stdfds_flush("future") < 0 || err ? 1 : 0;
}
