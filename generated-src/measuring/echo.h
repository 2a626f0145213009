/* echo.h: what the measuring chapter's echo servers share: the address on the command line,
   the listening socket and the line that announces it, and the report when they stop. */
#ifndef MEASURING_ECHO_H
#define MEASURING_ECHO_H

/* Each server holds at most this many unsent bytes for a connection, and stops reading from
   it while they wait: a client that sends and never reads cannot make the server grow. */
enum { ECHO_BUFFER = 16384 };    /* as the sockets chapter's server's (SOCKETS_SERVER_DEFAULTS) */

/* Tokio's echo server (tokio/src/echo.rs) repeats this layout: change both. */
struct echo_server {
    const char *name;           /* the program's name, for messages */
    int listener;               /* listening, non-blocking, close-on-exec; -1 once given away */
    long served;                /* connections accepted, counted by the server */
};

/* Parses "[HOST:]PORT" (HOST an IPv4 address or a name, 127.0.0.1 when left out; PORT 0 for
   any free port), listens there and prints "listening on HOST:PORT" with the port the kernel
   gave. On a bad address, or one that cannot be had, prints what to do and returns -1; the
   program should exit with status 2. */
int echo_open(struct echo_server *s, int argc, char **argv);
/* Closes the listener, unless the server has taken it over and set it to -1, and prints how
   many connections the server served. */
void echo_close(struct echo_server *s);
/* Turns Nagle's algorithm off on an accepted socket (TCP_NODELAY, tcp(7)), as the sockets
   chapter's server does: an echo of more than one send must not wait for a delayed ACK. */
void echo_no_delay(int fd);

#endif
