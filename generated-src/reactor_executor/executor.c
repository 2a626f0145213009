#define _POSIX_C_SOURCE 200809L
#include "reactor_executor/executor.h"

#include <errno.h>
#include <stdlib.h>

struct executor_entry {
    uint64_t token;
    executor_callback *cb;
    void *arg;
};

struct executor {
    struct executor_entry *entries;     /* len used, cap allocated */
    size_t len, cap;
};

int executor_new(struct executor **out)
{
    struct executor *ex = calloc(1, sizeof *ex);
    if (ex == NULL)
        return -ENOMEM;
    *out = ex;
    return 0;
}

void executor_free(struct executor *ex)
{
    if (ex == NULL)
        return;
    free(ex->entries);
    free(ex);
}

static struct executor_entry *executor_find(struct executor *ex, uint64_t token)
{
    for (size_t i = 0; i < ex->len; i++)
        if (ex->entries[i].token == token)
            return &ex->entries[i];
    return NULL;
}
int executor_on(struct executor *ex, uint64_t token, executor_callback *cb, void *arg)
{
    struct executor_entry *e = executor_find(ex, token);
    if (cb == NULL) {
        if (e != NULL)
            *e = ex->entries[--ex->len];
        return 0;
    }
    if (e == NULL) {
        if (ex->len == ex->cap) {
            size_t cap = ex->cap == 0 ? 8 : 2 * ex->cap;
            struct executor_entry *bigger = realloc(ex->entries, cap * sizeof *bigger);
            if (bigger == NULL)
                return -ENOMEM;
            ex->entries = bigger;
            ex->cap = cap;
        }
        e = &ex->entries[ex->len++];
    }
    *e = (struct executor_entry){ .token = token, .cb = cb, .arg = arg };
    return 0;
}
size_t executor_run(struct executor *ex, struct chan *ready)
{
    size_t unknown = 0;
    uint64_t token;
    while (chan_recv(ready, &token) == CHAN_OK) {
        struct executor_entry *e = executor_find(ex, token);
        if (e == NULL) {
            unknown++;
            continue;
        }
        struct executor_entry call = *e;
        call.cb(call.arg, token);
    }
    return unknown;
}
