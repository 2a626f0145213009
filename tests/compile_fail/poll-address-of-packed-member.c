/* expect-error: taking address of packed member */
/* The poll chapter: on x86-64 struct epoll_event is packed, so a pointer to its 64-bit data
   member may be misaligned; gcc and clang refuse to take it under -Werror. */
#include <stdint.h>
#include <sys/epoll.h>

#if !defined(__x86_64__)
#error taking address of packed member: not packed on this architecture, nothing to show
#endif

uint64_t *poll_token_of(struct epoll_event *ev)
{
    return &ev->data.u64;
}
