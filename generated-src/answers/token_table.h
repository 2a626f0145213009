/* token_table.h: callbacks found by their token with one array access. A token is a slot's
   index (low 32 bits) and the slot's generation (high 32 bits): a token whose callback was
   forgotten finds nothing, even after its slot has been reused. One thread registers and
   forgets; any number may run callbacks at once while nobody registers or forgets. */
#ifndef ANSWERS_TOKEN_TABLE_H
#define ANSWERS_TOKEN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reactor_executor/channel.h"
#include "reactor_executor/executor.h"   /* executor_callback */

struct token_table;

int token_table_new(struct token_table **out);                          /* 0 or -ENOMEM */
/* Stores cb (not NULL) and arg in a free slot; its token goes to *token. 0 or -ENOMEM. */
int token_table_on(struct token_table *t, executor_callback *cb, void *arg, uint64_t *token);
/* Forgets token's callback and frees its slot; a stale or unknown token is ignored. */
void token_table_forget(struct token_table *t, uint64_t token);
/* Runs token's callback; false when the token names none (forgotten, or never handed out). */
bool token_table_run(struct token_table *t, uint64_t token);
/* Receives tokens and runs their callbacks until the channel is closed and empty; returns
   how many tokens found no callback. */
size_t token_table_executor_run(struct token_table *t, struct chan *ready);
void token_table_free(struct token_table *t);                           /* NULL is fine */

#endif
