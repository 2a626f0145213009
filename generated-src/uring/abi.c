/* abi.c: io_uring's two system calls, which glibc does not wrap. */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "uring/abi.h"

int uring_abi_setup(unsigned entries, struct uring_abi_params *p) {
    return (int)syscall(SYS_io_uring_setup, entries, p);
}

/* The last two arguments, a signal mask to wait under and its size, are unused: NULL, 0. */
int uring_abi_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags) {
    return (int)syscall(SYS_io_uring_enter, fd, to_submit, min_complete, flags, NULL, 0);
}
