#ifndef POLL_POLL_H
#define POLL_POLL_H
/* Poll: wait for readiness on many file descriptors at once (a thin layer over epoll). */
#include <stdint.h>

struct poll;                        /* opaque; wraps one epoll instance */

/* One ready file: the token given to poll_add and the POLL_* bits that are ready. */
struct poll_event { uint64_t token; uint32_t ready; };

enum {
    POLL_READABLE = 1u,             /* data (or end of file) can be read */
    POLL_WRITABLE = 2u,             /* there is room for some bytes, not for any write */
    POLL_HANGUP = 4u,               /* no more data will come: the writers left (always
                                       reported), or a socket's peer shut down writing
                                       (reported with POLL_READABLE interest only) */
    POLL_ERROR = 8u,                /* an error is pending, or the reader of a pipe left;
                                       always reported */
    POLL_EDGE = 16u                 /* interest only: report changes, not states */
};

int  poll_new(struct poll **out);                                       /* 0 or -errno */
int  poll_add(struct poll *p, int fd, uint64_t token, uint32_t interest); /* 0 or -errno */
int  poll_modify(struct poll *p, int fd, uint64_t token, uint32_t interest);
int  poll_remove(struct poll *p, int fd);
/* Waits up to timeout_ms (-1 = forever) and fills at most max events. Returns the number
   of events (0 on timeout) or -errno. A signal does not end the wait early: EINTR is
   retried with the time that is left. */
int  poll_wait(struct poll *p, struct poll_event *events, int max, int timeout_ms);
void poll_close(struct poll *p);                                        /* NULL is fine */
#endif
