/* token_table.c: an array of slots, a free list, and a generation per slot. */
#include "answers/token_table.h"

#include <errno.h>
#include <stdlib.h>

struct token_slot {
    executor_callback *cb;      /* NULL: the slot is free */
    void *arg;
    uint32_t generation;        /* the high half of this slot's current token */
    uint32_t next_free;         /* when free: the next free slot's index, or UINT32_MAX */
};

struct token_table {
    struct token_slot *slots;
    uint32_t len, cap, first_free;
};

static int token_table_grow(struct token_table *t)
{
    uint32_t cap = t->cap == 0 ? 8 : t->cap * 2;
    if (cap <= t->cap || cap == UINT32_MAX)
        return -ENOMEM;
    struct token_slot *bigger = realloc(t->slots, (size_t)cap * sizeof *bigger);
    if (bigger == NULL)
        return -ENOMEM;
    t->slots = bigger;
    for (uint32_t i = cap; i-- > t->len;) {
        t->slots[i] = (struct token_slot){ .next_free = t->first_free };
        t->first_free = i;
    }
    t->len = t->cap = cap;
    return 0;
}

int token_table_new(struct token_table **out)
{
    struct token_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -ENOMEM;
    t->first_free = UINT32_MAX;
    *out = t;
    return 0;
}

int token_table_on(struct token_table *t, executor_callback *cb, void *arg, uint64_t *token)
{
    if (t->first_free == UINT32_MAX && token_table_grow(t) != 0)
        return -ENOMEM;
    uint32_t index = t->first_free;
    struct token_slot *s = &t->slots[index];
    t->first_free = s->next_free;
    s->cb = cb;
    s->arg = arg;
    *token = (uint64_t)s->generation << 32 | index;
    return 0;
}

static struct token_slot *token_table_find(struct token_table *t, uint64_t token)
{
    uint32_t index = (uint32_t)token, generation = (uint32_t)(token >> 32);
    if (index >= t->len || t->slots[index].cb == NULL || t->slots[index].generation != generation)
        return NULL;
    return &t->slots[index];
}

void token_table_forget(struct token_table *t, uint64_t token)
{
    struct token_slot *s = token_table_find(t, token);
    if (s == NULL)
        return;
    s->cb = NULL;
    s->generation++;
    s->next_free = t->first_free;
    t->first_free = (uint32_t)(s - t->slots);
}

bool token_table_run(struct token_table *t, uint64_t token)
{
    struct token_slot *s = token_table_find(t, token);
    if (s == NULL)
        return false;
    s->cb(s->arg, token);
    return true;
}

size_t token_table_executor_run(struct token_table *t, struct chan *ready)
{
    size_t unknown = 0;
    uint64_t token;
    while (chan_recv(ready, &token) == CHAN_OK)
        if (!token_table_run(t, token))
            unknown++;
    return unknown;
}

void token_table_free(struct token_table *t)
{
    if (t == NULL)
        return;
    free(t->slots);
    free(t);
}
