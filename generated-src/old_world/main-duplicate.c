/* main-duplicate.c: two live tasks may not share an id. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "old_world/reactor.h"
#include "old_world/task.h"

int main(void)
{
    struct ow_reactor *r;
    struct ow_task first, second;
    setvbuf(stdout, NULL, _IOLBF, 0);    /* keep stdout and stderr lines in order */
    int rc = ow_reactor_new(&r);
    if (rc != 0) {
        fprintf(stderr, "old_world-duplicate: cannot start the reactor: %s\n", strerror(-rc));
        return EXIT_FAILURE;
    }
    if ((rc = ow_task_init(&first, r, 7, 1000)) == 0) {
        puts("task 7: made");
        rc = ow_task_init(&second, r, 7, 2000);
        if (rc == -EEXIST)
            fputs("task 7 again: id 7 is in use by a live task; drop that task first, or pick"
                  " another id\n", stderr);
        else if (rc == 0)
            ow_task_drop(&second);
        ow_task_drop(&first);
    }
    ow_reactor_free(r, NULL);
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
