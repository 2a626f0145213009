/* expect-error: undefined type|is incomplete */
/* A caller of box.h tries to pass a box by value. Declaring a function with a
   parameter of incomplete type is allowed (C11 6.7.6.3), but calling it is
   not: the argument would be a copy of the box, whose size is unknown here. */
#include "pinning/box.h"

void pin_keep_by_value(struct pin_box b);

int main(void)
{
    struct pin_box *box = pin_box_new(1);
    pin_keep_by_value(*box);
    pin_box_free(box);
    return 0;
}
