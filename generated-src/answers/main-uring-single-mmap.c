/* main-uring-single-mmap.c: maps an io_uring instance's rings, once when the kernel allows. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include "answers/uring_single_mmap.h"

/* Says what failed and where the chapter tells what to do; the exit status. */
static int single_fail(const char *what, int err) {
    fprintf(stderr, "answers-uring-single-mmap: %s: %s (see the io_uring chapter's section "
            "\"When io_uring is not there\")\n", what, strerror(err));
    return 1;
}

int main(void) {
    struct uring_abi_params p = {0};
    int fd = uring_abi_setup(4, &p);
    if (fd < 0) return single_fail("io_uring_setup", errno);
    struct uring_single_rings r;
    int err = uring_single_map(fd, &p, &r);
    if (err < 0) return single_fail("mmap", -err);
    printf("%s mapping for both rings: sq ring entries %u, cq ring entries %u\n",
           r.cq == r.sq ? "one" : "a", *(unsigned *)(r.sq + p.sq_off.ring_entries),
           *(unsigned *)(r.cq + p.cq_off.ring_entries));
    uring_single_unmap(&p, &r);
    close(fd);
    return 0;
}
