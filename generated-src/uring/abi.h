/* abi.h: io_uring's kernel interface declared by hand, from io_uring_setup(2),
   io_uring_enter(2) and the kernel's include/uapi/linux/io_uring.h. */
#ifndef URING_ABI_H
#define URING_ABI_H

#include <stdint.h>

/* A submission queue entry: one request. 64 bytes; fields this book does not use are
   padding here (the kernel reads them as zero). */
struct uring_abi_sqe {
    uint8_t opcode;             /* URING_ABI_OP_READ, ... */
    uint8_t flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off;               /* file offset; (uint64_t)-1: the file's current position */
    uint64_t addr;              /* the buffer */
    uint32_t len;               /* its length */
    uint32_t op_flags;          /* rw_flags, poll32_events, cancel_flags, ... */
    uint64_t user_data;         /* handed back unchanged in the completion */
    uint16_t buf_index;
    uint16_t personality;
    int32_t splice_fd_in;
    uint64_t pad[2];
};

/* A completion queue entry: one finished request. */
struct uring_abi_cqe {
    uint64_t user_data;         /* the request's */
    int32_t res;                /* what the system call would have returned, or -errno */
    uint32_t flags;
};
/* Where, in the mapped rings, each field lives (byte offsets). */
struct uring_abi_sq_offsets {
    uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
    uint64_t resv2;
};
struct uring_abi_cq_offsets {
    uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
    uint64_t resv2;
};

/* io_uring_setup's in-out argument: the caller fills the first part, the kernel the rest. */
struct uring_abi_params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
    uint32_t resv[3];
    struct uring_abi_sq_offsets sq_off;
    struct uring_abi_cq_offsets cq_off;
};
enum {
    URING_ABI_OP_POLL_ADD = 6, URING_ABI_OP_ASYNC_CANCEL = 14, URING_ABI_OP_READ = 22,
    URING_ABI_ENTER_GETEVENTS = 1,                      /* io_uring_enter: wait for events */
};
/* mmap offsets of the three regions io_uring_setup's descriptor gives access to */
#define URING_ABI_OFF_SQ_RING 0ULL
#define URING_ABI_OFF_CQ_RING 0x8000000ULL
#define URING_ABI_OFF_SQES 0x10000000ULL

/* The two system calls; -1 and errno on failure, as syscall(2) returns them. */
int uring_abi_setup(unsigned entries, struct uring_abi_params *p);
int uring_abi_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags);

#endif
