/* Descriptors 0, 1 and 2: standard input, output and error. */
#ifndef POLL_STDFDS_H
#define POLL_STDFDS_H

/* Opens /dev/null on each of descriptors 0, 1 and 2 that is closed, so that no descriptor the
   program makes later (open, pipe, eventfd, epoll, signalfd: each takes the lowest free
   number) can get one of those numbers. Call it first in main. Returns 0, or -1 after
   saying on standard error, if it is open, that /dev/null cannot be opened. */
int stdfds_reserve(const char *program);

/* Flushes standard output. Returns 0 when all the program printed has been written, or -1
   when a write failed (a full disk, /dev/full, a closed pipe), saying so on standard error
   the first time. Call it after printing results, and exit with status 1 when it fails. */
int stdfds_flush(const char *program);

#endif
