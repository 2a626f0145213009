/* future.h: futures, an executor that runs them, a reactor that wakes them, ReadNChars. */
#ifndef FUTURE_FUTURE_H
#define FUTURE_FUTURE_H

#include <stddef.h>
#include "waker/waker.h"

/* What a future is polled with: the waker of the task that polls it (borrowed). */
struct future_context { const struct raw_waker *waker; };

enum future_status { FUTURE_PENDING, FUTURE_READY };

/* The answer to a poll. output means something only when ready; it points into the
   future and stays valid until the future is dropped. */
struct future_result { enum future_status status; void *output; };

/* The first member of every future. Once polled, a future must never move. */
struct future { const struct future_vtable *vtable; };

struct future_vtable {
    /* Makes progress without blocking. Before it returns pending, the future arranges
       for cx->waker (or a clone of it) to be woken when it can make progress again. */
    struct future_result (*poll)(struct future *self, struct future_context *cx);
    void (*drop)(struct future *self);  /* releases what it holds; NULL if nothing */
};

static inline struct future_result future_poll(struct future *f, struct future_context *cx) {
    return f->vtable->poll(f, cx);
}

static inline void future_drop(struct future *f) { if (f->vtable->drop) f->vtable->drop(f); }

static inline struct future_result future_pending(void) {
    return (struct future_result){FUTURE_PENDING, NULL};
}

static inline struct future_result future_ready(void *output) {
    return (struct future_result){FUTURE_READY, output};
}

/* One descriptor's registration. It lives in whatever owns fd (a future, or a longer-lived
   object), and the kernel keeps its address: it must not move while it is registered.
   Start it as {fd, {NULL, NULL}}. waker.vtable NULL: no waker; then waker.data NULL:
   fd is not in epoll, and otherwise it is, waiting for nobody. */
struct reactor_io { int fd; struct raw_waker waker; };

/* The reactor: one epoll instance. Each registration wakes its waker at most once. */
struct reactor;
int reactor_new(struct reactor **out);                      /* 0 or -errno */
/* Wakes a clone of *waker once io->fd is readable or hung up, even if it already was;
   replaces an earlier waker (one waiter at a time). Adds fd to epoll when it is not there;
   while it stays there, no system call. */
int reactor_register(struct reactor *r, struct reactor_io *io, const struct raw_waker *waker);
void reactor_disarm(struct reactor *r, struct reactor_io *io);     /* drops the waker; fd stays */
int reactor_deregister(struct reactor *r, struct reactor_io *io);  /* before closing fd */
/* Waits for events, wakes their wakers, returns how many it woke (or -errno; -EDEADLK when
   no waker is registered, so that waiting could never end). */
int reactor_wait(struct reactor *r, int timeout_ms);
void reactor_free(struct reactor *r);                       /* NULL is fine */

/* The executor: a ready queue of tasks, each owning one future. Single-threaded: its
   wakers must be called on the thread that runs it. An opaque type, whose tag the return
   type of executor_new declares (C11 6.7.2.3). */
struct executor *executor_new(void);                        /* NULL: out of memory */
/* Copies the size (its sizeof) bytes of the future at f, which must hold no pointer into
   itself, into a new task; only the copy is polled, and it never moves. 0 or -ENOMEM. */
int executor_spawn(struct executor *ex, const struct future *f, size_t size);
/* Polls tasks until every one is ready, waiting on r when none can run. 0 or -errno. */
int executor_run(struct executor *ex, struct reactor *r);
void executor_free(struct executor *ex);    /* drops unfinished tasks; before reactor_free */

/* ReadNChars: reads exactly n chars from a non-blocking descriptor into text. Ready with
   len == n; or len < n and err == 0 at end of file (every writer closed); or err < 0
   (-errno) when reading or registering failed. */
struct read_n_chars_output { char *text; size_t len; int err; };

struct read_n_chars {
    struct future base;
    struct reactor *reactor;
    struct reactor_io io, *borrowed;    /* its own registration, or one it borrows */
    size_t n;
    struct read_n_chars_output out;
};

/* buf has room for n chars; it must stay where it is until the future is dropped. The
   future registers fd itself, and deregisters when it is ready or dropped. */
void read_n_chars_init(struct read_n_chars *f, struct reactor *r, int fd, char *buf, size_t n);
/* After init, before the first poll: read io->fd through io instead, a registration the
   caller keeps (and deregisters before closing io->fd). Message after message, one
   registration: nothing touches epoll. One borrower waits at a time; when ready, it
   disarms io (drops its waker) and leaves fd in epoll. */
void read_n_chars_borrow(struct read_n_chars *f, struct reactor_io *io);

#endif
