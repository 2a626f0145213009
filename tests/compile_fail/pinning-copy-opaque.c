/* expect-error: incomplete type|storage size */
/* A caller of box.h tries to copy a box by value. It must not compile: the
   type is incomplete outside box.c, so the copy's size is unknown. */
#include "pinning/box.h"

int main(void)
{
    struct pin_box *box = pin_box_new(1);
    struct pin_box copy = *box;
    pin_box_free(box);
    return pin_box_get(&copy);
}
