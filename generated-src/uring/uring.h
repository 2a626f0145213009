/* uring.h: a reactor on io_uring with future.h's interface, its operations, and ReadNChars on
   io_uring. A program makes it the reactor the executor calls by including uring/choose.h. */
#ifndef URING_URING_H
#define URING_URING_H

#include <stdbool.h>
#include <stdio.h>
#include "future/future.h"

/* The reactor of future.h on io_uring; uring/choose.h makes these the reactor_* functions. */
int uring_reactor_new(struct reactor **out);    /* 0 or -errno: -ENOSYS, -EPERM: no io_uring */
int uring_reactor_register(struct reactor *r, struct reactor_io *io,
                           const struct raw_waker *waker);
int uring_reactor_deregister(struct reactor *r, struct reactor_io *io);
int uring_reactor_wait(struct reactor *r, int timeout_ms);
void uring_reactor_free(struct reactor *r);
extern const int uring_reactor_chosen;          /* defined by uring/choose.h */
/* One read the kernel may be working on. The reactor owns it from submission to completion:
   its buffer stays alive until the kernel has said it is done with it. */
struct uring_op {
    struct raw_waker waker;     /* woken by the completion; vtable NULL: none */
    int res;                    /* the completion's result: bytes read, 0 at EOF, or -errno */
    bool in_flight, done;       /* submitted and not yet completed; completed, not yet seen */
    bool orphaned;              /* its future was dropped: freed when the completion arrives */
    char buf[];                 /* what the kernel reads into */
};

/* Allocates an operation with a buffer of size chars. NULL: out of memory. */
struct uring_op *uring_op_new(size_t size);
/* Queues a read of len chars from fd into op->buf + at; the completion wakes a clone of
   *waker. Submitted with the next reactor_wait, in one system call with the others. */
void uring_submit_read(struct reactor *r, struct uring_op *op, int fd, size_t at, size_t len,
                       const struct raw_waker *waker);
/* Replaces the waker of an operation in flight with a clone of *waker. */
void uring_op_set_waker(struct uring_op *op, const struct raw_waker *waker);
/* Gives the operation back: freed now if idle; if in flight, cancelled and freed when the
   kernel's completion arrives. */
void uring_op_release(struct reactor *r, struct uring_op *op);
/* Operations submitted and not yet completed, orphans included. */
size_t uring_in_flight(const struct reactor *r);
/* Says in one line on out why io_uring cannot be used (err from reactor_new) and what to
   run instead. */
void uring_explain(FILE *out, const char *program, int err);
/* ReadNChars on io_uring: reads exactly n chars from fd. Output as for read_n_chars; text
   points into the operation's buffer and stays valid until the future is dropped. */
struct uring_read {
    struct future base;
    struct reactor *reactor;
    int fd;
    size_t n;
    struct uring_op *op;        /* NULL until first polled */
    struct read_n_chars_output out;
};

void uring_read_init(struct uring_read *f, struct reactor *r, int fd, size_t n);

#endif
