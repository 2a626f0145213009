/* main-vmsize.c: 1000 old-world tasks of 1 ms one after the other, then the process's
   virtual size before the reactor is freed: every timer thread's stack is still there. */
#include <stdio.h>
#include <string.h>

#include "old_world/block_on.h"
#include "old_world/reactor.h"
#include "old_world/task.h"

enum { VMSIZE_TASKS = 1000 };

static void vmsize_print(const char *label)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmSize:", 7) == 0)
            printf("%s%s", label, line);
    if (f != NULL)
        fclose(f);
}

int main(void)
{
    struct ow_reactor *r = NULL;
    if (ow_reactor_new(&r) != 0) {
        fprintf(stderr, "answers-vmsize: cannot start the reactor\n");
        return 1;
    }
    vmsize_print("before the tasks: ");
    for (unsigned long id = 1; id <= VMSIZE_TASKS; id++) {
        struct ow_task t;
        int rc = ow_task_init(&t, r, id, 1);
        if (rc == 0) {
            rc = ow_block_on(&t.future);
            if (rc == 0)
                rc = t.err;
            ow_task_drop(&t);
        }
        if (rc != 0) {
            fprintf(stderr, "answers-vmsize: task %lu failed\n", id);
            ow_reactor_free(r, NULL);
            return 1;
        }
    }
    vmsize_print("after 1000 tasks: ");
    struct ow_reactor_stats stats = { 0, 0 };
    ow_reactor_free(r, &stats);
    printf("timer threads: %lu started, %lu joined at shutdown\n", stats.timers_started,
           stats.timers_joined);
    return 0;
}
