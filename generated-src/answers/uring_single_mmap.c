/* uring_single_mmap.c: the rings mapped once (IORING_FEAT_SINGLE_MMAP) or twice. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>
#include "answers/uring_single_mmap.h"

static void *single_map(int fd, size_t size, unsigned long long offset) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                   (off_t)offset);
    return p == MAP_FAILED ? NULL : p;
}

int uring_single_map(int fd, const struct uring_abi_params *p, struct uring_single_rings *r) {
    *r = (struct uring_single_rings){
        .sq_size = p->sq_off.array + p->sq_entries * sizeof(unsigned),
        .cq_size = p->cq_off.cqes + p->cq_entries * sizeof(struct uring_abi_cqe)};
    bool single = (p->features & URING_SINGLE_FEAT_SINGLE_MMAP) != 0;
    if (single) r->sq_size = r->cq_size = r->sq_size > r->cq_size ? r->sq_size : r->cq_size;
    r->sq = single_map(fd, r->sq_size, URING_ABI_OFF_SQ_RING);
    r->cq = single ? r->sq : single_map(fd, r->cq_size, URING_ABI_OFF_CQ_RING);
    r->sqes = single_map(fd, p->sq_entries * sizeof(struct uring_abi_sqe), URING_ABI_OFF_SQES);
    if (r->sq && r->cq && r->sqes) return 0;
    int err = -errno;
    uring_single_unmap(p, r);
    return err;
}

void uring_single_unmap(const struct uring_abi_params *p, struct uring_single_rings *r) {
    if (r->cq && r->cq != r->sq) munmap(r->cq, r->cq_size);
    if (r->sq) munmap(r->sq, r->sq_size);
    if (r->sqes) munmap(r->sqes, p->sq_entries * sizeof(struct uring_abi_sqe));
    *r = (struct uring_single_rings){0};
}
