/* strace_c.h: reads the table that strace -c prints (strace(1), -c), one line at a time. */
#ifndef TESTS_STRACE_C_H
#define TESTS_STRACE_C_H

#include <stdbool.h>
#include <stdio.h>

/* A line "% time  seconds  usecs/call  calls  errors  syscall", errors blank when there are
   none (" 26.43 0.000923 4 212 10 read", " 30.09 0.000476 2 202 write", and the "total"
   line): true, with its calls, errors and name (at most 63 chars); false for other lines. */
static inline bool strace_c_line(const char *line, long *calls, long *errors, char name[64])
{
    if (sscanf(line, "%*f %*f %*d %ld %ld %63s", calls, errors, name) == 3)
        return true;
    *errors = 0;
    return sscanf(line, "%*f %*f %*d %ld %63s", calls, name) == 2;
}

#endif
