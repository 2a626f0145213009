/* main-uring-single-mmap.c: maps an io_uring instance's rings, once when the kernel allows. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include "answers/uring_single_mmap.h"

int main(void) {
    struct uring_abi_params p = {0};
    int fd = uring_abi_setup(4, &p);
    struct uring_single_rings r;
    int err = fd < 0 ? -errno : uring_single_map(fd, &p, &r);
    if (err < 0) {
        fprintf(stderr, "answers-uring-single-mmap: %s: %s (see the io_uring chapter's section "
                "\"When io_uring is not there\")\n", fd < 0 ? "io_uring_setup" : "mmap",
                strerror(-err));
        return 1;
    }
    printf("%s mapping for both rings: sq ring entries %u, cq ring entries %u\n",
           r.cq == r.sq ? "one" : "a", *(unsigned *)(r.sq + p.sq_off.ring_entries),
           *(unsigned *)(r.cq + p.cq_off.ring_entries));
    uring_single_unmap(&p, &r);
    close(fd);
    return 0;
}
