/* reactor.c: future.h's reactor on io_uring (liburing), and its completion-mode reads. */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "uring/uring.h"

enum { URING_ENTRIES = 256 };

struct reactor {
    struct io_uring ring;
    size_t armed;               /* wakers held: what can still wake a task */
    size_t in_flight;           /* requests submitted and not completed, polls and reads */
    struct reactor_io *cancelling;  /* the poll whose completion reactor_deregister awaits */
};

int uring_reactor_new(struct reactor **out) {
    if (!uring_reactor_chosen) return -EINVAL;  /* a reference: see uring/choose.h */
    *out = calloc(1, sizeof **out);
    if (!*out) return -ENOMEM;
    int err = io_uring_queue_init(URING_ENTRIES, &(*out)->ring, 0);
    if (err == 0 && !((*out)->ring.features & IORING_FEAT_EXT_ARG)) {
        io_uring_queue_exit(&(*out)->ring);     /* older than Linux 5.11: see above */
        err = -EOPNOTSUPP;
    }
    if (err < 0) {
        free(*out);
        *out = NULL;
    }
    return err;
}

/* A free submission entry; when all are taken, hands them to the kernel to make room. */
static struct io_uring_sqe *reactor_sqe(struct reactor *r) {
    struct io_uring_sqe *sqe;
    while (!(sqe = io_uring_get_sqe(&r->ring)))
        io_uring_submit(&r->ring);
    return sqe;
}
/* user_data says whose completion it is: 0 a cancellation's own, an odd number a poll
   (a struct reactor_io, address plus one), an even one a read (a struct uring_op). */
enum { URING_POLL_TAG = 1 };

static struct raw_waker reactor_take(struct reactor *r, struct raw_waker *slot) {
    struct raw_waker waker = *slot;
    if (waker.vtable) r->armed--;
    slot->vtable = NULL;
    return waker;
}

/* One completion: records it and wakes whoever waits for it. Returns 1 if it woke one. */
static int reactor_complete(struct reactor *r, uint64_t data, int res) {
    struct raw_waker waker;
    if (data == 0) return 0;
    r->in_flight--;
    if (data & URING_POLL_TAG) {
        /* NOLINTNEXTLINE(performance-no-int-to-ptr): user_data carries our pointer back */
        struct reactor_io *io = (struct reactor_io *)(uintptr_t)(data - URING_POLL_TAG);
        if (io == r->cancelling) r->cancelling = NULL;
        waker = reactor_take(r, &io->waker);
    } else {
        /* NOLINTNEXTLINE(performance-no-int-to-ptr): user_data carries our pointer back */
        struct uring_op *op = (struct uring_op *)(uintptr_t)data;
        op->in_flight = false;
        if (op->orphaned) {
            free(op);               /* the kernel is done with its buffer only now */
            return 0;
        }
        op->res = res;
        op->done = true;
        waker = reactor_take(r, &op->waker);
    }
    if (!waker.vtable) return 0;
    waker_wake(waker);
    return 1;
}
/* Reaps every completion in the completion queue; returns how many wakers it woke. */
static int reactor_reap(struct reactor *r) {
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    int woken = 0;
    io_uring_for_each_cqe(&r->ring, head, cqe) {
        woken += reactor_complete(r, cqe->user_data, cqe->res);
        seen++;
    }
    io_uring_cq_advance(&r->ring, seen);
    return woken;
}
/* Submits what is queued and waits for at least one completion (timeout_ms < 0: forever). */
static int reactor_enter(struct reactor *r, int timeout_ms) {
    struct __kernel_timespec ts = {timeout_ms / 1000, timeout_ms % 1000 * 1000000L};
    struct io_uring_cqe *cqe;
    int err;
    if (io_uring_sq_ready(&r->ring) == 0 && io_uring_cq_ready(&r->ring) > 0) return 0;
    do err = timeout_ms < 0 ? io_uring_submit_and_wait(&r->ring, 1)
                            : io_uring_submit_and_wait_timeout(&r->ring, &cqe, 1, &ts, NULL);
    while (err == -EINTR);
    return err == -ETIME || err >= 0 ? 0 : err;
}

int uring_reactor_wait(struct reactor *r, int timeout_ms) {
    if (r->armed == 0) return -EDEADLK;
    int err = reactor_enter(r, timeout_ms);
    return err < 0 ? err : reactor_reap(r);
}
int uring_reactor_register(struct reactor *r, struct reactor_io *io,
                           const struct raw_waker *waker) {
    if (io->waker.vtable) {                 /* a poll is in flight: keep it, newest waker */
        if (waker_will_wake(&io->waker, waker)) return 0;
        waker_drop(io->waker);
    } else {
        struct io_uring_sqe *sqe = reactor_sqe(r);
        io_uring_prep_poll_add(sqe, io->fd, POLLIN);
        io_uring_sqe_set_data64(sqe, (uintptr_t)io + URING_POLL_TAG);
        r->in_flight++;
        r->armed++;
    }
    io->waker = waker_clone(waker);
    return 0;
}
/* A poll in flight holds io's address: cancel it and wait for its completion, so that no
   completion can name io after this returns. The wait cannot be given up: a failure that
   reaping may cure (EAGAIN, EBUSY) is retried; any other means a broken ring. */
int uring_reactor_deregister(struct reactor *r, struct reactor_io *io) {
    if (!io->waker.vtable) return 0;        /* no poll in flight */
    struct raw_waker waker = reactor_take(r, &io->waker);
    struct io_uring_sqe *sqe = reactor_sqe(r);
    io_uring_prep_cancel64(sqe, (uintptr_t)io + URING_POLL_TAG, 0);
    io_uring_sqe_set_data64(sqe, 0);
    for (r->cancelling = io; r->cancelling; reactor_reap(r)) {
        int err = reactor_enter(r, -1);
        if (err < 0 && err != -EAGAIN && err != -EBUSY) {
            fprintf(stderr, "uring: cannot wait for a cancelled poll: %s\n", strerror(-err));
            abort();                        /* returning would let it write into freed memory */
        }
    }
    waker_drop(waker);                      /* foreign code last: it may free the future */
    return 0;
}
void uring_reactor_free(struct reactor *r) {
    if (!r) return;
    while (r->in_flight > 0 && reactor_enter(r, -1) == 0)   /* every orphan's completion */
        reactor_reap(r);
    io_uring_queue_exit(&r->ring);
    free(r);
}
struct uring_op *uring_op_new(size_t size) {
    struct uring_op *op = malloc(sizeof *op + size);
    if (op) *op = (struct uring_op){.waker = {NULL, NULL}};
    return op;
}

void uring_submit_read(struct reactor *r, struct uring_op *op, int fd, size_t at, size_t len,
                       const struct raw_waker *waker) {
    struct io_uring_sqe *sqe = reactor_sqe(r);
    io_uring_prep_read(sqe, fd, op->buf + at, (unsigned)len, (uint64_t)-1);   /* -1: no offset */
    io_uring_sqe_set_data64(sqe, (uintptr_t)op);
    op->in_flight = true;
    op->done = false;
    r->in_flight++;
    r->armed++;
    op->waker = waker_clone(waker);
}

void uring_op_set_waker(struct uring_op *op, const struct raw_waker *waker) {
    if (waker_will_wake(&op->waker, waker)) return;
    waker_drop(op->waker);
    op->waker = waker_clone(waker);
}
void uring_op_release(struct reactor *r, struct uring_op *op) {
    if (!op->in_flight) {
        free(op);
        return;
    }
    struct raw_waker waker = reactor_take(r, &op->waker);
    op->orphaned = true;
    struct io_uring_sqe *sqe = reactor_sqe(r);
    io_uring_prep_cancel64(sqe, (uintptr_t)op, 0);
    io_uring_sqe_set_data64(sqe, 0);
    if (waker.vtable) waker_drop(waker);
}

size_t uring_in_flight(const struct reactor *r) { return r->in_flight; }
void uring_explain(FILE *out, const char *program, int err) {
    if (err == -EMFILE || err == -ENFILE) {     /* io_uring works; descriptors ran out */
        fprintf(out, "%s: cannot create the io_uring instance: %s; %s\n", program,
                strerror(-err), err == -EMFILE ? "raise this process's limit (ulimit -n)"
                : "the whole system is out of them (see /proc/sys/fs/file-max)");
        return;
    }
    if (err == -EOPNOTSUPP)
        fprintf(out, "%s: io_uring is too old here (this reactor needs Linux 5.11); ", program);
    else
        fprintf(out, "%s: io_uring is not available here (io_uring_setup: %s%s); ", program,
                strerror(-err), err == -EPERM ? ", see /proc/sys/kernel/io_uring_disabled"
                : err == -ENOMEM ? ", see ulimit -l" : "");
    fprintf(out, "run build/future instead, the same demo on epoll\n");
}
