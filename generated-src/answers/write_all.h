/* write_all.h: WriteAll, the future that writes a whole buffer to a non-blocking descriptor. */
#ifndef ANSWERS_WRITE_ALL_H
#define ANSWERS_WRITE_ALL_H

#include "future/future.h"

/* Ready with written == len; or with err < 0 (-errno) when writing or waiting failed. */
struct write_all_output { size_t written; int err; };

struct write_all {
    struct future base;
    struct reactor *reactor;
    int fd;                     /* the descriptor written to; not owned */
    struct reactor_io room;     /* room.fd: an epoll instance watching fd for EPOLLOUT, or -1 */
    const char *buf;
    size_t len;
    struct write_all_output out;
};

/* buf must stay where it is until the future is ready or dropped. */
void write_all_init(struct write_all *f, struct reactor *r, int fd, const char *buf,
                    size_t len);

#endif
