/* main.c: the main demo on io_uring: two ReadNChars(100) futures on two named pipes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "poll/fifo.h"
#include "poll/stdfds.h"
#include "uring/choose.h"

enum { DEMO_CHARS = 100 };

/* async { let text = ReadNChars(fd, 100).await; print(name, text) }, reading on io_uring */
struct uring_printer {
    struct future base;
    const char *name;
    struct uring_read read;
};

static struct future_result uring_printer_poll(struct future *self, struct future_context *cx) {
    struct uring_printer *p = (struct uring_printer *)self;
    struct future_result r = future_poll(&p->read.base, cx);
    if (r.status == FUTURE_PENDING)
        return r;
    struct read_n_chars_output *out = r.output;
    if (out->err) {
        printf("%s failed: %s\n", p->name, strerror(-out->err));
    } else {
        printf("%s %s with: ", p->name, out->len < DEMO_CHARS ? "ended early" : "finished");
        fwrite(out->text, 1, out->len, stdout);     /* every byte read, a NUL too */
        putchar('\n');
    }
    stdfds_flush("uring");      /* on failure: one message now, status 1 at exit */
    return future_ready(NULL);
}

static void uring_printer_drop(struct future *self) {
    future_drop(&((struct uring_printer *)self)->read.base);
}
/* Opens both pipes for a reader that never calls read(2) itself: blocking is the kernel's. */
static int uring_open_pipes(const char *const paths[2], int fds[2]) {
    for (int i = 0; i < 2; i++) {
        fds[i] = fifo_open_read(paths[i], "uring", stderr);
        if (fds[i] < 0) {
            if (i == 1)
                close(fds[0]);
            return -1;
        }
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) & ~O_NONBLOCK);
    }
    return 0;
}
int main(int argc, char **argv) {
    static const struct future_vtable vtable = {uring_printer_poll, uring_printer_drop};
    if (stdfds_reserve("uring") < 0)
        return 1;
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: %s [PIPE1 PIPE2]   (default: pipe1 pipe2; "
                "create them with: mkfifo pipe1 pipe2)\n", argv[0]);
        return 2;
    }
    const char *paths[2] = {argc == 3 ? argv[1] : "pipe1", argc == 3 ? argv[2] : "pipe2"};
    const char *names[2] = {"Future1", "Future2"};
    int fds[2], err;
    struct reactor *r = NULL;
    struct executor *ex = NULL;
    if (uring_open_pipes(paths, fds) < 0)
        return 1;
    if ((err = reactor_new(&r)) < 0) {
        uring_explain(stderr, "uring", err);
        close(fds[0]);
        close(fds[1]);
        return 1;
    }
    if (!(ex = executor_new()))
        err = -ENOMEM;
    for (int i = 0; i < 2 && err == 0; i++) {
        struct uring_printer p = {.base = {&vtable}, .name = names[i]};
        uring_read_init(&p.read, r, fds[i], DEMO_CHARS);
        err = executor_spawn(ex, &p.base, sizeof p);
    }
    if (err == 0)
        err = executor_run(ex, r);
    executor_free(ex);
    reactor_free(r);
    close(fds[0]);
    close(fds[1]);
    if (err)
        fprintf(stderr, "uring: %s%s\n", strerror(-err),
                err == -EMFILE ? "; raise the limit (ulimit -n)" : "");
    return stdfds_flush("uring") < 0 || err ? 1 : 0;
}
