#define _GNU_SOURCE
#include "poll/epoll_abi.h"

#include <sys/syscall.h>
#include <unistd.h>

int poll_abi_create(int flags)
{
    return (int)syscall(SYS_epoll_create1, (long)flags);
}

int poll_abi_ctl(int epfd, int op, int fd, struct poll_abi_event *event)
{
    return (int)syscall(SYS_epoll_ctl, (long)epfd, (long)op, (long)fd, event);
}

int poll_abi_wait(int epfd, struct poll_abi_event *events, int max, int timeout_ms)
{
#ifdef SYS_epoll_wait
    return (int)syscall(SYS_epoll_wait, (long)epfd, events, (long)max, (long)timeout_ms);
#else
    return (int)syscall(SYS_epoll_pwait, (long)epfd, events, (long)max, (long)timeout_ms,
                        (void *)0, 0L);
#endif
}
