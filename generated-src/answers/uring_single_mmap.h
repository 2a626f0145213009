/* uring_single_mmap.h: io_uring's two rings in one mapping when the kernel allows it. */
#ifndef ANSWERS_URING_SINGLE_MMAP_H
#define ANSWERS_URING_SINGLE_MMAP_H

#include <stddef.h>
#include "uring/abi.h"

enum { URING_SINGLE_FEAT_SINGLE_MMAP = 1 };    /* IORING_FEAT_SINGLE_MMAP, io_uring_setup(2) */

/* The mapped regions; cq == sq when one mapping holds both rings. */
struct uring_single_rings {
    char *sq, *cq;
    size_t sq_size, cq_size;
    struct uring_abi_sqe *sqes;
};

/* Maps the rings of io_uring descriptor fd, once if p->features allows it, and the array of
   entries: 0, or -errno with nothing left mapped. */
int uring_single_map(int fd, const struct uring_abi_params *p, struct uring_single_rings *r);
void uring_single_unmap(const struct uring_abi_params *p, struct uring_single_rings *r);

#endif
