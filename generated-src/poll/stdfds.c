#include "poll/stdfds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int stdfds_reserve(const char *program)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        if (open("/dev/null", O_RDWR) < 0) {       /* takes fd: the lowest free number */
            fprintf(stderr, "%s: descriptor %d is closed, and /dev/null cannot be opened to "
                    "fill it: %s\n", program, fd, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int stdfds_flush(const char *program)
{
    static bool reported;
    int err = fflush(stdout) == EOF ? errno : 0;
    if (!err && !ferror(stdout))
        return 0;
    if (!reported)
        fprintf(stderr, "%s: cannot write to standard output: %s\n", program,
                err ? strerror(err) : "an earlier write failed");
    reported = true;
    return -1;
}
