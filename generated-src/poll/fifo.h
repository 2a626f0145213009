#ifndef POLL_FIFO_H
#define POLL_FIFO_H
/* Opening the read end of a named pipe (FIFO) for an event loop. */
#include <stdio.h>

/* Opens `path` as the read end of a named pipe, non-blocking and close-on-exec. It is opened
   read-write (O_RDWR), so the pipe always has a writer: the reader never sees end of file or
   a hang-up when a writer such as `echo` closes, and every new writer can just write.
   Returns the fd, or -1 after writing one whole line for the user to `err`, after the
   program's name, e.g. "poll: pipe1: no such file; create it with: mkfifo pipe1". */
int fifo_open_read(const char *path, const char *program, FILE *err);

/* A demo's command line: the paths of named pipes, at most max, or "pipe1" and "pipe2" when
   there are none. Returns how many and points *paths at them, or -1 after printing the usage
   line "usage: PROGRAM [NAMED-PIPE...]" when there are too many or one starts with '-'. */
int fifo_args(const char *program, int argc, char **argv, int max, const char *const **paths);
#endif
