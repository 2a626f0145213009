/* sockets.h: waiting to write, beside the core reactor, and the leaf futures of TCP. */
#ifndef SOCKETS_SOCKETS_H
#define SOCKETS_SOCKETS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include "future/future.h"

/* The network side of a runtime: the core reactor, which wakes readers, and a second epoll
   instance for writers, whose own descriptor (writers.fd) the core reactor watches. */
struct sockets_net {
    struct reactor *reactor;
    struct reactor_io writers;      /* the writers' epoll descriptor, in the core reactor */
    size_t waiting;                 /* writers armed, each holding a waker */
};

/* One descriptor's registration for writing. It must not move while registered. Start it as
   {fd, false, {NULL, NULL}}. in_epoll: fd is in the writers' instance (armed or not). */
struct sockets_write_io { int fd; bool in_epoll; struct raw_waker waker; };

int sockets_net_init(struct sockets_net *net, struct reactor *r);    /* 0 or -errno */
void sockets_net_close(struct sockets_net *net);   /* after every writer is forgotten */
/* Wakes a clone of *waker once, when io->fd is writable, hung up or in error; replaces an
   earlier waker. 0 or -errno. */
int sockets_wait_writable(struct sockets_net *net, struct sockets_write_io *io,
                          const struct raw_waker *waker);
void sockets_disarm_writer(struct sockets_net *net, struct sockets_write_io *io);
int sockets_forget_writer(struct sockets_net *net, struct sockets_write_io *io);  /* before close */

/* A connected socket: a registration for each direction, on one descriptor. drained: its
   last read came back short, so the next read waits before it tries (level-triggered). */
struct sockets_socket { struct reactor_io in; struct sockets_write_io out; bool drained; };
void sockets_socket_init(struct sockets_socket *s, int fd);
/* Turns Nagle's algorithm off (TCP_NODELAY): small writes go out at once. */
void sockets_no_delay(int fd);
/* Deregisters both directions, then closes the descriptor; nothing if it is closed already. */
void sockets_socket_close(struct sockets_socket *s, struct sockets_net *net);
/* A listening socket, and what an accept needs besides it: a place to wait when the process
   has no descriptor left. Start it as {{fd, {NULL, NULL}}, {NULL, NULL}, 0, 0}. */
struct sockets_listener {
    struct reactor_io io;
    struct raw_waker fd_waiter;     /* an accept waiting for a free descriptor, or vtable NULL */
    unsigned long out_of_fds;       /* how often accept found none (EMFILE or ENFILE) */
    int wait_err;                   /* why it waits: -EMFILE, -ENFILE, -ENOBUFS or -ENOMEM */
};
/* Call after closing a descriptor: wakes an accept that waits for one. */
void sockets_listener_fd_freed(struct sockets_listener *l);

/* Accept: the next connection, non-blocking and close-on-exec. Ready with fd >= 0, or
   err < 0 (-errno). Under EMFILE or ENFILE it does not get ready: it stops watching the
   listener and waits for sockets_listener_fd_freed. */
struct sockets_accept_output { int fd, err; };
struct sockets_accept {
    struct future base;
    struct sockets_net *net;
    struct sockets_listener *listener;
    struct sockets_accept_output out;
};
void sockets_accept_init(struct sockets_accept *f, struct sockets_net *net,
                         struct sockets_listener *l);

/* Read some: up to cap bytes into buf, whatever has arrived. Ready with len > 0; len == 0
   and err == 0 at end of stream (the peer shut down its writing side); or err < 0. */
struct sockets_read_output { size_t len; int err; };
struct sockets_read {
    struct future base;
    struct sockets_net *net;
    struct sockets_socket *socket;
    char *buf;
    size_t cap;
    struct sockets_read_output out;
};
void sockets_read_init(struct sockets_read *f, struct sockets_net *net, struct sockets_socket *s,
                       char *buf, size_t cap);

/* Write all: len bytes from buf, waiting for writability as often as it takes. Ready with
   len written and err == 0, or err < 0 (-EPIPE, -ECONNRESET, ...) and len what went out.
   Never raises SIGPIPE. */
struct sockets_write_output { size_t len; int err; };
struct sockets_write_all {
    struct future base;
    struct sockets_net *net;
    struct sockets_socket *socket;
    const char *buf;
    size_t len;
    struct sockets_write_output out;
};
void sockets_write_all_init(struct sockets_write_all *f, struct sockets_net *net,
                            struct sockets_socket *s, const char *buf, size_t len);

/* Connect: a new non-blocking TCP socket in *s, connected to addr. Ready with err == 0 (s open
   and connected) or err < 0 (s closed). */
struct sockets_connect {
    struct future base;
    struct sockets_net *net;
    struct sockets_socket *socket;
    struct sockaddr_in addr;
    bool started;
    int err;
};
void sockets_connect_init(struct sockets_connect *f, struct sockets_net *net,
                          struct sockets_socket *s, const struct sockaddr_in *addr);
#endif
