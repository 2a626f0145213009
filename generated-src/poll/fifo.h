#ifndef POLL_FIFO_H
#define POLL_FIFO_H
/* Opening the read end of a named pipe (FIFO) for an event loop. */
#include <stddef.h>

/* Opens `path` as the read end of a named pipe, non-blocking and close-on-exec. It is opened
   read-write (O_RDWR), so the pipe always has a writer: the reader never sees end of file or
   a hang-up when a writer such as `echo` closes, and every new writer can just write.
   Returns the fd, or -1 after writing a one-line message for the user into msg, e.g.
   "pipe1: no such file; create it with: mkfifo pipe1" or
   "notes.txt: not a named pipe; remove it and run: mkfifo notes.txt". */
int fifo_open_read(const char *path, char *msg, size_t msglen);
#endif
