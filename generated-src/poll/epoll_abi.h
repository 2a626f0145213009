#ifndef POLL_EPOLL_ABI_H
#define POLL_EPOLL_ABI_H
/* epoll's kernel interface declared by hand, as a binding without <sys/epoll.h> must. */
#include <stdint.h>

#if defined(__x86_64__)
#define POLL_ABI_PACKED __attribute__((packed))   /* 12 bytes, data at offset 4 */
#else
#define POLL_ABI_PACKED                            /* 16 bytes, data at offset 8 */
#endif

struct poll_abi_event {
    uint32_t events;                /* EPOLLIN, EPOLLOUT, ... */
    uint64_t data;                  /* the caller's token, returned unchanged */
} POLL_ABI_PACKED;

enum {
    POLL_ABI_EPOLLIN = 0x001,
    POLL_ABI_EPOLLOUT = 0x004,
    POLL_ABI_EPOLLERR = 0x008,
    POLL_ABI_EPOLLHUP = 0x010,
    POLL_ABI_EPOLLRDHUP = 0x2000,
    POLL_ABI_CTL_ADD = 1,
    POLL_ABI_CTL_DEL = 2,
    POLL_ABI_CTL_MOD = 3
};
#define POLL_ABI_EPOLLET (1u << 31)
#define POLL_ABI_CLOEXEC 02000000   /* O_CLOEXEC on x86 and ARM */

int poll_abi_create(int flags);                         /* fd, or -1 and errno */
int poll_abi_ctl(int epfd, int op, int fd, struct poll_abi_event *event);
int poll_abi_wait(int epfd, struct poll_abi_event *events, int max, int timeout_ms);
#endif
