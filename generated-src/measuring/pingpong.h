/* pingpong.h: the ping-pong workload. PAIRS socket pairs; on each, a pinger sends a SIZE-byte
   message, a ponger echoes it, and the pinger sends the next when the echo is complete, TRIPS
   times. An end is 2 * pair for the pinger and 2 * pair + 1 for the ponger. */
#ifndef MEASURING_PINGPONG_H
#define MEASURING_PINGPONG_H

#include <time.h>

/* One read asks for this many bytes, more than a message; so a read that returns a whole
   message, or less, has drained the socket (the short-read rule of epoll(7)). Tokio's
   program (tokio/src/main.rs) repeats PINGPONG_READ and struct pingpong: change both. */
enum { PINGPONG_MAX_SIZE = 1024, PINGPONG_READ = 2 * PINGPONG_MAX_SIZE };

struct pingpong_end { long left, got; };   /* messages still to come; bytes of this one */

struct pingpong {
    const char *name;
    long pairs, trips, size;                /* PAIRS, TRIPS and SIZE from the command line */
    int (*fds)[2];                          /* fds[p][0]: the pinger's end; [1]: the ponger's */
    struct pingpong_end *ends;
    long ends_done, echoed;                 /* ends with every message in; bytes echoed */
    struct timespec start;
};

/* Parses "PAIRS TRIPS SIZE" and makes the socket pairs (non-blocking). On bad arguments
   prints what to do and returns -1; the program should exit with status 2. */
int pingpong_open(struct pingpong *pp, int argc, char **argv);
static inline int pingpong_fd(const struct pingpong *pp, long end) {
    return pp->fds[end / 2][end % 2];
}
/* Every pinger sends its first message; the clock starts. */
void pingpong_start(struct pingpong *pp);
/* One read from end's socket, and what a complete message asks for: the ponger echoes it,
   the pinger checks it and sends the next. Returns the bytes read, 0 when there were none
   (EAGAIN); less than PINGPONG_READ means the socket is drained. Other failures, and wrong
   bytes, end the program. */
long pingpong_step(struct pingpong *pp, long end);
static inline int pingpong_end_done(const struct pingpong *pp, long end) {
    return pp->ends[end].left == 0;
}
static inline int pingpong_done(const struct pingpong *pp) {
    return pp->ends_done == 2 * pp->pairs;
}
/* Stops the clock, checks every message went both ways, prints the report; exit status. */
int pingpong_finish(struct pingpong *pp);
void pingpong_close(struct pingpong *pp);

#endif
