/* echo.h: a TCP echo server on the runtime, one task per connection. */
#ifndef SOCKETS_ECHO_H
#define SOCKETS_ECHO_H

#include <stddef.h>

enum { SOCKETS_DEFAULT_PORT = 7007 };

struct sockets_server_options {
    size_t buffer;      /* bytes a connection reads before it echoes them: all it ever holds */
    unsigned budget;    /* buffers a connection echoes in one poll before it yields; 0: no limit */
};
#define SOCKETS_SERVER_DEFAULTS {16384, 16}

struct sockets_server_stats {
    unsigned long served;       /* connections accepted */
    unsigned long out_of_fds;   /* times accept found no free descriptor */
    size_t held, held_peak;     /* bytes read and not yet echoed, now and at most */
    unsigned long longest_turn; /* most buffers one connection echoed in one poll */
};

/* Echoes every connection on listen_fd (listening, non-blocking) until stop_fd (a signalfd)
   has a signal to read; then it shuts every connection down, waits for their tasks to end
   and returns 0, or -errno. Closes neither descriptor. */
int sockets_serve(int listen_fd, int stop_fd, const struct sockets_server_options *options,
                  struct sockets_server_stats *stats);

#endif
