#define _GNU_SOURCE
#include "poll/epoll_abi.h"
#include "poll/stdfds.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The structure as it looks when the packing is forgotten. */
struct event_unpacked {
    uint32_t events;
    uint64_t data;
};

static void abi_register(int epfd, int fd, uint64_t token)
{
    struct poll_abi_event ev = { .events = POLL_ABI_EPOLLIN, .data = token };
    if (poll_abi_ctl(epfd, POLL_ABI_CTL_ADD, fd, &ev) < 0)
        perror("poll-abi: epoll_ctl");
}

static void abi_decode(const char *layout, const unsigned char *bytes, int n, size_t size,
                       size_t data_offset)
{
    for (int i = 0; i < n; i++) {
        uint32_t events;
        uint64_t data;
        memcpy(&events, bytes + (size_t)i * size, sizeof events);
        memcpy(&data, bytes + (size_t)i * size + data_offset, sizeof data);
        printf("%-8s event %d: events 0x%08" PRIx32 ", token 0x%016" PRIx64 "\n", layout, i,
               events, data);
    }
}

int main(void)
{
    if (stdfds_reserve("poll-abi") < 0)
        return EXIT_FAILURE;
    int a[2], b[2], c[2];
    int epfd = poll_abi_create(POLL_ABI_CLOEXEC);
    if (epfd < 0 || pipe(a) < 0 || pipe(b) < 0 || pipe(c) < 0) {
        perror("poll-abi");
        return EXIT_FAILURE;
    }
    printf("sizeof: <sys/epoll.h> %zu, hand-declared %zu, unpacked %zu\n",
           sizeof(struct epoll_event), sizeof(struct poll_abi_event),
           sizeof(struct event_unpacked));
    const uint64_t token_a = 0x1122334455667788u, token_b = 0x99aabbccddeeff00u;
    abi_register(epfd, a[0], token_a);
    abi_register(epfd, b[0], token_b);
    if (write(a[1], "a", 1) != 1 || write(b[1], "b", 1) != 1)
        perror("poll-abi: write");
    _Alignas(8) unsigned char bytes[2 * sizeof(struct event_unpacked)] = { 0 };
    int n = poll_abi_wait(epfd, (struct poll_abi_event *)(void *)bytes, 2, 0);
    if (n < 0) {
        perror("poll-abi: epoll_wait");
        return EXIT_FAILURE;
    }
    printf("registered token 0x%016" PRIx64 " and 0x%016" PRIx64 "\n", token_a, token_b);
    printf("the kernel wrote %d events of %zu bytes:", n, sizeof(struct poll_abi_event));
    for (size_t i = 0; i < (size_t)n * sizeof(struct poll_abi_event); i++)
        printf("%s%02x", i % sizeof(struct poll_abi_event) == 0 ? "\n   " : " ", bytes[i]);
    printf("\n");
    abi_decode("packed", bytes, n, sizeof(struct poll_abi_event),
               offsetof(struct poll_abi_event, data));
    abi_decode("unpacked", bytes, n, sizeof(struct event_unpacked),
               offsetof(struct event_unpacked, data));
    struct event_unpacked wrong;
    const uint32_t in = POLL_ABI_EPOLLIN;
    memset(&wrong, 0, sizeof wrong);
    memcpy(&wrong.events, &in, sizeof in);
    memcpy(&wrong.data, &token_a, sizeof token_a);
    if (syscall(SYS_epoll_ctl, (long)epfd, (long)POLL_ABI_CTL_ADD, (long)c[0], &wrong) < 0)
        perror("poll-abi: epoll_ctl");
    if (write(c[1], "c", 1) != 1)
        perror("poll-abi: write");
    struct poll_abi_event got[3];
    int m = poll_abi_wait(epfd, got, 3, 0);
    if (m < 0)
        perror("poll-abi: epoll_wait");
    for (int i = 0; i < m; i++)
        if (got[i].data != token_a && got[i].data != token_b)
            printf("registered token 0x%016" PRIx64 " through the unpacked layout;\n"
                   "the kernel returned 0x%016" PRIx64 "\n", token_a, (uint64_t)got[i].data);
    close(epfd);
    for (int i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
        close(c[i]);
    }
    return EXIT_SUCCESS;
}
