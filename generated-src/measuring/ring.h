/* ring.h: the benchmark's workload, a ring of pipes that one token byte travels round. */
#ifndef MEASURING_RING_H
#define MEASURING_RING_H

#include <time.h>

struct ring {
    const char *name;           /* the program's name, for messages and the report */
    long pipes, rounds;         /* PIPES and ROUNDS from the command line */
    long hops;                  /* tokens sent on so far */
    int (*fds)[2];              /* fds[i][0] reads pipe i, fds[i][1] writes it; non-blocking */
    struct timespec start;
};

/* Parses "PIPES ROUNDS" and makes the pipes. On bad arguments or when the pipes cannot be
   made, prints what to do and returns -1; the program should exit with status 2. */
int ring_open(struct ring *ring, int argc, char **argv);
/* Puts the token into pipe 0 and starts the clock. */
void ring_start(struct ring *ring);
/* One hop: reads the token from pipe i and sends it on. 1 after a hop, 0 if pipe i was
   empty. Any other failure is printed and ends the program: a benchmark that fails half
   way has nothing to report. */
int ring_pass(struct ring *ring, long i);
/* The second half of a hop: writes token into pipe i + 1 (pipe 0 after the last). */
void ring_send(struct ring *ring, long i, char token);
/* Whether all PIPES * ROUNDS hops are done. */
static inline int ring_done(const struct ring *ring) {
    return ring->hops == ring->pipes * ring->rounds;
}
/* Exits with a message naming what failed if err (0 or -errno) is an error. */
void ring_check(const struct ring *ring, int err, const char *what);
/* Stops the clock, checks that every hop was made and that the token is back in pipe 0,
   alone, and prints the report. Returns the program's exit status. */
int ring_finish(struct ring *ring);
void ring_close(struct ring *ring);     /* closes the pipes */

#endif
