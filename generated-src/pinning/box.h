/* box.h: a self-referential object behind an opaque type. */
#ifndef PINNING_BOX_H
#define PINNING_BOX_H

#include <stdbool.h>

/* Incomplete here: only box.c knows the size and the fields, so code that
   includes this header can hold pointers but can never copy a box. */
struct pin_box;

/* A new box holding value, or NULL if memory is exhausted. */
struct pin_box *pin_box_new(int value);
int  pin_box_get(const struct pin_box *b);
void pin_box_set(struct pin_box *b, int value);
bool pin_box_is_home(const struct pin_box *b);   /* always true: nobody can move it */
void pin_box_free(struct pin_box *b);             /* NULL is fine */

#endif
