/* fanin.h: the fan-in workload. READERS pipes, one reader for each; a writer process writes
   FANIN_CHUNK bytes into every pipe in turn until each has had FANIN_BYTES; a reader is done
   when it has read them all. With "prefilled" the writer is done before the clock starts. */
#ifndef MEASURING_FANIN_H
#define MEASURING_FANIN_H

#include <sys/types.h>
#include <time.h>

enum { FANIN_BYTES = 1024, FANIN_CHUNK = 64, FANIN_MAX_READERS = 10000 };

/* Tokio's program (tokio/src/main.rs) repeats this layout: change both. */
struct fanin {
    const char *name;
    long readers, done;                 /* READERS; readers that have all their bytes */
    int prefilled;
    int *fds;                           /* fds[i]: pipe i's read end, non-blocking */
    int *left;                          /* left[i]: bytes reader i still waits for */
    int writer_socket;                  /* to the writer process */
    pid_t writer;
    struct timespec start;
};

/* Parses "READERS [prefilled]", starts the writer process, makes the pipes and hands the
   writer their write ends. On bad arguments prints what to do and returns -1. */
int fanin_open(struct fanin *fi, int argc, char **argv);
/* Called when every reader is set up: lets the writer go (and waits for it to finish when
   prefilled), then starts the clock. */
void fanin_start(struct fanin *fi);
/* One read from pipe i, of all the bytes reader i still waits for. Returns the bytes read,
   0 when there were none (EAGAIN); the pipe is drained unless reader i is done. */
long fanin_read(struct fanin *fi, long i);
static inline int fanin_reader_done(const struct fanin *fi, long i) { return fi->left[i] == 0; }
static inline int fanin_done(const struct fanin *fi) { return fi->done == fi->readers; }
/* Stops the clock, checks every reader is done and the writer succeeded, and reports, with
   the peak memory. */
int fanin_finish(struct fanin *fi);
void fanin_close(struct fanin *fi);

#endif
