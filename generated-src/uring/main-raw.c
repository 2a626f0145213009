/* main-raw.c: one read from a pipe through io_uring's raw interface, no library. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "uring/abi.h"

/* The mapped rings: pointers to the fields the kernel shares with us. */
struct raw_ring {
    unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
    struct uring_abi_sqe *sqes;
    struct uring_abi_cqe *cqes;
};

static void *raw_map(int fd, size_t size, unsigned long long offset) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                   (off_t)offset);
    return p == MAP_FAILED ? NULL : p;
}

/* Maps the submission ring, the completion ring and the array of entries. */
static int raw_ring_map(int fd, const struct uring_abi_params *p, struct raw_ring *ring) {
    char *sq = raw_map(fd, p->sq_off.array + p->sq_entries * sizeof(unsigned),
                       URING_ABI_OFF_SQ_RING);
    char *cq = raw_map(fd, p->cq_off.cqes + p->cq_entries * sizeof(struct uring_abi_cqe),
                       URING_ABI_OFF_CQ_RING);
    ring->sqes = raw_map(fd, p->sq_entries * sizeof(struct uring_abi_sqe), URING_ABI_OFF_SQES);
    if (!sq || !cq || !ring->sqes) return -1;   /* the process ends: no need to unmap */
    ring->sq_tail = (unsigned *)(sq + p->sq_off.tail);
    ring->sq_mask = (unsigned *)(sq + p->sq_off.ring_mask);
    ring->sq_array = (unsigned *)(sq + p->sq_off.array);
    ring->cq_head = (unsigned *)(cq + p->cq_off.head);
    ring->cq_tail = (unsigned *)(cq + p->cq_off.tail);
    ring->cq_mask = (unsigned *)(cq + p->cq_off.ring_mask);
    ring->cqes = (struct uring_abi_cqe *)(cq + p->cq_off.cqes);
    return 0;
}
/* Fills the next submission entry and publishes it: the release store on the tail makes
   the entry's bytes visible to the kernel before the new tail is. */
static void raw_submit_read(struct raw_ring *ring, int fd, char *buf, unsigned len) {
    unsigned tail = *ring->sq_tail, index = tail & *ring->sq_mask;  /* only we write it */
    ring->sqes[index] = (struct uring_abi_sqe){.opcode = URING_ABI_OP_READ, .fd = fd,
        .off = (uint64_t)-1, .addr = (uintptr_t)buf, .len = len, .user_data = 42};
    ring->sq_array[index] = index;
    __atomic_store_n(ring->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Takes the oldest completion, if there is one: the acquire load on the tail makes the
   entry's bytes visible to us; the release store on the head gives its slot back. */
static int raw_reap(struct raw_ring *ring, struct uring_abi_cqe *out) {
    unsigned head = *ring->cq_head;                                 /* only we write it */
    if (head == __atomic_load_n(ring->cq_tail, __ATOMIC_ACQUIRE)) return 0;
    *out = ring->cqes[head & *ring->cq_mask];
    __atomic_store_n(ring->cq_head, head + 1, __ATOMIC_RELEASE);
    return 1;
}
int main(int argc, char **argv) {
    if (argc > 1) {
        fprintf(stderr, "usage: %s   (no arguments: it reads one pipe through io_uring)\n",
                argv[0]);
        return 2;
    }
    struct uring_abi_params params = {0};
    struct raw_ring ring;
    struct uring_abi_cqe cqe;
    char buf[64];
    int pipefd[2], fd = uring_abi_setup(4, &params);
    if (fd < 0) {
        printf("uring-raw: io_uring_setup: %s; run build/poll instead\n", strerror(errno));
        return 1;
    }
    if (raw_ring_map(fd, &params, &ring) < 0 || pipe(pipefd) < 0) {
        perror("uring-raw");
        return 1;
    }
    raw_submit_read(&ring, pipefd[0], buf, sizeof buf);
    int submitted = uring_abi_enter(fd, 1, 0, 0);
    printf("submitted %d read; completions so far: %d\n", submitted, raw_reap(&ring, &cqe));
    if (write(pipefd[1], "hello, ring\n", 12) != 12) return 1;
    uring_abi_enter(fd, 0, 1, URING_ABI_ENTER_GETEVENTS);
    if (!raw_reap(&ring, &cqe)) return 1;
    printf("completion %llu: res %d: %.*s", (unsigned long long)cqe.user_data, cqe.res,
           cqe.res > 0 ? cqe.res : 0, buf);
    return 0;
}
